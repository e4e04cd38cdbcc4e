"""Article search, first stage: FTS5 finds candidates, :mod:`kiosk.search.ranking` orders them.

Candidates come from a few cheap FTS5 queries (all concepts required, then any rare concept, within
national law first and within all law; within a law the query names). Ranking then looks at each
candidate's real text (see :mod:`kiosk.search.ranking`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import peewee as pw

from kiosk.law_vocabulary import IN_FORCE_STATUSES, LOCAL_REGULATION, NATIONAL_LEVELS
from kiosk.search import fts, index, phrase_scores
from kiosk.search.analyze import Concept, QueryPlan
from kiosk.search.api import SearchFilters
from kiosk.search.catalog import IN_FORCE, NATIONAL, Catalog, NumberedRow
from kiosk.search.ranking import ArticleRow, ScoredArticle, concept_weight, rank
from kiosk.search.refs import laws_named
from kiosk.search.text import light_fold

CANDIDATES_AND = 100
CANDIDATES_OR = 150
CANDIDATES_LAW = 60
FEW = 40
OR_ROWS = 12_000  # rows the any-of query may rank: rarer concepts first
MAX_ALT_ROWS = 15_000  # a synonym found in more rows does not fetch candidates
UNORDERED_ROWS = 2_000  # a match expected in fewer rows is fetched unordered and scoped here
NUMBERED_KEPT = 20_000  # articles kept read (keep_numbered; the shipped model's and their neighbours: ~3,200)
NUMBERED_BATCH = 500  # (law, number) pairs per statement when they are read to be kept
SCOPE_SLACK = 3  # ordered rows fetched per wanted one when the scope is checked here (~44 % pass)
ORDERED_SQL = (
    f"SELECT rowid FROM {index.ARTICLES} WHERE {index.ARTICLES} MATCH ? "
    f"ORDER BY bm25({index.ARTICLES}, 2.0, 0.5, 1.0, 0.0) LIMIT ?"
)
UNORDERED_SQL = f"SELECT rowid FROM {index.ARTICLES} WHERE {index.ARTICLES} MATCH ? LIMIT ?"


def search_articles(
    db: pw.Database, catalog: Catalog, plan: QueryPlan, filters: SearchFilters, budget: fts.Budget
) -> list[ScoredArticle]:
    concepts = [c for c in plan.concepts if not c.place]
    places = [c.text for c in plan.concepts if c.place]
    dfs = {c.text: catalog.df.concept(db, c) for c in concepts}
    known = [c for c in concepts if dfs[c.text] > 0 and fts.concept_expr(c)]
    if not known:
        return []
    # What fetching candidates may use of each concept: wordings in so many rows that ranking them
    # would cost more than it tells are left to the scoring (承担责任 as a wording of 赔偿).
    fetch: dict[str, tuple[str | None, int]] = {}
    for c in known:
        alts = [(a, catalog.df.alt(db, a)) for a in c.searchable]
        kept = [(a, n) for i, (a, n) in enumerate(alts) if n and (i == 0 or n <= MAX_ALT_ROWS)] or alts[:1]
        fetch[c.text] = (fts.concept_expr(c, [a for a, _ in kept]), sum(n for _, n in kept))
    rowids = _candidates(db, catalog, known, fetch, places, filters, budget)
    if not rowids:
        return []
    arts = fetch_rows(db, rowids, catalog)
    weights = {c.text: concept_weight(catalog.article_rows, dfs[c.text]) for c in known}
    leads = _section_leads(db, catalog, {a[2] for a in arts if a[2]})
    return rank(arts, leads, catalog, plan, known, weights, places)


def _candidates(
    db: pw.Database,
    catalog: Catalog,
    known: list[Concept],
    fetch: dict[str, tuple[str | None, int]],
    places: list[str],
    filters: SearchFilters,
    budget: fts.Budget,
) -> list[int]:
    status = fts.status_filter(filters)
    if filters.levels:
        scopes = [fts.level_filter(filters.levels)]
    elif any(names_local_law(catalog, p) for p in places):
        scopes = [fts.level_filter([LOCAL_REGULATION]), None]
    else:
        # Residents ask national questions unless they name a place: all law only when national
        # law has little to say.
        scopes = [fts.level_filter(NATIONAL_LEVELS), None]
    exprs = {c.text: fetch[c.text][0] for c in known}
    cost = {c.text: fetch[c.text][1] for c in known}
    # Ranking every row that holds a common word costs ~1 µs a row: rank by the rarer concepts.
    by_rarity = sorted(known, key=lambda c: cost[c.text])
    rare: list[Concept] = []
    budget_rows = 0
    for c in by_rarity:
        if rare and budget_rows + cost[c.text] > OR_ROWS:
            break
        rare.append(c)
        budget_rows += cost[c.text]
    found: dict[int, None] = {}
    default_status = not filters.statuses or set(filters.statuses) == set(IN_FORCE_STATUSES)
    for scope in scopes:
        if len(found) >= FEW or budget.expired:
            break
        bits = _scope_bits(scope, default_status)
        required = [exprs[c.text] for c in known]
        if len(known) == 1 and cost[known[0].text] > OR_ROWS:
            # One very common word (工作, 规定): the laws about it, not every article using it.
            required = [f"{{title heading}} : {required[0]}"]
        all_of = fts.conjoin(required)
        estimate = min(cost[c.text] for c in known)
        got = _best(db, catalog, all_of, [status, scope], bits, CANDIDATES_AND, estimate)
        found.update((r, None) for r in got)
        if len(known) > 1 and len(got) < FEW and not budget.expired:
            any_of = fts.conjoin([exprs[c.text] for c in rare], "OR")
            estimate = sum(cost[c.text] for c in rare)
            best = _best(db, catalog, any_of, [status, scope], bits, CANDIDATES_OR, estimate, budget)
            found.update((r, None) for r in best)
    # A concept that names a law (劳动合同法 试用期): the other concepts inside that law.
    for c in known:
        others = [exprs[o.text] for o in known if o is not c]
        if not others or budget.expired:
            continue
        for law in laws_named(catalog, c.text)[:3]:
            within = fts.conjoin([fts.conjoin(others, "OR"), f"tags : {index.law_tag(law.id)}"])
            found.update((r[0], None) for r in fts.run(db, ORDERED_SQL, [within, CANDIDATES_LAW]))
    return [rowid // 8 for rowid in found if rowid % 8 == index.KIND_CODES["article"]]


def _scope_bits(scope: str | None, default_status: bool) -> int:
    """The catalog's scope flags a row must carry to be in ``scope`` (0: not expressible there)."""
    if not default_status:
        return 0
    if scope is None:
        return IN_FORCE
    return IN_FORCE | NATIONAL if scope == fts.level_filter(NATIONAL_LEVELS) else 0


