"""Choose the team's weight in the ranker for long questions, by nested CV over STARD train.

    .venv/bin/python bench/select_long_weight.py [--data-dir DIR] [--smoke] [WEIGHT ...]

The team's resident-style queries count ``learned.TEAM_WEIGHT`` (16) times a STARD question in the
ranker's loss (bench/select_team_weight.py chose it on those queries). That costs STARD's long
consultations some of their order. So long questions (more than ``SHORT_CHARS`` characters) may be
ordered by a second ranker, fitted on the same rows with the team's queries at another weight
(``learned.fit(long_weights=…)``; the associations are the same). A weight of 16, the short queries'
weight when this was chosen, was one ranker for every question, as before; 0 leaves the team's
queries out of this ranker's loss (they still shape the associations). The two rankers order
disjoint questions from the same rows, so each weight is chosen apart from the other.

For each of the 5 outer folds of STARD train (the folds of bench_search.py), every weight is scored
by an inner 4-fold CV inside the outer training part (criterion: R@10 + R@100 + MRR@10, the issue's
STARD measures) and on the held-out fold; the team's queries are in every training set, as in the
shipped model's. It prints each weight's mean inner criterion and outer figures, then the nested
figure (each outer fold scored with its own inner choice) and the weight to ship (``_nested``'s
rule: the one most outer folds' inner CVs chose, else the shipped one). The training rows of a training set are
computed once and shared by every weight (``_nested.SharedFits``). ``--smoke`` runs two weights on a few laws.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _nested import STARD_CRITERION, SharedFits, nested_choice, scores_of, training_pool, weights_main  # noqa: E402

from kiosk.search import learned  # noqa: E402
from kiosk.search.evaluation import Judged, Scores  # noqa: E402

SHOWN = ("R@5", "R@10", "R@20", "R@100", "hit@5", "MRR@10", "nDCG@5")
GRID = (16.0, 4.0, 1.0, 0.0)


def scored(
    weight: float, fits: SharedFits, team: Sequence[Judged], train: Sequence[Judged], held: Sequence[Judged]
) -> Scores:
    """Fitted as the shipped model is (learned.fit_as_shipped), the long questions' ranker with
    ``weight`` (16: the short questions' ranker for every question)."""
    questions = [*train, *team]
    weights = {q.id: learned.TEAM_WEIGHT for q in team}
    long_weights = weights if weight == learned.TEAM_WEIGHT else {q.id: weight for q in team}
    return scores_of(fits.model(questions, weights, long_weights), fits.pool, held)


def main(argv: list[str] | None = None) -> int:
    return weights_main(argv, __doc__, "select-long-weight", GRID, (16.0, 1.0), run)


def run(data_dir: Path, laws: Path, grid: Sequence[float], smoke: bool) -> int:
    pool, stard, team, outer_k, inner_k = training_pool(data_dir, laws, smoke, 24, 8)
    fits = SharedFits(pool)
    ship = nested_choice(
        grid,
        stard,
        lambda weight, train, held: scored(weight, fits, team, train, held),
        STARD_CRITERION,
        SHOWN,
        outer_k,
        inner_k,
    )
    chosen = f"{ship:g}" if ship is not None else "the shipped one"
    print(f"\nweight to ship: {chosen} (learned.TEAM_WEIGHT_LONG = {learned.TEAM_WEIGHT_LONG:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
