"""Settings the platform sends in the heartbeat reply, applied to ``config.toml``.

Only settings declared ``remote`` in :mod:`kiosk.config` are taken, each checked like local input;
anything else is refused with a reason (and logged by the run). A setting is applied when the
platform's value differs from the one it sent last time (``state/remote_settings.json``), so a
technician's change in the admin panel stands until the platform changes that setting again — the
platform learns of the local change from the ``admin`` event the panel queues.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.config import BY_NAME, Config, ConfigError, coerce
from kiosk.fileio import write_atomic

REMOTE_FILE = "remote_settings.json"


@dataclass
class RemoteResult:
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # name → (old, new)
    refused: dict[str, str] = field(default_factory=dict)  # name → why it was ignored

    def log_fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {"settings_changed": {k: {"old": o, "new": n} for k, (o, n) in self.changed.items()}}
        if self.refused:
            out["settings_refused"] = dict(self.refused)
        return out


def _last_seen(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def apply_remote(config: Config, settings: dict[str, Any], state_dir: Path) -> RemoteResult:
    """Apply what the platform asks for to ``config`` (saved when anything changed)."""
    result = RemoteResult()
    path = state_dir / REMOTE_FILE
    before = _last_seen(path)
    seen: dict[str, Any] = {}
    for name, raw in settings.items():
        setting = BY_NAME.get(name)
        if setting is None:
            result.refused[name] = "unknown setting"
            continue
        if not setting.remote:
            result.refused[name] = "not a setting the platform may change"
            continue
        try:
            value = coerce(setting, raw)
        except ConfigError as exc:
            result.refused[name] = str(exc)
            continue
        seen[name] = value
        if name in before and before[name] == value:
            continue  # unchanged on the platform: a local change made since stands
        old = config.get(name)
        if old != value:
            config.set(name, value)
            result.changed[name] = (old, value)
    if result.changed:
        config.save()
    if seen != before:
        write_atomic(path, json.dumps(seen, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return result
