"""Which content database the models query is decided by the composition root, not by the last file opened.

Two real SQLite files that say different things; each test asks which one answered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import peewee as pw
import pytest

from kiosk.domain_words import content_words
from kiosk.services.home import HomeService
from kiosk.store.db import bind_content_models, bound_database, bound_to, open_content_db
from kiosk.store.errors import BindingError
from kiosk.store.import_misc import import_topics
from kiosk.store.models import HotTopic, Meta, Synonym


def _dated(path: Path, day: str) -> pw.SqliteDatabase:
    db = open_content_db(path)
    with bound_to(db), db.atomic():
        Meta.replace(key="content_date", value=day).execute()
        Synonym.replace(term=f"词{day[:4]}", expansions=["法律"]).execute()
    return db


@pytest.fixture
def first_and_second(tmp_path: Path) -> Iterator[tuple[pw.SqliteDatabase, pw.SqliteDatabase]]:
    before = bound_database()
    first = _dated(tmp_path / "first" / "content.sqlite3", "2025-01-01")
    second = _dated(tmp_path / "second" / "content.sqlite3", "2026-02-02")
    yield first, second
    first.close()
    second.close()
    if before is not None:
        bind_content_models(before)


def test_a_service_answers_from_the_database_it_was_given(
    first_and_second: tuple[pw.SqliteDatabase, pw.SqliteDatabase],
) -> None:
    first, second = first_and_second
    bind_content_models(second)
    assert HomeService(second).content_date() == dt.date(2026, 2, 2)
    bind_content_models(first)
    assert HomeService(first).content_date() == dt.date(2025, 1, 1)


def test_a_service_refuses_a_database_the_models_do_not_read(
    first_and_second: tuple[pw.SqliteDatabase, pw.SqliteDatabase],
) -> None:
    first, second = first_and_second
    bind_content_models(first)
    with pytest.raises(BindingError) as refused:
        HomeService(second)
    assert "second/content.sqlite3" in str(refused.value) and "first/content.sqlite3" in str(refused.value)


def test_opening_another_database_leaves_the_binding_alone(
    first_and_second: tuple[pw.SqliteDatabase, pw.SqliteDatabase], tmp_path: Path
) -> None:
    """What the sync runner relies on: its own connection does not move the screens' reads."""
    first, _ = first_and_second
    bind_content_models(first)
    third = open_content_db(tmp_path / "third" / "content.sqlite3")
    assert bound_database() is first
    assert HomeService(first).content_date() == dt.date(2025, 1, 1)
    third.close()


def test_an_import_into_another_database_writes_there_and_restores_the_binding(
    first_and_second: tuple[pw.SqliteDatabase, pw.SqliteDatabase], tmp_path: Path
) -> None:
    first, second = first_and_second
    bind_content_models(first)
    topics = tmp_path / "topics.csv"
    topics.write_text("topic_id,name,query,description,guide_id,position\nT1,工资,拖欠工资,,,1\n", encoding="utf-8")
    assert import_topics(second, topics).added == 1
    assert bound_database() is first
    assert HomeService(first).topics() == []
    assert second.execute_sql("SELECT name FROM hot_topic").fetchall() == [("工资",)]
    assert HotTopic.select().count() == 0  # the models still read the first file


def test_domain_words_read_the_database_handed_in(
    first_and_second: tuple[pw.SqliteDatabase, pw.SqliteDatabase],
) -> None:
    """Run by the sync runner on its own connection, in a background thread: never the models' binding."""
    first, second = first_and_second
    bind_content_models(first)
    words = {word for word, _ in content_words(second)}
    assert "词2026" in words and "词2025" not in words
    assert bound_database() is first
