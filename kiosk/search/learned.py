"""The learned second stage: question-word → article associations and a LambdaMART ranker.

The first stage (:func:`kiosk.search.articles.search_articles`) finds candidates by the words of
the question. Real questions often share no specific word with the article that answers them (三期
vs 孕期/产期/哺乳期), so the second stage adds the articles that questions with the same words were
answered by in the training data (:class:`Associations`: for each question word, how many training
questions holding it cite each article), the article numbers beside the best candidates, the
most-cited articles of the laws the associations point to and, for a long question, the articles of
those laws that best match its words (:meth:`Context.within`), then orders all candidates with a
small LightGBM LambdaMART model over features of the pair: the first stage's score and rank, the
association score (of the article, of its law, of its neighbours) and how much of the question's
word weight the associations know at all, the answers of the most similar training questions, how
often the article and its law answer training questions, how much of the question's words (weighted
by rarity) the article, its title and its headings hold, exactly and with a word said otherwise
counting by how alike: the synonym list's wording as the word itself, a word the laws use alike
(:mod:`kiosk.search.related`, learned from the laws alone) by its cosine; the law's level, and the
article's position and length. Questions longer than a resident's few words are ordered by a second
model fitted on the same rows with other weights (:data:`TEAM_WEIGHT_LONG`).
``bench/select_ranker.py`` chose the settings by nested cross-validation.

Both are fitted by ``bench/train_ranker.py`` from ``stard-train.jsonl`` (and the team's judged
queries) and shipped as two small files in ``kiosk/search/data``; nothing is fetched at run time.
The benchmark fits them on training folds only (:func:`fit`) and scores the held-out fold.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import peewee as pw

from kiosk.search import fts, index
from kiosk.search.analyze import ALL_OF, analyze, clean
from kiosk.search.api import SearchFilters
from kiosk.search.articles import ORDERED_SQL, fetch_numbered, keep_numbered, search_articles
from kiosk.search.catalog import LEVEL_RANK, Catalog, get_catalog
from kiosk.search.evaluation import SHORT_CHARS, Judged, folds
from kiosk.search.lexicon import QUESTION_CUES, STOP_WORDS
from kiosk.search.ranking import ScoredArticle
from kiosk.search.related import covers, neighbours
from kiosk.search.text import fold, is_cjk, light_fold, phrase, runs

if TYPE_CHECKING:
    import lightgbm

DATA = Path(__file__).with_name("data")
ASSOCIATIONS_FILE = DATA / "associations.json"
RANKER_FILE = DATA / "ranker.txt"
LONG_RANKER_FILE = DATA / "ranker-long.txt"

log = logging.getLogger(__name__)

Key = tuple[str, int]  # (law group key, article number): one article across the law's versions
ENGINE_DEPTH = 150  # first-stage candidates the ranker sees
ASSOC_DEPTH = 80  # association candidates added
NEIGHBOUR_SEEDS = 20  # the first stage's and the associations' best few bring their neighbours ...
NEIGHBOUR_SPAN = 2  # ... this many article numbers either side (an answer often sits beside one)
LAW_DEPTH = 3  # the laws the associations point to most bring ...
LAW_ARTICLES = 40  # ... this many of their most-answering articles
NEAREST = 20  # training questions most like the question whose answers are a feature
MIN_QUESTIONS = 2  # a word of one training question only says nothing general
WITHIN_LAWS = 2  # long questions: the laws the associations point to most are searched for ...
WITHIN_ARTICLES = 40  # ... this many of their articles best matching the question's words (bm25)
INNER_FOLDS = 4
# What every fit is seeded with: the inner folds of the association features (training_rows) and
# LightGBM's sampling. The shipped model's; bench/_nested.py scores the choices it compares under
# more than one (two seeds of one engine differ by up to 0.009 in STARD R@10).
SEED = 7
TREES = 150  # LambdaMART: boosting rounds ...
LEAVES = 15  # ... and leaves per tree
# The rest of LightGBM's settings. Each tree sees 80 % of the features and of the rows (drawn anew for
# every tree, from the fixed seed): chosen on 5 December by 4 of the 5 outer folds of a nested CV
# over STARD train (bench/select_boosting.py), against no sampling, larger leaves, pairs within the
# first 10 only, and twice the rate in half the rounds.
BOOSTING: dict[str, float] = {
    "learning_rate": 0.05,
    "min_data_in_leaf": 20,
    "lambdarank_truncation_level": 30,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
}
# Each of the team's judged queries, the only training questions written as residents type them,
# counts this many times a STARD consultation in the loss of the short queries' ranker
# (bench/train_ranker.py). Chosen by cross-validation over those queries (bench/select_team_weight.py,
# whose nested CV says what the choice is worth). Re-checked late on 4 December with the related_* features
# and the long questions' ranker: 64 came out ahead of 16 by less than one query's worth, with the folds'
# own choices scattered over 1, 16 and 64, so 16 stays (docs/benchmarks.md). Since 5 December's seventh
# session the team's queries also hold bench/queries_resident.jsonl (221 in all; 320 since the
# eighth, 425 since the ninth). Re-checked in the ninth with 425, every choice fitted under two
# seeds: all 5 outer folds chose 16 over 8.
TEAM_WEIGHT = 16.0
# Long questions (more than SHORT_CHARS characters, as residents' consultations and STARD's are) are
# ordered by a second ranker fitted on the same rows with the team's queries at this weight: their
# weight above costs long questions what it gives short ones. Chosen by nested cross-validation over
# STARD train among 16 (one ranker for all), 4 and 1 (bench/select_long_weight.py); on 5 December 0
# (the team's short queries still shape the associations, not this ranker's loss) against 1: 3 of
# the 5 outer folds chose 0, nested R@10 0.649 (docs/benchmarks.md).
TEAM_WEIGHT_LONG = 0.0
FEATURES = (
    "engine_score",
    "engine_rank",
    "assoc_score",
    "assoc_rank",
    "article_prior",
    "law_prior",
    "cover_body",
    "cover_title",
    "cover_heading",
    "level",
    "local",
    "position",
    "length",
    "words",
    "law_assoc",
    "law_engine",
    "near_engine",
    "near_assoc",
    "similar",
    "related_body",
    "related_title",
    "related_heading",
    "assoc_known",
)
FEATURE_COUNT = len(FEATURES)  # the first ones the ranker sees (fewer: what the older ones alone do)
STATIC_END = 10  # Context.static_columns(): the features before law_assoc, then the related_* ones


def question_words(catalog: Catalog, text: str) -> list[str]:
    """Content words of a question (segmented by the corpus word list), boilerplate left out."""
    out: list[str] = []
    for run in runs(fold(clean(text))):
        for word in catalog.segmenter.segment_question(run) if is_cjk(run) else [run]:
            if len(word) >= 2 and word not in STOP_WORDS and word not in QUESTION_CUES and word not in out:
                out.append(word)
    return out


def said_otherwise(catalog: Catalog, word: str) -> tuple[tuple[str, float], ...]:
    """The synonym list's single wordings of ``word`` (one of several words joined by + is left to
    the first stage), each as near as the word itself."""
    return tuple((s, 1.0) for s in catalog.synonyms_of(word) if ALL_OF not in s and s != word)


@dataclass
class Associations:
    """Which articles answered training questions holding each word."""

    questions: int
    word_questions: dict[str, int]  # word → training questions holding it
    links: dict[str, dict[Key, int]]  # word → article → of those, the questions citing the article
    article_prior: dict[Key, int]  # article → training questions citing it
    law_prior: dict[str, int]  # law group → training questions citing one of its articles
    examples: list[tuple[list[str], list[Key]]]  # each training question's kept words and answers
    _by_law: dict[str, list[Key]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _by_word: dict[str, list[int]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def fit(cls, items: Iterable[tuple[list[str], set[Key]]]) -> Associations:
        word_q: dict[str, int] = defaultdict(int)
        links: dict[str, dict[Key, int]] = defaultdict(lambda: defaultdict(int))
        art_prior: dict[Key, int] = defaultdict(int)
        law_prior: dict[str, int] = defaultdict(int)
        n = 0
        seen: list[tuple[list[str], list[Key]]] = []
        for words, answers in items:
            n += 1
            keys = sorted(answers)  # a fixed order: the same sums, to the last bit, in every process
            seen.append((words, keys))
            for key in keys:
                art_prior[key] += 1
            for group in dict.fromkeys(k[0] for k in keys):
                law_prior[group] += 1
            for w in words:
                word_q[w] += 1
                for key in keys:
                    links[w][key] += 1
        kept = dict.fromkeys(w for w, c in word_q.items() if c >= MIN_QUESTIONS)
        return cls(
            n,
            {w: word_q[w] for w in kept},
            {w: dict(links[w]) for w in kept},
            dict(art_prior),
            dict(law_prior),
            [([w for w in words if w in kept], keys) for words, keys in seen if keys],
        )

    def law_articles(self, group: str) -> list[Key]:
        """The law's articles that answered training questions, most-answering first."""
        if not self._by_law and self.article_prior:
            for key in sorted(self.article_prior, key=lambda k: (-self.article_prior[k], k)):
                self._by_law.setdefault(key[0], []).append(key)
        return self._by_law.get(group, [])

    def similar(self, words: Sequence[str]) -> dict[Key, float]:
        """Article → share of the question's nearest training questions (by idf of shared words)
        that it answered, each weighted by its similarity."""
        if not self._by_word:
            for i, (ws, _) in enumerate(self.examples):
                for w in ws:
                    self._by_word.setdefault(w, []).append(i)
        sim: dict[int, float] = defaultdict(float)
        for w in dict.fromkeys(words):
            found = self._by_word.get(w)
            if found:
                idf = math.log((self.questions + 1) / (self.word_questions[w] + 0.5))
                for i in found:
                    sim[i] += idf
        near = sorted(sim.items(), key=lambda kv: (-kv[1], kv[0]))[:NEAREST]
        total = sum(v for _, v in near) or 1.0
        out: dict[Key, float] = defaultdict(float)
        for i, v in near:
            for key in self.examples[i][1]:
                out[key] += v / total
        return out

    def score(self, words: Sequence[str]) -> dict[Key, float]:
        """Article → how strongly the question's words point to it (idf-weighted, 0..1)."""
        scores: dict[Key, float] = defaultdict(float)
        total = 0.0
        for w in words:
            n = self.word_questions.get(w)
            if not n:
                continue
            idf = math.log((self.questions + 1) / (n + 0.5))
            total += idf
            for key, c in self.links[w].items():
                scores[key] += idf * c / (n + 1)
        if total:
            for key in scores:
                scores[key] /= total
        return scores

    def to_json(self) -> str:
        def k(key: Key) -> str:
            return f"{key[0]}#{key[1]}"

        return json.dumps(
            {
                "questions": self.questions,
                "word_questions": dict(sorted(self.word_questions.items())),
                "links": {w: {k(key): c for key, c in v.items()} for w, v in sorted(self.links.items())},
                "article_prior": {k(key): c for key, c in sorted(self.article_prior.items())},
                "law_prior": dict(sorted(self.law_prior.items())),
                "examples": [[" ".join(words), [k(key) for key in keys]] for words, keys in self.examples],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Associations:
        raw = json.loads(text)

        def key(s: str) -> Key:
            group, _, number = s.rpartition("#")
            return (group, int(number))

        return cls(
            int(raw["questions"]),
            {str(w): int(c) for w, c in raw["word_questions"].items()},
            {w: {key(s): int(c) for s, c in v.items()} for w, v in raw["links"].items()},
            {key(s): int(c) for s, c in raw["article_prior"].items()},
            {str(g): int(c) for g, c in raw["law_prior"].items()},
            [(str(words).split(), [key(s) for s in keys]) for words, keys in raw["examples"]],
        )


@dataclass
class Candidate:
    art: ScoredArticle
    engine_score: float  # share of the best first-stage score; 0 when the first stage missed it
    engine_rank: int


class Context:
    """One question's first stage and the features that do not depend on what was learned."""

    def __init__(self, db: pw.Database, catalog: Catalog, text: str, articles: Sequence[ScoredArticle]) -> None:
        self.db, self.catalog = db, catalog
        self.words = question_words(catalog, text)
        self.short = len(text) <= SHORT_CHARS  # what decides the ranker (Model.rank)
        self.weights = {w: math.log(1 + catalog.article_rows / (catalog.df.wording(db, w) + 1)) for w in self.words}
        self.candidates: dict[Key, Candidate] = {}
        # An article numbered after another (刑法 第一百三十三条之一, 危险驾驶: 醉驾) shares its key:
        # judged answers (STARD's article_no) name the number alone. The one the first stage ranks
        # higher stands for the key; the other, with its share of the first stage's best score, is
        # ranked by its key's score scaled by how it compares with the one standing for it (rerank),
        # not below everything.
        self.siblings: dict[Key, list[tuple[ScoredArticle, float]]] = {}
        top = articles[0].score if articles and articles[0].score > 0 else 1.0
        for art in articles:
            key = (art.law.group_key, art.number)
            held = self.candidates.get(key)
            if held is not None:
                if held.art.law.id == art.law.id and held.art.sub_number != art.sub_number:
                    self.siblings.setdefault(key, []).append((art, art.score / top))
                continue
            if len(self.candidates) < ENGINE_DEPTH:
                self.candidates[key] = Candidate(art, art.score / top, len(self.candidates) + 1)
        self._static: dict[Key, tuple[float, ...]] = {}
        self._within: dict[tuple[str, int], list[Key]] = {}  # (law group, limit) → Context.within
        # What covers() reads, fixed once the words are known: each word with its weight and the words
        # that say it otherwise (the cover_* and related_* features), and the total weight. The synonym
        # list's wordings come first, as near as the word itself: the first stage found the article by
        # them (养老院 → 养老机构), and an article saying them answers as one saying the word would.
        self._related = [(w, v, (*said_otherwise(catalog, w), *neighbours(w))) for w, v in self.weights.items()]
        self.total_weight = sum(self.weights.values()) or 1.0
        # Law name or heading → its covers (shared by many articles).
        self._covers: dict[str, tuple[float, float]] = {}
        # Folding the text changes no CJK character: only a question with other words needs it.
        self._fold = not all(is_cjk(w) for w in self.words)
        # Each law's share of the first stage's 20 best (law_engine feature).
        best = [k for k, c in self.candidates.items() if c.engine_rank <= 20]
        self.law_engine: dict[str, float] = defaultdict(float)
        for k in best:
            self.law_engine[k[0]] += 1 / len(best)

    def add(self, keys: Iterable[Key]) -> None:
        """Fetch the articles the associations point to that the first stage did not find."""
        wanted: list[tuple[int, int]] = []
        current = self.catalog.current_version
        for group, number in dict.fromkeys(keys):
            if (group, number) in self.candidates:
                continue
            law_id = current(group)
            if law_id is not None:
                wanted.append((law_id, number))
        for art in fetch_numbered(self.db, self.catalog, wanted):
            self.candidates.setdefault((art.law.group_key, art.number), Candidate(art, 0.0, ENGINE_DEPTH + 50))

    def within(self, group: str, limit: int) -> list[Key]:
        """The ``limit`` articles of the law group's current version that best match the question's
        words (FTS5's bm25 over an any-of query), best first; kept for the models of other folds."""
        memo = (group, limit)
        found = self._within.get(memo)
        if found is None:
            found = self._within[memo] = self._search_within(group, limit)
        return found

    def _search_within(self, group: str, limit: int) -> list[Key]:
        law_id = self.catalog.current_version(group)
        words = fts.conjoin([p for w in self.words if (p := phrase(w))], "OR")
        if law_id is None or words is None or limit <= 0:
            return []
        expr = fts.conjoin([words, f"tags : {index.law_tag(law_id)}"])
        rows = [index.split_rowid(r[0]) for r in fts.run(self.db, ORDERED_SQL, [expr, limit])]
        ids = [ref for kind, ref in rows if kind == "article"]
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        sql = f"SELECT id, number FROM article WHERE id IN ({marks}) AND sub_number = 0"
        numbers = dict(fts.run(self.db, sql, ids))
        return [(group, numbers[i]) for i in ids if i in numbers]

    def static_columns(self, keys: Sequence[Key]) -> list[list[float]]:
        """The features of ``keys`` that depend on the question and the article alone, one list per
        feature (each candidate's computed once: every model of a benchmark's folds reads them)."""
        known = self._static
        todo = [k for k in keys if k not in known]
        if todo:
            known.update(zip(todo, self._compute_static(todo), strict=True))
        return [list(column) for column in zip(*(known[k] for k in keys), strict=True)]

    def _shared_covers(self, text: str) -> tuple[float, float]:
        """:func:`covers` of a law name or heading, which many candidates share."""
        found = self._covers.get(text)
        if found is None:
            found = self._covers[text] = covers(text, self._related, self.total_weight)
        return found

    def _compute_static(self, keys: list[Key]) -> list[tuple[float, ...]]:
        out: list[tuple[float, ...]] = []
        related, total, shared = self._related, self.total_weight, self._shared_covers
        words = float(len(self.words))
        for key in keys:
            c = self.candidates[key]
            art = c.art
            law = art.law
            body = light_fold(art.text) if self._fold else art.text
            body_exact, body_related = covers(body, related, total)
            title_exact, title_related = shared(law.name)
            heading_exact, heading_related = shared(art.heading)
            out.append(
                (
                    c.engine_score,
                    float(c.engine_rank),
                    body_exact,
                    title_exact,
                    heading_exact,
                    float(LEVEL_RANK.get(law.level, 5)),
                    float(law.local),
                    art.number / max(1, law.article_count),
                    math.log(1 + len(body)),
                    words,
                    body_related,
                    title_related,
                    heading_related,
                )
            )
        return out


class Model:
    """Associations plus a ranker (and one for long questions); without a ranker, the first stage's
    order is kept."""

    def __init__(
        self, assoc: Associations, booster: lightgbm.Booster | None, long_booster: lightgbm.Booster | None = None
    ) -> None:
        self.assoc = assoc
        self.booster = booster
        self.long_booster = long_booster

    def keep_articles(self, db: pw.Database, catalog: Catalog) -> None:
        """Read the articles this model brings to many questions once, not for every question: those
        that answered training questions (all the associations point to) and their neighbours."""
        if self in catalog.numbered_for:
            return
        catalog.numbered_for.add(self)
        wanted = []
        for group, number in self.assoc.article_prior:
            law_id = catalog.current_version(group)
            if law_id is not None:
                span = range(max(1, number - NEIGHBOUR_SPAN), number + NEIGHBOUR_SPAN + 1)
                wanted += [(law_id, n) for n in span]
        keep_numbered(db, catalog, sorted(wanted))

    def features(self, ctx: Context) -> tuple[list[Key], list[list[float]]]:
        """The candidates and a row of :data:`FEATURES` for each (what the ranker is fitted on)."""
        keys, columns = self.columns(ctx)
        return keys, [list(row) for row in zip(*columns, strict=True)]

    def columns(self, ctx: Context) -> tuple[list[Key], list[list[float]]]:
        """The candidates and, for each of :data:`FEATURES`, its value for every candidate (built a
        column at a time: the same numbers as row by row, in a fraction of the time)."""
        scores = self.assoc.score(ctx.words)
        similar = self.assoc.similar(ctx.words)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:ASSOC_DEPTH]
        law_scores: dict[str, float] = defaultdict(float)
        for k, v in scores.items():
            law_scores[k[0]] += v
        wanted = [k for k, _ in ranked]
        seeds = [k for k, c in ctx.candidates.items() if c.engine_rank <= NEIGHBOUR_SEEDS]
        for group, number in seeds + wanted[:NEIGHBOUR_SEEDS]:
            for d in range(1, NEIGHBOUR_SPAN + 1):
                wanted += [(group, number - d), (group, number + d)] if number > d else [(group, number + d)]
        top_laws = sorted(law_scores, key=lambda g: (-law_scores[g], g))
        for group in top_laws[:LAW_DEPTH]:
            wanted += self.assoc.law_articles(group)[:LAW_ARTICLES]
        if not ctx.short:
            # The answer is often in a law the associations point to, in an article that says some of
            # the question's words but that no training question cited and the first stage, searching
            # all law, ranked too low to see. A long question has the time to search those laws.
            for group in top_laws[:WITHIN_LAWS]:
                wanted += ctx.within(group, WITHIN_ARTICLES)
        ctx.add(wanted)
        assoc_rank = {k: i + 1 for i, (k, _) in enumerate(ranked)}
        # The first stage's candidates in its order, then this model's own additions in the order it
        # asked for them. A context is shared by the models of every fold: another model's additions
        # must neither show up nor move a row, or the same model fitted after other folds would
        # differ (LambdaMART's first trees depend on the order of tied rows).
        keys = [k for k, c in ctx.candidates.items() if c.engine_rank <= ENGINE_DEPTH]
        keys += [
            k for k in dict.fromkeys(wanted) if k in ctx.candidates and ctx.candidates[k].engine_rank > ENGINE_DEPTH
        ]
        return keys, self._columns(ctx, keys, scores, similar, assoc_rank, law_scores) if keys else []

    def _columns(
        self,
        ctx: Context,
        keys: list[Key],
        scores: dict[Key, float],
        similar: dict[Key, float],
        assoc_rank: dict[Key, int],
        law_scores: dict[str, float],
    ) -> list[list[float]]:
        static = ctx.static_columns(keys)
        groups = [group for group, _ in keys]
        candidates = ctx.candidates
        prior, law_prior = self.assoc.article_prior, self.assoc.law_prior
        near_keys = [((g, n - 2), (g, n - 1), (g, n + 1), (g, n + 2)) for g, n in keys]
        near_engine = []
        for near in near_keys:
            found = [candidates[k].engine_score for k in near if k in candidates]
            near_engine.append(max(found) if found else 0.0)
        columns = [
            static[0],
            static[1],
            [scores.get(k, 0.0) for k in keys],
            [float(assoc_rank.get(k, ASSOC_DEPTH + 50)) for k in keys],
            [math.log(1 + prior.get(k, 0)) for k in keys],
            [math.log(1 + law_prior.get(g, 0)) for g in groups],
            *static[2:STATIC_END],
            [law_scores.get(g, 0.0) for g in groups],
            [ctx.law_engine.get(g, 0.0) for g in groups],
            near_engine,
            [max([scores.get(k, 0.0) for k in near]) for near in near_keys],
            [similar.get(k, 0.0) for k in keys],
            *static[STATIC_END:],
            [self._known(ctx)] * len(keys),
        ]
        return columns[:FEATURE_COUNT]

    def _known(self, ctx: Context) -> float:
        """Share of the question's word weight in words the associations know: how far to trust them
        (a word of a few training questions alone should not outweigh the first stage)."""
        known = self.assoc.word_questions
        return sum(v for w, v in ctx.weights.items() if w in known) / ctx.total_weight

    def rank(self, ctx: Context) -> list[tuple[ScoredArticle, float]]:
        keys, columns = self.columns(ctx)
        if not keys:
            return []
        booster = self.booster if ctx.short or self.long_booster is None else self.long_booster
        engine_rank = columns[1]
        if booster is None:
            preds = [-r for r in engine_rank]
        else:
            import numpy as np

            # One feature per row of the array, its transpose one candidate per row: column-major,
            # which LightGBM reads as it is. tolist(): the same float64 values as Python floats,
            # which the sort below compares several times faster than numpy scalars.
            raw = booster.predict(np.array(columns, dtype=np.float64).T, num_threads=1)
            preds = np.asarray(raw, dtype=np.float64).tolist()
        order = sorted(range(len(keys)), key=lambda i: (-preds[i], engine_rank[i], keys[i]))
        return [(ctx.candidates[keys[i]].art, float(preds[i])) for i in order]

    def rank_keys(self, pool: CandidatePool, text: str) -> list[tuple[str, int] | None]:
        """(law source, article number) in the ranker's order: what the benchmark scores."""
        return [(art.law.source, art.number) for art, _ in self.rank(pool.context(text))]


# --- fitting ---------------------------------------------------------------------------------------


class CandidatePool:
    """First-stage results per question, computed once and shared by every fold (benchmark, training)."""

    def __init__(self, db: pw.Database) -> None:
        self.db = db
        self.catalog = get_catalog(db)
        self._contexts: dict[str, Context] = {}

    def context(self, text: str) -> Context:
        if text not in self._contexts:
            plan = analyze(text, self.catalog.segmenter, self.catalog.synonyms_of, self.catalog.is_place)
            budget = fts.Budget(30.0)
            with fts.budgeted(self.db, budget):
                articles = search_articles(self.db, self.catalog, plan, SearchFilters(), budget)
            self._contexts[text] = Context(self.db, self.catalog, text, articles)
        return self._contexts[text]

    def candidates(self, text: str) -> Context:
        return self.context(text)

    def engine_keys(self, text: str) -> list[tuple[str, int] | None]:
        ctx = self.context(text)
        keys: list[tuple[str, int] | None] = [
            (c.art.law.source, c.art.number) for c in ctx.candidates.values() if c.engine_rank <= ENGINE_DEPTH
        ]
        return keys[:100]

    def wanted(self, judged: Judged) -> set[Key]:
        """The judged answers as article keys of this database's laws."""
        by_source = {law.source: law for law in self.catalog.laws.values()}
        out = set()
        for w in judged.wanted:
            if w.grade < 2:
                continue
            for path in w.paths:
                law = by_source.get(path)
                if law is not None:
                    out.add((law.group_key, w.article_no))
                    break
        return out


def fit_associations(pool: CandidatePool, train: Sequence[Judged]) -> Associations:
    return Associations.fit((pool.context(q.query).words, pool.wanted(q)) for q in train)


@dataclass
class TrainingRows:
    """What a ranker is fitted on: associations from the training questions, and each training
    question's candidates with the features they get from associations fitted without it (inner
    folds), so the ranker learns how far to trust them on new questions."""

    assoc: Associations
    rows: list[list[float]]
    labels: list[int]
    groups: list[int]  # candidates per question, in order
    questions: list[str]  # the id of each group's question


def training_rows(pool: CandidatePool, train: Sequence[Judged]) -> TrainingRows:
    rows: list[list[float]] = []
    labels: list[int] = []
    groups: list[int] = []
    questions: list[str] = []
    for part in folds(train, INNER_FOLDS, SEED):
        inside = set(id(q) for q in part)
        inner = Model(fit_associations(pool, [q for q in train if id(q) not in inside]), None)
        for q in part:
            wanted = pool.wanted(q)
            keys, feats = inner.features(pool.context(q.query))
            marks = [int(k in wanted) for k in keys]
            if not any(marks):
                continue  # no answer among the candidates: nothing to learn about their order
            rows += feats
            labels += marks
            groups.append(len(keys))
            questions.append(q.id)
    return TrainingRows(fit_associations(pool, train), rows, labels, groups, questions)


def train_booster(data: TrainingRows, weights: Mapping[str, float] | None = None) -> lightgbm.Booster:
    """LambdaMART over ``data``; ``weights``: question id → how much its ranking counts in the loss
    (1 when absent; without weights LightGBM fits as it always did, and weights of 1 give the same
    trees: tested)."""
    import lightgbm as lgb
    import numpy as np

    params = {
        "objective": "lambdarank",
        "metric": "ndcg",
        "ndcg_eval_at": [10],
        "num_leaves": LEAVES,
        **BOOSTING,
        "num_threads": 1,
        "deterministic": True,
        "force_row_wise": True,
        "seed": SEED,
        "verbose": -1,
    }
    row_weights = None
    if weights:
        row_weights = np.repeat([weights.get(q, 1.0) for q in data.questions], data.groups)
    dataset = lgb.Dataset(
        np.asarray(data.rows, dtype=np.float64), label=np.asarray(data.labels), group=data.groups, weight=row_weights
    )
    dataset.feature_name = list(FEATURES[:FEATURE_COUNT])
    return lgb.train(params, dataset, num_boost_round=TREES)


def fit(
    pool: CandidatePool,
    train: Sequence[Judged],
    weights: Mapping[str, float] | None = None,
    long_weights: Mapping[str, float] | None = None,
) -> Model:
    """Associations and the ranker from ``train`` (:func:`training_rows`, :func:`train_booster` with
    ``weights``); with ``long_weights``, a second ranker on the same rows for long questions."""
    data = training_rows(pool, train)
    if not data.groups:
        return Model(data.assoc, None)
    booster = train_booster(data, weights)
    long_booster = None if long_weights is None else train_booster(data, long_weights)
    return Model(data.assoc, booster, long_booster)


def fit_as_shipped(pool: CandidatePool, stard: Sequence[Judged], team: Sequence[Judged]) -> Model:
    """:func:`fit` as ``bench/train_ranker.py`` fits the shipped model: the team's queries count
    :data:`TEAM_WEIGHT` times a STARD question, and :data:`TEAM_WEIGHT_LONG` times in the ranker
    for long questions (none when the two are equal)."""
    weights, long_weights = shipped_weights(team)
    return fit(pool, [*stard, *team], weights=weights, long_weights=long_weights)


def shipped_weights(team: Sequence[Judged]) -> tuple[dict[str, float], dict[str, float] | None]:
    """(the ranker's weights, the long questions' ranker's or None when the same) of the team's
    queries, as the shipped model is fitted."""
    weights = {q.id: TEAM_WEIGHT for q in team}
    return weights, None if TEAM_WEIGHT_LONG == TEAM_WEIGHT else {q.id: TEAM_WEIGHT_LONG for q in team}


# --- run time --------------------------------------------------------------------------------------

_lock = threading.Lock()
_shipped: list[Model | None] = []
_override: list[Model | None] = []


@contextmanager
def using(model: Model | None) -> Iterator[None]:
    """Search with ``model`` instead of the shipped one (benchmarks of a model fitted on some folds)."""
    _override.append(model)
    try:
        yield
    finally:
        _override.pop()


def shipped() -> Model | None:
    """The model in ``kiosk/search/data`` (loaded once); None when the files are missing."""
    if _override:
        return _override[-1]
    with _lock:
        if not _shipped:
            _shipped.append(_load(ASSOCIATIONS_FILE, RANKER_FILE))
        return _shipped[0]


def _load(assoc_path: Path, ranker_path: Path, long_path: Path = LONG_RANKER_FILE) -> Model | None:
    try:
        assoc = Associations.from_json(assoc_path.read_text(encoding="utf-8"))
        model_text = ranker_path.read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError):
        return None
    try:
        long_text: str | None = long_path.read_text(encoding="utf-8")
    except OSError:
        long_text = None  # one ranker for every question
    import lightgbm as lgb

    booster = lgb.Booster(model_str=model_text)
    long_booster = lgb.Booster(model_str=long_text) if long_text else None
    for path, ranker in ((ranker_path, booster), (long_path, long_booster)):
        if ranker is not None and ranker.num_feature() != FEATURE_COUNT:
            # A ranker fitted on other features would fail every search (LightGBM refuses the rows):
            # the first stage's order is a worse answer, but an answer.
            log.error(
                "%s reads %d features, this engine computes %d: searching in the first stage's order "
                "until the ranker is refitted (bench/train_ranker.py)",
                path,
                ranker.num_feature(),
                FEATURE_COUNT,
            )
            return None
    return Model(assoc, booster, long_booster)


