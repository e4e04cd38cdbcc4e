"""Keeping the search index in step while sync rewrites content, inside the same transaction.

The article index is contentless (see :mod:`kiosk.search.index`): a row can only be removed by
replaying the tokens it was written with, so the index must be told about a change *before* the
article or its sections change. Two ways per law:

* **whole law** — the law is new, deleted, its title/level/status changed, or its sections changed:
  ``indexing.remove_law_articles`` right away (while the old rows are still in place), then
  ``indexing.index_laws`` once at the end. This is what the importers do.
* **article by article** — only some articles changed (a typical delta): each article's old row is
  removed just before the article is rewritten and its new row is written at the end. Re-indexing
  whole laws for a 1 % change would touch ~30 % of all articles and take seconds.

Invariant: for every law, either its index rows match the stored articles exactly, or the law is in
``whole`` and has no article rows left. ``tests/sync/test_apply.py`` checks the article-by-article
path against a full rebuild term by term.
"""

from __future__ import annotations

from collections import defaultdict

import peewee as pw

from kiosk.search import indexing
from kiosk.store.reindex import reindex

_CHUNK = 400


def _marks(n: int) -> str:
    return ",".join("?" * n)


class SearchSync:
    def __init__(self, db: pw.Database):
        self.db = db
        indexing.ensure_current(db)
        self.whole: set[int] = set()
        self.pending: dict[int, set[int]] = defaultdict(set)  # law id → articles to (re)insert at the end
        self.touched: dict[str, set[int]] = defaultdict(set)
        self.removed: dict[str, set[int]] = defaultdict(set)
        self._headings_of: dict[int, dict[int, str]] = {}  # law id → section headings as indexed

    # --- laws -------------------------------------------------------------------------------------

    def law_new(self, law_id: int) -> None:
        self.whole.add(law_id)

    def law_whole(self, law_id: int) -> None:
        """Call before the law's sections or articles change (or its title/level/status did)."""
        if law_id in self.whole:
            return
        self._flush_law(law_id)
        indexing.remove_law_articles(self.db, law_id)
        self.whole.add(law_id)

    def law_deleted(self, law_id: int) -> None:
        self.law_whole(law_id)
        self.whole.discard(law_id)

    # --- articles ---------------------------------------------------------------------------------

    def articles_changing(self, law_id: int, article_ids: list[int]) -> None:
        """Call before updating or deleting these articles of ``law_id``."""
        if law_id in self.whole or not article_ids:
            return
        indexed = [aid for aid in article_ids if aid not in self.pending[law_id]]
        indexing.unindex_articles(self.db, law_id, indexed, self._headings(law_id))

    def article_written(self, law_id: int, article_id: int) -> None:
        if law_id not in self.whole:
            self.pending[law_id].add(article_id)

    def article_deleted(self, law_id: int, article_id: int) -> None:
        self.pending[law_id].discard(article_id)

    def _headings(self, law_id: int) -> dict[int, str]:
        if law_id not in self._headings_of:
            self._headings_of[law_id] = indexing.section_headings(self.db, [law_id])
        return self._headings_of[law_id]

    def _flush_law(self, law_id: int) -> None:
        ids = sorted(self.pending.pop(law_id, set()))
        if ids:
            indexing.index_articles(self.db, law_id, ids, self._headings(law_id))
            indexing.mark_law_indexed(self.db, law_id)

    # --- other kinds ------------------------------------------------------------------------------

    def entry_written(self, kind: str, row_id: int) -> None:
        self.touched[kind].add(row_id)

    def entry_deleted(self, kind: str, row_id: int) -> None:
        self.touched[kind].discard(row_id)
        self.removed[kind].add(row_id)

    def finish(self) -> dict[str, int]:
        for law_id in list(self.pending):
            if law_id not in self.whole:
                self._flush_law(law_id)
        existing = [
            row[0]
            for chunk in _chunked(sorted(self.whole))
            for row in self.db.execute_sql(f"SELECT id FROM law WHERE id IN ({_marks(len(chunk))})", chunk)
        ]
        if existing:
            indexing.index_laws(self.db, existing)
        for kind in set(self.touched) | set(self.removed):
            reindex(self.db, kind, sorted(self.touched[kind]), sorted(self.removed[kind]))
        return {"laws_reindexed": len(existing)}


def _chunked(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]
