"""Fit the shipped second stage: term associations and the LambdaMART ranker.

    .venv/bin/python bench/train_ranker.py [--data-dir DIR] [--smoke]

Trains on all of ../shared/data/queries/stard-train.jsonl plus the team's judged queries
(bench/queries_extra.jsonl and bench/queries_resident.jsonl, each counting ``learned.TEAM_WEIGHT``
times in the ranker's loss, and ``learned.TEAM_WEIGHT_LONG`` times in the ranker for long questions)
over the whole laws folder (imported into DIR as bench_search.py does), and writes
kiosk/search/data/associations.json, ranker.txt and ranker-long.txt. The development queries are
never used. Fixed seeds and one thread: the same inputs give the same files.
Cross-validated figures of this very procedure come from bench/bench_search.py.
``--smoke`` fits on a few law files and their answerable questions and writes into a temporary
folder, never over the shipped files (the test suite runs it so this script cannot rot).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_search import STARD, answerable, load_team, prepare, smoke_laws  # noqa: E402

from kiosk.paths import SHARED_DATA_DIR  # noqa: E402
from kiosk.search import learned  # noqa: E402
from kiosk.search.evaluation import load_judged  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data-dir", help="folder of the whole-folder database (as for bench_search.py)")
    parser.add_argument("--smoke", action="store_true", help="a few laws, seconds, output to a temporary folder")
    args = parser.parse_args(argv)
    if not args.smoke:
        data_dir = Path(args.data_dir or os.path.join(tempfile.gettempdir(), "kiosk-bench-search"))
        return train(data_dir, SHARED_DATA_DIR / "laws", learned.ASSOCIATIONS_FILE, learned.RANKER_FILE, smoke=False)
    tmp = Path(tempfile.mkdtemp(prefix="train-ranker-smoke-"))
    try:
        return train(tmp / "data", smoke_laws(tmp / "laws"), tmp / "associations.json", tmp / "ranker.txt", smoke=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def train(data_dir: Path, laws: Path, assoc_path: Path, ranker_path: Path, smoke: bool) -> int:
    db, _ = prepare(data_dir, laws)
    stard, team = load_judged(STARD), load_team()
    if smoke:
        stard, team = answerable(stard, db)[:32], answerable(team, db)[:8]
    questions = stard + team
    started = time.perf_counter()
    pool = learned.CandidatePool(db)
    model = learned.fit_as_shipped(pool, stard, team)
    long_path = ranker_path.with_name(learned.LONG_RANKER_FILE.name)
    learned.save(model, assoc_path, ranker_path, long_path)
    print(f"trained on {len(questions)} questions in {time.perf_counter() - started:.0f} s")
    for path in (assoc_path, ranker_path, long_path):
        shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        print(f"  {shown}: {path.stat().st_size / 1e3:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
