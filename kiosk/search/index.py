"""The full-text index tables and the primitives that write them.

* ``search_fts`` — articles (147k rows). Contentless FTS5 (``content=''``): it keeps the inverted
  index only, not a second copy of the bigram text, which was most of the database. SQLite 3.40
  deletes a contentless row only through the FTS5 ``'delete'`` command given the very tokens the row
  was written with; :mod:`kiosk.search.indexing` regenerates them from the article and its sections
  and from what ``search_law`` recorded about the law when the rows were written.
* ``search_entry`` — laws as a whole, cases, guides, institutions, people (a few thousand rows).
  An ordinary FTS5 table, so rows can be replaced by rowid even after their source row changed.
  It also holds the pinyin of titles and single characters of titles for suggestions.
* ``search_law`` — per law, the title tokens and tags its article rows were written with.
* ``search_meta`` — the tokenizer version the index was built with.

A row's rowid encodes the kind and the content id, so replacing or deleting the rows of one item
is a primary-key operation. Rows are written by the importers (and by sync) inside the same
transaction as the content, so the index never drifts from what it describes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import peewee as pw

from kiosk.law_vocabulary import (
    ADMINISTRATIVE_REGULATION,
    AMENDED,
    CONSTITUTION,
    DEPARTMENTAL_RULE,
    IN_FORCE,
    IN_FORCE_STATUSES,
    JUDICIAL_INTERPRETATION,
    LAW,
    LOCAL_REGULATION,
    NOT_YET_IN_FORCE,
    OTHER_LEVEL,
    REPEALED,
)
from kiosk.search.text import TOKENIZER_VERSION

KIND_CODES = {"article": 1, "case": 2, "guide": 3, "institution": 4, "person": 5, "law": 6}
CODE_KINDS = {v: k for k, v in KIND_CODES.items()}
_KIND_BITS = 8

ARTICLES = "search_fts"
ENTRIES = "search_entry"
LAW_RECORDS = "search_law"
META = "search_meta"

_TOKENIZE = "tokenize = 'unicode61 remove_diacritics 0'"

# Tags are Latin tokens in a column of their own, so filters become FTS5 terms (``tags : zta``).
LEVEL_CODES = {
    CONSTITUTION: "a",
    LAW: "b",
    ADMINISTRATIVE_REGULATION: "c",
    JUDICIAL_INTERPRETATION: "d",
    DEPARTMENTAL_RULE: "e",
    LOCAL_REGULATION: "f",
    OTHER_LEVEL: "g",
}
STATUS_CODES = {IN_FORCE: "a", AMENDED: "b", REPEALED: "c", NOT_YET_IN_FORCE: "d"}


IN_FORCE_TAG = "zinforce"  # 现行有效 or 尚未生效: what a resident gets unless they ask for more
NATIONAL_TAG = "znational"  # every level but 地方性法规


def law_scope_tags(level: str, status: str) -> list[str]:
    """Single tags for the default filters: one doclist to intersect instead of an OR of several."""
    out = []
    if status in IN_FORCE_STATUSES:
        out.append(IN_FORCE_TAG)
    if level != LOCAL_REGULATION:
        out.append(NATIONAL_TAG)
    return out


def level_tag(level: str) -> str:
    return "zv" + LEVEL_CODES.get(level, "g")


def status_tag(status: str) -> str:
    return "zt" + STATUS_CODES.get(status, "a")


def law_tag(law_id: int) -> str:
    return f"zl{law_id}"


def kind_tag(kind: str) -> str:
    return f"zk{KIND_CODES[kind]}"


def region_tag(code: str) -> str:
    return "zr" + "".join(ch for ch in code if ch.isalnum()).lower()


def rowid_for(kind: str, ref: int) -> int:
    return ref * _KIND_BITS + KIND_CODES[kind]


def split_rowid(rowid: int) -> tuple[str, int]:
    return CODE_KINDS[rowid % _KIND_BITS], rowid // _KIND_BITS


@dataclass(frozen=True)
class ArticleRow:
    """An article row exactly as written to (and, for deletion, replayed into) ``search_fts``."""

    ref: int
    title: str  # tokens of the law title
    heading: str  # tokens of the section path
    body: str  # tokens of the article text
    tags: str  # law, level and status tags


@dataclass(frozen=True)
class EntryRow:
    kind: str
    ref: int
    label: str  # display title, returned by searches without a join
    title: str  # tokens
    heading: str  # tokens
    body: str  # tokens
    chars: str  # single characters of the title
    tags: str
    pinyin: str  # full pinyin and initials of the title(s), Latin tokens


def _table_exists(db: pw.Database, name: str) -> bool:
    return db.execute_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def create_index_tables(db: pw.Database) -> None:
    # A ``search_fts`` without ``search_meta`` is the first, content-storing layout: replace it.
    if _table_exists(db, ARTICLES) and not _table_exists(db, META):
        db.execute_sql(f"DROP TABLE {ARTICLES}")
    # ``detail=full`` keeps positions for phrase queries (a word of n characters = n-1 bigrams).
    db.execute_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {ARTICLES} USING fts5(title, heading, body, tags, content='', {_TOKENIZE})"
    )
    db.execute_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {ENTRIES} USING fts5("
        f"title, heading, body, chars, tags, pinyin, label UNINDEXED, {_TOKENIZE})"
    )
    db.execute_sql(
        f"CREATE TABLE IF NOT EXISTS {LAW_RECORDS} ("
        "law_id INTEGER PRIMARY KEY, digest TEXT NOT NULL, title TEXT NOT NULL, tags TEXT NOT NULL)"
    )
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS {META} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute_sql(f"INSERT OR IGNORE INTO {META} (key, value) VALUES ('tokenizer', ?)", (TOKENIZER_VERSION,))


def index_tokenizer_version(db: pw.Database) -> str | None:
    if not _table_exists(db, META):
        return None
    row = db.execute_sql(f"SELECT value FROM {META} WHERE key = 'tokenizer'").fetchone()
    return row[0] if row else None


def drop_index_tables(db: pw.Database) -> None:
    for name in (ARTICLES, ENTRIES, LAW_RECORDS, META):
        db.execute_sql(f"DROP TABLE IF EXISTS {name}")


def _article_values(rows: Iterable[ArticleRow]) -> list[tuple[int, str, str, str, str]]:
    return [(rowid_for("article", r.ref), r.title, r.heading, r.body, r.tags) for r in rows]


def insert_articles(db: pw.Database, rows: Sequence[ArticleRow]) -> int:
    values = _article_values(rows)
    if values:
        db.cursor().executemany(
            f"INSERT INTO {ARTICLES} (rowid, title, heading, body, tags) VALUES (?, ?, ?, ?, ?)", values
        )
    return len(values)


def delete_articles(db: pw.Database, rows: Sequence[ArticleRow]) -> None:
    """Remove rows from the contentless table; ``rows`` must hold the tokens they were written with."""
    values = _article_values(rows)
    if values:
        db.cursor().executemany(
            f"INSERT INTO {ARTICLES} ({ARTICLES}, rowid, title, heading, body, tags) VALUES ('delete', ?, ?, ?, ?, ?)",
            values,
        )


def put_entries(db: pw.Database, rows: Sequence[EntryRow]) -> int:
    """Insert or replace entry rows (laws, cases, guides, institutions, people)."""
    values = [(rowid_for(r.kind, r.ref), r.title, r.heading, r.body, r.chars, r.tags, r.pinyin, r.label) for r in rows]
    if values:
        remove_rowids(db, [v[0] for v in values])
        db.cursor().executemany(
            f"INSERT INTO {ENTRIES} (rowid, title, heading, body, chars, tags, pinyin, label) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )
    return len(values)


def remove_rowids(db: pw.Database, rowids: Iterable[int]) -> None:
    ids = list(rowids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        db.execute_sql(f"DELETE FROM {ENTRIES} WHERE rowid IN ({marks})", chunk)


def remove_entries(db: pw.Database, kind: str, refs: Iterable[int]) -> None:
    remove_rowids(db, (rowid_for(kind, ref) for ref in refs))
