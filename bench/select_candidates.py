"""Choose how many candidates the first stage fetches, by nested CV over STARD train.

    .venv/bin/python bench/select_candidates.py [--data-dir DIR] [--smoke] [AND,OR ...]

The first stage fetches the ``articles.CANDIDATES_AND`` best articles holding every concept of the
question and, when fewer than ``articles.FEW`` do, the ``articles.CANDIDATES_OR`` best holding the
rarer ones; each is then read, scored and handed to the ranker. That is most of a short question's
time: with 150 of the any-of query a short question took ~1.2 ms more than with 100
(docs/benchmarks.md, sixth session of 5 December 2026). Fewer candidates cost recall only if an
answer came from the ones left out.

The choices cost less the earlier they come. Each has its own pool of first stages, and each is
fitted as the shipped model is (``learned.fit_as_shipped``). For each of the 5 outer folds of
bench_search.py, every choice is scored by an inner 4-fold CV inside the outer training part
(criterion: R@10 + R@100 + MRR@10) and on the held-out fold. An outer fold takes the cheapest
choice whose inner criterion is within ``_nested.STARD_MARGIN`` of the shipped one's, and what
most outer folds took ships (``_nested``'s rule for a cost). ``--smoke`` runs two choices on a few
laws.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _nested import STARD_CRITERION, STARD_SHOWN, bench_folders, nested_choice, scores_of, training_pool  # noqa: E402

from kiosk.search import articles, learned  # noqa: E402
from kiosk.search.evaluation import Judged, Scores  # noqa: E402

Counts = tuple[int, int]
GRID: tuple[Counts, ...] = ((60, 100), (100, 100), (100, 150))


def parse_counts(text: str) -> Counts:
    """'100,150' → (100, 150): the all-of and any-of queries' candidates."""
    parts = text.split(",")
    if len(parts) != 2 or not all(p.strip().isdigit() and int(p) > 0 for p in parts):
        raise argparse.ArgumentTypeError(f"{text!r}: two positive whole numbers AND,OR (e.g. 100,150)")
    return int(parts[0]), int(parts[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data-dir", help="folder of the whole-folder database (as for bench_search.py)")
    parser.add_argument("--smoke", action="store_true", help="a few laws, two choices, seconds")
    parser.add_argument("counts", nargs="*", type=parse_counts, help="AND,OR choices, cheapest first")
    args = parser.parse_args(argv)
    shipped = (articles.CANDIDATES_AND, articles.CANDIDATES_OR)
    grid = tuple(args.counts) or GRID
    if args.smoke:
        grid = ((20, 30), shipped)
    if shipped not in grid:
        parser.error(f"the choices must include the shipped one, {shipped[0]},{shipped[1]}")
    with bench_folders("select-candidates", args.smoke, args.data_dir) as (data_dir, laws):
        return run(data_dir, laws, grid, shipped, args.smoke)


def run(data_dir: Path, laws: Path, grid: Sequence[Counts], shipped: Counts, smoke: bool) -> int:
    pools: dict[Counts, learned.CandidatePool] = {}
    try:
        for counts in grid:
            articles.CANDIDATES_AND, articles.CANDIDATES_OR = counts
            pool, stard, team, outer_k, inner_k = training_pool(data_dir, laws, smoke, 24, 8)
            pools[counts] = pool
    finally:
        articles.CANDIDATES_AND, articles.CANDIDATES_OR = shipped

    def scored(counts: Counts, train: Sequence[Judged], held: Sequence[Judged]) -> Scores:
        pool = pools[counts]
        return scores_of(learned.fit_as_shipped(pool, train, team), pool, held)

    ship = nested_choice(
        grid, stard, scored, STARD_CRITERION, STARD_SHOWN, outer_k, inner_k, shipped=shipped, cheapest_first=True
    )
    chosen = f"{ship[0]},{ship[1]}" if ship is not None else "the shipped one"
    print(f"\ncounts to ship: {chosen} (articles.CANDIDATES_AND, CANDIDATES_OR = {shipped[0]},{shipped[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
