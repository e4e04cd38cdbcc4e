"""Typed terminal settings, declared once.

The same declarations feed ``kiosk provision``, the admin panel, remote changes from the platform
(only settings marked ``remote``) and validation messages. Values live in ``config.toml`` in the
data folder; a missing file means every default.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from kiosk.store.errors import KioskError


class ConfigError(KioskError):
    pass


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    description: str
    remote: bool = False  # the platform may change it through the heartbeat reply
    check: Callable[[Any], str | None] | None = None  # returns a reason when the value is bad


def _between(low: float, high: float) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if low <= value <= high else f"must be between {low} and {high}"

    return check


SETTINGS: tuple[Setting, ...] = (
    Setting("terminal_name", str, "", "终端名称, shown in the admin panel and reports"),
    Setting("region_code", str, "420902", "区划代码 of the terminal's county (or town)"),
    Setting("address", str, "", "where the terminal stands"),
    Setting("latitude", float, 30.9246, "terminal latitude (WGS-84)", check=_between(29.0, 33.3)),
    Setting("longitude", float, 113.9167, "terminal longitude (WGS-84)", check=_between(108.3, 116.2)),
    Setting("hub_url", str, "", "provincial platform address"),
    Setting("idle_seconds", int, 90, "seconds without a touch before the privacy countdown", True, _between(15, 1800)),
    Setting("idle_countdown_seconds", int, 15, "length of the visible countdown", check=_between(5, 120)),
    Setting("elder_mode_default", bool, False, "start every session in elder mode (适老化)", True),
    Setting(
        "orientation",
        str,
        "portrait",
        "portrait or landscape",
        check=lambda v: None if v in ("portrait", "landscape") else "must be portrait or landscape",
    ),
    Setting("sync_interval_minutes", int, 60, "minutes between background syncs", True, _between(5, 1440)),
    Setting("stale_content_days", int, 7, "warn in the header when the last sync is older", True, _between(1, 90)),
    Setting(
        "consult_answer_seconds",
        int,
        30,
        "wait for a lawyer before offering 12348 and call-back",
        True,
        _between(10, 300),
    ),
    Setting("announcement", str, "", "announcement text shown on the home screen", True),
    Setting(
        "legal_aid_income_threshold",
        int,
        2010,
        "monthly income per family member under which hardship is assumed (元)",
        True,
        _between(0, 100000),
    ),
)
BY_NAME = {s.name: s for s in SETTINGS}


def coerce(setting: Setting, value: Any) -> Any:
    """Turn text or TOML values into the declared type, or raise ConfigError naming the setting."""
    try:
        if setting.type is bool and isinstance(value, str):
            lowered = value.strip().lower()
            if lowered not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(value)
            result: Any = lowered in ("1", "true", "yes", "on")
        elif setting.type is bool and not isinstance(value, bool):
            raise ValueError(value)
        else:
            result = setting.type(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{setting.name}: {value!r} is not a valid {setting.type.__name__}") from None
    if setting.check:
        reason = setting.check(result)
        if reason:
            raise ConfigError(f"{setting.name}: {value!r} {reason}")
    return result


class Config:
    """Current settings of one terminal; ``set`` validates, ``save`` writes atomically."""

    def __init__(self, path: Path, values: dict[str, Any] | None = None):
        self.path = path
        self._values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
        for name, value in (values or {}).items():
            self.set(name, value)

    @classmethod
    def load(cls, path: Path) -> Config:
        if not path.exists():
            return cls(path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from None
        unknown = sorted(set(raw) - set(BY_NAME))
        if unknown:
            raise ConfigError(f"{path}: unknown setting(s) {', '.join(unknown)}")
        return cls(path, raw)

    def get(self, name: str) -> Any:
        return self._values[name]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in BY_NAME:
            raise AttributeError(name)
        return self._values[name]

    def set(self, name: str, value: Any) -> None:
        if name not in BY_NAME:
            raise ConfigError(f"unknown setting {name!r}")
        self._values[name] = coerce(BY_NAME[name], value)

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(tomli_w.dumps(self._values), encoding="utf-8")
        tmp.replace(self.path)
