"""The full-text index: one FTS5 table over articles, cases, guides, institutions and people.

Rows are written by the importers (and by sync) inside the same transaction as the content, so the
index never drifts from what it describes. A row's rowid encodes the kind and the content id, which
makes replacing or deleting the rows of one document a primary-key operation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import peewee as pw

from kiosk.search.text import index_text

KIND_CODES = {"article": 1, "case": 2, "guide": 3, "institution": 4, "person": 5, "law": 6}
CODE_KINDS = {v: k for k, v in KIND_CODES.items()}
_KIND_BITS = 8


def rowid_for(kind: str, ref: int) -> int:
    return ref * _KIND_BITS + KIND_CODES[kind]


def split_rowid(rowid: int) -> tuple[str, int]:
    return CODE_KINDS[rowid % _KIND_BITS], rowid // _KIND_BITS


@dataclass(frozen=True)
class IndexRow:
    kind: str
    ref: int
    title: str  # law title, case title, guide title, institution/person name
    heading: str  # structure path, keywords, type/specialties
    body: str


def create_index_tables(db: pw.Database) -> None:
    # ``detail=full`` keeps positions for phrase queries (a word of n characters = n-1 bigrams).
    db.execute_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
        "title, heading, body, tokenize = 'unicode61 remove_diacritics 0', prefix = '1')"
    )


def put(db: pw.Database, rows: Iterable[IndexRow]) -> int:
    """Insert or replace index rows; returns how many were written."""
    batch = [
        (rowid_for(r.kind, r.ref), index_text(r.title), index_text(r.heading), index_text(r.body))
        for r in rows
    ]
    if batch:
        remove(db, [rowid for rowid, *_ in batch])
        db.cursor().executemany(
            "INSERT INTO search_fts(rowid, title, heading, body) VALUES (?, ?, ?, ?)", batch
        )
    return len(batch)


def remove(db: pw.Database, rowids: Iterable[int]) -> None:
    ids = list(rowids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        db.execute_sql(f"DELETE FROM search_fts WHERE rowid IN ({marks})", chunk)


def remove_refs(db: pw.Database, kind: str, refs: Iterable[int]) -> None:
    remove(db, (rowid_for(kind, ref) for ref in refs))
