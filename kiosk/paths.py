"""Where every file of a terminal lives, computed once from ``--data-dir`` or ``KIOSK_DATA_DIR``.

Everything that writes to disk asks a :class:`DataPaths`; tests and benchmarks point it at a
temporary folder so nothing touches the real terminal's files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_DATA_DIR = "KIOSK_DATA_DIR"
DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "legal-kiosk"

#: The repository's own folders (assets ship with the package's source tree).
REPO_ROOT = Path(__file__).resolve().parent.parent
ASSETS_DIR = REPO_ROOT / "assets"
SAMPLE_DIR = ASSETS_DIR / "sample"
#: Development data lives beside the work folder and is never copied into the repository.
SHARED_DATA_DIR = REPO_ROOT.parent / "shared" / "data"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> DataPaths:
        chosen = data_dir or os.environ.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR
        return cls(Path(chosen).expanduser().resolve())

    def ensure(self) -> DataPaths:
        self.root.mkdir(parents=True, exist_ok=True)
        self.media_dir.mkdir(exist_ok=True)
        self.state_dir.mkdir(exist_ok=True)
        return self

    @property
    def content_db(self) -> Path:
        return self.root / "content.sqlite3"

    @property
    def outbox_db(self) -> Path:
        return self.root / "outbox.sqlite3"

    @property
    def config_file(self) -> Path:
        return self.root / "config.toml"

    @property
    def media_dir(self) -> Path:
        return self.root / "media"

    @property
    def device_file(self) -> Path:
        """The enrolled identity (kiosk.sync.device writes it); its absence means: not enrolled."""
        return self.state_dir / "device.json"

    @property
    def trust_root(self) -> Path:
        """The platform's TUF root metadata this terminal was enrolled with (kiosk.sync.device.ROOT_FILE)."""
        return self.state_dir / "tuf" / "root.bootstrap.json"

    @property
    def state_dir(self) -> Path:
        """Small state files: sync progress, PIN lockout, device token."""
        return self.root / "state"
