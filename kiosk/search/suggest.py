"""Suggestions while typing: names of laws, guides, offices, people and cases after one character.

They read only the small entry table (a few thousand rows), never the article index, and run under a
short time budget, so a keystroke never waits on them; from two characters on, the best articles
follow the names when there is room.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import peewee as pw

from kiosk.search import fts, index
from kiosk.search.analyze import clean
from kiosk.search.api import SearchFilters, SearchHit
from kiosk.search.catalog import LEVEL_RANK, LawInfo, get_catalog
from kiosk.search.text import fold, folded_tokens, is_cjk, runs

SUGGEST_SECONDS = 0.15
MAX_SUGGESTIONS = 50
KIND_ORDER = {"guide": 0, "law": 1, "institution": 2, "case": 3, "person": 4}

#: (sort key, kind, id, label, the law when the entry is one)
Ranked = tuple[tuple[int, ...], str, int, str, "LawInfo | None"]


def _prefix_expr(folded: str) -> str | None:
    parts = []
    for run in runs(folded)[:6]:
        if is_cjk(run):
            if len(run) == 1:
                parts.append(f"chars : {run}")
            else:
                parts.append('title : "' + " ".join(folded_tokens(run)) + '"')
        else:
            parts.append(f"(pinyin : {run}* OR title : {run}*)")
    return fts.conjoin(parts)


def suggest(db: pw.Database, prefix: str, limit: int = 8) -> list[SearchHit]:
    limit = max(0, min(int(limit), MAX_SUGGESTIONS))
    folded = fold(clean(prefix if isinstance(prefix, str) else "")).strip()
    if not folded or limit == 0:
        return []
    expr = _prefix_expr(folded)
    if expr is None:
        return []
    catalog = get_catalog(db)
    compact = "".join(runs(folded))
    answering = _answering_laws() if is_cjk(compact) else None  # loaded before the clock starts
    budget = fts.Budget(SUGGEST_SECONDS)
    with fts.budgeted(db, budget):
        rows = fts.run(db, f"SELECT rowid, label FROM {index.ENTRIES} WHERE {index.ENTRIES} MATCH ? LIMIT 400", [expr])
    ranked: list[Ranked] = []
    for rowid, label in rows:
        kind, ref = index.split_rowid(rowid)
        law = catalog.laws.get(ref) if kind == "law" else None
        if kind == "law" and (law is None or not law.is_current or not law.in_force):
            continue
        name = law.name if law else fold(label)
        key: tuple[int, ...] = (
            0 if name.startswith(compact) else 1,
            KIND_ORDER.get(kind, 5),
            int(law.local) if law else 0,
            LEVEL_RANK.get(law.level, 5) if law else 0,
            len(name),
            ref,
        )
        ranked.append((key, kind, ref, label, law))
    ranked.sort(key=lambda item: item[0])
    places = [p for p in catalog.places if p in compact]
    first: list[Ranked] = []
    later: list[Ranked] = []
    for item in ranked:
        law = item[4]
        # 离婚 is in the title of two rules on foreign divorce judgments: a law that only holds the
        # word inside its title, and that no judged question was ever answered from, comes after
        # the articles the engine finds for the word (民法典 第一千零七十六条 …); so do other
        # places' regulations (家庭暴力 offered 山东省, 宁波市, 杭州市 and 浙江省 ones in Hubei).
        if law is None:
            first.append(item)
            continue
        asked_for = law.local and law.of_place(places)  # 山东 家庭暴力: Shandong's own regulation
        narrow = answering is not None and item[0][0] and law.group_key not in answering and not asked_for
        (later if narrow or law.elsewhere(places) else first).append(item)
    hits = [_hit(item, limit - i) for i, item in enumerate(first[:limit])]
    if len(hits) < limit and len(compact) >= 2 and not budget.expired:
        from kiosk.search.query import search

        more = search(db, prefix, SearchFilters(kinds=("article",)), limit=limit - len(hits))
        hits.extend(more)
    hits.extend(_hit(item, 0.0) for item in later[: limit - len(hits)])
    return hits


def _hit(item: Ranked, score: float) -> SearchHit:
    _, kind, ref, label, law = item
    return SearchHit(
        kind=kind,
        id=ref,
        title=label,
        source=law.source if law else None,
        score=float(score),
        status=law.status if law else None,
    )


def _answering_laws() -> set[str] | None:
    """Law groups that judged questions were answered from (the shipped associations), if shipped."""
    from kiosk.search import learned

    model = learned.shipped()
    return {group for group, count in model.assoc.law_prior.items() if count > 0} if model else None


def entry_snippets(db: pw.Database, entries: Iterable[object]) -> dict[tuple[str, int], str]:
    """(kind, id) → the text a snippet is cut from, for non-article hits."""
    wanted: dict[str, list[int]] = {}
    for e in entries:
        wanted.setdefault(e.kind, []).append(e.ref)  # type: ignore[attr-defined]
    sqls = {
        "guide": "SELECT id, summary FROM guide WHERE id IN ({marks})",
        "case": 'SELECT id, sections FROM "case" WHERE id IN ({marks})',
        "institution": "SELECT id, type || ' ' || address FROM institution WHERE id IN ({marks})",
        "person": "SELECT p.id, p.role || ' ' || COALESCE(i.name, '') FROM person p "
        "LEFT JOIN institution i ON i.id = p.institution_id WHERE p.id IN ({marks})",
    }
    out: dict[tuple[str, int], str] = {}
    for kind, ids in wanted.items():
        if kind not in sqls:
            continue
        for ref, text in fts.run(db, sqls[kind].format(marks=",".join("?" * len(ids))), ids):
            out[(kind, ref)] = _case_text(text) if kind == "case" else (text or "")
    return out


def _case_text(sections: str | None) -> str:
    try:
        data = json.loads(sections or "[]")
    except ValueError:
        return ""
    texts = [s[1] for s in data if isinstance(s, list) and len(s) > 1 and isinstance(s[1], str)]
    return " ".join(texts)[:600]
