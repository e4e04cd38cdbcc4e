"""Choose whether ``assoc_known`` counts the question's one-character words, by nested CV over STARD train.

    .venv/bin/python bench/select_known_singles.py [--data-dir DIR] [--smoke] [CHOICE ...]

``assoc_known`` is the share of the question's word weight in words the associations know: how far
the ranker may trust them. The associations and that share read the question's words of two
characters or more, so 被邻居家的狗咬了 was 邻居 alone, a word of 28 training questions, and the share
said 1: the whole question known. CHOICE 1 also counts, in the question's weight, the one-character
words the synonym list says otherwise (狗 → 犬 | 动物, 咬, 打), each weighed as its commonest wording
(``learned.KNOWN_COUNTS_SINGLES``); 0 leaves them out, as before 5 December 2026's fifth session.

Each choice is fitted as the shipped model is (``learned.fit_as_shipped``: STARD train and the
team's queries) from scratch, so a training set's rows are not shared between the two. For each of
the 5 outer folds of bench_search.py, both are scored by an inner 4-fold CV inside the outer
training part (criterion: R@10 + R@100 + MRR@10) and on the held-out fold; the verdict follows
``_nested``'s rule. ``--smoke`` runs both on a few laws.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _nested import STARD_CRITERION, STARD_SHOWN, nested_choice, scores_of, training_pool, weights_main  # noqa: E402

from kiosk.search import learned  # noqa: E402
from kiosk.search.evaluation import Judged, Scores  # noqa: E402

GRID = (0.0, 1.0)


def main(argv: list[str] | None = None) -> int:
    return weights_main(argv, __doc__, "select-known-singles", GRID, GRID, run)


def run(data_dir: Path, laws: Path, grid: Sequence[float], smoke: bool) -> int:
    pool, stard, team, outer_k, inner_k = training_pool(data_dir, laws, smoke, 24, 8)
    shipped = learned.KNOWN_COUNTS_SINGLES

    def scored(choice: float, train: Sequence[Judged], held: Sequence[Judged]) -> Scores:
        learned.KNOWN_COUNTS_SINGLES = bool(choice)
        return scores_of(learned.fit_as_shipped(pool, train, team), pool, held)

    try:
        ship = nested_choice(grid, stard, scored, STARD_CRITERION, STARD_SHOWN, outer_k, inner_k)
    finally:
        learned.KNOWN_COUNTS_SINGLES = shipped
    chosen = f"{ship:g}" if ship is not None else "the shipped one"
    print(f"\nchoice to ship: {chosen} (learned.KNOWN_COUNTS_SINGLES = {int(shipped)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
