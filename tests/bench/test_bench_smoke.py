"""Every bench script still runs: each bench/*.py (helpers named _*.py aside) with ``--smoke``.

A smoke run uses tiny data and takes seconds; its figures mean nothing. The full runs print the figures
recorded in docs/benchmarks.md. The convention is in bench/README.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BENCHES = sorted(p for p in (REPO / "bench").glob("*.py") if not p.name.startswith("_"))


def test_the_benches_are_found() -> None:
    assert {"bench_import.py", "bench_search.py", "bench_sync.py", "bench_ui.py"} <= {p.name for p in BENCHES}


@pytest.mark.parametrize("script", BENCHES, ids=[p.stem for p in BENCHES])
def test_bench_runs_in_smoke_mode(script: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, str(script), "--smoke"], capture_output=True, text=True, timeout=240, cwd=REPO, env=env
    )
    assert out.returncode == 0, (
        f"{script.name} --smoke exited {out.returncode}:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    )
    assert out.stdout.strip(), f"{script.name} --smoke printed no figures"
