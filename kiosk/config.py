"""Typed terminal settings, declared once.

The same declarations feed ``kiosk provision``, the admin panel, remote changes from the platform
(only settings marked ``remote``) and validation messages. Values live in ``config.toml`` in the
data folder; a missing file means every default.

Two processes write the file: the kiosk (the admin panel) and the sync service (settings the platform
sends). ``Config.save`` therefore writes only what was changed through that object, on top of the file
as it is now, under an ``flock`` on ``config.toml.lock`` that both share, and atomically (fsync, rename),
so neither loses the other's change and a power cut leaves the old file or the new one.
"""

from __future__ import annotations

import fcntl
import tomllib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from kiosk.fileio import write_atomic
from kiosk.store.errors import KioskError

#: What a setting holds once checked (its declared type).
Value = str | int | float | bool


class ConfigError(KioskError):
    pass


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Value
    description: str
    remote: bool = False  # the platform may change it through the heartbeat reply
    check: Callable[[Value], str | None] | None = None  # returns a reason when the value is bad


def _between(low: float, high: float) -> Callable[[Value], str | None]:
    def check(value: Value) -> str | None:
        if isinstance(value, str):  # declared numeric: coerce has already made it a number
            return f"must be a number between {low} and {high}"
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
        "search_memory_mb",
        int,
        48,
        "memory the search keeps for common words' scores (0: none; ~40 MB for the whole law collection)",
        check=_between(0, 1024),
    ),
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


def coerce(setting: Setting, value: object) -> Value:
    """Turn text or TOML values into the declared type, or raise ConfigError naming the setting."""
    try:
        if setting.type is bool and isinstance(value, str):
            lowered = value.strip().lower()
            if lowered not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(value)
            result: Value = lowered in ("1", "true", "yes", "on")
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


@contextmanager
def config_lock(path: Path) -> Iterator[None]:
    """Hold the lock every writer of ``path`` takes (a separate file: the rename replaces the config's inode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    unknown = sorted(set(raw) - set(BY_NAME))
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(unknown)}")
    return raw


class Config:
    """Current settings of one terminal; ``set`` validates, ``save`` merges the changes into the file."""

    def __init__(self, path: Path, values: Mapping[str, object] | None = None):
        self.path = path
        self._values: dict[str, Value] = {s.name: s.default for s in SETTINGS}
        self._changed: set[str] = set()
        for name, value in (values or {}).items():
            self.set(name, value)

    @classmethod
    def load(cls, path: Path) -> Config:
        config = cls(path, _read(path))
        config._changed.clear()  # as on disk: nothing to write back
        return config

    @classmethod
    def update(cls, path: Path, changes: Mapping[str, object]) -> Config:
        """Set ``changes`` in the file at ``path`` (read, change, write under the lock); returns the result."""
        config = cls(path)
        for name, value in changes.items():
            config.set(name, value)
        config.save()
        return config

    def get(self, name: str) -> Value:
        return self._values[name]

    def set(self, name: str, value: object) -> None:
        if name not in BY_NAME:
            raise ConfigError(f"unknown setting {name!r}")
        self._values[name] = coerce(BY_NAME[name], value)
        self._changed.add(name)

    def as_dict(self) -> dict[str, Value]:
        return dict(self._values)

    def save(self) -> None:
        """Write the settings changed through this object over the file as it is now, under the lock.

        A setting another process changed meanwhile (the admin panel, the platform through sync) and
        this object did not touch is kept; this object's other values are refreshed from the file.
        """
        with config_lock(self.path):
            current = {s.name: s.default for s in SETTINGS}
            current.update((name, coerce(BY_NAME[name], value)) for name, value in _read(self.path).items())
            current.update((name, self._values[name]) for name in self._changed)
            write_atomic(self.path, tomli_w.dumps(current).encode("utf-8"))
        self._values, self._changed = current, set()

    # --- typed access, one property per setting (tests/unit/test_config.py checks they match SETTINGS) ---

    def _str(self, name: str) -> str:
        value = self._values[name]
        assert isinstance(value, str)
        return value

    def _int(self, name: str) -> int:
        value = self._values[name]
        assert isinstance(value, int)
        return value

    def _float(self, name: str) -> float:
        value = self._values[name]
        assert isinstance(value, float)
        return value

    def _bool(self, name: str) -> bool:
        value = self._values[name]
        assert isinstance(value, bool)
        return value

    @property
    def terminal_name(self) -> str:
        return self._str("terminal_name")

    @property
    def region_code(self) -> str:
        return self._str("region_code")

    @property
    def address(self) -> str:
        return self._str("address")

    @property
    def latitude(self) -> float:
        return self._float("latitude")

    @property
    def longitude(self) -> float:
        return self._float("longitude")

    @property
    def hub_url(self) -> str:
        return self._str("hub_url")

    @property
    def idle_seconds(self) -> int:
        return self._int("idle_seconds")

    @property
    def idle_countdown_seconds(self) -> int:
        return self._int("idle_countdown_seconds")

    @property
    def elder_mode_default(self) -> bool:
        return self._bool("elder_mode_default")

    @property
    def orientation(self) -> str:
        return self._str("orientation")

    @property
    def sync_interval_minutes(self) -> int:
        return self._int("sync_interval_minutes")

    @property
    def stale_content_days(self) -> int:
        return self._int("stale_content_days")

    @property
    def search_memory_mb(self) -> int:
        return self._int("search_memory_mb")

    @property
    def consult_answer_seconds(self) -> int:
        return self._int("consult_answer_seconds")

    @property
    def announcement(self) -> str:
        return self._str("announcement")

    @property
    def legal_aid_income_threshold(self) -> int:
        return self._int("legal_aid_income_threshold")