def _best(
    db: pw.Database,
    catalog: Catalog,
    expr: str | None,
    guards: list[str | None],
    bits: int,
    limit: int,
    estimate: int,
    budget: fts.Budget | None = None,
) -> list[int]:
    """Rowids of the ``limit`` best rows matching ``expr`` and ``guards`` by FTS5's bm25.

    Ranking reads every candidate and orders them itself, so only the set matters. When ``expr``
    alone matches few rows (a rare concept), they are fetched unordered and the scope is checked
    in the catalog's flags: if no more than ``limit`` remain, that is exactly the set the ordered
    query returns, at a fraction of its cost (intersecting with a scope tag held by 60–130k rows
    was most of a short question's time). Otherwise the rows of ``expr`` are ordered from its
    phrases' kept scores (:mod:`kiosk.search.phrase_scores`, for the any-of query, given the
    ``budget``) and the scope is still checked in the flags; FTS5 orders what that cannot express,
    a question whose common words are not kept yet, and the all-of query (FTS5 scores only the
    rows where every concept meets, fewer than the rows of its commonest phrase).
    """
    if expr is None:
        return []
    flags = catalog.scope_flags
    if not (bits and flags):
        return [r[0] for r in fts.run(db, ORDERED_SQL, [fts.conjoin([expr, *guards]), limit])]

    def in_scope(rows: list[tuple[int, ...]]) -> list[int]:
        size = len(flags)
        return [r[0] for r in rows if r[0] < size and flags[r[0]] & bits == bits]

    if estimate <= UNORDERED_ROWS:
        rows = fts.run(db, UNORDERED_SQL, [expr, UNORDERED_ROWS + 1])
        if len(rows) <= UNORDERED_ROWS:
            kept = in_scope(rows)
            if len(kept) <= limit:
                return kept
    # Only the any-of query comes with a budget.
    tree = phrase_scores.parse(expr) if budget is not None else None
    if budget is not None and tree is not None and catalog.phrases.covers(db, tree, catalog.df):
        # The scope tags weigh 0 in bm25, so a row scores the same with or without them: the best
        # rows of ``expr`` that carry the scope's flags are the best rows in scope.
        ranked = phrase_scores.ranked(db, catalog.phrases, tree, budget)
        if ranked is None:  # out of time: the search goes on with what it has
            return []
        matched, scores = ranked
        table = np.frombuffer(flags, dtype=np.uint8)
        known = matched < len(table)
        matched, scores = matched[known], scores[known]
        wanted = (table[matched] & bits) == bits
        return [int(r) for r in phrase_scores.best(matched[wanted], scores[wanted], limit)]
    want = limit * SCOPE_SLACK
    rows = fts.run(db, ORDERED_SQL, [expr, want])
    kept = in_scope(rows)
    if len(kept) >= limit or len(rows) < want:
        return kept[:limit]
    return [r[0] for r in fts.run(db, ORDERED_SQL, [fts.conjoin([expr, *guards]), limit])]


