"""The suite's own rules: a Python exception in a Qt slot or in a worker thread fails the test that caused it.

Each case runs a tiny test file in a child pytest with this repository's configuration (pyproject.toml), so
the proof covers the settings the suite really runs with.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

CASES = {
    "slot": """
from PySide6.QtWidgets import QPushButton

def test_case(qtbot):
    button = QPushButton("x")
    qtbot.addWidget(button)
    button.clicked.connect(lambda: 1 / 0)
    button.click()
""",
    "timer": """
from PySide6.QtCore import QTimer

def test_case(qtbot):
    QTimer.singleShot(0, lambda: 1 / 0)
    qtbot.wait(50)
""",
    "thread": """
import threading

def test_case():
    worker = threading.Thread(target=lambda: 1 / 0)
    worker.start()
    worker.join()
""",
}


def run_child(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_case.py").write_text(source, encoding="utf-8")
    config = ["-c", str(REPO / "pyproject.toml"), "--rootdir", str(tmp_path), "-p", "no:cacheprovider"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *config, str(tmp_path / "test_case.py")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


@pytest.mark.parametrize("where", sorted(CASES))
def test_an_exception_fails_the_test(tmp_path: Path, where: str) -> None:
    out = run_child(tmp_path, CASES[where])
    assert out.returncode == 1, out.stdout + out.stderr
    assert "ZeroDivisionError" in out.stdout and "1 failed" in out.stdout, out.stdout


def test_a_quiet_test_passes(tmp_path: Path) -> None:
    out = run_child(tmp_path, CASES["slot"].replace("1 / 0", "None"))
    assert out.returncode == 0, out.stdout + out.stderr
