"""Parser for one LawRefBook Markdown document (see ../shared/data/README.md).

Pure functions: text in, :class:`ParsedLaw` out. The importer decides status and storage.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kiosk.store.numerals import cn_to_int

INFO_END = "<!-- INFO END -->"
ARTICLE_RE = re.compile(r"^(第([〇零一二三四五六七八九十百千两]+)条(?:之([一二三四五六七八九十]+))?)[ \u3000]")
HEADING_RE = re.compile(r"^(#{1,4})\s+(.*\S)\s*$")
SECTION_LABEL_RE = re.compile(r"^(第[〇零一二三四五六七八九十百千两]+(分编|编|章|节))\s*(.*)$")
DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
FILE_DATE_RE = re.compile(r"^(.*)\((\d{4}-\d{2}-\d{2})\)$")

# Who made it, read from the first history line; longest names first.
_ISSUERS = [
    (re.compile(r"全国人民代表大会常务委员会"), "全国人民代表大会常务委员会"),
    (re.compile(r"全国人民代表大会"), "全国人民代表大会"),
    (re.compile(r"最高人民法院.*最高人民检察院|最高人民检察院.*最高人民法院"), "最高人民法院、最高人民检察院"),
    (re.compile(r"最高人民法院"), "最高人民法院"),
    (re.compile(r"最高人民检察院"), "最高人民检察院"),
    (re.compile(r"国务院"), "国务院"),
    (re.compile(r"([\u4e00-\u9fff]{2,8}?[省市])第[^届]+届人民代表大会常务委员会"), r"\1人民代表大会常务委员会"),
    (re.compile(r"([\u4e00-\u9fff]{2,8}?[省市])第[^届]+届人民代表大会"), r"\1人民代表大会"),
]


class LawParseError(ValueError):
    def __init__(self, line: int, reason: str):
        self.line = line
        self.reason = reason
        super().__init__(f"line {line}: {reason}")


@dataclass
class ParsedSection:
    depth: int  # 1 = directly below the title
    kind: str
    label: str
    name: str
    line: int


@dataclass
class ParsedArticle:
    label: str
    number: int
    sub_number: int
    paragraphs: list[str]
    section_index: int | None  # index into ParsedLaw.sections
    line: int


@dataclass
class ParsedLaw:
    title: str
    history: list[str]
    sections: list[ParsedSection] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)

    @property
    def history_dates(self) -> list[tuple[dt.date, str]]:
        out = []
        for line in self.history:
            m = DATE_RE.search(line)
            if m:
                try:
                    out.append((dt.date(int(m[1]), int(m[2]), int(m[3])), line))
                except ValueError:
                    continue
        return out

    @property
    def promulgated(self) -> dt.date | None:
        dates = self.history_dates
        return dates[0][0] if dates else None

    @property
    def amended(self) -> dt.date | None:
        amended = [d for d, line in self.history_dates[1:] if re.search(r"修正|修订|修改", line)]
        return max(amended) if amended else None

    @property
    def effective(self) -> dt.date | None:
        for d, line in self.history_dates:
            if line.rstrip().endswith("施行") and "起施行" not in line[: line.find(str(d.year))]:
                return d
        m = re.search(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起施行", "\n".join(self.history))
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        return None

    @property
    def repealed(self) -> bool:
        return any("废止" in line and "决定》" not in line for line in self.history)

    @property
    def issuer(self) -> str | None:
        if not self.history:
            return None
        first = self.history[0]
        for pattern, replacement in _ISSUERS:
            m = pattern.search(first)
            if m:
                return m.expand(replacement)
        return None


def section_kind(label_text: str) -> tuple[str, str, str]:
    """``第一章 总则`` → (章, 第一章, 总则); a heading without a number → (部分, '', text)."""
    m = SECTION_LABEL_RE.match(label_text)
    if m:
        return m[2], m[1], m[3].strip()
    return "部分", "", label_text.strip()


def parse_law(text: str) -> ParsedLaw:
    lines = text.splitlines()
    try:
        info_end = next(i for i, line in enumerate(lines) if line.strip() == INFO_END)
    except StopIteration:
        raise LawParseError(1, f"no '{INFO_END}' line after the title and history") from None
    titles: list[str] = []
    history: list[str] = []
    for line in lines[:info_end]:
        stripped = line.strip()
        if not stripped:
            continue
        m = HEADING_RE.match(stripped)
        if m and len(m[1]) == 1:
            titles.append(m[2].strip())
        else:
            history.append(re.sub(r"\s+", " ", stripped))
    if not titles:
        raise LawParseError(1, "no '# title' line before the history")
    law = ParsedLaw(title="·".join(titles), history=history)
    stack: list[int] = []  # open section indices by depth
    current: ParsedArticle | None = None
    for lineno, raw in enumerate(lines[info_end + 1 :], start=info_end + 2):
        line = raw.strip()
        if not line:
            continue
        heading = HEADING_RE.match(line)
        if heading:
            depth = max(1, len(heading[1]) - 1)
            kind, label, name = section_kind(re.sub(r"\s+", " ", heading[2]))
            while stack and law.sections[stack[-1]].depth >= depth:
                stack.pop()
            law.sections.append(ParsedSection(depth, kind, label, name, lineno))
            stack.append(len(law.sections) - 1)
            current = None
            continue
        m = ARTICLE_RE.match(raw.lstrip())
        if m:
            number = cn_to_int(m[2])
            sub = cn_to_int(m[3]) if m[3] else 0
            body = raw.lstrip()[m.end() :].strip()
            current = ParsedArticle(m[1], number, sub, [body] if body else [], stack[-1] if stack else None, lineno)
            law.articles.append(current)
        elif current is not None:
            current.paragraphs.append(line)
        else:
            law.preamble.append(line)
    return law


def split_file_stem(stem: str) -> tuple[str, dt.date | None]:
    """``劳动合同法(2012-12-28)`` → (劳动合同法, 2012-12-28); no date → (stem, None)."""
    m = FILE_DATE_RE.match(stem)
    if not m:
        return stem, None
    try:
        return m[1], dt.date.fromisoformat(m[2])
    except ValueError:
        return stem, None
