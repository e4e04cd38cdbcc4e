"""Which value of each fleet setting is in effect on this terminal, and where it comes from.

Three sources: the declared ``default``; a ``local`` change (the admin panel, ``kiosk provision`` or an
edited ``config.toml``); the ``platform`` (the heartbeat reply, remembered in
``state/remote_settings.json`` by :mod:`kiosk.sync.remote`). A technician's change stands until the
platform changes that setting again, but never silently: the panel shows both values and the heartbeat
reports the value in effect with its source (``settings_in_effect``), so the platform sees the override.

Qt-free and light: the sync runner imports it to build the heartbeat.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.config import SETTINGS, Config

#: Written by kiosk.sync.remote: the values the platform sent last.
REMOTE_FILE = "remote_settings.json"

DEFAULT, LOCAL, PLATFORM = "default", "local", "platform"
SOURCE_NAMES = {DEFAULT: "默认", LOCAL: "本机设置", PLATFORM: "平台下发"}


@dataclass(frozen=True)
class SettingInEffect:
    name: str
    value: Any
    source: str  # default / local / platform
    platform_value: Any = None  # what the platform asked for, when it asked (may differ from value)
    platform_set: bool = False


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def settings_in_effect(config: Config, state_dir: Path, remote_only: bool = True) -> list[SettingInEffect]:
    platform = _read(state_dir / REMOTE_FILE)
    out = []
    for setting in SETTINGS:
        if remote_only and not setting.remote:
            continue
        value = config.get(setting.name)
        asked = setting.name in platform
        if asked and platform[setting.name] == value:
            source = PLATFORM
        elif value == setting.default and not asked:
            source = DEFAULT
        else:
            source = LOCAL  # set on the terminal (and, when the platform asked otherwise, standing against it)
        out.append(SettingInEffect(setting.name, value, source, platform.get(setting.name), asked))
    return out


def heartbeat_settings(config: Config, state_dir: Path) -> dict[str, dict[str, Any]]:
    """``settings_in_effect`` for the heartbeat: ``{name: {"value": v, "source": s}}``."""
    return {s.name: {"value": s.value, "source": s.source} for s in settings_in_effect(config, state_dir)}
