"""Driving a real ``kiosk-hub`` process on 127.0.0.1 and a terminal data folder from tests."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import peewee as pw
import requests

from kiosk.paths import DataPaths
from kiosk.sync import records
from kiosk.sync.device import DEVICE_FILE, provision
from kiosk.sync.http import NetPolicy
from kiosk.sync.runner import SyncResult, SyncRunner

PY = sys.executable
REPO = Path(__file__).resolve().parents[2]
#: Short timeouts and backoff so fault tests finish quickly.
FAST = NetPolicy(
    connect_timeout=2.0, read_timeout=2.0, attempts=3, backoff_base=0.05, backoff_cap=0.2, max_retry_after=5.0
)


def env() -> dict[str, str]:
    out = dict(os.environ)
    out["PYTHONPATH"] = str(REPO) + os.pathsep + out.get("PYTHONPATH", "")
    return out


def run(module: str, *args: str | Path, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [PY, "-m", module, *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env(), cwd=REPO
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{module} {args} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def _die_with_parent() -> None:
    """The hub ends with the test process, even when that one is killed or crashes."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Hub:
    def __init__(self, root: Path):
        self.root = root
        self.proc: subprocess.Popen[str] | None = None
        self.port = 0
        self.stderr_file: Path | None = None  # where the hub's stderr goes, when a test keeps it
        self.session = requests.Session()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def cli(self, *args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run("kiosk_hub.cli", "--data-dir", self.root, *args, check=check)

    def publish(self, laws: Path, *extra: str | Path) -> str:
        from content_set import CASES_FILE

        return self.cli("publish", "--laws", laws, "--cases", CASES_FILE, *extra).stdout

    def start(self, *extra: str) -> Hub:
        log = (self.root / "serve.log").open("a")
        self.proc = subprocess.Popen(
            [
                PY,
                "-m",
                "kiosk_hub.cli",
                "--data-dir",
                str(self.root),
                "serve",
                "--port",
                "0",
                "--enable-test-faults",
                "--no-refresh",
                *extra,
            ],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=env(),
            cwd=REPO,
            preexec_fn=_die_with_parent,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if "listening on" not in line:
            raise AssertionError(f"hub did not start: {line!r} {(self.root / 'serve.log').read_text()}")
        self.port = int(line.rsplit(":", 1)[1].strip().strip("/"))
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()
        self.proc = None
        self.session.close()

    def call(self, method: str, path: str, body: Any = None, admin: bool = False) -> tuple[int, Any]:
        headers = {}
        if admin:
            headers["Authorization"] = "Bearer " + (self.root / "admin.token").read_text().strip()
        resp = self.session.request(method, self.url + path.lstrip("/"), json=body, headers=headers, timeout=30)
        return resp.status_code, resp.json()

    def faults(self, *rules: dict[str, Any]) -> None:
        status, _ = self.call("POST", "/_test/faults", {"rules": list(rules)})
        assert status == 200

    def log(self) -> list[dict[str, Any]]:
        log: list[dict[str, Any]] = self.call("GET", "/_test/log")[1]["log"]
        return log

    def reset(self) -> None:
        self.call("POST", "/_test/reset", {})

    def enrol_code(self, name: str = "测试终端") -> str:
        return self.cli("enrol-code", "--name", name).stdout.strip()

    def events(self) -> list[tuple[str, str, dict[str, Any]]]:
        con = sqlite3.connect(f"file:{self.root / 'hub.sqlite3'}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT event_id, kind, payload FROM event ORDER BY id").fetchall()
        finally:
            con.close()
        return [(eid, kind, json.loads(payload)) for eid, kind, payload in rows]

    def version_map(self, version: int) -> dict[str, dict[str, str]]:
        from kiosk_hub.packages import load_map

        return load_map(self.root / "versions" / f"{version}.map.json.gz")


class Terminal:
    def __init__(self, root: Path):
        self.root = root
        self.paths = DataPaths(root).ensure()

    def provision(self, hub: Hub) -> None:
        provision(
            self.paths,
            hub_url=hub.url,
            code=hub.enrol_code(),
            name="测试终端",
            region="420902",
            lat=30.92,
            lon=113.91,
            pin="739155",
        )

    def device_id(self) -> str:
        return str(json.loads((self.paths.state_dir / DEVICE_FILE).read_text())["device_id"])

    def repoint(self, hub: Hub) -> None:
        """After copying a provisioned terminal: talk to the hub at its new port."""
        path = self.paths.state_dir / DEVICE_FILE
        state = json.loads(path.read_text())
        state["hub_url"] = hub.url
        state["repository_url"] = hub.url + "repo/"
        path.write_text(json.dumps(state))

    def sync(self, policy: NetPolicy = FAST) -> tuple[SyncResult, list[dict[str, Any]]]:
        lines: list[dict[str, Any]] = []
        result = SyncRunner(self.paths, policy=policy, emit=lines.append).run_once()
        return result, lines

    def sync_cli(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return run(
            "kiosk.cli",
            "--data-dir",
            self.root,
            "sync",
            "--connect-timeout",
            "2",
            "--read-timeout",
            "2",
            *args,
            check=False,
            timeout=timeout,
        )

    def version(self) -> int | None:
        if not self.paths.content_db.exists():
            return None
        con = sqlite3.connect(self.paths.content_db)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'content_version'").fetchone()
        finally:
            con.close()
        return int(row[0]) if row else None

    def digest_map(self) -> dict[str, dict[str, str]]:
        db = pw.SqliteDatabase(str(self.paths.content_db))
        try:
            return records.digest_map(db)
        finally:
            db.close()


def copy_tree(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("serve.log", "*.lock"))
    return dest


def edit_article(laws: Path, rel: str, label: str, new_text: str) -> None:
    """Replace the first paragraph of article ``label`` (e.g. 第三条) of one law file."""
    path = laws / rel
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.startswith(label + " ") or line.startswith(label + "\u3000"):
            lines[i] = f"{label} {new_text}"
            break
    else:
        raise AssertionError(f"{label} not found in {rel}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def wait_for(predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
