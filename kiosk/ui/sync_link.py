"""The running kiosk and the background sync: scheduled runs with random spread, "sync now" from the
admin panel, new content shown without a restart, settings from the platform applied live, and the
header's content date with a warning when the last good sync is too old."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from kiosk.config import BY_NAME, Config, ConfigError
from kiosk.logsetup import log_sync_line
from kiosk.services.syncing import SyncService

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp

log = logging.getLogger(__name__)


class SyncLink(QObject):
    finished = Signal(object)  # SyncResult, on the UI thread
    line = Signal(object)  # each JSON stage line, on the UI thread

    def __init__(self, app: KioskApp):
        super().__init__(app)
        self.app = app
        self.paths = app.services.paths
        self.service = SyncService(self.paths)
        self.sync: Any = None
        self.listeners: list[Callable[[dict[str, Any]], None]] = []
        self.finished.connect(self._finished)
        self.line.connect(self._line)

    @property
    def enrolled(self) -> bool:
        return self.service.enrolled

    def start(self) -> None:
        """Begin the schedule (first run after a random delay, then every sync_interval_minutes ± 20 %)."""
        if self.sync is not None or not self.enrolled:
            return
        self.sync = self.service.background(self.finished.emit, self.line.emit)
        self.sync.start()

    def request_now(self) -> bool:
        """The admin panel's 立即同步; False when the terminal is not enrolled."""
        if not self.enrolled:
            return False
        self.start()
        self.sync.request_now()
        return True

    @property
    def running(self) -> bool:
        return bool(self.sync is not None and self.sync.running)

    def stop(self) -> None:
        if self.sync is not None:
            self.sync.stop(timeout=5)
            self.sync = None

    # --- results (UI thread) ----------------------------------------------------------------------

    def _line(self, line: dict[str, Any]) -> None:
        log_sync_line(line)  # as `kiosk sync` prints, into the sync journal too
        for listener in list(self.listeners):
            listener(line)

    def _finished(self, result: Any) -> None:
        self.apply_settings()
        if getattr(result, "content_changed", False):
            self.content_changed()
        self.refresh_header()

    def apply_settings(self) -> dict[str, tuple[Any, Any]]:
        """Take the remote settings the last sync wrote to the config file into the running kiosk."""
        services = self.app.services
        if not services.config.path.exists():
            return {}  # nothing saved yet: no sync has written settings either
        try:
            fresh = Config.load(services.config.path)  # the file the running settings came from
        except ConfigError as exc:
            log.error("config file unreadable, settings kept: %s", exc)
            return {}
        changed: dict[str, tuple[Any, Any]] = {}
        for name, setting in BY_NAME.items():
            old, new = getattr(services.config, name), getattr(fresh, name)
            if setting.remote and old != new:
                services.config.set(name, new)
                changed[name] = (old, new)
        if not changed:
            return changed
        log.info(json.dumps({"event": "settings_applied", "changes": changed}, ensure_ascii=False, default=str))
        if "idle_seconds" in changed:
            self.app.idle.idle_seconds = float(services.config.idle_seconds)
        if "announcement" in changed:
            services.home.announcement = services.config.announcement
            if self.app.nav.current_route == "home":
                self.app.nav.reset("home")
        if "elder_mode_default" in changed and self.app.nav.current_route == "attract":
            self.app.set_elder(bool(services.config.elder_mode_default))  # nobody is using the screen
        # Otherwise elder_mode_default takes effect for the next resident (the idle reset applies it);
        # consult_answer_seconds, the legal-aid threshold and intervals are read when used.
        return changed

    def content_changed(self) -> None:
        """New content is already committed: drop what the screens cached; refresh an idle screen."""
        self.app.services.laws.forget_cached()
        self.app.services.directory.forget_cached()
        self.app.keep_search_warm()  # the search catalogue reloads with the content: warm it again
        if self.app.nav.current_route in ("home", "attract"):
            self.app.nav.reset(self.app.nav.current_route)

    def refresh_header(self) -> None:
        text = self.app.services.home.content_date_text()
        if self.enrolled:
            limit = int(self.app.services.config.stale_content_days)
            if self.service.is_stale(limit):  # kiosk.sync loads only on an enrolled terminal
                text += f"（已超过{limit}天未更新）"
        self.app.chrome.set_content_date(text)
