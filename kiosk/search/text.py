"""Text folding and Chinese tokenization shared by indexing and querying.

SQLite's ``unicode61`` tokenizer sees a run of Chinese characters as one token and ``trigram``
misses two-character words, so we hand FTS5 pre-tokenized text: every run of CJK characters becomes
its overlapping bigrams (a lone character stays itself), and Latin letters and digits stay whole
words. A query word of n characters is then the phrase of its n-1 bigrams.

The article index is contentless: deleting a row replays the tokens it was written with. Any change
to what these functions return therefore needs :data:`TOKENIZER_VERSION` bumped, which makes the
index rebuild itself instead of corrupting.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

TOKENIZER_VERSION = "4"  # 4: 坏 kept in 打坏 (see _KEPT)

_T2S = opencc.OpenCC("t2s")
#: Simplified characters that t2s still changes inside some phrases: 坏 is also an old form of 坯,
#: so 打坏 (broke it) became 打坯 (made adobe bricks) and the question lost its 坏. Run over the whole
#: laws folder (simplified text), t2s changes no other simplified character; the text is converted
#: around it.
_KEPT = "坏"

# CJK unified ideographs (basic + extension A) and 〇, which Chinese numerals use (二〇二〇).
CJK_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff"
_RUN = re.compile(rf"[{CJK_CLASS}]+|[0-9a-z]+")
_CJK_RUN = re.compile(rf"[{CJK_CLASS}]+")
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FULLWIDTH_ANY = re.compile("[\uff01-\uff5e\u3000]")


def fold(text: str) -> str:
    """Full-width to half-width, lower case, traditional to simplified."""
    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isascii():
        text = _KEPT.join(_T2S.convert(part) for part in text.split(_KEPT))  # one part without 坏
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


def folded_tokens(folded: str) -> list[str]:
    out: list[str] = []
    for run in runs(folded):
        out.extend(run_tokens(run))
    return out


def index_text(text: str) -> str:
    """What goes into an FTS5 column for ``text``."""
    return " ".join(tokens(text))


def char_text(text: str) -> str:
    """Single characters of the CJK runs (plus Latin words): lets one typed character find a title."""
    out: list[str] = []
    for run in runs(fold(text)):
        out.extend(run if is_cjk(run) else [run])
    return " ".join(out)


def phrase(folded_word: str) -> str | None:
    """An FTS5 phrase (quoted) matching ``folded_word``, or None when it has no indexable token."""
    toks = folded_tokens(folded_word)
    if not toks:
        return None
    # Tokens hold only CJK characters, a-z and digits, so quoting needs no escaping.
    return '"' + " ".join(toks) + '"'


@lru_cache(maxsize=4096)
def fold_cached(text: str) -> str:
    return fold(text)


def light_fold(text: str) -> str:
    """Full-width to half-width and lower case without changing the length (snippets index into it).

    Used to rank and mark stored text, never to index it: no :data:`TOKENIZER_VERSION` bump needed.
    """
    # The same mapping as ``text.translate(_FULLWIDTH)``, ~5x faster on law text: translate looks
    # every character up in a dict, while these five marks are nearly all the full-width characters
    # articles hold (a replaced mark becomes ASCII, which the table leaves alone).
    text = text.replace("，", ",").replace("；", ";").replace("（", "(").replace("）", ")").replace("：", ":")
    if _FULLWIDTH_ANY.search(text):
        text = text.translate(_FULLWIDTH)
    return text.lower()
