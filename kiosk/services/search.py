"""Search for the screens: results grouped by kind, snippets split into plain and highlighted runs.

The engine lives in ``kiosk.search.query`` (another package); it is imported on first use so a
terminal whose engine is missing or broken still starts and shows 「搜索暂不可用」.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import peewee as pw

from kiosk.search.api import HIGHLIGHT_END, HIGHLIGHT_START, KINDS, SearchFilters, SearchHit

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


@dataclass(frozen=True)
class ResultGroup:
    kind: str
    label: str
    items: list[ResultItem]


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
        return sum(len(g.items) for g in self.groups)


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
    by_kind: dict[str, list[ResultItem]] = {}
    for hit in hits:
        if hit.kind not in KINDS:
            continue
        bucket = by_kind.setdefault(hit.kind, [])
        if len(bucket) >= per_group:
            continue
        sub = " · ".join(p for p in (hit.article, hit.status if hit.kind in ("law", "article") else None) if p)
        bucket.append(
            ResultItem(hit.kind, hit.id, hit.title, sub, split_snippet(hit.snippet), hit.status, hit.article_no)
        )
    groups = [ResultGroup(k, KIND_LABELS[k], by_kind[k]) for k in GROUP_ORDER if by_kind.get(k)]
    return SearchOutcome(text, groups)


class SearchService:
    def __init__(self, db: pw.Database, module: str = "kiosk.search.query"):
        self.db = db
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
                return replace(group_hits(text, list(hits)), partial=not complete)

            return self._guard(text, quick)
        return self._guard(text, lambda: group_hits(text, list(engine.search(self.db, text, filters, limit))))

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
                out.append(Suggestion(item.title.removeprefix("中华人民共和国"), item.kind, item.id))
            else:
                out.append(Suggestion(str(item)))
        return out

    def warm(self) -> None:
        """Load the engine and its word lists before the first resident types (call off the UI thread)."""
        if self._engine() is not None:
            self.search("法律")

    @staticmethod
    def _guard(text: str, run: Callable[[], SearchOutcome]) -> SearchOutcome:
        try:
            return run()
        except Exception:
            log.exception("search failed for %r", text)
            return SearchOutcome(text, [], FAULT)
