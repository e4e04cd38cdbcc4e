"""The outbox: what the terminal owes the platform, kept safe until the platform acknowledges it.

Events (usage counts, ratings, requests, consultations, heartbeats) live in their own SQLite file,
``paths.outbox_db``, opened with WAL, ``synchronous=FULL`` (a committed event survives a power cut)
and ``secure_delete=ON`` (a deleted event's bytes are overwritten; after an acknowledged upload the
WAL is checkpointed and truncated, so a resident's phone number leaves no trace on disk).

API for the resident-services code (thread-safe; one connection per thread)::

    from kiosk.outbox import Outbox

    outbox = Outbox.open(paths)                       # or Outbox(path)
    ref = outbox.enqueue("request", {"type": "call-back", "phone": "138…", "consent": True})
    outbox.enqueue("rating", {"service": "laws", "level": 5})
    outbox.count("screen.laws")                        # usage counter, summed per local hour
    outbox.pending_count()                             # events not yet acknowledged

    # An action with rows of its own: keep those rows in the outbox database (bind your peewee
    # models to ``outbox.db``) and write them and the event in one transaction:
    with outbox.transaction():
        MyRequest.create(...)
        outbox.enqueue("request", {...})

``enqueue`` returns the event's unique id (32 hex characters; show its first 8 as a reference
number if you like). Kinds are lower-case words; the platform knows ``usage``, ``rating``,
``request``, ``consult`` and ``heartbeat``. A payload is a JSON object of at most 64 KB. Sync
uploads events in batches (:mod:`kiosk.sync.push`) and deletes each only once the platform has
acknowledged its id; the platform stores every id once, so a retried upload never doubles one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee as pw

from kiosk.paths import DataPaths
from kiosk.store.errors import KioskError

KIND = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_PAYLOAD = 64 * 1024
SCHEMA_VERSION = 2
PRAGMAS: dict[str, object] = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL: an acknowledged action is on disk before the screen says so
    "secure_delete": 1,
    "busy_timeout": 15_000,
    "foreign_keys": 1,
}
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS outbox_event ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
    " created TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending',"
    " reason TEXT)",
    "CREATE INDEX IF NOT EXISTS outbox_event_state ON outbox_event (state, seq)",
    "CREATE TABLE IF NOT EXISTS outbox_usage_hourly ("
    " hour TEXT NOT NULL, name TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (hour, name))",
)
# Version 1 counted per day; its counters are carried over into the first hour of their day.
_MIGRATE_DAILY = (
    "INSERT INTO outbox_usage_hourly (hour, name, count) SELECT day || 'T00', name, count FROM outbox_usage "
    "WHERE true ON CONFLICT (hour, name) DO UPDATE SET count = count + excluded.count",
    "DROP TABLE outbox_usage",
)


class OutboxError(KioskError):
    pass


@dataclass(frozen=True)
class OutboxEvent:
    id: str
    kind: str
    created: str
    payload: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "created": self.created, "payload": self.payload}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class Outbox:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = pw.SqliteDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False)
        with self.db.atomic("IMMEDIATE"):
            for sql in _SCHEMA:
                self.db.execute_sql(sql)
            if "outbox_usage" in self.db.get_tables():
                for sql in _MIGRATE_DAILY:
                    self.db.execute_sql(sql)
            self.db.execute_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @classmethod
    def open(cls, paths: DataPaths) -> Outbox:
        return cls(paths.outbox_db)

    def close(self) -> None:
        self.db.close()

    def transaction(self) -> AbstractContextManager[Any]:
        """An IMMEDIATE transaction (a savepoint when already inside one)."""
        return self.db.atomic("IMMEDIATE")

    # --- writing events -----------------------------------------------------------------------------

    def enqueue(self, kind: str, payload: dict[str, Any], *, event_id: str | None = None) -> str:
        """Queue one event; returns its id. Joins the caller's ``transaction()`` when inside one."""
        if not KIND.match(kind):
            raise OutboxError(f"event kind {kind!r} must be a lower-case word")
        if not isinstance(payload, dict):
            raise OutboxError("an event payload must be a dict")
        try:
            text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise OutboxError(f"event payload is not JSON: {exc}") from None
        if len(text.encode()) > MAX_PAYLOAD:
            raise OutboxError(f"event payload larger than {MAX_PAYLOAD} bytes")
        eid = event_id or uuid.uuid4().hex
        with self.transaction():
            self.db.execute_sql(
                "INSERT INTO outbox_event (id, kind, created, payload) VALUES (?, ?, ?, ?)", (eid, kind, _now(), text)
            )
        return eid

    def count(self, name: str, n: int = 1, at: dt.datetime | None = None) -> None:
        """Add ``n`` to usage counter ``name`` for the current local hour (sent later in one ``usage`` event).

        Counters carry no personal data: names like ``screen.laws`` or ``search``, never what was typed.
        """
        if not name or len(name) > 100:
            raise OutboxError("a usage counter needs a name of 1..100 characters")
        hour = (at or dt.datetime.now()).strftime("%Y-%m-%dT%H")
        with self.transaction():
            self.db.execute_sql(
                "INSERT INTO outbox_usage_hourly (hour, name, count) VALUES (?, ?, ?) "
                "ON CONFLICT (hour, name) DO UPDATE SET count = count + excluded.count",
                (hour, name, n),
            )

    def fold_usage(self) -> str | None:
        """Turn all counters into one ``usage`` event (atomically); returns its id, or None."""
        with self.transaction():
            rows = list(self.db.execute_sql("SELECT hour, name, count FROM outbox_usage_hourly ORDER BY hour, name"))
            if not rows:
                return None
            hours: dict[str, dict[str, int]] = {}
            for hour, name, count in rows:
                hours.setdefault(hour, {})[name] = count
            self.db.execute_sql("DELETE FROM outbox_usage_hourly")
            return self.enqueue("usage", {"hours": hours})

    # --- reading and acknowledging ---------------------------------------------------------------------

    def pending(self, limit: int = 500, up_to: int | None = None) -> list[OutboxEvent]:
        """The oldest pending events (only those queued up to sequence number ``up_to``, when given)."""
        rows = self.db.execute_sql(
            "SELECT id, kind, created, payload FROM outbox_event WHERE state = 'pending' AND seq <= ? "
            "ORDER BY seq LIMIT ?",
            (up_to if up_to is not None else 2**62, limit),
        )
        return [OutboxEvent(eid, kind, created, json.loads(payload)) for eid, kind, created, payload in rows]

    def last_seq(self) -> int:
        """Sequence number of the newest event queued so far (0 when none ever was)."""
        return int(self.db.execute_sql("SELECT COALESCE(MAX(seq), 0) FROM outbox_event").fetchone()[0])

    def get(self, event_id: str) -> OutboxEvent | None:
        row = self.db.execute_sql(
            "SELECT id, kind, created, payload FROM outbox_event WHERE id = ?", (event_id,)
        ).fetchone()
        return OutboxEvent(row[0], row[1], row[2], json.loads(row[3])) if row else None

    def pending_count(self) -> int:
        return int(self.db.execute_sql("SELECT COUNT(*) FROM outbox_event WHERE state = 'pending'").fetchone()[0])

    def rejected_count(self) -> int:
        return int(self.db.execute_sql("SELECT COUNT(*) FROM outbox_event WHERE state = 'rejected'").fetchone()[0])

    def acknowledge(self, ids: Iterable[str]) -> int:
        """Delete events the platform acknowledged (secure_delete overwrites their bytes)."""
        wanted = list(ids)
        removed = 0
        with self.transaction():
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                cursor = self.db.execute_sql(
                    f"DELETE FROM outbox_event WHERE id IN ({','.join('?' * len(chunk))})", chunk
                )
                removed += cursor.rowcount
        return removed

    def reject(self, items: Iterable[tuple[str, str]]) -> None:
        """Park events the platform refused as malformed: kept (not lost), no longer sent."""
        with self.transaction():
            for eid, reason in items:
                self.db.execute_sql(
                    "UPDATE outbox_event SET state = 'rejected', reason = ? WHERE id = ?", (reason[:500], eid)
                )

    def requeue_rejected(self) -> int:
        with self.transaction():
            return int(
                self.db.execute_sql(
                    "UPDATE outbox_event SET state = 'pending', reason = NULL WHERE state = 'rejected'"
                ).rowcount
            )

    def purge_wal(self) -> None:
        """Checkpoint and truncate the WAL so deleted events are gone from every file."""
        self.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity_ok(self) -> bool:
        return bool(self.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok")
