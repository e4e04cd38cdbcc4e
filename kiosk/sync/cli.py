"""``kiosk sync`` and ``kiosk provision`` (registered into :mod:`kiosk.cli`)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict
from typing import Any

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


def _ask(value: Any, prompt: str, interactive: bool, secret: bool = False) -> str:
    if value not in (None, ""):
        return str(value)
    if not interactive:
        raise SystemExit(f"kiosk provision: {prompt} is required with --non-interactive")
    answer = getpass.getpass(f"{prompt}: ") if secret else input(f"{prompt}: ")
    return answer.strip()


def cmd_provision(args: argparse.Namespace, paths: DataPaths) -> int:
    from kiosk.sync.device import provision

    interactive = not args.non_interactive and sys.stdin.isatty()
    hub = _ask(args.hub, "platform address (https://…)", interactive)
    code = _ask(args.code, "enrolment code", interactive)
    name = _ask(args.name, "terminal name", interactive)
    region = _ask(args.region, "region code (e.g. 420902)", interactive)
    lat = _ask(args.lat, "latitude", interactive)
    lon = _ask(args.lon, "longitude", interactive)
    pin = _ask(args.pin, "admin PIN (4-12 digits)", interactive, secret=True)
    try:
        latitude, longitude = float(lat), float(lon)
    except ValueError:
        print("error: latitude and longitude must be numbers", file=sys.stderr)
        return 2
    try:
        state = provision(
            paths,
            hub_url=hub,
            code=code,
            name=name,
            region=region,
            lat=latitude,
            lon=longitude,
            pin=pin,
            address=args.address or "",
            allow_http=args.allow_http,
            force=args.force,
        )
    except E.SyncError as exc:
        print(f"error: enrolment failed: {exc}", file=sys.stderr)
        return exc.exit_code
    print(
        json.dumps(
            {"device_id": state.device_id, "hub_url": state.hub_url, "repository_url": state.repository_url},
            ensure_ascii=False,
        )
    )
    return E.EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
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

    p = sub.add_parser("provision", help="enrol this terminal with the platform")
    p.add_argument("--hub", help="platform address")
    p.add_argument("--code", help="one-time enrolment code from `kiosk-hub enrol-code`")
    p.add_argument("--name", help="terminal name")
    p.add_argument("--region", help="region code of the terminal's county or town")
    p.add_argument("--lat", help="latitude (WGS-84)")
    p.add_argument("--lon", help="longitude (WGS-84)")
    p.add_argument("--pin", help="admin PIN (stored only as an argon2 hash)")
    p.add_argument("--address", help="where the terminal stands")
    p.add_argument("--allow-http", action="store_true", help="allow plain http to a non-local platform")
    p.add_argument("--force", action="store_true", help="enrol again although already enrolled")
    p.add_argument("--non-interactive", action="store_true", help="never prompt; fail on missing values")
    p.set_defaults(func=cmd_provision)
