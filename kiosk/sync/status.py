"""What the last sync runs did, for the header, the admin panel and the platform.

``state/sync_status.json`` is rewritten atomically at the end of every run::

    {"last_attempt": "2025-05-01T08:00:00+00:00", "result": "ok", "exit_code": 0,
     "last_success": "2025-05-01T08:00:00+00:00", "content_version": 12, "content_date": "2025-04-30",
     "pending_events": 0, "message": "", "stages": {"metadata": "ok", "content": "ok", ...}}

``last_success`` is the end of the last run that verified fresh metadata and holds its content:
the header warns when it is older than the ``stale_content_days`` setting (:meth:`SyncStatus.is_stale`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from kiosk.paths import DataPaths

STATUS_FILE = "sync_status.json"


@dataclass
class SyncStatus:
    last_attempt: str | None = None
    result: str | None = None
    exit_code: int | None = None
    last_success: str | None = None
    content_version: int | None = None
    content_date: str | None = None
    pending_events: int = 0
    message: str = ""
    stages: dict[str, str] = field(default_factory=dict)

    def last_success_time(self) -> dt.datetime | None:
        if not self.last_success:
            return None
        try:
            when = dt.datetime.fromisoformat(self.last_success)
        except ValueError:
            return None
        return when if when.tzinfo else when.replace(tzinfo=dt.UTC)

    def is_stale(self, limit_days: int, now: dt.datetime | None = None) -> bool:
        """True when no sync succeeded within ``limit_days`` (or never)."""
        when = self.last_success_time()
        if when is None:
            return True
        return (now or dt.datetime.now(dt.UTC)) - when > dt.timedelta(days=limit_days)


def read_status(paths: DataPaths) -> SyncStatus:
    """The saved status; an empty one when no run finished yet or the file is unreadable."""
    try:
        data: Any = json.loads((paths.state_dir / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return SyncStatus()
    if not isinstance(data, dict):
        return SyncStatus()
    known = set(SyncStatus.__dataclass_fields__)
    try:
        return SyncStatus(**{k: v for k, v in data.items() if k in known})
    except TypeError:
        return SyncStatus()


def write_status(paths: DataPaths, status: SyncStatus) -> None:
    from kiosk.sync.device import write_file

    write_file(paths.state_dir / STATUS_FILE, json.dumps(asdict(status), ensure_ascii=False, indent=1).encode())
