"""Bad input never raises; other kinds are indexed in step with their rows; the CLI contract."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import peewee as pw
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.search import indexing
from kiosk.search.api import SearchFilters
from kiosk.search.query import search, suggest
from kiosk.store import models
from kiosk.store.db import bind_content_models
from tests.unit.search_fixture import LAWS, build

pytestmark = pytest.mark.skipif(not LAWS.is_dir(), reason="shared laws folder missing")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pw.SqliteDatabase]:
    root = tmp_path_factory.mktemp("robust")
    database = build(root)
    yield database
    database.close()


@pytest.fixture(autouse=True)
def bound(db: pw.SqliteDatabase) -> None:
    bind_content_models(db)


BAD = [
    "",
    " ",
    "\t\n",
    "？？？",
    "，。！、",
    '"',
    '""',
    "*",
    "劳动*",
    "NEAR(",
    "NEAR(a b",
    "a OR",
    "AND",
    "NOT 工资",
    "(工资",
    "工资)",
    "title:工资",
    "{title}: 工资",
    "^工资",
    "\x00\x01\x02",
    "工\x00资",
    "\u200b\u200b",
    "'; DROP TABLE law; --",
    "🙂🙂",
    "𠀀𠀁",
    "a" * 10_000,
    "工资" * 5_000,
    "第条",
    "第0条",
    "第99999条",
    "民法典第一千零八十七条之九十九",
    "劳动合同法 0",
    "1" * 50,
]


@pytest.mark.parametrize("text", BAD)
def test_bad_queries_return_a_list(db: pw.SqliteDatabase, text: str) -> None:
    assert isinstance(search(db, text), list)
    assert isinstance(suggest(db, text), list)


def test_only_punctuation_or_empty_finds_nothing(db: pw.SqliteDatabase) -> None:
    for text in ("", "？？？", "，。！、", "\x00\x01"):
        assert search(db, text) == []
        assert suggest(db, text) == []


def test_fts_syntax_is_taken_as_text(db: pw.SqliteDatabase) -> None:
    plain = [h.id for h in search(db, "工资", limit=5)]
    assert [h.id for h in search(db, '"工资"*', limit=5)] == plain
    assert [h.id for h in search(db, "NEAR(工资", limit=5)] == [h.id for h in search(db, "near 工资", limit=5)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(
        alphabet=st.one_of(
            st.characters(codec="utf-8"),
            st.sampled_from(list('"*^:(){}-+ NEAR OR AND NOT 工资劳动合同第一千零八十七条民法典１２ＡＢ')),
        ),
        max_size=300,
    ),
    kinds=st.lists(st.sampled_from(["law", "article", "case", "guide", "institution", "person"]), max_size=3),
    limit=st.integers(min_value=-5, max_value=300),
)
def test_any_input_is_answered_without_error(db: pw.SqliteDatabase, text: str, kinds: list[str], limit: int) -> None:
    hits = search(db, text, SearchFilters(kinds=tuple(kinds)), limit=limit)
    assert len(hits) <= max(0, limit)
    assert all(h.kind in ("law", "article", "case", "guide", "institution", "person") for h in hits)
    assert isinstance(suggest(db, text, limit=max(0, limit)), list)


def _guide(key: str, title: str, summary: str) -> int:
    return int(
        models.Guide.insert(
            key=key,
            title=title,
            category="劳动争议",
            summary=summary,
            conditions=["用人单位拖欠劳动报酬"],
            materials=[{"name": "劳动合同", "note": "复印件", "required": True}],
            steps=["拨打12348咨询"],
            fees="免费",
            time_limit="五日内受理",
            office_types=["仲裁委员会"],
            digest=key,
        ).execute()
    )


def test_other_kinds_are_indexed_in_step_with_their_rows(db: pw.SqliteDatabase) -> None:
    with db.atomic():
        gid = _guide("wage-test", "讨要欠薪（示例）", "农民工被拖欠工资，可以申请劳动争议仲裁。")
        iid = int(
            models.Institution.insert(
                key="XG-T-1",
                type="法律援助中心",
                name="孝南区法律援助中心（示例）",
                region_code="420902",
                address="孝南区书院街1号",
                latitude=30.9,
                longitude=113.9,
                services=["法律咨询", "代写文书"],
            ).execute()
        )
        pid = int(
            models.Person.insert(
                key="XG-P-T1",
                role="律师",
                name="张示例",
                institution=iid,
                specialties=["劳动争议", "婚姻家庭"],
                practice_status="执业",
            ).execute()
        )
        cid = int(
            models.Case.insert(
                key="case-t1",
                kind="典型案例",
                title="王某诉某公司拖欠工资案（示例）",
                keywords=["欠薪"],
                sections=[["基本案情", "某公司拖欠王某工资三个月。"]],
                source="test",
                digest="x",
            ).execute()
        )
        indexing.index_guides(db, [gid])
        indexing.index_institutions(db, [iid])
        indexing.index_people(db, [pid])
        indexing.index_cases(db, [cid])
    assert search(db, "欠薪", SearchFilters(kinds=("guide",)))[0].id == gid
    assert search(db, "12348", SearchFilters(kinds=("guide",)))[0].id == gid
    assert search(db, "法律援助中心", SearchFilters(kinds=("institution",), region="420902"))[0].id == iid
    assert search(db, "法律援助中心", SearchFilters(kinds=("institution",), region="420981")) == []
    assert search(db, "xnqflyzzx", SearchFilters(kinds=("institution",)))[0].id == iid
    assert search(db, "劳动争议 律师", SearchFilters(kinds=("person",)))[0].id == pid
    assert search(db, "拖欠工资", SearchFilters(kinds=("case",)))[0].id == cid
    assert any(h.kind == "guide" for h in search(db, "欠薪怎么办", limit=10))
    # Rows changed in place, then re-indexed: the old words go, the new ones come.
    with db.atomic():
        models.Guide.update(title="申请劳动仲裁（示例）").where(models.Guide.id == gid).execute()
        indexing.index_guides(db, [gid])
        models.Institution.update(name="孝南区公共法律服务中心（示例）").where(models.Institution.id == iid).execute()
        indexing.index_institutions(db, [iid])
    assert gid in [h.id for h in search(db, "劳动仲裁", SearchFilters(kinds=("guide",)))]
    assert [h.title for h in search(db, "孝南区", SearchFilters(kinds=("institution",)))] == [
        "孝南区公共法律服务中心（示例）"
    ]
    assert search(db, "孝南区公共法律服务中心", SearchFilters(kinds=("person",)))[0].id == pid
    with db.atomic():
        for model, ref, remove in (
            (models.Guide, gid, indexing.remove_guides),
            (models.Case, cid, indexing.remove_cases),
            (models.Person, pid, indexing.remove_people),
            (models.Institution, iid, indexing.remove_institutions),
        ):
            model.delete().where(model.id == ref).execute()
            remove(db, [ref])
    assert search(db, "劳动仲裁", SearchFilters(kinds=("guide", "case", "person", "institution"))) == []


def test_rebuild_gives_the_same_answers(db: pw.SqliteDatabase) -> None:
    before = [(h.kind, h.id) for h in search(db, "离婚 子女 抚养", limit=10)]
    with db.atomic("IMMEDIATE"):
        indexing.rebuild_index(db)
    assert [(h.kind, h.id) for h in search(db, "离婚 子女 抚养", limit=10)] == before


def test_cli_batch_writes_one_line_per_query(
    db: pw.SqliteDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.cli import main

    data_dir = Path(db.database).parent
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        '{"id": "a", "query": "劳动合同法第十九条"}\n{"id": 2, "query": "结婚年龄"}\nnot json\n', encoding="utf-8"
    )
    assert main(["--data-dir", str(data_dir), "search", "--batch", str(batch), "--limit", "3"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", 2, None]
    first = lines[0]["results"][0]
    assert set(first) == {"kind", "id", "title", "article", "article_no", "source", "snippet", "score"}
    assert (first["title"], first["article"], first["article_no"], first["source"]) == (
        "中华人民共和国劳动合同法",
        "第十九条",
        19,
        "社会法/劳动合同法(2012-12-28).md",
    )
    assert lines[1]["results"][0]["source"] == "民法典/婚姻家庭编.md" and lines[1]["ms"] >= 0
    assert "error" in lines[2]
    assert main(["--data-dir", str(data_dir), "search", "民法典1087条", "--json", "--kind", "article"]) == 0
    single = json.loads(capsys.readouterr().out)
    assert single["results"][0]["article_no"] == 1087
