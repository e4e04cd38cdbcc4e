"""``kiosk demo-data``: the full demo database from ../shared/data and assets/sample in one command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import peewee as pw

from kiosk.paths import ASSETS_DIR, SAMPLE_DIR, SHARED_DATA_DIR
from kiosk.store.db import bound_to
from kiosk.store.errors import ImportFailed, Problem
from kiosk.store.import_cases import import_cases
from kiosk.store.import_directory import import_directory
from kiosk.store.import_guides import import_guides
from kiosk.store.import_laws import import_laws
from kiosk.store.import_misc import import_publicity, import_synonyms, import_topics
from kiosk.store.import_report import ImportReport
from kiosk.store.models import Meta
from kiosk.store.regions import import_regions


def build_demo(
    db: pw.Database, shared: Path | None = None, progress: Callable[[str], None] | None = None
) -> Iterator[ImportReport]:
    shared = shared or SHARED_DATA_DIR
    laws = shared / "laws"
    if not laws.is_dir():
        raise ImportFailed([Problem(str(laws), None, None, "shared laws folder not found (use --shared)")])
    say = progress or (lambda _msg: None)
    say("regions")
    yield import_regions(db, ASSETS_DIR / "regions.csv")
    say("laws (about 20 s)")
    yield import_laws(db, laws, progress=progress)
    say("cases")
    yield import_cases(db, [shared / "cases" / "cases.jsonl", laws / "案例"])
    say("directory")
    yield import_directory(
        db, [SAMPLE_DIR / "institutions.csv", SAMPLE_DIR / "people.csv", SAMPLE_DIR / "integrity.csv"]
    )
    say("guides")
    yield import_guides(db, SAMPLE_DIR / "guides")
    yield import_topics(db, SAMPLE_DIR / "topics.csv")
    yield import_synonyms(db, ASSETS_DIR / "synonyms.tsv")
    yield import_publicity(db, SAMPLE_DIR / "publicity.toml")
    with bound_to(db), db.atomic():
        today = dt.date.today().isoformat()
        Meta.insert(key="content_version", value=f"demo-{today}").on_conflict_replace().execute()
        Meta.insert(key="content_date", value=today).on_conflict_replace().execute()
