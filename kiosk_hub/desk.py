"""The requests desk: residents' call-back, appointment, mediation and complaint requests.

A ``request`` event from a terminal becomes one :class:`ResidentRequest`. What names the resident
(name, phone, the matter in their words, preferred time, institution) is encrypted with a key kept
in a file outside the database (Fernet, ``cryptography``); the event row keeps only the kind and the
reference. Every view and change is logged in :class:`RequestAccess` (who, when, what). After the
retention period (hub.toml ``request_retention_days``, counted from 办结: done or unreachable) the
personal part is deleted; the counts stay for the report.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import peewee as pw
from cryptography.fernet import Fernet, InvalidToken

from kiosk_hub.accounts import Who
from kiosk_hub.db import Device, HubModel, utcnow, write_tx

KINDS = {"callback": "预约回电", "appointment": "预约办理", "mediation": "调解申请", "complaint": "投诉"}
STATUSES = {"new": "待处理", "called": "已联系", "done": "已办结", "unreachable": "联系不上"}
CLOSED = ("done", "unreachable")
#: Fields that name or reach the resident: encrypted at rest, deleted after the retention period.
PERSONAL = ("name", "phone", "matter", "preferred_time", "institution", "address", "id_number")


class ResidentRequest(HubModel):
    id = pw.AutoField()
    device_id = pw.CharField(max_length=64)
    event_id = pw.CharField(max_length=64)
    reference = pw.CharField(max_length=40, default="")
    kind = pw.CharField(max_length=16, default="")
    county = pw.CharField(max_length=12, index=True)
    terminal = pw.TextField(default="")
    created = pw.DateTimeField()  # when the resident submitted it (UTC)
    status = pw.CharField(max_length=16, default="new", index=True)
    updated = pw.DateTimeField(null=True)
    closed = pw.DateTimeField(null=True)
    personal = pw.TextField(null=True)  # Fernet token of the JSON of PERSONAL fields; NULL once purged
    purged = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("device_id", "event_id"), True),)


class RequestAccess(HubModel):
    """Who saw or changed which request, and when (kept after the personal data is gone)."""

    id = pw.AutoField()
    request_id = pw.IntegerField(index=True)
    who = pw.CharField(max_length=40)
    action = pw.CharField(max_length=32)  # view / called / done / unreachable / purge
    at = pw.DateTimeField(default=utcnow)


class Vault:
    """The encryption key, in a file of its own (mode 0600) outside the database."""

    def __init__(self, key_file: Path):
        self.key_file = key_file
        self._fernet: Fernet | None = None

    @property
    def fernet(self) -> Fernet:
        if self._fernet is None:
            if not self.key_file.exists():
                from kiosk_hub.paths import write_private

                self.key_file.parent.mkdir(parents=True, exist_ok=True)
                write_private(self.key_file, Fernet.generate_key())
            self._fernet = Fernet(self.key_file.read_bytes().strip())
        return self._fernet

    def seal(self, fields: dict[str, str]) -> str:
        return self.fernet.encrypt(json.dumps(fields, ensure_ascii=False).encode()).decode("ascii")

    def open(self, token: str | None) -> dict[str, str]:
        if not token:
            return {}
        try:
            data: dict[str, str] = json.loads(self.fernet.decrypt(token.encode("ascii")))
            return data
        except (InvalidToken, ValueError):
            return {"error": "无法解密（密钥不符）"}


def split_request(payload: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(what may be stored in the clear, the personal fields to encrypt)."""
    clear = {k: v for k, v in payload.items() if k not in PERSONAL}
    personal = {k: str(v) for k, v in payload.items() if k in PERSONAL and v not in (None, "")}
    return clear, personal


def store(vault: Vault, device: Device, event_id: str, created: str, payload: dict[str, Any]) -> None:
    """File one request event (inside the ingest transaction); a repeat of the same event is ignored."""
    _, personal = split_request(payload)
    try:
        when = dt.datetime.fromisoformat(created).astimezone(dt.UTC).replace(tzinfo=None)
    except ValueError:
        when = utcnow()
    kind = payload.get("kind") if payload.get("kind") in KINDS else ""
    ResidentRequest.insert(
        device_id=device.device_id,
        event_id=event_id,
        reference=str(payload.get("reference", ""))[:40],
        kind=kind,
        county=device.region_code[:6],
        terminal=device.name,
        created=when,
        personal=vault.seal(personal) if personal else None,
    ).on_conflict_ignore().execute()


def listing(
    vault: Vault, who: Who, county: str | None = None, status: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Requests for the desk, newest first; each one shown is logged as viewed by ``who``."""
    query = ResidentRequest.select().order_by(ResidentRequest.created.desc()).limit(limit)
    if county:
        query = query.where(ResidentRequest.county == county)
    if status:
        query = query.where(ResidentRequest.status == status)
    rows = list(query)
    if rows:
        with write_tx():
            RequestAccess.insert_many(
                [{"request_id": r.id, "who": who.username, "action": "view", "at": utcnow()} for r in rows]
            ).execute()
    return [_json(vault, r) for r in rows]


def _json(vault: Vault, r: ResidentRequest) -> dict[str, Any]:
    return {
        "id": r.id,
        "reference": r.reference,
        "kind": r.kind,
        "county": r.county,
        "terminal": r.terminal,
        "created": r.created.isoformat() + "Z",
        "status": r.status,
        "personal": vault.open(r.personal),
        "purged": r.purged is not None,
    }


def mark(who: Who, request_id: int, status: str) -> None:
    if status not in STATUSES or status == "new":
        raise ValueError(f"status must be one of {', '.join(s for s in STATUSES if s != 'new')}")
    with write_tx():
        row = ResidentRequest.get_or_none(ResidentRequest.id == request_id)
        if row is None:
            raise LookupError(f"no request {request_id}")
        now = utcnow()
        row.status, row.updated = status, now
        row.closed = now if status in CLOSED else None
        row.save()
        RequestAccess.create(request_id=request_id, who=who.username, action=status, at=now)


def access_log(request_id: int) -> list[tuple[str, str, str]]:
    rows = RequestAccess.select().where(RequestAccess.request_id == request_id).order_by(RequestAccess.id)
    return [(a.at.isoformat(timespec="seconds"), a.who, a.action) for a in rows]


def purge(retention_days: int, now: dt.datetime | None = None) -> int:
    """Delete the personal part of requests closed more than ``retention_days`` ago; returns how many."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(days=retention_days)
    with write_tx():
        due = [
            r.id
            for r in ResidentRequest.select(ResidentRequest.id).where(
                ResidentRequest.closed < cutoff, ResidentRequest.personal.is_null(False)
            )
        ]
        if due:
            ResidentRequest.update(personal=None, purged=now).where(ResidentRequest.id.in_(due)).execute()
            RequestAccess.insert_many(
                [{"request_id": i, "who": "retention", "action": "purge", "at": now} for i in due]
            ).execute()
    return len(due)
