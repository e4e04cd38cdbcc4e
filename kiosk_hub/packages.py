"""Building the packages of one content version: a full snapshot and deltas from older versions.

A version's *map* (table → key → record digest) is kept beside the repository so later versions can
compute deltas against it without the old database.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from kiosk.store.db import SCHEMA_VERSION
from kiosk.sync import records
from kiosk.sync.package import Header, PackageReader, PackageWriter

VersionMap = dict[str, dict[str, str]]


@dataclass(frozen=True)
class BuiltPackage:
    path: Path
    kind: str  # snapshot or delta
    version: int
    base: int | None
    length: int
    operations: int


def save_map(path: Path, version_map: VersionMap) -> None:
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as f:
        json.dump(version_map, f, ensure_ascii=False, separators=(",", ":"))
    tmp.replace(path)


def load_map(path: Path) -> VersionMap:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data: VersionMap = json.load(f)
    return data


def version_map(db: pw.Database) -> VersionMap:
    return records.digest_map(db)


def same_content(a: VersionMap, b: VersionMap) -> bool:
    return all(a.get(spec.name, {}) == b.get(spec.name, {}) for spec in records.TABLES)


def _header(
    kind: str, version: int, base: int | None, current: VersionMap, content_date: str, published: str
) -> Header:
    return Header(kind, version, base, SCHEMA_VERSION, content_date, published, records.counts(current))


def write_snapshot(
    db: pw.Database, path: Path, version: int, current: VersionMap, content_date: str, published: str
) -> BuiltPackage:
    writer = PackageWriter(path, _header("snapshot", version, None, current, content_date, published))
    n = 0
    for table, key, record in records.export(db):
        writer.upsert(table, key, record)
        n += 1
    return BuiltPackage(path, "snapshot", version, None, writer.close(), n)


def write_delta(
    snapshot: Path,
    path: Path,
    version: int,
    base: int,
    base_map: VersionMap,
    current: VersionMap,
    content_date: str,
    published: str,
) -> BuiltPackage:
    """The delta ``base → version``, its upserts read back from the version's own snapshot file."""
    writer = PackageWriter(path, _header("delta", version, base, current, content_date, published))
    n = 0
    laws_gone = set(base_map.get("laws", {})) - set(current["laws"])
    for spec in reversed(records.TABLES):
        gone = sorted(set(base_map.get(spec.name, {})) - set(current[spec.name]))
        if spec.name in ("sections", "articles"):  # deleting the law deletes them
            gone = [key for key in gone if records.law_of_key(key) not in laws_gone]
        for key in gone:
            writer.delete(spec.name, key)
            n += 1
    with PackageReader(snapshot) as reader:
        for op in reader.ops():
            assert op.record is not None
            if base_map.get(op.table, {}).get(op.key) != current[op.table][op.key]:
                writer.upsert(op.table, op.key, op.record)
                n += 1
    return BuiltPackage(path, "delta", version, base, writer.close(), n)
