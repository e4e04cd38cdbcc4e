"""Choose whether the ranker reads the question's one-character words, by nested CV over STARD train.

    .venv/bin/python bench/select_singles.py [--data-dir DIR] [--smoke] [CHOICE ...]

The second stage reads the question's words of two characters or more, so 被邻居家的狗咬了 was 邻居
alone: an article on neighbours (相邻关系) held all of it, the article on animals that hurt people
none, and the associations spoke for 邻居's training questions alone. The one-character words the
synonym list says otherwise (狗 → 犬 | 动物, 咬, 打; ``learned.said_singles``) can be read:

* ``cover`` (``learned.COVER_SINGLES``): in the cover_* and related_* features (and the weight
  assoc_known divides by), found by those wordings only, each weighed as its commonest wording;
* ``assoc`` (``learned.ASSOC_SINGLES``): as words the associations learn and read;
* ``both``; ``none`` is the second stage before 5 December 2026's sixth session.

The features are computed when a question's context is built, so each choice has its own pool of
contexts (the first stages are the same). Each is fitted as the shipped model is
(``learned.fit_as_shipped``: STARD train and the team's queries). For each of the 5 outer folds of
bench_search.py, every choice is scored by an inner 4-fold CV inside the outer training part
(criterion: R@10 + R@100 + MRR@10) and on the held-out fold; the verdict follows ``_nested``'s rule
with its margin over the shipped choice. ``--smoke`` runs none and both on a few laws.
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

from kiosk.search import learned  # noqa: E402
from kiosk.search.evaluation import Judged, Scores  # noqa: E402

FLAGS = {"none": (False, False), "cover": (True, False), "assoc": (False, True), "both": (True, True)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data-dir", help="folder of the whole-folder database (as for bench_search.py)")
    parser.add_argument("--smoke", action="store_true", help="a few laws, two choices, seconds")
    parser.add_argument("choices", nargs="*", help=f"what to compare, of {', '.join(FLAGS)} (default: none cover)")
    args = parser.parse_args(argv)
    unknown = [c for c in args.choices if c not in FLAGS]
    if unknown:
        parser.error(f"unknown choice {unknown[0]!r}: choose from {', '.join(FLAGS)}")
    shipped = next(name for name, flags in FLAGS.items() if flags == (learned.COVER_SINGLES, learned.ASSOC_SINGLES))
    grid = ("none", "both") if args.smoke else tuple(args.choices) or ("none", "cover")
    if shipped not in grid:
        parser.error(f"the choices must include the shipped one, {shipped}")
    with bench_folders("select-singles", args.smoke, args.data_dir) as (data_dir, laws):
        return run(data_dir, laws, grid, shipped, args.smoke)


def run(data_dir: Path, laws: Path, grid: Sequence[str], shipped: str, smoke: bool) -> int:
    pools: dict[str, learned.CandidatePool] = {}
    try:
        for choice in grid:
            learned.COVER_SINGLES, learned.ASSOC_SINGLES = FLAGS[choice]
            pool, stard, team, outer_k, inner_k = training_pool(data_dir, laws, smoke, 24, 8)
            pools[choice] = pool

        def scored(choice: str, train: Sequence[Judged], held: Sequence[Judged]) -> Scores:
            learned.COVER_SINGLES, learned.ASSOC_SINGLES = FLAGS[choice]  # contexts added while fitting
            pool = pools[choice]
            return scores_of(learned.fit_as_shipped(pool, train, team), pool, held)

        ship = nested_choice(grid, stard, scored, STARD_CRITERION, STARD_SHOWN, outer_k, inner_k, shipped=shipped)
    finally:
        learned.COVER_SINGLES, learned.ASSOC_SINGLES = FLAGS[shipped]
    print(f"\nchoice to ship: {ship or 'the shipped one'} (shipped: {shipped})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
