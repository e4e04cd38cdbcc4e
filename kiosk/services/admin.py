"""The admin PIN for the screens: the guard itself lives in :mod:`kiosk.admin_pin`, below sync and
provisioning (enrolment stores the PIN), so those layers need not import services."""

from __future__ import annotations

from kiosk.admin_pin import LOCK_FILE, LOCKOUT_SECONDS, MAX_ATTEMPTS, PIN_FILE, PinGuard, PinResult, valid_pin

__all__ = ["LOCKOUT_SECONDS", "LOCK_FILE", "MAX_ATTEMPTS", "PIN_FILE", "PinGuard", "PinResult", "valid_pin"]
