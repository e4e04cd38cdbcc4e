"""``kiosk-hub publish``: import → snapshot and deltas → sign → static repository.

A new version gets a full snapshot package, a delta from each of the last ``delta_count`` versions,
its media files, and ``content/index.json`` listing them; all are TUF targets. Files of versions
older than ``keep_versions`` are removed (terminals in the middle of an older download finish it
from the still-present file; new runs read the new metadata).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import peewee as pw

from kiosk.store.db import SCHEMA_VERSION
from kiosk_hub.build import Sources, build, media_dir
from kiosk_hub.packages import BuiltPackage, load_map, same_content, save_map, version_map, write_delta, write_snapshot
from kiosk_hub.paths import HubConfig, HubError, HubPaths
from kiosk_hub.tufrepo import TufRepo

INDEX_PATH = "content/index.json"
INDEX_FORMAT = "kiosk-content-index"
CHINA_TZ = dt.timezone(dt.timedelta(hours=8))


@dataclass
class PublishResult:
    version: int | None  # None: nothing changed
    packages: list[BuiltPackage] = field(default_factory=list)
    media: int = 0
    reports: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = list(self.reports)
        if self.version is None:
            lines.append("content unchanged: no new version published")
        else:
            lines.append(f"published content version {self.version}")
            lines += [
                f"  {p.kind:8} {p.path.name:34} {p.length:>12,} bytes  {p.operations:>8} records" for p in self.packages
            ]
            lines.append(f"  media files: {self.media}")
        return "\n".join(lines)


def published_versions(paths: HubPaths) -> list[int]:
    return sorted(int(p.name.split(".")[0]) for p in paths.versions.glob("*.map.json.gz"))


def _media_targets(db: pw.Database, repo: TufRepo, paths: HubPaths) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    targets: dict[str, Any] = {}
    listed = []
    for sha, size, mime, filename in db.execute_sql("SELECT sha256, size, mime, filename FROM media ORDER BY sha256"):
        source = next((p for p in (media_dir(paths) / sha, media_dir(paths) / filename) if p.is_file()), None)
        if source is None:
            raise HubError(f"media file {filename} ({sha}) is not in {media_dir(paths)}")
        path = f"media/{sha}"
        info = repo.add_target_file(source, path, {"kind": "media", "mime": mime})
        if info.hashes["sha256"] != sha or info.length != size:
            raise HubError(f"media file {source} does not match its record (sha256/size)")
        targets[path] = info
        listed.append({"path": path, "sha256": sha, "length": size, "mime": mime})
    return targets, listed


def _listed_version(repo: TufRepo) -> int:
    """The content version the signed targets list now (0 before the first publication)."""
    info = repo.targets().signed.targets.get(INDEX_PATH)
    custom = info.unrecognized_fields.get("custom", {}) if info is not None else {}
    version = custom.get("version", 0) if isinstance(custom, dict) else 0
    return version if isinstance(version, int) else 0


def publish(
    paths: HubPaths,
    sources: Sources,
    *,
    force: bool = False,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> PublishResult:
    config = paths.load_config()
    db, reports = build(paths, sources, progress)
    current = version_map(db)
    versions = published_versions(paths)
    result = PublishResult(None, reports=[r.summary() for r in reports])
    if versions and not force and same_content(load_map(paths.versions / f"{versions[-1]}.map.json.gz"), current):
        return result
    repo = TufRepo(paths, config)
    version = max(versions[-1] if versions else 0, _listed_version(repo)) + 1
    now = dt.datetime.now(CHINA_TZ).replace(microsecond=0)
    content_date = (today or now.date()).isoformat()
    published = now.isoformat()
    paths.versions.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=paths.root) as tmp:
        out = Path(tmp)
        snap = write_snapshot(db, out / f"snapshot-{version}.jsonl.gz", version, current, content_date, published)
        built = [snap]
        for base in versions[-config.delta_count :] if config.delta_count else []:
            base_map = load_map(paths.versions / f"{base}.map.json.gz")
            built.append(
                write_delta(
                    snap.path,
                    out / f"delta-{base}-{version}.jsonl.gz",
                    version,
                    base,
                    base_map,
                    current,
                    content_date,
                    published,
                )
            )
        targets, packages = {}, []
        for pkg in built:
            path = f"content/{pkg.path.name}"
            custom = {"kind": pkg.kind, "version": pkg.version, "base": pkg.base}
            targets[path] = repo.add_target_file(pkg.path, path, custom)
            packages.append({**custom, "path": path, "length": pkg.length, "records": pkg.operations})
        media_targets, media = _media_targets(db, repo, paths)
        targets.update(media_targets)
        index = {
            "format": INDEX_FORMAT,
            "format_version": 1,
            "latest": version,
            "schema": SCHEMA_VERSION,
            "content_date": content_date,
            "published": published,
            "packages": packages,
            "media": media,
        }
        index_file = out / "index.json"
        index_file.write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
        targets[INDEX_PATH] = repo.add_target_file(index_file, INDEX_PATH, {"kind": "index", "version": version})
        repo.publish(targets)
        # after publishing: a version whose map exists was published (deltas are built from maps)
        (paths.versions / f"{version}.json").write_text(
            json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        save_map(paths.versions / f"{version}.map.json.gz", current)
    _prune(paths, config, version)
    result.version = version
    result.packages = built
    result.media = len(media)
    return result


def _prune(paths: HubPaths, config: HubConfig, latest: int) -> None:
    """Drop maps and package files of versions that fell out of ``keep_versions``."""
    keep = latest - config.keep_versions
    for map_file in paths.versions.glob("*.map.json.gz"):
        if int(map_file.name.split(".")[0]) <= keep:
            map_file.unlink()
            map_file.with_name(map_file.name.replace(".map.json.gz", ".json")).unlink(missing_ok=True)
    content = paths.targets / "content"
    for pkg in content.glob("*.jsonl.gz") if content.is_dir() else []:
        version = int(pkg.name.rsplit("-", 1)[1].split(".")[0])
        if version <= keep:
            pkg.unlink()
    shutil.rmtree(paths.root / "tmp", ignore_errors=True)
