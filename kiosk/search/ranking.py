"""How the first stage ranks an article it found: pure Python over the article's text, no SQL.

A candidate (see :mod:`kiosk.search.articles`) is scored by how much of the query it covers (each
concept weighted by its rarity), where the words are (law title, section heading, article body), how
close together, whether the article answers the kind of question asked (a definition for 什么是, a list
for 哪些…), and priors: law before local regulation unless the query names a place, in-force before
amended or repealed. :func:`diversify` then lets other laws through. The second stage, a learned
re-ranker, is :mod:`kiosk.search.learned`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from kiosk.law_vocabulary import (
    ADMINISTRATIVE_REGULATION,
    AMENDED,
    CONSTITUTION,
    DEPARTMENTAL_RULE,
    IN_FORCE,
    JUDICIAL_INTERPRETATION,
    LAW,
    LOCAL_REGULATION,
    NOT_YET_IN_FORCE,
    OTHER_LEVEL,
    REPEALED,
)
from kiosk.search.analyze import Alt, Concept, QueryPlan, indexable
from kiosk.search.catalog import Catalog, LawInfo
from kiosk.search.lexicon import Segmenter
from kiosk.search.text import is_cjk, light_fold

AVG_LEN = 130  # characters in an average article
K1 = 0.8
LENGTH_B = 0.6  # BM25's b: how much a long article's many words count against it

LEVEL_PRIOR = {
    CONSTITUTION: 1.0,
    LAW: 1.0,
    JUDICIAL_INTERPRETATION: 0.88,
    ADMINISTRATIVE_REGULATION: 0.88,
    DEPARTMENTAL_RULE: 0.75,
    OTHER_LEVEL: 0.7,
    LOCAL_REGULATION: 0.6,
}
WEIGHT_POWER = 0.8  # rare words count more, but one rare word must not outweigh the rest of the question
TITLE_CREDIT = 0.35
NAMED_CREDIT = 1.0  # the concept is most of the law's name
NAMED_SHARE = 0.5
NARROWER_MIN = 3  # 事故 under 交通事故 is what residents mean; 租赁合同 under 融资租赁合同 is not
HEADING_CREDIT = 0.2
OTHER_WORDINGS = 0.25  # credit for further wordings of a concept found beside the best one
PHRASE_BOOST = 1.15  # words typed together found together
LEAD_BOOST = 1.1  # first article of a section whose heading names the concept
DEFINITION_BOOST = 1.6
LIST_BOOST = 1.3
SAME_LAW_DECAY = 0.9
SAME_LAW_FREE = 3  # articles of one law that keep their score before the decay starts
TOPIC_SENTENCE_BOOST = 1.15
TITLE_SPECIFICITY = 0.02
STATUS_PRIOR = {IN_FORCE: 1.0, NOT_YET_IN_FORCE: 0.95, AMENDED: 0.7, REPEALED: 0.6}
CUE_PATTERNS = {
    "define": (re.compile(r"是指|所称|称为"), 1.1),
    "list": (re.compile(r"下列|以下|包括|（一）|\(一\)"), 1.15),
    "duration": (re.compile(r"[\d一二三四五六七八九十百两]+(?:日|天|个月|周年|年|小时)"), 1.2),
    "who": (re.compile(r"责任|承担|负责|赔偿"), 1.1),
    "where": (re.compile(r"机构|部门|法院|申请|向"), 1.05),
    "amount": (re.compile(r"标准|倍|费用|金额|数额|比例"), 1.1),
    "remedy": (re.compile(r"申请|起诉|仲裁|投诉|举报|调解|诉讼|请求"), 1.1),
}


#: One candidate as :func:`kiosk.search.articles.fetch_rows` reads it: (id, law id, section id,
#: position, label, number, sub number, text, section path).
ArticleRow = tuple[int, int, int | None, int, str, int, int, str, str]


@dataclass
class ScoredArticle:
    id: int
    law: LawInfo
    label: str
    number: int
    sub_number: int
    text: str
    score: float
    wordings: list[str] = field(default_factory=list)  # what matched, for the snippet
    heading: str = ""  # section path (folded), for the second stage


def rank(
    rows: Sequence[ArticleRow],
    leads: dict[int, int],
    catalog: Catalog,
    plan: QueryPlan,
    concepts: list[Concept],
    weights: dict[str, float],
    places: list[str],
) -> list[ScoredArticle]:
    """The candidates that match at all, best first; ``leads`` is section id → position of its first article."""
    scored = []
    query = _Query(concepts, weights, plan.cues, places, catalog.segmenter, plan.folded)
    for art_id, law_id, section_id, position, label, number, sub, text, heading in rows:
        law = catalog.laws.get(law_id)
        if law is None:
            continue
        score, wordings = query.score(text, heading, law)
        if score > 0 and section_id and leads.get(section_id) == position and any(w in heading for w in wordings):
            score *= LEAD_BOOST
        if score > 0:
            scored.append(ScoredArticle(art_id, law, label, number, sub, text, score, wordings, heading))
    scored.sort(key=lambda a: (-a.score, a.law.id, a.number, a.sub_number))
    return diversify(scored)


def concept_weight(rows: int, df: int) -> float:
    """How much a concept counts: the rarer in the article index, the more telling."""
    return float(math.log(1 + rows / (df + 1)) ** WEIGHT_POWER)


def diversify(scored: list[ScoredArticle]) -> list[ScoredArticle]:
    """Let other laws through: past its first few, each article of one law counts less than the last.

    A resident's question usually spans a main statute and its regulations; ten articles of one
    regulation push the statute's answer off the first screen. The first few of a law keep their
    score: the answer is often the second or third article of the law that matches best.
    """
    seen: dict[int, int] = {}
    for art in scored:
        k = seen.get(art.law.id, 0)
        seen[art.law.id] = k + 1
        art.score *= SAME_LAW_DECAY ** max(0, k + 1 - SAME_LAW_FREE)
    scored.sort(key=lambda a: (-a.score, a.law.id, a.number, a.sub_number))
    return scored


def _positions(body: str, wording: str, words: Segmenter | None, start: int, cap: int = 12) -> list[int]:
    """Where ``wording`` stands in ``body`` as words of its own (see :meth:`Segmenter.aligned`), from
    its first occurrence ``start`` on (found by the caller, which skips the call when there is none)."""
    out: list[int] = []
    while start >= 0 and len(out) < cap:
        if words is None or words.aligned(body, start, start + len(wording)):
            out.append(start)
        start = body.find(wording, start + 1)
    return out


@lru_cache(maxsize=4096)
def _cjk(wording: str) -> bool:
    return is_cjk(wording)


def _narrower(heading: str, wording: str, words: Segmenter | None) -> list[str]:
    """Longer terms of the section heading that end in ``wording`` (典型合同 融资租赁合同: 融资租赁合同)."""
    if len(wording) < NARROWER_MIN or words is None or wording not in heading:
        return []
    out = []
    start = heading.find(wording)
    while start >= 0:
        if start >= 2 and words.known(heading[start - 2 : start]):
            out.append(heading[start - 2 : start + len(wording)])
        else:
            return []  # the heading also says the word itself (典型合同 租赁合同)
        start = heading.find(wording, start + 1)
    return out


#: One wording of an alt as scoring reads it: (wording, segmenter that checks its alignment or None,
#: long enough to have a narrower term in a heading).
_Wording = tuple[str, Segmenter | None, bool]


def _parts(alt: Alt, words: Segmenter | None) -> tuple[tuple[_Wording, ...], ...]:
    """``alt.parts`` with what matching decides of each wording alone, decided once per query."""
    return tuple(
        tuple((w, words if len(w) > 1 and _cjk(w) else None, len(w) >= NARROWER_MIN) for w in part)
        for part in alt.parts
    )


def _parts_match(
    parts: tuple[tuple[_Wording, ...], ...], body: str, title: str, heading: str, words: Segmenter | None, typed: str
) -> tuple[int, bool, bool, list[int], list[str]]:
    """(occurrences in the body, in the title, in the heading, positions, wordings found) of one alt."""
    tf = 10**9
    in_title = in_head = True
    positions: list[int] = []
    found: list[str] = []
    for part in parts:
        part_tf = 0
        part_title = part_head = False
        for wording, aligner, narrow in part:
            first = body.find(wording)
            hits = _positions(body, wording, aligner, first) if first >= 0 else []
            h = bool(heading) and wording in heading
            if h and narrow:
                narrower = [n for n in _narrower(heading, wording, words) if n not in typed]
                if narrower:
                    # The section is about a narrower term (融资租赁合同 for 租赁合同): where the article
                    # says that term, it does not say the resident's word.
                    hits = [i for i in hits if not any(body.startswith(n, i - len(n) + len(wording)) for n in narrower)]
                    h = False
            t = wording in title
            if hits or t or h:
                found.append(wording)
            part_tf += len(hits)
            positions += hits
            part_title |= t
            part_head |= h
        if not (part_tf or part_title or part_head):
            return 0, False, False, [], []
        tf = min(tf, part_tf)
        in_title &= part_title
        in_head &= part_head
    return tf, in_title, in_head, positions, found


class _Query:
    """What scoring an article needs of the query, worked out once for all its candidates."""

    def __init__(
        self,
        concepts: list[Concept],
        weights: dict[str, float],
        cues: set[str],
        places: list[str],
        words: Segmenter | None,
        typed: str,
    ) -> None:
        self.weights, self.places, self.words, self.typed = weights, places, words, typed
        self.total = sum(weights.values()) or 1.0
        # Per concept, per alt: (prepared parts, the wordings of its first part, the alt's one wording
        # or None, its weight factor).
        self.concepts = [
            (
                c.text,
                [
                    (_parts(alt, words), alt.parts[0], alt.simple, alt.weight * (0.4 if _single(alt) else 1.0))
                    for alt in c.alts
                ],
            )
            for c in concepts
        ]
        self.phrases = [a.text + b.text for a, b in itertools.pairwise(concepts) if a.group == b.group]
        self.cues = [(cue, _cue_test(cue, concepts)) for cue in cues]  # the set's own order: same products
        self.priors: dict[int, float] = {}  # law id → _law_prior (many candidates share a law)

    def score(self, text: str, heading: str, law: LawInfo) -> tuple[float, list[str]]:
        """(score, wordings found) of one article."""
        body = light_fold(text)
        norm = (1 - LENGTH_B) + LENGTH_B * len(body) / AVG_LEN
        total = self.total
        weights, words, typed, name = self.weights, self.words, self.typed, law.name
        gained = covered = 0.0
        wordings: list[str] = []
        spots: list[list[int]] = []
        claimed: set[str] = set()
        for concept, alts in self.concepts:
            options = []
            for parts, first_part, simple, factor in alts:
                # Most alts are nowhere in the article; _parts_match would find nothing in their first
                # part and stop there (found empty). Those are skipped without the call.
                for wording in first_part:
                    if wording in body or wording in name or wording in heading:
                        break
                else:
                    continue
                tf, in_title, in_head, where, found = _parts_match(parts, body, name, heading, words, typed)
                if not found:
                    continue
                s = tf * (K1 + 1) / (tf + K1 * norm) if tf else 0.0
                if in_title and simple is not None and len(simple) >= NAMED_SHARE * len(name):
                    # The law is named after the concept (国家赔偿 → 国家赔偿法): each of its articles is
                    # about it, said or not, as much as one that says it once.
                    s += NAMED_CREDIT + HEADING_CREDIT * in_head
                else:
                    s += TITLE_CREDIT * in_title + HEADING_CREDIT * in_head
                s *= factor
                if s > 0:
                    # A wording another concept already used counts half: 欺诈 for both 假货 and 退一赔三
                    # is one piece of evidence, not two.
                    if claimed.intersection(found):
                        s *= 0.5
                    options.append((s, where, found))
            if not options:
                continue
            options.sort(key=lambda o: -o[0])
            best = options[0][0]
            extra = sum(o[0] for o in options[1:])
            for option in options:
                wordings += option[2]
            claimed.update(options[0][2])
            gained += weights[concept] * (best + OTHER_WORDINGS * min(extra, best))
            covered += weights[concept]
            where = sorted(p for o in options for p in o[1])
            if where:
                spots.append(where)
        if not gained:
            return 0.0, []
        coverage = covered / total
        score = gained / total * (0.2 + 0.8 * coverage**2)
        if len(spots) > 1:
            span = _min_span(spots)
            score *= 1 + 0.35 * max(0.0, 1 - span / 80)
        if spots and coverage == 1.0:
            # An article states its rule in its first sentence; the query's every concept there is the
            # article being about it, however long the details that follow.
            first = _first_sentence_end(body)
            if all(min(where) < first for where in spots):
                score *= TOPIC_SENTENCE_BOOST
        for joined in self.phrases:
            if joined in body:
                score *= PHRASE_BOOST
        score *= self.cue_boost(body)
        prior = self.priors.get(law.id)
        if prior is None:
            prior = self.priors[law.id] = _law_prior(law, self.places)
        score *= prior
        if len(body) < 12:
            score *= 0.5  # "（删除）" and similar stubs
        return score, wordings

    def cue_boost(self, body: str) -> float:
        boost = 1.0
        for cue, test in self.cues:
            # The article that lists (defines) the very thing asked about: 公证机构办理下列公证事项,
            # 本法所称家庭暴力，是指…
            if test is not None and any(p.search(body) for p in test[0]):
                boost *= test[1]
                continue
            pattern, factor = CUE_PATTERNS[cue]
            if pattern.search(body):
                boost *= factor
        return boost


def _single(alt: Alt) -> bool:
    """A lone character: no bigram in the index found it, so it counts less."""
    return alt.simple is not None and not indexable(alt.simple)


def _cue_test(cue: str, concepts: list[Concept]) -> tuple[list[re.Pattern[str]], float] | None:
    """For the list and define cues: patterns of the concepts' own list or definition, and the boost."""
    if cue not in ("list", "define"):
        return None
    terms = [w for c in concepts for w in c.wordings if len(w) > 1]
    if cue == "list":
        return [re.compile(rf"下列[^。；]{{0,8}}?{re.escape(w)}") for w in terms], LIST_BOOST
    return [
        re.compile(rf"所称{re.escape(w)}|{re.escape(w)}[，,]?(?:是指|指的是|，指)") for w in terms
    ], DEFINITION_BOOST


