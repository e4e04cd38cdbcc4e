"""Where the hub keeps its files, and its settings (``hub.toml``)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import tomli_w

from kiosk.fileio import write_atomic
from kiosk.store.errors import KioskError

ENV_DATA_DIR = "KIOSK_HUB_DATA_DIR"
DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "legal-kiosk-hub"


class HubError(KioskError):
    pass


@dataclass
class HubConfig:
    timestamp_days: int = 1  # 1..7: how long a terminal accepts metadata without a fresh timestamp
    snapshot_days: int = 30
    targets_days: int = 30
    root_days: int = 365
    delta_count: int = 5  # deltas from each of the last N versions
    keep_versions: int = 8  # package files of older versions stay downloadable this long
    repository_url: str = ""  # public base URL of the static repository ("" = this hub's /repo/)
    video_url_template: str = "https://meet.example.invalid/kiosk-{room}"
    enrol_code_days: int = 7
    database_url: str = ""  # "" = SQLite in the data folder; postgresql://… for a province

    def check(self) -> None:
        if not 1 <= self.timestamp_days <= 7:
            raise HubError("timestamp_days must be between 1 and 7")
        if self.delta_count < 0 or self.keep_versions < self.delta_count:
            raise HubError("delta_count must be ≥ 0 and keep_versions ≥ delta_count")


@dataclass(frozen=True)
class HubPaths:
    root: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None) -> HubPaths:
        chosen = data_dir or os.environ.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR
        return cls(Path(chosen).expanduser().resolve())

    @property
    def config_file(self) -> Path:
        return self.root / "hub.toml"

    @property
    def online_keys(self) -> Path:
        return self.root / "keys" / "online"

    @property
    def offline_keys(self) -> Path:
        """The root key: only needed to rotate keys; move it to offline storage after ``init``."""
        return self.root / "keys" / "offline"

    @property
    def repo(self) -> Path:
        """The static repository: serve this folder with any web server."""
        return self.root / "repo"

    @property
    def metadata(self) -> Path:
        return self.repo / "metadata"

    @property
    def targets(self) -> Path:
        return self.repo / "targets"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def versions(self) -> Path:
        return self.root / "versions"

    @property
    def db_file(self) -> Path:
        return self.root / "hub.sqlite3"

    @property
    def admin_token_file(self) -> Path:
        return self.root / "admin.token"

    @property
    def lock_file(self) -> Path:
        return self.root / "repo.lock"

    def load_config(self) -> HubConfig:
        if not self.config_file.exists():
            raise HubError(f"{self.root} is not a hub data folder (run `kiosk-hub init` first)")
        try:
            raw: dict[str, Any] = tomllib.loads(self.config_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise HubError(f"{self.config_file}: {exc}") from None
        known = {f.name for f in fields(HubConfig)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise HubError(f"{self.config_file}: unknown setting(s) {', '.join(unknown)}")
        config = HubConfig(**raw)
        config.check()
        return config

    def save_config(self, config: HubConfig) -> None:
        config.check()
        write_private(self.config_file, tomli_w.dumps(asdict(config)).encode(), mode=0o644)


def write_private(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write a file atomically with the given mode (private by default), fsynced."""
    write_atomic(path, data, mode)
