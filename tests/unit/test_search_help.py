"""Who can help: the office types the help box shows follow what the question is about, read from
its words and the laws of its first results (kiosk/search/data/who_helps.tsv)."""

from __future__ import annotations

from kiosk.search.api import SearchHit
from kiosk.services.search import help_types, load_help_rules


def _articles(*titles: str) -> list[SearchHit]:
    return [SearchHit("article", i, title, "第一条", 1) for i, title in enumerate(titles, 1)]


def test_one_stray_article_does_not_bring_an_office_for_another_matter() -> None:
    # 饭店食物中毒: the fifth result was 劳动合同法 第五十三条 (餐饮服务业 in collective contracts), and
    # the help box offered the labour arbitration commission first.
    hits = _articles("中华人民共和国刑法", "中华人民共和国食品安全法", "中华人民共和国食品安全法", "幼儿园管理条例")
    hits.append(SearchHit("article", 5, "中华人民共和国劳动合同法", "第五十三条", 53))
    types = dict(help_types("饭店食物中毒", hits, load_help_rules()))
    assert "仲裁委员会" not in types and "法律援助中心" not in types, types
    assert types.get("律师事务所") == ["刑法"]  # the first result's law still counts


def test_a_law_that_gives_several_of_the_first_results_names_the_matter() -> None:
    hits = _articles("中华人民共和国食品安全法", "中华人民共和国劳动合同法", "中华人民共和国劳动合同法")
    assert "仲裁委员会" in dict(help_types("饭店的员工", hits, load_help_rules()))


def test_the_questions_own_words_name_the_matter_whatever_the_laws() -> None:
    hits = _articles("中华人民共和国民法典·合同编")
    assert "仲裁委员会" in dict(help_types("拖欠工资", hits, load_help_rules()))
