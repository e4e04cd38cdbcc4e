"""``kiosk-hub serve --workers N``: N uvicorn processes, each with its own listening socket on one port.

Each worker binds the port with ``SO_REUSEPORT``, so the kernel spreads new connections across the
workers evenly. uvicorn's own supervisor shares one socket instead, and the worker that wakes first
accepts a whole burst of connections and keeps them for as long as they stay alive (nginx's upstream
keep-alive, or ``bench/bench_hub.py``'s 32 clients): measured, one worker 80 % busy and the other 5 %.

The parent holds the port (bound, not listening: the kernel gives connections only to listening
sockets), starts the workers, restarts one that dies, and stops them all on SIGTERM or SIGINT.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.synchronize
import signal
import socket
import threading
import time
from typing import Any

log = logging.getLogger("kiosk_hub")

#: How long a worker may take to open its socket before ``serve`` gives up.
START_TIMEOUT = 60.0


def free_port(host: str, port: int) -> int:
    """``port`` (or, for 0, a free one) after checking that nothing holds it. ``SO_REUSEPORT`` would let a
    second hub of the same user share a busy port silently, splitting the terminals between the two: a
    plain bind first fails as a busy port should."""
    probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart within TIME_WAIT is fine
        probe.bind((host, port))
        return int(probe.getsockname()[1])
    finally:
        probe.close()


def reserve_port(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` that other ``SO_REUSEPORT`` sockets of this hub can share."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(host: str, port: int, config: dict[str, Any], listening: multiprocessing.synchronize.Event) -> None:
    import uvicorn

    sock = reserve_port(host, port)
    sock.listen(1024)
    listening.set()
    uvicorn.Server(uvicorn.Config("kiosk_hub.asgi:create_app", factory=True, **config)).run(sockets=[sock])


class Workers:
    def __init__(self, count: int, host: str, port: int, config: dict[str, Any]):
        self.count, self.host, self.port, self.config = count, host, port, config
        self._mp = multiprocessing.get_context("spawn")  # a clean interpreter: no threads or sockets inherited
        self._procs: list[multiprocessing.process.BaseProcess] = []
        self._stopping = threading.Event()

    def _start_one(self) -> multiprocessing.process.BaseProcess:
        listening = self._mp.Event()
        proc = self._mp.Process(
            target=_worker, args=(self.host, self.port, self.config, listening), name="kiosk-hub-worker"
        )
        proc.start()
        if not listening.wait(START_TIMEOUT):
            proc.kill()
            raise RuntimeError(f"a worker did not open its socket within {START_TIMEOUT:.0f} s")
        return proc

    def start(self) -> None:
        """Start every worker; returns once each one listens."""
        self._procs = [self._start_one() for _ in range(self.count)]

    def run(self) -> None:
        """Keep the workers up until SIGTERM/SIGINT, then stop them (each finishes its requests first)."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self._stopping.set())
        while not self._stopping.wait(1.0):
            for i, proc in enumerate(self._procs):
                if not proc.is_alive() and not self._stopping.is_set():
                    log.error("worker %s exited with %s; starting another", proc.pid, proc.exitcode)
                    self._procs[i] = self._start_one()
        self.stop()

    def stop(self, grace: float = 5.0) -> None:
        for proc in self._procs:
            if proc.is_alive():
                proc.terminate()  # SIGTERM: uvicorn's graceful shutdown
        deadline = time.monotonic() + grace
        for proc in self._procs:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join()
