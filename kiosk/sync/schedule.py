"""Background sync inside the app: on a schedule with random spread, and on demand. Qt-free.

Usage from the UI (callbacks arrive on the sync thread: hop to the UI thread before touching
widgets)::

    from kiosk.sync.schedule import BackgroundSync
    from kiosk.sync.status import read_status

    sync = BackgroundSync(paths, on_result=lambda r: ui_call(refresh_if, r.content_changed),
                          on_line=lambda line: ui_call(show_stage, line["stage"], line["status"]))
    sync.start()            # first run after a random 0..5 min, then every sync_interval_minutes ±20 %
    sync.request_now()      # the admin panel's "sync now" button
    sync.running            # True while a run is in progress
    sync.stop()

    status = read_status(paths)           # header: content date, stale warning
    status.content_date, status.is_stale(config.stale_content_days)

``SyncResult.content_changed`` tells the screens to reload: the new content is already committed
in the database they read, so no restart is needed. A run started by systemd at the same moment
is harmless: the second one returns ``EXIT_BUSY`` at once.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from typing import Any

import peewee as pw

from kiosk.config import Config, ConfigError
from kiosk.paths import DataPaths
from kiosk.sync.runner import SyncResult, SyncRunner

log = logging.getLogger(__name__)

FIRST_RUN_MAX_S = 300.0


def spread_delay(interval_s: float, spread: float = 0.2, rng: Callable[[], float] = random.random) -> float:
    """``interval_s`` ± ``spread`` (a fraction), uniformly: a fleet booted together drifts apart."""
    return interval_s * (1.0 - spread + 2.0 * spread * rng())


class BackgroundSync:
    def __init__(
        self,
        paths: DataPaths,
        *,
        on_result: Callable[[SyncResult], None] | None = None,
        on_line: Callable[[dict[str, Any]], None] | None = None,
        content_db: pw.Database | None = None,
        spread: float = 0.2,
        first_run_max_s: float = FIRST_RUN_MAX_S,
        rng: Callable[[], float] = random.random,
        runner_factory: Callable[[], Any] | None = None,
    ):
        self.paths = paths
        self.on_result = on_result
        self.on_line = on_line
        self.spread = spread
        self.first_run_max_s = first_run_max_s
        self.rng = rng
        self._factory = runner_factory or (lambda: SyncRunner(paths, emit=self._emit, content_db=content_db))
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._running = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_result: SyncResult | None = None

    def _emit(self, line: dict[str, Any]) -> None:
        if self.on_line is not None:
            self.on_line(line)

    def interval_s(self) -> float:
        try:
            return float(Config.load(self.paths.config_file).sync_interval_minutes) * 60.0
        except ConfigError:
            return 3600.0

    @property
    def running(self) -> bool:
        return self._running.is_set()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="kiosk-sync", daemon=True)
        self._thread.start()

    def request_now(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        delay = self.rng() * min(self.first_run_max_s, self.interval_s())
        while not self._stop.is_set():
            self._wake.wait(delay)
            if self._stop.is_set():
                return
            self._wake.clear()
            self._running.set()
            try:
                result = self._factory().run_once()
            except Exception as exc:  # the runner reports its own failures; this is a last resort
                log.exception("background sync run failed outside its stages")
                result = SyncResult(1, "", message=f"internal error {exc!r}")
            finally:
                self._running.clear()
            self.last_result = result
            if self.on_result is not None:
                self.on_result(result)
            delay = spread_delay(self.interval_s(), self.spread, self.rng)
