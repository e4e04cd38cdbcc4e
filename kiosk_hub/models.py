"""Typed payloads (pydantic): what the hub accepts from terminals, with bounds.

Every number is finite and bounded, every text has a length limit, every time lies between the
terminal's enrolment (less a day of clock skew) and now plus :data:`FUTURE_SKEW`, and only the
kinds the terminal software sends are known. A refusal names the field (:func:`describe`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

EVENT_KINDS = ("heartbeat", "usage", "rating", "request", "consult", "admin")
REQUEST_KINDS = ("appointment", "callback", "mediation", "complaint")
CONSULT_OUTCOMES = ("answered", "missed", "offline", "cancelled")
#: One counter in one hour: a terminal cannot serve more than about one resident action a second.
MAX_COUNT = 10_000
MAX_SECONDS = 86_400.0
FUTURE_SKEW = dt.timedelta(minutes=10)
#: Before enrolment: a new terminal's clock may be off, and the wizard queues a few events first.
PAST_SKEW = dt.timedelta(days=1)
HOUR_KEY = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2})?$")

Text = Annotated[str, StringConstraints(max_length=500)]
ShortText = Annotated[str, StringConstraints(max_length=100)]
Seconds = Annotated[float, Field(ge=0, le=MAX_SECONDS, allow_inf_nan=False)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Loose(BaseModel):
    """Known fields checked; others kept (newer terminal software), still bounded by the payload size."""

    model_config = ConfigDict(extra="allow", allow_inf_nan=False)


class UsagePayload(Strict):
    hours: dict[str, dict[ShortText, Annotated[int, Field(ge=0, le=MAX_COUNT, strict=True)]]] | None = None
    days: dict[str, dict[ShortText, Annotated[int, Field(ge=0, le=MAX_COUNT, strict=True)]]] | None = None

    @field_validator("hours", "days")
    @classmethod
    def _keys(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        for key in value or {}:
            if not HOUR_KEY.match(key):
                raise ValueError(f"{key!r} is not an hour (YYYY-MM-DDTHH) or a day (YYYY-MM-DD)")
        return value


class RatingPayload(Loose):
    level: Annotated[int, Field(ge=1, le=5, strict=True)]
    service: ShortText = ""
    reason: ShortText | None = None
    text: Text = ""


class RequestPayload(Loose):
    """Lenient on shape (a resident's request must never be lost to a format quibble: older terminals
    sent ``type``), strict on sizes; the desk and the report use ``kind`` when it is one they know."""

    kind: Literal["appointment", "callback", "mediation", "complaint"] | None = None
    reference: Annotated[str, StringConstraints(max_length=40)] = ""
    name: ShortText = ""
    phone: Annotated[str, StringConstraints(max_length=20)] = ""
    matter: Text = ""
    institution: ShortText = ""
    preferred_time: ShortText = ""
    county: ShortText = ""
    topic: ShortText = ""


class ConsultPayload(Loose):
    session_id: Annotated[str, StringConstraints(max_length=64)] = ""
    outcome: Literal["answered", "missed", "offline", "cancelled"]
    wait_seconds: Seconds = 0.0
    talk_seconds: Seconds = 0.0


class SettingInEffect(Strict):
    value: str | int | float | bool | None
    source: Literal["default", "local", "platform"]


class HeartbeatPayload(Loose):
    settings_in_effect: dict[ShortText, SettingInEffect] | None = None


class AdminPayload(Loose):
    action: ShortText


PAYLOADS: dict[str, type[BaseModel]] = {
    "usage": UsagePayload,
    "rating": RatingPayload,
    "request": RequestPayload,
    "consult": ConsultPayload,
    "heartbeat": HeartbeatPayload,
    "admin": AdminPayload,
}


class EventIn(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{8,64}$")]
    kind: Literal["heartbeat", "usage", "rating", "request", "consult", "admin"]
    created: dt.datetime
    payload: dict[str, Any]

    @field_validator("created")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("created must carry a time zone (ISO 8601 with Z or +08:00)")
        return value


def describe(exc: ValidationError, prefix: str = "") -> str:
    """The first problem as ``field.path: message`` (what a terminal log and an operator can act on)."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{prefix}{where}: {first['msg']}" if where or prefix else first["msg"]


def check_event(raw: Any, enrolled: dt.datetime, now: dt.datetime) -> tuple[EventIn, BaseModel]:
    """The event and its typed payload, or ``ValueError`` naming the field. Times are UTC-aware."""
    try:
        event = EventIn.model_validate(raw)
    except ValidationError as exc:
        raise ValueError(describe(exc)) from None
    earliest = enrolled - PAST_SKEW
    created = event.created.astimezone(dt.UTC)
    if not earliest <= created <= now + FUTURE_SKEW:
        raise ValueError(f"created: {event.created.isoformat()} is outside {earliest:%Y-%m-%d}..now")
    try:
        payload = PAYLOADS[event.kind].model_validate(event.payload)
    except ValidationError as exc:
        raise ValueError(describe(exc, "payload.")) from None
    if isinstance(payload, UsagePayload):
        # Local hours (the terminal's clock, UTC+8): a day's slack either side of the bounds.
        low, high = (earliest - dt.timedelta(days=1)).date(), (now + dt.timedelta(days=1)).date()
        for key in [*(payload.hours or {}), *(payload.days or {})]:
            try:
                day = dt.date.fromisoformat(key[:10])
            except ValueError:
                raise ValueError(f"payload.hours.{key}: not a date") from None
            if not low <= day <= high:
                raise ValueError(f"payload.hours.{key}: outside the terminal's enrolment..now")
    return event, payload
