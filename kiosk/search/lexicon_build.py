"""Regenerate ``kiosk/search/data/lexicon.txt``, the word list that segments residents' queries.

A development tool, not used at run time. It needs ``jieba`` (``pip install jieba``) for its general
dictionary and an imported laws database for domain frequencies:

    .venv/bin/python -m kiosk.search.lexicon_build /tmp/search-dev/content.sqlite3

Why a list of our own rather than jieba at run time: jieba loads 349k words (about 1 s and 90 MB)
and weighs them by general newspaper frequencies, which split 办公证 as 办公/证. Keeping the words
that occur in the laws (plus the common general words residents use) and adding how often each
occurs in the laws gives a 1 MB list that loads in a few tens of milliseconds and segments legal
questions better.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections import Counter
from pathlib import Path

OUTPUT = Path(__file__).with_name("data") / "lexicon.txt"
_CJK_WORD = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff]+")
MAX_LEN = 7
#: General words missing from the laws stay when jieba counts them at least this often.
GENERAL_MIN = 300


def load_jieba() -> dict[str, int]:
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    words: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and _CJK_WORD.fullmatch(parts[0]) and len(parts[0]) <= MAX_LEN:
            words[parts[0]] = words.get(parts[0], 0) + int(parts[1])
    return words


def corpus_counts(db_path: Path, words: set[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    conn = sqlite3.connect(db_path)
    for (text,) in conn.execute("SELECT text FROM article"):
        for run in _CJK_WORD.findall(text):
            n = len(run)
            for i in range(n - 1):
                for size in range(2, min(MAX_LEN, n - i) + 1):
                    piece = run[i : i + size]
                    if piece in words:
                        counts[piece] += 1
    return counts


def main(argv: list[str]) -> int:
    db_path = Path(argv[0]) if argv else Path("/tmp/search-dev/content.sqlite3")
    general = load_jieba()
    counts = corpus_counts(db_path, {w for w in general if len(w) > 1})
    lines = []
    for word, freq in sorted(general.items()):
        if len(word) == 1:
            lines.append(f"{word} {freq}")
        elif counts[word] or freq >= GENERAL_MIN:
            lines.append(f"{word} {freq + counts[word]}")
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} words → {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
