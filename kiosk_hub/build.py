"""The hub's own content database, built with the terminal's importers from the publisher's sources.

The database persists between publications (``build/content.sqlite3``): importers update it in
place, so publishing after a small change re-parses everything but rewrites only what changed.
Each source is the whole collection of its kind (rows missing from it are removed), except kinds
listed in ``skip``, which keep what the database already holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import peewee as pw

from kiosk.paths import ASSETS_DIR, SAMPLE_DIR, SHARED_DATA_DIR
from kiosk.store.db import open_content_db
from kiosk.store.import_report import ImportReport
from kiosk.store.importers import run_import
from kiosk_hub.paths import HubError, HubPaths

#: Import order: laws before what cites them, institutions before people.
KINDS = ("regions", "laws", "cases", "directory", "guides", "topics", "synonyms", "publicity")


@dataclass
class Sources:
    """What ``kiosk-hub publish`` imports; ``None`` means the demo sample content."""

    laws: Path | None = None
    cases: list[Path] | None = None
    directory: list[Path] | None = None
    guides: Path | None = None
    topics: Path | None = None
    synonyms: Path | None = None
    publicity: Path | None = None
    regions: Path | None = None
    skip: set[str] = field(default_factory=set)

    def paths_for(self, kind: str) -> list[Path]:
        given = getattr(self, kind)
        if given is not None:
            return list(given) if isinstance(given, list) else [given]
        defaults: dict[str, list[Path]] = {
            "regions": [ASSETS_DIR / "regions.csv"],
            "laws": [SHARED_DATA_DIR / "laws"],
            "cases": [SHARED_DATA_DIR / "cases" / "cases.jsonl", SHARED_DATA_DIR / "laws" / "案例"],
            "directory": [SAMPLE_DIR / "institutions.csv", SAMPLE_DIR / "people.csv", SAMPLE_DIR / "integrity.csv"],
            "guides": [SAMPLE_DIR / "guides"],
            "topics": [SAMPLE_DIR / "topics.csv"],
            "synonyms": [ASSETS_DIR / "synonyms.tsv"],
            "publicity": [SAMPLE_DIR / "publicity.toml"],
        }
        return defaults[kind]


def build_db_path(paths: HubPaths) -> Path:
    return paths.build_dir / "content.sqlite3"


def media_dir(paths: HubPaths) -> Path:
    """Media files of the build, named by sha256 or by their file name (as on a terminal)."""
    return paths.build_dir / "media"


def build(
    paths: HubPaths, sources: Sources, progress: Callable[[str], None] | None = None
) -> tuple[pw.Database, list[ImportReport]]:
    unknown = sources.skip - set(KINDS)
    if unknown:
        raise HubError(f"unknown content kind(s) to skip: {', '.join(sorted(unknown))}")
    say = progress or (lambda _msg: None)
    db = open_content_db(build_db_path(paths))
    media_dir(paths).mkdir(parents=True, exist_ok=True)
    reports = []
    for kind in KINDS:
        if kind in sources.skip:
            continue
        chosen = [p for p in sources.paths_for(kind) if p.exists() or getattr(sources, kind) is not None]
        if not chosen:
            continue
        say(f"importing {kind}")
        # a publish is the whole content: what the sources no longer list goes (replace=True)
        reports.append(run_import(db, kind, chosen, keep_missing=False, replace=True, progress=progress))
    return db, reports
