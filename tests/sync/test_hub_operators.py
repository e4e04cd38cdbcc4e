"""Operators on the platform: accounts and roles, the requests desk, fleet settings, revoked and
replaced terminals in the report (issue 14 points 3–4, issue 16's platform items)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import requests
from sync_harness import Hub, Terminal

from kiosk.sync.device import load_token
from kiosk_hub.db import Device, Event, open_hub_db
from kiosk_hub.report import build_report, to_csv

PHONE = "13912345678"
PASSWORD = "correct-horse-battery"


def _user(hub: Hub, name: str, role: str) -> tuple[str, str]:
    import subprocess

    from sync_harness import PY, REPO, env

    done = subprocess.run(
        [PY, "-m", "kiosk_hub.cli", "--data-dir", str(hub.root), "user", "add", name, "--role", role,
         "--password-stdin"],
        input=PASSWORD + "\n", capture_output=True, text=True, env=env(), cwd=REPO, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return name, PASSWORD


def _event(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    created = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
    return {"id": uuid.uuid4().hex, "kind": kind, "created": created, "payload": payload}


def _send(hub: Hub, terminal: Terminal, *events: dict[str, Any]) -> None:
    reply = hub.session.post(
        hub.url + "api/v1/events", json={"events": list(events)},
        headers={"Authorization": f"Bearer {load_token(terminal.paths)}"}, timeout=10,
    )  # fmt: skip
    assert reply.status_code == 200 and len(reply.json()["acked"]) == len(events), reply.text


def _callback(name: str = "李示例") -> dict[str, Any]:
    return _event(
        "request",
        {"kind": "callback", "reference": "261204-ABCDEF", "name": name, "phone": PHONE,
         "matter": "工伤赔偿怎么算", "preferred_time": "尽快"},
    )  # fmt: skip


def test_roles_decide_who_sees_what(hub: Hub) -> None:
    viewer, handler, admin = (
        _user(hub, "viewer1", "viewer"),
        _user(hub, "handler1", "handler"),
        _user(hub, "admin1", "admin"),
    )
    get = lambda path, auth: hub.session.get(hub.url + path, auth=auth, timeout=30).status_code  # noqa: E731
    assert get("report", viewer) == 200 and get("desk", viewer) == 403
    assert get("desk", handler) == 200 and get("report", handler) == 200
    assert get("desk", admin) == 403  # the fleet administrator does not see residents' data
    assert get("api/v1/admin/devices", viewer) == 403 and get("api/v1/admin/devices", admin) == 200
    assert get("report", ("viewer1", "wrong-password!")) == 401 and get("report", ("nobody", PASSWORD)) == 401
    listed = hub.cli("user", "list").stdout
    assert "viewer1\tviewer\t报表查看" in listed and "handler1\thandler" in listed
    hub.cli("user", "remove", "viewer1")
    assert get("report", viewer) == 401
    short = hub.cli("user", "add", "x2", "--password-stdin", check=False)
    assert short.returncode == 1 and "密码至少" in short.stderr


def test_the_desk_shows_requests_to_handlers_and_logs_every_look(hub: Hub, terminal: Terminal) -> None:
    handler = _user(hub, "handler1", "handler")
    _send(hub, terminal, _callback())
    for f in hub.root.glob("hub.sqlite3*"):
        assert PHONE.encode() not in f.read_bytes() and "李示例".encode() not in f.read_bytes(), f  # encrypted
    page = hub.session.get(hub.url + "desk", params={"county": "420902"}, auth=handler, timeout=30)
    assert page.status_code == 200 and PHONE in page.text and "李示例" in page.text and "预约回电" in page.text
    [item] = hub.session.get(hub.url + "api/v1/desk/requests", auth=handler, timeout=30).json()["requests"]
    assert item["status"] == "new" and item["personal"]["phone"] == PHONE and item["county"] == "420902"
    marked = hub.session.post(hub.url + f"desk/{item['id']}", data={"status": "called"}, auth=handler, timeout=30)
    assert marked.status_code == 200 and "已联系" in marked.text  # back on the desk after the redirect
    out = hub.cli("requests", "mark", str(item["id"]), "done", "--as", "handler1").stdout
    assert "已办结" in out
    con = sqlite3.connect(hub.root / "hub.sqlite3")
    log = con.execute(
        "SELECT who, action FROM request_access WHERE request_id = ? ORDER BY id", (item["id"],)
    ).fetchall()
    con.close()
    assert ("handler1", "view") in log and ("handler1", "called") in log and log[-1] == ("handler1", "done")
    other = hub.cli("requests", "list", "--as", "nobody", check=False)
    assert other.returncode == 1 and "not a request handler" in other.stderr
    # one access-log line per request, without personal data, client addresses or query strings
    access = [line for line in (hub.root / "serve.log").read_text().splitlines() if "kiosk_hub.access" in line]
    assert any("POST /api/v1/events 200" in line for line in access)
    assert any("GET /desk 200" in line for line in access) and not any("county=" in line for line in access)
    assert not any(PHONE in line or "李示例" in line or "127.0.0.1" in line for line in access)


def test_retention_deletes_the_personal_part_and_keeps_the_count(hub: Hub, terminal: Terminal) -> None:
    handler = _user(hub, "handler1", "handler")
    _send(hub, terminal, _callback(), _callback("王示例"))
    rows = hub.session.get(hub.url + "api/v1/desk/requests", auth=handler, timeout=30).json()["requests"]
    for r in rows:
        hub.session.post(hub.url + f"desk/{r['id']}", data={"status": "done"}, auth=handler, timeout=30)
    con = sqlite3.connect(hub.root / "hub.sqlite3")
    with con:  # one was closed four years ago
        old = (dt.datetime.now(dt.UTC) - dt.timedelta(days=4 * 365)).strftime("%Y-%m-%d %H:%M:%S")
        con.execute("UPDATE resident_request SET closed = ? WHERE id = ?", (old, rows[0]["id"]))
    con.close()
    assert "personal data of 1 request" in hub.cli("requests", "purge").stdout
    after = {r["id"]: r for r in hub.session.get(hub.url + "api/v1/desk/requests", auth=handler).json()["requests"]}
    assert after[rows[0]["id"]]["purged"] and after[rows[0]["id"]]["personal"] == {}
    assert after[rows[1]["id"]]["personal"]["phone"] == PHONE
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    sheet = hub.cli("report", "--from", str(today - dt.timedelta(days=1)), "--to", str(today), "--format", "csv")
    mine = [
        r for r in csv.DictReader(io.StringIO(sheet.stdout.lstrip("\ufeff"))) if r["终端编号"] == terminal.device_id()
    ]
    assert sum(int(r["预约回电"]) for r in mine) == 2  # the report keeps the counts


def test_settings_in_effect_are_shown_and_a_local_override_flagged(hub: Hub, terminal: Terminal) -> None:
    prefix = terminal.device_id()[:8]
    assert "sent with its next heartbeat" in hub.cli("settings", "set", prefix, "idle_seconds", "120").stdout
    beat = _event(
        "heartbeat",
        {"settings_in_effect": {"idle_seconds": {"value": 90, "source": "local"},
                                "voice_enabled": {"value": True, "source": "default"}}},
    )  # fmt: skip
    reply = hub.session.post(
        hub.url + "api/v1/heartbeat", json=beat, headers={"Authorization": f"Bearer {load_token(terminal.paths)}"}
    )
    assert reply.status_code == 200 and reply.json()["settings"] == {"idle_seconds": 120}
    shown = hub.cli("settings", "show", prefix).stdout
    line = next(x for x in shown.splitlines() if x.startswith("idle_seconds"))
    assert "120" in line and "90" in line and "local" in line and "local change stands" in line
    admin = _user(hub, "admin1", "admin")
    page = hub.session.get(hub.url + "fleet", auth=admin, timeout=30)
    assert page.status_code == 200 and "本机设置覆盖了平台下发的值" in page.text and "idle_seconds" in page.text
    assert hub.session.get(hub.url + "fleet", auth=_user(hub, "viewer1", "viewer"), timeout=30).status_code == 403
    bad = hub.cli("settings", "set", prefix, "hub_url", "http://evil", check=False)
    assert bad.returncode == 1 and "not a setting the platform may change" in bad.stderr
    unknown = hub.cli("settings", "show", "zzzz", check=False)
    assert unknown.returncode == 1 and "no terminal whose id starts with 'zzzz'" in unknown.stderr


def test_a_replacement_takes_the_old_terminals_name_and_place(hub: Hub, terminal: Terminal, tmp_path: Path) -> None:
    old = terminal.device_id()
    code = hub.cli("enrol-code", "--replaces", old[:10]).stdout.strip()
    reply = hub.session.post(
        hub.url + "api/v1/enrol",
        json={"code": code, "request_id": "swap-1", "name": "新机器", "region_code": "420921",
              "latitude": 31.0, "longitude": 114.0},
        timeout=30,
    )  # fmt: skip
    assert reply.status_code == 201
    devices = {d["device_id"]: d for d in hub.call("GET", "/api/v1/admin/devices", admin=True)[1]["devices"]}
    new = devices[reply.json()["device_id"]]
    assert new["name"] == devices[old]["name"] and new["region_code"] == devices[old]["region_code"]
    assert devices[old]["revoked"] and not new["revoked"]
    assert "revoked" in hub.cli("revoke", reply.json()["device_id"][:8]).stdout  # prefixes work everywhere


def test_a_terminal_revoked_mid_month_keeps_its_figures_for_that_month(tmp_path: Path) -> None:
    db = open_hub_db("", tmp_path / "hub.sqlite3")
    with db.connection_context():
        Device.create(
            device_id="old-terminal-1", name="书院街道（示例）", region_code="420902", latitude=30.9, longitude=113.9,
            token_hash="x" * 64, enrolled=dt.datetime(2026, 9, 1), revoked=dt.datetime(2026, 10, 15, 12),
            last_seen=dt.datetime(2026, 10, 15, 8),
        )  # fmt: skip
        for day in (3, 10, 14):
            Event.create(
                event_id=f"ev-10-{day:02d}", device_id="old-terminal-1", kind="rating",
                created=f"2026-10-{day:02d}T10:00:00+08:00", payload=json.dumps({"level": 5}),
            )  # fmt: skip
            Event.create(
                event_id=f"us-10-{day:02d}", device_id="old-terminal-1", kind="usage",
                created=f"2026-10-{day:02d}T20:00:00+08:00", payload=json.dumps({"hours": {f"2026-10-{day:02d}T09": {"search": 4}}}),
            )  # fmt: skip
        report = build_report(dt.date(2026, 10, 1), dt.date(2026, 11, 30), now=dt.datetime(2026, 12, 1))
    rows = list(csv.DictReader(io.StringIO(to_csv(report).lstrip("\ufeff"))))
    october = [r for r in rows if r["月份"] == "2026-10"]
    assert len(october) == 1 and october[0]["评价数"] == "3" and october[0]["搜索次数"] == "12"
    assert october[0]["状态"].startswith("已停用") and october[0]["失联超过一天"] == "否"
    assert not [r for r in rows if r["月份"] == "2026-11"]  # not listed for the months after it was revoked
    db.close()


def test_the_report_page_for_a_viewer_and_times_in_beijing(hub: Hub) -> None:
    viewer = _user(hub, "viewer1", "viewer")
    page = requests.get(hub.url + "report", auth=viewer, timeout=30)
    assert page.status_code == 200 and "（北京时间）" in page.text and "(UTC)" not in page.text


def test_rotate_root_with_the_pem_alone(tmp_path: Path, templates: tuple[Path, Path]) -> None:
    import shutil

    hub = Hub(Path(shutil.copytree(templates[0], tmp_path / "hub")))
    safe = tmp_path / "safe"
    safe.mkdir()
    shutil.move(hub.root / "keys" / "offline" / "root.pem", safe / "root.pem")
    (hub.root / "keys" / "offline" / "root.pub.json").unlink()  # only the .pem went to the safe
    assert "root version" in hub.cli("rotate-key", "timestamp", "--root-key", safe / "root.pem").stdout
    assert "root version" in hub.cli("rotate-key", "root", "--root-key", safe / "root.pem").stdout
    stale = hub.cli("rotate-key", "timestamp", "--root-key", safe / "root.pem", check=False)
    assert stale.returncode == 1 and "is not this platform's current root key" in stale.stderr


def test_adding_an_operator_from_a_script_says_how_to_pipe_the_password(hub: Hub) -> None:
    import subprocess

    from sync_harness import PY, REPO, env

    empty = hub.cli("user", "list")
    assert empty.stdout == "" and "no operator accounts yet" in empty.stderr
    done = subprocess.run(
        [PY, "-m", "kiosk_hub.cli", "--data-dir", str(hub.root), "user", "add", "wang", "--role", "handler"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env(), cwd=REPO, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "--password-stdin" in done.stderr
    assert hub.cli("user", "list").stdout == ""  # nothing half-added
