"""Packages applied by key, without a network: moved articles, removals, refusal leaves no trace,
and the article-by-article search index equals a full rebuild term by term."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import peewee as pw
import pytest
from sync_harness import edit_article

from kiosk.search.index import split_rowid
from kiosk.store.db import open_content_db
from kiosk.store.import_laws import import_laws
from kiosk.sync import records
from kiosk.sync.content import apply_package
from kiosk.sync.errors import PackageError, VerificationRefused
from kiosk_hub.packages import version_map, write_delta, write_snapshot

LABOUR = "社会法/劳动合同法(2012-12-28).md"
AID = "行政法/法律援助法(2021-08-20).md"


def _publish(laws: Path, db_path: Path, out: Path, version: int) -> tuple[Path, dict[str, dict[str, str]]]:
    db = open_content_db(db_path)
    import_laws(db, laws)
    current = version_map(db)
    snap = write_snapshot(db, out / f"snapshot-{version}.gz", version, current, "2025-01-01", "t")
    db.close()
    return snap.path, current


def _insert_article_after(laws: Path, rel: str, label: str, new: str) -> None:
    path = laws / rel
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(label + " "))
    lines.insert(at + 1, new)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _vocab(db: pw.Database) -> Counter[tuple[str, str, int, int]]:
    """Every (article key, term, column, offset) the contentless article index holds."""
    keys = {}
    for _table, key, record in records.export(db, ("articles",)):
        keys[(record["law"], record["position"])] = key
    ids = {
        row[0]: keys[(row[1], row[2])]
        for row in db.execute_sql("SELECT a.id, l.source, a.position FROM article a JOIN law l ON l.id = a.law_id")
    }
    db.execute_sql("CREATE VIRTUAL TABLE IF NOT EXISTS temp.v USING fts5vocab(main, search_fts, instance)")
    laws = {f"zl{law_id}": f"zl:{source}" for law_id, source in db.execute_sql("SELECT id, source FROM law")}
    out: Counter[tuple[str, str, int, int]] = Counter()
    for term, doc, col, off in db.execute_sql("SELECT term, doc, col, offset FROM temp.v"):
        kind, ref = split_rowid(doc)
        assert kind == "article"
        out[(ids[ref], laws.get(term, term), col, off)] += 1  # law tags name row ids: compare by key
    return out


@pytest.fixture
def two_versions(tmp_path: Path, laws_dir: Path) -> tuple[Path, Path, Path, dict[str, dict[str, str]]]:
    hub_db = tmp_path / "hub.sqlite3"
    snap1, map1 = _publish(laws_dir, hub_db, tmp_path, 1)
    edit_article(laws_dir, LABOUR, "第十条", "建立劳动关系，应当订立书面劳动合同（改）。")
    _insert_article_after(laws_dir, LABOUR, "第三条", "第三条之一 新增的一条，后面的条文位置都要后移。")
    (laws_dir / "社会法" / "老年人权益保障法(2018-12-29).md").unlink()
    edit_article(laws_dir, AID, "第五条", "法律援助（改）。")
    snap2, map2 = _publish(laws_dir, hub_db, tmp_path, 2)
    delta = write_delta(snap2, tmp_path / "delta-1-2.gz", 2, 1, map1, map2, "2025-01-02", "t").path
    return snap1, snap2, delta, map2


def test_delta_with_moved_and_removed_rows_and_identical_index(
    tmp_path: Path, two_versions: tuple[Path, Path, Path, dict[str, dict[str, str]]]
) -> None:
    snap1, snap2, delta, map2 = two_versions
    term = open_content_db(tmp_path / "term.sqlite3")
    apply_package(term, snap1)
    result = apply_package(term, delta)
    assert result.kind == "delta" and result.stats.deleted >= 1 and result.stats.updated > 10
    assert result.stats.laws_reindexed == 0  # changed articles re-indexed one by one
    assert records.digest_map(term) == map2
    incremental = _vocab(term)
    term.close()
    fresh = open_content_db(tmp_path / "fresh.sqlite3")
    apply_package(fresh, snap2)
    assert records.digest_map(fresh) == map2
    assert incremental == _vocab(fresh)
    fresh.close()


def test_refused_package_changes_nothing(
    tmp_path: Path, two_versions: tuple[Path, Path, Path, dict[str, dict[str, str]]]
) -> None:
    snap1, _, delta, _ = two_versions
    term = open_content_db(tmp_path / "term.sqlite3")
    with pytest.raises(PackageError, match="does not fit"):
        apply_package(term, delta)  # a delta needs its base version
    apply_package(term, snap1)
    term.execute_sql("DELETE FROM law WHERE source = ?", ("社会法/老年人权益保障法(2018-12-29).md",))
    before = list(term.connection().iterdump())
    with pytest.raises(PackageError, match=r"no law|no such"):
        apply_package(term, delta)  # deletes a law that is not there any more
    assert list(term.connection().iterdump()) == before
    term.close()


def test_older_package_is_refused(
    tmp_path: Path, two_versions: tuple[Path, Path, Path, dict[str, dict[str, str]]]
) -> None:
    snap1, snap2, _, _ = two_versions
    term = open_content_db(tmp_path / "term.sqlite3")
    apply_package(term, snap2)
    with pytest.raises(VerificationRefused, match="older"):
        apply_package(term, snap1)
    assert apply_package(term, snap2).stats.inserted == 0  # the same version again: nothing to do
    term.close()


def test_article_keys_tell_repeated_labels_apart() -> None:
    keys = records.article_keys("a.md", ["第一条", "第二条", "第一条", "第一条"])
    assert keys == ["a.md|a|第一条", "a.md|a|第二条", "a.md|a|第一条~2", "a.md|a|第一条~3"]
    assert records.law_of_key(keys[2]) == "a.md" and records.law_of_key("plain") is None
