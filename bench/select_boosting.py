"""Choose LightGBM's boosting settings of the second stage by nested cross-validation over STARD train.

    .venv/bin/python bench/select_boosting.py [--data-dir DIR] [--smoke] [CONFIG ...]

A CONFIG is ``rate,trees,min_leaf,features,rows,truncation``: the learning rate, the boosting rounds
(``learned.TREES``), the fewest rows a leaf may hold, the share of the features each tree may use
(LightGBM's feature_fraction) and of the rows (bagging_fraction, drawn anew for every tree; 1 is
no bagging), and how deep into each question's list LambdaMART's pairs reach
(lambdarank_truncation_level). Every other setting is the shipped one. The nesting, the criterion
(R@10 + R@100 + MRR@10) and the rule that decides what ships are ``select_ranker.py``'s
(``_nested.py``); every training set holds the team's queries, weighted as the shipped model's are.
Without CONFIG, the grid below, written down before any run: the settings until 5 December, the same
shrinkage in half the rounds (a faster ranker), and the three usual regularisers one at a time.
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

from _nested import STARD_CRITERION, STARD_SHOWN, SharedFits, bench_folders, nested_choice, scores_of, training_pool  # noqa: E402

from kiosk.search import learned  # noqa: E402
from kiosk.search.evaluation import Judged, Scores  # noqa: E402

#: (learning rate, rounds, min rows per leaf, feature fraction, bagging fraction, truncation level)
Config = tuple[float, int, int, float, float, int]
GRID: list[Config] = [
    (0.05, 150, 20, 1.0, 1.0, 30),  # the settings until 5 December (this grid then chose the next line)
    (0.1, 75, 20, 1.0, 1.0, 30),  # the same shrinkage × rounds: half the trees to walk per question
    (0.05, 150, 20, 0.8, 0.8, 30),  # each tree sees 80 % of the features and of the rows
    (0.05, 150, 50, 1.0, 1.0, 30),  # larger leaves
    (0.05, 150, 20, 1.0, 1.0, 10),  # pairs within the first 10 only: the screen a resident reads
]


def parse_config(text: str) -> Config:
    """``rate,trees,min_leaf,features,rows,truncation`` as a Config, each checked."""
    parts = text.split(",")
    if len(parts) != 6:
        raise argparse.ArgumentTypeError(f"config {text!r}: 6 values separated by commas, not {len(parts)}")
    try:
        rate, trees, min_leaf, features, rows, truncation = (
            float(parts[0]),
            int(parts[1]),
            int(parts[2]),
            float(parts[3]),
            float(parts[4]),
            int(parts[5]),
        )
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"config {text!r}: rate,trees,min_leaf,features,rows,truncation (e.g. 0.05,150,20,1,1,30)"
        ) from None
    if not (0 < rate <= 1 and trees > 0 and min_leaf > 0 and 0 < features <= 1 and 0 < rows <= 1 and truncation > 0):
        raise argparse.ArgumentTypeError(f"config {text!r}: a value out of range (rate, fractions in (0, 1])")
    return rate, trees, min_leaf, features, rows, truncation


def configure(config: Config) -> None:
    rate, trees, min_leaf, features, rows, truncation = config
    learned.TREES = trees
    learned.BOOSTING = {"learning_rate": rate, "min_data_in_leaf": min_leaf, "lambdarank_truncation_level": truncation}
    # LightGBM's defaults (1: every feature, no bagging) are left out, so a config without sampling
    # fits exactly as the rankers were fitted before sampling was chosen.
    if features < 1:
        learned.BOOSTING["feature_fraction"] = features
    if rows < 1:
        learned.BOOSTING.update(bagging_fraction=rows, bagging_freq=1)


def scored(
    config: Config, train: Sequence[Judged], held: Sequence[Judged], fits: SharedFits, team: Sequence[Judged]
) -> Scores:
    """``held`` ranked by the model ``learned.fit_as_shipped`` fits on ``train`` with ``config``."""
    configure(config)
    weights, long = learned.shipped_weights(team)
    # The training rows of a training set are computed once for every config (SharedFits).
    return scores_of(fits.model([*train, *team], weights, long), fits.pool, held)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data-dir", help="folder of the whole-folder database (as for bench_search.py)")
    parser.add_argument("--smoke", action="store_true", help="a few laws, two configs, seconds")
    parser.add_argument("configs", nargs="*", type=parse_config, help="rate,trees,min_leaf,features,rows,truncation")
    args = parser.parse_args(argv)
    grid: list[Config] = args.configs or GRID
    if args.smoke:
        grid = [(0.1, 20, 20, 1.0, 1.0, 30), (0.1, 20, 5, 0.8, 0.8, 10)]
    shipped = (dict(learned.BOOSTING), learned.TREES)
    try:
        with bench_folders("select-boosting", args.smoke, args.data_dir) as (data_dir, laws):
            pool, stard, team, outer_k, inner_k = training_pool(data_dir, laws, args.smoke, 24, 4)
            fits = SharedFits(pool)
            nested_choice(
                grid,
                stard,
                lambda config, train, held: scored(config, train, held, fits, team),
                STARD_CRITERION,
                STARD_SHOWN,
                outer_k,
                inner_k,
            )
    finally:
        learned.BOOSTING, learned.TREES = shipped
    return 0


if __name__ == "__main__":
    sys.exit(main())
