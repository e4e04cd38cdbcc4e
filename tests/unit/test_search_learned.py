"""Associations learned from judged questions: what they keep, how they score, how they are stored."""

from __future__ import annotations

from collections.abc import Iterator

import peewee as pw
import pytest

from kiosk.search.learned import Associations, CandidatePool, Model
from tests.unit.search_fixture import LAWS, build

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
