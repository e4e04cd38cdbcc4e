"""Reference cases: list by kind and topic, detail with cited articles that open in the reader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from kiosk.services._rows import fk, tuples
from kiosk.store.db import require_bound
from kiosk.store.models import Article, Case, CaseCitation


@dataclass(frozen=True)
class CaseSummary:
    id: int
    title: str
    kind: str  # 指导性案例 / 典型案例
    number: int | None
    topic: str | None
    court: str | None
    decided: dt.date | None
    keywords: list[str]

    @property
    def badge(self) -> str:
        # The Supreme People's Court's own name for it (指导案例18号), the one residents see cited.
        return f"指导案例{self.number}号" if self.kind == "指导性案例" and self.number else self.kind


@dataclass(frozen=True)
class Citation:
    law_title: str
    article_label: str | None
    article_id: int | None
    law_id: int | None

    @property
    def text(self) -> str:
        return f"《{self.law_title}》{self.article_label or ''}"


@dataclass(frozen=True)
class CaseDetail:
    summary: CaseSummary
    sections: list[tuple[str, str]]
    citations: list[Citation]


def law_of_article(article_id: int | None) -> int | None:
    if article_id is None:
        return None
    value = Article.select(Article.law).where(Article.id == article_id).scalar()
    return int(value) if value is not None else None


def _summary(case: Case) -> CaseSummary:
    return CaseSummary(
        case.id, case.title, case.kind, case.number, case.topic, case.court, case.decided, list(case.keywords or [])
    )


class CaseService:
    def __init__(self, db: pw.Database):
        require_bound(db, "CaseService")  # its queries run on the models' binding: it must be this db
        self.db = db

    @staticmethod
    def kinds() -> list[str]:
        return [k for (k,) in tuples(Case.select(Case.kind).distinct().order_by(Case.kind.desc()))]

    @staticmethod
    def topics() -> list[str]:
        counts: dict[str, int] = {}
        for (topic,) in tuples(Case.select(Case.topic).where(Case.topic.is_null(False))):
            counts[topic] = counts.get(topic, 0) + 1
        return [t for t, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    @staticmethod
    def cases(kind: str | None = None, topic: str | None = None) -> list[CaseSummary]:
        query = Case.select()
        if kind:
            query = query.where(Case.kind == kind)
        if topic:
            query = query.where(Case.topic == topic)
        query = query.order_by(
            Case.kind.desc(), Case.number.asc(nulls="LAST"), Case.decided.desc(nulls="LAST"), Case.id
        )
        return [_summary(c) for c in query]

    @staticmethod
    def summaries(ids: list[int]) -> list[CaseSummary]:
        found = {c.id: _summary(c) for c in Case.select().where(Case.id.in_(ids))}
        return [found[i] for i in ids if i in found]

    @staticmethod
    def case(case_id: int) -> CaseDetail:
        case = Case.get_by_id(case_id)
        citations = [
            Citation(c.law_title, c.article_label, fk(c, "article"), law_of_article(fk(c, "article")))
            for c in CaseCitation.select().where(CaseCitation.case == case).order_by(CaseCitation.id)
        ]
        sections = [(str(h), str(t)) for h, t in (case.sections or [])]
        return CaseDetail(_summary(case), sections, citations)
