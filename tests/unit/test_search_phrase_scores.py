"""bm25 order from each phrase's kept scores: the same rows and the very same scores FTS5 gives."""

from __future__ import annotations

from collections.abc import Iterator

import peewee as pw
import pytest

from kiosk.search import fts, index, phrase_scores
from kiosk.search.analyze import analyze
from kiosk.search.catalog import get_catalog
from tests.unit.search_fixture import LAWS, build

pytestmark = pytest.mark.skipif(not LAWS.is_dir(), reason="shared laws folder missing")

T = index.ARTICLES
FTS5_ORDER = f"SELECT rowid, bm25({T}, {phrase_scores.BM25_WEIGHTS}) AS s FROM {T} WHERE {T} MATCH ? ORDER BY s, rowid"
QUESTIONS = ("老公打我怎么办", "劳动合同 试用期 工资", "欠薪 打官司", "未成年人 网络 保护", "侵权 赔偿 责任 医院")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pw.SqliteDatabase]:
    database = build(tmp_path_factory.mktemp("phrases"))
    yield database
    database.close()


def expressions(db: pw.SqliteDatabase) -> list[str]:
    """Any-of and all-of expressions of real questions, with synonyms (nested AND inside OR)."""
    catalog = get_catalog(db)
    out = []
    for question in QUESTIONS:
        concept_exprs = [
            fts.concept_expr(c)
            for c in analyze(question, catalog.segmenter, catalog.synonyms_of, catalog.is_place).concepts
            if not c.place
        ]
        out += [e for e in (fts.conjoin(concept_exprs, "OR"), fts.conjoin(concept_exprs)) if e]
    out.append('"工资" OR ("工资" AND "劳动")')  # a phrase twice: FTS5 counts it twice
    return out


def test_rows_and_scores_are_exactly_those_of_fts5(db: pw.SqliteDatabase) -> None:
    cache = phrase_scores.PhraseScores()
    nested = compared = 0
    for expr in expressions(db):
        tree = phrase_scores.parse(expr)
        assert tree is not None, expr
        nested += " AND " in expr and " OR " in expr
        got = phrase_scores.ranked(db, cache, tree, fts.Budget(30))
        assert got is not None
        rows, scores = got
        reference = db.execute_sql(FTS5_ORDER, [expr]).fetchall()
        assert sorted(zip(rows.tolist(), scores.tolist(), strict=True)) == sorted(reference), expr
        for limit in (1, 7, 40, len(rows)):
            expected = [r for r, _ in reference[:limit]]
            assert phrase_scores.best(rows, scores, limit).tolist() == expected, (expr, limit)
        compared += len(reference)
    assert compared > 500
    assert nested >= 3  # the branch rule (a phrase of an unmatched AND does not count) was exercised


def test_a_kept_phrase_is_not_fetched_again_and_the_cache_stays_bounded(db: pw.SqliteDatabase) -> None:
    fetched: list[str] = []
    real_run = fts.run

    def counting(database: pw.Database, sql: str, params: list[object]) -> list[tuple[object, ...]]:
        fetched.append(str(params[0]))
        return real_run(database, sql, params)

    cache = phrase_scores.PhraseScores(max_entries=300)
    tree = phrase_scores.parse('"工资" OR "劳动 动者"')
    assert tree is not None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fts, "run", counting)
        first = phrase_scores.ranked(db, cache, tree, fts.Budget(30))
        again = phrase_scores.ranked(db, cache, tree, fts.Budget(30))
    assert first is not None and again is not None
    assert fetched == ['"工资"', '"劳动 动者"']  # the second search reads nothing from the index
    assert first[0].tolist() == again[0].tolist()
    many = phrase_scores.PhraseScores(max_entries=50)
    for word in ("工资", "劳动", "合同", "责任", "赔偿"):
        many.get(db, f'"{word}"', fts.Budget(30))
    assert len(many._kept) == 1  # each holds more than 50 rows: only the last one stays


def test_running_out_of_time_keeps_nothing_and_says_so(db: pw.SqliteDatabase) -> None:
    cache = phrase_scores.PhraseScores()
    tree = phrase_scores.parse('"工资" OR "合同"')
    assert tree is not None
    assert phrase_scores.ranked(db, cache, tree, fts.Budget(-1)) is None
    assert not cache._kept


@pytest.mark.parametrize(
    "expr",
    [
        '{title heading} : "工资"',  # a column filter: FTS5 orders it itself
        '"工资" AND',
        '("工资" OR "合同"',
        '"工资" NOT "合同"',
    ],
)
def test_what_the_parser_does_not_know_is_left_to_fts5(expr: str) -> None:
    assert phrase_scores.parse(expr) is None


