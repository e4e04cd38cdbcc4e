"""Building FTS5 expressions from concepts, and running them with a time budget.

User text never reaches FTS5 syntax: expressions are assembled from tokens that hold only CJK
characters, a-z and digits (see :func:`kiosk.search.text.phrase`), plus our own tag words.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import peewee as pw

from kiosk.law_vocabulary import IN_FORCE_STATUSES, NATIONAL_LEVELS
from kiosk.search import index
from kiosk.search.analyze import Alt, Concept, indexable
from kiosk.search.api import SearchFilters
from kiosk.search.text import folded_tokens, phrase


class Budget:
    """Deadline for one search: SQLite is interrupted when it runs out (no query blocks a screen)."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.perf_counter() + seconds

    @property
    def expired(self) -> bool:
        return time.perf_counter() > self.deadline


@contextmanager
def budgeted(db: pw.Database, budget: Budget) -> Iterator[None]:
    conn = db.connection()
    conn.set_progress_handler(lambda: 1 if budget.expired else 0, 2000)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


def run(db: pw.Database, sql: str, params: Iterable[Any]) -> list[tuple[Any, ...]]:
    """Run a query; an interrupted (out of time) or rejected FTS query yields no rows.

    The interruption may come while rows are fetched, outside peewee's wrapper: sqlite3's own
    error is caught too, so running out of time is never an error the resident sees.
    """
    try:
        return list(db.execute_sql(sql, tuple(params)).fetchall())
    except (pw.OperationalError, sqlite3.OperationalError):
        return []


def _any_of(wordings: Iterable[str]) -> str | None:
    phrases: list[str] = []
    for wording in wordings:
        p = phrase(wording)
        if p and p not in phrases:
            phrases.append(p)
    if not phrases:
        return None
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"


def alt_expr(alt: Alt) -> str | None:
    parts = [_any_of(part) for part in alt.parts]
    if not all(parts):
        return None
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(p for p in parts if p) + ")"


def concept_expr(concept: Concept, alts: Iterable[Alt] | None = None) -> str | None:
    exprs: list[str] = []
    for alt in concept.searchable if alts is None else alts:
        e = alt_expr(alt)
        if e and e not in exprs:
            exprs.append(e)
    if not exprs:
        return None
    return exprs[0] if len(exprs) == 1 else "(" + " OR ".join(exprs) + ")"


def tags_expr(tags: Iterable[str]) -> str | None:
    words = sorted(set(tags))
    if not words:
        return None
    return "tags : " + (words[0] if len(words) == 1 else "(" + " OR ".join(words) + ")")


def status_filter(filters: SearchFilters) -> str | None:
    if not filters.statuses or set(filters.statuses) == set(IN_FORCE_STATUSES):
        return f"tags : {index.IN_FORCE_TAG}"
    return tags_expr(index.status_tag(s) for s in filters.statuses)


def level_filter(levels: Iterable[str]) -> str | None:
    wanted = set(levels)
    if wanted == set(NATIONAL_LEVELS):
        return f"tags : {index.NATIONAL_TAG}"
    return tags_expr(index.level_tag(level) for level in wanted)


def conjoin(parts: Iterable[str | None], op: str = "AND") -> str | None:
    kept = [p for p in parts if p]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else f" {op} ".join(f"({p})" for p in kept)


class DocFreq:
    """Document frequencies of bigram tokens in the article index, cached for the catalog's life."""

    def __init__(self) -> None:
        self._cache: dict[str, int] = {}
        # The tokens of many rows, listed in one pass over the index by the warm-up (:meth:`know`):
        # counting one of them costs ~0.2 ms, and a fresh question asked for several.
        self._listed: dict[str, int] = {}

    def know(self, counts: Iterable[tuple[str, int]]) -> None:
        """Keep these (token, rows) for the catalog's life, outside the bounded cache."""
        self._listed.update(counts)

    def token(self, db: pw.Database, token: str) -> int:
        listed = self._listed.get(token)
        if listed is not None:
            return listed
        if token not in self._cache:
            rows = run(db, f"SELECT count(*) FROM {index.ARTICLES} WHERE {index.ARTICLES} MATCH ?", [f'"{token}"'])
            if not rows:
                return 0  # interrupted (out of time): not known, so not remembered
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[token] = int(rows[0][0])
        return self._cache[token]

    def wording(self, db: pw.Database, folded: str) -> int:
        """Upper bound of the rows holding ``folded``: the rarest of its bigrams."""
        toks = folded_tokens(folded)
        if not toks:
            return 0
        return min(self.token(db, t) for t in toks)

    def alt(self, db: pw.Database, alt: Alt) -> int:
        """Upper bound for an alternative: its rarest part, each part its commonest wording."""
        return min(max((self.wording(db, w) for w in part if indexable(w)), default=0) for part in alt.parts)

    def concept(self, db: pw.Database, concept: Concept) -> int:
        return max((self.alt(db, a) for a in concept.searchable), default=0)
