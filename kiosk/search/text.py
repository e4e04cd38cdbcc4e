"""Text folding and Chinese tokenization shared by indexing and querying.

SQLite's ``unicode61`` tokenizer sees a run of Chinese characters as one token and ``trigram``
misses two-character words, so we hand FTS5 pre-tokenized text: every run of CJK characters becomes
its overlapping bigrams (a lone character stays itself), and Latin letters and digits stay whole
words. A query word of n characters is then the phrase of its n-1 bigrams.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")

# CJK unified ideographs (basic + extension A) and the compatibility block folded by NFKC.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_RUN = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")


def fold(text: str) -> str:
    """Full-width to half-width, lower case, traditional to simplified."""
    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isascii():
        text = _T2S.convert(text)
    return text


def runs(folded: str) -> list[str]:
    """The CJK runs and Latin/digit words of already folded text, in order."""
    return _RUN.findall(folded)


def is_cjk(token: str) -> bool:
    return bool(_CJK_RUN.fullmatch(token))


def run_tokens(run: str) -> list[str]:
    if len(run) <= 2 or not is_cjk(run):
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text: str) -> list[str]:
    out: list[str] = []
    for run in runs(fold(text)):
        out.extend(run_tokens(run))
    return out


def index_text(text: str) -> str:
    """What goes into an FTS5 column for ``text``."""
    return " ".join(tokens(text))


@lru_cache(maxsize=4096)
def fold_cached(text: str) -> str:
    return fold(text)
