"""The signed content repository as the terminal sees it (python-tuf ``ngclient`` underneath).

Every file is reached through signed metadata: ``content/index.json`` (itself a target) lists the
versions' packages and media, and each package is fetched only when the current targets metadata
lists it, with its length and sha256. Every python-tuf failure is translated into our errors:
refusals (rollback, freeze, unknown key, tampering, oversize) become ``VerificationRefused``,
network trouble ``PlatformUnreachable``.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from tuf.api import exceptions as tuf_exc
from tuf.api.metadata import TargetFile
from tuf.ngclient import FetcherInterface, Updater, UpdaterConfig

from kiosk.sync.download import download
from kiosk.sync.errors import PlatformUnreachable, ProtocolError, SyncError, VerificationRefused
from kiosk.sync.http import Http, TufFetcher

INDEX_PATH = "content/index.json"
MAX_INDEX = 4 * 1024 * 1024
T = TypeVar("T")


@dataclass(frozen=True)
class PackageRef:
    path: str
    kind: str
    version: int
    base: int | None
    length: int


@dataclass(frozen=True)
class ContentIndex:
    latest: int
    content_date: str
    published: str
    schema: int
    packages: tuple[PackageRef, ...]
    media: tuple[str, ...]  # target paths

    def snapshot(self) -> PackageRef:
        for ref in self.packages:
            if ref.kind == "snapshot" and ref.version == self.latest:
                return ref
        raise ProtocolError("the content index lists no snapshot of its latest version")


def _int(value: Any, what: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ProtocolError(f"content index: {what} must be an integer ≥ {minimum}")
    return value


def parse_index(raw: bytes) -> ContentIndex:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ProtocolError("content index is not JSON") from None
    if not isinstance(data, dict) or data.get("format") != "kiosk-content-index" or data.get("format_version") != 1:
        raise ProtocolError("not a kiosk content index (format kiosk-content-index v1)")
    packages = data.get("packages")
    media = data.get("media")
    if not isinstance(packages, list) or not isinstance(media, list):
        raise ProtocolError("content index: packages and media must be lists")
    refs = []
    for item in packages:
        if not isinstance(item, dict) or item.get("kind") not in ("snapshot", "delta"):
            raise ProtocolError("content index: bad package entry")
        path = item.get("path")
        if not isinstance(path, str) or not path.startswith("content/"):
            raise ProtocolError("content index: bad package path")
        base = None if item["kind"] == "snapshot" else _int(item.get("base"), "base", 1)
        refs.append(
            PackageRef(
                path, item["kind"], _int(item.get("version"), "version", 1), base, _int(item.get("length"), "length")
            )
        )
    media_paths = []
    for item in media:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str) or not item["path"].startswith("media/"):
            raise ProtocolError("content index: bad media entry")
        media_paths.append(item["path"])
    for name in ("content_date", "published"):
        if not isinstance(data.get(name), str):
            raise ProtocolError(f"content index: {name} must be text")
    return ContentIndex(
        _int(data.get("latest"), "latest", 1),
        data["content_date"],
        data["published"],
        _int(data.get("schema"), "schema", 1),
        tuple(refs),
        tuple(media_paths),
    )


def plan(index: ContentIndex, current: int | None) -> list[PackageRef]:
    """The packages to apply, in order: nothing, the cheapest delta chain, or the snapshot."""
    if current == index.latest:
        return []
    if current is not None and current > index.latest:
        raise VerificationRefused(f"the platform offers version {index.latest}, older than the {current} held")
    snapshot = index.snapshot()
    if current is None:
        return [snapshot]
    edges: dict[int, list[PackageRef]] = {}
    for ref in index.packages:
        if ref.kind == "delta" and ref.base is not None and ref.base < ref.version <= index.latest:
            edges.setdefault(ref.base, []).append(ref)
    best: dict[int, tuple[int, int, list[PackageRef]]] = {current: (0, 0, [])}
    queue = [(0, 0, current)]
    while queue:  # Dijkstra on bytes, then on the number of hops
        cost, hops, node = heapq.heappop(queue)
        if (cost, hops) > best[node][:2]:
            continue
        for ref in edges.get(node, []):
            candidate = (cost + ref.length, hops + 1)
            if ref.version not in best or candidate < best[ref.version][:2]:
                best[ref.version] = (*candidate, [*best[node][2], ref])
                heapq.heappush(queue, (*candidate, ref.version))
    chain = best.get(index.latest)
    if chain is not None and chain[0] <= snapshot.length:
        return chain[2]
    return [snapshot]


def guarded(fn: Callable[[], T]) -> T:
    """Run a python-tuf call, translating its errors into ours."""
    try:
        return fn()
    except tuf_exc.DownloadLengthMismatchError as exc:
        raise VerificationRefused(f"metadata larger than announced: {exc}") from None
    except tuf_exc.ExpiredMetadataError as exc:
        raise VerificationRefused(f"expired metadata (frozen repository or wrong clock): {exc}") from None
    except tuf_exc.BadVersionNumberError as exc:
        raise VerificationRefused(f"older metadata than already trusted (rollback): {exc}") from None
    except tuf_exc.UnsignedMetadataError as exc:
        raise VerificationRefused(f"metadata not signed by a trusted key: {exc}") from None
    except tuf_exc.RepositoryError as exc:
        raise VerificationRefused(f"metadata refused: {type(exc).__name__}: {exc}") from None
    except tuf_exc.DownloadHTTPError as exc:
        raise PlatformUnreachable(f"repository answered HTTP {exc.status_code}") from None
    except tuf_exc.DownloadError as exc:
        if isinstance(exc.__cause__, SyncError):
            raise exc.__cause__ from None
        raise PlatformUnreachable(f"repository download failed: {exc}") from None


class ContentRepository:
    def __init__(
        self,
        state_dir: Path,
        repository_url: str,
        bootstrap: bytes,
        http: Http,
        fetcher: FetcherInterface | None = None,
    ):
        self.http = http
        self.base = repository_url if repository_url.endswith("/") else repository_url + "/"
        self.downloads = state_dir / "sync" / "downloads"
        metadata_dir = state_dir / "tuf" / "metadata"
        metadata_dir.mkdir(parents=True, exist_ok=True)
        config = UpdaterConfig(
            timestamp_max_length=64 * 1024, snapshot_max_length=256 * 1024, targets_max_length=16 * 1024 * 1024
        )
        self.updater = guarded(
            lambda: Updater(
                str(metadata_dir),
                self.base + "metadata/",
                target_dir=str(self.downloads),
                target_base_url=self.base + "targets/",
                fetcher=fetcher or TufFetcher(http),
                config=config,
                bootstrap=bootstrap,
            )
        )

    def refresh(self) -> None:
        guarded(self.updater.refresh)

    def target(self, path: str) -> TargetFile:
        info = guarded(lambda: self.updater.get_targetinfo(path))
        if info is None:
            raise VerificationRefused(f"{path} is not listed in the signed targets metadata")
        if "sha256" not in info.hashes:
            raise VerificationRefused(f"{path}: signed metadata gives no sha256")
        return info

    def url(self, info: TargetFile) -> str:
        directory, sep, name = info.path.rpartition("/")
        return f"{self.base}targets/{directory}{sep}{info.hashes['sha256']}.{name}"

    def fetch(self, path: str, dest: Path | None = None) -> Path:
        """Download target ``path`` (resuming, verified); returns the verified local file."""
        info = self.target(path)
        if dest is None:
            dest = self.downloads / f"{info.hashes['sha256']}.{path.rpartition('/')[2]}"
        return download(self.http, self.url(info), dest, info)

    def index(self) -> ContentIndex:
        info = self.target(INDEX_PATH)
        if info.length > MAX_INDEX:
            raise VerificationRefused("content index larger than allowed")
        path = self.fetch(INDEX_PATH)
        for old in self.downloads.glob("*.index.json"):
            if old != path:
                old.unlink(missing_ok=True)
        return parse_index(path.read_bytes())
