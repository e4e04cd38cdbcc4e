"""Terminal side of issue 14 point 9: a directory import never wipes what one file does not list
(unless --replace, which says what goes); NUL, formula-like and oversized cells are refused at file:line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.test_import_directory import INSTITUTIONS, PEOPLE, write

REPO = Path(__file__).resolve().parents[2]


def kiosk(data: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--data-dir", str(data), *map(str, args)],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )  # fmt: skip


def test_one_file_adds_and_updates_and_replace_says_what_it_removes(tmp_path: Path) -> None:
    data = tmp_path / "kiosk"
    both = write(tmp_path, "institutions.csv", INSTITUTIONS)
    people = write(tmp_path, "people.csv", PEOPLE)
    assert kiosk(data, "import", "directory", both, people).returncode == 0
    one = write(tmp_path, "one.csv", "\n".join(INSTITUTIONS.splitlines()[:2]) + "\n")
    kept = kiosk(data, "import", "directory", one)
    assert kept.returncode == 0 and "0 removed" in kept.stdout, kept.stdout + kept.stderr
    stats = kiosk(data, "stats").stdout
    replaced = kiosk(data, "import", "directory", one, "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert "removes institution XG-T-2" in replaced.stdout and "1 removed" in replaced.stdout
    assert stats != kiosk(data, "stats").stdout


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("孝南区\x00示例", "NUL"),
        ('=HYPERLINK("http://evil.example")', "formula"),
        ("@SUM(A1)", "formula"),
        ("长" * 2001, "more than 2000"),
    ],
)
def test_bad_cells_are_refused_naming_file_and_line(tmp_path: Path, cell: str, reason: str) -> None:
    lines = INSTITUTIONS.splitlines()
    bad = lines[2].replace("湖北示例律师事务所", cell.replace('"', '""') if "," not in cell else f'"{cell}"')
    if '"' in cell:
        bad = lines[2].replace("湖北示例律师事务所", '"' + cell.replace('"', '""') + '"')
    path = write(tmp_path, "institutions.csv", "\n".join([lines[0], lines[1], bad]) + "\n")
    done = kiosk(tmp_path / "kiosk", "import", "directory", path)
    assert done.returncode == 1, done.stdout
    assert f"{path}:3 [name]" in done.stderr and reason in done.stderr, done.stderr


def test_an_article_of_millions_of_characters_is_refused(small_laws: Path, tmp_path: Path) -> None:
    from tests.sync.sync_harness import edit_article

    rel = next(p for p in small_laws.rglob("*.md") if "第二条 " in p.read_text(encoding="utf-8"))
    edit_article(small_laws, rel.relative_to(small_laws).as_posix(), "第二条", "很长的条文。" * 200_000)
    done = kiosk(tmp_path / "kiosk", "import", "laws", small_laws)
    assert done.returncode == 1 and "第二条: 1200000 characters, more than 50000" in done.stderr, done.stderr[-500:]
    assert f"{rel.relative_to(small_laws).as_posix()}:" in done.stderr


def test_deeply_nested_toml_is_a_clear_refusal_not_a_traceback(tmp_path: Path) -> None:
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "deep.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    done = kiosk(tmp_path / "kiosk", "import", "guides", guides)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-800:]
    assert "deep.toml" in done.stderr and "nested too deeply" in done.stderr
