"""The law corpus's related words, and the ranker's soft cover that reads them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.search import related
from kiosk.search.related import covers, neighbours


def test_the_shipped_words_are_what_the_laws_use_alike() -> None:
    # 孕期 never occurs in the articles on 产假, which say 产期 and 哺乳期: the vectors learned from the
    # laws alone put them side by side, nearest first.
    near = dict(neighbours("孕期"))
    assert {"哺乳期", "产期"} <= set(near)
    sims = [sim for _, sim in neighbours("孕期")]
    assert sims == sorted(sims, reverse=True) and all(0 < s <= 1 for s in sims)
    assert dict(neighbours("赡养")).keys() & {"扶养", "抚养"}


def test_a_word_holding_or_held_by_another_is_not_its_neighbour() -> None:
    # 工资 in the text is an exact match already; 工资总额 would double it and 资 is a piece of it.
    for word in ("工资", "离婚", "工伤", "孕期"):
        assert all(word not in other and other not in word for other, _ in neighbours(word))


def test_an_unknown_word_has_no_neighbours() -> None:
    assert neighbours("老板跑路了") == ()


def test_an_article_saying_the_word_otherwise_counts_by_how_near_it_is() -> None:
    words = [("孕期", 2.0, (("哺乳期", 0.9), ("产期", 0.8))), ("辞退", 1.0, ())]
    total = 3.0
    assert covers("女职工在孕期、产期、哺乳期的，用人单位不得辞退", words, total) == (1.0, 1.0)
    # The nearest neighbour found counts, not the first listed that is absent.
    assert covers("女职工在产期的", words, total) == (0.0, 2.0 * 0.8 / total)
    assert covers("女职工在哺乳期、产期的", words, total) == (0.0, 2.0 * 0.9 / total)
    assert covers("女职工在产期的，用人单位不得辞退", words, total) == (1.0 / total, (1.0 + 2.0 * 0.8) / total)
    assert covers("本法自公布之日起施行", words, total) == (0.0, 0.0)


def test_without_the_file_every_word_counts_only_as_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(related, "_lines", [])
    monkeypatch.setattr(related, "_parsed", {})
    monkeypatch.setattr(related, "RELATED_FILE", tmp_path / "missing.tsv")
    assert neighbours("孕期") == ()
    words = [("孕期", 1.0, neighbours("孕期"))]
    assert covers("产期、哺乳期", words, 1.0) == (0.0, 0.0)


def test_words_used_in_the_same_places_become_neighbours() -> None:
    """The builder (PPMI-SVD over co-occurrences): 孕期 and 哺乳期 never meet but share their company."""
    from kiosk.search.related_build import neighbours as nearest
    from kiosk.search.related_build import vectors

    corpus = (
        [["用人单位", "女职工", "孕期", "降低", "工资"]] * 30
        + [["用人单位", "女职工", "哺乳期", "降低", "工资"]] * 30
        + [["机动车", "驾驶人", "道路", "通行", "信号灯"]] * 30
        + [["机动车", "驾驶人", "高速公路", "通行", "车道"]] * 30
    )
    vocab, vec = vectors(corpus, dimensions=4)
    lines = dict(line.split("\t") for line in nearest(vocab, vec))
    near_pregnancy = [item.rpartition(":")[0] for item in lines["孕期"].split()]
    assert "哺乳期" in near_pregnancy
    assert not {"机动车", "道路", "高速公路"} & set(near_pregnancy)


def test_a_damaged_entry_is_left_out_with_its_line_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    damaged = tmp_path / "related.tsv"
    damaged.write_text("孕期\t哺乳期:0.96 产期 女职工:x 产假:7 :0.5\n工资\t劳动报酬:0.85\n", encoding="utf-8")
    monkeypatch.setattr(related, "_lines", [])
    monkeypatch.setattr(related, "_parsed", {})
    monkeypatch.setattr(related, "RELATED_FILE", damaged)
    with caplog.at_level("WARNING", logger="kiosk.search.related"):
        assert neighbours("孕期") == (("哺乳期", 0.96),)
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 4 and all("related.tsv line 1 (孕期)" in m for m in said)
    assert any("'女职工:x'" in m for m in said) and any("'产假:7'" in m for m in said)
    assert neighbours("工资") == (("劳动报酬", 0.85),)  # the next line is read as written


def test_the_builder_refuses_what_is_not_a_laws_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.search import related_build

    shipped = tmp_path / "related.tsv"
    shipped.write_text("孕期\t哺乳期:0.96\n", encoding="utf-8")
    monkeypatch.setattr(related_build, "RELATED_FILE", shipped)
    missing = tmp_path / "nowhere" / "content.sqlite3"
    assert related_build.main([str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err
    assert not missing.exists()  # no empty database left behind
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    assert related_build.main([str(empty)]) == 2
    assert "not an imported laws database" in capsys.readouterr().err
    assert shipped.read_text(encoding="utf-8") == "孕期\t哺乳期:0.96\n"  # the file in place is untouched
    assert list(tmp_path.glob("*.partial")) == []
