"""The JSON API behind ``kiosk-hub serve``: plain functions from a parsed request to (status, body).

Every input is checked here; a bad one gets ``400 {"error": "bad_request", "message": …}``. See
docs/sync-protocol.md for the wire format.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

import peewee as pw

from kiosk import config as kiosk_config
from kiosk.sync.device import root_fingerprint, split_code
from kiosk_hub import desk, models
from kiosk_hub.accounts import Who
from kiosk_hub.broker import VideoBroker
from kiosk_hub.db import Device, EnrolCode, Event, relax_commit, utcnow, write_tx
from kiosk_hub.desk import Vault, split_request, store
from kiosk_hub.limits import RateLimited, RateLimits

Reply = tuple[int, dict[str, Any]]

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_BATCH = 1000
MAX_PAYLOAD = 64 * 1024


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str = "", headers: dict[str, str] | None = None):
        super().__init__(message or error)
        self.status = status
        self.error = error
        self.message = message or error
        self.headers = headers or {}

    def reply(self) -> Reply:
        return self.status, {"error": self.error, "message": self.message}


#: Seconds added to the time the platform reports; only ``/_test/clock`` (``--enable-test-faults``) sets it,
#: so tests can make a platform whose clock disagrees with the terminal's.
_clock_offset = 0.0


def set_clock_offset(seconds: float) -> None:
    global _clock_offset
    _clock_offset = float(seconds)


def server_time() -> str:
    # Milliseconds: a terminal measures its clock skew against this, and whole seconds cut off would
    # show a skew up to a second short.
    return (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=_clock_offset)).isoformat(timespec="milliseconds")


def bad(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_code(code: str) -> str:
    """The code the platform checks: a root fingerprint after it (see kiosk.sync.device) is the terminal's."""
    return split_code(code)[0]


