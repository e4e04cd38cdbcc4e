"""Publicity (法治宣传): articles and offline videos; they also feed the idle attract loop."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from kiosk.services._rows import fk
from kiosk.store.db import require_bound
from kiosk.store.models import Media, PublicityItem

ARTICLE = "文章"
VIDEO = "视频"


@dataclass(frozen=True)
class PublicityView:
    id: int
    kind: str
    title: str
    body: str
    media_path: Path | None  # an existing local file for videos, else None

    @property
    def playable(self) -> bool:
        return self.kind == VIDEO and self.media_path is not None


class PublicityService:
    def __init__(self, db: pw.Database, media_dir: Path):
        require_bound(db, "PublicityService")  # its queries run on the models' binding: it must be this db
        self.db = db
        self.media_dir = media_dir

    def _media_path(self, media: Media | None) -> Path | None:
        if media is None:
            return None
        for candidate in (self.media_dir / media.sha256, self.media_dir / media.filename):
            if candidate.is_file():
                return candidate
        return None

    def _view(self, item: PublicityItem) -> PublicityView:
        media = item.media if fk(item, "media") else None
        return PublicityView(item.id, item.kind, item.title, item.body or "", self._media_path(media))

    def items(self, kind: str | None = None) -> list[PublicityView]:
        query = PublicityItem.select(PublicityItem, Media).join(Media, pw.JOIN.LEFT_OUTER)
        if kind:
            query = query.where(PublicityItem.kind == kind)
        return [self._view(i) for i in query.order_by(PublicityItem.position, PublicityItem.id)]

    def item(self, item_id: int) -> PublicityView:
        return self._view(PublicityItem.get_by_id(item_id))
