"""The hub's registry on a real PostgreSQL, started by this test when PostgreSQL is installed."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_harness import Hub, Terminal, copy_tree

from kiosk.outbox import Outbox
from kiosk.sync.errors import EXIT_NOT_PROVISIONED, EXIT_OK, EXIT_UNREACHABLE

PG_BIN_DIRS = ("/usr/local/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")


def _binary(name: str) -> str | None:
    return shutil.which(name) or next((f"{d}/{name}" for d in PG_BIN_DIRS if os.path.exists(f"{d}/{name}")), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def postgres_url(tmp_path: Path) -> Iterator[str]:
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL (initdb, pg_ctl) is not installed: the PostgreSQL registry test needs it")
    pytest.importorskip("psycopg2", reason="psycopg2 is not installed (pip install -e '.[postgres]')")
    prefix: list[str] = []
    folder = tmp_path / "pg"
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: use an unprivileged account
        user = next((u for u in ("postgres", "nobody") if _has_user(u)), None)
        if user is None or not shutil.which("runuser"):
            pytest.skip("running as root without a postgres/nobody account and runuser to start PostgreSQL")
        folder = Path(f"/tmp/kiosk-pg-{os.getpid()}-{tmp_path.name}")
        folder.mkdir(mode=0o700)
        shutil.chown(folder, user)
        prefix = ["runuser", "-u", user, "--"]
    data, port = folder / "data", _free_port()
    subprocess.run(
        [*prefix, initdb, "-D", str(data), "-U", "kiosk", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [*prefix, pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    try:
        yield f"postgresql://kiosk@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def test_registry_on_postgresql(postgres_url: str, tmp_path: Path, templates: tuple[Path, Path]) -> None:
    import psycopg2

    hub = Hub(copy_tree(templates[0], tmp_path / "hub"))
    hub.start("--database-url", postgres_url)
    try:
        term = Terminal(tmp_path / "kiosk")
        code = hub.cli("enrol-code", "--name", "pg", "--database-url", postgres_url).stdout.strip()
        from kiosk.sync.device import provision

        provision(term.paths, hub_url=hub.url, code=code, name="pg", region="420902", lat=30.9, lon=113.9, pin="739155")
        outbox = Outbox.open(term.paths)
        sent = [outbox.enqueue("rating", {"level": n % 5 + 1}) for n in range(700)]
        hub.faults({"match": "/api/v1/events", "action": "cut", "after_bytes": 3, "times": 2})
        result, lines = term.sync()
        assert result.exit_code == EXIT_OK, lines  # retried after the cut answers: stored once
        con = psycopg2.connect(postgres_url)
        with con, con.cursor() as cur:
            cur.execute("SELECT event_id FROM event WHERE kind = 'rating'")
            stored = [row[0] for row in cur.fetchall()]
        con.close()
        assert sorted(stored) == sorted(sent) and outbox.pending_count() == 0
        device_id = hub.call("GET", "/api/v1/admin/devices", admin=True)[1]["devices"][0]["device_id"]
        hub.cli("revoke", device_id, "--database-url", postgres_url)
        result, _ = term.sync()
        assert result.exit_code == EXIT_NOT_PROVISIONED
    finally:
        hub.stop()
    result, _ = term.sync()
    assert result.exit_code == EXIT_UNREACHABLE


def _burst_then_refused(url: str, sqlite_path: Path) -> None:
    """Three at once, then one every ten seconds: the fourth is refused with the wait, per terminal."""
    from kiosk_hub.db import open_hub_db
    from kiosk_hub.limits import Limit, RateLimited, RateLimits

    db = open_hub_db(url, sqlite_path)
    limits = RateLimits({"beat:device": Limit(3, 30.0)})
    try:
        for _ in range(3):
            limits.check("beat", "terminal-a")
        with pytest.raises(RateLimited) as refused:
            limits.check("beat", "terminal-a")
        assert 1 <= refused.value.retry_after <= 10
        limits.check("beat", "terminal-b")  # another terminal has its own allowance
        with pytest.raises(RateLimited):
            limits.check("beat", "terminal-a")  # a refusal does not reset the count
    finally:
        db.close()


def test_rate_limits_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    _burst_then_refused(postgres_url, tmp_path / "unused.sqlite3")


def test_rate_limits_on_sqlite(tmp_path: Path) -> None:
    _burst_then_refused("", tmp_path / "hub.sqlite3")
