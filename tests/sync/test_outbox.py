"""Events up: exactly-once effect, batches, acknowledgement, secure deletion, remote settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sync_harness import Hub, Terminal

from kiosk.config import Config
from kiosk.outbox import Outbox, OutboxError
from kiosk.sync.errors import EXIT_OK, EXIT_UNREACHABLE


def _ids(hub: Hub, kind: str) -> list[str]:
    return [eid for eid, k, _ in hub.events() if k == kind]


def test_events_reach_the_hub_once_and_leave_the_terminal(hub: Hub, terminal: Terminal) -> None:
    outbox = Outbox.open(terminal.paths)
    sent = [outbox.enqueue("rating", {"service": "laws", "level": n % 5 + 1}) for n in range(1200)]
    assert outbox.pending_count() == 1200 and len(set(sent)) == 1200
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_OK, lines
    pushed = next(line for line in lines if line["stage"] == "outbox")
    assert pushed["batches"] == 3 and pushed["acked"] == 1200
    assert sorted(_ids(hub, "rating")) == sorted(sent)
    assert outbox.pending_count() == 0


def test_cut_acknowledgement_does_not_double(hub: Hub, terminal: Terminal) -> None:
    outbox = Outbox.open(terminal.paths)
    sent = [outbox.enqueue("request", {"type": "appointment", "n": n}) for n in range(10)]
    # the hub commits, then the answer is lost: every time, so this run gives up
    hub.faults({"match": "/api/v1/events", "action": "cut", "after_bytes": 5, "times": -1})
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_UNREACHABLE, lines
    assert sorted(_ids(hub, "request")) == sorted(sent)  # stored by the hub …
    assert outbox.pending_count() == 10  # … but not acknowledged: the terminal keeps them
    hub.reset()
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_OK, lines
    assert sorted(_ids(hub, "request")) == sorted(sent)  # sent again, stored once
    assert outbox.pending_count() == 0


def test_acknowledged_personal_data_leaves_no_trace_on_disk(hub: Hub, terminal: Terminal) -> None:
    phone = "13912345678"
    outbox = Outbox.open(terminal.paths)
    outbox.enqueue("request", {"type": "call-back", "name": "张三", "phone": phone})
    files = [terminal.paths.outbox_db, Path(f"{terminal.paths.outbox_db}-wal")]
    assert any(phone.encode() in f.read_bytes() for f in files if f.exists())
    result, _ = terminal.sync()
    assert result.exit_code == EXIT_OK
    outbox.close()
    for f in terminal.paths.root.glob("outbox.sqlite3*"):
        assert phone.encode() not in f.read_bytes(), f


def test_usage_counters_become_one_event(hub: Hub, terminal: Terminal) -> None:
    outbox = Outbox.open(terminal.paths)
    for _ in range(3):
        outbox.count("screen.laws")
    outbox.count("screen.cases", 2)
    earlier = dt.datetime.now() - dt.timedelta(hours=3)  # the hub takes hours since the terminal's enrolment
    outbox.count("screen.laws", at=earlier)
    result, _ = terminal.sync()
    assert result.exit_code == EXIT_OK
    usage = [payload for _, kind, payload in hub.events() if kind == "usage"]
    now = dt.datetime.now().strftime("%Y-%m-%dT%H")
    hour = earlier.strftime("%Y-%m-%dT%H")
    assert usage == [{"hours": {hour: {"screen.laws": 1}, now: {"screen.cases": 2, "screen.laws": 3}}}]


def test_rejected_event_is_kept_not_resent(hub: Hub, terminal: Terminal) -> None:
    outbox = Outbox.open(terminal.paths)
    good = outbox.enqueue("rating", {"level": 5})
    outbox.db.execute_sql(
        "INSERT INTO outbox_event (id, kind, created, payload) VALUES ('bad-id-01', 'rating', 'x', '{}')"
    )  # written by a buggy older version: the hub refuses it
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_OK, lines
    assert _ids(hub, "rating") == [good]
    assert outbox.pending_count() == 0 and outbox.rejected_count() == 1


def test_action_and_event_share_one_transaction(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    outbox.db.execute_sql("CREATE TABLE my_request (ref TEXT)")
    with pytest.raises(RuntimeError), outbox.transaction():
        eid = outbox.enqueue("request", {"type": "complaint"})
        outbox.db.execute_sql("INSERT INTO my_request VALUES (?)", (eid,))
        raise RuntimeError("screen crashed before confirming")
    assert outbox.pending_count() == 0
    assert outbox.db.execute_sql("SELECT COUNT(*) FROM my_request").fetchone()[0] == 0
    with outbox.transaction():
        eid = outbox.enqueue("request", {"type": "complaint"})
        outbox.db.execute_sql("INSERT INTO my_request VALUES (?)", (eid,))
    assert outbox.pending_count() == 1
    for bad in (
        lambda: outbox.enqueue("Bad Kind", {}),
        lambda: outbox.enqueue("rating", {"x": float("nan")}),
        lambda: outbox.enqueue("rating", {"big": "x" * 70_000}),
    ):
        with pytest.raises(OutboxError):
            bad()
    pragmas = {
        name: outbox.db.execute_sql(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "secure_delete")
    }
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "secure_delete": 1}


def test_remote_settings_arrive_with_the_heartbeat(hub: Hub, terminal: Terminal) -> None:
    device_id = hub.call("GET", "/api/v1/admin/devices", admin=True)[1]["devices"][0]["device_id"]
    status, reply = hub.call("PUT", f"/api/v1/admin/devices/{device_id}/settings", {"terminal_name": "x"}, admin=True)
    assert status == 400  # not a remote setting
    status, reply = hub.call(
        "PUT",
        f"/api/v1/admin/devices/{device_id}/settings",
        {"sync_interval_minutes": 30, "announcement": "端午节放假通知"},
        admin=True,
    )
    assert status == 200, reply
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_OK
    beat = next(line for line in lines if line["stage"] == "heartbeat")
    assert sorted(beat["settings_changed"]) == ["announcement", "sync_interval_minutes"]
    config = Config.load(terminal.paths.config_file)
    assert config.sync_interval_minutes == 30 and config.announcement == "端午节放假通知"
    # One clock for hub and terminal: the hub stamped its answer (to the second) before the terminal read it.
    assert isinstance(beat["clock_skew_s"], int) and beat["clock_skew_s"] <= 0
