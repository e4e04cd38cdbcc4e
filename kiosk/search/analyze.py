"""From what a resident typed to a query plan: concepts with their alternative wordings.

A *concept* is one content word of the query with the wordings that may stand for it in the law
text: itself; from the synonym table, the legal terms residents mean by it (老公 → 配偶, 夫妻); and,
for a compound the law may write apart (拖欠工资 → 拖欠…劳动报酬, 夫妻共同财产 → 夫妻的共同财产), its
parts, all required. Question words (怎么办, 什么是, 哪些, 谁…) are dropped from the concepts but
remembered as a *cue* of the kind of answer wanted (a definition, a list, a time limit…).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from kiosk.search.lexicon import (
    QUESTION_CUES,
    STOP_WORDS,
    TIME_SPAN,
    WEAK_WORDS,
    Segmenter,
    base_lexicon,
    colloquial_variants,
)
from kiosk.search.text import fold, is_cjk, runs

#: Residents do not type essays; a longer input is cut (it is also where pasted junk ends up).
MAX_QUERY_CHARS = 120
#: Not a cap on what counts (each concept is weighed by its rarity, see ``ranking.concept_weight``),
#: a bound against pasted junk: a 120-character question rarely holds more than 20 content words.
MAX_CONCEPTS = 24
MAX_ALTS = 8
SYNONYM_WEIGHTS = (0.9, 0.7, 0.55, 0.45)
PARTS_WEIGHT = 0.7  # a compound found only as its separate parts
ALL_OF = "+"  # in a synonym's legal term: words that must all be there (欺诈+商品)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def indexable(wording: str) -> bool:
    """Whether the bigram index can match the wording (a lone Chinese character has no bigram)."""
    return len(wording) > 1 or not is_cjk(wording)


@dataclass(frozen=True)
class Alt:
    """One way a concept may be written: every part present, each part in any of its wordings."""

    parts: tuple[tuple[str, ...], ...]
    weight: float

    @property
    def simple(self) -> str | None:
        return self.parts[0][0] if len(self.parts) == 1 and len(self.parts[0]) == 1 else None

    @property
    def wordings(self) -> tuple[str, ...]:
        return tuple(w for part in self.parts for w in part)

    @property
    def searchable(self) -> bool:
        return all(any(indexable(w) for w in part) for part in self.parts)


@dataclass(frozen=True)
class Concept:
    text: str  # the word as typed (folded)
    alts: tuple[Alt, ...]  # the word itself first
    group: int  # index of the contiguous stretch of the query it came from
    weak: bool = False  # a filler word kept only because nothing else was typed
    place: bool = False  # names a province or city

    @property
    def searchable(self) -> tuple[Alt, ...]:
        return tuple(a for a in self.alts if a.searchable)

    @property
    def wordings(self) -> list[str]:
        return [w for a in self.alts for w in a.wordings]


@dataclass
class QueryPlan:
    raw: str
    folded: str
    concepts: list[Concept] = field(default_factory=list)
    cues: set[str] = field(default_factory=set)
    latin: list[str] = field(default_factory=list)  # Latin words: pinyin keys or codes like 5g

    @property
    def empty(self) -> bool:
        return not self.concepts and not self.latin


def clean(text: str) -> str:
    """Drop control and invisible characters; cap the length."""
    text = _CONTROL.sub(" ", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in " \t")
    return text[: MAX_QUERY_CHARS * 2]


@lru_cache(maxsize=1)
def _base_segmenter() -> Segmenter:
    """Segmentation by general words only: splits compounds the domain lexicon keeps whole."""
    return Segmenter()


def analyze(
    raw: str,
    segmenter: Segmenter,
    synonyms: Callable[[str], list[str]],
    places: Callable[[str], bool] = lambda word: False,
) -> QueryPlan:
    folded = fold(clean(raw))[:MAX_QUERY_CHARS]
    plan = QueryPlan(raw=raw, folded=folded)
    words: list[tuple[str, int]] = []  # (word, group)
    for group, run in enumerate(runs(folded)):
        if is_cjk(run):
            for clause in _clauses(run):
                words.extend((w, group) for w in _merge_synonym_spans(segmenter.segment_question(clause), synonyms))
        else:
            words.append((run, group))
            plan.latin.append(run)
    content: list[tuple[str, int]] = []
    for word, group in words:
        cue = QUESTION_CUES.get(word)
        if cue:
            plan.cues.add(cue)
        elif word not in STOP_WORDS and not TIME_SPAN.fullmatch(word):
            # A span of time (两个月没发工资) is a detail of the case, not what the law is asked about:
            # as a concept its rare bigrams fetched articles on deadlines (审限两个月).
            content.append((word, group))
    weak = False
    if not content:
        # Only filler words: search for the weak ones (or the span of time, 三个月) rather than for nothing.
        content = [(w, g) for w, g in words if w in WEAK_WORDS or TIME_SPAN.fullmatch(w)]
        weak = True
    seen: set[str] = set()
    for i, (word, group) in enumerate(content):
        if word in seen:
            continue
        seen.add(word)
        following = content[i + 1][0] if i + 1 < len(content) and content[i + 1][1] == group else ""
        alts = _alternatives(word, synonyms, following)
        plan.concepts.append(Concept(word, tuple(alts), group, weak=weak, place=places(word)))
        if len(plan.concepts) >= MAX_CONCEPTS:
            break
    return plan


#: Sentence particles: 吗 and 呢 end a question wherever they stand (还有效吗 → 还有效 | 吗, not the
#: word 有效吗), the others only at the end of what was typed.
_PARTICLES = re.compile(r"吗(?!啡)|呢(?![绒子])")
_FINAL_PARTICLES = "吧啊呀嘛哦呗啦哈"


def _clauses(run: str) -> list[str]:
    """A CJK run without its sentence particles, cut where they stood."""
    parts = [p for p in _PARTICLES.split(run) if p]
    if parts:
        parts[-1] = parts[-1].rstrip(_FINAL_PARTICLES)
    return [p for p in parts if p]


def expansions_of(word: str, synonyms: Callable[[str], list[str]]) -> list[str]:
    found = synonyms(word) or colloquial_variants(word)
    return [fold(w) for w in found if fold(w) and fold(w) != word]


def _alternatives(word: str, synonyms: Callable[[str], list[str]], following: str) -> list[Alt]:
    alts = [Alt(((word,),), 1.0)]
    for i, expansion in enumerate(expansions_of(word, synonyms)):
        weight = SYNONYM_WEIGHTS[min(i, len(SYNONYM_WEIGHTS) - 1)]
        if ALL_OF in expansion:
            # 欺诈+商品: legal words that together say what the resident's word says, all required.
            together = tuple((w,) for w in expansion.split(ALL_OF) if indexable(w))
            if len(together) > 1 and all(a.parts != together for a in alts):
                alts.append(Alt(together, weight))
            continue
        if following and following in expansion:
            # 租房 → 租赁合同 when 合同 follows: the next concept says 合同, this one keeps 租赁.
            expansion = expansion.replace(following, "")
        if len(expansion) >= 2 and all(a.simple != expansion for a in alts):
            alts.append(Alt(((expansion,),), weight))
    # The word as typed may be written apart in the law (拖欠工资 → 拖欠…劳动报酬); the legal terms
    # of the synonym table are taken as written.
    parts = _parts(word, synonyms)
    if parts:
        alts.append(Alt(parts, PARTS_WEIGHT))
    return alts[:MAX_ALTS]


def _parts(word: str, synonyms: Callable[[str], list[str]]) -> tuple[tuple[str, ...], ...] | None:
    """A compound's general words, each with its own wordings (拖欠工资 → 拖欠 + 工资/劳动报酬)."""
    if len(word) < 3 or not is_cjk(word):
        return None
    pieces = [p for p in _split(word, synonyms) if p not in STOP_WORDS]
    if len(pieces) < 2:
        return None
    parts = []
    for piece in pieces:
        wordings = tuple(w for w in (piece, *expansions_of(piece, synonyms)[:3]) if indexable(w) and ALL_OF not in w)
        if wordings:
            parts.append(wordings)
    if len(parts) < 2:
        return None  # one piece alone is another word (会员 of 会员卡), not the compound written apart
    return tuple(parts)


