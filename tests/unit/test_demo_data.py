"""The whole shared laws folder and the demo content, through the command line (about 30 s)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.paths import REPO_ROOT
from kiosk.search.api import HIGHLIGHT_END, HIGHLIGHT_START
from kiosk.search.query import search
from kiosk.store.db import bind_content_models, open_content_db
from kiosk.store.models import Article, Guide, GuideBasis, Institution, IntegrityRecord, Law, Person, Region


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--data-dir", str(data), "demo-data"], check=True, capture_output=True
    )
    return data


def stats(data: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--data-dir", str(data), "stats", "--json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(out))


def test_whole_laws_folder_counts(demo_dir: Path) -> None:
    counts = stats(demo_dir)
    assert counts["law_documents"] == 3423
    assert counts["law_articles"] == 147283
    bind_content_models(open_content_db(demo_dir / "content.sqlite3"))
    civil_code = Article.select().join(Law).where(Law.title.startswith("中华人民共和国民法典·")).count()
    assert civil_code == 1260
    assert Law.get(Law.short_title == "劳动合同法").article_count == 98
    assert Law.get(Law.short_title == "法律援助法").article_count == 71


def test_demo_content_meets_the_brief(demo_dir: Path) -> None:
    counts = stats(demo_dir)
    assert counts["cases"] == 59
    assert int(counts["institutions"]) >= 60  # type: ignore[call-overload]
    assert int(counts["people"]) >= 120  # type: ignore[call-overload]
    assert int(counts["guides"]) >= 12  # type: ignore[call-overload]
    assert int(counts["topics"]) >= 20  # type: ignore[call-overload]
    assert int(counts["synonyms"]) >= 300  # type: ignore[call-overload]
    bind_content_models(open_content_db(demo_dir / "content.sqlite3"))
    types = {i.type for i in Institution.select()}
    assert len(types) == 11
    counties = {r.code for r in Region.select().where(Region.parent == "420900")}
    assert counties == {"420902", "420921", "420922", "420923", "420981", "420982", "420984"}
    assert {i.region_code for i in Institution.select()} >= counties
    for model in (Institution, Person):
        unmarked = [r.name for r in model.select() if not (r.is_sample and "示例" in r.name)]
        assert unmarked == [], f"{model.__name__} records not marked 示例"
    assert all(r.is_sample for r in IntegrityRecord.select())
    assert all(g.is_sample and "示例" in g.title for g in Guide.select())
    assert GuideBasis.select().where(GuideBasis.article.is_null()).count() == 0


def test_an_entry_that_shares_only_a_lone_character_with_the_question_is_no_result(demo_dir: Path) -> None:
    # 照片被人乱用: no office, guide or case holds every word, so the entries holding some of them are
    # offered. 人 and 用 alone were such words: every 人民调解委员会 and most guides and cases came back.
    db = open_content_db(demo_dir / "content.sqlite3")
    hits = search(db, "照片被人乱用", limit=40)
    offices = [h.title for h in hits if h.kind == "institution"]
    assert not [name for name in offices if "人民调解委员会" in name], offices
    # What does share a word with it stays: a case on a portrait (肖像, the law's word for 照片).
    assert any(h.kind == "case" and "肖像" in (h.snippet or "") for h in hits)
    db.close()


def test_a_lone_character_is_marked_only_when_the_question_has_nothing_longer(demo_dir: Path) -> None:
    # 车被人打坏了: guides and cases holding 车辆 and 损坏 are offered; every 人 and 车 in them was marked.
    db = open_content_db(demo_dir / "content.sqlite3")
    entries = [h for h in search(db, "车被人打坏了", limit=40) if h.kind in ("guide", "case")]
    marked = {m for h in entries for m in re.findall(f"{HIGHLIGHT_START}(.*?){HIGHLIGHT_END}", h.snippet)}
    assert entries and marked, "the demo's guides and cases on cars are found and marked"
    assert all(len(m) >= 2 for m in marked), marked
    # A question of one character marks it: there is nothing else to show.
    guides = [h for h in search(db, "证", limit=40) if h.kind == "guide"]
    assert any(f"{HIGHLIGHT_START}证{HIGHLIGHT_END}" in h.snippet for h in guides)
    db.close()


def test_an_entry_holding_only_some_of_the_words_comes_after_the_best_articles(demo_dir: Path) -> None:
    # 结婚证丢了怎么补: the guide to a protection order lists 结婚证 among its papers and no more of the
    # question; it came second, right after 婚姻登记条例 第十七条. It stays in the list, after three articles.
    db = open_content_db(demo_dir / "content.sqlite3")
    hits = search(db, "结婚证丢了怎么补", limit=20)
    assert [h.kind for h in hits[:3]] == ["article"] * 3, [(h.kind, h.title) for h in hits[:3]]
    assert (hits[0].title, hits[0].article) == ("婚姻登记条例", "第十七条")
    assert any(h.kind == "guide" and "人身安全保护令" in h.title for h in hits[3:])
    db.close()


def test_the_demo_command_rebuilds_the_database_after_the_repositorys_content_changed(demo_dir: Path) -> None:
    # scripts/kiosk-demo's set-up step on a demo built earlier: kept while assets/ is unchanged,
    # built again (in place) once a file there is newer, e.g. a pulled synonym list.
    ready = demo_dir / "demo-ready"
    ready.write_text("built\n")
    ensure = ["bash", "-c", 'source scripts/bootstrap.sh && ensure_demo_data "$1"', "ensure", str(demo_dir)]
    kept = subprocess.run(ensure, cwd=REPO_ROOT, check=True, capture_output=True, text=True)
    assert "building the demo database" not in kept.stdout + kept.stderr
    assert ready.read_text() == "built\n"
    os.utime(ready, (0, 0))  # built before every file of assets/
    rebuilt = subprocess.run(ensure, cwd=REPO_ROOT, check=True, capture_output=True, text=True)
    assert "assets/ changed since the demo database was built" in rebuilt.stdout + rebuilt.stderr
    assert ready.read_text() != "built\n" and ready.stat().st_mtime > 0
    assert int(stats(demo_dir)["synonyms"]) >= 300  # type: ignore[call-overload]
