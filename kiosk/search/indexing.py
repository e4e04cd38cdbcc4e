"""Turning stored content into index rows. Called by importers and sync inside their transaction.

Contract with callers, because the article index is contentless (see :mod:`kiosk.search.index`):
``remove_law_articles(db, law_id)`` must run while the law's articles and sections are still the
ones that were indexed, i.e. before they are deleted or rewritten; the law row itself may already
have changed. ``index_laws`` may be called again for a law whose status alone changed.
The other kinds (cases, guides, institutions, people) have no such constraint: call
``index_<kind>(db, ids)`` after writing rows and ``remove_<kind>(db, ids)`` for deleted ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import peewee as pw

from kiosk.search import index
from kiosk.search.entry_rows import (
    index_cases,
    index_guides,
    index_institutions,
    index_people,
    remove_cases,
    remove_guides,
    remove_institutions,
    remove_people,
)
from kiosk.search.index import ArticleRow, EntryRow
from kiosk.search.pinyin import pinyin_keys
from kiosk.search.text import TOKENIZER_VERSION, char_text, index_text

__all__ = [
    "index_articles",
    "index_cases",
    "index_guides",
    "index_institutions",
    "index_laws",
    "index_people",
    "mark_law_indexed",
    "rebuild_index",
    "remove_cases",
    "remove_guides",
    "remove_institutions",
    "remove_law_articles",
    "remove_people",
    "unindex_articles",
]

_CHUNK = 400
NATIONAL_PREFIX = "中华人民共和国"


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def display_title(title: str) -> str:
    """The law title as indexed: 中华人民共和国 is in every national title and says nothing."""
    return title.removeprefix(NATIONAL_PREFIX) or title


@dataclass(frozen=True)
class _LawInfo:
    id: int
    title: str
    short_title: str
    level: str
    status: str
    category: str
    digest: str

    @property
    def title_tokens(self) -> str:
        return index_text(display_title(self.title))

    @property
    def tags(self) -> str:
        return " ".join(
            (
                index.law_tag(self.id),
                index.level_tag(self.level),
                index.status_tag(self.status),
                *index.law_scope_tags(self.level, self.status),
            )
        )


def _load_laws(db: pw.Database, ids: list[int]) -> dict[int, _LawInfo]:
    sql = f"SELECT id, title, short_title, level, status, category, digest FROM law WHERE id IN ({_marks(len(ids))})"
    return {row[0]: _LawInfo(*row) for row in db.execute_sql(sql, ids)}


def _recorded(db: pw.Database, ids: list[int]) -> dict[int, tuple[str, str, str]]:
    sql = f"SELECT law_id, digest, title, tags FROM {index.LAW_RECORDS} WHERE law_id IN ({_marks(len(ids))})"
    return {row[0]: (row[1], row[2], row[3]) for row in db.execute_sql(sql, ids)}


def section_paths(db: pw.Database, law_ids: list[int]) -> dict[int, str]:
    """section id → "总则 劳动合同的订立" (the names along the path) for the given laws."""
    rows: dict[int, tuple[int | None, str]] = {}
    for chunk in _chunks(law_ids):
        sql = f"SELECT id, parent_id, name FROM law_section WHERE law_id IN ({_marks(len(chunk))})"
        for sid, parent, name in db.execute_sql(sql, chunk):
            rows[sid] = (parent, name.strip())
    paths: dict[int, str] = {}

    def path(sid: int) -> str:
        if sid not in paths:
            parent, text = rows[sid]
            paths[sid] = f"{path(parent)} {text}" if parent in rows else text
        return paths[sid]

    for sid in rows:
        path(sid)
    return paths


def section_headings(db: pw.Database, law_ids: list[int]) -> dict[int, str]:
    """section id → the tokens its articles are indexed with as their heading."""
    return {sid: index_text(p) for sid, p in section_paths(db, law_ids).items()}


def _row(
    aid: int, law_id: int, section_id: int | None, text: str, heads: dict[int, tuple[str, str]], paths: dict[int, str]
) -> ArticleRow:
    """The one place an article becomes an index row (importers, sync and deletions all replay it)."""
    title, tags = heads[law_id]
    return ArticleRow(aid, title, paths.get(section_id, "") if section_id else "", index_text(text), tags)


def _article_rows(db: pw.Database, law_ids: list[int], heads: dict[int, tuple[str, str]]) -> list[ArticleRow]:
    """Rows for every article of ``law_ids``; ``heads`` gives each law's (title tokens, tags)."""
    if not law_ids:
        return []
    paths = section_headings(db, law_ids)
    sql = f"SELECT id, law_id, section_id, text FROM article WHERE law_id IN ({_marks(len(law_ids))})"
    return [_row(aid, lid, sid, text, heads, paths) for aid, lid, sid, text in db.execute_sql(sql, law_ids)]


