"""The content and media stages of a sync run (the runner calls them; they raise our errors)."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import peewee as pw

from kiosk.sync.content import apply_package, local_version
from kiosk.sync.errors import PackageError, VerificationRefused
from kiosk.sync.package import read_header
from kiosk.sync.repository import ContentIndex, ContentRepository, PackageRef, plan

_SHA_NAME = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class ContentOutcome:
    before: int | None
    after: int | None
    applied: list[dict[str, Any]] = field(default_factory=list)
    fell_back: str | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _check_header(path: Path, ref: PackageRef) -> None:
    header = read_header(path)
    if (header.kind, header.version, header.base) != (ref.kind, ref.version, ref.base):
        raise VerificationRefused(f"{ref.path}: package header does not match the signed index")


OnStep = Callable[[str], None]


def _no_step(step: str) -> None:
    pass


def _apply(db: pw.Database, repo: ContentRepository, ref: PackageRef, outcome: ContentOutcome, on_step: OnStep) -> None:
    on_step(f"download {ref.kind} {ref.version}")
    path = repo.fetch(ref.path)
    _check_header(path, ref)
    on_step(f"apply {ref.kind} {ref.version}")
    started = time.monotonic()
    result = apply_package(db, path)
    outcome.applied.append(
        {
            "kind": ref.kind,
            "version": ref.version,
            "base": ref.base,
            "bytes": ref.length,
            "inserted": result.stats.inserted,
            "updated": result.stats.updated,
            "deleted": result.stats.deleted,
            "apply_ms": round((time.monotonic() - started) * 1000),
        }
    )
    path.unlink(missing_ok=True)


def _tidy_downloads(repo: ContentRepository, keep: list[PackageRef]) -> None:
    """Drop downloaded files of packages no longer planned (keeps partial files we will resume)."""
    if not repo.downloads.is_dir():
        return
    names = {ref.path.rpartition("/")[2] for ref in keep}
    for path in repo.downloads.iterdir():
        stem = path.name.removesuffix(".part").split(".", 1)
        if len(stem) == 2 and stem[1] in names:
            continue
        if path.name.endswith("index.json") or path.name.endswith("index.json.part"):
            continue
        path.unlink(missing_ok=True)


def content_stage(
    db: pw.Database, repo: ContentRepository, index: ContentIndex, on_step: OnStep = _no_step
) -> ContentOutcome:
    """Apply the planned packages; ``on_step`` hears which package is downloaded or applied (saved progress)."""
    current = local_version(db)
    outcome = ContentOutcome(current, current)
    chosen = plan(index, current)
    _tidy_downloads(repo, [*chosen, index.snapshot()])
    try:
        for ref in chosen:
            _apply(db, repo, ref, outcome, on_step)
    except PackageError as exc:
        if chosen[0].kind != "delta":
            raise
        # A delta that does not fit what we hold (e.g. content imported locally): take the snapshot.
        outcome.fell_back = str(exc)
        _apply(db, repo, index.snapshot(), outcome, on_step)
    outcome.after = local_version(db)
    with contextlib.suppress(pw.OperationalError):  # a reader holds the WAL: SQLite checkpoints later
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return outcome


@dataclass
class MediaOutcome:
    fetched: int = 0
    present: int = 0
    removed: int = 0


def media_stage(db: pw.Database, repo: ContentRepository, media_dir: Path) -> MediaOutcome:
    """Fetch every media file the content refers to (verified, resumable); drop unreferenced ones."""
    outcome = MediaOutcome()
    wanted = {row[0]: row[1] for row in db.execute_sql("SELECT sha256, size FROM media")}
    media_dir.mkdir(parents=True, exist_ok=True)
    for sha, size in sorted(wanted.items()):
        dest = media_dir / sha
        if dest.is_file() and dest.stat().st_size == size:
            outcome.present += 1
            continue
        info = repo.target(f"media/{sha}")
        if info.hashes.get("sha256") != sha or info.length != size:
            raise VerificationRefused(f"media/{sha}: signed metadata disagrees with the content record")
        repo.fetch(f"media/{sha}", dest)
        outcome.fetched += 1
    for path in media_dir.iterdir():
        name = path.name.removesuffix(".part")
        if _SHA_NAME.match(name) and name not in wanted:
            path.unlink(missing_ok=True)
            outcome.removed += 1
    return outcome
