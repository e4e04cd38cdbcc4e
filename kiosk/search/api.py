"""What the rest of the program may use from ``kiosk.search`` (services, CLI, benchmarks).

This module is the contract; the query engine behind it may change freely.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("law", "article", "case", "guide", "institution", "person")


@dataclass(frozen=True)
class SearchFilters:
    kinds: tuple[str, ...] = ()  # empty = all kinds
    levels: tuple[str, ...] = ()  # law levels: 法律, 行政法规, ...
    statuses: tuple[str, ...] = ()  # empty = current law only (现行有效/尚未生效); 已废止 only when asked
    region: str | None = None  # six-digit region code for institutions and people


@dataclass(frozen=True)
class SearchHit:
    kind: str  # one of KINDS
    id: int  # primary key of the row of that kind
    title: str  # law title / case title / guide title / institution or person name
    article: str | None = None  # 第十九条 for article hits
    article_no: int | None = None  # 19
    source: str | None = None  # law document path relative to the imported folder
    snippet: str = ""  # best passage; matched words wrapped in \x02 … \x03
    score: float = 0.0  # higher is better
    status: str | None = None  # law status for law/article hits
    older_versions: tuple[int, ...] = field(default=())  # ids of the same article in older versions


HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"
