"""Cases, guides, topics, synonyms and publicity importers on real laws."""

from __future__ import annotations

from pathlib import Path

import peewee as pw
import pytest

from kiosk.paths import SHARED_DATA_DIR
from kiosk.store.errors import ImportFailed
from kiosk.store.import_cases import import_cases
from kiosk.store.import_guides import import_guides
from kiosk.store.import_laws import import_laws
from kiosk.store.import_misc import import_publicity, import_synonyms, import_topics
from kiosk.store.models import Case, Guide, HotTopic, PublicityItem, Synonym
from tests.conftest import dump

CASES = SHARED_DATA_DIR / "cases" / "cases.jsonl"

GUIDE = """title = "申请法律援助（示例）"
category = "法律援助"
summary = "经济困难的公民可以申请法律援助。"
fees = "免费"
time_limit = "七日内作出决定"
office_types = ["法律援助中心"]
conditions = ["经济困难"]
steps = ["提出申请", "审查", "指派律师"]

[[materials]]
name = "居民身份证"

[[basis]]
law = "中华人民共和国法律援助法"
article = "第四十一条"

[[basis]]
law = "法律援助法"
article = "第四十三条"
"""


@pytest.fixture
def laws_db(content_db: pw.SqliteDatabase, small_laws: Path) -> pw.SqliteDatabase:
    import_laws(content_db, small_laws)
    return content_db


def test_cases_from_jsonl_and_markdown_once_each_with_citations(laws_db: pw.SqliteDatabase) -> None:
    report = import_cases(laws_db, [CASES, SHARED_DATA_DIR / "laws" / "案例"])
    assert Case.select().count() == 59 == report.added
    guiding = Case.get(Case.key == "guiding-18")
    assert guiding.kind == "指导性案例" and guiding.number == 18
    assert guiding.court == "浙江省杭州市滨江区人民法院"
    cited = {(c.law_title, c.article_label): c.article for c in guiding.citations}
    article = cited[("中华人民共和国劳动合同法", "第四十条")]
    assert article is not None and article.text.startswith("有下列情形之一的")
    before = dump(laws_db)
    again = import_cases(laws_db, [CASES, SHARED_DATA_DIR / "laws" / "案例"])
    assert (again.added, again.changed) == (0, 0) and dump(laws_db) == before


def test_broken_case_line_is_reported_and_nothing_changes(laws_db: pw.SqliteDatabase, tmp_path: Path) -> None:
    import_cases(laws_db, [CASES])
    before = dump(laws_db)
    lines = CASES.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4][:40]
    lines[6] = lines[6].replace('"kind": "典型案例"', '"kind": "普通案例"')
    broken = tmp_path / "cases.jsonl"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_cases(laws_db, [broken])
    messages = [str(p) for p in failure.value.problems]
    assert any(m.startswith(f"{broken}:5") and "not JSON" in m for m in messages)
    assert any(m.startswith(f"{broken}:7 [kind]") for m in messages)
    assert dump(laws_db) == before


def test_guide_basis_resolves_to_current_articles(laws_db: pw.SqliteDatabase, tmp_path: Path) -> None:
    folder = tmp_path / "guides"
    folder.mkdir()
    (folder / "legal-aid.toml").write_text(GUIDE, encoding="utf-8")
    import_guides(laws_db, folder)
    guide = Guide.get(Guide.key == "legal-aid")
    assert guide.materials == [{"name": "居民身份证", "note": "", "required": True}]
    labels = [(b.article.law.short_title, b.article.label) for b in guide.basis]
    assert labels == [("法律援助法", "第四十一条"), ("法律援助法", "第四十三条")]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("第四十三条", "第四百三十条"), ":19 [basis]: 《法律援助法》第四百三十条 is not in the stored laws"),
        (('fees = "免费"\n', ""), " [fees]: required text is missing"),
        (('category = "法律援助"', 'catagory = "法律援助"'), ":2 [catagory]: unknown field"),
        (('office_types = ["法律援助中心"]', 'office_types = ["援助站"]'), " [office_types]: '援助站' is not"),
        (("[[basis]]", "[[basis]"), "not valid TOML"),
    ],
)
def test_bad_guide_is_reported_and_nothing_changes(
    laws_db: pw.SqliteDatabase, tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    folder = tmp_path / "guides"
    folder.mkdir()
    path = folder / "legal-aid.toml"
    path.write_text(GUIDE, encoding="utf-8")
    import_guides(laws_db, folder)
    before = dump(laws_db)
    path.write_text(GUIDE.replace(*edit), encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_guides(laws_db, folder)
    messages = [str(p) for p in failure.value.problems]
    assert any(m.startswith(str(path)) and expected in m for m in messages), messages
    assert dump(laws_db) == before


def test_synonyms_topics_and_publicity(content_db: pw.SqliteDatabase, tmp_path: Path) -> None:
    synonyms = tmp_path / "synonyms.tsv"
    synonyms.write_text("# 劳动\n欠薪\t拖欠工资|劳动报酬\n老公\t配偶\n", encoding="utf-8")
    assert import_synonyms(content_db, synonyms).added == 2
    assert Synonym.get_by_id("欠薪").expansions == ["拖欠工资", "劳动报酬"]
    synonyms.write_text("欠薪\t拖欠工资\n欠薪\t工资\n老公 配偶\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_synonyms(content_db, synonyms)
    assert [p.line for p in failure.value.problems] == [2, 3]
    assert Synonym.get_by_id("欠薪").expansions == ["拖欠工资", "劳动报酬"]

    topics = tmp_path / "topics.csv"
    topics.write_text("topic_id,name,query,position\nt1,欠薪,拖欠工资,1\nt2,离婚,离婚,2\n", encoding="utf-8")
    assert import_topics(content_db, topics).added == 2
    assert [t.name for t in HotTopic.select().order_by(HotTopic.position)] == ["欠薪", "离婚"]
    topics.write_text("topic_id,name,query,position,guide_id\nt1,欠薪,拖欠工资,1,nope\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"topics.csv:2 \[guide_id\]: unknown guide 'nope'"):
        import_topics(content_db, topics)

    publicity = tmp_path / "publicity.toml"
    publicity.write_text('[[item]]\nid = "p1"\nkind = "文章"\ntitle = "宪法宣传（示例）"\nbody = "正文"\n', "utf-8")
    assert import_publicity(content_db, publicity).added == 1
    publicity.write_text('[[item]]\nid = "v1"\nkind = "视频"\ntitle = "视频"\nmedia = "none.webm"\n', "utf-8")
    with pytest.raises(ImportFailed, match="not in the media store"):
        import_publicity(content_db, publicity)
    assert PublicityItem.select().count() == 1
