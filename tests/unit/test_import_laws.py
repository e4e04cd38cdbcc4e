from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import peewee as pw
import pytest

from kiosk.store.errors import ImportFailed
from kiosk.store.import_laws import import_laws
from kiosk.store.models import Article, Law, LawSection
from tests.conftest import dump


def law(short_title: str, **where: object) -> Law:
    query = Law.select().where(Law.short_title == short_title)
    for name, value in where.items():
        query = query.where(getattr(Law, name) == value)
    return query.get()


def test_small_folder_imports_documents_articles_and_structure(content_db: pw.SqliteDatabase, small_laws: Path) -> None:
    report = import_laws(content_db, small_laws)
    assert report.added == 9 and report.changed == report.removed == 0
    marriage = law("民法典·婚姻家庭编")
    assert marriage.title == "中华人民共和国民法典·婚姻家庭编"
    assert marriage.article_count == 79 and marriage.level == "法律"
    assert marriage.source == "民法典/婚姻家庭编.md"
    article = Article.get(Article.law == marriage, Article.number == 1087)
    assert article.label == "第一千零八十七条"
    assert article.section is not None and (article.section.label, article.section.name) == ("第四章", "离婚")
    assert Article.select().where(Article.law == law("法律援助法")).count() == 71
    assert Article.select().where(Article.law == law("劳动合同法")).count() == 98
    labour = law("劳动合同法")
    assert labour.promulgated == dt.date(2007, 6, 29)
    assert labour.amended == dt.date(2012, 12, 28)
    assert labour.issuer == "全国人民代表大会常务委员会"
    chapters = LawSection.select().where(LawSection.law == labour, LawSection.kind == "章").count()
    assert chapters == 8


def test_versions_of_one_title_newest_is_current(content_db: pw.SqliteDatabase, small_laws: Path) -> None:
    import_laws(content_db, small_laws)
    versions = {
        law.version_date.isoformat(): (law.status, law.is_current)
        for law in Law.select().where(Law.short_title == "道路运输条例")
    }
    assert versions == {"2019-03-02": ("已修改", False), "2023-07-20": ("现行有效", True)}


def test_newest_version_not_yet_in_force_keeps_previous_in_force(
    content_db: pw.SqliteDatabase, small_laws: Path
) -> None:
    body = "# 示例条例\n\n{date} 示例市人民代表大会常务委员会通过\n{start} 施行\n<!-- INFO END -->\n第一条 正文。\n"
    folder = small_laws / "行政法规"
    (folder / "示例条例(2020-01-01).md").write_text(body.format(date="2019年12月1日", start="2020年1月1日"), "utf-8")
    (folder / "示例条例(2030-01-01).md").write_text(body.format(date="2029年12月1日", start="2030年1月1日"), "utf-8")
    import_laws(content_db, small_laws, today=dt.date(2026, 11, 28))
    versions = {law.version_date.year: law.status for law in Law.select().where(Law.short_title == "示例条例")}
    assert versions == {2020: "现行有效", 2030: "尚未生效"}


def test_reimport_changes_nothing_and_edit_updates_in_place(content_db: pw.SqliteDatabase, small_laws: Path) -> None:
    import_laws(content_db, small_laws)
    before = dump(content_db)
    again = import_laws(content_db, small_laws)
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 9)
    assert dump(content_db) == before

    target = small_laws / "社会法/劳动合同法(2012-12-28).md"
    target.write_text(target.read_text(encoding="utf-8").replace("第一条 为了完善", "第一条 为了健全"), "utf-8")
    law_id = law("劳动合同法").id
    changed = import_laws(content_db, small_laws)
    assert (changed.added, changed.changed, changed.removed) == (0, 1, 0)
    assert law("劳动合同法").id == law_id
    first = Article.get(Article.law == law_id, Article.number == 1)
    assert first.text.startswith("为了健全")


def test_file_gone_from_folder_is_removed(content_db: pw.SqliteDatabase, small_laws: Path) -> None:
    import_laws(content_db, small_laws)
    (small_laws / "行政法规/道路运输条例(2023-07-20).md").unlink()
    report = import_laws(content_db, small_laws)
    assert report.removed == 1
    remaining = Law.get(Law.short_title == "道路运输条例")
    assert (remaining.status, remaining.is_current) == ("现行有效", True)


def test_broken_document_is_reported_with_file_and_line_and_nothing_changes(
    content_db: pw.SqliteDatabase, small_laws: Path
) -> None:
    import_laws(content_db, small_laws)
    before = dump(content_db)
    (small_laws / "社会法/坏文件.md").write_text("# 没有分隔行的法\n第一条 正文\n", encoding="utf-8")
    (small_laws / "社会法/乱码.md").write_bytes("# 标题\n".encode("gbk"))
    (small_laws / "行政法规/道路运输条例(2023-07-20).md").unlink()  # would be a removal
    with pytest.raises(ImportFailed) as failure:
        import_laws(content_db, small_laws)
    messages = [str(p) for p in failure.value.problems]
    assert any(m.startswith("社会法/坏文件.md:1") and "INFO END" in m for m in messages)
    assert any(m.startswith("社会法/乱码.md") and "UTF-8" in m for m in messages)
    assert dump(content_db) == before


def test_cli_import_and_stats(tmp_path: Path, small_laws: Path) -> None:
    data = tmp_path / "cli-data"
    run = [sys.executable, "-m", "kiosk.cli", "--data-dir", str(data)]
    done = subprocess.run([*run, "import", "laws", str(small_laws)], capture_output=True, text=True, check=True)
    assert "laws: 9 added, 0 changed, 0 removed, 0 unchanged" in done.stdout
    stats = json.loads(subprocess.run([*run, "stats", "--json"], capture_output=True, text=True, check=True).stdout)
    assert stats["law_documents"] == 9
    article_start = re.compile(r"^第[〇零一二三四五六七八九十百千两]+条(之[一二三四五六七八九十]+)?[ \u3000]")
    expected = sum(
        1
        for path in small_laws.rglob("*.md")
        for line in path.read_text(encoding="utf-8").splitlines()
        if article_start.match(line)
    )
    assert stats["law_articles"] == expected
    broken = subprocess.run([*run, "import", "laws", str(tmp_path / "nowhere")], capture_output=True, text=True)
    assert broken.returncode == 1 and "no such file or folder" in broken.stderr
