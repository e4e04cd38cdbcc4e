"""The one helper for slow work: run a function on a pool thread, call back on the UI thread."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    finished = Signal(int, int, object)  # task id, ok (1/0), result or exception


class _Task(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.task_id = task_id
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # reported on the UI thread, never lost in the pool
            self.relay.finished.emit(self.task_id, 0, exc)
        else:
            self.relay.finished.emit(self.task_id, 1, result)


class Background(QObject):
    """``run(fn, on_done, on_error)``: ``fn()`` runs off the UI thread; the callbacks run on it.

    Two lanes: ``"data"`` is one long-lived thread for database and search work (one SQLite
    connection and one warm search catalogue, instead of one per short-lived pool thread), and
    ``"slow"`` runs blocking work such as reading aloud or probing the network beside it.
    """

    def __init__(self, slow_threads: int = 2, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)  # the data lane: one thread that never expires
        self.pool.setMaxThreadCount(1)
        self.pool.setExpiryTimeout(-1)
        self.slow_pool = QThreadPool(self)
        self.slow_pool.setMaxThreadCount(slow_threads)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable[[Any], None] | None, Callable[[BaseException], None] | None]] = {}

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        lane: str = "data",
    ) -> int:
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_done, on_error)
        (self.slow_pool if lane == "slow" else self.pool).start(_Task(task_id, fn, self._relay))
        return task_id

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    @Slot(int, int, object)
    def _deliver(self, task_id: int, ok: int, payload: object) -> None:
        if task_id not in self._callbacks:
            return  # dropped by shutdown(): its screen may be gone
        on_done, on_error = self._callbacks.pop(task_id)
        if ok:
            if on_done is not None:
                on_done(payload)
        elif on_error is not None:
            assert isinstance(payload, BaseException)
            on_error(payload)
        else:
            log.error("background task failed", exc_info=payload if isinstance(payload, BaseException) else None)

    def wait(self, msecs: int = 5000) -> bool:
        return self.pool.waitForDone(msecs) and self.slow_pool.waitForDone(msecs)

    def shutdown(self, msecs: int = 5000) -> None:
        """Let running work finish, then forget every callback still waiting to be delivered."""
        self.wait(msecs)
        self._callbacks.clear()
