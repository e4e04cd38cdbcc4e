"""Load on the platform: heartbeats, event batches and consult requests from simulated terminals.

Run: .venv/bin/python bench/bench_hub.py [--database-url postgresql://…] [--terminals 2000]
     .venv/bin/python bench/bench_hub.py --smoke        # a few seconds on SQLite (the test suite runs it)

A fresh hub in a temporary folder on 127.0.0.1 (``kiosk-hub serve``, a subprocess), terminals
registered straight into its registry, then three bounded phases; everything stops by itself
(``--seconds`` per timed phase, a hard deadline overall). The clients run in this process on the
same machine: on 2 cores they take a share of the CPU the hub would otherwise have. Rate limits
per address are lifted for the run (every simulated terminal comes from 127.0.0.1); the per-terminal
limits stay in force and are paid for.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import hashlib
import http.client
import json
import os
import platform
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

#: Only the per-address limits are lifted (every simulated terminal is 127.0.0.1); the per-terminal ones
#: stay, so each request pays for its rate-limit check in the database as it would in the field.
NO_LIMITS = ("events:addr", "heartbeat:addr", "consult:addr")
#: ``--smoke``'s 20 terminals send more consult requests each than a terminal may in ten minutes.
NO_LIMITS_SMOKE = (*NO_LIMITS, "consult:device")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


class Client:
    """One kept-alive connection (like a terminal's requests session)."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, path: str, body: Any, token: str) -> tuple[int, float]:
        data = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        started = time.perf_counter()
        try:
            self.conn.request("POST", path, data, headers)
            reply = self.conn.getresponse()
            reply.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return 0, time.perf_counter() - started
        return reply.status, time.perf_counter() - started


def start_hub(
    root: Path, database_url: str, workers: int, http: str = "h11", lifted: tuple[str, ...] = NO_LIMITS
) -> tuple[subprocess.Popen[str], int]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    cmd = [sys.executable, "-m", "kiosk_hub.cli", "--data-dir", str(root)]
    init = [*cmd, "init"] + (["--database-url", database_url] if database_url else [])
    subprocess.run(init, check=True, capture_output=True, env=env)
    from kiosk_hub.paths import HubPaths

    paths = HubPaths(root)
    config = paths.load_config()
    config.rate_limits = {key: [0.0, 0.0] for key in lifted}
    paths.save_config(config)
    serve = [*cmd, "serve", "--port", "0", "--no-refresh", "--no-access-log", "--workers", str(workers), "--http", http]
    errors = (root.parent / "serve.log").open("w")
    proc = subprocess.Popen(serve, stdout=subprocess.PIPE, stderr=errors, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "listening on" not in line:
        proc.kill()
        raise SystemExit(f"hub did not start: {line!r} {(root.parent / 'serve.log').read_text()}")
    return proc, int(line.rsplit(":", 1)[1].strip().strip("/"))


def register(root: Path, database_url: str, n: int) -> list[str]:
    """``n`` terminals straight into the registry (enrolment is not what is measured); their tokens."""
    from kiosk_hub.db import Device, open_hub_db, write_tx

    db = open_hub_db(database_url, root / "hub.sqlite3")
    tokens = [secrets.token_urlsafe(24) for _ in range(n)]
    enrolled = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=2)
    rows = [
        {
            "device_id": f"bench{i:05d}" + uuid.uuid4().hex[:8],
            "name": f"压测终端{i}（示例）",
            "region_code": "420902",
            "latitude": 30.9,
            "longitude": 113.9,
            "token_hash": hashlib.sha256(t.encode()).hexdigest(),
            "enrolled": enrolled,
        }
        for i, t in enumerate(tokens)
    ]
    with db.connection_context(), write_tx():
        for start in range(0, n, 500):
            Device.insert_many(rows[start : start + 500]).execute()
    db.close()
    return tokens


def event(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    created = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
    return {"id": uuid.uuid4().hex, "kind": kind, "created": created, "payload": payload}


def timed_phase(
    port: int, clients: int, seconds: float, work: Any, deadline: float
) -> tuple[int, int, list[float], float]:
    """Run ``work(client, i)`` from ``clients`` threads for ``seconds``; (ok, failed, latencies, elapsed)."""
    stop_at = min(time.monotonic() + seconds, deadline)
    latencies: list[float] = []
    failed = [0]
    lock = threading.Lock()
    counter = iter(range(10**9))

    def loop() -> None:
        client = Client(port)
        while time.monotonic() < stop_at:
            with lock:
                i = next(counter)
            status, took = work(client, i)
            with lock:
                if 200 <= status < 300:
                    latencies.append(took)
                else:
                    failed[0] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=loop, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(1.0, deadline - time.monotonic()))
    return len(latencies), failed[0], latencies, time.monotonic() - started


def line(name: str, ok: int, failed: int, latencies: list[float], elapsed: float) -> str:
    ms = [x * 1000 for x in latencies]
    return (
        f"{name:<22} {ok / elapsed:8.1f}/s  ok {ok:6d}  failed {failed:4d}  "
        f"p50 {pct(ms, 50):6.1f} ms  p95 {pct(ms, 95):6.1f} ms  p99 {pct(ms, 99):6.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="postgresql://… (default: SQLite in the temp folder)")
    parser.add_argument("--terminals", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32, help="concurrent connections")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each timed phase")
    parser.add_argument("--events", type=int, default=10_000, help="events in the ingest phase")
    parser.add_argument("--workers", type=int, default=1, help="hub worker processes")
    parser.add_argument("--http", default="h11", choices=["h11", "httptools"], help="the hub's HTTP parser")
    parser.add_argument("--smoke", action="store_true", help="20 terminals, 2 s phases, SQLite: a quick check")
    args = parser.parse_args()
    if args.smoke:
        args.terminals, args.clients, args.seconds, args.events = 20, 4, 2.0, 500
    deadline = time.monotonic() + 3 * args.seconds + 300  # stops by itself, whatever happens
    with tempfile.TemporaryDirectory(prefix="bench-hub-") as tmp:
        root = Path(tmp) / "hub"
        if args.database_url:
            reset_postgres(args.database_url)
        proc, port = start_hub(
            root, args.database_url, args.workers, args.http, NO_LIMITS_SMOKE if args.smoke else NO_LIMITS
        )
        try:
            tokens = register(root, args.database_url, args.terminals)
            engine = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
            print(f"machine   {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
            print(
                f"setup     {args.terminals} terminals, {args.clients} connections, {engine}, "
                f"{args.workers} worker(s), {args.http}, load average {os.getloadavg()[0]:.1f} at start"
            )

            def beat(client: Client, i: int) -> tuple[int, float]:
                token = tokens[i % len(tokens)]
                return client.post("/api/v1/heartbeat", event("heartbeat", {"content_version": 3, "outbox": 0}), token)

            print(line("heartbeats", *timed_phase(port, args.clients, args.seconds, beat, deadline)))

            batch = 100
            batches = max(1, args.events // batch)

            def ingest(client: Client, i: int) -> tuple[int, float]:
                hour = dt.datetime.now().strftime("%Y-%m-%dT%H")
                events = [event("usage", {"hours": {hour: {"search": 1, "screen.laws": 2}}}) for _ in range(batch)]
                return client.post("/api/v1/events", {"events": events}, tokens[i % len(tokens)])

            started = time.monotonic()
            lat: list[float] = []
            bad = 0
            local = threading.local()

            def ingest_here(i: int) -> tuple[int, float]:
                if not hasattr(local, "client"):
                    local.client = Client(port)
                return ingest(local.client, i)

            with cf.ThreadPoolExecutor(args.clients) as pool:
                futures = [pool.submit(ingest_here, i) for i in range(batches)]
                for f in futures:
                    status, took = f.result(timeout=max(1.0, deadline - time.monotonic()))
                    lat.append(took) if status == 200 else None
                    bad += status != 200
            took_all = time.monotonic() - started
            print(line(f"event batches ({batch})", len(lat), bad, lat, took_all))
            print(f"{'events ingested':<22} {(batches - bad) * batch} in {took_all:.2f} s")

            def consult(client: Client, i: int) -> tuple[int, float]:
                return client.post("/api/v1/consult/sessions", {"topic": "压测"}, tokens[i % len(tokens)])

            print(line("consult requests", *timed_phase(port, args.clients, min(args.seconds, 10), consult, deadline)))
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 0


def reset_postgres(url: str) -> None:
    """A clean registry for each run (the bench's own database only)."""
    import peewee as pw
    from playhouse.db_url import connect

    db = connect(url)
    assert isinstance(db, pw.PostgresqlDatabase)
    with db.connection_context():
        for table in ("event", "device", "enrol_code", "rate_limit", "consult_session"):
            db.execute_sql(f"DROP TABLE IF EXISTS {table} CASCADE")


if __name__ == "__main__":
    sys.exit(main())
