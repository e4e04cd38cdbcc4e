"""The two calls a terminal's tools ask the platform: is this code usable (without using it), and what
does the platform know of me (revoked? unknown? its clock)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import requests
from sync_harness import Hub, Terminal

from kiosk.sync.device import load_token

ENROL = {"request_id": "req-1", "name": "n", "region_code": "420902", "latitude": 30.9, "longitude": 113.9}


def test_code_check_answers_like_enrolment_without_using_the_code(hub: Hub) -> None:
    code = hub.enrol_code("示例 孝南区书院街道终端")
    assert hub.call("POST", "/api/v1/enrol/check", {"code": code.lower()}) == (
        200,
        {"status": "ok", "name": "示例 孝南区书院街道终端"},
    )
    assert hub.call("POST", "/api/v1/enrol/check", {"code": code})[0] == 200  # still unused
    assert hub.call("POST", "/api/v1/enrol", {**ENROL, "code": code})[0] == 201
    status, reply = hub.call("POST", "/api/v1/enrol/check", {"code": code})
    assert (status, reply["error"]) == (403, "code_used")
    status, reply = hub.call("POST", "/api/v1/enrol/check", {"code": "ABCD-EFGH-JKLM"})
    assert (status, reply["error"]) == (403, "invalid_code")
    assert hub.call("POST", "/api/v1/enrol/check", {})[0] == 400


def test_code_check_refuses_an_expired_code(hub: Hub) -> None:
    code = hub.enrol_code()
    con = sqlite3.connect(hub.root / "hub.sqlite3")
    with con:
        con.execute(
            "UPDATE enrol_code SET expires = ?",
            ((dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).replace(tzinfo=None).isoformat(" "),),
        )
    con.close()
    status, reply = hub.call("POST", "/api/v1/enrol/check", {"code": code})
    assert (status, reply["error"]) == (403, "code_expired")
    assert hub.call("POST", "/api/v1/enrol", {**ENROL, "code": code})[1]["error"] == "code_expired"


def test_device_call_knows_the_terminal_and_refuses_revoked_and_unknown(hub: Hub, terminal: Terminal) -> None:
    token = load_token(terminal.paths)

    def ask(bearer: str) -> tuple[int, dict[str, str]]:
        r = requests.get(hub.url + "api/v1/device", headers={"Authorization": f"Bearer {bearer}"}, timeout=10)
        return r.status_code, r.json()

    status, reply = ask(token)
    assert status == 200 and reply["device_id"] == terminal.device_id() and reply["status"] == "active"
    assert reply["name"] == "测试终端" and reply["region"] == "420902"
    skew = dt.datetime.fromisoformat(reply["server_time"]) - dt.datetime.now(dt.UTC)
    assert abs(skew.total_seconds()) < 300
    assert ask("not-a-token")[1]["error"] == "unauthorized" and ask("not-a-token")[0] == 401
    hub.cli("revoke", terminal.device_id())
    assert ask(token)[0] == 403 and ask(token)[1]["error"] == "device_revoked"
