"""FTS5's bm25 ordering of an expression, computed from each phrase's own scores, kept between searches.

Ordering the rows of a common word by bm25 is most of a short question's time: FTS5 scores every
row that holds it (~1.5 µs a row, 11,000 rows for 申请), for every question that uses the word.
bm25 is a sum over the query's phrases, and each phrase's term depends only on that phrase and
the row (its idf, its weighted count in the row, the row's length). So the score of a row for
``(A) OR (B AND C)`` is the sum of A's, B's and C's single-phrase scores, counted where that
phrase's part of the expression matched (FTS5 clears the positions of a branch that did not
match the row). Each phrase's scores are fetched from FTS5 once, kept (bounded, least recently
used first out), and combined in numpy. Phrase terms are added in the query's order, so every
row's score is the very double FTS5 computes for that row. One difference was seen: over all 1,341
bench questions, FTS5's scan once left out a phrase of an OR inside an AND for a row whose own
lookup (``rowid = ?``) counts it; the sum here is that lookup's score (2 of 450 rows changed).

The commonest tokens are fetched by :meth:`PhraseScores.warm` in slices after the kiosk starts
(~3.4M rows, 40 MB and 5.5 s over the whole law collection); a question with a common word not
kept yet is ordered by FTS5 as before, so nothing waits for a fetch a question did not need.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import peewee as pw

from kiosk.search import fts, index

#: Column weights of bm25 (title, heading, body, tags): the weights of every ordered article query.
BM25_WEIGHTS = "2.0, 0.5, 1.0, 0.0"
ROW_BYTES = 12  # one kept row: its rowid (int32) and its bm25 (float64)
MAX_ENTRIES = 4_000_000  # rows kept over all phrases (~48 MB)
#: A phrase in no more rows than this is fetched while a question waits (a few ms at most); a
#: commoner one only by :meth:`PhraseScores.warm`, before residents come.
FETCH_ROWS = 2_000
#: The warm-up's list of the vocabulary gives the row counts of the tokens in more rows than this
#: (14,513 on the whole collection): a fresh question then counts only its rarer tokens, each fast.
LISTED_ROWS = 100

PHRASE_SQL = (
    f"SELECT rowid, bm25({index.ARTICLES}, {BM25_WEIGHTS}) FROM {index.ARTICLES} "
    f"WHERE {index.ARTICLES} MATCH ? ORDER BY rowid"
)

_TOKEN = re.compile(r'\s*(\(|\)|"[^"]*"|AND\b|OR\b)')

Rows = npt.NDArray[np.int32]  # index rowids (article id × 8 + kind): int32 up to 268M articles
Scores = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Node:
    """A parsed expression: a phrase (``op`` is ``""``) or an AND / OR of parts."""

    op: str
    phrase: str = ""
    parts: tuple[Node, ...] = ()


def parse(expr: str) -> Node | None:
    """The tree of an expression built by :mod:`kiosk.search.fts` from phrases, AND, OR and
    brackets; None for anything else (a column filter), which FTS5 then orders itself."""
    tokens: list[str] = []
    pos = 0
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if not m:
            return None if expr[pos:].strip() else _parsed(tokens)
        tokens.append(m.group(1))
        pos = m.end()
    return _parsed(tokens)


def _parsed(tokens: list[str]) -> Node | None:
    at = 0

    def operand() -> Node | None:
        nonlocal at
        if at >= len(tokens):
            return None
        tok = tokens[at]
        at += 1
        if tok.startswith('"'):
            return Node("", tok)
        if tok != "(":
            return None
        inner = either()
        if inner is None or at >= len(tokens) or tokens[at] != ")":
            return None
        at += 1
        return inner

    def chain(op: str, item: Callable[[], Node | None]) -> Node | None:
        nonlocal at
        parts: list[Node] = []
        while True:
            part = item()
            if part is None:
                return None
            parts.append(part)
            if at >= len(tokens) or tokens[at] != op:
                return parts[0] if len(parts) == 1 else Node(op, parts=tuple(parts))
            at += 1

    def both() -> Node | None:  # AND binds tighter than OR, as in FTS5
        return chain("AND", operand)

    def either() -> Node | None:
        return chain("OR", both)

    tree = either()
    return tree if tree is not None and at == len(tokens) else None


def _phrases(node: Node) -> list[Node]:
    """The phrase leaves in the order FTS5 numbers them (left to right; a repeated phrase twice)."""
    return [node] if not node.op else [leaf for part in node.parts for leaf in _phrases(part)]


class PhraseScores:
    """Each phrase's rows (ascending) and single-phrase bm25 there, the most recently used kept."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._kept: OrderedDict[str, tuple[Rows, Scores]] = OrderedDict()
        self._size = 0
        self._todo: list[tuple[str, int]] | None = None  # tokens :meth:`warm` has still to fetch

    def get(self, db: pw.Database, phrase: str, budget: fts.Budget | None) -> tuple[Rows, Scores] | None:
        """None when the search ran out of time while fetching (nothing is kept then). Without a
        budget the fetch is not interrupted (warming, outside a search)."""
        hit = self._kept.get(phrase)
        if hit is not None:
            self._kept.move_to_end(phrase)
            return hit
        got = fts.run(db, PHRASE_SQL, [phrase])
        if budget is not None and budget.expired:
            return None
        rows = np.fromiter((r[0] for r in got), dtype=np.int32, count=len(got))  # see ROW_BYTES
        scores = np.fromiter((r[1] for r in got), dtype=np.float64, count=len(got))
        self._kept[phrase] = (rows, scores)
        self._size += len(rows)
        while self._size > self.max_entries and len(self._kept) > 1:
            _, (old, _) = self._kept.popitem(last=False)
            self._size -= len(old)
        return rows, scores

    def covers(self, db: pw.Database, tree: Node, df: fts.DocFreq) -> bool:
        """Whether every phrase of ``tree`` is kept or cheap to fetch now."""
        for leaf in _phrases(tree):
            if leaf.phrase not in self._kept:
                tokens = leaf.phrase.strip('"').split()
                if not tokens or min(df.token(db, t) for t in tokens) > FETCH_ROWS:
                    return False
        return True

    def warm(self, db: pw.Database, seconds: float, most_rows: int, df: fts.DocFreq | None = None) -> bool:
        """Keep the single tokens held by more than :data:`FETCH_ROWS` and at most ``most_rows``
        rows, the commonest (dearest to score) first, for about ``seconds``; True while some
        remain. A question's common words are then summed instead of scored. The first call lists
        the vocabulary, and ``df`` learns the row counts of the tokens in more than :data:`LISTED_ROWS`
        rows from it (the same numbers FTS5 counts for each: tested)."""
        budget = fts.Budget(seconds)
        if self.max_entries <= FETCH_ROWS:
            # Not even the smallest token kept could fit (search_memory_mb 0): no work at all; listing
            # the vocabulary alone reads the whole index (~0.7 s, 145 MB of mapped pages).
            return False
        if self._todo is None:
            vocab = f"temp.{index.ARTICLES}_vocab"
            db.execute_sql(f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocab} USING fts5vocab(main, {index.ARTICLES}, row)")
            # Tags (z…: scope, level, law) are filters, never a phrase of a question.
            sql = f"SELECT term, doc FROM {vocab} WHERE doc > ? AND term NOT GLOB 'z*'"
            listed = [(str(t), int(n)) for t, n in fts.run(db, sql, [LISTED_ROWS])]
            if df is not None:
                df.know(listed)
            self._todo = sorted(
                ((t, n) for t, n in listed if FETCH_ROWS < n <= most_rows), key=lambda tn: (tn[1], tn[0])
            )
            return bool(self._todo)
        while self._todo:  # at least one token a slice, however short: warming always ends
            term, rows = self._todo[-1]  # the commonest left
            if self._size + rows > self.max_entries:
                self._todo.clear()
                break
            self.get(db, f'"{term}"', None)
            self._todo.pop()
            if budget.expired:
                break
        return bool(self._todo)

    def clear(self) -> None:
        self._kept.clear()
        self._size = 0
        self._todo = None

    @property
    def size(self) -> int:
        """Rows kept over all phrases."""
        return self._size


