"""Domain words: built from the content database, looked up by the Pinyin a resident types."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.domain_words import DomainWords, rebuild_domain_words, words_file
from kiosk.paths import ASSETS_DIR, DataPaths


def build(content_db: Any, small_laws: Path, tmp_path: Path) -> DomainWords:
    from kiosk.store.import_laws import import_laws
    from kiosk.store.import_misc import import_synonyms
    from kiosk.store.regions import import_regions

    import_regions(content_db, ASSETS_DIR / "regions.csv")
    import_laws(content_db, small_laws)
    import_synonyms(content_db, ASSETS_DIR / "synonyms.tsv")
    paths = DataPaths(tmp_path / "data")
    assert rebuild_domain_words(paths, content_db) > 100
    return DomainWords(words_file(paths))


def test_domain_and_region_words_come_first(content_db: Any, small_laws: Path, tmp_path: Path) -> None:
    words = build(content_db, small_laws, tmp_path)
    assert words.lookup("minfadian")[0] == "民法典"
    assert words.lookup("hanchuan")[0] == "汉川"  # region stem of 汉川市 (the engine offers 汗传 first)
    assert "孝南" in words.lookup("xiaonan")
    assert words.lookup("yizhugongzheng")[0] == "遗嘱公证"
    assert "劳动仲裁" in words.lookup("laodongzhongcai")
    assert "劳动合同法" in words.lookup("laodonghetongfa")  # a law's short title from the database
    assert "民法典" in words.lookup("mfd")  # initials, typed by those who know them


def test_common_names_typed_in_full(content_db: Any, small_laws: Path, tmp_path: Path) -> None:
    words = build(content_db, small_laws, tmp_path)
    assert words.lookup("zhangxiuying")[0] == "张秀英"
    assert words.lookup("lvguilan")[0] == "吕桂兰"


def test_a_few_letters_offer_nothing_yet(content_db: Any, small_laws: Path, tmp_path: Path) -> None:
    words = build(content_db, small_laws, tmp_path)
    assert words.lookup("m") == []
    assert words.lookup("min") == []  # not yet 民法典: the engine's own candidates stay in front
    assert words.lookup("qqqqq") == []


def test_rebuilt_file_is_read_again(content_db: Any, small_laws: Path, tmp_path: Path) -> None:
    words = build(content_db, small_laws, tmp_path)
    assert words.lookup("hanchuan")
    words_file(DataPaths(tmp_path / "data")).write_text("xiaogan\txg\t孝感\t0\n", encoding="utf-8")
    assert words.lookup("hanchuan") == []
    assert words.lookup("xiaogan") == ["孝感"]


def test_missing_file_offers_nothing(tmp_path: Path) -> None:
    assert DomainWords(tmp_path / "none.tsv").lookup("minfadian") == []