def new_enrol_code(name: str, days: int, replaces: str | None = None, root: bytes | None = None) -> str:
    """``XXXX-XXXX-XXXX``, followed by ``-FFFF-FFFF-FFFF`` (the trust root's fingerprint) when ``root`` is given."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    with write_tx():
        EnrolCode.create(
            code_hash=sha256_hex(raw), name=name, expires=utcnow() + dt.timedelta(days=days), replaces=replaces
        )
    if root is not None:
        raw += root_fingerprint(json.loads(root))
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


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
    limits: RateLimits = field(default_factory=RateLimits)
    vault: Vault | None = None  # the requests desk's key; None: request events are kept without a desk row
    #: Waiting consultations older than this are "missed" (nobody answered): they leave the queue.
    consult_wait_limit: dt.timedelta = dt.timedelta(minutes=15)


def _code_row(code: str) -> EnrolCode:
    """The unused, unexpired code; refused as enrolment refuses it."""
    row = EnrolCode.get_or_none(EnrolCode.code_hash == sha256_hex(code))
    if row is None:
        raise ApiError(403, "invalid_code", "unknown enrolment code")
    return row


def limited(ctx: Context, what: str, device_id: str = "", client: str = "") -> None:
    try:
        ctx.limits.check(what, device_id, client)
    except RateLimited as exc:
        raise ApiError(429, "rate_limited", str(exc), {"Retry-After": str(exc.retry_after)}) from None


def _guarded(ctx: Context, client: str, attempt: Any) -> Reply:
    """Run an enrolment ``attempt``: a refused code counts against the address (guessing is limited),
    a good one does not (a technician enrolling a whole county from one office is not held up)."""
    try:
        ctx.limits.peek("enrol", "", client)
    except RateLimited as exc:
        raise ApiError(429, "rate_limited", str(exc), {"Retry-After": str(exc.retry_after)}) from None
    try:
        reply: Reply = attempt()
        return reply
    except ApiError as exc:
        if exc.status == 403:
            limited(ctx, "enrol", "", client)
        raise


def enrol_check(body: dict[str, Any], ctx: Context, client: str = "") -> Reply:
    """``POST /api/v1/enrol/check``: is this code good? Answers without consuming it."""
    code = normalise_code(_text(body, "code", 40))

    def attempt() -> Reply:
        row = _code_row(code)
        if row.used is not None:
            raise ApiError(403, "code_used", "this enrolment code was already used")
        if row.expires < utcnow():
            raise ApiError(403, "code_expired", "this enrolment code has expired")
        return 200, {"status": "ok", "name": row.name}

    return _guarded(ctx, client, attempt)


def device_info(header: str | None) -> Reply:
    """``GET /api/v1/device``: who the platform thinks this token belongs to."""
    device = authenticate(header)
    return 200, {
        "device_id": device.device_id,
        "name": device.name,
        "region": device.region_code,
        "status": "active",
        "server_time": server_time().replace("+00:00", "Z"),
    }


def enrol(body: dict[str, Any], ctx: Context, client: str = "") -> Reply:
    return _guarded(ctx, client, lambda: _enrol(body, ctx))


def _enrol(body: dict[str, Any], ctx: Context) -> Reply:
    code = normalise_code(_text(body, "code", 40))
    request_id = _text(body, "request_id", 64)
    name = _text(body, "name", 100)
    region = _text(body, "region_code", 32)
    lat = _number(body, "latitude", -90, 90)
    lon = _number(body, "longitude", -180, 180)
    address = _text(body, "address", 200, required=False)
    token = secrets.token_urlsafe(32)
    with write_tx():
        row = _code_row(code)
        if row.used is not None:
            if row.request_id != request_id:
                raise ApiError(403, "code_used", "this enrolment code was already used")
            device_id = row.device_id  # a retried enrolment: same device, fresh token
            Device.update(token_hash=sha256_hex(token)).where(Device.device_id == device_id).execute()
        else:
            if row.expires < utcnow():
                raise ApiError(403, "code_expired", "this enrolment code has expired")
            device_id = uuid.uuid4().hex
            old = Device.get_or_none(Device.device_id == row.replaces) if row.replaces else None
            if old is not None:  # the replacement takes the old terminal's name and place
                name, region, lat, lon, address = old.name, old.region_code, old.latitude, old.longitude, old.address
                Device.update(revoked=utcnow()).where(
                    Device.device_id == old.device_id, Device.revoked.is_null()
                ).execute()
            Device.create(
                replaces=old.device_id if old is not None else None,
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


def _event_row(device: Device, event: Any, now: dt.datetime) -> tuple[dict[str, Any] | None, str | None]:
    if not isinstance(event, dict):
        return None, "an event must be an object"
    enrolled = device.enrolled.replace(tzinfo=dt.UTC)
    try:
        checked, _ = models.check_event(event, enrolled, now)
    except ValueError as exc:
        return None, str(exc)
    payload = event["payload"]
    if checked.kind == "request":
        payload, _ = split_request(payload)  # name and phone go to the desk, encrypted; never in the clear
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    if len(text.encode()) > MAX_PAYLOAD:
        return None, f"payload: larger than {MAX_PAYLOAD} bytes"
    created = event["created"]
    return {
        "event_id": checked.id,
        "device_id": device.device_id,
        "kind": checked.kind,
        "created": created,
        "payload": text,
    }, None


def ingest(device: Device, body: dict[str, Any], ctx: Context | None = None, address: str = "") -> Reply:
    events = body.get("events")
    if not isinstance(events, list) or not 1 <= len(events) <= MAX_BATCH:
        raise bad(f"events must be a list of 1..{MAX_BATCH} events")
    if ctx is not None:
        limited(ctx, "events", device.device_id, address)
    now = dt.datetime.now(dt.UTC)
    rows, acked, rejected = [], [], []
    requests: list[tuple[str, str, dict[str, Any]]] = []
    for i, event in enumerate(events):
        row, reason = _event_row(device, event, now)
        if row is None:
            eid = event.get("id") if isinstance(event, dict) and isinstance(event.get("id"), str) else None
            rejected.append({"id": eid, "index": i, "reason": f"events[{i}].{reason}"})
        else:
            rows.append(row)
            acked.append(row["event_id"])
            if row["kind"] == "request":
                requests.append((row["event_id"], row["created"], event["payload"]))
    with write_tx():
        if ctx is not None and ctx.vault is not None:
            for event_id, created, payload in requests:
                store(ctx.vault, device, event_id, created, payload)
        for start in range(0, len(rows), 200):
            # (terminal, event id) is the key: another terminal's id is not a duplicate of this one's
            Event.insert_many(rows[start : start + 200]).on_conflict_ignore().execute()
        beats = [r for r in rows if r["kind"] == "heartbeat"]
        if beats:
            newest = max(beats, key=lambda r: r["created"])
            Device.update(last_seen=utcnow(), last_status=newest["payload"]).where(
                Device.device_id == device.device_id
            ).execute()
    return 200, {"acked": acked, "rejected": rejected}


def heartbeat(device: Device, body: dict[str, Any], ctx: Context | None = None, address: str = "") -> Reply:
    event = {**body, "kind": "heartbeat"}
    row, reason = _event_row(device, event, dt.datetime.now(dt.UTC))
    with write_tx():  # one commit: the rate-limit count and the heartbeat (see bench/bench_hub.py)
        relax_commit()
        if ctx is not None:
            limited(ctx, "heartbeat", device.device_id, address)
        if row is None:
            # after the count, and committed with it: a flood of bad heartbeats is limited like good ones
            return bad(reason or "bad heartbeat").reply()
        Event.insert_many([row]).on_conflict_ignore().execute()
        Device.update(last_seen=utcnow(), last_status=row["payload"]).where(
            Device.device_id == device.device_id
        ).execute()
    return 200, {
        "acked": row["event_id"],
        "settings": json.loads(device.settings or "{}"),
        "server_time": server_time(),
    }


def desk_list(ctx: Context, who: Who, county: str | None, status: str | None) -> Reply:
    if ctx.vault is None:
        raise ApiError(503, "no_desk", "the requests desk has no key configured")
    return 200, {"requests": desk.listing(ctx.vault, who, county or None, status or None)}


def desk_mark(who: Who, request_id: str, body: dict[str, Any]) -> Reply:
    if not request_id.isdigit():
        raise ApiError(404, "not_found", "no such request")
    try:
        desk.mark(who, int(request_id), _text(body, "status", 16))
    except LookupError as exc:
        raise ApiError(404, "not_found", str(exc)) from None
    except ValueError as exc:
        raise bad(str(exc)) from None
    return 200, {"id": int(request_id), "status": body["status"]}


def revoke(device_id: str) -> Reply:
    with write_tx():
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
