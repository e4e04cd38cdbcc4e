"""The saved progress of a sync run: one record per named stage (as Morango keeps its transfer stages).

``state/sync/progress.json`` is rewritten atomically at every transition, so a run that died can say where
it was, the next run logs what it resumes from, ``kiosk sync --status`` shows it, and tests can act on the
stage a live run reports instead of guessing with sleeps::

    {"run": "3f2a…", "pid": 4242, "started": 1764800000.1, "stage": "content", "step": "apply 7",
     "stages": [{"name": "metadata", "status": "completed", "started": …, "ended": …},
                {"name": "content", "status": "started", "started": …},
                {"name": "media", "status": "pending"}, …]}

Statuses: ``pending`` → ``started`` → ``completed`` | ``errored`` | ``skipped``. ``stage`` is the stage now
running (``done`` once the run finished); ``step`` narrows it down inside a long stage (the content stage
says which package it downloads or applies).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kiosk.fileio import write_atomic

STAGES = ("metadata", "content", "media", "outbox", "heartbeat")
PENDING, STARTED, COMPLETED, ERRORED, SKIPPED = "pending", "started", "completed", "errored", "skipped"


def progress_file(state_dir: Path) -> Path:
    return state_dir / "sync" / "progress.json"


@dataclass
class StageRecord:
    name: str
    status: str = PENDING
    started: float | None = None
    ended: float | None = None
    outcome: str | None = None  # ok / refused / unreachable / internal_error … (kiosk.sync.errors names)
    error: str | None = None


@dataclass
class RunProgress:
    """The progress of one run, saved to ``path`` whenever it changes."""

    path: Path
    run: str
    pid: int = field(default_factory=os.getpid)
    started: float = field(default_factory=time.time)
    stage: str = "start"
    step: str | None = None
    stages: list[StageRecord] = field(default_factory=lambda: [StageRecord(name) for name in STAGES])

    def record(self, name: str) -> StageRecord:
        for rec in self.stages:
            if rec.name == name:
                return rec
        rec = StageRecord(name)
        self.stages.append(rec)
        return rec

    def begin(self, name: str) -> None:
        rec = self.record(name)
        rec.status, rec.started = STARTED, time.time()
        self.stage, self.step = name, None
        self.save()

    def end(self, name: str, outcome: str, error: str | None = None) -> None:
        rec = self.record(name)
        rec.status = COMPLETED if outcome == "ok" else ERRORED
        rec.ended, rec.outcome, rec.error = time.time(), outcome, error
        self.save()

    def skip(self, name: str, why: str) -> None:
        rec = self.record(name)
        rec.status, rec.outcome, rec.error = SKIPPED, "skipped", why
        self.save()

    def at_step(self, step: str) -> None:
        self.step = step
        self.save()

    def finish(self) -> None:
        self.stage, self.step = "done", None
        self.save()

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("path")
        return data

    def save(self) -> None:
        write_atomic(self.path, json.dumps(self.to_json(), ensure_ascii=False).encode())


def read_progress(state_dir: Path) -> dict[str, Any] | None:
    """The last saved progress (of a finished or a dead run), None when there is none or it is unreadable."""
    try:
        data = json.loads(progress_file(state_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def interrupted_stage(progress: dict[str, Any]) -> str | None:
    """The stage a dead run was in (None when that run finished)."""
    stage = progress.get("stage")
    return None if stage == "done" else str(stage)
