"""The run: exit codes, one JSON line per stage, the lock, status, the background scheduler."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sync_harness import PY, REPO, Hub, Terminal, edit_article, env, run, wait_for

from kiosk.paths import DataPaths
from kiosk.sync import errors as E
from kiosk.sync.progress import read_progress
from kiosk.sync.runner import SyncResult, run_lock
from kiosk.sync.schedule import BackgroundSync, spread_delay
from kiosk.sync.status import read_status


def test_not_provisioned_exit_code(tmp_path: Path) -> None:
    proc = run("kiosk.cli", "--data-dir", tmp_path / "blank", "sync", check=False)
    assert proc.returncode == E.EXIT_NOT_PROVISIONED
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert lines[0]["stage"] == "device" and lines[0]["status"] == "not_provisioned"
    assert lines[-1]["stage"] == "done" and lines[-1]["exit_code"] == E.EXIT_NOT_PROVISIONED


def test_second_run_exits_at_once_with_busy(terminal: Terminal) -> None:
    with run_lock(terminal.paths) as held:
        assert held
        proc = terminal.sync_cli()
    assert proc.returncode == E.EXIT_BUSY
    assert json.loads(proc.stdout.splitlines()[0])["status"] == "busy"


def test_cli_exit_code_for_refusal_and_log_lines(hub: Hub, terminal: Terminal, laws_dir: Path) -> None:
    edit_article(laws_dir, "社会法/劳动合同法(2012-12-28).md", "第二条", "改。")
    hub.publish(laws_dir)
    target = next((hub.root / "repo" / "targets" / "content").glob("*.delta-1-2.jsonl.gz"))
    target.write_bytes(target.read_bytes()[::-1])
    proc = terminal.sync_cli()
    assert proc.returncode == E.EXIT_REFUSED
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {line["stage"] for line in lines} >= {"metadata", "content", "media", "outbox", "heartbeat", "done"}
    content = next(line for line in lines if line["stage"] == "content")
    assert content["status"] == "refused" and "sha256" in content["error"]
    assert all({"ts", "run", "stage", "status"} <= set(line) for line in lines)


def test_status_file_and_staleness(terminal: Terminal) -> None:
    result, _ = terminal.sync()
    assert result.ok
    status = read_status(terminal.paths)
    assert status.content_version == 1 and status.content_date and status.result == "ok"
    assert not status.is_stale(7)
    assert status.is_stale(7, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=8))
    assert read_status(DataPaths(terminal.root / "nowhere")).is_stale(7)


def _fixed(value: float) -> Callable[[], float]:
    return lambda: value


def test_spread_keeps_a_fleet_apart() -> None:
    delays = [spread_delay(3600, 0.2, rng=_fixed(i / 100)) for i in range(101)]
    assert min(delays) == 2880 and round(max(delays)) == 4320 and len(set(delays)) == 101


class _FakeRunner:
    def __init__(self, calls: list[int]):
        self.calls = calls

    def run_once(self) -> SyncResult:
        self.calls.append(1)
        return SyncResult(0, "fake")


def test_background_sync_on_demand(tmp_path: Path) -> None:
    calls: list[int] = []
    results: list[SyncResult] = []
    sync = BackgroundSync(
        DataPaths(tmp_path), on_result=results.append, first_run_max_s=3600, runner_factory=lambda: _FakeRunner(calls)
    )
    sync.start()
    try:
        sync.request_now()
        wait_for(lambda: len(results) == 1)
        sync.request_now()
        wait_for(lambda: len(results) == 2)
    finally:
        sync.stop()
    assert len(calls) == 2 and not sync.running


def test_background_sync_against_the_hub(hub: Hub, terminal: Terminal, laws_dir: Path) -> None:
    edit_article(laws_dir, "社会法/劳动合同法(2012-12-28).md", "第二条", "后台同步。")
    hub.publish(laws_dir)
    done = threading.Event()
    results: list[SyncResult] = []
    lines: list[dict[str, object]] = []

    def finished(result: SyncResult) -> None:
        results.append(result)
        done.set()

    sync = BackgroundSync(terminal.paths, on_result=finished, on_line=lines.append, first_run_max_s=0)
    sync.start()
    try:
        assert done.wait(60)
    finally:
        sync.stop()
    assert results[0].ok and results[0].content_changed and results[0].content_version == 2
    assert [line["stage"] for line in lines][-1] == "done"


def test_status_shows_the_stage_records_of_the_last_run(hub: Hub, terminal: Terminal, laws_dir: Path) -> None:
    edit_article(laws_dir, "社会法/劳动合同法(2012-12-28).md", "第二条", "改。")
    hub.publish(laws_dir)
    target = next((hub.root / "repo" / "targets" / "content").glob("*.delta-1-2.jsonl.gz"))
    target.write_bytes(target.read_bytes()[::-1])
    assert terminal.sync_cli().returncode == E.EXIT_REFUSED
    shown = json.loads(terminal.sync_cli("--status").stdout)
    last = shown["last_run"]
    records = {rec["name"]: rec for rec in last["stages"]}
    assert last["stage"] == "done"
    assert records["metadata"]["status"] == "completed"
    assert records["content"]["status"] == "errored" and records["content"]["outcome"] == "refused"
    assert "sha256" in records["content"]["error"]
    assert records["outbox"]["status"] == "completed" and records["heartbeat"]["status"] == "completed"


def test_a_killed_run_says_where_it_stopped_and_the_next_run_resumes(
    hub: Hub, terminal: Terminal, laws_dir: Path
) -> None:
    for label in ("第二条", "第三条", "第四条", "第五条"):
        edit_article(laws_dir, "社会法/劳动合同法(2012-12-28).md", label, "改。" * 50)
    hub.publish(laws_dir)
    proc = subprocess.Popen(
        [PY, "-m", "kiosk.cli", "--data-dir", str(terminal.root), "sync"],
        env=env(),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stopped = None
    while proc.poll() is None and stopped is None:
        progress = read_progress(terminal.paths.state_dir)
        if progress and progress["pid"] == proc.pid and progress["stage"] == "content":
            os.kill(proc.pid, signal.SIGSTOP)  # hold it exactly there, then kill it
            stopped = read_progress(terminal.paths.state_dir)
            os.kill(proc.pid, signal.SIGKILL)
        time.sleep(0.001)
    proc.wait(30)
    assert stopped is not None, "the run finished before it reported its content stage"
    last = json.loads(terminal.sync_cli("--status").stdout)["last_run"]
    records = {rec["name"]: rec["status"] for rec in last["stages"]}
    assert last["stage"] == "content" and records["metadata"] == "completed" and records["content"] == "started"
    assert records["outbox"] == "pending"
    proc2 = terminal.sync_cli()
    assert proc2.returncode == E.EXIT_OK, proc2.stdout
    lines = [json.loads(line) for line in proc2.stdout.splitlines()]
    resume = next(line for line in lines if line["stage"] == "resume")
    assert resume["interrupted_at"] == "content"
    assert terminal.version() == 2
