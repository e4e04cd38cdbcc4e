"""Keeping the search index in step with non-law content, inside the importer's transaction."""

from __future__ import annotations

import peewee as pw

from kiosk.search import indexing


def reindex(db: pw.Database, kind: str, touched: list[int], removed: list[int]) -> None:
    """``kind`` is the plural used by kiosk.search.indexing: cases, guides, institutions, people."""
    if removed:
        getattr(indexing, f"remove_{kind}")(db, removed)
    if touched:
        getattr(indexing, f"index_{kind}")(db, touched)
