"""Folding, tokens, segmentation, reference parsing and pinyin keys (no database)."""

from __future__ import annotations

import pytest

from kiosk.search.analyze import analyze
from kiosk.search.lexicon import Segmenter
from kiosk.search.pinyin import pinyin_keys
from kiosk.search.refs import parse_reference
from kiosk.search.text import _FULLWIDTH, char_text, fold, index_text, light_fold, phrase, tokens


def test_fold_width_case_and_traditional() -> None:
    assert fold("ＥＴＣ　５Ｇ") == "etc 5g"
    assert fold("勞動合同") == "劳动合同"
    assert fold("１２３４８") == "12348"


def test_fold_leaves_simplified_text_as_it_is() -> None:
    # t2s read 打坏 (broke it) as the traditional spelling of 打坯 (made adobe bricks): 东西被打坏了
    # lost its 坏, and with it the synonym list's 损坏.
    assert fold("东西被打坏了") == "东西被打坏了"
    assert fold("把門打壞了") == "把门打坏了"
    assert fold("打坏东西要赔 打坯是做土砖") == "打坏东西要赔 打坯是做土砖"


def test_light_fold_is_the_full_width_table_then_lower_case() -> None:
    # light_fold replaces the common marks by hand before the table: the same mapping, every character.
    every = "".join(chr(c) for c in range(0x20, 0x7F)) + "".join(chr(c) for c in range(0xFF00, 0xFF70))
    for text in (every, "\u3000第一条　为了保护劳动者（含Ｉ）；，：İ", "", "abc", "劳动合同"):
        assert light_fold(text) == text.translate(_FULLWIDTH).lower()
        assert len(light_fold(text)) == len(text) or "İ" in text


def test_bigrams_latin_and_digits() -> None:
    assert tokens("劳动合同法") == ["劳动", "动合", "合同", "同法"]
    assert tokens("工资") == ["工资"]
    assert tokens("拨打12348或ETC、5G") == ["拨打", "12348", "或", "etc", "5g"]
    assert index_text("二〇二〇年") == "二〇 〇二 二〇 〇年"
    assert char_text("劳动法") == "劳 动 法"


def test_phrase_never_carries_fts_syntax() -> None:
    assert phrase('"工资*') == '"工资"'
    assert phrase(fold("NEAR(")) == '"near"'
    assert phrase("？？") is None


def test_segmentation_keeps_domain_words_and_drops_question_words() -> None:
    synonyms = {"欠薪": ["拖欠工资"], "搭便车": ["无偿搭乘"]}
    segmenter = Segmenter(synonyms)
    plan = analyze("欠薪怎么办", segmenter, lambda w: synonyms.get(w, []))
    assert [c.text for c in plan.concepts] == ["欠薪"] and plan.cues == {"remedy"}
    assert [a.simple for a in plan.concepts[0].alts][:2] == ["欠薪", "拖欠工资"]
    plan = analyze("搭便车出了事故谁负责", segmenter, lambda w: synonyms.get(w, []))
    assert plan.concepts[0].text == "搭便车" and "who" in plan.cues
    assert analyze("什么是家庭暴力", segmenter, lambda w: []).cues == {"define"}


def test_a_child_who_hurt_someone_is_not_read_as_domestic_violence() -> None:
    # No rule in code turns 孩子 + 打 into 家庭暴力: here the child hurt someone else.
    plan = analyze("邻居帮忙带孩子时候，孩子把别人打伤了", Segmenter(), lambda w: [])
    assert "家庭暴力" not in [w for c in plan.concepts for w in c.wordings]


@pytest.mark.parametrize(
    ("text", "name", "number", "sub"),
    [
        ("劳动合同法第十九条", "劳动合同法", 19, 0),
        ("劳动合同法 19", "劳动合同法", 19, 0),
        ("民法典1087条", "民法典", 1087, 0),
        ("第一千零八十七条", "", 1087, 0),
        ("《中华人民共和国刑法》第一百三十三条之一", "中华人民共和国刑法", 133, 1),
    ],
)
def test_parse_reference(text: str, name: str, number: int, sub: int) -> None:
    ref = parse_reference(fold(text))
    assert ref is not None and (ref.law_name, ref.number, ref.sub_number) == (name, number, sub)


@pytest.mark.parametrize("text", ["12348", "5g", "工资", "第条", "劳动合同法"])
def test_not_a_reference(text: str) -> None:
    assert parse_reference(fold(text)) is None


def test_pinyin_keys() -> None:
    keys = pinyin_keys("中华人民共和国劳动合同法")
    assert "ldhtf" in keys and "laodonghetongfa" in keys
    assert "cqswygltl" in pinyin_keys("重庆市物业管理条例")


def test_a_match_must_be_a_word_of_its_own() -> None:
    words = Segmenter()
    # 能退 inside 功能退化 is the end of 功能 and the start of 退化: not the resident's 能退.
    text = "器官功能退化"
    assert not words.aligned(text, text.index("能退"), text.index("能退") + 2)
    # A longer word that holds the whole match is fine (出卖 in 出卖人).
    text = "出卖人应当按照约定"
    assert words.aligned(text, 0, 2)


def test_question_particles_end_a_clause() -> None:
    plan = analyze("租房合同还有效吗", Segmenter(["租房合同"]), lambda w: [])
    assert "吗" not in "".join(c.text for c in plan.concepts)
    assert not any(c.text.endswith("吗") for c in plan.concepts)


def test_a_synonym_of_several_words_requires_all_of_them() -> None:
    synonyms = {"扣身份证": ["扣押+身份证", "扣押"]}
    plan = analyze("扣身份证", Segmenter(synonyms), lambda w: synonyms.get(w, []))
    alts = plan.concepts[0].alts
    assert any(a.parts == (("扣押",), ("身份证",)) for a in alts)  # both words, anywhere in the article
    assert not any("+" in w for a in alts for w in a.wordings)
