"""The platform under attack (issue 14's numbered findings), against the real hub process."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import socket
import sqlite3
import threading
import uuid
from pathlib import Path
from typing import Any

import requests
from sync_harness import Hub, Terminal

from kiosk.sync.consult import phone_token
from kiosk.sync.device import load_token

CST = dt.timezone(dt.timedelta(hours=8))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _event(kind: str, payload: dict[str, Any], created: str | None = None, eid: str | None = None) -> dict[str, Any]:
    return {"id": eid or uuid.uuid4().hex, "kind": kind, "created": created or _now(), "payload": payload}


def _post(hub: Hub, token: str, path: str, body: Any) -> requests.Response:
    return hub.session.post(hub.url + path, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=10)


def _hour() -> str:
    return dt.datetime.now().strftime("%Y-%m-%dT%H")


def _insert_raw(hub: Hub, device_id: str, kind: str, created: str, payload_text: str) -> None:
    """A row as an older hub stored it, without any check (what the report must survive)."""
    con = sqlite3.connect(hub.root / "hub.sqlite3")
    with con:
        con.execute(
            "INSERT INTO event (event_id, device_id, kind, created, received, payload) VALUES (?, ?, ?, ?, ?, ?)",
            (
                uuid.uuid4().hex,
                device_id,
                kind,
                created,
                dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
                payload_text,
            ),
        )
    con.close()


def _report_csv(hub: Hub) -> list[dict[str, str]]:
    today = dt.datetime.now(CST).date()
    token = (hub.root / "admin.token").read_text().strip()
    reply = hub.session.get(
        hub.url + "report",
        params={"format": "csv", "from": str(today.replace(day=1) - dt.timedelta(days=1)), "to": str(today)},
        auth=("operator", token),
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    return list(csv.DictReader(io.StringIO(reply.text.lstrip("\ufeff"))))


# --- finding 1: one terminal could break the report for everyone ------------------------------------


def test_huge_counts_are_refused_and_old_ones_do_not_break_the_report(hub: Hub, terminal: Terminal) -> None:
    token = load_token(terminal.paths)
    huge = int("9" * 4299)
    reply = _post(hub, token, "api/v1/events", {"events": [_event("usage", {"hours": {_hour(): {"search": 5}}})]})
    assert reply.status_code == 200 and len(reply.json()["acked"]) == 1
    bad = _event("usage", {"hours": {_hour(): {"search": huge}}})
    reply = _post(hub, token, "api/v1/events", {"events": [bad]})
    [rejected] = reply.json()["rejected"]
    assert reply.json()["acked"] == [] and "payload.hours" in rejected["reason"] and "search" in rejected["reason"]
    # two such rows written by an older hub: the report still renders, the sane count is kept
    for _ in range(2):
        _insert_raw(hub, terminal.device_id(), "usage", _now(), json.dumps({"hours": {_hour(): {"search": huge}}}))
    rows = [r for r in _report_csv(hub) if r["终端编号"] == terminal.device_id()]
    assert sum(int(r["搜索次数"]) for r in rows) == 5
    token_admin = (hub.root / "admin.token").read_text().strip()
    assert hub.session.get(hub.url + "report", auth=("x", token_admin), timeout=30).status_code == 200
    today = dt.datetime.now(CST).date()
    cli = hub.cli("report", "--from", str(today - dt.timedelta(days=1)), "--to", str(today), check=False)
    assert cli.returncode == 0 and "Traceback" not in cli.stderr


# --- finding 2: figures could be forged -------------------------------------------------------------


def test_forged_figures_are_refused_naming_the_field(hub: Hub, terminal: Terminal) -> None:
    token = load_token(terminal.paths)
    cases = [
        (_event("usage", {"hours": {_hour(): {"search": -999_993}}}), "search"),
        (_event("usage", {"hours": {"2026-01-15T10": {"search": 123_456_789}}}), "payload.hours"),
        (_event("rating", {"level": 5}, created="2026-01-15T10:00:00+08:00"), "created"),
        (_event("consult", {"outcome": "answered", "wait_seconds": 1e308 * 10}), "wait_seconds"),
        (_event("lottery", {"prize": 1}), "kind"),
        (_event("rating", {"level": 9}), "payload.level"),
    ]
    body = {"events": [event for event, _ in cases]}
    raw = json.dumps(body).replace("Infinity", "1e999")  # a number too large for a float: inf when parsed
    reply = hub.session.post(
        hub.url + "api/v1/events", data=raw, timeout=10,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    assert reply.status_code == 200 and reply.json()["acked"] == []
    reasons = [r["reason"] for r in reply.json()["rejected"]]
    for (_, field), reason in zip(cases, reasons, strict=True):
        assert field in reason, (field, reason)
    # NaN is not JSON: the whole body is refused with a 4xx that says so
    nan = json.dumps({"events": [_event("consult", {"outcome": "answered", "wait_seconds": float("nan")})]})
    reply = hub.session.post(
        hub.url + "api/v1/events", data=nan, timeout=10, headers={"Authorization": f"Bearer {token}"}
    )
    assert reply.status_code == 400 and "NaN" in reply.json()["message"]
    heartbeat = _event("heartbeat", {"settings_in_effect": {"idle_seconds": {"value": 90, "source": "hacked"}}})
    reply = _post(hub, token, "api/v1/heartbeat", heartbeat)
    assert reply.status_code == 400 and "settings_in_effect" in reply.json()["message"]


def test_the_report_ignores_forged_rows_already_stored(hub: Hub, terminal: Terminal) -> None:
    device = terminal.device_id()
    _insert_raw(hub, device, "usage", _now(), json.dumps({"hours": {_hour(): {"search": -999_993}}}))
    _insert_raw(hub, device, "consult", _now(), '{"outcome": "answered", "wait_seconds": NaN}')
    _insert_raw(hub, device, "usage", _now(), json.dumps({"hours": {"2026-01-15T10": {"search": 123_456_789}}}))
    _insert_raw(hub, device, "rating", "2026-01-15T10:00:00+08:00", json.dumps({"level": 5}))
    rows = [r for r in _report_csv(hub) if r["终端编号"] == device]
    assert rows and all(int(r["业务量"]) >= 0 for r in rows)
    assert sum(int(r["搜索次数"]) for r in rows) == 0 and all(r["平均等待秒"] != "nan" for r in rows)
    token = (hub.root / "admin.token").read_text().strip()
    page = hub.session.get(
        hub.url + "report", params={"from": "2026-01-01", "to": "2026-01-31"}, auth=("x", token), timeout=30
    )
    assert page.status_code == 200 and "123456789" not in page.text and "nan" not in page.text


# --- finding 3: HTTP request desync ------------------------------------------------------------------


def _raw(hub: Hub, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", hub.port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def test_one_response_per_request_on_a_kept_alive_connection(hub: Hub) -> None:
    smuggled = b"GET /api/v1/smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
    closing = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    for path in (b"/healthz", b"/report", b"/repo/metadata/timestamp.json", b"/nowhere", b"/api/v1/admin/devices"):
        head = b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(smuggled)
        answer = _raw(hub, head + smuggled + closing)
        assert answer.count(b"HTTP/1.1 ") == 2, (path, answer)
        assert b"smuggled" not in answer and answer.rstrip().endswith(b'{"ok": true}'), (path, answer)
    # a body over the limit: one answer (413), then the connection is closed, nothing parsed from the body
    big = b"POST /api/v1/enrol HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + smuggled * 10
    answer = _raw(hub, big)
    assert answer.count(b"HTTP/1.1 ") == 1 and answer.startswith(b"HTTP/1.1 413"), answer


def test_malformed_requests_get_4xx_not_500(hub: Hub) -> None:
    answer = _raw(hub, b"POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400"), answer
    for path in ("repo/%00", "repo/metadata/%00timestamp.json", "api/v1/%00", "consult%00"):
        status = hub.session.get(hub.url + path, timeout=10).status_code
        assert 400 <= status < 500, (path, status)
    url = hub.url + "repo/metadata/timestamp.json"
    assert hub.session.get(url, headers={"Range": "bytes=100-10"}, timeout=10).status_code == 416
    part = hub.session.get(url, headers={"Range": "bytes=10-19"}, timeout=10)
    assert part.status_code == 206 and len(part.content) == 10
    head = hub.session.head(url, timeout=10)
    assert head.status_code == 200 and int(head.headers["Content-Length"]) == len(hub.session.get(url).content)


# --- finding 4: anyone could flood the video queue -----------------------------------------------------


def test_the_phone_page_needs_a_terminal_token_and_is_limited(hub: Hub, terminal: Terminal) -> None:
    assert hub.session.post(hub.url + "consult", allow_redirects=False, timeout=10).status_code == 403
    forged = f"{terminal.device_id()}.{int(dt.datetime.now().timestamp()) + 600}.{'0' * 32}"
    assert hub.session.post(hub.url + "consult", data={"t": forged}, allow_redirects=False).status_code == 403
    stale = phone_token(terminal.device_id(), load_token(terminal.paths), now=dt.datetime.now().timestamp() - 7200)
    assert hub.session.post(hub.url + "consult", data={"t": stale}, allow_redirects=False).status_code == 403
    good = phone_token(terminal.device_id(), load_token(terminal.paths))
    page = hub.session.get(hub.url + "consult", params={"t": good}, timeout=10)
    assert page.status_code == 200 and "开始视频咨询" in page.text and "tel:12348" in page.text
    codes = [
        hub.session.post(hub.url + "consult", data={"t": good}, allow_redirects=False, timeout=10).status_code
        for _ in range(6)
    ]
    assert codes == [303] * 5 + [429]  # five per address in ten minutes
    limited = hub.session.post(hub.url + "consult", data={"t": good}, allow_redirects=False, timeout=10)
    assert int(limited.headers["Retry-After"]) > 0
    sessions = hub.call("GET", "/api/v1/admin/consult/sessions", admin=True)[1]["sessions"]
    assert len([s for s in sessions if s["device_id"] == "phone"]) == 5
    huge = hub.session.post(
        hub.url + "consult", data=b"t=" + b"x" * 60_000, allow_redirects=False, timeout=10,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert huge.status_code == 413


def test_queue_positions_within_one_second_and_expiry(hub: Hub, terminal: Terminal) -> None:
    token = load_token(terminal.paths)
    made = [_post(hub, token, "api/v1/consult/sessions", {"topic": f"t{i}"}).json() for i in range(4)]
    assert [m["queue_position"] for m in made] == [1, 2, 3, 4]
    again = [_get(hub, token, f"api/v1/consult/sessions/{m['session_id']}")["queue_position"] for m in made]
    assert again == [1, 2, 3, 4]
    # the first waited longer than anyone answers: it leaves the queue as missed, the others move up
    con = sqlite3.connect(hub.root / "hub.sqlite3")
    with con:
        con.execute(
            "UPDATE consult_session SET created = ? WHERE session_id = ?",
            ((dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S"), made[0]["session_id"]),
        )
    con.close()
    first = _get(hub, token, f"api/v1/consult/sessions/{made[0]['session_id']}")
    assert first["status"] == "missed"
    assert _get(hub, token, f"api/v1/consult/sessions/{made[1]['session_id']}")["queue_position"] == 1


def _get(hub: Hub, token: str, path: str) -> dict[str, Any]:
    reply = hub.session.get(hub.url + path, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert reply.status_code == 200, reply.text
    result: dict[str, Any] = reply.json()
    return result


# --- finding 5: /repo/ read whole files into memory --------------------------------------------------


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_serving_a_big_file_keeps_memory_flat(hub: Hub) -> None:
    big = hub.root / "repo" / "targets" / "big.bin"
    with big.open("wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: 100 MB on the wire, nothing on disk
    assert hub.proc is not None
    url = hub.url + "repo/targets/big.bin"
    hub.session.head(url, timeout=10)
    before = _rss(hub.proc.pid)
    peak = [before]
    received: list[int] = []

    def fetch() -> None:
        with requests.get(url, stream=True, timeout=30) as reply:
            n = 0
            for chunk in reply.iter_content(1024 * 1024):
                n += len(chunk)
                peak.append(_rss(hub.proc.pid))  # type: ignore[union-attr]
            received.append(n)

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert received == [100 * 1024 * 1024] * 4
    assert max(peak) - before < 40 * 1024 * 1024, (before, max(peak))  # was +390 MB with whole-file reads


# --- finding 7: event ids were unique across all terminals --------------------------------------------


def test_another_terminals_event_id_is_not_a_duplicate(hub: Hub, terminal: Terminal, tmp_path: Path) -> None:
    other = Terminal(tmp_path / "other")
    other.provision(hub)
    shared = "same-id-" + uuid.uuid4().hex[:8]
    request = {"kind": "callback", "reference": "261203-ABCDEF", "name": "李示例", "phone": "13800000000"}
    for term in (terminal, other):
        reply = _post(
            hub, load_token(term.paths), "api/v1/events", {"events": [_event("request", request, eid=shared)]}
        )
        assert reply.json()["acked"] == [shared]
    con = sqlite3.connect(hub.root / "hub.sqlite3")
    owners = {row[0] for row in con.execute("SELECT device_id FROM event WHERE event_id = ?", (shared,))}
    con.close()
    assert owners == {terminal.device_id(), other.device_id()}
    # the same terminal sending it again is a duplicate: acknowledged, stored once
    reply = _post(hub, load_token(other.paths), "api/v1/events", {"events": [_event("request", request, eid=shared)]})
    assert reply.json()["acked"] == [shared]
    assert [eid for eid, _, _ in hub.events()].count(shared) == 2


# --- finding 8: enrolment, parallel writers, CSV formulas ---------------------------------------------


def _enrol_body(code: str, request_id: str, name: str = "n") -> dict[str, Any]:
    return {"code": code, "request_id": request_id, "name": name, "region_code": "420902",
            "latitude": 30.9, "longitude": 113.9}  # fmt: skip


def test_enrolment_guessing_is_rate_limited(hub: Hub) -> None:
    codes = [hub.call("POST", "/api/v1/enrol", _enrol_body(f"GUES-SABC-{i:04d}", f"r{i}"))[0] for i in range(21)]
    assert codes == [403] * 20 + [429]
    reply = hub.session.post(hub.url + "api/v1/enrol/check", json={"code": hub.enrol_code()}, timeout=10)
    assert reply.status_code == 429 and int(reply.headers["Retry-After"]) > 0  # the check is limited too


def test_parallel_enrolments_all_succeed(hub: Hub) -> None:
    codes = [hub.enrol_code(f"并行{i}") for i in range(16)]
    results: list[int] = []

    def enrol(i: int) -> None:
        with requests.Session() as s:
            results.append(
                s.post(hub.url + "api/v1/enrol", json=_enrol_body(codes[i], f"p{i}"), timeout=60).status_code
            )

    threads = [threading.Thread(target=enrol, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert results == [201] * 16


def test_a_terminal_named_like_a_formula_is_plain_text_in_the_csv(hub: Hub) -> None:
    code = hub.enrol_code()
    name = '=HYPERLINK("http://evil.example/","点我")'
    assert hub.call("POST", "/api/v1/enrol", _enrol_body(code, "f1", name))[0] == 201
    [row] = [r for r in _report_csv(hub) if "HYPERLINK" in r["终端名称"]][:1]
    assert row["终端名称"] == "'" + name


def test_enrol_check_and_device_info(hub: Hub, terminal: Terminal) -> None:
    code = hub.enrol_code("书院街道（示例）")
    reply = hub.session.post(hub.url + "api/v1/enrol/check", json={"code": code}, timeout=10)
    assert reply.status_code == 200 and reply.json() == {"status": "ok", "name": "书院街道（示例）"}
    assert hub.call("POST", "/api/v1/enrol", _enrol_body(code, "c1"))[0] == 201  # the check did not use it
    used = hub.session.post(hub.url + "api/v1/enrol/check", json={"code": code}, timeout=10)
    assert used.status_code == 403 and used.json()["error"] == "code_used"
    unknown = hub.session.post(hub.url + "api/v1/enrol/check", json={"code": "AAAA-BBBB-CCCC"}, timeout=10)
    assert unknown.status_code == 403 and unknown.json()["error"] == "invalid_code"
    token = load_token(terminal.paths)
    info = _get(hub, token, "api/v1/device")
    assert info["device_id"] == terminal.device_id() and info["status"] == "active"
    assert info["region"] == "420902" and info["server_time"].endswith("Z")
    nobody = hub.session.get(hub.url + "api/v1/device", headers={"Authorization": "Bearer nope"}, timeout=10)
    assert nobody.status_code == 401 and nobody.json()["error"] == "unauthorized"
    hub.call("POST", f"/api/v1/admin/devices/{terminal.device_id()}/revoke", admin=True)
    gone = hub.session.get(hub.url + "api/v1/device", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert gone.status_code == 403 and gone.json()["error"] == "device_revoked"


def test_event_uploads_are_limited_per_terminal(hub: Hub, terminal: Terminal) -> None:
    from kiosk_hub.paths import HubPaths

    hub.stop()
    paths = HubPaths(hub.root)
    config = paths.load_config()
    config.rate_limits = {"events:device": [2.0, 3600.0]}  # two batches an hour, for this test
    paths.save_config(config)
    hub.start()
    token = load_token(terminal.paths)
    replies = [
        requests.post(
            hub.url + "api/v1/events",
            json={"events": [_event("rating", {"level": 4})]},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        for _ in range(3)
    ]
    assert [r.status_code for r in replies] == [200, 200, 429]
    assert replies[2].json()["error"] == "rate_limited" and int(replies[2].headers["Retry-After"]) > 1000
    assert [kind for _, kind, _ in hub.events()].count("rating") == 2
