"""Counts of what the content store holds (``kiosk stats``)."""

from __future__ import annotations

from kiosk.store.models import (
    Article,
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


def content_stats() -> dict[str, object]:
    meta = {row.key: row.value for row in Meta.select()}
    return {
        "law_documents": Law.select().count(),
        "law_articles": Article.select().count(),
        "law_titles_current": Law.select().where(Law.is_current).count(),
        "cases": Case.select().count(),
        "institutions": Institution.select().count(),
        "people": Person.select().count(),
        "integrity_records": IntegrityRecord.select().count(),
        "guides": Guide.select().count(),
        "topics": HotTopic.select().count(),
        "synonyms": Synonym.select().count(),
        "publicity_items": PublicityItem.select().count(),
        "content_version": meta.get("content_version"),
        "content_date": meta.get("content_date"),
    }
