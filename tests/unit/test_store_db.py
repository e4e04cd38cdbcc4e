from __future__ import annotations

from pathlib import Path

import peewee as pw
import pytest

from kiosk.store import db as store_db
from kiosk.store.errors import SchemaError


def test_pragmas_are_set_explicitly(content_db: pw.SqliteDatabase) -> None:
    assert content_db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert content_db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert content_db.execute_sql("PRAGMA user_version").fetchone()[0] == store_db.SCHEMA_VERSION


def test_newer_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "content.sqlite3"
    store_db.open_content_db(path).close()
    raw = pw.SqliteDatabase(str(path))
    raw.execute_sql(f"PRAGMA user_version = {store_db.SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(SchemaError, match="newer than this program understands"):
        store_db.open_content_db(path)


def test_migrations_run_in_order_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "content.sqlite3"
    store_db.open_content_db(path).close()
    calls: list[int] = []

    def add_column(db: pw.Database) -> None:
        calls.append(1)
        db.execute_sql("ALTER TABLE hot_topic ADD COLUMN icon TEXT")

    monkeypatch.setattr(store_db, "MIGRATIONS", [*store_db.MIGRATIONS, add_column])
    monkeypatch.setattr(store_db, "SCHEMA_VERSION", len(store_db.MIGRATIONS))
    db = store_db.open_content_db(path)
    assert store_db.schema_version(db) == store_db.SCHEMA_VERSION
    db.close()
    store_db.open_content_db(path).close()
    assert calls == [1]
