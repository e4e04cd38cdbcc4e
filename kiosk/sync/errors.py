"""Errors of the sync client, each tied to the exit code ``kiosk sync`` reports for it.

Every failure that comes from outside (the network, the platform's answers, packages, metadata)
surfaces as one of these; anything else escaping a stage is a bug and reported as an internal error.
"""

from __future__ import annotations

from kiosk.store.errors import KioskError

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_NOT_PROVISIONED = 3
EXIT_UNREACHABLE = 4
EXIT_REFUSED = 5
EXIT_BUSY = 6

EXIT_NAMES = {
    EXIT_OK: "ok",
    EXIT_INTERNAL: "internal_error",
    EXIT_NOT_PROVISIONED: "not_provisioned",
    EXIT_UNREACHABLE: "unreachable",
    EXIT_REFUSED: "refused",
    EXIT_BUSY: "busy",
}

#: When stages end differently, the run reports the most serious outcome (first in this list).
EXIT_PRIORITY = (EXIT_INTERNAL, EXIT_NOT_PROVISIONED, EXIT_REFUSED, EXIT_UNREACHABLE, EXIT_OK)


class SyncError(KioskError):
    """Base of every sync failure; ``exit_code`` is what ``kiosk sync`` exits with."""

    exit_code = EXIT_INTERNAL
    reason = "sync_error"


class NotProvisioned(SyncError):
    exit_code = EXIT_NOT_PROVISIONED
    reason = "not_provisioned"


class DeviceRevoked(NotProvisioned):
    reason = "device_revoked"


class PlatformUnreachable(SyncError):
    """The platform could not be reached or kept failing (network, 5xx, 429, timeouts)."""

    exit_code = EXIT_UNREACHABLE
    reason = "unreachable"


class VerificationRefused(SyncError):
    """Something the platform sent failed verification; nothing of it was used."""

    exit_code = EXIT_REFUSED
    reason = "refused"


class PackageError(VerificationRefused):
    """A content package is malformed or does not fit the local content."""

    reason = "bad_package"


class ProtocolError(VerificationRefused):
    """An API answer is malformed, of the wrong type, or larger than allowed."""

    reason = "bad_response"


class SyncBusy(SyncError):
    exit_code = EXIT_BUSY
    reason = "busy"


def worst(codes: list[int]) -> int:
    for code in EXIT_PRIORITY:
        if code in codes:
            return code
    return EXIT_OK
