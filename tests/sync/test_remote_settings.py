"""Settings the platform sends with the heartbeat reply, against the real hub on 127.0.0.1: applied and
logged with old → new; unknown, local-only and out-of-range values ignored with a reason; a
technician's change on the terminal stands until the platform changes that setting again."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from sync_harness import Hub, Terminal

from kiosk.config import Config
from kiosk.sync.errors import EXIT_OK


def put_settings(hub: Hub, terminal: Terminal, **settings: Any) -> None:
    status, reply = hub.call("PUT", f"/api/v1/admin/devices/{terminal.device_id()}/settings", settings, admin=True)
    assert status == 200, reply


def heartbeat_line(terminal: Terminal) -> dict[str, Any]:
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_OK, lines
    return next(line for line in lines if line["stage"] == "heartbeat")


def test_changes_are_logged_with_old_and_new(hub: Hub, terminal: Terminal) -> None:
    put_settings(hub, terminal, idle_seconds=240, elder_mode_default=True, announcement="本周六律师坐班（示例）")
    beat = heartbeat_line(terminal)
    assert beat["settings_changed"] == {
        "idle_seconds": {"old": 90, "new": 240},
        "elder_mode_default": {"old": False, "new": True},
        "announcement": {"old": "", "new": "本周六律师坐班（示例）"},
    }
    assert "settings_refused" not in beat
    again = heartbeat_line(terminal)
    assert again["settings_changed"] == {}  # nothing new the second time


def test_unknown_local_only_and_out_of_range_values_are_ignored_with_a_reason(hub: Hub, terminal: Terminal) -> None:
    # Another platform implementation might send anything: written straight into the hub's table.
    sent = {
        "idle_seconds": 5,  # below the 15 s floor
        "sync_interval_minutes": "often",
        "hub_url": "https://elsewhere.example/",  # local-only: the platform may not move a terminal
        "colour": "red",
        "stale_content_days": 3,  # the one good value
    }
    with sqlite3.connect(hub.root / "hub.sqlite3") as db:
        db.execute("UPDATE device SET settings = ? WHERE device_id = ?", (json.dumps(sent), terminal.device_id()))
    before = Config.load(terminal.paths.config_file)
    beat = heartbeat_line(terminal)
    assert beat["settings_changed"] == {"stale_content_days": {"old": 7, "new": 3}}
    refused = beat["settings_refused"]
    assert set(refused) == {"idle_seconds", "sync_interval_minutes", "hub_url", "colour"}
    assert "between 15 and 1800" in refused["idle_seconds"] and "not a valid int" in refused["sync_interval_minutes"]
    assert refused["hub_url"] == "not a setting the platform may change" and refused["colour"] == "unknown setting"
    after = Config.load(terminal.paths.config_file)
    assert after.as_dict() == {**before.as_dict(), "stale_content_days": 3}


def test_a_technicians_change_stands_until_the_platform_changes_the_setting(hub: Hub, terminal: Terminal) -> None:
    put_settings(hub, terminal, idle_seconds=240)
    heartbeat_line(terminal)
    local = Config.load(terminal.paths.config_file)
    local.set("idle_seconds", 120)  # what the admin panel does
    local.save()
    assert heartbeat_line(terminal)["settings_changed"] == {}
    assert Config.load(terminal.paths.config_file).idle_seconds == 120
    put_settings(hub, terminal, idle_seconds=300)
    assert heartbeat_line(terminal)["settings_changed"] == {"idle_seconds": {"old": 120, "new": 300}}
