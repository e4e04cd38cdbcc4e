"""`kiosk search` as a technician runs it: a fresh process on a terminal's data folder.

Each command runs in its own interpreter, as on a terminal: nothing a test fixture bound in this
process can hide a command that forgot to bind the content models itself.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.paths import REPO_ROOT
from tests.conftest import copy_laws

SAMPLE = REPO_ROOT / "assets" / "sample"
DISTANCE = re.compile(r"\d+(\.\d+)? (米|公里)")


def kiosk(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from kiosk.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
    )


@pytest.fixture(scope="module")
def terminal(tmp_path_factory: pytest.TempPathFactory, shared_laws: Path) -> Path:
    root = tmp_path_factory.mktemp("terminal")
    data_dir = root / "data"
    steps = [
        ("regions", str(REPO_ROOT / "assets" / "regions.csv")),
        ("laws", str(copy_laws(root / "laws"))),
        ("directory", *(str(SAMPLE / name) for name in ("institutions.csv", "people.csv", "integrity.csv"))),
        ("synonyms", str(REPO_ROOT / "assets" / "synonyms.tsv")),
    ]
    for step in steps:
        done = kiosk(data_dir, "import", *step)
        assert done.returncode == 0, done.stderr
    return data_dir


def test_unpaid_wages_lists_the_nearest_offices_first_with_their_distance(terminal: Path) -> None:
    done = kiosk(terminal, "search", "拖欠工资", "--limit", "8")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "就近可以帮您的机构（距本终端）："
    offices = [line for line in lines[1:] if line.startswith("  * ")]
    assert any("仲裁委员会" in line for line in offices), lines
    assert all(DISTANCE.search(line) for line in offices), offices
    assert re.match(r" 1\. \[article\] ", lines[len(offices) + 1]), lines  # the law follows the offices


def test_a_named_county_gets_its_own_legal_aid_centre(terminal: Path) -> None:
    done = kiosk(terminal, "search", "汉川法律援助", "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    helpers = found["nearest_help"]
    assert helpers and "汉川" in helpers[0]["name"] and helpers[0]["type"] == "法律援助中心", helpers
    assert DISTANCE.fullmatch(helpers[0]["distance"]), helpers[0]
    assert found["results"], found


@pytest.mark.parametrize(
    ("question", "office"),
    [("亲子鉴定", "司法鉴定机构"), ("夫妻共同债务", "基层法律服务所"), ("刑事辩护", "律师事务所")],
)
def test_a_matter_for_a_forensic_office_a_legal_service_office_or_a_lawyer_lists_the_nearest(
    terminal: Path, question: str, office: str
) -> None:
    # Parentage needs a forensic examination, a small debt suit a 基层法律服务工作者, a defence a lawyer
    # (kiosk/search/data/who_helps.tsv, each row with the law that says so).
    done = kiosk(terminal, "search", question, "--json")
    assert done.returncode == 0, done.stderr
    helpers = json.loads(done.stdout)["nearest_help"]
    assert office in [h["type"] for h in helpers], helpers
    assert all(DISTANCE.fullmatch(h["distance"]) for h in helpers), helpers