def article_rows(
    db: pw.Database, law_id: int, article_ids: Iterable[int], headings: dict[int, str] | None = None
) -> list[ArticleRow]:
    """Index rows of some articles of an indexed law, as its stored content gives them now.

    The law title and tags are the ones its rows were written with (``search_law``), so the rows
    match what is in the index while the law row itself may already have changed. A law that is not
    indexed has no rows. ``headings`` (from :func:`section_headings`) saves reading the sections again.
    """
    recorded = _recorded(db, [law_id]).get(law_id)
    ids = list(article_ids)
    if recorded is None or not ids:
        return []
    heads = {law_id: recorded[1:]}
    paths = section_headings(db, [law_id]) if headings is None else headings
    out: list[ArticleRow] = []
    for chunk in _chunks(ids):
        sql = f"SELECT id, section_id, text FROM article WHERE id IN ({_marks(len(chunk))})"
        out.extend(_row(aid, law_id, sid, text, heads, paths) for aid, sid, text in db.execute_sql(sql, chunk))
    return out


def index_articles(
    db: pw.Database, law_id: int, article_ids: Iterable[int], headings: dict[int, str] | None = None
) -> int:
    """Write the index rows of these (new or rewritten) articles of an indexed law; returns how many.

    For changes article by article (a sync delta): call :func:`unindex_articles` for an article
    before it is rewritten or deleted, this after, and :func:`mark_law_indexed` once every changed
    article of the law is back in the index.
    """
    return index.insert_articles(db, article_rows(db, law_id, article_ids, headings))


def unindex_articles(
    db: pw.Database, law_id: int, article_ids: Iterable[int], headings: dict[int, str] | None = None
) -> None:
    """Remove these articles' rows; call while the articles are still as they were indexed."""
    index.delete_articles(db, article_rows(db, law_id, article_ids, headings))


def mark_law_indexed(db: pw.Database, law_id: int) -> None:
    """Record that the law's rows now match its stored content (its current digest)."""
    db.execute_sql(
        f"UPDATE {index.LAW_RECORDS} SET digest = (SELECT digest FROM law WHERE id = ?) "
        "WHERE law_id = ? AND EXISTS (SELECT 1 FROM law WHERE id = ?)",
        (law_id, law_id, law_id),
    )


def law_entry(info: _LawInfo) -> EntryRow:
    shown = display_title(info.title)
    titles = [shown] + ([info.short_title] if info.short_title not in shown else [])
    return EntryRow(
        kind="law",
        ref=info.id,
        label=info.title,
        title=" ".join(index_text(t) for t in titles),
        heading=index_text(info.category),
        body="",
        chars=char_text(shown),
        tags=f"{index.kind_tag('law')} {info.tags}",
        pinyin=" ".join(pinyin_keys(info.short_title, info.title)),
    )


def ensure_current(db: pw.Database) -> None:
    """Rebuild everything when the index was written by another tokenizer (its deletes would not match)."""
    if index.index_tokenizer_version(db) != TOKENIZER_VERSION:
        rebuild_index(db)


def index_laws(db: pw.Database, law_ids: Iterable[int]) -> int:
    """(Re)index the given laws and their articles; returns how many article rows were written."""
    ensure_current(db)
    return _index_laws(db, list(law_ids))


def _index_laws(db: pw.Database, ids: list[int]) -> int:
    written = 0
    for chunk in _chunks(ids):
        laws = _load_laws(db, chunk)
        recorded = _recorded(db, chunk)
        wanted = {lid: (info.digest, info.title_tokens, info.tags) for lid, info in laws.items()}
        stale = [lid for lid in laws if lid in recorded and recorded[lid] != wanted[lid]]
        fresh = [lid for lid in laws if lid not in recorded or lid in stale]
        index.delete_articles(db, _article_rows(db, stale, {lid: recorded[lid][1:] for lid in stale}))
        written += index.insert_articles(db, _article_rows(db, fresh, {lid: wanted[lid][1:] for lid in fresh}))
        db.cursor().executemany(
            f"INSERT OR REPLACE INTO {index.LAW_RECORDS} (law_id, digest, title, tags) VALUES (?, ?, ?, ?)",
            [(lid, *wanted[lid]) for lid in fresh],
        )
        index.put_entries(db, [law_entry(info) for info in laws.values()])
    return written


def remove_law_articles(db: pw.Database, law_id: int) -> None:
    """Drop a law's rows; call before its articles or sections are deleted or rewritten."""
    ensure_current(db)
    recorded = _recorded(db, [law_id])
    if law_id in recorded:
        index.delete_articles(db, _article_rows(db, [law_id], {law_id: recorded[law_id][1:]}))
        db.execute_sql(f"DELETE FROM {index.LAW_RECORDS} WHERE law_id = ?", (law_id,))
    index.remove_entries(db, "law", [law_id])


def rebuild_index(db: pw.Database) -> int:
    """Drop and rewrite every index table from the stored content (run inside a transaction)."""
    index.drop_index_tables(db)
    index.create_index_tables(db)
    law_ids = [row[0] for row in db.execute_sql("SELECT id FROM law ORDER BY id")]
    written = _index_laws(db, law_ids)
    for table, func in (
        ("case", index_cases),
        ("guide", index_guides),
        ("institution", index_institutions),
        ("person", index_people),
    ):
        ids = [row[0] for row in db.execute_sql(f'SELECT id FROM "{table}"')]
        written += func(db, ids)
    return written
