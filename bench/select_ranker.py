"""Choose the second stage's settings by nested cross-validation over STARD train.

    .venv/bin/python bench/select_ranker.py [--data-dir DIR] [--smoke] [CONFIG ...]

A CONFIG is ``seeds,span,laws,articles,features,trees,leaves[,within,within_articles]``: the
neighbour seeds and span, the association laws and their articles added as candidates
(``learned.NEIGHBOUR_SEEDS``, ``NEIGHBOUR_SPAN``, ``LAW_DEPTH``, ``LAW_ARTICLES``), how many of
``learned.FEATURES`` the ranker sees (the first ones), LightGBM's rounds and leaves, and how many of
the associations' laws a long question searches for how many articles (``WITHIN_LAWS``,
``WITHIN_ARTICLES``; 0,0 when left out, as before 5 December). For each of the 5 outer folds of
bench_search.py, every config is scored by an inner 4-fold CV inside the outer training part (the
criterion: R@10 + R@100 + MRR@10), and on the held-out fold; every training set also holds the
team's queries, weighted as the shipped model's are (``learned.fit_as_shipped``; before 4 December's
night, STARD alone). It prints each config's mean inner criterion (what a choice may look at) and
its outer figures, then the nested figure: each outer fold scored with the config its own inner CV
chose, and the config to ship (``_nested``'s rule: the one most outer folds' inner CVs chose, else
the shipped one stays; with ``--shipped CONFIG``, also the margin over that one). Without CONFIG,
the grid of December 2026.
``--smoke`` runs two small configs on a few laws (the figures mean nothing).
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

Config = tuple[int, int, int, int, int, int, int, int, int]
_DECEMBER_GRID = [
    (0, 0, 0, 0, 14, 150, 15),  # the engine of 3 December 2026
    (0, 0, 0, 0, 18, 150, 15),
    (20, 1, 0, 0, 18, 150, 15),
    (10, 2, 0, 0, 18, 150, 15),
    (0, 0, 3, 20, 18, 150, 15),
    (20, 2, 3, 40, 18, 150, 15),
    (10, 1, 3, 20, 18, 150, 15),
    (20, 2, 3, 40, 19, 150, 15),
    (30, 2, 5, 40, 19, 150, 15),
    (20, 2, 3, 40, 19, 300, 15),
    (20, 2, 3, 40, 19, 300, 31),
]
GRID: list[Config] = [(*c, 0, 0) for c in _DECEMBER_GRID]  # no long question searched within laws then


def parse_config(text: str) -> Config:
    """``seeds,span,laws,articles,features,trees,leaves[,within,within_articles]`` as a Config."""
    try:
        values = tuple(int(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"config {text!r}: whole numbers separated by commas") from None
    if len(values) == 7:
        values += (0, 0)
    if len(values) != 9:
        raise argparse.ArgumentTypeError(f"config {text!r}: 7 or 9 numbers, not {len(values)}")
    return values  # type: ignore[return-value]


def configure(config: Config) -> None:
    (
        learned.NEIGHBOUR_SEEDS,
        learned.NEIGHBOUR_SPAN,
        learned.LAW_DEPTH,
        learned.LAW_ARTICLES,
        learned.FEATURE_COUNT,
        learned.TREES,
        learned.LEAVES,
        learned.WITHIN_LAWS,
        learned.WITHIN_ARTICLES,
    ) = config


def scored(
    config: Config, train: Sequence[Judged], held: Sequence[Judged], pool: learned.CandidatePool, team: Sequence[Judged]
) -> Scores:
    configure(config)
    # Fitted as the shipped model is: the team's queries, weighted, join every training set.
    model = learned.fit_as_shipped(pool, train, team)
    return scores_of(model, pool, held)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data-dir", help="folder of the whole-folder database (as for bench_search.py)")
    parser.add_argument("--smoke", action="store_true", help="a few laws, two configs, seconds")
    parser.add_argument(
        "configs", nargs="*", type=parse_config, help="seeds,span,laws,articles,features,trees,leaves[,within,articles]"
    )
    parser.add_argument(
        "--shipped", type=parse_config, help="the config the shipped ranker was fitted with: the others need the margin"
    )
    args = parser.parse_args(argv)
    grid: list[Config] = args.configs or GRID
    if args.smoke:
        grid = [(0, 0, 0, 0, 14, 20, 7, 0, 0), (2, 1, 1, 5, len(learned.FEATURES), 20, 7, 1, 10)]
    if args.shipped is not None and args.shipped not in grid:
        parser.error("--shipped must be one of the configs compared")
    with bench_folders("select-ranker", args.smoke, args.data_dir) as (data_dir, laws):
        return run(data_dir, laws, grid, args.smoke, args.shipped)


def run(data_dir: Path, laws: Path, grid: list[Config], smoke: bool, shipped: Config | None = None) -> int:
    pool, stard, team, outer_k, inner_k = training_pool(data_dir, laws, smoke, 24, 4)
    nested_choice(
        grid,
        stard,
        lambda config, train, held: scored(config, train, held, pool, team),
        STARD_CRITERION,
        STARD_SHOWN,
        outer_k,
        inner_k,
        shipped=shipped,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
