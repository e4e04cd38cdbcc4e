"""One entry point per ``kiosk import KIND``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import peewee as pw

from kiosk.store.errors import ImportFailed, Problem
from kiosk.store.import_report import ImportReport


def _one(paths: list[Path], kind: str) -> Path:
    if len(paths) != 1:
        raise ImportFailed([Problem(" ".join(map(str, paths)), None, None, f"{kind} takes exactly one path")])
    return paths[0]


def run_import(
    db: pw.Database,
    kind: str,
    paths: list[Path],
    *,
    keep_missing: bool = False,
    replace: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """``replace``: directory only — remove stored entries that the given files do not list (without it
    a directory import adds and updates only: one file never wipes the rest)."""
    for path in paths:
        if not path.exists():
            raise ImportFailed([Problem(str(path), None, None, "no such file or folder")])
    if kind == "laws":
        from kiosk.store.import_laws import import_laws

        return import_laws(db, _one(paths, kind), keep_missing=keep_missing, progress=progress)
    if kind == "cases":
        from kiosk.store.import_cases import import_cases

        return import_cases(db, paths, keep_missing=keep_missing)
    if kind == "directory":
        from kiosk.store.import_directory import import_directory

        return import_directory(db, paths, keep_missing=keep_missing or not replace)
    if kind == "guides":
        from kiosk.store.import_guides import import_guides

        return import_guides(db, _one(paths, kind), keep_missing=keep_missing)
    if kind == "regions":
        from kiosk.store.regions import import_regions

        return import_regions(db, _one(paths, kind))
    if kind in ("topics", "synonyms", "publicity"):
        from kiosk.store import import_misc

        importer = getattr(import_misc, f"import_{kind}")
        report: ImportReport = importer(db, _one(paths, kind))
        return report
    raise ImportFailed([Problem(kind, None, None, "unknown import kind")])
