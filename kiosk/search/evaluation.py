"""Judged queries, retrieval metrics and a naive baseline: what the benchmark and the ranker's
training script share (development tools; nothing here runs on a kiosk).

A judged query lists the articles that answer it as (paths, article number, grade): any version file
of the law in ``paths`` counts, as in ``../shared/data/queries/stard-train.jsonl``. Results are
compared by (law source path, article number).
"""

from __future__ import annotations

import json
import math
import random
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.search.text import fold, is_cjk, runs

CUTOFFS = (5, 10, 20, 100)
SHORT_CHARS = 12  # a query up to this many characters is "short" (what residents type)


@dataclass(frozen=True)
class Wanted:
    paths: frozenset[str]
    article_no: int
    grade: int


@dataclass(frozen=True)
class Judged:
    id: str
    query: str
    wanted: tuple[Wanted, ...]

    @property
    def short(self) -> bool:
        return len(self.query) <= SHORT_CHARS


def load_judged(path: Path) -> list[Judged]:
    """Queries of a ``.jsonl`` file; a line that is not a judged query is an error naming the line."""
    out: list[Judged] = []
    if not path.exists():
        return out
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            wanted = tuple(
                Wanted(frozenset(e.get("paths") or [e["path"]]), int(e["article_no"]), int(e.get("grade", 2)))
                for e in row["expected"]
            )
            out.append(Judged(str(row["id"]), str(row["query"]), wanted))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: not a judged query ({exc})") from exc
    return out


def folds(queries: Sequence[Judged], k: int, seed: int = 11) -> list[list[Judged]]:
    """``k`` disjoint parts of the queries, shuffled with a fixed seed (the same split every run)."""
    order = list(queries)
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


def grades_of(judged: Judged, ranked: Sequence[tuple[str, int] | None]) -> list[int]:
    """Grade of each ranked result (0: not judged); a wanted article counts once, at its best rank."""
    left = list(judged.wanted)
    out = []
    for key in ranked:
        grade = 0
        if key is not None:
            for w in left:
                if key[1] == w.article_no and key[0] in w.paths:
                    grade = w.grade
                    left.remove(w)
                    break
        out.append(grade)
    return out


@dataclass
class Scores:
    """Per-query metrics, averaged by :meth:`summary`."""

    recall: dict[int, list[float]]
    hit5: list[float]
    mrr10: list[float]
    ndcg5: list[float]

    @classmethod
    def empty(cls) -> Scores:
        return cls({k: [] for k in CUTOFFS}, [], [], [])

    def add(self, judged: Judged, ranked: Sequence[tuple[str, int] | None]) -> None:
        grades = grades_of(judged, ranked)
        answers = sum(1 for w in judged.wanted if w.grade == 2) or 1
        for k in CUTOFFS:
            self.recall[k].append(sum(1 for g in grades[:k] if g == 2) / answers)
        self.hit5.append(float(2 in grades[:5]))
        first = next((i for i, g in enumerate(grades[:10]) if g == 2), None)
        self.mrr10.append(0.0 if first is None else 1 / (first + 1))
        dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:5]))
        ideal = sorted((w.grade for w in judged.wanted), reverse=True)[:5]
        idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal)) or 1.0
        self.ndcg5.append(dcg / idcg)

    def extend(self, other: Scores) -> None:
        for k in CUTOFFS:
            self.recall[k] += other.recall[k]
        self.hit5 += other.hit5
        self.mrr10 += other.mrr10
        self.ndcg5 += other.ndcg5

    def summary(self) -> dict[str, float]:
        def mean(values: list[float]) -> float:
            return sum(values) / len(values) if values else 0.0

        out = {f"R@{k}": mean(v) for k, v in self.recall.items()}
        out.update({"hit@5": mean(self.hit5), "MRR@10": mean(self.mrr10), "nDCG@5": mean(self.ndcg5)})
        return out

    def line(self) -> str:
        s = self.summary()
        return "  ".join(f"{k} {v:.3f}" for k, v in s.items()) + f"  (n={len(self.hit5)})"


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bigrams(text: str) -> list[str]:
    """Character bigrams of CJK runs, other runs whole: the naive baseline's tokens."""
    out: list[str] = []
    for run in runs(fold(text)):
        if is_cjk(run):
            out += [run[i : i + 2] for i in range(len(run) - 1)] or [run]
        else:
            out.append(run)
    return out


class NaiveBigrams:
    """A plain FTS5 table of character bigrams over the same articles, ranked by bm25: the bar.

    Kept in a file of its own beside the benchmark database (built once, reused).
    """

    def __init__(self, content_db: Path, path: Path) -> None:
        fresh = not path.exists()
        self.conn = sqlite3.connect(str(path))
        if fresh:
            self._build(content_db)
        src = sqlite3.connect(f"file:{content_db}?mode=ro", uri=True)
        self.keys: dict[int, tuple[str, int]] = {
            art_id: (source, number)
            for art_id, source, number in src.execute(
                "SELECT a.id, l.source, a.number FROM article a JOIN law l ON l.id = a.law_id"
            )
        }
        src.close()

    def _build(self, content_db: Path) -> None:
        src = sqlite3.connect(f"file:{content_db}?mode=ro", uri=True)
        self.conn.execute("CREATE VIRTUAL TABLE naive USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')")
        rows = ((art_id, " ".join(bigrams(text))) for art_id, text in src.execute("SELECT id, text FROM article"))
        self.conn.executemany("INSERT INTO naive (rowid, body) VALUES (?, ?)", rows)
        self.conn.commit()
        src.close()

    def search(self, text: str, limit: int = 100) -> list[tuple[str, int]]:
        toks = sorted(set(bigrams(text)))
        if not toks:
            return []
        expr = " OR ".join('"' + t.replace('"', "") + '"' for t in toks)
        rows = self.conn.execute("SELECT rowid FROM naive WHERE naive MATCH ? ORDER BY rank LIMIT ?", (expr, limit))
        return [self.keys[r[0]] for r in rows if r[0] in self.keys]


def keys_of(hits: Iterable[object]) -> list[tuple[str, int] | None]:
    """(source, article number) of each article hit, None for the other kinds (they hold a place)."""
    out: list[tuple[str, int] | None] = []
    for h in hits:
        source = getattr(h, "source", None)
        number = getattr(h, "article_no", None)
        out.append((source, number) if getattr(h, "kind", "") == "article" and source and number else None)
    return out
