"""Video consultation sessions: the queue terminals and residents' phones join and lawyers answer.

Positions are ordered to the microsecond; a session nobody answers within ``Context.consult_wait_limit``
leaves the queue as ``missed``; a phone joins only with a terminal's short-lived QR token.
"""

from __future__ import annotations

import hmac
import secrets
import time
import uuid
from typing import Any

from kiosk.sync.consult import PHONE_TOKEN_SECONDS, phone_token_mac
from kiosk_hub.api import ApiError, Context, Reply, _text, limited
from kiosk_hub.db import ConsultSession, Device, utcnow, write_tx


def _session_json(s: ConsultSession, ctx: Context | None = None) -> dict[str, Any]:
    reply: dict[str, Any] = {
        "session_id": s.session_id,
        "status": s.status,
        "room_url": s.room_url,
        "topic": s.topic,
        "created": s.created.isoformat() + "Z",
        "lawyer": s.lawyer,
    }
    if s.status == "waiting":
        # 1 = next to be answered: live waiting sessions queued earlier are ahead of this one.
        earlier = (ConsultSession.queued < s.queued) | (
            (ConsultSession.queued == s.queued) & (ConsultSession.session_id < s.session_id)
        )
        query = ConsultSession.select().where(ConsultSession.status == "waiting", earlier)
        if ctx is not None:
            query = query.where(ConsultSession.created >= utcnow() - ctx.consult_wait_limit)
        reply["queue_position"] = query.count() + 1
    return reply


def expire_waiting(ctx: Context) -> int:
    """Sessions nobody answered within ``ctx.consult_wait_limit`` leave the queue as ``missed``."""
    cutoff = utcnow() - ctx.consult_wait_limit
    with write_tx():
        return int(
            ConsultSession.update(status="missed", ended=utcnow())
            .where(ConsultSession.status == "waiting", ConsultSession.created < cutoff)
            .execute()
        )


def consult_create(device: Device, body: dict[str, Any], ctx: Context, address: str = "") -> Reply:
    topic = _text(body, "topic", 100, required=False)
    limited(ctx, "consult", device.device_id, address)
    expire_waiting(ctx)
    return 201, _session_json(new_consult_session(device.device_id, topic, ctx), ctx)


#: Sessions opened from a resident's phone (the QR code a terminal shows when it cannot call itself).
PHONE = "phone"


def new_consult_session(device_id: str, topic: str, ctx: Context) -> ConsultSession:
    room = secrets.token_urlsafe(9)
    with write_tx():
        session: ConsultSession = ConsultSession.create(
            session_id=uuid.uuid4().hex,
            device_id=device_id,
            topic=topic,
            room_url=ctx.broker.room_url(room),
            queued=time.time(),
        )
    return session


def check_phone_token(token: str, now: float | None = None) -> Device:
    """The terminal whose QR code carried ``token`` (see kiosk.sync.consult.phone_token), or 403."""
    now = time.time() if now is None else now
    refused = ApiError(403, "bad_token", "二维码已失效，请在终端上重新扫码")
    parts = token.split(".")
    if len(parts) != 3 or not parts[1].isdigit() or len(parts[0]) > 64:
        raise refused
    device_id, expiry, mac = parts[0], int(parts[1]), parts[2]
    if not now <= expiry <= now + PHONE_TOKEN_SECONDS + 300:
        raise refused
    device = Device.get_or_none(Device.device_id == device_id)
    if device is None or device.revoked is not None:
        raise refused
    if not hmac.compare_digest(phone_token_mac(device.token_hash, device_id, expiry), mac):
        raise refused
    return device


def phone_consult(token: str, ctx: Context, client: str = "") -> ConsultSession:
    """``POST /consult`` from a resident's phone: needs a terminal's QR token, limited per terminal
    and per address, and queued like a terminal's call."""
    device = check_phone_token(token)
    limited(ctx, "phone", device.device_id, client)
    expire_waiting(ctx)
    return new_consult_session(PHONE, f"手机扫码（{device.name}）"[:100], ctx)


def _session(session_id: str, device: Device | None = None) -> ConsultSession:
    query = ConsultSession.select().where(ConsultSession.session_id == session_id)
    if device is not None:
        query = query.where(ConsultSession.device_id == device.device_id)
    session: ConsultSession | None = query.first()
    if session is None:
        raise ApiError(404, "not_found", "no such consultation session")
    return session


def consult_get(device: Device, session_id: str, ctx: Context | None = None) -> Reply:
    session = _session(session_id, device)
    if ctx is not None and session.status == "waiting" and session.created < utcnow() - ctx.consult_wait_limit:
        expire_waiting(ctx)
        session = _session(session_id, device)
    return 200, _session_json(session, ctx)


def consult_list(ctx: Context | None = None, limit: int = 200) -> Reply:
    """The operator's queue: open sessions first (oldest first), then the latest closed ones."""
    if ctx is not None:
        expire_waiting(ctx)
    open_ = ConsultSession.select().where(ConsultSession.status.in_(("waiting", "answered")))
    closed = ConsultSession.select().where(ConsultSession.status.not_in(("waiting", "answered")))
    sessions = list(open_.order_by(ConsultSession.queued, ConsultSession.session_id)) + list(
        closed.order_by(ConsultSession.created.desc()).limit(limit)
    )
    return 200, {"sessions": [dict(_session_json(s, ctx), device_id=s.device_id) for s in sessions]}


def consult_get_any(session_id: str, ctx: Context | None = None) -> Reply:
    session = _session(session_id)
    return 200, dict(_session_json(session, ctx), device_id=session.device_id)


def consult_change(session_id: str, action: str, body: dict[str, Any], device: Device | None = None) -> Reply:
    """``cancel`` (terminal), ``answer`` / ``end`` (operator)."""
    with write_tx():
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
