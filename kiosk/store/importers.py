"""One entry point per ``kiosk import KIND``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import peewee as pw

from kiosk.store.errors import ImportFailed, Problem
from kiosk.store.report import ImportReport


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
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    for path in paths:
        if not path.exists():
            raise ImportFailed([Problem(str(path), None, None, "no such file or folder")])
    if kind == "laws":
        from kiosk.store.import_laws import import_laws

        return import_laws(db, _one(paths, kind), keep_missing=keep_missing, progress=progress)
    raise ImportFailed([Problem(kind, None, None, "unknown import kind")])
