"""Flaky village networks, injected at the real hub: cuts, 5xx, 429, stalls, revocation, outage."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_harness import FAST, Hub, Terminal

from kiosk.outbox import Outbox
from kiosk.sync.errors import EXIT_NOT_PROVISIONED, EXIT_OK, EXIT_UNREACHABLE
from kiosk.sync.status import read_status


@pytest.fixture
def fresh(tmp_path: Path, hub: Hub) -> Terminal:
    term = Terminal(tmp_path / "fresh")
    term.provision(hub)
    return term


def _snapshot_path(hub: Hub) -> tuple[str, int]:
    path = next((hub.root / "repo" / "targets" / "content").glob("*.snapshot-1.jsonl.gz"))
    return "/repo/targets/content/" + path.name, path.stat().st_size


def _requests(hub: Hub, path: str) -> list[dict[str, object]]:
    return [entry for entry in hub.log() if entry["path"] == path]


def test_cut_download_resumes_in_the_same_run(hub: Hub, fresh: Terminal) -> None:
    path, size = _snapshot_path(hub)
    hub.faults({"match": path, "action": "cut", "after_bytes": 100_000, "times": 1})
    result, lines = fresh.sync()
    assert result.exit_code == EXIT_OK, lines
    seen = _requests(hub, path)
    assert len(seen) == 2 and seen[0]["range"] is None and seen[1]["status"] == 206
    assert seen[1]["range"] == "bytes=100000-"  # every byte received before the cut was kept
    assert sum(int(str(e["sent"])) for e in seen) == size  # and none was fetched twice


def test_cut_download_resumes_in_the_next_run(hub: Hub, fresh: Terminal) -> None:
    path, size = _snapshot_path(hub)
    hub.faults({"match": path, "action": "cut", "after_bytes": 50_000, "times": FAST.attempts})
    result, lines = fresh.sync()
    assert result.exit_code == EXIT_UNREACHABLE, lines
    assert fresh.version() is None
    parts = list((fresh.paths.state_dir / "sync" / "downloads").glob("*.part"))
    assert len(parts) == 1 and parts[0].stat().st_size == 150_000  # three cuts of 50 kB each, all kept
    kept = parts[0].stat().st_size
    result, lines = fresh.sync()
    assert result.exit_code == EXIT_OK, lines
    seen = _requests(hub, path)
    assert seen[-1]["range"] == f"bytes={kept}-"
    assert sum(int(str(e["sent"])) for e in seen) == size


def test_5xx_is_retried(hub: Hub, terminal: Terminal) -> None:
    hub.faults({"match": "/repo/metadata/timestamp.json", "action": "status", "status": 503, "times": 2})
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_OK, lines
    assert [e["status"] for e in _requests(hub, "/repo/metadata/timestamp.json")] == [503, 503, 200]


def test_429_retry_after_is_honoured(hub: Hub, terminal: Terminal) -> None:
    Outbox.open(terminal.paths).enqueue("rating", {"service": "laws", "level": 5})
    hub.faults({"match": "/api/v1/events", "action": "status", "status": 429, "retry_after": "1", "times": 1})
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_OK, lines
    seen = _requests(hub, "/api/v1/events")
    assert [e["status"] for e in seen] == [429, 200]
    assert float(str(seen[1]["time"])) - float(str(seen[0]["time"])) >= 0.95
    assert [kind for _, kind, _ in hub.events()].count("rating") == 1


def test_retry_after_beyond_the_limit_ends_the_run(hub: Hub, terminal: Terminal) -> None:
    hub.faults(
        {
            "match": "/repo/metadata/timestamp.json",
            "action": "status",
            "status": 503,
            "retry_after": "3600",
            "times": -1,
        }
    )
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_UNREACHABLE, lines
    # Given up at the first answer: not asked again (a run that waited an hour would hit the test timeout).
    assert [e["status"] for e in _requests(hub, "/repo/metadata/timestamp.json")] == [503]
    assert "asked to come back in 3600 s" in result.message, result.message
    assert terminal.version() == 1


def test_stalled_response_times_out_and_resumes(hub: Hub, fresh: Terminal) -> None:
    path, _ = _snapshot_path(hub)
    # The stall outlasts the test timeout: only the client's read timeout can end it.
    hub.faults({"match": path, "action": "stall", "after_bytes": 200_000, "seconds": 3600, "times": 1})
    result, lines = fresh.sync()
    assert result.exit_code == EXIT_OK, lines
    seen = _requests(hub, path)
    assert seen[1]["range"] == "bytes=200000-" and fresh.version() == 1


def test_stalled_api_times_out(hub: Hub, terminal: Terminal) -> None:
    Outbox.open(terminal.paths).enqueue("rating", {"level": 4})
    # Every API answer stalls longer than the test timeout: only the client's read timeout ends the run.
    hub.faults({"match": "/api/v1/", "action": "stall", "seconds": 3600, "times": -1})
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_UNREACHABLE, lines
    assert Outbox.open(terminal.paths).pending_count() == 1  # nothing lost


def test_revoked_device(hub: Hub, terminal: Terminal) -> None:
    outbox = Outbox.open(terminal.paths)
    outbox.enqueue("request", {"type": "call-back", "phone": "13800000000"})
    before = hub.events()
    device_id = hub.call("GET", "/api/v1/admin/devices", admin=True)[1]["devices"][0]["device_id"]
    status, _ = hub.call("POST", f"/api/v1/admin/devices/{device_id}/revoke", admin=True)
    assert status == 200
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_NOT_PROVISIONED, lines
    outbox_line = next(line for line in lines if line["stage"] == "outbox")
    assert outbox_line["reason"] == "device_revoked"
    assert outbox.pending_count() == 1 and hub.events() == before
    assert read_status(terminal.paths).result == "not_provisioned"


def test_platform_down_keeps_content_and_events(hub: Hub, terminal: Terminal) -> None:
    Outbox.open(terminal.paths).enqueue("rating", {"level": 3})
    hub.stop()
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_UNREACHABLE, lines
    assert terminal.version() == 1 and Outbox.open(terminal.paths).pending_count() == 1
    status = read_status(terminal.paths)
    assert status.result == "unreachable" and status.content_version == 1