def _split(word: str, synonyms: Callable[[str], list[str]]) -> list[str]:
    """General words of a compound; a compound the word list knows whole is cut where both sides
    are words (拖欠工资 → 拖欠/工资, 加班费 → 加班/费)."""
    pieces = _base_segmenter().segment(word)
    if len(pieces) > 1:
        return pieces
    lexicon = base_lexicon()
    best: tuple[tuple[int, int], list[str]] | None = None
    for cut in range(1, len(word)):
        left, right = word[:cut], word[cut:]
        known = [p for p in (left, right) if len(p) > 1 and p in lexicon]
        if known and all(len(p) == 1 or p in lexicon for p in (left, right)):
            # A lone verb the law says in two (开 → 开具 in the synonym list: 开|发票, not 开发|票) marks
            # the cut.
            verb = int(len(left) == 1 and bool(synonyms(left)))
            value = (verb, min(lexicon.get(p, 0) for p in known))
            if best is None or value > best[0]:
                best = (value, [left, right])
    return best[1] if best else pieces


def _merge_synonym_spans(words: list[str], synonyms: Callable[[str], list[str]]) -> list[str]:
    """Join neighbouring words that together are a synonym term (打/老婆 → 打老婆), also across the
    的 of a relative clause (美容院办的卡 → 办卡, 老板欠的工资 → 欠工资): apart, each half is a lone
    character or a general word that says nothing of the matter."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for span in (3, 2):
            if i + span <= len(words):
                joined = "".join(words[i : i + span])
                if synonyms(joined):
                    out.append(joined)
                    i += span
                    break
        else:
            if i + 2 < len(words) and words[i + 1] == "的" and synonyms(words[i] + words[i + 2]):
                out.append(words[i] + words[i + 2])
                i += 3
                continue
            out.append(words[i])
            i += 1
    return out
