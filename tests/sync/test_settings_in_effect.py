"""The heartbeat tells the platform which value of each fleet setting is in effect and where it comes
from, so a technician's local change never overrides the platform silently."""

from __future__ import annotations

from typing import Any

from sync_harness import Hub, Terminal

from kiosk.config import Config
from kiosk.sync.errors import EXIT_OK


def last_reported(hub: Hub, terminal: Terminal) -> dict[str, Any]:
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_OK, lines
    status, reply = hub.call("GET", "/api/v1/admin/devices", admin=True)
    assert status == 200
    device = next(d for d in reply["devices"] if d["device_id"] == terminal.device_id())
    reported: dict[str, Any] = device["status"]["settings_in_effect"]
    return reported


def test_heartbeat_reports_each_setting_with_its_source(hub: Hub, terminal: Terminal) -> None:
    status, _ = hub.call(
        "PUT", f"/api/v1/admin/devices/{terminal.device_id()}/settings", {"idle_seconds": 240}, admin=True
    )
    assert status == 200
    reported = last_reported(hub, terminal)  # this heartbeat brings the platform's value back
    assert reported["idle_seconds"] == {"value": 90, "source": "default"}
    assert reported["elder_mode_default"] == {"value": False, "source": "default"}
    assert "hub_url" not in reported  # only the settings the platform may change
    assert last_reported(hub, terminal)["idle_seconds"] == {"value": 240, "source": "platform"}
    local = Config.load(terminal.paths.config_file)
    local.set("idle_seconds", 120)  # the technician's change in the admin panel
    local.save()
    assert last_reported(hub, terminal)["idle_seconds"] == {"value": 120, "source": "local"}