def test_and_binds_tighter_than_or() -> None:
    tree = phrase_scores.parse('"a" OR "b" AND "c"')
    assert tree == phrase_scores.Node(
        "OR",
        parts=(
            phrase_scores.Node("", '"a"'),
            phrase_scores.Node("AND", parts=(phrase_scores.Node("", '"b"'), phrase_scores.Node("", '"c"'))),
        ),
    )


def test_warming_keeps_the_common_tokens_commonest_first_in_slices(
    db: pw.SqliteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kiosk warms after its start: every token in more than FETCH_ROWS and at most
    ``most_rows`` rows is kept, the commonest first, so a full cache holds the dearest ones."""
    monkeypatch.setattr(phrase_scores, "FETCH_ROWS", 200)
    cache = phrase_scores.PhraseScores()
    assert cache.warm(db, 1.0, most_rows=2000)  # the first slice lists what there is to fetch
    listed = list(cache._todo or [])
    assert listed and all(200 < rows <= 2000 and not term.startswith("z") for term, rows in listed)
    slices = 1
    while cache.warm(db, 0.0, most_rows=2000):  # a slice out of time at once still fetches one
        slices += 1
    assert slices == len(listed)  # one token per slice: the slices are as short as asked
    assert set(cache._kept) == {f'"{term}"' for term, _ in listed}
    assert cache.size == sum(rows for _, rows in listed)
    small = phrase_scores.PhraseScores(max_entries=cache.size // 2)
    while small.warm(db, 1.0, most_rows=2000):
        pass
    commonest = [f'"{term}"' for term, _ in reversed(listed)]
    assert list(small._kept) == commonest[: len(small._kept)] and small.size <= cache.size // 2
    assert 0 < len(small._kept) < len(listed)


def test_the_memory_setting_bounds_what_the_kiosk_keeps(db: pw.SqliteDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
    """search_memory_mb: a terminal short of memory keeps fewer common words (0: none); the
    searches give the same answers either way."""
    from kiosk.search.query import search
    from kiosk.services.search import SearchService

    monkeypatch.setattr(phrase_scores, "FETCH_ROWS", 200)
    question = "劳动合同 解除 赔偿"
    answers = []
    sizes = []
    for mb in (0.02, 0):
        catalog = get_catalog(db)
        catalog.phrases.clear()
        service = SearchService(db, memory_mb=0)
        service.memory_mb = mb  # a fraction of a MB: the test laws are few
        while service.warm_step(1.0):
            pass
        sizes.append(catalog.phrases.size)
        assert catalog.phrases.size <= mb * 1_000_000 / phrase_scores.ROW_BYTES
        answers.append([(h.kind, h.id) for h in search(db, question, limit=20)])
    assert sizes[0] > 0 and sizes[1] == 0
    assert answers[0] == answers[1] and answers[0]


def test_a_kiosk_that_keeps_nothing_does_no_warm_up_work(db: pw.SqliteDatabase) -> None:
    """search_memory_mb 0: the warm-up ends at once, without listing the index's vocabulary (which
    reads the whole index: seconds and a hundred MB of mapped pages on a full collection)."""
    from kiosk.services.search import SearchService

    get_catalog(db).phrases.clear()
    statements: list[str] = []
    db.connection().set_trace_callback(statements.append)
    try:
        assert SearchService(db, memory_mb=0).warm_step(1.0) is False
    finally:
        db.connection().set_trace_callback(None)
    assert not [s for s in statements if "vocab" in s]
    assert get_catalog(db).phrases.size == 0


def test_the_warm_up_learns_the_common_tokens_row_counts_fts5_would_count(
    db: pw.SqliteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vocabulary listed once gives each common token's rows: a fresh question does not count
    them again (~0.2 ms each on the whole collection), and the numbers are FTS5's own."""
    monkeypatch.setattr(phrase_scores, "LISTED_ROWS", 20)
    warmed = fts.DocFreq()
    phrase_scores.PhraseScores().warm(db, 1.0, most_rows=2000, df=warmed)
    listed = dict(warmed._listed)
    assert len(listed) > 50 and all(rows > 20 and not term.startswith("z") for term, rows in listed.items())
    counted = fts.DocFreq()
    assert {term: counted.token(db, term) for term in listed} == listed
    statements: list[str] = []
    db.connection().set_trace_callback(statements.append)
    try:
        assert {term: warmed.token(db, term) for term in listed} == listed
    finally:
        db.connection().set_trace_callback(None)
    assert statements == []
