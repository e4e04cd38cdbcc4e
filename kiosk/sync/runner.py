"""One sync run: named stages, one JSON log line each, a lock, saved progress and a status file.

Stages, in order: ``metadata`` (refresh signed metadata, read the content index), ``content``
(the shortest verified delta chain or the snapshot, applied in one transaction), ``media``,
``outbox`` (upload, delete what the platform acknowledged), ``heartbeat``. A stage that fails does
not undo the others: content is refused but events still go up, and the run reports the most
serious outcome as its exit code (:mod:`kiosk.sync.errors`).

Only one run at a time per data folder (``state/sync/sync.lock``, an ``flock`` the kernel releases
when a run dies); a second run returns ``EXIT_BUSY`` at once. A killed run leaves its partial
downloads (resumed next time) and at most an uncommitted transaction (rolled back by SQLite).

Qt-free; the UI drives it through :class:`SyncRunner` and :mod:`kiosk.sync.schedule`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import peewee as pw

from kiosk.config import Config
from kiosk.outbox import Outbox
from kiosk.paths import DataPaths
from kiosk.settings_state import heartbeat_settings
from kiosk.sync import errors as E
from kiosk.sync.content import local_date, local_version
from kiosk.sync.device import DeviceState, load_device, load_root, load_token
from kiosk.sync.http import Http, NetPolicy
from kiosk.sync.progress import RunProgress, interrupted_stage, progress_file, read_progress
from kiosk.sync.push import push_outbox, send_heartbeat
from kiosk.sync.repository import ContentIndex, ContentRepository
from kiosk.sync.stages import content_stage, media_stage
from kiosk.sync.status import SyncStatus, read_status, write_status

log = logging.getLogger(__name__)

SOFTWARE = "legal-kiosk/0.1.0"
Emit = Callable[[dict[str, Any]], None]


def print_json(line: dict[str, Any]) -> None:
    """One log line on stdout; a closed stdout never breaks a run."""
    with contextlib.suppress(OSError, ValueError):
        print(json.dumps(line, ensure_ascii=False), flush=True)


@dataclass
class SyncResult:
    exit_code: int
    run_id: str
    stages: dict[str, str] = field(default_factory=dict)  # stage → ok / skipped / refused / unreachable …
    content_version: int | None = None
    content_changed: bool = False
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code == E.EXIT_OK


@contextlib.contextmanager
def run_lock(paths: DataPaths) -> Iterator[bool]:
    """Yields True while holding the run lock, False when another run holds it."""
    lock_path = paths.state_dir / "sync" / "sync.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


class SyncRunner:
    """``run_once()`` performs one complete run and returns a :class:`SyncResult`.

    ``emit`` receives each JSON log line (default: printed to stdout). ``content_db`` lets an
    application pass the database it already opened (otherwise the runner opens its own).
    """

    def __init__(
        self,
        paths: DataPaths,
        *,
        policy: NetPolicy | None = None,
        emit: Emit | None = None,
        content_db: pw.Database | None = None,
    ):
        self.paths = paths
        self.policy = policy
        self.emit = emit or print_json
        self._db = content_db
        self._own_db = content_db is None
        self._progress: RunProgress | None = None

    # --- plumbing ---------------------------------------------------------------------------------

    def _log(self, run_id: str, stage: str, status: str, started: float, **detail: Any) -> None:
        line = {
            "ts": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "run": run_id,
            "stage": stage,
            "status": status,
            "ms": round((time.monotonic() - started) * 1000),
        }
        line.update(detail)
        self.emit(line)

    @property
    def progress(self) -> RunProgress:
        assert self._progress is not None, "progress exists only while a run is live"
        return self._progress

    def _db_open(self) -> pw.Database:
        if self._db is None:
            from kiosk.store.db import open_content_db

            # Its own connection; opening binds no model, so the app's screens keep reading through theirs.
            self._db = open_content_db(self.paths.content_db)
        return self._db

    def _stage(self, result: SyncResult, codes: list[int], name: str, fn: Callable[[], dict[str, Any]]) -> bool:
        started = time.monotonic()
        self.progress.begin(name)
        try:
            detail = fn()
        except E.SyncError as exc:
            codes.append(exc.exit_code)
            outcome = E.EXIT_NAMES[exc.exit_code]
            result.stages[name] = outcome
            result.message = f"{name}: {exc}"
            self.progress.end(name, outcome, str(exc))
            self._log(result.run_id, name, outcome, started, reason=exc.reason, error=str(exc))
            return False
        except Exception as exc:  # a bug or a local fault (disk full …): report, go on with other stages
            codes.append(E.EXIT_INTERNAL)
            result.stages[name] = "internal_error"
            result.message = f"{name}: internal error {exc!r}"
            where = traceback.extract_tb(exc.__traceback__)[-1]
            self.progress.end(name, "internal_error", repr(exc))
            self._log(
                result.run_id,
                name,
                "internal_error",
                started,
                error=repr(exc),
                at=f"{where.filename}:{where.lineno}",
                traceback="".join(traceback.format_exception(exc)),
            )
            return False
        result.stages[name] = "ok"
        self.progress.end(name, "ok")
        self._log(result.run_id, name, "ok", started, **detail)
        return True

    def _refresh_domain_words(self) -> int | None:
        """The keyboard's domain words (law titles, places) follow the content; a failure here never fails
        the sync: the keyboard keeps the previous list."""
        from kiosk.domain_words import rebuild_domain_words

        try:
            return rebuild_domain_words(self.paths, self._db_open())
        except Exception:
            log.exception("rebuilding the keyboard's domain words after new content failed")
            return None

    def _skip(self, result: SyncResult, name: str, why: str) -> None:
        result.stages[name] = "skipped"
        self.progress.skip(name, why)
        self._log(result.run_id, name, "skipped", time.monotonic(), reason=why)

    # --- the run ----------------------------------------------------------------------------------

    def run_once(self) -> SyncResult:
        self.paths.ensure()
        run_id = uuid.uuid4().hex[:12]
        with run_lock(self.paths) as held:
            if not held:
                result = SyncResult(E.EXIT_BUSY, run_id, {"lock": "busy"}, message="another sync run is active")
                self._log(run_id, "lock", "busy", time.monotonic())
                return result
            previous = read_progress(self.paths.state_dir)
            self._progress = RunProgress(progress_file(self.paths.state_dir), run_id)
            self._progress.save()
            try:
                return self._run(run_id, previous)
            finally:
                self._close()

    def _close(self) -> None:
        if self._own_db and self._db is not None:
            self._db.close()
            self._db = None

    def _run(self, run_id: str, previous: dict[str, Any] | None) -> SyncResult:
        result = SyncResult(E.EXIT_OK, run_id)
        codes: list[int] = []
        if previous and interrupted_stage(previous):
            self._log(
                run_id,
                "resume",
                "ok",
                time.monotonic(),
                previous_run=previous.get("run"),
                interrupted_at=interrupted_stage(previous),
                interrupted_step=previous.get("step"),
            )
        device: DeviceState | None = None
        started = time.monotonic()
        try:
            device = load_device(self.paths)
            token = load_token(self.paths)
            bootstrap = load_root(self.paths)
        except E.NotProvisioned as exc:
            result.exit_code, result.message = exc.exit_code, str(exc)
            result.stages["device"] = "not_provisioned"
            self._log(run_id, "device", "not_provisioned", started, error=str(exc))
            self._finish(result, fresh=False)
            return result
        http = Http(self.policy or NetPolicy(allow_http=device.allow_http))
        if self.policy is not None and device.allow_http and not self.policy.allow_http:
            http.policy = NetPolicy(**{**self.policy.__dict__, "allow_http": True})
        state: dict[str, Any] = {}

        def metadata() -> dict[str, Any]:
            repo = ContentRepository(self.paths.state_dir, device.repository_url, bootstrap, http)
            repo.refresh()
            state["repo"], state["index"] = repo, repo.index()
            index: ContentIndex = state["index"]
            return {"latest": index.latest, "content_date": index.content_date}

        def content() -> dict[str, Any]:
            outcome = content_stage(self._db_open(), state["repo"], state["index"], on_step=self.progress.at_step)
            result.content_changed = outcome.changed
            words = self._refresh_domain_words() if outcome.changed else None
            return {
                "from": outcome.before,
                "to": outcome.after,
                "applied": outcome.applied,
                "fell_back": outcome.fell_back,
                "downloaded": http.bytes_received,
                "domain_words": words,
            }

        def media() -> dict[str, Any]:
            outcome = media_stage(self._db_open(), state["repo"], self.paths.media_dir)
            return {"fetched": outcome.fetched, "present": outcome.present, "removed": outcome.removed}

        outbox = Outbox.open(self.paths)
        try:
            meta_ok = self._stage(result, codes, "metadata", metadata)
            content_ok = meta_ok and self._stage(result, codes, "content", content)
            if not meta_ok:
                self._skip(result, "content", "metadata not verified")
            if meta_ok:
                self._stage(result, codes, "media", media)
            else:
                self._skip(result, "media", "metadata not verified")

            def outbox_stage() -> dict[str, Any]:
                pushed = push_outbox(outbox, http, device, token)
                return {
                    "sent": pushed.sent,
                    "acked": pushed.acked,
                    "rejected": pushed.rejected,
                    "batches": pushed.batches,
                    "pending": outbox.pending_count(),
                }

            pushed_ok = self._stage(result, codes, "outbox", outbox_stage)
            if pushed_ok or result.stages.get("outbox") == "refused":
                self._stage(
                    result, codes, "heartbeat", lambda: self._heartbeat(outbox, http, device, token, content_ok, result)
                )
            else:
                self._skip(result, "heartbeat", "platform API not reachable")
            result.exit_code = E.worst(codes)
            self._finish(result, fresh=content_ok, outbox=outbox)
        finally:
            outbox.close()
        return result

    def _heartbeat(
        self, outbox: Outbox, http: Http, device: DeviceState, token: str, content_ok: bool, result: SyncResult
    ) -> dict[str, Any]:
        db = self._db_open()
        status = read_status(self.paths)
        payload: dict[str, Any] = {
            "software": SOFTWARE,
            "content_version": local_version(db),
            "content_date": local_date(db),
            "last_success": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            if content_ok
            else status.last_success,
            "stages": dict(result.stages),
            "pending_events": outbox.pending_count(),
            "free_disk_mb": _free_mb(self.paths),
        }
        config = Config.load(self.paths.config_file)
        payload["settings_in_effect"] = heartbeat_settings(config, self.paths.state_dir)  # the platform sees overrides
        beat = send_heartbeat(outbox, http, device, token, payload, config, self.paths.state_dir)
        detail: dict[str, Any] = beat.settings.log_fields()  # each change with old → new, refusals with why
        if beat.server_time:
            try:
                skew = (dt.datetime.fromisoformat(beat.server_time) - dt.datetime.now(dt.UTC)).total_seconds()
                detail["clock_skew_s"] = round(skew)
            except (ValueError, TypeError):
                pass
        return detail

    def _finish(self, result: SyncResult, fresh: bool, outbox: Outbox | None = None) -> None:
        status = read_status(self.paths)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        db = self._db_open() if self.paths.content_db.exists() else None
        version = local_version(db) if db is not None else None
        result.content_version = version
        write_status(
            self.paths,
            SyncStatus(
                last_attempt=now,
                result=E.EXIT_NAMES[result.exit_code],
                exit_code=result.exit_code,
                last_success=now if fresh else status.last_success,
                content_version=version,
                content_date=local_date(db) if db is not None else None,
                pending_events=outbox.pending_count() if outbox is not None else status.pending_events,
                message=result.message,
                stages=dict(result.stages),
            ),
        )
        self.progress.finish()
        self.emit(
            {
                "ts": now,
                "run": result.run_id,
                "stage": "done",
                "status": E.EXIT_NAMES[result.exit_code],
                "exit_code": result.exit_code,
                "content_version": version,
            }
        )


def _free_mb(paths: DataPaths) -> int:
    st = os.statvfs(paths.root)
    return int(st.f_bavail * st.f_frsize / 1024 / 1024)


def main_run(paths: DataPaths, policy: NetPolicy | None = None, emit: Emit | None = None) -> int:
    """``kiosk sync``: one run, JSON lines on stdout (or to ``emit``), the exit code of the run."""
    try:
        return SyncRunner(paths, policy=policy, emit=emit).run_once().exit_code
    except Exception as exc:  # nothing should get here; never a traceback without a JSON line
        print_json({"stage": "run", "status": "internal_error", "error": repr(exc)})
        traceback.print_exc(file=sys.stderr)
        return E.EXIT_INTERNAL
