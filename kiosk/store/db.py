"""Opening the content database: explicit pragmas, schema version check, migrations.

The schema version lives in ``PRAGMA user_version`` so it can be read before any table exists.
Each migration is a function from version N-1 to N, run inside one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import peewee as pw

from kiosk.store import models
from kiosk.store.errors import SchemaError

#: Connection pragmas. WAL lets the UI read while a sync writes; ``synchronous=NORMAL`` never
#: corrupts under WAL and content can always be fetched again, unlike the outbox (FULL there).
CONTENT_PRAGMAS: dict[str, object] = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 1,  # NORMAL
    "busy_timeout": 10_000,
    "cache_size": -32_000,  # 32 MB
    # Pages are read from the kernel's page cache in place instead of copied into SQLite's cache:
    # search reads ~20 % less time (bench/bench_search.py). The mapping is file-backed and shared,
    # so it counts in RSS as pages are touched but the kernel drops it under memory pressure.
    "mmap_size": 256 * 1024 * 1024,
    "temp_store": 2,  # memory
}


def _migrate_to_1(db: pw.Database) -> None:
    from kiosk.search import index

    db.create_tables(models.ALL_MODELS)
    index.create_index_tables(db)


MIGRATIONS: list[Callable[[pw.Database], None]] = [_migrate_to_1]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: pw.Database) -> int:
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def migrate(db: pw.Database) -> None:
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise SchemaError(
            f"database schema version {current} is newer than this program understands "
            f"({SCHEMA_VERSION}); update the kiosk software"
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with db.atomic("IMMEDIATE"):
            MIGRATIONS[version - 1](db)
            db.execute_sql(f"PRAGMA user_version = {version}")


def open_content_db(path: Path, *, readonly: bool = False) -> pw.SqliteDatabase:
    """Open (creating if needed) the content database and bind every model to it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = pw.SqliteDatabase(str(path), pragmas=CONTENT_PRAGMAS, check_same_thread=False)
    db.connect(reuse_if_open=True)
    models.content_db.initialize(db)
    if not readonly:
        migrate(db)
    elif schema_version(db) != SCHEMA_VERSION:
        raise SchemaError(f"{path}: schema version {schema_version(db)}, expected {SCHEMA_VERSION}")
    return db
