"""``search`` and ``suggest``: the entry points services and the command line call.

Order of results: an article the query names (劳动合同法第十九条) first, then items the query is the
name of (a law title, its pinyin, a guide or an office), then articles and the other kinds by how well
they answer. Articles of one law title are folded across versions: one hit for the current version
with the ids of the same article in older versions attached.
"""

from __future__ import annotations

import peewee as pw

from kiosk.search import fts, learned
from kiosk.search.analyze import QueryPlan, analyze, clean
from kiosk.search.api import SearchFilters, SearchHit
from kiosk.search.articles import OR_ROWS, names_local_law, search_articles
from kiosk.search.catalog import LEVEL_RANK, Catalog, LawInfo, get_catalog
from kiosk.search.entries import EntryHit, search_entries
from kiosk.search.phrase_scores import ROW_BYTES
from kiosk.search.ranking import ScoredArticle
from kiosk.search.refs import Reference, parse_reference, resolve
from kiosk.search.snippet import snippet
from kiosk.search.suggest import entry_snippets
from kiosk.search.suggest import suggest as suggest  # re-exported: the second entry point

#: A complete search (the screen shows quick results first, then these). Generous: a cold page
#: cache on a slow terminal must not turn into an empty answer.
SEARCH_SECONDS = 5.0
MAX_LIMIT = 200
TITLE_FIRST = 3  # at most this many name matches go before the articles
# A law whose title only shares a word with the query is rarely the answer: its articles are.
KIND_WEIGHT = {"guide": 1.0, "institution": 0.9, "case": 0.85, "person": 0.8, "law": 0.15}
LAW_AFTER = 10  # a law named only in part by the query comes after this many articles
PARTIAL_AFTER = 3  # an office, guide or case holding only some of the query's words, after this many


def _wants(filters: SearchFilters, kind: str) -> bool:
    if not filters.kinds:
        return True
    if kind == "article":
        return "article" in filters.kinds or "law" in filters.kinds
    return kind in filters.kinds


NO_FILTERS = SearchFilters()


def search(db: pw.Database, text: str, filters: SearchFilters = NO_FILTERS, limit: int = 20) -> list[SearchHit]:
    return search_within(db, text, filters, limit, SEARCH_SECONDS)[0]


def search_within(
    db: pw.Database, text: str, filters: SearchFilters = NO_FILTERS, limit: int = 20, seconds: float = SEARCH_SECONDS
) -> tuple[list[SearchHit], bool]:
    """Results found within ``seconds``, and whether the search finished (False: the best found so far).

    The screen searches as the resident types with a short time first, then, if that was cut short,
    again without hurry: results appear at once and are completed a moment later.
    """
    budget = fts.Budget(seconds)
    hits = _search(db, text, filters, limit, budget)
    return hits, not budget.expired


def _search(db: pw.Database, text: str, filters: SearchFilters, limit: int, budget: fts.Budget) -> list[SearchHit]:
    limit = max(0, min(int(limit), MAX_LIMIT))
    if not isinstance(text, str) or limit == 0 or not clean(text).strip():
        return []
    catalog = get_catalog(db)
    shipped = learned.shipped()
    if shipped is not None:
        shipped.keep_articles(db, catalog)  # once per content version, before the clock starts
    with fts.budgeted(db, budget):
        plan = analyze(text, catalog.segmenter, catalog.synonyms_of, catalog.is_place)
        first: list[SearchHit] = []
        if _wants(filters, "article"):
            ref = parse_reference(plan.folded)
            if ref is not None:
                first = _reference_hits(db, catalog, ref, filters, limit)
            if first and ref is not None:
                # The query named an article: that is the answer, plus whatever else it asked.
                if not ref.rest.strip():
                    return first[:limit]
                plan = analyze(ref.rest, catalog.segmenter, catalog.synonyms_of, catalog.is_place)
        articles = search_articles(db, catalog, plan, filters, budget) if _wants(filters, "article") else []
        # The learned order comes from national-law questions: a question about a province's own
        # regulations (上海 劳动合同) or within chosen levels keeps the first stage's order.
        local = any(c.place and names_local_law(catalog, c.text) for c in plan.concepts)
        model = shipped if articles and not (filters.levels or filters.statuses or local) else None
        if model is not None and not budget.expired:
            articles = learned.rerank(db, catalog, plan.raw, articles, model)
        entries = search_entries(db, catalog, plan, filters, budget)
        hits = _merge(db, catalog, plan, first, articles, entries, limit)
    return hits[:limit]


