"""``kiosk sync`` and ``kiosk provision`` (registered into :mod:`kiosk.cli`)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from kiosk.paths import DataPaths
from kiosk.sync import errors as E

EXIT_INTERRUPTED = 130  # the shell's convention for a program ended by Ctrl-C


def cmd_sync(args: argparse.Namespace, paths: DataPaths) -> int:
    from kiosk.logsetup import log_sync_line, setup_sync_journal, stdout_is_journal
    from kiosk.sync.http import NetPolicy
    from kiosk.sync.progress import read_progress
    from kiosk.sync.runner import main_run, print_json
    from kiosk.sync.status import read_status

    if args.status:
        # the saved status plus the stage records of the last run (a run that died shows where it stopped)
        shown = {**asdict(read_status(paths)), "last_run": read_progress(paths.state_dir)}
        print(json.dumps(shown, ensure_ascii=False))
        return E.EXIT_OK
    policy = NetPolicy(
        connect_timeout=args.connect_timeout,
        read_timeout=args.read_timeout,
        attempts=args.attempts,
        allow_http=args.allow_http,
    )

    def emit(line: dict[str, Any]) -> None:
        print_json(line)
        log_sync_line(line)

    by_hand = not stdout_is_journal()  # the timer's unit: stdout already is the journal (legal-kiosk-sync)
    if by_hand:
        setup_sync_journal()  # the lines on the screen and in the same journal as every other run
    try:
        return main_run(paths, policy, emit if by_hand else None)
    except KeyboardInterrupt:  # Ctrl-C: a sentence, not a traceback; the lock is released on the way out
        print("已中断（Ctrl-C）：本次同步没有完成，下次同步会接着下载。", file=sys.stderr)
        return EXIT_INTERRUPTED


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sync",
        help="one sync run with the platform (content down, events up)",
        description="Exit codes: 0 ok, 1 internal error, 3 not provisioned or revoked, "
        "4 platform unreachable, 5 verification refused, 6 another run is active.",
    )
    p.add_argument("--status", action="store_true", help="print the saved status of the last run and exit")
    p.add_argument("--connect-timeout", type=float, default=5.0)
    p.add_argument("--read-timeout", type=float, default=20.0)
    p.add_argument("--attempts", type=int, default=4, help="tries per request before giving up this run")
    p.add_argument("--allow-http", action="store_true", help="allow plain http to a non-local platform")
    p.set_defaults(func=cmd_sync)
