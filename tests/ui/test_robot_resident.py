"""The robot resident: residents one after another on the real widgets, with idle wipes between them
(see kiosk/ui/robot). Every step checks the screen's actions, the log and what the last one left."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.ui.robot.residents import run_sessions
from kiosk.ui.robot.watch import Watch

SESSIONS = 30


@pytest.fixture
def watch() -> Iterator[Watch]:
    w = Watch().install()
    yield w
    w.uninstall()


def test_thirty_residents_in_a_row(kiosk: Any, clock: Any, watch: Watch, services: Any) -> None:
    reports = run_sessions(kiosk, clock, watch, SESSIONS, seed=13)
    assert len(reports) == SESSIONS
    played = {name for r in reports for name in r.journeys}
    assert played >= {"search", "directory", "guide", "case", "legal_aid", "request", "rating", "consult", "elder"}
    assert watch.problems() == []


def test_soak_script_smoke_run_prints_its_summary(ui_paths: Any, tmp_path: Any) -> None:
    """bench/soak_ui.py --smoke: a few residents in a separate process, and the one summary line."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "bench" / "soak_ui.py"
    run = subprocess.run(
        [sys.executable, str(script), "--smoke", "--data-dir", str(ui_paths.root)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    last = run.stdout.strip().splitlines()[-1].split()
    assert last[0::2] == ["sessions", "exceptions", "qt_warnings", "rss_first_mb", "rss_last_mb"]
    assert last[1:6:2] == ["5", "0", "0"]
    assert float(last[7]) > 0 and float(last[9]) > 0