def _article_hit(db: pw.Database, catalog: Catalog, art: ScoredArticle, score: float) -> SearchHit:
    return SearchHit(
        kind="article",
        id=art.id,
        title=art.law.title,
        article=art.label,
        article_no=art.number,
        source=art.law.source,
        snippet=snippet(art.text, art.wordings),
        score=round(score, 4),
        status=art.law.status,
        older_versions=_older_versions(db, catalog, art.law, art.number, art.sub_number),
    )


def _older_versions(db: pw.Database, catalog: Catalog, law: LawInfo, number: int, sub: int) -> tuple[int, ...]:
    others = [i for i in catalog.groups.get(law.group_key, []) if i != law.id and not catalog.laws[i].is_current]
    if not others or not law.is_current:
        return ()
    marks = ",".join("?" * len(others))
    rows = fts.run(
        db,
        f"SELECT a.id FROM article a JOIN law l ON l.id = a.law_id WHERE a.law_id IN ({marks}) "
        "AND a.number = ? AND a.sub_number = ? ORDER BY l.version_date DESC, a.id",
        [*others, number, sub],
    )
    return tuple(r[0] for r in rows)


def _reference_hits(
    db: pw.Database, catalog: Catalog, ref: Reference, filters: SearchFilters, limit: int
) -> list[SearchHit]:
    laws, named = resolve(catalog, ref)
    if filters.levels:
        laws = [law for law in laws if law.level in filters.levels]
    if filters.statuses:
        laws = [law for law in laws if law.status in filters.statuses] or []
    if not named:
        # 第十九条 alone: laws long enough to have it (民法典 parts, numbered as one, are named).
        laws = [law for law in laws if catalog.last_article.get(law.id, 0) >= ref.number]
    laws = laws[: max(limit, 10) * 2]
    if not laws:
        return []
    marks = ",".join("?" * len(laws))
    rows = fts.run(
        db,
        f"SELECT id, law_id, label, number, sub_number, text FROM article WHERE law_id IN ({marks}) "
        "AND number = ? AND sub_number = ?",
        [*(law.id for law in laws), ref.number, ref.sub_number],
    )
    order = {law.id: i for i, law in enumerate(laws)}
    rows.sort(key=lambda r: order[r[1]])
    if named:
        rows = rows[:1]  # the named law: one article (民法典 parts share one numbering)
    hits = []
    for i, (art_id, law_id, label, number, sub, text) in enumerate(rows[:limit]):
        law = catalog.laws[law_id]
        art = ScoredArticle(art_id, law, label, number, sub, text, 0.0)
        hits.append(_article_hit(db, catalog, art, 1000.0 - i))
    return hits


