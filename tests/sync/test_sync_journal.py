"""Every sync run's stage lines reach the journal under ``legal-kiosk-sync`` (the name the docs give),
whoever started it: ``kiosk sync`` by hand and the wizard's first sync. A datagram socket speaking
journald's native protocol stands in for journald."""

from __future__ import annotations

import json
import socket
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sync_harness import PY, REPO, Hub, Terminal, env

from kiosk.logsetup import ENV_JOURNAL_SOCKET, setup_sync_journal


def parse(datagram: bytes) -> dict[str, str]:
    fields: dict[str, str] = {}
    rest = datagram
    while rest:
        head, _, tail = rest.partition(b"\n")
        if b"=" in head:
            key, _, value = head.partition(b"=")
            fields[key.decode()] = value.decode()
            rest = tail
        else:  # binary form: length-prefixed value
            (length,) = struct.unpack("<Q", tail[:8])
            fields[head.decode()] = tail[8 : 8 + length].decode()
            rest = tail[8 + length + 1 :]
    return fields


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, socket.socket]]:
    path = str(tmp_path / "journal.socket")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.5)
    monkeypatch.setenv(ENV_JOURNAL_SOCKET, path)
    yield path, sock
    sock.close()


def received(sock: socket.socket) -> list[dict[str, Any]]:
    lines = []
    while True:
        try:
            fields = parse(sock.recv(65536))
        except TimeoutError:
            return lines
        assert fields["SYSLOG_IDENTIFIER"] == "legal-kiosk-sync"
        lines.append(json.loads(fields["MESSAGE"]))


def test_kiosk_sync_by_hand_logs_its_stages_to_the_sync_journal(
    hub: Hub, terminal: Terminal, journal: tuple[str, socket.socket]
) -> None:
    done = subprocess.run(
        [PY, "-m", "kiosk.cli", "--data-dir", str(terminal.root), "sync"],
        env={**env(), ENV_JOURNAL_SOCKET: journal[0]},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    printed = [json.loads(line)["stage"] for line in done.stdout.splitlines()]
    logged = received(journal[1])
    assert [line["stage"] for line in logged] == printed  # the same lines on screen and in the journal
    assert {"metadata", "content", "outbox", "heartbeat", "done"} <= set(printed)
    assert all(line["event"] == "sync" for line in logged)


def test_the_wizards_first_sync_logs_its_stages_too(
    hub: Hub, tmp_path: Path, journal: tuple[str, socket.socket]
) -> None:
    from kiosk.provisioning.enrol import first_sync

    fresh = Terminal(tmp_path / "fresh")
    fresh.provision(hub)
    setup_sync_journal()  # what `kiosk run` does at start (setup_logging)
    shown: list[dict[str, Any]] = []
    assert first_sync(fresh.paths, shown.append) == 0
    logged = received(journal[1])
    assert [line["stage"] for line in logged] == [line["stage"] for line in shown]
    assert logged[-1]["stage"] == "done" and logged[-1]["status"] == "ok"
