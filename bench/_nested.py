"""Nested cross-validation of a choice among settings (select_ranker.py, select_team_weight.py,
select_long_weight.py).

For each outer fold, every choice is scored by an inner CV inside the outer training part (what a
choice may look at) and on the held-out fold. The nested figure scores each outer fold with the
choice its own inner CV made: what choosing this way is worth on questions it was not made on.

One rule decides what ships (settled on 5 December 2026; until then select_ranker.py read the mean
inner criterion and select_team_weight.py the best outer one, with a "within fold noise" exception
in both): a setting other than the shipped one ships when the inner CVs of most outer folds chose it;
when no setting has a majority, the shipped one stays. The rule reads only the inner CVs' choices,
never a held-out figure, and it gives every decision recorded in docs/benchmarks.md before it.

Amended on 5 December 2026 (sixth session), before the selection it first decided: when the script
names the shipped setting, another one also needs a mean inner criterion above the shipped one's by
more than :data:`STARD_MARGIN`, the criterion's refit noise. A 3-to-2 vote on an inner margin of
0.002 (assoc_known, fifth session) had shipped a change that did not do what it was for. A setting
chosen for what it costs (``cheapest_first``: fewer candidates, less time) needs no gain: each outer
fold's inner CV takes the cheapest choice within :data:`STARD_MARGIN` of the shipped one, and what
most folds took ships.

Amended late on 5 December 2026 (ninth session), before any selection under it: every choice is fitted
and scored under each of :data:`CRITERION_SEEDS` and its scores pooled (their mean). One engine
fitted with seed 7 and with seed 11 differed by 0.009 in STARD R@10, more than the margin: a choice
scored under one seed was partly chosen by that seed's luck.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bench_search import STARD, answerable, load_team, prepare, smoke_laws

from kiosk.paths import SHARED_DATA_DIR
from kiosk.search import learned
from kiosk.search.evaluation import Judged, Scores, folds, load_judged

if TYPE_CHECKING:
    import lightgbm

C = TypeVar("C")
#: What the selections over STARD train maximise (fixed before any run) and what they print.
STARD_CRITERION = ("R@10", "R@100", "MRR@10")
STARD_SHOWN = ("R@5", "R@10", "R@20", "R@100", "MRR@10", "nDCG@5")
#: How far refitting alone moves the criterion: the standard deviations of R@10, R@100 and MRR@10
#: over refits on 99 % of the rows, added in quadrature. refit_noise.py ran twice on 5 December
#: (morning: 0.0013, 0.0024, 0.0031; evening: 0.0028, 0.0032, 0.0031); their pooled variances give
#: 0.0047, rounded up. Set from the pooled runs before the seventh session's first selection (it
#: was 0.004, the morning's alone).
STARD_MARGIN = 0.005
#: Every choice is fitted under each of these seeds (learned.SEED: the inner folds of the association
#: features and LightGBM's sampling) and scored on the pooled figures.
CRITERION_SEEDS = (7, 11)
#: (choice, training questions, held-out questions) → the held-out questions' scores.
Scorer = Callable[[C, Sequence[Judged], Sequence[Judged]], Scores]


def training_pool(
    data_dir: Path, laws: Path, smoke: bool, smoke_stard: int, smoke_team: int
) -> tuple[learned.CandidatePool, list[Judged], list[Judged], int, int]:
    """(first stages shared by every fit, STARD train, the team's queries, outer folds, inner folds);
    for ``smoke``, a few answerable questions of each and 2 × 2 folds."""
    db, _ = prepare(data_dir, laws)
    stard, team = load_judged(STARD), load_team()
    outer_k, inner_k = 5, 4
    if smoke:
        stard, team = answerable(stard, db)[:smoke_stard], answerable(team, db)[:smoke_team]
        outer_k, inner_k = 2, 2
    pool = learned.CandidatePool(db)
    for q in [*stard, *team]:
        pool.context(q.query)
    return pool, stard, team, outer_k, inner_k


def scores_of(model: learned.Model, pool: learned.CandidatePool, held: Sequence[Judged]) -> Scores:
    """The held-out questions' figures, each ranked by ``model`` to depth 100."""
    scores = Scores.empty()
    for q in held:
        scores.add(q, model.rank_keys(pool, q.query)[:100])
    return scores


def weights_main(
    argv: list[str] | None,
    doc: str | None,
    name: str,
    grid: Sequence[float],
    smoke_grid: Sequence[float],
    run: Callable[[Path, Path, Sequence[float], bool], int],
) -> int:
    """The command line of a weight selection (select_team_weight.py, select_long_weight.py)."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n")[0])
    parser.add_argument("--data-dir", help="folder of the whole-folder database (as for bench_search.py)")
    parser.add_argument("--smoke", action="store_true", help="a few laws, two weights, seconds")
    default = " ".join(f"{w:g}" for w in grid)
    parser.add_argument("weights", nargs="*", type=float, help=f"weights to compare (default: {default})")
    args = parser.parse_args(argv)
    chosen = tuple(smoke_grid) if args.smoke else tuple(args.weights) or tuple(grid)
    with bench_folders(name, args.smoke, args.data_dir) as (data_dir, laws):
        return run(data_dir, laws, chosen, args.smoke)


@contextmanager
def bench_folders(name: str, smoke: bool, data_dir: str | None) -> Iterator[tuple[Path, Path]]:
    """(database folder, laws folder) of a selection: for ``smoke`` a few laws in a temporary folder
    (removed afterwards), else the whole shared laws folder and ``data_dir`` (bench_search.py's)."""
    if not smoke:
        yield Path(data_dir or os.path.join(tempfile.gettempdir(), "kiosk-bench-search")), SHARED_DATA_DIR / "laws"
        return
    tmp = Path(tempfile.mkdtemp(prefix=f"{name}-smoke-"))
    try:
        yield tmp / "data", smoke_laws(tmp / "laws")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def seeded(seeds: Sequence[int]) -> Iterator[int]:
    """Each of ``seeds`` in turn as the seed of every fit (learned.SEED), the shipped one restored
    after the last (also when the caller stops early)."""
    shipped = learned.SEED
    try:
        for seed in seeds:
            learned.SEED = seed
            yield seed
    finally:
        learned.SEED = shipped


class SharedFits:
    """Rankers fitted as :func:`learned.fit` fits them, the training rows of a training set computed
    once for every weighting of it (``nested_choice`` scores every choice on a training set before
    the next, so only the last one is kept)."""

    def __init__(self, pool: learned.CandidatePool) -> None:
        self.pool = pool
        self._key: tuple[frozenset[str], int] = (frozenset(), learned.SEED)
        self._rows: learned.TrainingRows | None = None
        self._boosters: dict[tuple[object, ...], lightgbm.Booster] = {}

    def model(
        self, questions: Sequence[Judged], weights: Mapping[str, float] | None, long_weights: Mapping[str, float] | None
    ) -> learned.Model:
        """The model ``learned.fit(pool, questions, weights=…, long_weights=…)`` returns."""
        rows = self._rows_of(questions)
        long = None if long_weights is None else self._booster(rows, long_weights)
        return learned.Model(rows.assoc, self._booster(rows, weights), long)

    def _rows_of(self, questions: Sequence[Judged]) -> learned.TrainingRows:
        key = (frozenset(q.id for q in questions), learned.SEED)
        if self._rows is None or key != self._key:
            self._key, self._rows, self._boosters = key, learned.training_rows(self.pool, questions), {}
        return self._rows

    def _booster(self, rows: learned.TrainingRows, weights: Mapping[str, float] | None) -> lightgbm.Booster:
        # The boosting settings are part of the key: select_boosting.py fits one training set with several.
        settings = (learned.TREES, learned.LEAVES, tuple(sorted(learned.BOOSTING.items())), learned.SEED)
        key = (tuple(sorted(weights.items())) if weights else (), settings)
        if key not in self._boosters:
            self._boosters[key] = learned.train_booster(rows, weights=weights)
        return self._boosters[key]


def nested_choice(
    choices: Sequence[C],
    questions: Sequence[Judged],
    scored: Scorer[C],
    criterion: Sequence[str],
    shown: Sequence[str],
    outer_k: int = 5,
    inner_k: int = 4,
    shipped: C | None = None,
    margin: float = STARD_MARGIN,
    cheapest_first: bool = False,
    seeds: Sequence[int] = CRITERION_SEEDS,
) -> C | None:
    """Print each choice's mean inner criterion and outer figures, each outer fold's choice and the
    nested figure; return the choice the inner CVs of most outer folds made, None when none has a
    majority (the shipped setting stays) or, given the ``shipped`` choice, when the majority's mean
    inner criterion is not above the shipped one's by more than ``margin``.

    ``cheapest_first``: the choices cost less the earlier they come (fewer candidates, less time),
    and an outer fold's inner CV chooses the first whose criterion is within ``margin`` of the
    ``shipped`` one's (below it by no more): a saving must not cost more than refitting moves.

    Each choice is fitted and scored under every one of ``seeds`` (:func:`seeded`); its figures are
    the pooled scores, the mean over the seeds."""

    def worth(scores: Scores) -> float:
        summary = scores.summary()
        return sum(summary[m] for m in criterion)

    outer = folds(questions, outer_k)
    inner: dict[int, list[Scores]] = {i: [] for i in range(len(choices))}
    held_out: dict[int, list[Scores]] = {i: [] for i in range(len(choices))}
    for k, held in enumerate(outer):
        started = time.perf_counter()
        held_set = set(held)
        train = [q for q in questions if q not in held_set]
        inside = [Scores.empty() for _ in choices]
        outside = [Scores.empty() for _ in choices]
        # Every choice in turn on one training set and seed, then the next: a scorer may keep what a
        # training set costs to prepare until the next one (the figures do not depend on the order).
        for part in folds(train, inner_k, seed=23):
            part_set = set(part)
            for _ in seeded(seeds):
                for i, choice in enumerate(choices):
                    inside[i].extend(scored(choice, [q for q in train if q not in part_set], part))
        for _ in seeded(seeds):
            for i, choice in enumerate(choices):
                outside[i].extend(scored(choice, train, held))
        for i in range(len(choices)):
            inner[i].append(inside[i])
            held_out[i].append(outside[i])
        print(f"  outer fold {k + 1}: {time.perf_counter() - started:.0f} s", flush=True)
    print(f"\neach choice fitted under seeds {', '.join(map(str, seeds))}, their scores pooled")
    print(f"{'choice':<30} inner criterion | outer " + " ".join(shown))
    mean_inner = [sum(worth(s) for s in inner[i]) / len(outer) for i in range(len(choices))]
    for i, choice in enumerate(choices):
        everything = Scores.empty()
        for s in held_out[i]:
            everything.extend(s)
        summary = everything.summary()
        print(f"  {choice!s:<28} {mean_inner[i]:.4f}          | " + " ".join(f"{summary[m]:.3f}" for m in shown))
    nested = Scores.empty()
    votes = [0] * len(choices)
    shipped_at = None if shipped is None else list(choices).index(shipped)
    if cheapest_first and shipped_at is None:
        raise ValueError("cheapest_first needs the shipped choice")
    for k in range(len(outer)):
        if cheapest_first and shipped_at is not None:
            floor = worth(inner[shipped_at][k]) - margin
            chosen = next(i for i in range(len(choices)) if worth(inner[i][k]) >= floor)
        else:
            chosen = max(range(len(choices)), key=lambda i: worth(inner[i][k]))
        print(f"  outer fold {k + 1}: inner CV chose {choices[chosen]}")
        nested.extend(held_out[chosen][k])
        votes[chosen] += 1
    print(f"  nested CV (each fold scored with its own choice): {nested.line()}")
    best = max(range(len(choices)), key=lambda i: votes[i])
    if 2 * votes[best] > len(outer):
        if shipped_at is not None and best != shipped_at and not cheapest_first:
            gain = mean_inner[best] - mean_inner[shipped_at]
            if gain <= margin:
                print(
                    f"  to ship: the shipped setting ({choices[best]}, chosen by {votes[best]} of {len(outer)} outer"
                    f" folds, is {gain:+.4f} on the inner criterion: not above the margin {margin:g})"
                )
                return None
        print(f"  to ship: {choices[best]} (chosen by {votes[best]} of {len(outer)} outer folds)")
        return choices[best]
    print(f"  to ship: the shipped setting (no choice made by most of the {len(outer)} outer folds)")
    return None
