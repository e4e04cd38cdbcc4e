"""``kiosk-hub serve --workers 2``: both workers take connections, a dead one is replaced, SIGTERM stops all.

With one shared socket, the worker that woke first accepted a whole burst of kept-alive connections
(bench_hub: one worker 80 % busy, the other 5 %); each worker now listens on its own SO_REUSEPORT socket.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_harness import Hub, copy_tree

CONNECTIONS = 32


def workers_of(parent: int) -> list[int]:
    """The hub's worker processes (its spawned children, not multiprocessing's resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return sorted(found)


def connections_held(pid: int, port: int, state: str = "01") -> int:
    """TCP sockets on the hub's ``port`` in ``state`` that ``pid`` holds: 01 ESTABLISHED (its accepted
    clients), 0A LISTEN (its own listening socket)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            link = os.readlink(fd)
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[len("socket:[") : -1])
    held = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port, inode = int(fields[1].rsplit(":", 1)[1], 16), fields[9]
            held += local_port == port and fields[3] == state and inode in inodes
    return held


def wait_for(condition: object, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def get(port: int, conn: http.client.HTTPConnection | None = None) -> int:
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/repo/metadata/timestamp.json")
    reply = conn.getresponse()
    reply.read()
    return reply.status


@pytest.fixture
def two_workers(tmp_path: Path, templates: tuple[Path, Path]) -> Iterator[Hub]:
    hub = Hub(copy_tree(templates[0], tmp_path / "hub"))
    cmd = [sys.executable, "-m", "kiosk_hub.cli", "--data-dir", str(hub.root), "serve", "--port", "0"]
    hub.stderr_file = tmp_path / "hub-stderr.log"
    with hub.stderr_file.open("w") as stderr:  # what the workers said, for a failure's message
        hub.proc = subprocess.Popen(
            [*cmd, "--no-refresh", "--workers", "2"], stdout=subprocess.PIPE, stderr=stderr, text=True
        )
    try:
        assert hub.proc.stdout is not None
        line = hub.proc.stdout.readline()
        assert "listening on" in line, line
        hub.port = int(line.rsplit(":", 1)[1].strip().strip("/"))
        yield hub
    finally:
        hub.stop()


def test_both_workers_take_kept_alive_connections(two_workers: Hub) -> None:
    assert two_workers.proc is not None
    workers = workers_of(two_workers.proc.pid)
    assert len(workers) == 2, workers
    conns = [http.client.HTTPConnection("127.0.0.1", two_workers.port, timeout=30) for _ in range(CONNECTIONS)]
    try:
        assert [get(two_workers.port, c) for c in conns] == [200] * CONNECTIONS
        taken = {pid: connections_held(pid, two_workers.port) for pid in workers}
        assert sum(taken.values()) == CONNECTIONS, taken
        # the kernel hashes connections across the two sockets: 4 or fewer of 32 on one has p ≈ 3e-6
        assert min(taken.values()) >= 4, taken
    finally:
        for c in conns:
            c.close()


def test_a_dead_worker_is_replaced_and_sigterm_stops_them_all(two_workers: Hub) -> None:
    assert two_workers.proc is not None
    parent = two_workers.proc.pid
    first, second = workers_of(parent)
    os.kill(first, signal.SIGKILL)

    def whole_again() -> bool:
        # One listing per check. SIGKILL lands a moment after os.kill returns: the old condition's
        # two listings once read the old pair (len 2), then ``second`` alone (``first`` gone), and
        # passed before any replacement (a clean-clone CI run). The supervisor replaces a worker
        # within about a second; its process exists before its socket listens: whole again once it does.
        now = workers_of(parent)
        others = [pid for pid in now if pid not in (first, second)]
        if len(now) != 2 or len(others) != 1:
            return False
        try:
            return connections_held(others[0], two_workers.port, "0A") == 1
        except OSError:  # it went away between the listing and the look at its sockets
            return False

    wait_for(whole_again, "a new worker listening in place of the killed one")
    try:
        answers = [get(two_workers.port) for _ in range(10)]
    except OSError as exc:
        said = two_workers.stderr_file.read_text()[-3000:] if two_workers.stderr_file else ""
        raise AssertionError(f"{exc!r}; the hub said:\n{said}") from exc
    assert answers == [200] * 10
    survivors = workers_of(parent)
    assert second in survivors
    os.kill(parent, signal.SIGTERM)
    two_workers.proc.wait(30)
    wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in survivors), "the workers to stop")


def test_a_second_hub_on_the_same_port_is_refused(two_workers: Hub) -> None:
    """SO_REUSEPORT would let it share the port silently and split the terminals between two hubs."""
    for workers in ("2", "1"):
        cmd = [sys.executable, "-m", "kiosk_hub.cli", "--data-dir", str(two_workers.root), "serve"]
        second = subprocess.run(
            [*cmd, "--port", str(two_workers.port), "--workers", workers, "--no-refresh"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1, second.stdout + second.stderr
        assert f"cannot listen on 127.0.0.1:{two_workers.port}" in second.stderr
        assert "Traceback" not in second.stderr
    assert get(two_workers.port) == 200  # the first hub serves on
