"""The one helper for slow work: run a function off the UI thread, call back on the UI thread."""

from __future__ import annotations

import itertools
import logging
import queue
import threading
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


class _DataLane:
    """One long-lived Python thread that runs tasks in order.

    Not a ``QThreadPool`` thread: PySide gives each ``QRunnable.run`` on a pool thread a fresh Python
    thread state, so thread-locals die with every task — peewee's per-thread SQLite connection among
    them. Each search then opened a new connection (a cold 32 MB page cache) and reloaded the search
    catalogue (~0.1–0.2 s), which made the slowest keystrokes take 150–350 ms. A thread of our own
    keeps one connection and one warm catalogue for as long as it lives.
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self._lock = threading.Condition()
        self._unfinished = 0
        self._thread: threading.Thread | None = None

    def start(self, task: _Task) -> None:
        with self._lock:
            self._unfinished += 1
            if self._thread is None:  # started on first use, again after stop()
                self._thread = threading.Thread(target=self._loop, name="kiosk-data", daemon=True)
                self._thread.start()
        self._queue.put(task)

    def _loop(self) -> None:
        while True:
            task = self._queue.get()
            if task is None:
                return
            try:
                task.run()
            except Exception:  # e.g. the relay is gone (app closed): keep the lane alive
                log.exception("background task %s could not report", task.task_id)
            finally:
                with self._lock:
                    self._unfinished -= 1
                    self._lock.notify_all()

    def wait(self, msecs: int) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: self._unfinished == 0, timeout=max(0, msecs) / 1000)

    def stop(self) -> None:
        """End the thread once the queued tasks are done (its connection closes with it)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)


class Background(QObject):
    """``run(fn, on_done, on_error)``: ``fn()`` runs off the UI thread; the callbacks run on it.

    Two lanes: ``"data"`` is one long-lived thread for database and search work (one SQLite
    connection and one warm search catalogue, instead of one per short-lived pool thread), and
    ``"slow"`` runs blocking work such as reading aloud or probing the network beside it.
    """

    def __init__(self, slow_threads: int = 2, parent: QObject | None = None):
        super().__init__(parent)
        self.lane = _DataLane()
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
        task = _Task(task_id, fn, self._relay)
        if lane == "slow":
            self.slow_pool.start(task)
        else:
            self.lane.start(task)
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
        return self.lane.wait(msecs) and self.slow_pool.waitForDone(msecs)

    def shutdown(self, msecs: int = 5000) -> None:
        """Let running work finish, then forget every callback still waiting to be delivered."""
        self.wait(msecs)
        self.lane.stop()
        self._callbacks.clear()
