from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.store.lawparse import LawParseError, parse_law, split_file_stem
from kiosk.store.numerals import cn_to_int, int_to_cn

DOC = """# 中华人民共和国示例法

2001年1月2日 第九届全国人民代表大会常务委员会第二十次会议通过
2010年3月4日 第十一届全国人民代表大会常务委员会第十三次会议修正

<!-- INFO END -->

## 第一章 总则

第一条 为了测试，制定本法。

第二条 本法所称测试，是指：
（一）单元测试；
（二）集成测试。

### 第一节  细则

第十条之一\u3000全角空格也开始一条。

## 附则

第一千零八十七条 最后一条。
"""


def test_parse_structure_articles_and_history() -> None:
    law = parse_law(DOC)
    assert law.title == "中华人民共和国示例法"
    assert [a.label for a in law.articles] == ["第一条", "第二条", "第十条之一", "第一千零八十七条"]
    assert law.articles[1].paragraphs == ["本法所称测试，是指：", "（一）单元测试；", "（二）集成测试。"]
    assert (law.articles[2].number, law.articles[2].sub_number) == (10, 1)
    assert law.articles[3].number == 1087
    kinds = [(s.depth, s.kind, s.label, s.name) for s in law.sections]
    assert kinds == [(1, "章", "第一章", "总则"), (2, "节", "第一节", "细则"), (1, "部分", "", "附则")]
    assert law.sections[law.articles[2].section_index or 0].name == "细则"
    assert law.promulgated == dt.date(2001, 1, 2)
    assert law.amended == dt.date(2010, 3, 4)
    assert law.issuer == "全国人民代表大会常务委员会"


def test_civil_code_part_title_joins_both_headings() -> None:
    law = parse_law(
        "# 中华人民共和国民法典\n\n# 婚姻家庭编\n\n2020年5月28日 通过\n<!-- INFO END -->\n第一千零四十条 本编调整。\n"
    )
    assert law.title == "中华人民共和国民法典·婚姻家庭编"


def test_missing_info_end_names_the_problem() -> None:
    with pytest.raises(LawParseError, match="INFO END"):
        parse_law("# 标题\n第一条 正文\n")


def test_file_stem_dates() -> None:
    assert split_file_stem("劳动合同法(2012-12-28)") == ("劳动合同法", dt.date(2012, 12, 28))
    assert split_file_stem("刑法") == ("刑法", None)
    assert split_file_stem("坏日期(2012-13-45)") == ("坏日期(2012-13-45)", None)


@given(st.integers(min_value=1, max_value=99999))
def test_chinese_numerals_round_trip(number: int) -> None:
    assert cn_to_int(int_to_cn(number)) == number


@given(st.text(max_size=300))
def test_parser_never_crashes_on_arbitrary_text(text: str) -> None:
    with contextlib.suppress(LawParseError):
        parse_law(text)
