"""Search for the screens: results grouped by kind, snippets split into plain and highlighted runs.

The engine lives in ``kiosk.search.query`` (another package); it is imported on first use so a
terminal whose engine is missing or broken still starts and shows 「搜索暂不可用」.
"""

from __future__ import annotations

import importlib
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import peewee as pw

from kiosk.search.api import HIGHLIGHT_END, HIGHLIGHT_START, KINDS, SearchFilters, SearchHit

if TYPE_CHECKING:
    from kiosk.services.directory import DirectoryService

log = logging.getLogger(__name__)

KIND_LABELS = {
    "law": "法律法规",
    "article": "法条",
    "case": "案例",
    "guide": "办事指南",
    "institution": "服务机构",
    "person": "法律服务人员",
}
#: The order groups are shown in.
GROUP_ORDER = ("article", "law", "guide", "case", "institution", "person")

UNAVAILABLE = "搜索暂不可用"
HELP_KIND = "help"
HELP_LABEL = "就近可以帮您的机构"
WHO_HELPS_FILE = Path(__file__).resolve().parent.parent / "search" / "data" / "who_helps.tsv"
HELP_CONTEXT_ARTICLES = 5  # the first results whose laws tell what the question is about
#: An engine fault is the terminal's problem, not the resident's wording: never ask them to rephrase.
FAULT = "搜索暂时没有完成，请稍后再试"


@dataclass(frozen=True)
class ResultItem:
    kind: str
    id: int
    title: str
    subtitle: str  # 第十九条 · 现行有效
    snippet: list[tuple[str, bool]]  # (text, highlighted)
    status: str | None = None
    article_no: int | None = None
    distance: str = ""  # 2.3 公里, for the offices nearest the terminal


@dataclass(frozen=True)
class ResultGroup:
    kind: str
    label: str
    items: list[ResultItem]  # shown at once
    more: list[ResultItem] = field(default_factory=list)  # found too, shown when the resident asks

    @property
    def count(self) -> int:
        return len(self.items) + len(self.more)


@dataclass(frozen=True)
class Suggestion:
    text: str  # what the chip shows
    kind: str | None = None  # with ``id``: tapping opens the item itself
    id: int | None = None


@dataclass(frozen=True)
class SearchOutcome:
    text: str
    groups: list[ResultGroup]
    error: str | None = None  # shown instead of results when the engine is missing or failed
    partial: bool = False  # a quick search cut short: a complete one should follow

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)


def split_snippet(snippet: str) -> list[tuple[str, bool]]:
    """``a\x02b\x03c`` → [("a", False), ("b", True), ("c", False)]; unbalanced marks are tolerated."""
    out: list[tuple[str, bool]] = []
    highlighted = False
    buf = ""
    for ch in snippet:
        if ch in (HIGHLIGHT_START, HIGHLIGHT_END):
            if buf:
                out.append((buf, highlighted))
            buf = ""
            highlighted = ch == HIGHLIGHT_START
        else:
            buf += ch
    if buf:
        out.append((buf, highlighted))
    return out


def group_hits(text: str, hits: list[SearchHit], per_group: int = 6) -> SearchOutcome:
    """Hits by kind, best first; the first ``per_group`` of each kind are shown, the rest on request."""
    by_kind: dict[str, list[ResultItem]] = {}
    for hit in hits:
        if hit.kind not in KINDS:
            continue
        sub = " · ".join(p for p in (hit.article, hit.status if hit.kind in ("law", "article") else None) if p)
        by_kind.setdefault(hit.kind, []).append(
            ResultItem(hit.kind, hit.id, hit.title, sub, split_snippet(hit.snippet), hit.status, hit.article_no)
        )
    groups = [
        ResultGroup(k, KIND_LABELS[k], by_kind[k][:per_group], by_kind[k][per_group:])
        for k in GROUP_ORDER
        if by_kind.get(k)
    ]
    return SearchOutcome(text, groups)


def without(group: ResultGroup, ids: set[int]) -> ResultGroup:
    """``group`` less the items ``ids`` (listed elsewhere), the hidden ones moving up to fill its page."""
    kept = [i for i in (*group.items, *group.more) if i.id not in ids]
    shown = len(group.items)
    return ResultGroup(group.kind, group.label, kept[:shown], kept[shown:])


@dataclass(frozen=True)
class HelpRule:
    type: str  # institution type (法律援助中心)
    words: tuple[str, ...]  # any of them in the question or its first results' laws
    source: str


@lru_cache(maxsize=4)
def load_help_rules(path: Path = WHO_HELPS_FILE) -> tuple[HelpRule, ...]:
    """Rows of ``who_helps.tsv``; a malformed row is an error naming the file and line."""
    rules = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        words = tuple(w.strip() for w in cells[1].split(";") if w.strip()) if len(cells) == 3 else ()
        if len(cells) != 3 or not cells[0].strip() or not words or not cells[2].strip():
            raise ValueError(f"{path}:{number}: expected type, words (;-separated) and source, tab-separated")
        rules.append(HelpRule(cells[0].strip(), words, cells[2].strip()))
    return tuple(rules)


