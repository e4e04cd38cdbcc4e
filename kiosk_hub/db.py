"""The hub's registry: enrolment codes, devices, events, consultation sessions.

SQLite in the data folder by default (WAL, ``synchronous=FULL``: an acknowledged event is on disk);
any peewee database URL otherwise, e.g. ``postgresql://user@host/kiosk`` for a whole province.
Only portable SQL is used (``INSERT … ON CONFLICT DO NOTHING`` exists in both).

The models name no database: :func:`open_hub_db`, called once by each hub process's composition root
(``kiosk-hub serve``/ASGI app, a ``kiosk-hub`` command, a report script), binds them to the registry it
opened. A hub process holds one registry, so that one binding is all there is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import peewee as pw
from playhouse.db_url import connect

SQLITE_PRAGMAS = {"journal_mode": "wal", "synchronous": 2, "busy_timeout": 10_000, "foreign_keys": 1}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class HubModel(pw.Model):
    class Meta:
        database = None  # bound by open_hub_db
        legacy_table_names = False


class EnrolCode(HubModel):
    code_hash = pw.CharField(max_length=64, unique=True)
    name = pw.TextField()
    created = pw.DateTimeField(default=utcnow)
    expires = pw.DateTimeField()
    used = pw.DateTimeField(null=True)
    request_id = pw.CharField(max_length=64, null=True)  # the enrolment that used it (a retry gets the same device)
    device_id = pw.CharField(max_length=64, null=True)
    replaces = pw.CharField(max_length=64, null=True)  # a replacement terminal takes this one's name and place


class Device(HubModel):
    device_id = pw.CharField(max_length=64, primary_key=True)
    name = pw.TextField()
    region_code = pw.CharField(max_length=32)
    latitude = pw.FloatField()
    longitude = pw.FloatField()
    address = pw.TextField(default="")
    token_hash = pw.CharField(max_length=64, unique=True)
    enrolled = pw.DateTimeField(default=utcnow)
    revoked = pw.DateTimeField(null=True)
    last_seen = pw.DateTimeField(null=True)
    last_status = pw.TextField(null=True)  # JSON of the newest heartbeat
    settings = pw.TextField(default="{}")  # JSON: remote settings sent back in heartbeat replies
    replaces = pw.CharField(max_length=64, null=True)  # the terminal this one replaced


class Event(HubModel):
    event_id = pw.CharField(max_length=64)
    device_id = pw.CharField(max_length=64)
    kind = pw.CharField(max_length=32, index=True)
    created = pw.CharField(max_length=40)  # as the terminal wrote it (ISO 8601)
    received = pw.DateTimeField(default=utcnow)
    payload = pw.TextField()

    class Meta:
        # Event ids are unique per terminal only: another terminal's id is never a duplicate.
        indexes = ((("device_id", "event_id"), True),)


class RateLimit(HubModel):
    """One limited key (``enrol:addr:127.0.0.1`` …): the GCRA's theoretical arrival time, epoch seconds.

    In the database, not in a process: several workers share one limit."""

    key = pw.CharField(max_length=200, primary_key=True)
    tat = pw.DoubleField()


class ConsultSession(HubModel):
    session_id = pw.CharField(max_length=64, primary_key=True)
    device_id = pw.CharField(max_length=64, index=True)
    topic = pw.TextField(default="")
    room_url = pw.TextField()
    status = pw.CharField(max_length=16, default="waiting")  # waiting / answered / ended / missed / cancelled
    created = pw.DateTimeField(default=utcnow)
    #: Queue order to the microsecond (``created`` is to the second: sessions in the same second tied).
    queued = pw.DoubleField(default=0.0, index=True)
    answered = pw.DateTimeField(null=True)
    ended = pw.DateTimeField(null=True)
    lawyer = pw.TextField(null=True)


MODELS = (EnrolCode, Device, Event, RateLimit, ConsultSession)


def open_hub_db(url: str, sqlite_path: Path) -> pw.Database:
    """Open (creating tables if needed) the registry: ``url`` if given, else SQLite at ``sqlite_path``."""
    db: pw.Database
    if url:
        db = connect(url)
    else:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        db = pw.SqliteDatabase(str(sqlite_path), pragmas=SQLITE_PRAGMAS, check_same_thread=False)
    from kiosk_hub.accounts import Operator
    from kiosk_hub.desk import RequestAccess, ResidentRequest

    every = [*MODELS, Operator, ResidentRequest, RequestAccess]
    db.bind(every)  # the process's one binding of the registry models (see the module docstring)
    with db.connection_context():
        db.create_tables(every, safe=True)
        _migrate(db)
    return db


def _migrate(db: pw.Database) -> None:
    """Registries created by older versions: event ids were unique across all terminals."""
    from playhouse.migrate import SchemaMigrator, migrate

    db.execute_sql("DROP INDEX IF EXISTS event_event_id")
    migrator = SchemaMigrator.from_database(db)
    for model in MODELS:
        table = model._meta.table_name
        have = {c.name for c in db.get_columns(table)}
        for fld in model._meta.fields.values():
            if fld.column_name not in have:  # columns added since: nullable or with a default
                migrate(migrator.add_column(table, fld.column_name, fld))


def registry_db() -> pw.Database:
    """The registry the models were bound to by :func:`open_hub_db`."""
    db: pw.Database | None = Device._meta.database
    if db is None:
        raise RuntimeError("the hub registry is not open: call kiosk_hub.db.open_hub_db first")
    return db


def relax_commit() -> None:
    """Inside a write transaction on PostgreSQL: its commit does not wait for the WAL flush. For heartbeats
    only: a crash of the server can lose the last fraction of a second of them, which the next heartbeat
    (minutes later) makes good; events a terminal deletes once acknowledged never use it."""
    db = registry_db()
    if isinstance(db, pw.PostgresqlDatabase):
        db.execute_sql("SET LOCAL synchronous_commit TO OFF")


def write_tx() -> Any:
    """A write transaction that takes the write lock at once on SQLite (``BEGIN IMMEDIATE``): a deferred
    one that reads first fails with "database is locked" without waiting when another writer is busy."""
    db = registry_db()
    if isinstance(db, pw.SqliteDatabase):
        return db.atomic("IMMEDIATE")
    return db.atomic()
