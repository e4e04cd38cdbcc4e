"""Fleet operations shared by the command line and the pages: finding a terminal by an id prefix,
its settings (the platform's, and what the terminal reports in effect), replacement."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kiosk import config as kiosk_config
from kiosk_hub.db import Device


class FleetError(ValueError):
    pass


def find_device(given: str) -> Device:
    """The terminal whose id is ``given`` or starts with it (at least 4 characters), else a clear error."""
    exact = Device.get_or_none(Device.device_id == given)
    if exact is not None:
        return exact
    if len(given) < 4:
        raise FleetError(f"no terminal {given!r} (give at least 4 characters of its id)")
    matches = list(Device.select().where(Device.device_id.startswith(given)).limit(5))
    if not matches:
        raise FleetError(f"no terminal whose id starts with {given!r}")
    if len(matches) > 1:
        names = ", ".join(f"{d.device_id[:12]}…（{d.name}）" for d in matches)
        raise FleetError(f"{given!r} matches several terminals: {names}; give more characters")
    device: Device = matches[0]
    return device


@dataclass(frozen=True)
class SettingRow:
    name: str
    platform: Any  # the platform's value, or None when it sets none
    in_effect: Any
    source: str  # default / local / platform / "" (the terminal has not reported)

    @property
    def overridden(self) -> bool:
        """A local change on the terminal stands against the platform's value."""
        return self.platform is not None and self.source == "local" and self.in_effect != self.platform


def settings_rows(device: Device) -> list[SettingRow]:
    platform: dict[str, Any] = json.loads(device.settings or "{}")
    status = json.loads(device.last_status) if device.last_status else {}
    reported = status.get("settings_in_effect") if isinstance(status, dict) else None
    reported = reported if isinstance(reported, dict) else {}
    names = [s.name for s in kiosk_config.SETTINGS if s.remote]
    names += [n for n in [*platform, *reported] if n not in names]
    rows = []
    for name in names:
        found = reported.get(name)
        entry: dict[str, Any] = found if isinstance(found, dict) else {}
        rows.append(SettingRow(name, platform.get(name), entry.get("value"), str(entry.get("source", ""))))
    return rows


def parse_value(text: str) -> Any:
    """A value typed on the command line: JSON (60, true, "x"), else the text itself."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    if isinstance(value, dict | list):
        raise FleetError("a setting's value is a number, true/false or text")
    return value
