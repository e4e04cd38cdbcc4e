"""Fit the shipped second stage: term associations and the LambdaMART ranker.

    .venv/bin/python bench/train_ranker.py [--data-dir DIR]

Trains on all of ../shared/data/queries/stard-train.jsonl plus the team's judged queries
(bench/queries_extra.jsonl) over the whole laws folder (imported into DIR as bench_search.py does),
and writes kiosk/search/data/associations.json and kiosk/search/data/ranker.txt. The development
queries are never used. Fixed seeds and one thread: the same inputs give the same files.
Cross-validated figures of this very procedure come from bench/bench_search.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_search import EXTRA, STARD, prepare  # noqa: E402

from kiosk.paths import SHARED_DATA_DIR  # noqa: E402
from kiosk.search import learned  # noqa: E402
from kiosk.search.evaluation import load_judged  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data-dir", help="folder of the whole-folder database (as for bench_search.py)")
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir or os.path.join(tempfile.gettempdir(), "kiosk-bench-search"))
    db, _ = prepare(data_dir, SHARED_DATA_DIR / "laws")
    train = load_judged(STARD) + load_judged(EXTRA)
    started = time.perf_counter()
    pool = learned.CandidatePool(db)
    model = learned.fit(pool, train)
    learned.save(model)
    print(f"trained on {len(train)} questions in {time.perf_counter() - started:.0f} s")
    for path in (learned.ASSOCIATIONS_FILE, learned.RANKER_FILE):
        print(f"  {path.relative_to(REPO)}: {path.stat().st_size / 1e3:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
