"""The admin PIN: stored only as an argon2 hash; five wrong PINs lock entry for five minutes.

Both the hash and the lockout live in small files under ``paths.state_dir``, so a restart neither
forgets the PIN nor lifts a lockout.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.fileio import write_atomic

log = logging.getLogger(__name__)

PIN_FILE = "admin_pin.argon2"
LOCK_FILE = "admin_lockout.json"
MAX_ATTEMPTS = 5
LOCKOUT_SECONDS = 300


@dataclass(frozen=True)
class PinResult:
    ok: bool
    attempts_left: int
    locked_seconds: int  # > 0 while entry is locked
    message: str


def _write_atomic(path: Path, text: str) -> None:
    write_atomic(path, text.encode("utf-8"), 0o600)  # the PIN hash and lockout: nobody else reads them


MIN_PIN, MAX_PIN = 6, 12
COMMON_PINS = {"123123", "112233", "121212", "520520", "521521", "147258", "159753", "741852", "123321"}


def pin_problem(pin: str) -> str | None:
    if not pin.isascii() or not pin.isdigit():
        return "管理密码只能是数字"
    if not MIN_PIN <= len(pin) <= MAX_PIN:
        return f"管理密码需要 {MIN_PIN} 到 {MAX_PIN} 位数字"
    if len(set(pin)) == 1:
        return "管理密码不能是同一个数字重复（如 000000）"
    steps = {int(b) - int(a) for a, b in pairwise(pin)}
    if steps in ({1}, {-1}):
        return "管理密码不能是连续数字（如 123456）"
    if pin in COMMON_PINS or pin[: len(pin) // 2] * 2 == pin:
        return "管理密码太容易猜到，请换一个"
    return None


def valid_pin(pin: str) -> bool:
    """The one PIN rule (:func:`pin_problem`): enrolment, the wizard, the CLI and the panel share it."""
    return pin_problem(pin) is None


class PinGuard:
    def __init__(
        self,
        state_dir: Path,
        clock: Callable[[], float] = time.time,
        max_attempts: int = MAX_ATTEMPTS,
        lockout_seconds: int = LOCKOUT_SECONDS,
    ):
        self.pin_file = state_dir / PIN_FILE
        self.lock_file = state_dir / LOCK_FILE
        self.clock = clock
        self.max_attempts = max_attempts
        self.lockout_seconds = lockout_seconds
        self._hasher = PasswordHasher()

    # --- the PIN ----------------------------------------------------------------------------------

    def has_pin(self) -> bool:
        return self.pin_file.is_file() and self.pin_file.read_text(encoding="ascii").startswith("$argon2")

    def set_pin(self, pin: str) -> None:
        if not valid_pin(pin):
            raise ValueError(pin_problem(pin))
        _write_atomic(self.pin_file, self._hasher.hash(pin))
        self._save_lock(0, 0.0)

    # --- lockout state ----------------------------------------------------------------------------

    def _load_lock(self) -> tuple[int, float]:
        try:
            data = json.loads(self.lock_file.read_text(encoding="utf-8"))
            return int(data.get("failures", 0)), float(data.get("locked_until", 0.0))
        except (OSError, ValueError, TypeError, AttributeError):
            return 0, 0.0

    def _save_lock(self, failures: int, locked_until: float) -> None:
        _write_atomic(self.lock_file, json.dumps({"failures": failures, "locked_until": locked_until}))

    def locked_seconds(self) -> int:
        _failures, until = self._load_lock()
        now = self.clock()
        # A clock set backwards must not stretch the lockout beyond its length.
        remaining = min(until - now, self.lockout_seconds)
        return max(0, math.ceil(remaining))

    def attempts_left(self) -> int:
        failures, _until = self._load_lock()
        return max(0, self.max_attempts - failures)

    # --- checking ---------------------------------------------------------------------------------

    def verify(self, pin: str) -> PinResult:
        locked = self.locked_seconds()
        if locked:
            _log("admin_pin_locked", seconds_left=locked)
            return PinResult(False, 0, locked, f"已锁定，请 {math.ceil(locked / 60)} 分钟后再试")
        failures, until = self._load_lock()
        if until:  # an expired lockout starts a fresh round of attempts
            failures = 0
        if not self.has_pin():
            return PinResult(False, self.max_attempts - failures, 0, "尚未设置管理密码，请用 kiosk provision 设置")
        ok: bool
        try:
            ok = self._hasher.verify(self.pin_file.read_text(encoding="ascii").strip(), pin)
        except (VerificationError, InvalidHashError):
            ok = False
        if ok:
            self._save_lock(0, 0.0)
            _log("admin_pin_ok")
            return PinResult(True, self.max_attempts, 0, "")
        failures += 1
        if failures >= self.max_attempts:
            self._save_lock(failures, self.clock() + self.lockout_seconds)
            _log("admin_pin_lockout", failures=failures, lockout_seconds=self.lockout_seconds)
            minutes = self.lockout_seconds // 60
            return PinResult(False, 0, self.lockout_seconds, f"密码错误次数过多，已锁定 {minutes} 分钟")
        self._save_lock(failures, 0.0)
        left = self.max_attempts - failures
        _log("admin_pin_failed", attempts_left=left)
        return PinResult(False, left, 0, f"密码错误，还可尝试 {left} 次")


def _log(event: str, **detail: int) -> None:
    """One journal line per PIN attempt (never the PIN itself)."""
    level = logging.INFO if event == "admin_pin_ok" else logging.WARNING
    log.log(level, json.dumps({"event": event, **detail}))
