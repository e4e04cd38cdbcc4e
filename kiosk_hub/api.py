"""The JSON API behind ``kiosk-hub serve``: plain functions from a parsed request to (status, body).

Every input is checked here; a bad one gets ``400 {"error": "bad_request", "message": …}``. See
docs/sync-protocol.md for the wire format.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import math
import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

import peewee as pw

from kiosk import config as kiosk_config
from kiosk_hub.broker import VideoBroker
from kiosk_hub.db import ConsultSession, Device, EnrolCode, Event, hub_db, utcnow

Reply = tuple[int, dict[str, Any]]

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
EVENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
EVENT_KIND = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_BATCH = 1000
MAX_PAYLOAD = 64 * 1024


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str = ""):
        super().__init__(message or error)
        self.status = status
        self.error = error
        self.message = message or error

    def reply(self) -> Reply:
        return self.status, {"error": self.error, "message": self.message}


def bad(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).upper()


def new_enrol_code(name: str, days: int) -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    with hub_db.atomic():
        EnrolCode.create(code_hash=sha256_hex(raw), name=name, expires=utcnow() + dt.timedelta(days=days))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def _text(body: dict[str, Any], name: str, limit: int = 200, required: bool = True) -> str:
    value = body.get(name, "" if not required else None)
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        raise bad(f"{name} must be text of 1..{limit} characters")
    return value.strip()


def _number(body: dict[str, Any], name: str, low: float, high: float) -> float:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise bad(f"{name} must be a number")
    if not low <= value <= high:
        raise bad(f"{name} must be between {low} and {high}")
    return float(value)


@dataclass
class Context:
    root_bytes: bytes
    repository_url: str
    broker: VideoBroker


#: Seconds added to the time the platform reports; only ``/_test/clock`` (``--enable-test-faults``) sets it,
#: so tests can make a platform whose clock disagrees with the terminal's.
_clock_offset = 0.0


def set_clock_offset(seconds: float) -> None:
    global _clock_offset
    _clock_offset = float(seconds)


def server_time() -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=_clock_offset)).isoformat(timespec="seconds")


def _usable_code(code: str, request_id: str | None) -> EnrolCode:
    """The enrolment code row, or the refusal enrolment would give (used by another request, expired)."""
    row = EnrolCode.get_or_none(EnrolCode.code_hash == sha256_hex(code))
    if row is None:
        raise ApiError(403, "invalid_code", "unknown enrolment code")
    if row.used is not None:
        if request_id is None or row.request_id != request_id:
            raise ApiError(403, "code_used", "this enrolment code was already used")
    elif row.expires < utcnow():
        raise ApiError(403, "code_expired", "this enrolment code has expired")
    return row


def enrol_check(body: dict[str, Any], ctx: Context) -> Reply:
    """``POST /api/v1/enrol/check``: would this code enrol? Answers like enrolment, consumes nothing."""
    code = normalise_code(_text(body, "code", 40))
    request_id = _text(body, "request_id", 64) if body.get("request_id") is not None else None
    row = _usable_code(code, request_id)
    return 200, {"status": "ok", "name": row.name}


def device_info(device: Device) -> Reply:
    """``GET /api/v1/device``: what the platform knows of the calling terminal (``authenticate`` refused
    revoked and unknown tokens already), with the platform's clock for a skew check."""
    return 200, {
        "device_id": device.device_id,
        "name": device.name,
        "region": device.region_code,
        "status": "active",
        "server_time": server_time(),
    }


def enrol(body: dict[str, Any], ctx: Context) -> Reply:
    code = normalise_code(_text(body, "code", 40))
    request_id = _text(body, "request_id", 64)
    name = _text(body, "name", 100)
    region = _text(body, "region_code", 32)
    lat = _number(body, "latitude", -90, 90)
    lon = _number(body, "longitude", -180, 180)
    address = _text(body, "address", 200, required=False)
    token = secrets.token_urlsafe(32)
    with hub_db.atomic():
        row = _usable_code(code, request_id)
        if row.used is not None:
            device_id = row.device_id  # a retried enrolment: same device, fresh token
            Device.update(token_hash=sha256_hex(token)).where(Device.device_id == device_id).execute()
        else:
            device_id = uuid.uuid4().hex
            Device.create(
                device_id=device_id,
                name=name,
                region_code=region,
                latitude=lat,
                longitude=lon,
                address=address,
                token_hash=sha256_hex(token),
            )
            row.used, row.request_id, row.device_id = utcnow(), request_id, device_id
            row.save()
    return 201, {
        "device_id": device_id,
        "token": token,
        "root": json.loads(ctx.root_bytes),
        "repository_url": ctx.repository_url,
    }