def ranked(db: pw.Database, cache: PhraseScores, tree: Node, budget: fts.Budget) -> tuple[Rows, Scores] | None:
    """Every row matching ``tree`` (ascending) with its bm25 (FTS5's sign: lower is better); None
    when time ran out. :func:`best` orders them."""
    leaves = _phrases(tree)
    fetched: dict[str, tuple[Rows, Scores]] = {}
    for leaf in leaves:
        if leaf.phrase not in fetched:
            got = cache.get(db, leaf.phrase, budget)
            if got is None:
                return None
            fetched[leaf.phrase] = got
    universe = _union([fetched[p][0] for p in fetched])
    present: dict[str, npt.NDArray[np.bool_]] = {}
    terms: dict[str, Scores] = {}
    for phrase, (rows, scores) in fetched.items():
        at = np.searchsorted(universe, rows)
        mask = np.zeros(len(universe), dtype=bool)
        mask[at] = True
        term = np.zeros(len(universe), dtype=np.float64)
        term[at] = scores
        present[phrase], terms[phrase] = mask, term

    matched: dict[int, npt.NDArray[np.bool_]] = {}

    def match(node: Node) -> npt.NDArray[np.bool_]:
        if not node.op:
            out = present[node.phrase]
        else:
            kids = [match(part) for part in node.parts]
            out = np.logical_and.reduce(kids) if node.op == "AND" else np.logical_or.reduce(kids)
        matched[id(node)] = out
        return out

    root = match(tree)
    counted: dict[int, npt.NDArray[np.bool_]] = {}

    def count(node: Node, active: npt.NDArray[np.bool_]) -> None:
        here = active & matched[id(node)]
        if not node.op:
            counted[id(node)] = here
        for part in node.parts:
            count(part, here)

    count(tree, root)
    total = np.zeros(len(universe), dtype=np.float64)
    for leaf in leaves:  # in FTS5's phrase order: the same additions, so the same doubles
        total += np.where(counted[id(leaf)], terms[leaf.phrase], 0.0)
    return universe[root], total[root]


def best(rows: Rows, scores: Scores, limit: int) -> Rows:
    """The ``limit`` best of ``rows`` (ascending) by score, ties by rowid, best first: the rows of
    ``ORDER BY bm25 LIMIT``. Only they are sorted (sorting all 11,000 rows of 申请 took 0.7 ms)."""
    if len(rows) > limit > 0:
        kth = np.partition(scores, limit - 1)[limit - 1]
        keep = scores < kth
        tied = np.flatnonzero(scores == kth)[: limit - int(keep.sum())]  # the lowest rowids
        keep[tied] = True
        rows, scores = rows[keep], scores[keep]
    order = np.lexsort((rows, scores))
    return rows[order][: max(limit, 0)]


def _union(sorted_rows: list[Rows]) -> Rows:
    """The distinct rows of ascending arrays, ascending. A stable sort merges the runs (numpy's
    timsort for integers): ~30 µs for 11,000 rows where ``np.unique`` took 1.2 ms."""
    rows = np.sort(np.concatenate(sorted_rows), kind="stable")
    if len(rows) < 2:
        return rows
    first = np.empty(len(rows), dtype=bool)
    first[0] = True
    np.not_equal(rows[1:], rows[:-1], out=first[1:])
    return rows[first]
