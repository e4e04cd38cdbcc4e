"""Where the hub keeps its files, and its settings (``hub.toml``)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, field, fields
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
    #: Residents' requests: the personal part is deleted this many days after 办结 (the consent
    #: notice on the terminal says 办结后最长保存三年).
    request_retention_days: int = 1095
    request_key_file: str = ""  # "" = keys/requests.key in the data folder; put it elsewhere in production
    consult_wait_minutes: int = 15  # a waiting video call nobody answers leaves the queue as missed
    #: Overrides of kiosk_hub.limits.DEFAULT_LIMITS: "events:device" = [burst, period_seconds]; [0, 0] = none
    rate_limits: dict[str, list[float]] = field(default_factory=dict)

    def check(self) -> None:
        if not 1 <= self.timestamp_days <= 7:
            raise HubError("timestamp_days must be between 1 and 7")
        if self.delta_count < 0 or self.keep_versions < self.delta_count:
            raise HubError("delta_count must be ≥ 0 and keep_versions ≥ delta_count")
        if not 1 <= self.request_retention_days <= 3650:
            raise HubError("request_retention_days must be between 1 and 3650")
        if not 1 <= self.consult_wait_minutes <= 240:
            raise HubError("consult_wait_minutes must be between 1 and 240")
        for key, value in self.rate_limits.items():
            if (
                not isinstance(value, list)
                or len(value) != 2
                or not all(isinstance(v, int | float) and v >= 0 for v in value)
            ):
                raise HubError(f"rate_limits.{key} must be [burst, period_seconds]")


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

    def request_key(self, config: HubConfig) -> Path:
        """The key that encrypts residents' names and phone numbers: never inside the database."""
        return (
            Path(config.request_key_file).expanduser()
            if config.request_key_file
            else self.root / "keys" / "requests.key"
        )

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
