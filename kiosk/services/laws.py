"""Laws for the screens: browse by level and topic, open a document for the reader, related content.

The 民法典 is stored as one document per part (总则, 物权编, …) because the source files are split
that way; the reader shows it as one code whose parts are the 编 of its table of contents, with the
articles numbered through as in the printed code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from dataclasses import dataclass, field

import peewee as pw

from kiosk.law_vocabulary import (
    ADMINISTRATIVE_REGULATION,
    CONSTITUTION,
    DEPARTMENTAL_RULE,
    JUDICIAL_INTERPRETATION,
    LAW,
    LOCAL_REGULATION,
    REPEALED,
)
from kiosk.services._rows import first_tuple, tuples
from kiosk.store.db import require_bound
from kiosk.store.models import Article, Case, CaseCitation, Guide, GuideBasis, Law
from kiosk.store.numerals import CN_NUMERAL_CHARS, cn_to_int

CIVIL_CODE_CATEGORY = "民法典"
CIVIL_CODE_TITLE = "中华人民共和国民法典"

#: Level tabs of the browse screen: (tab name, stored levels).
LEVEL_TABS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (LAW, (CONSTITUTION, LAW)),
    (ADMINISTRATIVE_REGULATION, (ADMINISTRATIVE_REGULATION,)),
    (JUDICIAL_INTERPRETATION, (JUDICIAL_INTERPRETATION,)),
    (DEPARTMENTAL_RULE, (DEPARTMENTAL_RULE,)),
    (LOCAL_REGULATION, (LOCAL_REGULATION,)),
)


@dataclass(frozen=True)
class LawSummary:
    id: int
    title: str
    short_title: str
    level: str
    topic: str
    status: str
    effective: dt.date | None
    article_count: int
    published: dt.date | None = None  # this version's publication (latest amendment, else promulgation)


@dataclass(frozen=True)
class TocEntry:
    depth: int  # 0 = 编 of the 民法典 or the first heading level of a law
    text: str  # 第四章 离婚
    row: int  # index into LawDocument.rows


@dataclass(frozen=True)
class ReaderRow:
    kind: str  # "heading" | "article" | "preamble"
    text: str  # heading text, or the article body (paragraphs separated by \n)
    depth: int = 0
    label: str = ""  # 第一千零八十七条
    article_id: int | None = None
    number: int | None = None
    sub_number: int = 0
    law_id: int | None = None


@dataclass(frozen=True)
class VersionInfo:
    law_id: int
    version_date: dt.date | None
    status: str
    is_current: bool


@dataclass
class LawDocument:
    id: int  # the law opened (for the 民法典, the part that was asked for)
    title: str
    level: str
    status: str
    effective: dt.date | None
    promulgated: dt.date | None
    published: dt.date | None  # this version's publication (latest amendment, else promulgation)
    history: list[str]
    rows: list[ReaderRow]
    toc: list[TocEntry]
    versions: list[VersionInfo]
    notice: str | None = None  # shown above the text for amended, repealed or pending versions
    notice_link: int | None = None  # the law id the notice points to
    law_ids: tuple[int, ...] = ()
    _by_number: dict[tuple[int, int], int] = field(default_factory=dict, repr=False)

    def row_of(self, number: int, sub_number: int = 0) -> int | None:
        if not self._by_number:
            for i, row in enumerate(self.rows):
                if row.kind == "article" and row.number is not None:
                    self._by_number.setdefault((row.number, row.sub_number), i)
        return self._by_number.get((number, sub_number))

    def row_of_article_id(self, article_id: int) -> int | None:
        for i, row in enumerate(self.rows):
            if row.article_id == article_id:
                return i
        return None

    @property
    def article_rows(self) -> int:
        return sum(1 for row in self.rows if row.kind == "article")


@dataclass(frozen=True)
class RelatedItem:
    kind: str  # "case" | "guide"
    id: int
    title: str


_ARTICLE_REF = re.compile(rf"^\s*第?\s*([0-9]+|[{CN_NUMERAL_CHARS}]+)\s*条?(?:之([一二三四五六七八九十]+))?\s*$")


def parse_article_ref(text: str) -> tuple[int, int] | None:
    """``1087`` / ``第一千零八十七条`` / ``一千零八十七`` / ``第十条之一`` → (number, sub number)."""
    m = _ARTICLE_REF.match(text.replace("\u3000", " "))
    if not m:
        return None
    raw = m[1]
    try:
        number = int(raw) if raw.isdigit() else cn_to_int(raw)
        sub = cn_to_int(m[2]) if m[2] else 0
    except ValueError:
        return None
    return (number, sub) if number > 0 else None


def _pinyin_key(text: str) -> bytes:
    """Alphabetical (pinyin) order without a pinyin dictionary: GB18030 keeps GB2312's level-1
    characters — the 3,755 common ones law titles use — in pinyin order (pypinyin would cost ~60 MB)."""
    return text.encode("gb18030", errors="replace")


class LawService:
    def __init__(self, db: pw.Database, cache_size: int = 4):
        require_bound(db, "LawService")  # its queries run on the models' binding: it must be this db
        self.db = db
        self._cache: OrderedDict[int, LawDocument] = OrderedDict()
        self._cache_size = cache_size
        self._browse_cache: dict[tuple[str, str | None], list[LawSummary]] = {}

    def forget_cached(self) -> None:
        """A sync committed new content: the next read goes to the database again."""
        self._cache.clear()
        self._browse_cache.clear()

    # --- browsing --------------------------------------------------------------------------------

    @staticmethod
    def level_tabs() -> list[str]:
        return [name for name, _levels in LEVEL_TABS]

    @staticmethod
    def _levels(tab: str) -> tuple[str, ...]:
        for name, levels in LEVEL_TABS:
            if name == tab:
                return levels
        raise KeyError(tab)

    @staticmethod
    def _topic_of(category: str, province: str | None) -> str:
        if province:
            return province
        # ``category`` is the source's folder path: under its 部门规章 folder the next folder names the
        # ministry (a folder name of the data, like the keys of import_laws._FOLDER_LEVELS).
        head, _, tail = category.partition("/")
        return tail.split("/")[0] if head == "部门规章" and tail else head

    def topics(self, tab: str) -> list[tuple[str, int]]:
        """Topics of one level tab with their counts (法律部门, 部委 or 省份)."""
        counts: dict[str, int] = {}
        for item in self.browse(tab):
            counts[item.topic] = counts.get(item.topic, 0) + 1
        return sorted(counts.items(), key=lambda kv: -kv[1])

    def browse(self, tab: str, topic: str | None = None) -> list[LawSummary]:
        key = (tab, topic)
        if key in self._browse_cache:
            return self._browse_cache[key]
        if topic is not None:
            result = [item for item in self.browse(tab) if item.topic == topic]
            self._browse_cache[key] = result
            return result
        query = tuples(
            Law.select(
                Law.id,
                Law.title,
                Law.short_title,
                Law.level,
                Law.category,
                Law.province,
                Law.status,
                Law.effective,
                Law.article_count,
                Law.amended,
                Law.promulgated,
            ).where(Law.is_current, Law.level.in_(self._levels(tab)))
        )
        items: list[LawSummary] = []
        civil_parts: list[LawSummary] = []
        for law_id, title, short, level, category, province, status, effective, count, amended, promulgated in query:
            topic = self._topic_of(category, province)
            item = LawSummary(law_id, title, short, level, topic, status, effective, count, amended or promulgated)
            (civil_parts if category == CIVIL_CODE_CATEGORY else items).append(item)
        if civil_parts:
            items.append(self._civil_code_summary(civil_parts))
        items.sort(key=lambda s: (s.level != CONSTITUTION, s.status == REPEALED, _pinyin_key(s.short_title)))
        self._browse_cache[key] = items
        return items

    @staticmethod
    def _civil_code_summary(parts: list[LawSummary]) -> LawSummary:
        first = min(parts, key=lambda p: p.id)
        dates = [p.effective for p in parts if p.effective]
        return LawSummary(
            first.id,
            CIVIL_CODE_TITLE,
            "民法典",
            first.level,
            first.topic,
            first.status,
            min(dates) if dates else None,
            sum(p.article_count for p in parts),
        )

    def summary(self, law_id: int) -> LawSummary:
        law = Law.get_by_id(law_id)
        return LawSummary(
            law.id,
            law.title,
            law.short_title,
            law.level,
            self._topic_of(law.category, law.province),
            law.status,
            law.effective,
            law.article_count,
            law.amended or law.promulgated,
        )

    def find_current(self, title: str) -> int | None:
        """The id of the current version of a law by (short or full) title."""
        row = first_tuple(Law.select(Law.id).where(Law.is_current, (Law.title == title) | (Law.short_title == title)))
        return row[0] if row else None

    # --- reading ---------------------------------------------------------------------------------

    def open_document(self, law_id: int) -> LawDocument:
        cached = self._cache.get(law_id)
        if cached is not None:
            self._cache.move_to_end(law_id)
            return cached
        from kiosk.services.lawdoc import build_document

        doc = build_document(law_id)
        for lid in doc.law_ids:
            self._cache[lid] = doc
            self._cache.move_to_end(lid)
        while len({id(d) for d in self._cache.values()}) > self._cache_size:
            self._cache.popitem(last=False)
        return doc

    def article(self, article_id: int) -> tuple[int, int, int] | None:
        """(law id, number, sub number) of an article, to open it in the reader."""
        row = first_tuple(
            Article.select(Article.law, Article.number, Article.sub_number).where(Article.id == article_id)
        )
        return (row[0], row[1], row[2]) if row else None

    def related(self, article_ids: list[int] | pw.Query, limit: int = 8) -> list[RelatedItem]:
        """Cases and guides citing any of the given articles (cases first)."""
        if isinstance(article_ids, list) and not article_ids:
            return []
        items: list[RelatedItem] = []
        cases = tuples(
            Case.select(Case.id, Case.title)
            .join(CaseCitation)
            .where(CaseCitation.article.in_(article_ids))
            .distinct()
            .limit(limit)
        )
        items.extend(RelatedItem("case", cid, title) for cid, title in cases)
        guides = tuples(
            Guide.select(Guide.id, Guide.title)
            .join(GuideBasis)
            .where(GuideBasis.article.in_(article_ids))
            .distinct()
            .order_by(Guide.position)
            .limit(limit)
        )
        items.extend(RelatedItem("guide", gid, title) for gid, title in guides)
        return items

    def related_to_document(self, doc: LawDocument, limit: int = 8) -> list[RelatedItem]:
        return self.related(Article.select(Article.id).where(Article.law.in_(list(doc.law_ids))), limit)


__all__ = [
    "LEVEL_TABS",
    "LawDocument",
    "LawService",
    "LawSummary",
    "ReaderRow",
    "RelatedItem",
    "TocEntry",
    "VersionInfo",
    "parse_article_ref",
]
