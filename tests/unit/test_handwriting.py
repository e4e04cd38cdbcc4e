"""Handwriting: zinnia with the tegaki Simplified Chinese model reads strokes drawn for common characters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main
from kiosk.handwriting import InkError, Recognizer, parse_ink
from kiosk.handwriting.doctor_check import SAMPLE_INK, check_handwriting

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "handwriting" / "hanzi_writer_medians.json"
STROKES: dict[str, list[Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
#: Make Me a Hanzi's stroke order for these differs from what the tegaki model learnt (measured:
#: 律 ranks 10th, 继 遗 害 not in the first ten). Kept to show the limit; strict, so a better model shows.
KNOWN_MISSES = {"律", "继", "遗", "害"}


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer()


def ink(character: str) -> dict[str, Any]:
    return {"width": 300, "height": 300, "strokes": STROKES[character]}


def test_fixture_covers_thirty_domain_characters() -> None:
    assert len(set(STROKES) - KNOWN_MISSES) >= 30
    assert set("工资法离婚汉川孝感合同劳动欠薪房租承嘱公证调解援助赔偿") <= set(STROKES)


@pytest.mark.parametrize(
    "character",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason="stroke order unlike the model's"))
        if c in KNOWN_MISSES
        else c
        for c in STROKES
    ],
)
def test_character_is_among_the_first_five(recognizer: Recognizer, character: str) -> None:
    assert character in recognizer.candidates(parse_ink(ink(character)), 10)[:5]


def test_one_stroke_is_not_yet_a_character(recognizer: Recognizer) -> None:
    first_stroke_only = {"width": 300, "height": 300, "strokes": STROKES["赔"][:1]}
    assert "赔" not in recognizer.candidates(parse_ink(first_stroke_only))[:5]


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ([], "object"),
        ({"width": 0, "height": 300, "strokes": [[[1, 1]]]}, "width"),
        ({"width": 300, "strokes": [[[1, 1]]]}, "height"),
        ({"width": 300, "height": 300, "strokes": []}, "strokes"),
        ({"width": 300, "height": 300, "strokes": [[[1, 1]], []]}, "strokes[1]"),
        ({"width": 300, "height": 300, "strokes": [[[1, 1], [2, "y"]]]}, "strokes[0][1]"),
        ({"width": 300, "height": 300, "strokes": [[[1, 1], [9000, 1]]]}, "strokes[0][1]"),
    ],
)
def test_bad_ink_names_what_is_wrong(data: object, named: str) -> None:
    with pytest.raises(InkError, match=named.replace("[", r"\[")):
        parse_ink(data)


def test_command_prints_candidates_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "zi.json"
    source.write_text(json.dumps(ink("资")), encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "d"), "handwriting", str(source)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "资" in out["candidates"][:5]
    assert isinstance(out["ms"], float) and out["ms"] >= 0


def test_command_refuses_bad_input_naming_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "bad.json"
    source.write_text('{"width": 300, "height": 300, "strokes": [[[1, 2, 3]]]}', encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "d"), "handwriting", str(source)]) == 1
    assert "strokes[0][0]" in capsys.readouterr().err
    source.write_text("{not json", encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "d"), "handwriting", str(source)]) == 1
    assert "not JSON" in capsys.readouterr().err


def test_doctor_reads_the_built_in_sample(tmp_path: Path) -> None:
    from kiosk.paths import DataPaths

    result = check_handwriting(DataPaths(tmp_path))
    assert result.ok and "工" in result.detail
    assert parse_ink(SAMPLE_INK).strokes


def test_doctor_names_the_missing_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.paths import DataPaths

    monkeypatch.setenv("KIOSK_HANDWRITING_MODEL", str(tmp_path / "missing.model"))
    result = check_handwriting(DataPaths(tmp_path))
    assert not result.ok
    assert "tegaki-zinnia-simplified-chinese" in result.detail + result.fix


def test_benchmark_smoke_runs(capsys: pytest.CaptureFixture[str]) -> None:
    import runpy

    bench = Path(__file__).resolve().parent.parent.parent / "bench" / "bench_handwriting.py"
    module = runpy.run_path(str(bench))
    assert module["main"](["--smoke"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["characters"] == len(STROKES)
    assert int(figures["top5"].split("/")[0]) == len(STROKES) - len(KNOWN_MISSES)