def _merge(
    db: pw.Database,
    catalog: Catalog,
    plan: QueryPlan,
    first: list[SearchHit],
    articles: list[ScoredArticle],
    entries: list[EntryHit],
    limit: int,
) -> list[SearchHit]:
    seen_articles = {h.id for h in first}
    ranked: list[tuple[float, int, object]] = []
    top = articles[0].score if articles else 1.0
    identities: set[tuple[str, int, int]] = set()
    for art in articles:
        identity = (art.law.group_key, art.number, art.sub_number)
        if art.id in seen_articles or identity in identities:
            continue  # another version of an article already listed
        identities.add(identity)
        ranked.append((art.score / top, 0, art))
        if len(ranked) >= limit + 5:
            break
    title_like = [e for e in entries if e.title_like][:TITLE_FIRST]
    title_like.sort(key=lambda e: (-e.score, _entry_order(catalog, e)))
    # A law whose title merely shares a word with the query (公司 → 公司法, 发 → 发票管理办法) is not the
    # answer; its articles are, and the best of them are already listed: it comes after a screenful of
    # them. (The ranker's scores fall steeply after its first few, which put such titles above them.)
    screen = [score for score, _, _ in ranked[:LAW_AFTER]]
    law_cap = 0.999 * screen[-1] if len(screen) == LAW_AFTER else None
    # Likewise an entry sharing only some of the words (结婚证丢了怎么补: the guide to a protection order
    # lists 结婚证 among its papers, the labour guides say 补偿) comes after the best few articles.
    partial_cap = 0.999 * screen[PARTIAL_AFTER - 1] if len(screen) >= PARTIAL_AFTER else None
    for e in entries:
        if e not in title_like:
            score = e.score * KIND_WEIGHT.get(e.kind, 0.8)
            if e.kind == "law" and law_cap is not None:
                score = min(score, law_cap)
            if e.partial and partial_cap is not None:
                score = min(score, partial_cap)
            ranked.append((score, 1, e))
    ranked.sort(key=lambda item: (-item[0], item[1], _key(item[2])))
    # Other provinces' local regulations come after everything else unless the query names their
    # place: a resident in Hubei asking about 法律援助 wants national law and the office nearby.
    places = [c.text for c in plan.concepts if c.place]
    ranked.sort(key=lambda item: _elsewhere(catalog, item[2], places))
    title_like.sort(key=lambda e: _elsewhere(catalog, e, places))
    hits = list(first)
    texts = entry_snippets(db, [e for e in entries if e in title_like or any(e is r[2] for r in ranked[:limit])])
    for i, e in enumerate(title_like):
        hits.append(_entry_hit(catalog, e, 500.0 - i, texts))
    for score, _, item in ranked:
        if len(hits) >= limit:
            break
        if isinstance(item, ScoredArticle):
            hits.append(_article_hit(db, catalog, item, score))
        elif isinstance(item, EntryHit):
            hits.append(_entry_hit(catalog, item, score, texts))
    return hits


def _elsewhere(catalog: Catalog, item: object, places: list[str]) -> bool:
    """Whether ``item`` is (an article of) a local regulation of a place the query did not name."""
    if isinstance(item, ScoredArticle):
        law: LawInfo | None = item.law
    elif isinstance(item, EntryHit) and item.kind == "law":
        law = catalog.laws.get(item.ref)
    else:
        return False
    return law is not None and law.elsewhere(places)


def _key(item: object) -> tuple[int, int]:
    if isinstance(item, ScoredArticle):
        return (item.law.id, item.id)
    if isinstance(item, EntryHit):
        return (item.ref, 0)
    return (0, 0)


def _entry_order(catalog: Catalog, e: EntryHit) -> tuple[int, int, int, int]:
    law = catalog.laws.get(e.ref) if e.kind == "law" else None
    if law is None:
        return (0, 0, len(e.label), e.ref)
    return (int(not law.in_force), int(law.local), LEVEL_RANK.get(law.level, 5), len(law.name))


def _entry_hit(catalog: Catalog, e: EntryHit, score: float, texts: dict[tuple[str, int], str]) -> SearchHit:
    law = catalog.laws.get(e.ref) if e.kind == "law" else None
    text = texts.get((e.kind, e.ref), "")
    return SearchHit(
        kind=e.kind,
        id=e.ref,
        title=e.label,
        source=law.source if law else None,
        snippet=snippet(text, e.wordings) if text else "",
        score=round(score, 4),
        status=law.status if law else None,
    )


def warm_phrases(db: pw.Database, seconds: float, max_bytes: int | None = None) -> bool:
    """Fetch common words' bm25 scores for about ``seconds`` (call off the UI thread, in slices,
    so a resident's search waits for one slice at most), keeping at most ``max_bytes`` of them;
    True while more remain."""
    catalog = get_catalog(db)
    phrases = catalog.phrases
    if max_bytes is not None:
        phrases.max_entries = max_bytes // ROW_BYTES
    # Tokens in more rows than the any-of query orders are never summed: not worth their memory.
    return phrases.warm(db, seconds, OR_ROWS, catalog.df)


def warm_up(db: pw.Database) -> None:
    """Load the word list and the catalog before the first resident query (call off the UI thread)."""
    get_catalog(db)
    learned.shipped()
    search(db, "法律援助", limit=1)