def fetch_numbered(db: pw.Database, catalog: Catalog, wanted: list[tuple[int, int]]) -> list[ScoredArticle]:
    """Articles by (law id, article number), unscored: candidates the second stage brings itself.
    Those the catalogue keeps (:func:`keep_numbered`) are not read again."""
    kept = catalog.numbered
    found = {w: kept[w] for w in wanted if w in kept}
    missing = [w for w in wanted if w not in kept]
    if missing:
        found.update(_read_numbered(db, catalog, missing))
    out = []
    for (law_id, number), row in found.items():
        law = catalog.laws.get(law_id)
        if row is not None and law is not None:
            art_id, label, sub, text, heading = row
            out.append(ScoredArticle(art_id, law, label, number, sub, text, 0.0, [], heading))
    return out


def keep_numbered(db: pw.Database, catalog: Catalog, wanted: Iterable[tuple[int, int]]) -> None:
    """Read these articles (law id, article number) once and keep them with the catalogue, at most
    :data:`NUMBERED_KEPT`: those a learned model brings to many questions. Call outside a time
    budget: a read cut short would keep articles as missing."""
    kept = catalog.numbered
    todo = [w for w in dict.fromkeys(wanted) if w not in kept][: max(0, NUMBERED_KEPT - len(kept))]
    for start in range(0, len(todo), NUMBERED_BATCH):
        rows = _read_numbered(db, catalog, todo[start : start + NUMBERED_BATCH])
        if any(rows.values()):  # none of hundreds found: the read failed, and nothing is kept as missing
            kept.update(rows)


def _read_numbered(
    db: pw.Database, catalog: Catalog, wanted: list[tuple[int, int]]
) -> dict[tuple[int, int], NumberedRow | None]:
    """(law id, number) → the article's row, None for a pair the content has no article for."""
    pairs = ",".join("(?, ?)" for _ in wanted)
    sql = (
        f"WITH wanted(law_id, number) AS (VALUES {pairs}) SELECT article.id FROM wanted "
        "JOIN article ON article.law_id = wanted.law_id AND article.number = wanted.number AND article.sub_number = 0"
    )
    ids = [r[0] for r in fts.run(db, sql, [x for w in wanted for x in w])]
    out: dict[tuple[int, int], NumberedRow | None] = dict.fromkeys(wanted)
    for art_id, law_id, _, _, label, number, sub, text, heading in fetch_rows(db, ids, catalog) if ids else []:
        out[(law_id, number)] = (art_id, label, sub, text, heading)
    return out


def names_local_law(catalog: Catalog, place: str) -> bool:
    """Whether ``place`` is where some local regulation of the collection comes from (浙江, 杭州);
    a county of the terminal's own (汉川) names none: its residents get national law first."""
    found = catalog.named.get("\0place:" + place)
    if found is None:
        found = [
            law
            for law in catalog.laws.values()
            if law.local and (place in law.name or (law.province is not None and place.startswith(law.province)))
        ][:1]
        catalog.named["\0place:" + place] = found
    return bool(found)


def fetch_rows(db: pw.Database, ids: list[int], catalog: Catalog) -> list[ArticleRow]:
    """(id, law id, section id, position, label, number, sub number, text, section path) per article."""
    marks = ",".join("?" * len(ids))
    rows = fts.run(
        db,
        f"SELECT id, law_id, section_id, position, label, number, sub_number, text FROM article WHERE id IN ({marks})",
        ids,
    )
    paths = catalog.section_paths
    missing = {r[2] for r in rows if r[2] and r[2] not in paths}
    if missing:  # sections change only with the content, and the catalogue with it
        paths.update(_section_names(db, missing))
    return [(*r, paths.get(r[2], "") if r[2] else "") for r in rows]


def _section_leads(db: pw.Database, catalog: Catalog, section_ids: set[int]) -> dict[int, int]:
    """section id → position of its first article."""
    leads = catalog.section_leads
    missing = [sid for sid in section_ids if sid not in leads]
    if missing:
        marks = ",".join("?" * len(missing))
        sql = f"SELECT section_id, min(position) FROM article WHERE section_id IN ({marks}) GROUP BY section_id"
        leads.update({sid: pos for sid, pos in fts.run(db, sql, missing)})
    return {sid: leads[sid] for sid in section_ids if sid in leads}


def _section_names(db: pw.Database, ids: set[int]) -> dict[int, str]:
    """section id → its names from the top (总则 一般规定), walking up parents."""
    known: dict[int, tuple[int | None, str]] = {}
    todo = set(ids)
    while todo:
        marks = ",".join("?" * len(todo))
        rows = fts.run(db, f"SELECT id, parent_id, name FROM law_section WHERE id IN ({marks})", list(todo))
        for sid, parent, name in rows:
            known[sid] = (parent, name)
        todo = {p for _, (p, _) in known.items() if p and p not in known}
        if not rows:
            break

    def path(sid: int | None, depth: int = 0) -> str:
        if sid is None or sid not in known or depth > 6:
            return ""
        parent, name = known[sid]
        return f"{path(parent, depth + 1)} {name}".strip()

    return {sid: light_fold(path(sid)) for sid in ids if sid in known}  # none when out of time
