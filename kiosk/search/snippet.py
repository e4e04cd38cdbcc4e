"""The passage shown under a hit: the stretch of text with the most matched words, marked.

Computed from the stored text (the article index keeps no text of its own).
"""

from __future__ import annotations

from kiosk.search.api import HIGHLIGHT_END, HIGHLIGHT_START
from kiosk.search.text import light_fold

WIDTH = 90
LEAD = 12  # characters kept before the first match in the window


def _occurrences(folded: str, wordings: list[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, wording), longer wordings winning."""
    taken: list[tuple[int, int, str]] = []
    for wording in sorted(set(w for w in wordings if w), key=len, reverse=True):
        start = folded.find(wording)
        while start >= 0:
            end = start + len(wording)
            if all(end <= s or start >= e for s, e, _ in taken):
                taken.append((start, end, wording))
            start = folded.find(wording, start + 1)
    return sorted(taken)


def snippet(text: str, wordings: list[str], width: int = WIDTH) -> str:
    """Best window of ``text`` (one line) with every matched wording wrapped in the highlight marks."""
    text = " ".join(text.split())
    if not text:
        return ""
    found = _occurrences(light_fold(text), wordings)
    if not found:
        return text[:width] + ("…" if len(text) > width else "")
    best_start, best_value = 0, -1.0
    for start, _, _ in found:
        window_start = max(0, start - LEAD)
        inside = [w for s, e, w in found if s >= window_start and e <= window_start + width]
        value = len(set(inside)) + 0.1 * len(inside)
        if value > best_value:
            best_start, best_value = window_start, value
    # Start at a sentence or clause boundary when one is close before the window.
    for mark in "。；;\n":
        cut = text.rfind(mark, max(0, best_start - 20), best_start + 1)
        if (cut >= 0 and cut + 1 <= found[0][0]) or (cut >= 0 and cut + 1 <= best_start + LEAD):
            best_start = cut + 1
            break
    end = min(len(text), best_start + width)
    parts: list[str] = ["…"] if best_start > 0 else []
    pos = best_start
    for s, e, _ in found:
        if s < best_start or e > end:
            continue
        parts.append(text[pos:s])
        parts.append(HIGHLIGHT_START + text[s:e] + HIGHLIGHT_END)
        pos = e
    parts.append(text[pos:end])
    if end < len(text):
        parts.append("…")
    return "".join(parts)