def authenticate(header: str | None) -> Device:
    if not header or not header.startswith("Bearer "):
        raise ApiError(401, "unauthorized", "a device token is required")
    device = Device.get_or_none(Device.token_hash == sha256_hex(header[7:].strip()))
    if device is None:
        raise ApiError(401, "unauthorized", "unknown device token")
    if device.revoked is not None:
        raise ApiError(403, "device_revoked", "this terminal was revoked; enrol it again")
    return device


def check_admin(header: str | None, admin_token: str) -> None:
    """``Bearer <token>``, or HTTP Basic with the token as password (a browser asks for it: the report page)."""
    given = header[7:].strip() if header and header.startswith("Bearer ") else ""
    if header and header.startswith("Basic "):
        try:
            given = base64.b64decode(header[6:].strip(), validate=True).decode().partition(":")[2]
        except (ValueError, UnicodeDecodeError):
            given = ""
    if not admin_token or not hmac.compare_digest(given.encode(), admin_token.encode()):
        raise ApiError(401, "unauthorized", "the admin token is required")


def _event_row(device: Device, event: Any) -> tuple[dict[str, Any] | None, str | None]:
    if not isinstance(event, dict):
        return None, "an event must be an object"
    eid, kind, created, payload = (event.get(k) for k in ("id", "kind", "created", "payload"))
    if not isinstance(eid, str) or not EVENT_ID.match(eid):
        return None, "id must be 8..64 letters, digits, - or _"
    if not isinstance(kind, str) or not EVENT_KIND.match(kind):
        return None, "kind must be a lower-case word"
    if not isinstance(created, str) or not 10 <= len(created) <= 40:
        return None, "created must be an ISO 8601 time"
    if not isinstance(payload, dict):
        return None, "payload must be an object"
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    if len(text.encode()) > MAX_PAYLOAD:
        return None, f"payload larger than {MAX_PAYLOAD} bytes"
    return {"event_id": eid, "device_id": device.device_id, "kind": kind, "created": created, "payload": text}, None


def ingest(device: Device, body: dict[str, Any]) -> Reply:
    events = body.get("events")
    if not isinstance(events, list) or not 1 <= len(events) <= MAX_BATCH:
        raise bad(f"events must be a list of 1..{MAX_BATCH} events")
    rows, acked, rejected = [], [], []
    for i, event in enumerate(events):
        row, reason = _event_row(device, event)
        if row is None:
            eid = event.get("id") if isinstance(event, dict) and isinstance(event.get("id"), str) else None
            rejected.append({"id": eid, "index": i, "reason": reason})
        else:
            rows.append(row)
            acked.append(row["event_id"])
    with hub_db.atomic():
        for start in range(0, len(rows), 200):
            Event.insert_many(rows[start : start + 200]).on_conflict_ignore().execute()
        beats = [r for r in rows if r["kind"] == "heartbeat"]
        if beats:
            newest = max(beats, key=lambda r: r["created"])
            Device.update(last_seen=utcnow(), last_status=newest["payload"]).where(
                Device.device_id == device.device_id
            ).execute()
    return 200, {"acked": acked, "rejected": rejected}


def heartbeat(device: Device, body: dict[str, Any]) -> Reply:
    event = {**body, "kind": "heartbeat"}
    row, reason = _event_row(device, event)
    if row is None:
        raise bad(reason or "bad heartbeat")
    with hub_db.atomic():
        Event.insert_many([row]).on_conflict_ignore().execute()
        Device.update(last_seen=utcnow(), last_status=row["payload"]).where(
            Device.device_id == device.device_id
        ).execute()
    return 200, {
        "acked": row["event_id"],
        "settings": json.loads(device.settings or "{}"),
        "server_time": server_time(),
    }


def _session_json(s: ConsultSession) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "session_id": s.session_id,
        "status": s.status,
        "room_url": s.room_url,
        "topic": s.topic,
        "created": s.created.isoformat() + "Z",
        "lawyer": s.lawyer,
    }
    if s.status == "waiting":
        # 1 = next to be answered: waiting sessions opened earlier are ahead of this one.
        ahead = (
            ConsultSession.select()
            .where(ConsultSession.status == "waiting", ConsultSession.created < s.created)
            .count()
        )
        reply["queue_position"] = ahead + 1
    return reply


