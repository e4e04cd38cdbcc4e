"""Words the law corpus uses alike: each word's nearest words by vectors learned from the laws.

``data/related.tsv`` is written by :mod:`kiosk.search.related_build` (PPMI-SVD over co-occurrences in
the 147k articles; no judged question is read). The ranker uses it to credit an article that says a
question's word in the law's own terms (孕期 → 哺乳期, 辞退 → 解除劳动合同 …): :func:`covers`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

RELATED_FILE = Path(__file__).with_name("data") / "related.tsv"

_lock = threading.Lock()
# word → (its line number, the rest of its line), parsed when a question holds the word
_lines: list[dict[str, tuple[int, str]]] = []
_parsed: dict[str, tuple[tuple[str, float], ...]] = {}
log = logging.getLogger(__name__)


def _table() -> dict[str, tuple[int, str]]:
    with _lock:
        if not _lines:
            table: dict[str, tuple[int, str]] = {}
            try:
                text = RELATED_FILE.read_text(encoding="utf-8")
            except OSError:
                text = ""  # no file: no word has neighbours, the features are the exact cover
            for number, line in enumerate(text.splitlines(), 1):
                word, _, rest = line.partition("\t")
                if rest:
                    table[word] = (number, rest)
            _lines.append(table)
        return _lines[0]


def neighbours(word: str) -> tuple[tuple[str, float], ...]:
    """The word's nearest words in the laws with their cosine, nearest first (none if unknown). An
    entry that is not ``word:cosine`` (cosine in (0, 1]) is left out, with a warning naming its line:
    a damaged file costs the ranker a neighbour, never a resident's search."""
    found = _parsed.get(word)
    if found is None:
        number, rest = _table().get(word, (0, ""))
        pairs = []
        for item in rest.split():
            other, _, sim = item.rpartition(":")
            try:
                cosine = float(sim)
            except ValueError:
                cosine = float("nan")
            if not other or not 0 < cosine <= 1:
                log.warning("%s line %d (%s): %r is not word:cosine; left out", RELATED_FILE, number, word, item)
                continue
            pairs.append((other, cosine))
        found = _parsed[word] = tuple(pairs)
        if len(_parsed) > 4096:  # a bound, not a cache policy: questions hold a few words each
            _parsed.clear()
            _parsed[word] = found
    return found


def covers(
    text: str, words: Sequence[tuple[str, float, tuple[tuple[str, float], ...]]], total: float
) -> tuple[float, float]:
    """Share of the question's word weight ``text`` holds: exactly, and with a word said otherwise
    counting by how near the nearest of its neighbours in ``text`` is. ``words``: (word, weight, its
    neighbours, nearest first: the ranker puts the synonym list's wordings first, at 1), in the
    question's order (the exact share is then the same sum, to the last bit, as a plain sum over the
    words found)."""
    exact = near_total = 0.0
    for word, weight, near in words:
        if word in text:
            exact += weight
            continue
        for other, sim in near:  # nearest first: the first found is the best
            if other in text:
                near_total += weight * sim
                break
    return exact / total, (exact + near_total) / total
