"""Service guides (办事指南) with the one-time notice of materials, legal basis and nearest offices."""

from __future__ import annotations

from dataclasses import dataclass

import peewee as pw

from kiosk.services._rows import first_tuple, fk, tuples
from kiosk.services.cases import Citation, law_of_article
from kiosk.services.directory import DirectoryService, InstitutionSummary
from kiosk.store.db import require_bound
from kiosk.store.models import Guide, GuideBasis


@dataclass(frozen=True)
class GuideSummary:
    id: int
    key: str
    title: str
    category: str
    summary: str


@dataclass(frozen=True)
class Material:
    name: str
    note: str | None
    required: bool


@dataclass(frozen=True)
class GuideDetail:
    summary: GuideSummary
    conditions: list[str]
    materials: list[Material]
    steps: list[str]
    fees: str
    time_limit: str
    hotline: str | None
    basis: list[Citation]
    offices: list[InstitutionSummary]
    is_sample: bool


def _summary(g: Guide) -> GuideSummary:
    return GuideSummary(g.id, g.key, g.title, g.category, g.summary)


class GuideService:
    def __init__(self, db: pw.Database, directory: DirectoryService):
        require_bound(db, "GuideService")  # its queries run on the models' binding: it must be this db
        self.db = db
        self.directory = directory

    @staticmethod
    def guides(category: str | None = None) -> list[GuideSummary]:
        query = Guide.select()
        if category:
            query = query.where(Guide.category == category)
        return [_summary(g) for g in query.order_by(Guide.position, Guide.id)]

    @staticmethod
    def categories() -> list[str]:
        seen: list[str] = []
        for (cat,) in tuples(Guide.select(Guide.category).order_by(Guide.position, Guide.id)):
            if cat not in seen:
                seen.append(cat)
        return seen

    @staticmethod
    def by_key(key: str) -> int | None:
        row = first_tuple(Guide.select(Guide.id).where(Guide.key == key))
        return row[0] if row else None

    @staticmethod
    def summaries(ids: list[int]) -> list[GuideSummary]:
        found = {g.id: _summary(g) for g in Guide.select().where(Guide.id.in_(ids))}
        return [found[i] for i in ids if i in found]

    def guide(self, guide_id: int, offices: int = 3) -> GuideDetail:
        g = Guide.get_by_id(guide_id)
        basis = [
            Citation(b.law_title, b.article_label, fk(b, "article"), law_of_article(fk(b, "article")))
            for b in GuideBasis.select().where(GuideBasis.guide == g).order_by(GuideBasis.id)
        ]
        materials = [
            Material(str(m.get("name", "")), m.get("note"), bool(m.get("required", True))) for m in (g.materials or [])
        ]
        nearest = self.directory.institutions(types=list(g.office_types or []), limit=offices) if g.office_types else []
        return GuideDetail(
            _summary(g),
            list(g.conditions or []),
            materials,
            list(g.steps or []),
            g.fees,
            g.time_limit,
            g.hotline,
            basis,
            nearest,
            g.is_sample,
        )
