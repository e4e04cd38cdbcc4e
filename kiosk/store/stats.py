"""Counts of what the content store holds (``kiosk stats``)."""

from __future__ import annotations

import peewee as pw

from kiosk.store.models import (
    Article,
    BaseModel,
    Case,
    Guide,
    HotTopic,
    Institution,
    IntegrityRecord,
    Law,
    Meta,
    Person,
    PublicityItem,
    Synonym,
)


def content_stats(db: pw.Database) -> dict[str, object]:
    """Each query is bound to ``db`` itself (not to the models' binding): the admin panel asks from
    the UI thread while search workers read, so nothing here may re-bind the models."""

    def count(model: type[BaseModel]) -> int:
        return int(model.select().bind(db).count())

    meta = {row.key: row.value for row in Meta.select().bind(db)}
    return {
        "law_documents": count(Law),
        "law_articles": count(Article),
        "law_titles_current": int(Law.select().where(Law.is_current).bind(db).count()),
        "cases": count(Case),
        "institutions": count(Institution),
        "people": count(Person),
        "integrity_records": count(IntegrityRecord),
        "guides": count(Guide),
        "topics": count(HotTopic),
        "synonyms": count(Synonym),
        "publicity_items": count(PublicityItem),
        "content_version": meta.get("content_version"),
        "content_date": meta.get("content_date"),
    }