def _law_prior(law: LawInfo, places: list[str]) -> float:
    prior = STATUS_PRIOR.get(law.status, 0.6) * (1.0 if law.is_current else 0.9)
    if places:
        if law.of_place(places):
            return prior * 1.1
        return prior * (0.85 if not law.local else 0.55)
    # A long title names a narrow subject (大中型水利水电工程建设征地补偿和移民安置条例): a resident's
    # general question is answered first by the general statute (土地管理法).
    length = len(law.name.removeprefix("中华人民共和国"))
    general = 1 / (1 + TITLE_SPECIFICITY * max(0, length - 10))
    return prior * LEVEL_PRIOR.get(law.level, 0.75) * general


def _first_sentence_end(body: str) -> int:
    ends = [i for i in (body.find("。"), body.find("\n"), body.find("；")) if i >= 0]
    return min(ends) if ends else len(body)


def _min_span(spots: list[list[int]]) -> int:
    """Smallest window of the body holding one occurrence of every matched concept."""
    events = sorted((pos, i) for i, positions in enumerate(spots) for pos in positions)
    need = len(spots)
    counts: dict[int, int] = {}
    best = 10**9
    left = 0
    for pos, i in events:
        counts[i] = counts.get(i, 0) + 1
        while len(counts) == need:
            best = min(best, pos - events[left][0])
            j = events[left][1]
            counts[j] -= 1
            if not counts[j]:
                del counts[j]
            left += 1
    return best
