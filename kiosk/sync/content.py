"""Applying a verified package file to the content database in one IMMEDIATE transaction.

A delta applies only on top of exactly its base version. A snapshot applies on top of anything: it
is compared with what the database holds (by record digest) and only the difference is written, so
a terminal that fell too far behind rewrites and re-indexes only what changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from kiosk.store.db import SCHEMA_VERSION
from kiosk.sync import records
from kiosk.sync.apply import Applier, ApplyStats, set_meta
from kiosk.sync.errors import PackageError, VerificationRefused
from kiosk.sync.package import Header, PackageReader

META_VERSION = "content_version"
META_DATE = "content_date"
META_PUBLISHED = "content_published"


@dataclass
class ApplyResult:
    version: int
    previous: int | None
    kind: str
    stats: ApplyStats


def local_version(db: pw.Database) -> int | None:
    row = db.execute_sql("SELECT value FROM meta WHERE key = ?", (META_VERSION,)).fetchone()
    try:
        return int(row[0]) if row else None
    except ValueError:
        return None


def local_date(db: pw.Database) -> str | None:
    row = db.execute_sql("SELECT value FROM meta WHERE key = ?", (META_DATE,)).fetchone()
    return row[0] if row else None


def _check(header: Header, current: int | None) -> None:
    if header.schema != SCHEMA_VERSION:
        raise PackageError(
            f"package is for content schema {header.schema}, this terminal has {SCHEMA_VERSION}; update the software"
        )
    if current is not None and header.version < current:
        raise VerificationRefused(f"package version {header.version} is older than the content held ({current})")
    if header.kind == "delta" and header.base != current:
        raise PackageError(f"delta from version {header.base} does not fit the content held ({current})")


def apply_package(db: pw.Database, path: Path) -> ApplyResult:
    """Apply ``path`` (already verified against signed metadata); the content is left as it was on error."""
    with PackageReader(path) as reader:
        header = reader.header
        with db.atomic("IMMEDIATE"):
            current = local_version(db)
            _check(header, current)
            if header.version == current:
                return ApplyResult(header.version, current, header.kind, ApplyStats())
            applier = Applier(db)
            if header.kind == "delta":
                for op in reader.ops():
                    if op.record is None:
                        applier.delete(op.table, op.key)
                    else:
                        applier.upsert(op.table, op.key, op.record)
            else:
                _apply_snapshot(db, applier, reader, path)
            stats = applier.finish(header.counts)
            set_meta(
                db,
                {
                    META_VERSION: str(header.version),
                    META_DATE: header.content_date,
                    META_PUBLISHED: header.published,
                    "content_applied": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                },
            )
    return ApplyResult(header.version, current, header.kind, stats)


def _apply_snapshot(db: pw.Database, applier: Applier, reader: PackageReader, path: Path) -> None:
    held = records.digest_map(db)
    if not any(held.values()):  # an empty store: everything is new, one pass
        for op in reader.ops():
            if op.record is None:
                raise PackageError("a snapshot holds no deletions")
            applier.upsert(op.table, op.key, op.record)
        return
    wanted: dict[str, dict[str, str]] = {spec.name: {} for spec in records.TABLES}
    for op in reader.ops():  # first pass: what the snapshot holds
        if op.record is None:
            raise PackageError("a snapshot holds no deletions")
        wanted[op.table][op.key] = records.digest(op.record)
    for spec in reversed(records.TABLES):
        gone = sorted(set(held[spec.name]) - set(wanted[spec.name]))
        if spec.name in ("sections", "articles"):
            laws_gone = set(held["laws"]) - set(wanted["laws"])
            gone = [key for key in gone if records.law_of_key(key) not in laws_gone]
        for key in gone:
            applier.delete(spec.name, key)
    with PackageReader(path) as second:  # second pass: write what differs
        for op in second.ops():
            assert op.record is not None
            if held[op.table].get(op.key) != wanted[op.table][op.key]:
                applier.upsert(op.table, op.key, op.record)