def save(
    model: Model,
    assoc_path: Path = ASSOCIATIONS_FILE,
    ranker_path: Path = RANKER_FILE,
    long_path: Path = LONG_RANKER_FILE,
) -> None:
    assoc_path.write_text(model.assoc.to_json(), encoding="utf-8")
    if model.booster is not None:
        ranker_path.write_text(model.booster.model_to_string(), encoding="utf-8")
    if model.long_booster is not None:
        long_path.write_text(model.long_booster.model_to_string(), encoding="utf-8")
    else:
        long_path.unlink(missing_ok=True)


def rerank(
    db: pw.Database, catalog: Catalog, text: str, articles: list[ScoredArticle], model: Model
) -> list[ScoredArticle]:
    """The first stage's articles (and the associations' own) in the ranker's order, scores in (0, 1]."""
    ctx = Context(db, catalog, text, articles)
    ranked = model.rank(ctx)
    if not ranked:
        return articles
    best = ranked[0][1]
    out = []
    seen = set()
    for art, pred in ranked:
        art.score = math.exp(min(0.0, pred - best))
        out.append(art)
        seen.add(art.id)
    for art in list(out):
        key = (art.law.group_key, art.number)
        held = ctx.candidates[key]  # every ranked article stands for its key
        for sibling, share in ctx.siblings.get(key, []):
            if sibling.id not in seen and held.engine_score > 0:
                sibling.score = art.score * min(1.0, share / held.engine_score)
                out.append(sibling)
                seen.add(sibling.id)
    out.sort(key=lambda a: -a.score)  # stable: the ranker's order among equal scores
    floor = out[-1].score
    for art in articles:
        if art.id not in seen:  # below the ranker's horizon: kept, after everything it ranked
            art.score *= 1e-6 * floor
            out.append(art)
    return out
