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
``whole`` and has no article rows left. ``tests/sync/test_reindex.py`` checks the article-by-article
path against a full rebuild term by term.
"""

from __future__ import annotations

from collections import defaultdict

import peewee as pw

from kiosk.search import index, indexing
from kiosk.search.text import index_text
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
        self._paths: dict[int, dict[int, str]] = {}

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
        rows = [row for row in self._rows(law_id, article_ids) if row.ref not in self.pending[law_id]]
        index.delete_articles(self.db, rows)

    def article_written(self, law_id: int, article_id: int) -> None:
        if law_id not in self.whole:
            self.pending[law_id].add(article_id)

    def article_deleted(self, law_id: int, article_id: int) -> None:
        self.pending[law_id].discard(article_id)

    def _recorded(self, law_id: int) -> tuple[str, str] | None:
        row = self.db.execute_sql(f"SELECT title, tags FROM {index.LAW_RECORDS} WHERE law_id = ?", (law_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def _rows(self, law_id: int, article_ids: list[int]) -> list[index.ArticleRow]:
        """The index rows of these articles as the stored content gives them now."""
        recorded = self._recorded(law_id)
        if recorded is None:
            return []
        if law_id not in self._paths:
            self._paths[law_id] = {
                sid: index_text(path) for sid, path in indexing.section_paths(self.db, [law_id]).items()
            }
        paths = self._paths[law_id]
        title, tags = recorded
        out = []
        for start in range(0, len(article_ids), _CHUNK):
            chunk = article_ids[start : start + _CHUNK]
            sql = f"SELECT id, section_id, text FROM article WHERE id IN ({_marks(len(chunk))})"
            for aid, section_id, text in self.db.execute_sql(sql, chunk):
                heading = paths.get(section_id, "") if section_id else ""
                out.append(index.ArticleRow(aid, title, heading, index_text(text), tags))
        return out

    def _flush_law(self, law_id: int) -> None:
        ids = sorted(self.pending.pop(law_id, set()))
        if ids:
            index.insert_articles(self.db, self._rows(law_id, ids))
            digest = self.db.execute_sql("SELECT digest FROM law WHERE id = ?", (law_id,)).fetchone()
            if digest:
                self.db.execute_sql(f"UPDATE {index.LAW_RECORDS} SET digest = ? WHERE law_id = ?", (digest[0], law_id))

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