def consult_create(device: Device, body: dict[str, Any], ctx: Context) -> Reply:
    topic = _text(body, "topic", 100, required=False)
    return 201, _session_json(new_consult_session(device.device_id, topic, ctx))


#: Sessions opened from a resident's phone (the QR code a terminal shows when it cannot call itself).
PHONE = "phone"


def new_consult_session(device_id: str, topic: str, ctx: Context) -> ConsultSession:
    room = secrets.token_urlsafe(9)
    session: ConsultSession = ConsultSession.create(
        session_id=uuid.uuid4().hex, device_id=device_id, topic=topic, room_url=ctx.broker.room_url(room)
    )
    return session


def _session(session_id: str, device: Device | None = None) -> ConsultSession:
    query = ConsultSession.select().where(ConsultSession.session_id == session_id)
    if device is not None:
        query = query.where(ConsultSession.device_id == device.device_id)
    session = query.first()
    if session is None:
        raise ApiError(404, "not_found", "no such consultation session")
    return session


def consult_get(device: Device, session_id: str) -> Reply:
    return 200, _session_json(_session(session_id, device))


def consult_list(limit: int = 200) -> Reply:
    """The operator's queue: open sessions first (oldest first), then the latest closed ones."""
    open_ = ConsultSession.select().where(ConsultSession.status.in_(("waiting", "answered")))
    closed = ConsultSession.select().where(ConsultSession.status.not_in(("waiting", "answered")))
    sessions = list(open_.order_by(ConsultSession.created)) + list(
        closed.order_by(ConsultSession.created.desc()).limit(limit)
    )
    return 200, {"sessions": [dict(_session_json(s), device_id=s.device_id) for s in sessions]}


def consult_get_any(session_id: str) -> Reply:
    session = _session(session_id)
    return 200, dict(_session_json(session), device_id=session.device_id)


def consult_change(session_id: str, action: str, body: dict[str, Any], device: Device | None = None) -> Reply:
    """``cancel`` (terminal), ``answer`` / ``end`` (operator)."""
    with hub_db.atomic():
        session = _session(session_id, device)
        allowed = {"cancel": ("waiting", "answered"), "answer": ("waiting",), "end": ("waiting", "answered")}
        if session.status not in allowed[action]:
            raise ApiError(409, "conflict", f"session is {session.status}")
        if action == "answer":
            session.status, session.answered = "answered", utcnow()
            session.lawyer = _text(body, "lawyer", 100)
        else:
            cancelled = action == "cancel" and session.status == "waiting"
            session.status = "cancelled" if cancelled else "ended"
            session.ended = utcnow()
        session.save()
    return 200, _session_json(session)


def revoke(device_id: str) -> Reply:
    with hub_db.atomic():
        n = Device.update(revoked=utcnow()).where(Device.device_id == device_id, Device.revoked.is_null()).execute()
    if not n and not Device.get_or_none(Device.device_id == device_id):
        raise ApiError(404, "not_found", "no such device")
    return 200, {"device_id": device_id, "revoked": True}


def set_settings(device_id: str, body: dict[str, Any]) -> Reply:
    device = Device.get_or_none(Device.device_id == device_id)
    if device is None:
        raise ApiError(404, "not_found", "no such device")
    settings = json.loads(device.settings or "{}")
    for name, value in body.items():
        setting = kiosk_config.BY_NAME.get(name)
        if setting is None or not setting.remote:
            raise bad(f"{name} is not a setting the platform may change")
        try:
            settings[name] = kiosk_config.coerce(setting, value)
        except kiosk_config.ConfigError as exc:
            raise bad(str(exc)) from None
    Device.update(settings=json.dumps(settings, ensure_ascii=False)).where(Device.device_id == device_id).execute()
    return 200, {"device_id": device_id, "settings": settings}


def devices() -> Reply:
    rows = []
    for d in Device.select().order_by(Device.enrolled):
        pending = Event.select(pw.fn.COUNT(Event.event_id)).where(Event.device_id == d.device_id).scalar()
        rows.append(
            {
                "device_id": d.device_id,
                "name": d.name,
                "region_code": d.region_code,
                "enrolled": d.enrolled.isoformat() + "Z",
                "revoked": d.revoked is not None,
                "last_seen": d.last_seen.isoformat() + "Z" if d.last_seen else None,
                "status": json.loads(d.last_status) if d.last_status else None,
                "events": pending,
            }
        )
    return 200, {"devices": rows}
