"""Associations learned from judged questions: what they keep, how they score, how they are stored."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import peewee as pw
import pytest

from kiosk.search.catalog import get_catalog
from kiosk.search.evaluation import SHORT_CHARS
from kiosk.search.learned import FEATURE_COUNT, FEATURES, Associations, CandidatePool, Model, _load, save, shipped
from kiosk.search.related import neighbours
from tests.unit.search_fixture import LAWS, build

if TYPE_CHECKING:
    import lightgbm

LABOUR = ("劳动合同法", 30)
MARRIAGE = ("民法典·婚姻家庭编", 1079)


def _fitted() -> Associations:
    return Associations.fit(
        [
            (["公司", "工资", "拖欠"], {LABOUR}),
            (["老板", "工资", "不发"], {LABOUR}),
            (["离婚", "孩子"], {MARRIAGE}),
            (["离婚", "财产", "工资"], {MARRIAGE}),
            (["一次性", "罕见词"], {MARRIAGE}),
        ]
    )


def test_a_new_question_is_pointed_to_the_articles_its_words_were_answered_by() -> None:
    scores = _fitted().score(["工资", "拖欠", "怎么办"])  # 拖欠 was in one question only: not kept
    assert max(scores, key=lambda k: scores[k]) == LABOUR
    assert scores[LABOUR] > scores[MARRIAGE] > 0


def test_words_of_a_single_question_teach_nothing() -> None:
    assoc = _fitted()
    assert "罕见词" not in assoc.word_questions and "拖欠" not in assoc.word_questions
    assert assoc.score(["罕见词"]) == {}


def test_stored_and_loaded_unchanged() -> None:
    assoc = _fitted()
    again = Associations.from_json(assoc.to_json())
    assert again == assoc
    assert again.article_prior[LABOUR] == 2 and again.law_prior["民法典·婚姻家庭编"] == 3


def test_the_answers_of_the_most_similar_training_questions_score_highest() -> None:
    near = _fitted().similar(["老板", "工资", "不发"])
    assert max(near, key=lambda k: near[k]) == LABOUR
    assert near[LABOUR] > near.get(MARRIAGE, 0.0)
    assert _fitted().similar(["罕见词"]) == {}  # a word of a single training question is not kept


def test_a_law_lists_its_most_answering_articles_first() -> None:
    assoc = Associations.fit([(["工资"], {LABOUR}), (["工资"], {LABOUR, ("劳动合同法", 82)}), (["工资"], {LABOUR})])
    assert assoc.law_articles("劳动合同法") == [LABOUR, ("劳动合同法", 82)]
    assert assoc.law_articles("没有的法") == []


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pw.SqliteDatabase]:
    database = build(tmp_path_factory.mktemp("learned"))
    yield database
    database.close()


@pytest.mark.skipif(not LAWS.is_dir(), reason="shared laws folder missing")
def test_what_one_model_added_to_a_shared_question_changes_nothing_for_another(db: pw.SqliteDatabase) -> None:
    """The benchmark shares each question's first stage between the models of every fold. A model
    must see the same candidates in the same order whatever other models fetched before it, or the
    same fit gives another ranker depending on which folds ran first."""
    question = "拖欠 工资"
    first, second = ("民法典·婚姻家庭编", 1050), ("民法典·婚姻家庭编", 1060)
    other = Model(Associations.fit([(["工资"], {second}), (["工资"], {second})]), None)
    model = Model(Associations.fit([(["工资"], {first, second}), (["工资"], {first})]), None)

    fresh = CandidatePool(db).context(question)
    assert first not in fresh.candidates and second not in fresh.candidates  # both are additions
    alone = model.features(fresh)
    shared = CandidatePool(db).context(question)
    other.features(shared)  # fetches ``second`` into the shared context first
    after_other = model.features(shared)

    assert after_other == alone
    keys = alone[0]
    assert keys.index(first) < keys.index(second)  # the associations' order


@pytest.mark.skipif(not LAWS.is_dir(), reason="shared laws folder missing")
def test_an_article_saying_the_question_word_as_the_laws_do_is_credited_for_it(db: pw.SqliteDatabase) -> None:
    """related_body: 孕期 asked, 哺乳期 or 产期 written (the laws' own words for the same need)."""
    ctx = CandidatePool(db).context("孕期 被辞退")
    keys, rows = Model(Associations.fit([]), None).features(ctx)
    exact, soft = FEATURES.index("cover_body"), FEATURES.index("related_body")
    texts = {key: ctx.candidates[key].art.text for key in keys}
    otherwise = [
        i for i, key in enumerate(keys) if "孕期" not in texts[key] and ("哺乳期" in texts[key] or "产期" in texts[key])
    ]
    assert otherwise, "the fixture's labour laws speak of 哺乳期 beside the articles on 孕期"
    for i in otherwise:
        assert rows[i][soft] > rows[i][exact]
    for i, key in enumerate(keys):
        assert rows[i][soft] >= rows[i][exact]
        if not any(w in texts[key] for w, _ in neighbours("孕期") + neighbours("辞退")):
            assert rows[i][soft] == pytest.approx(rows[i][exact])


def test_the_shipped_ranker_reads_the_features_the_engine_computes() -> None:
    """A ranker fitted on other features would be handed rows it cannot read (or misread)."""
    model = shipped()
    assert model is not None and model.booster is not None and model.long_booster is not None
    assert model.booster.feature_name() == list(FEATURES[:FEATURE_COUNT])
    assert model.long_booster.feature_name() == list(FEATURES[:FEATURE_COUNT])


def _booster_preferring(feature: str, high: bool) -> lightgbm.Booster:
    """A ranker that puts first the candidate with the highest (or lowest) ``feature`` (a rank)."""
    import lightgbm as lgb

    rng = np.random.default_rng(3)
    # The other features constant: the trees split on this one alone, whatever a real question's are.
    rows = np.full((400, FEATURE_COUNT), 0.5)
    rows[:, FEATURES.index(feature)] = rng.integers(1, 201, 400)  # the range of a rank
    column = rows[:, FEATURES.index(feature)]
    labels = np.zeros(400, dtype=int)
    for start in range(0, 400, 20):
        group = column[start : start + 20]
        labels[start + int(np.argmax(group) if high else np.argmin(group))] = 1
    data = lgb.Dataset(rows, label=labels, group=[20] * 20)
    params = {"objective": "lambdarank", "verbose": -1, "num_threads": 1, "min_data_in_leaf": 5, "seed": 1}
    return lgb.train(params, data, num_boost_round=30)


@pytest.mark.skipif(not LAWS.is_dir(), reason="shared laws folder missing")
def test_a_long_question_is_ordered_by_the_long_questions_ranker(db: pw.SqliteDatabase, tmp_path: Path) -> None:
    first_stage_order = _booster_preferring("engine_rank", high=False)
    reversed_order = _booster_preferring("engine_rank", high=True)
    model = Model(Associations.fit([]), first_stage_order, reversed_order)
    pool = CandidatePool(db)
    short, long = "拖欠工资", "公司拖欠我三个月的工资一直不发怎么办"
    assert len(short) <= SHORT_CHARS < len(long)

    def engine_ranks(m: Model, text: str) -> list[int]:
        ctx = pool.context(text)
        ranked = m.rank(ctx)
        by_id = {c.art.id: c.engine_rank for c in ctx.candidates.values()}
        return [by_id[art.id] for art, _ in ranked]

    assert engine_ranks(model, short)[0] == 1
    ranks = engine_ranks(model, long)
    assert ranks[0] == max(ranks) > 1
    # Stored and loaded as the shipped files are; without a long ranker, one ranker orders all.
    files = tmp_path / "a.json", tmp_path / "r.txt", tmp_path / "r-long.txt"
    save(model, *files)
    loaded = _load(*files)
    assert loaded is not None and loaded.long_booster is not None
    assert engine_ranks(loaded, long) == ranks
    save(Model(model.assoc, first_stage_order), *files)
    assert not files[2].exists()  # a stale long ranker is not left behind
    single = _load(*files)
    assert single is not None and single.long_booster is None
    assert engine_ranks(single, long)[0] == 1


def _article_reads(db: pw.SqliteDatabase) -> list[str]:
    """The statements reading article rows from now on (SQLite's trace of this connection)."""
    seen: list[str] = []
    db.connection().set_trace_callback(lambda sql: seen.append(sql) if "FROM article" in sql else None)
    return seen


@pytest.mark.skipif(not LAWS.is_dir(), reason="shared laws folder missing")
def test_the_articles_a_model_brings_are_read_once_and_after_a_content_change_read_again(tmp_path: Path) -> None:
    """The articles the associations point to are kept with the catalogue instead of read for every
    question; the candidates and their features are the same, and an article changed by a sync is
    seen at the next question, not the text kept before."""
    db = build(tmp_path)
    question, added = "拖欠 工资", ("民法典·婚姻家庭编", 1050)
    model = Model(Associations.fit([(["工资"], {added}), (["工资"], {added})]), None)
    read_each_time = model.features(CandidatePool(db).context(question))
    assert added in read_each_time[0]

    catalog = get_catalog(db)
    model.keep_articles(db, catalog)
    law_id = catalog.current_version(added[0])
    assert law_id is not None and catalog.numbered[(law_id, 1050)] is not None
    reads = _article_reads(db)
    try:
        kept = model.features(CandidatePool(db).context(question))
        assert kept == read_each_time
        assert not any("WITH wanted" in sql for sql in reads)  # every addition was kept: none read
        model.keep_articles(db, catalog)  # a second call reads nothing again
        assert not any("WITH wanted" in sql for sql in reads)
    finally:
        db.connection().set_trace_callback(None)

    db.execute_sql(
        "UPDATE article SET text = '本条经修改：工资应当按时足额支付。' WHERE law_id = ? AND number = 1050", [law_id]
    )
    ctx = CandidatePool(db).context(question)
    model.features(ctx)  # a new catalogue for the changed content: nothing kept from before it
    assert ctx.candidates[added].art.text == "本条经修改：工资应当按时足额支付。"
    db.close()


@pytest.mark.skipif(not LAWS.is_dir(), reason="shared laws folder missing")
def test_a_long_question_also_gets_the_articles_of_the_associations_laws_that_say_its_words(
    db: pw.SqliteDatabase,
) -> None:
    """The law the training questions point to is searched for the question's own words: the
    articles found join the candidates of a long question (a short one keeps its quick pool)."""
    model = Model(Associations.fit([(["工资"], {LABOUR}), (["工资"], {LABOUR})]), None)
    pool = CandidatePool(db)
    ctx = pool.context("公司拖欠我三个月的工资一直不发还不给加班费怎么办")
    assert not ctx.short
    within = ctx.within(LABOUR[0], 40)
    assert 0 < len(within) <= 40 and all(group == LABOUR[0] for group, _ in within)
    keys, _ = model.features(ctx)
    assert set(within) <= set(keys)
    for key in within:
        text = ctx.candidates[key].art.text
        assert any(word in text for word in ctx.words), (key, text)

    short = pool.context("拖欠工资")
    assert short.short
    model.features(short)
    assert not short._within  # never searched: a short question's time is kept for the first screen


def test_a_ranker_fitted_on_other_features_is_refused_with_an_error_not_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # LightGBM refuses rows of another width: every search would fail. The engine keeps the first
    # stage's order instead and says which file to refit.
    import lightgbm as lgb

    rng = np.random.default_rng(5)
    rows = rng.random((200, FEATURE_COUNT - 1))
    data = lgb.Dataset(rows, label=rng.integers(0, 2, 200), group=[20] * 10)
    params = {"objective": "lambdarank", "verbose": -1, "num_threads": 1, "min_data_in_leaf": 5, "seed": 1}
    older = lgb.train(params, data, num_boost_round=5)
    files = tmp_path / "a.json", tmp_path / "r.txt", tmp_path / "r-long.txt"
    save(Model(Associations.fit([]), older), *files)
    with caplog.at_level(logging.ERROR, logger="kiosk.search.learned"):
        assert _load(*files) is None
    assert f"{files[1]} reads {FEATURE_COUNT - 1} features, this engine computes {FEATURE_COUNT}" in caplog.text


@pytest.mark.skipif(not LAWS.is_dir(), reason="shared laws folder missing")
def test_the_ranker_is_told_how_much_of_the_question_the_associations_know(db: pw.SqliteDatabase) -> None:
    # 老人 of four training questions pointed 老人住养老院被打 to 物权编: its associations spoke for a
    # question whose other words no training question held. assoc_known says how much they cover.
    model = Model(_fitted(), None)
    pool = CandidatePool(db)

    def known(text: str) -> set[float]:
        keys, rows = model.features(pool.context(text))
        assert keys
        return {row[FEATURES.index("assoc_known")] for row in rows}

    assert known("离婚 工资") == {1.0}  # both words of several training questions
    assert known("家庭暴力 报警") == {0.0}  # neither
    (part,) = known("离婚 家庭暴力")
    assert 0.0 < part < 1.0