def help_types(text: str, hits: list[SearchHit], rules: tuple[HelpRule, ...]) -> list[tuple[str, list[str]]]:
    """(office type, subject words) for a question about a legal matter, by its words and the titles
    of the laws of its first results."""
    articles = [h for h in hits if h.kind in ("article", "law")][:HELP_CONTEXT_ARTICLES]
    if not articles:
        return []  # not a legal question (an office's name, a person)
    # Titles, not snippets: an article's passing mention (社会保险 in 法律援助条例) is not its subject.
    # And a law only when it gave the first result or more than one of them: one stray article
    # (劳动合同法's 餐饮服务业, fifth for 饭店食物中毒) is not what the question is about.
    counts = Counter(h.title for h in articles)
    titles = [title for title, n in counts.items() if n > 1 or title == articles[0].title]
    context = " ".join([text, *titles])
    found = [(r.type, [w for w in r.words if w in context]) for r in rules]
    return [(type_, words) for type_, words in found if words]


class SearchService:
    def __init__(
        self,
        db: pw.Database,
        module: str = "kiosk.search.query",
        directory: DirectoryService | None = None,
        memory_mb: float | None = None,
    ):
        self.db = db
        self.directory = directory
        # For common words' kept scores (the search_memory_mb setting); None: the engine's own bound.
        self.memory_mb = memory_mb
        self._module_name = module
        self._module: Any = None
        self._error: str | None = None

    def _engine(self) -> Any:
        if self._module is None and self._error is None:
            try:
                self._module = importlib.import_module(self._module_name)
            except Exception as exc:  # missing or broken engine: the kiosk keeps running
                log.warning("search engine unavailable: %s", exc)
                self._error = UNAVAILABLE
        return self._module

    @property
    def available(self) -> bool:
        return self._engine() is not None

    def search(
        self, text: str, kinds: tuple[str, ...] = (), limit: int = 40, seconds: float | None = None
    ) -> SearchOutcome:
        """Grouped results; with ``seconds``, what the engine finds in that time (``partial`` if cut short)."""
        text = text.strip()
        if not text:
            return SearchOutcome(text, [])
        engine = self._engine()
        if engine is None:
            return SearchOutcome(text, [], self._error or UNAVAILABLE)
        filters = SearchFilters(kinds=kinds)
        if seconds is not None and hasattr(engine, "search_within"):

            def quick() -> SearchOutcome:
                hits, complete = engine.search_within(self.db, text, filters, limit, seconds)
                return replace(self._with_help(text, kinds, list(hits)), partial=not complete)

            return self._guard(text, quick)
        return self._guard(
            text, lambda: self._with_help(text, kinds, list(engine.search(self.db, text, filters, limit)))
        )

    def _with_help(self, text: str, kinds: tuple[str, ...], hits: list[SearchHit]) -> SearchOutcome:
        outcome = group_hits(text, hits)
        if kinds:
            return outcome
        helpers = self.nearest_help(text, hits)
        if not helpers:
            return outcome
        shown = {i.id for i in helpers}
        groups = [g if g.kind != "institution" else without(g, shown) for g in outcome.groups]
        # First: who nearby can help is what a resident with a dispute needs most.
        return replace(outcome, groups=[ResultGroup(HELP_KIND, HELP_LABEL, helpers), *(g for g in groups if g.items)])

    def nearest_help(self, text: str, hits: list[SearchHit]) -> list[ResultItem]:
        """The nearest office of each type that helps with the question, with its distance."""
        if self.directory is None:
            return []
        from kiosk.services.directory import nearest_by_type, regions_named

        types = help_types(text, hits, load_help_rules())
        if not types:
            return []
        found = nearest_by_type(self.directory, types, regions_named(self.directory, text))
        return [
            ResultItem(
                "institution",
                s.id,
                s.name,
                f"{s.type} · {s.distance_text}",
                [(s.address, False)],
                distance=s.distance_text,
            )
            for s in found
        ]

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles that complete what was typed (ldht → 劳动合同法); each opens its item."""
        engine = self._engine()
        if engine is None or not prefix.strip():
            return []
        try:
            found = list(engine.suggest(self.db, prefix.strip(), limit))
        except Exception:  # a suggestion is a nicety; never break typing for it
            log.exception("suggest failed for %r", prefix)
            return []
        out: list[Suggestion] = []
        for item in found:
            if isinstance(item, SearchHit):
                text = item.title.removeprefix("中华人民共和国")
                if item.kind == "article" and item.article:
                    text += item.article  # several articles of one law are several chips, told apart
                suggestion = Suggestion(text, item.kind, item.id)
            else:
                suggestion = Suggestion(str(item))
            if all(s.text != suggestion.text for s in out):
                out.append(suggestion)
        return out

    def warm(self) -> None:
        """Load the engine and its word lists before the first resident types (call off the UI thread)."""
        if self._engine() is not None:
            self.search("法律")

    def warm_step(self, seconds: float = 0.1) -> bool:
        """One slice of keeping common words' scores (off the UI thread); True while more remain."""
        engine = self._engine()
        warm = getattr(engine, "warm_phrases", None)
        if warm is None:
            return False
        try:
            limit = None if self.memory_mb is None else int(self.memory_mb * 1_000_000)
            more = bool(warm(self.db, seconds, limit))
        except Exception:  # a slower search is no reason to stop the kiosk
            log.exception("warming the search engine failed")
            return False
        if not more:
            log.info("search engine warm: common words' scores kept")
        return more

    @staticmethod
    def _guard(text: str, run: Callable[[], SearchOutcome]) -> SearchOutcome:
        try:
            return run()
        except Exception:
            log.exception("search failed for %r", text)
            return SearchOutcome(text, [], FAULT)
