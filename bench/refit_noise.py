"""How far the cross-validated figures move when the rankers are refitted on slightly different rows.

    .venv/bin/python bench/refit_noise.py [--data-dir DIR] [--smoke] [--runs N] [--drop K]

LambdaMART's trees depend on every training row: changing the first stage of two STARD questions
moved the team's hit@5 by two queries (docs/benchmarks.md, morning of 5 December 2026). The fits
are deterministic, so this is no seed noise. Each run here leaves ``K`` STARD questions, drawn
with the run's own seed, out of every training set. It then repeats bench_search.py's two 5-fold
CVs, fitted as shipped (``learned.fit_as_shipped``): STARD train scored on each held-out fold, and
the team's queries likewise, with STARD train in every training set. Run 0 leaves nothing out and
gives bench_search.py's own figures. The script prints each run and then, over the runs that left
questions out, the mean, the standard deviation and the range. A change to the engine that moves a
figure by less than that range cannot be told from refitting. ``--smoke``: a few laws and
questions, 2 runs (the figures mean nothing).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _nested import bench_folders, training_pool  # noqa: E402

from kiosk.search import learned  # noqa: E402
from kiosk.search.evaluation import Judged, Scores, folds  # noqa: E402

SHOWN = ("R@10", "R@100", "MRR@10", "team hit@5")
DEPTH = 100  # as bench_search.py ranks


def cv_figures(
    pool: learned.CandidatePool, stard: Sequence[Judged], team: Sequence[Judged], k: int, left_out: set[str]
) -> dict[str, float]:
    """bench_search.py's STARD and team CVs with the ``left_out`` STARD questions in no training set
    (they are still scored in their own held-out fold)."""
    kept = [q for q in stard if q.id not in left_out]
    stard_cv = _cross_validated(
        pool, stard, k, lambda train: learned.fit_as_shipped(pool, _kept_within(kept, train), team)
    )
    team_cv = _cross_validated(pool, team, k, lambda train: learned.fit_as_shipped(pool, kept, train))
    stard_sum, team_sum = stard_cv.summary(), team_cv.summary()
    return {"R@10": stard_sum["R@10"], "R@100": stard_sum["R@100"], "MRR@10": stard_sum["MRR@10"],
            "team hit@5": team_sum["hit@5"]}  # fmt: skip


def _kept_within(kept: Sequence[Judged], train: Sequence[Judged]) -> list[Judged]:
    """The kept STARD questions that are in this fold's training part."""
    ids = {q.id for q in train}
    return [q for q in kept if q.id in ids]


def _cross_validated(
    pool: learned.CandidatePool,
    questions: Sequence[Judged],
    k: int,
    fit: Callable[[list[Judged]], learned.Model],
) -> Scores:
    """Each of the ``k`` folds of ``questions`` ranked by ``fit`` of the other folds, to depth 100."""
    scores = Scores.empty()
    for held in folds(questions, k):
        held_ids = {q.id for q in held}
        model = fit([q for q in questions if q.id not in held_ids])
        for q in held:
            scores.add(q, model.rank_keys(pool, q.query)[:DEPTH])
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data-dir", help="folder of the whole-folder database (as for bench_search.py)")
    parser.add_argument("--smoke", action="store_true", help="a few laws and questions, 2 runs")
    parser.add_argument("--runs", type=int, default=5, help="runs that leave questions out (default 5)")
    parser.add_argument("--drop", type=int, default=12, help="STARD questions each run leaves out (default 12, ~1 %%)")
    args = parser.parse_args(argv)
    if args.runs < 2 or args.drop < 1:
        parser.error("--runs must be at least 2 and --drop at least 1")
    runs, drop = (2, 2) if args.smoke else (args.runs, args.drop)
    with bench_folders("refit-noise", args.smoke, args.data_dir) as (data_dir, laws):
        pool, stard, team, k, _ = training_pool(data_dir, laws, args.smoke, 24, 8)
        print(f"{len(stard)} STARD questions, {len(team)} team queries, {k}-fold CVs; {drop} left out per run")
        print(f"  {'run':<18}" + "".join(f"{name:>12}" for name in SHOWN))
        perturbed: list[dict[str, float]] = []
        for run in range(runs + 1):
            left_out = {q.id for q in random.Random(run).sample(list(stard), drop)} if run else set()
            figures = cv_figures(pool, stard, team, k, left_out)
            label = "0 (as the bench)" if not run else str(run)
            print(f"  {label:<18}" + "".join(f"{figures[name]:>12.4f}" for name in SHOWN), flush=True)
            if run:
                perturbed.append(figures)
        spread: tuple[tuple[str, Callable[[list[float]], float]], ...] = (
            ("mean", statistics.mean),
            ("standard deviation", statistics.stdev),
            ("range", lambda xs: max(xs) - min(xs)),
        )
        for what, value in spread:
            print(f"  {what:<18}" + "".join(f"{value([f[name] for f in perturbed]):>12.4f}" for name in SHOWN))
    return 0


if __name__ == "__main__":
    sys.exit(main())
