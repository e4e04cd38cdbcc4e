"""The background sync and its saved status, for the running kiosk and the admin panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.paths import DataPaths


class SyncService:
    def __init__(self, paths: DataPaths):
        self.paths = paths

    @property
    def enrolled(self) -> bool:
        return self.paths.device_file.exists()

    def background(
        self, on_result: Callable[[Any], None], on_line: Callable[[dict[str, Any]], None]
    ) -> Any:  # kiosk.sync.schedule.BackgroundSync, loaded only on an enrolled terminal
        from kiosk.sync.schedule import BackgroundSync

        return BackgroundSync(self.paths, on_result=on_result, on_line=on_line)

    def is_stale(self, limit_days: int) -> bool:
        from kiosk.sync.status import read_status

        return read_status(self.paths).is_stale(limit_days)

    def last_sync_text(self) -> str:
        from kiosk.sync.errors import EXIT_NAMES
        from kiosk.sync.status import read_status

        status = read_status(self.paths)
        if not status.last_attempt:
            return "还没有同步过。"
        fallback = status.result or EXIT_NAMES.get(status.exit_code or 1)
        result = "成功" if status.result == "ok" else f"未成功（{fallback}）"
        text = f"上次同步：{status.last_attempt[:16].replace('T', ' ')}，{result}。"
        if status.last_success:
            text += f"上次成功：{status.last_success[:16].replace('T', ' ')}。"
        if status.message:
            text += status.message
        return text
