"""Splitting a resident's query into words, and the words that carry no meaning for search.

Segmentation is a maximum-probability path over a word list (``data/lexicon.txt``, see
:mod:`kiosk.search.lexicon_build`) extended at run time with the synonym terms and law titles of
the content database, so 搭便车, 欠薪 or 劳动合同法 stay whole. Index-side text is never segmented:
bigrams index every word; segmentation only decides which bigrams of a query belong together.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

LEXICON_FILE = Path(__file__).with_name("data") / "lexicon.txt"
MAX_WORD = 12
#: Frequency given to domain words added at run time (synonym terms, law titles): common enough to
#: win over a split into general words.
DOMAIN_FREQ = 20_000
#: What all domain words weigh together in the segmenter's probabilities, whatever this database
#: holds: the 3,344 of the whole laws folder (titles, synonym terms, places) at :data:`DOMAIN_FREQ` each
#: when the mass was fixed (5 December 2026), so the collection is cut as the rankers were fitted on.
DOMAIN_MASS = 3_344 * DOMAIN_FREQ
#: A general word this frequent may be the true reading where it overlaps a matched word.
STRONG_FREQ = 100
#: Characters either side of a match that are segmented with it to see whether it is a word of its own.
WINDOW = 2

#: A span of time with 个 (三个月, 半个月, 两个星期; 上个月, or 个月 after digits, which are a run of their
#: own): the most probable path alone may cut it before its unit when the unit starts a word of the
#: list (三个|月工资: 月工资 is the severance article's word, not the resident's 工资). Spans without
#: 个 (三年, 十天) are words of the list already.
TIME_SPAN = re.compile(
    r"(?:(?P<count>[零〇一二两三四五六七八九十百千几半]+)|^|每|这|那|上|下|整)个多?(?:小时|钟头|星期|礼拜|工作日|季度|月)"
)

#: Question words and particles: they say what kind of answer is wanted, not what it is about.
QUESTION_CUES: dict[str, str] = {
    "什么是": "define",
    "是什么": "define",
    "什么叫": "define",
    "啥是": "define",
    "何为": "define",
    "何谓": "define",
    "定义": "define",
    "含义": "define",
    "什么意思": "define",
    "指什么": "define",
    "哪些": "list",
    "哪几种": "list",
    "哪几个": "list",
    "有哪些": "list",
    "哪几": "list",
    "包括": "list",
    "什么情况": "list",
    "哪种": "list",
    "哪类": "list",
    "哪些情形": "list",
    "多久": "duration",
    "多长时间": "duration",
    "多长": "duration",
    "几天": "duration",
    "几年": "duration",
    "几个月": "duration",
    "多少天": "duration",
    "什么时候": "duration",
    "多少年": "duration",
    "谁": "who",
    "由谁": "who",
    "谁负责": "who",
    "谁承担": "who",
    "谁赔": "who",
    "找谁": "where",
    "哪里": "where",
    "去哪": "where",
    "哪儿": "where",
    "在哪": "where",
    "去哪里": "where",
    "多少钱": "amount",
    "多少": "amount",
    "赔多少": "amount",
    "怎么算": "amount",
    "如何计算": "amount",
    "怎么计算": "amount",
    "怎么赔": "amount",
    "标准是": "amount",
    "怎么办": "remedy",
    "咋办": "remedy",
    "怎么处理": "remedy",
    "如何处理": "remedy",
    "怎么告": "remedy",
}

_STOP = """
的 了 吗 呢 吧 啊 呀 么 嘛 哦 哈 着 过 地 得 之 其 个 些 下 上 里 中 后 前 时 算
我 我们 你 你们 您 他 他们 她 她们 它 它们 自己 咱 咱们 俺 人家 别人 有人 某 某人 对方 本人
这 那 这个 那个 这些 那些 这样 那样 这种 那种 此 该 每 各
什么 怎么 怎样 怎么样 如何 为什么 为何 哪 哪个 是否 是不是 能不能 可不可以 会不会 要不要 有没有
可以 能 能否 能够 应该 要 想 需要 请问 请 问 问问 一下 一个 一些 还 还是 就 都 也 又 才 仍 已经 已
被 把 给 让 对 跟 和 与 及 或 或者 在 从 到 向 于 是 有 没 不 会 如果 但是 但 因为 所以 然后 而 刚 刚刚
现在 关于 怎么回事 咋 啥 出 去 来 做 弄 搞 说 讲 看 知道 告诉 帮 帮忙
规定 法律 法规 条例 相关 有关 问题 情况 方面 内容 具体 一般 国家
出来 出去 回来 起来 下来 下去 上来 进来 进去 过来 不了
还要 不想
"""
# The last two lines: directional complements (拿不出来, 关起来) and 不了 (退不了, 办不了). The laws seldom
# write them, so their bigrams are rare and weighed as the most telling words of a question: 工资拿不出来
# found 商标法实施条例's 分割出来 first. 还要 (still have to) and 不想 (do not want to) say how the resident
# feels, not what about: required in every article, they sent 上小学还要交学费吗 to 保险法.
STOP_WORDS = frozenset(_STOP.split())
#: Words that alone make a real query (规定 of nothing is still a word someone may search for).
WEAK_WORDS = frozenset(("规定", "法律", "法规", "条例", "办法", "国家", "问题", "内容"))


@lru_cache(maxsize=1)
def base_lexicon() -> dict[str, int]:
    words: dict[str, int] = {}
    try:
        text = LEXICON_FILE.read_text(encoding="utf-8")
    except OSError:
        return words
    for line in text.splitlines():
        word, _, freq = line.partition(" ")
        if word and freq.isdigit():
            words[word] = int(freq)
    return words


@lru_cache(maxsize=1)
def strong_words() -> frozenset[str]:
    """General words frequent enough to be the true reading where they overlap a matched word."""
    return frozenset(w for w, freq in base_lexicon().items() if freq >= STRONG_FREQ)


class Segmenter:
    """Maximum-probability segmentation over the base lexicon plus domain words."""

    def __init__(self, extra_words: Iterable[str] = ()) -> None:
        base = base_lexicon()
        self._extra = {w: DOMAIN_FREQ for w in extra_words if 1 < len(w) <= MAX_WORD}
        for word in list(QUESTION_CUES) + [w for w in STOP_WORDS if len(w) > 1]:
            self._extra.setdefault(word, DOMAIN_FREQ)
        # A fixed mass for the domain words, not their count: with the count, every synonym added to
        # the list (or a law title synced) re-weighed every word, and a few segmentations of questions
        # that share no word with it flipped (seen: 14 entries moved a 快递 question).
        total = sum(base.values()) + DOMAIN_MASS or 1
        self._log_total = math.log(total)
        self._base = base
        # A character no word list knows costs as much as a rare word.
        self._unknown = math.log(1) - self._log_total - 2.0
        # Each word's log probability as segment() scores it: a domain word's frequency wins over the
        # general list's, and a word of frequency 0 counts as unknown (the ``or`` of the lookups).
        log_total = self._log_total
        self._logp = {w: math.log(f) - log_total for w, f in base.items() if f}
        self._logp.update((w, math.log(f) - log_total) for w, f in self._extra.items() if f)
        self._aligned: dict[tuple[str, int, int], bool] = {}
        # The words that may cross a match's edge in :meth:`aligned`: strong or domain words of the
        # two to four characters a crossing piece can have (one set lookup instead of two).
        self._crossers = frozenset(w for w in (*strong_words(), *self._extra) if 2 <= len(w) <= 4)
        # Every piece crossing the start holds the two characters either side of it, every piece
        # crossing the end the two either side of the end: when no crosser holds those pairs, nothing
        # crosses (true of most matches, which then cost two lookups).
        self._edges = frozenset(w[i : i + 2] for w in self._crossers for i in range(len(w) - 1))

    def known(self, word: str) -> bool:
        return word in self._extra or word in self._base

    def aligned(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` is made of whole words of the text, not pieces of its neighbours.

        False for 能退 in 功能退化 (功能 crosses the start); a longer word that holds the whole match
        (出卖人 for 出卖) is fine. Only a common word crossing an edge prompts the segmentation of a
        small window around the match, so the usual case costs a few lookups; answers are cached by
        the match and its surroundings.
        """
        edges = self._edges
        if (start < 1 or text[start - 1 : start + 1] not in edges) and (
            end >= len(text) or text[end - 1 : end + 1] not in edges
        ):
            return True
        lo, hi = max(0, start - WINDOW), min(len(text), end + WINDOW)
        # Everything below reads text[lo:hi] only: the answer is cached by that window and the match
        # in it (the same wording beside the same characters recurs across articles and queries).
        key = (text[lo:hi], start - lo, end - lo)
        found = self._aligned.get(key)
        if found is not None:
            return found
        # Words of two to four characters that start before the match and end inside it, or the other
        # way; a word common enough to beat the match in a segmentation (rare entries such as 日工
        # seldom do). Most matches have none: this is the hot path of ranking, kept to set lookups.
        crossing = [text[s:e] for s in range(lo, start) for e in range(start + 1, min(end, s + 5))]
        crossing += [text[s:e] for s in range(start + 1, end) for e in range(end + 1, min(hi, s + 4) + 1)]
        result = True
        if not self._crossers.isdisjoint(crossing):
            pos = lo
            for word in self.segment(text[lo:hi]):
                a, b = pos, pos + len(word)
                pos = b
                if (a < start < b < end) or (start < a < end < b):
                    result = False
                    break
        if len(self._aligned) > 100_000:
            self._aligned.clear()
        self._aligned[key] = result
        return result

    def segment_question(self, run: str) -> list[str]:
        """Words of one CJK run of a question: :meth:`segment`, each span of time (:data:`TIME_SPAN`)
        one word, or none when it has no count of its own (上个月 says nothing a law says). Law text
        is never cut this way: matching it is what the rankers were fitted on."""
        words: list[str] = []
        at = 0
        for span in TIME_SPAN.finditer(run):
            words += self.segment(run[at : span.start()])
            words += [span.group()] if span.group("count") else []
            at = span.end()
        return words + self.segment(run[at:]) if at else self.segment(run)

    def segment(self, run: str) -> list[str]:
        """Words of one CJK run, left to right."""
        n = len(run)
        if n <= 1:
            return [run] if run else []
        best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
        logps, unknown = self._logp, self._unknown
        for i in range(n - 1, -1, -1):
            choice = (-math.inf, i + 1)
            for j in range(i + 1, min(n, i + MAX_WORD) + 1):
                logp = logps.get(run[i:j])  # the hot loop of ranking: one lookup, no calls
                if logp is None:
                    if j != i + 1:
                        continue
                    logp = unknown
                score = logp + best[j][0]
                if score > choice[0]:
                    choice = (score, j)
            best[i] = choice
        words, i = [], 0
        while i < n:
            j = best[i][1]
            words.append(run[i:j])
            i = j
        return words


def colloquial_variants(word: str) -> list[str]:
    """Everyday forms the law writes differently: 天 → 日 (每天 → 每日, 当天 → 当日)."""
    out = []
    if len(word) > 1 and "天" in word and word not in ("天然", "天气", "天然气"):
        out.append(word.replace("天", "日"))
    return out
