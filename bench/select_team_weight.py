"""Choose how much the team's resident-style queries count in the ranker's loss, by nested CV.

    .venv/bin/python bench/select_team_weight.py [--data-dir DIR] [--smoke] [WEIGHT ...]

STARD train is consultations, 9 in 10 of them long; residents at a terminal type a few words. The
team's judged queries (bench/queries_extra.jsonl, and since 5 December's seventh session the
residents' questions of bench/queries_resident.jsonl) are the only training questions written the
way residents write: 86, then 221, 320, 425, beside 1,235. Each weight makes every team question count that
many times a STARD question (``learned.fit(weights=…)``) in the ranker of short queries; the long
questions' ranker keeps ``learned.TEAM_WEIGHT_LONG`` (since late on 4 December; before, one ranker ordered
every question). STARD train is in every training set.

For each of the 5 outer folds of the team's queries (the folds of bench_search.py), every weight is
scored by an inner 4-fold CV inside the outer training part (criterion: hit@5 + R@10 + MRR@10) and
on the held-out fold. It prints each weight's mean inner criterion and outer figures, then the
nested figure: each outer fold scored with the weight its own inner CV chose. The weight to ship
(``learned.TEAM_WEIGHT``) follows ``_nested``'s rule: the one the inner CVs of most outer folds chose,
else the shipped one stays (late 4 December the folds chose 16, 64, 1, 64, 16: 16 stayed); the
nested figure is what choosing is worth on queries it was not chosen on. The choice looks
at the team's queries only; the bench's STARD figures move with it too (their folds hold the team's
queries, as the shipped model's training does), and docs/benchmarks.md records that price.
``--smoke`` runs two weights on a few laws (the figures mean nothing).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _nested import SharedFits, nested_choice, scores_of, training_pool, weights_main  # noqa: E402

from kiosk.search import learned  # noqa: E402
from kiosk.search.evaluation import Judged, Scores  # noqa: E402

CRITERION = ("hit@5", "R@10", "MRR@10")
SHOWN = ("R@5", "R@10", "R@20", "R@100", "hit@5", "MRR@10", "nDCG@5")
GRID = (1.0, 4.0, 16.0, 64.0)


def scored(
    weight: float, stard: Sequence[Judged], team: Sequence[Judged], held: Sequence[Judged], fits: SharedFits
) -> Scores:
    """Fitted as the shipped model is, with ``weight`` for the team's queries in the ranker of short
    queries (the long questions' ranker keeps ``learned.TEAM_WEIGHT_LONG``, as shipped)."""
    weights = {q.id: weight for q in team} if weight != 1.0 else None
    long_weights = None
    if learned.TEAM_WEIGHT_LONG != learned.TEAM_WEIGHT:
        long_weights = {q.id: learned.TEAM_WEIGHT_LONG for q in team}
    return scores_of(fits.model([*stard, *team], weights, long_weights), fits.pool, held)


def main(argv: list[str] | None = None) -> int:
    return weights_main(argv, __doc__, "select-team-weight", GRID, (1.0, 4.0), run)


def run(data_dir: Path, laws: Path, grid: Sequence[float], smoke: bool) -> int:
    pool, stard, team, outer_k, inner_k = training_pool(data_dir, laws, smoke, 16, 8)
    fits = SharedFits(pool)
    ship = nested_choice(
        grid,
        team,  # the folds: STARD train is in every training set
        lambda weight, train, held: scored(weight, stard, train, held, fits),
        CRITERION,
        SHOWN,
        outer_k,
        inner_k,
    )
    chosen = f"{ship:g}" if ship is not None else "the shipped one"
    print(f"  weight to ship: {chosen} (shipped: learned.TEAM_WEIGHT = {learned.TEAM_WEIGHT:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
