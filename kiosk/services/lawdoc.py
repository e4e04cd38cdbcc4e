"""Building a :class:`LawDocument` for the reader: rows of headings and articles plus the contents.

Reads with tuples, not model instances: the 民法典 (1,260 articles) is built in a few tens of
milliseconds.
"""

from __future__ import annotations

import datetime as dt

from kiosk.law_vocabulary import AMENDED, IN_FORCE, LAW, NOT_YET_IN_FORCE, REPEALED
from kiosk.services._rows import tuples
from kiosk.services.laws import (
    CIVIL_CODE_CATEGORY,
    CIVIL_CODE_TITLE,
    LawDocument,
    ReaderRow,
    TocEntry,
    VersionInfo,
)
from kiosk.store.models import Article, Law, LawSection
from kiosk.store.numerals import int_to_cn


def _fmt(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


#: The 编 of the 民法典 in the order of the code (the source files name the parts, not their numbers).
CIVIL_CODE_PARTS = ("总则", "物权", "合同", "人格权", "婚姻家庭", "继承", "侵权责任")


def _part_heading(short_title: str) -> str:
    name = short_title.split("·", 1)[-1].removesuffix("编")
    if name in CIVIL_CODE_PARTS:
        return f"第{int_to_cn(CIVIL_CODE_PARTS.index(name) + 1)}编 {name}"
    return name  # 附则


def build_document(law_id: int) -> LawDocument:
    law = Law.get_by_id(law_id)
    composite = law.category == CIVIL_CODE_CATEGORY and law.is_current and law.level == LAW
    parts = (
        list(Law.select().where(Law.category == CIVIL_CODE_CATEGORY, Law.is_current, Law.level == LAW))
        if composite
        else [law]
    )
    law_ids = [p.id for p in parts]
    sections: dict[int, tuple[int | None, int, str]] = {}
    for sid, parent, depth, label, name in tuples(
        LawSection.select(LawSection.id, LawSection.parent, LawSection.depth, LawSection.label, LawSection.name).where(
            LawSection.law.in_(law_ids)
        )
    ):
        sections[sid] = (parent, depth, f"{label} {name}".strip())
    by_law: dict[int, list[tuple[int, int | None, str, int, int, str]]] = {lid: [] for lid in law_ids}
    for aid, lid, sid, label, number, sub, text in tuples(
        Article.select(
            Article.id, Article.law, Article.section, Article.label, Article.number, Article.sub_number, Article.text
        )
        .where(Article.law.in_(law_ids))
        .order_by(Article.law, Article.position)
    ):
        by_law[lid].append((aid, sid, label, number, sub, text))
    if composite:
        parts.sort(key=lambda p: min((a[3] for a in by_law[p.id]), default=10**6))

    rows: list[ReaderRow] = []
    toc: list[TocEntry] = []
    offset = 0 if composite else -1

    def heading(text: str, depth: int) -> None:
        toc.append(TocEntry(depth, text, len(rows)))
        rows.append(ReaderRow("heading", text, depth=depth))

    if law.preamble and not composite:
        rows.append(ReaderRow("preamble", law.preamble, law_id=law.id))
    for part in parts:
        if composite:
            heading(_part_heading(part.short_title), 0)
        shown: set[int] = set()
        for aid, sid, label, number, sub, text in by_law[part.id]:
            chain: list[int] = []
            cursor = sid
            while cursor is not None and cursor in sections and cursor not in shown:
                chain.append(cursor)
                cursor = sections[cursor][0]
            for s in reversed(chain):
                shown.add(s)
                heading(sections[s][2], max(0, sections[s][1] + offset))
            rows.append(
                ReaderRow("article", text, label=label, article_id=aid, number=number, sub_number=sub, law_id=part.id)
            )

    versions = (
        [
            VersionInfo(vid, vdate, status, current)
            for vid, vdate, status, current in tuples(
                Law.select(Law.id, Law.version_date, Law.status, Law.is_current)
                .where(Law.group_key == law.group_key)
                .order_by(Law.version_date.desc(nulls="LAST"))
            )
        ]
        if not composite
        else []
    )
    notice, link = _notice(law, versions) if not composite else (None, None)
    dates = [p.effective for p in parts if p.effective]
    return LawDocument(
        id=law.id,
        title=CIVIL_CODE_TITLE if composite else law.title,
        level=law.level,
        status=IN_FORCE if composite else law.status,
        effective=min(dates) if dates else None,
        promulgated=law.promulgated,
        published=None if composite else law.amended or law.promulgated,
        history=list(law.history or []) if not composite else ["2020年5月28日第十三届全国人民代表大会第三次会议通过"],
        rows=rows,
        toc=toc,
        versions=versions,
        notice=notice,
        notice_link=link,
        law_ids=tuple(law_ids),
    )


def _notice(law: Law, versions: list[VersionInfo]) -> tuple[str | None, int | None]:
    current = next((v for v in versions if v.status == IN_FORCE and v.law_id != law.id), None)
    if law.status == AMENDED:
        when = law.version_date or law.promulgated
        text = f"这是{_fmt(when)}的历史版本，已被修改，不再适用。" if when else "这是历史版本，已被修改，不再适用。"
        return text + ("请阅读现行有效版本。" if current else ""), current.law_id if current else None
    if law.status == REPEALED:
        return "本法规已废止，仅供查阅参考，不再适用。", current.law_id if current else None
    if law.status == NOT_YET_IN_FORCE:
        text = f"本版本尚未生效，自{_fmt(law.effective)}起施行。" if law.effective else "本版本尚未生效。"
        return text + ("目前仍适用现行有效版本。" if current else ""), current.law_id if current else None
    return None, None
