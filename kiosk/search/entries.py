"""Searching the small ``search_entry`` table: laws by title and pinyin, cases, guides, offices, people."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import peewee as pw

from kiosk.search import fts, index
from kiosk.search.analyze import Concept, QueryPlan
from kiosk.search.api import SearchFilters
from kiosk.search.catalog import Catalog
from kiosk.search.pinyin import pinyin_keys
from kiosk.search.text import fold, is_cjk

ENTRY_KINDS = ("law", "case", "guide", "institution", "person")
DIRECTORY = ("institution", "person")
LIMIT = 60
_COLUMNS = "{title heading body}"


@dataclass
class EntryHit:
    kind: str
    ref: int
    label: str
    score: float  # 0..1: how well the entry answers the query
    title_like: bool  # the query is (mostly) this entry's name: show it first
    wordings: list[str] = field(default_factory=list)
    partial: bool = False  # holds only some of the query's words (found by the any-of query)


def wanted_kinds(filters: SearchFilters) -> list[str]:
    if not filters.kinds:
        return list(ENTRY_KINDS)
    return [k for k in ENTRY_KINDS if k in filters.kinds]


def _concept_expr(c: Concept, lone_characters: bool = True) -> str | None:
    """What finds an entry by this word; without ``lone_characters``, not by one character alone."""
    parts = []
    words = fts.concept_expr(c)
    if words:
        parts.append(f"{_COLUMNS} : {words}")
    for wording in (a.simple for a in c.alts if a.simple):
        if len(wording) == 1 and is_cjk(wording):
            if lone_characters:
                parts.append(f"chars : {wording}")
        elif wording.isascii() and wording.isalpha() and len(wording) >= 2:
            parts.append(f"pinyin : {wording}*")
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def _group_filters(kinds: list[str], filters: SearchFilters) -> list[tuple[list[str], str | None]]:
    """One FTS filter per group of kinds that share their filtering rules."""
    groups: list[tuple[list[str], str | None]] = []
    if "law" in kinds:
        parts = [f"tags : {index.kind_tag('law')}", fts.status_filter(filters)]
        if filters.levels:
            parts.append(fts.level_filter(filters.levels))
        groups.append((["law"], fts.conjoin(parts)))
    plain = [k for k in kinds if k in ("case", "guide") or (k in DIRECTORY and not filters.region)]
    if plain:
        groups.append((plain, fts.tags_expr(index.kind_tag(k) for k in plain)))
    regional = [k for k in kinds if k in DIRECTORY and filters.region]
    if regional and filters.region:
        tag = index.region_tag(filters.region)
        groups.append((regional, fts.conjoin([fts.tags_expr(index.kind_tag(k) for k in regional), f"tags : {tag}"])))
    return groups


def search_entries(
    db: pw.Database, catalog: Catalog, plan: QueryPlan, filters: SearchFilters, budget: fts.Budget
) -> list[EntryHit]:
    exprs = [(c, e) for c in plan.concepts if (e := _concept_expr(c))]
    if not exprs:
        return []
    sql = (
        f"SELECT rowid, label, bm25({index.ENTRIES}, 10.0, 2.0, 1.0, 3.0, 0.0, 6.0) AS s FROM {index.ENTRIES} "
        f"WHERE {index.ENTRIES} MATCH ? ORDER BY s LIMIT {LIMIT}"
    )
    hits: dict[int, EntryHit] = {}
    for _kinds, tag_filter in _group_filters(wanted_kinds(filters), filters):
        if budget.expired:
            break
        rows = fts.run(db, sql, [fts.conjoin([*(e for _, e in exprs), tag_filter])])
        partial = False
        if not rows and len(exprs) > 1:
            # Some of the words, each by more than one character: nearly every name and guide holds
            # a 人 or a 用, and an entry that shares only that with the question shares nothing.
            some = fts.conjoin([e for c, _ in exprs if (e := _concept_expr(c, lone_characters=False))], "OR")
            rows = fts.run(db, sql, [fts.conjoin([some, tag_filter])]) if some else []
            partial = True
        for rowid, label, _ in rows:
            kind, ref = index.split_rowid(rowid)
            if rowid not in hits:
                hits[rowid] = _judge(kind, ref, label, plan, catalog, partial)
    return sorted(hits.values(), key=lambda h: (-h.score, h.kind, h.ref))


def _judge(kind: str, ref: int, label: str, plan: QueryPlan, catalog: Catalog, partial: bool) -> EntryHit:
    # A law's folded name is in the catalog: folding its label (opencc) would be thrown away.
    name = catalog.laws[ref].name if kind == "law" and ref in catalog.laws else fold(label)
    in_title: list[str] = []
    covered = 0
    wordings: list[str] = []
    # A lone character is marked only in a question with nothing longer: in 车被人打坏了 every 人 and
    # 车 of a guide was marked (被继承【人】, 停【车】位), and told the resident nothing.
    lone_marked = all(len(w) < 2 for c in plan.concepts for w in c.wordings)
    for c in plan.concepts:
        found = [w for w in c.wordings if w in name]
        wordings += [w for w in c.wordings if lone_marked or len(w) >= 2]
        if found:
            in_title.append(c.text)
            covered += max(len(w) for w in found)
    share = len(in_title) / max(1, len(plan.concepts))
    name_cover = min(1.0, covered / max(1, len(name)))
    pinyin = bool(plan.latin) and not in_title and _pinyin_match(plan.latin, label)
    named = share == 1.0 and name_cover >= 0.6 and not plan.cues
    title_like = named or (pinyin and len(plan.concepts) == len(plan.latin))
    score = (0.5 if partial else 0.75) + 0.25 * share * (0.5 + 0.5 * name_cover)
    if pinyin:
        score = max(score, 0.9)
    return EntryHit(kind, ref, label, min(score, 1.0), title_like, wordings, partial)


@lru_cache(maxsize=8192)
def _keys(label: str) -> tuple[str, ...]:
    return tuple(pinyin_keys(label))


def _pinyin_match(latin: list[str], label: str) -> bool:
    """Every Latin word of the query starts the full pinyin or the initials of the title."""
    keys = _keys(label)
    return all(w.isalpha() and any(k.startswith(w) for k in keys) for w in latin)
