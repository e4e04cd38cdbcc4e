"""Enrol a terminal from checked values, then (optionally) run its first sync, reporting each stage."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.config import Config
from kiosk.paths import DataPaths
from kiosk.provisioning.probe import unreachable_message, untrusted_message
from kiosk.provisioning.validate import Enrolment, problems
from kiosk.store.errors import KioskError
from kiosk.sync import errors as E

log = logging.getLogger(__name__)

#: What the platform's refusal codes mean for the technician.
ENROL_REFUSALS = {
    "invalid_code": "注册码无效：请核对，或在平台上重新生成（kiosk-hub enrol-code）",
    "code_used": "这个注册码已经用过了：每个注册码只能注册一台终端，请向平台申请新的",
    "code_expired": "这个注册码已过期：请向平台申请新的",
}


class EnrolmentFailed(KioskError):
    """Enrolment did not happen; ``field`` names the value to fix ("hub", "code", …) when known."""

    def __init__(self, field: str | None, message: str, exit_code: int = E.EXIT_INTERNAL):
        super().__init__(message)
        self.field = field
        self.message = message
        self.exit_code = exit_code


class InvalidValues(KioskError):
    def __init__(self, found: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in found.items()))
        self.problems = found


@dataclass(frozen=True)
class Enrolled:
    device_id: str
    hub_url: str


def enrol(paths: DataPaths, values: Enrolment, force: bool = False) -> Enrolled:
    """Check every value, enrol with the platform, store orientation and elder-mode default.

    Nothing is written unless the platform accepted the enrolment.
    """
    found = problems(values)
    if found:
        raise InvalidValues(found)
    from kiosk.sync.device import AlreadyProvisioned, provision

    v = values.resolved()
    assert v.lat is not None and v.lon is not None
    try:
        state = provision(
            paths,
            hub_url=v.hub.strip(),
            code=v.code.strip(),
            name=v.name.strip(),
            region=v.region.strip(),
            lat=v.lat,
            lon=v.lon,
            pin=v.pin,
            address=v.address.strip(),
            allow_http=v.allow_http,
            force=force,
        )
    except AlreadyProvisioned as exc:
        raise EnrolmentFailed(None, f"本终端已经注册过（{exc}）", E.EXIT_INTERNAL) from None
    except E.PlatformUnreachable as exc:
        log.warning(json.dumps({"event": "enrol_unreachable", "hub": v.hub, "error": str(exc)}, ensure_ascii=False))
        raise EnrolmentFailed("hub", unreachable_message(v.hub.strip()), exc.exit_code) from None
    except E.SyncError as exc:
        text = str(exc)
        for code, message in ENROL_REFUSALS.items():
            if code in text:
                log.warning(json.dumps({"event": "enrol_refused", "error": code, "hub": v.hub.strip()}))
                raise EnrolmentFailed("code", message, E.EXIT_NOT_PROVISIONED) from None
        if isinstance(exc, E.VerificationRefused) and "TLS" in text:
            raise EnrolmentFailed("hub", untrusted_message(v.hub.strip()), exc.exit_code) from None
        raise EnrolmentFailed("hub", f"平台拒绝了注册：{text}", exc.exit_code) from None
    config = Config.load(paths.config_file)
    config.set("orientation", v.orientation)
    config.set("elder_mode_default", v.elder_default)
    config.save()
    log.info(json.dumps({"event": "provisioned", "device_id": state.device_id, "region": v.region}))
    return Enrolled(state.device_id, state.hub_url)


def first_sync(paths: DataPaths, on_line: Callable[[dict[str, Any]], None] | None = None) -> int:
    """One sync run right after enrolment; returns its exit code (0 = content is on the terminal)."""
    from kiosk.logsetup import log_sync_line
    from kiosk.sync.runner import SyncRunner

    def emit(line: dict[str, Any]) -> None:
        log_sync_line(line)  # the same journal lines as every other sync
        if on_line is not None:
            on_line(line)

    result = SyncRunner(paths, emit=emit).run_once()
    return int(result.exit_code)
