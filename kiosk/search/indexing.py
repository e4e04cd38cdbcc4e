"""Turning stored content into index rows. Called by importers and sync inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import peewee as pw

from kiosk.search.index import IndexRow, put, remove_refs

_CHUNK = 400


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def section_paths(db: pw.Database, law_ids: list[int]) -> dict[int, str]:
    """section id → "第一编 总则 / 第一章 …" for the given laws."""
    rows: dict[int, tuple[int | None, str]] = {}
    for chunk in _chunks(law_ids):
        for sid, parent, label, name in db.execute_sql(
            f"SELECT id, parent_id, label, name FROM law_section WHERE law_id IN ({_marks(len(chunk))})", chunk
        ):
            rows[sid] = (parent, f"{label} {name}".strip())
    paths: dict[int, str] = {}

    def path(sid: int) -> str:
        if sid not in paths:
            parent, text = rows[sid]
            paths[sid] = f"{path(parent)} {text}" if parent in rows else text
        return paths[sid]

    for sid in rows:
        path(sid)
    return paths


def index_laws(db: pw.Database, law_ids: Iterable[int]) -> int:
    ids = list(law_ids)
    written = 0
    for chunk in _chunks(ids):
        laws = {
            law_id: (title, short_title)
            for law_id, title, short_title in db.execute_sql(
                f"SELECT id, title, short_title FROM law WHERE id IN ({_marks(len(chunk))})", chunk
            )
        }
        paths = section_paths(db, chunk)
        law_rows = [
            IndexRow("law", law_id, f"{title} {short}", "", "") for law_id, (title, short) in laws.items()
        ]
        article_rows = (
            IndexRow("article", aid, laws[law_id][0], paths.get(section_id, "") if section_id else "", text)
            for aid, law_id, section_id, text in db.execute_sql(
                f"SELECT id, law_id, section_id, text FROM article WHERE law_id IN ({_marks(len(chunk))})", chunk
            )
        )
        written += put(db, law_rows) + put(db, article_rows)
    return written


def remove_law_articles(db: pw.Database, law_id: int) -> None:
    ids = [row[0] for row in db.execute_sql("SELECT id FROM article WHERE law_id = ?", (law_id,))]
    remove_refs(db, "article", ids)
    remove_refs(db, "law", [law_id])
