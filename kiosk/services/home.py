"""What the home screen and the header show: hot topics, announcement, content date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from kiosk.services._rows import first_tuple
from kiosk.store.db import require_bound
from kiosk.store.models import HotTopic, Law, Meta


@dataclass(frozen=True)
class Topic:
    name: str
    query: str
    description: str | None
    guide_key: str | None


class HomeService:
    def __init__(self, db: pw.Database, announcement: str = ""):
        require_bound(db, "HomeService")  # its queries run on the models' binding: it must be this db
        self.db = db
        self.announcement = announcement

    @staticmethod
    def topics(limit: int = 12) -> list[Topic]:
        return [
            Topic(t.name, t.query, t.description, t.guide_key)
            for t in HotTopic.select().order_by(HotTopic.position, HotTopic.id).limit(limit)
        ]

    @staticmethod
    def has_content() -> bool:
        """Whether any law has arrived (a terminal before its first sync has none)."""
        return bool(Law.select(Law.id).limit(1).exists())

    @staticmethod
    def content_date() -> dt.date | None:
        row = first_tuple(Meta.select(Meta.value).where(Meta.key == "content_date"))
        if not row:
            return None
        try:
            return dt.date.fromisoformat(row[0][:10])
        except ValueError:
            return None

    def content_date_text(self) -> str:
        day = self.content_date()
        return f"内容更新至 {day.year}年{day.month}月{day.day}日" if day else "内容日期未知"
