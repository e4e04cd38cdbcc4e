"""Uploading the outbox and the heartbeat; applying the settings the platform sends back.

An event is deleted from the terminal only after the platform acknowledged its id. The platform
stores each id once, so an upload that is cut after the platform committed (and sent again by the
next run) changes nothing there: exactly-once effect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.outbox import Outbox
from kiosk.sync.device import DeviceState
from kiosk.sync.errors import ProtocolError
from kiosk.sync.http import Http
from kiosk.sync.remote import RemoteResult, apply_remote

BATCH = 500


@dataclass
class PushResult:
    sent: int = 0
    acked: int = 0
    rejected: int = 0
    batches: int = 0


def _ids(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProtocolError(f"events answer: {what} must be a list of ids")
    return value


def push_outbox(outbox: Outbox, http: Http, device: DeviceState, token: str, batch: int = BATCH) -> PushResult:
    result = PushResult()
    outbox.fold_usage()
    up_to = outbox.last_seq()  # events queued while we upload wait for the next run: the loop ends
    try:
        while True:
            events = outbox.pending(batch, up_to)
            if not events:
                break
            sent = {e.id for e in events}
            _, reply = http.call("POST", device.api("events"), {"events": [e.to_json() for e in events]}, token)
            acked = [eid for eid in _ids(reply.get("acked"), "acked") if eid in sent]
            rejected_raw = reply.get("rejected", [])
            if not isinstance(rejected_raw, list):
                raise ProtocolError("events answer: rejected must be a list")
            rejected = []
            for item in rejected_raw:
                if not isinstance(item, dict) or not isinstance(item.get("reason", ""), str):
                    raise ProtocolError("events answer: each rejected entry must be an object with a reason")
                if isinstance(item.get("id"), str) and item["id"] in sent:
                    rejected.append((item["id"], item.get("reason") or "rejected"))
            if not acked and not rejected:
                raise ProtocolError("the platform acknowledged none of the events sent")
            outbox.acknowledge(acked)
            outbox.reject(rejected)
            result.sent += len(events)
            result.acked += len(acked)
            result.rejected += len(rejected)
            result.batches += 1
    finally:
        if result.acked:
            outbox.purge_wal()
    return result


@dataclass
class HeartbeatResult:
    event_id: str
    settings: RemoteResult = field(default_factory=RemoteResult)
    server_time: str | None = None


def send_heartbeat(
    outbox: Outbox,
    http: Http,
    device: DeviceState,
    token: str,
    status: dict[str, Any],
    config: Config,
    state_dir: Path,
) -> HeartbeatResult:
    """Queue a heartbeat (kept if the platform cannot be reached), send it, apply remote settings."""
    eid = outbox.enqueue("heartbeat", status)
    event = outbox.get(eid)
    assert event is not None
    _, reply = http.call("POST", device.api("heartbeat"), event.to_json(), token)
    if reply.get("acked") != eid:
        raise ProtocolError("heartbeat answer does not acknowledge the heartbeat sent")
    outbox.acknowledge([eid])
    outbox.purge_wal()
    result = HeartbeatResult(
        eid, server_time=reply.get("server_time") if isinstance(reply.get("server_time"), str) else None
    )
    settings = reply.get("settings", {})
    if not isinstance(settings, dict):
        raise ProtocolError("heartbeat answer: settings must be an object")
    result.settings = apply_remote(config, settings, state_dir)
    return result
