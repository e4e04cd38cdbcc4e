"""bench/bench_hub.py's smoke mode: a real hub on SQLite, heartbeats, an event batch run, consult requests."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bench_hub_smoke_runs_and_reports_percentiles() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_hub.py"), "--smoke"],
        capture_output=True, text=True, timeout=240, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    for phase in ("heartbeats", "event batches", "consult requests"):
        line = next(x for x in done.stdout.splitlines() if x.startswith(phase))
        assert re.search(r"ok +[1-9]\d*  failed +0  p50 .* p95 .* p99 ", line), line
    assert re.search(r"events ingested +500 in ", done.stdout), done.stdout
