"""Handwriting recognition: milliseconds per character and top-1 / top-5 accuracy.

Run: .venv/bin/python bench/bench_handwriting.py [--rounds N] [--smoke]
Strokes: tests/data/handwriting/hanzi_writer_medians.json (48 characters of this domain, drawn from
Make Me a Hanzi's stroke centre lines). --smoke runs one round and prints the same figures, for the test
suite (it checks the script runs, not how fast).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

from kiosk.handwriting import Recognizer, parse_ink

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "data" / "handwriting" / "hanzi_writer_medians.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--smoke", action="store_true", help="one round, for the test suite")
    args = parser.parse_args(argv)
    rounds = 1 if args.smoke else max(1, args.rounds)
    strokes = json.loads(FIXTURE.read_text(encoding="utf-8"))
    inks = {c: parse_ink({"width": 300, "height": 300, "strokes": s}) for c, s in strokes.items()}
    started = time.perf_counter()
    recognizer = Recognizer()
    open_ms = (time.perf_counter() - started) * 1000
    times: list[float] = []
    cpu_times: list[float] = []  # this process's CPU time: less swayed by other work on a shared machine
    top1 = top5 = 0
    for round_no in range(rounds):
        for character, ink in inks.items():
            cpu_start = time.process_time()
            found, ms = recognizer.timed(ink, 10)
            cpu_times.append((time.process_time() - cpu_start) * 1000)
            times.append(ms)
            if round_no == 0:
                top1 += bool(found) and found[0] == character
                top5 += character in found[:5]
    times.sort()
    n = len(inks)
    result = {
        "characters": n,
        "rounds": rounds,
        "model_open_ms": round(open_ms, 1),
        "ms_p50": round(statistics.median(times), 2),
        "ms_p95": round(times[int(len(times) * 0.95) - 1], 2),
        "ms_max": round(times[-1], 2),
        "cpu_ms_p50": round(statistics.median(cpu_times), 2),
        "top1": f"{top1}/{n}",
        "top5": f"{top5}/{n}",
        "machine": f"{platform.machine()} {platform.python_version()}",
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
