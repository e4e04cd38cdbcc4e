"""``kiosk sync`` and ``kiosk provision`` (registered into :mod:`kiosk.cli`)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from kiosk.paths import DataPaths
from kiosk.sync import errors as E


def cmd_sync(args: argparse.Namespace, paths: DataPaths) -> int:
    from kiosk.sync.http import NetPolicy
    from kiosk.sync.runner import main_run
    from kiosk.sync.status import read_status

    if args.status:
        print(json.dumps(asdict(read_status(paths)), ensure_ascii=False))
        return E.EXIT_OK
    policy = NetPolicy(
        connect_timeout=args.connect_timeout,
        read_timeout=args.read_timeout,
        attempts=args.attempts,
        allow_http=args.allow_http,
    )
    return main_run(paths, policy)


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
