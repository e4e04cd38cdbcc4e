"""The ``kiosk-hub`` command line: init, publish, serve, enrol-code, devices, revoke, refresh."""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk.store.errors import ImportFailed, KioskError
from kiosk_hub.paths import HubConfig, HubError, HubPaths, write_private


def _paths(args: argparse.Namespace) -> HubPaths:
    return HubPaths.resolve(args.data_dir)


def cmd_init(args: argparse.Namespace) -> int:
    from kiosk_hub.tufrepo import TufRepo

    paths = _paths(args)
    if paths.config_file.exists():
        raise HubError(f"{paths.root} is already a hub data folder")
    config = HubConfig(
        timestamp_days=args.timestamp_days,
        delta_count=args.deltas,
        repository_url=args.repository_url or "",
        database_url=args.database_url or "",
    )
    config.check()
    paths.root.mkdir(parents=True, exist_ok=True)
    paths.save_config(config)
    TufRepo.init(paths, config)
    write_private(paths.admin_token_file, secrets.token_urlsafe(32).encode())
    print(f"hub initialised in {paths.root}")
    print(f"  root key (keep offline): {paths.offline_keys / 'root.pem'}")
    print(f"  static repository:       {paths.repo}")
    print(f"  admin token:             {paths.admin_token_file}")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from kiosk_hub.build import Sources
    from kiosk_hub.publish import publish

    def one(value: str | None) -> Path | None:
        return Path(value) if value else None

    sources = Sources(
        laws=one(args.laws),
        guides=one(args.guides),
        topics=one(args.topics),
        synonyms=one(args.synonyms),
        publicity=one(args.publicity),
        regions=one(args.regions),
        cases=[Path(p) for p in args.cases] if args.cases else None,
        directory=_directory_files(args.directory) if args.directory else None,
        skip=set(args.skip or []),
    )
    result = publish(_paths(args), sources, force=args.force, progress=lambda msg: print(f"… {msg}", file=sys.stderr))
    print(result.summary())
    return 0


def _directory_files(given: list[str]) -> list[Path]:
    files: list[Path] = []
    for item in given:
        path = Path(item)
        files += sorted(path.glob("*.csv")) if path.is_dir() else [path]
    return files


def cmd_serve(args: argparse.Namespace) -> int:
    from kiosk_hub.asgi import ServeOptions
    from kiosk_hub.server import serve

    options = ServeOptions(
        data_dir=args.data_dir,
        database_url=args.database_url or "",
        public_url=args.public_url or "",
        repository_url=args.repository_url or "",
        video_url_template=args.video_url_template or "",
        test_faults=args.enable_test_faults,
        access_log=not args.no_access_log,
    )
    if args.workers > 1 and args.enable_test_faults:
        raise HubError("--enable-test-faults needs a single worker")
    interval = None if args.no_refresh else args.refresh_interval
    serve(options, args.host, args.port, interval, args.forwarded_allow_ips, args.workers, args.http)
    return 0


def _open_db(paths: HubPaths, url: str | None) -> None:
    from kiosk_hub.db import open_hub_db

    open_hub_db(url or paths.load_config().database_url, paths.db_file)


def cmd_enrol_code(args: argparse.Namespace) -> int:
    from kiosk_hub.api import new_enrol_code
    from kiosk_hub.fleet import FleetError, find_device

    paths = _paths(args)
    _open_db(paths, args.database_url)
    days = args.valid_days if args.valid_days is not None else paths.load_config().enrol_code_days
    if not 1 <= days <= 365:
        raise HubError("--valid-days must be between 1 and 365")
    old = None
    if args.replaces:
        try:
            old = find_device(args.replaces)
        except FleetError as exc:
            raise HubError(str(exc)) from None
    name = args.name or (old.name if old is not None else "")
    if not name:
        raise HubError("--name is required (or --replaces DEVICE, whose name the new terminal takes)")
    from kiosk_hub.tufrepo import TufRepo

    root = TufRepo(paths, paths.load_config()).root_bytes()
    print(new_enrol_code(name, days, old.device_id if old is not None else None, root))
    if old is not None:
        print(f"the terminal enrolled with it replaces {old.device_id} ({old.name}), revoked then", file=sys.stderr)
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from kiosk_hub.api import ApiError, revoke
    from kiosk_hub.fleet import FleetError, find_device

    _open_db(_paths(args), args.database_url)
    try:
        device = find_device(args.device_id)
        revoke(device.device_id)
    except ApiError as exc:
        raise HubError(exc.message) from None
    except FleetError as exc:
        raise HubError(str(exc)) from None
    print(f"revoked {device.device_id} ({device.name})")
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    import json

    from kiosk_hub.api import devices

    _open_db(_paths(args), args.database_url)
    print(json.dumps(devices()[1], ensure_ascii=False, indent=1))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from kiosk_hub.report import ReportError, build_report, parse_day, to_csv
    from kiosk_hub.report_html import to_html

    paths = _paths(args)
    try:
        start, end = parse_day(args.start, "--from"), parse_day(args.end, "--to")
        _open_db(paths, args.database_url)
        report = build_report(start, end, args.region)
    except ReportError as exc:
        raise HubError(str(exc)) from None
    text = to_csv(report) if args.format == "csv" else to_html(report)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"report written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_rotate_key(args: argparse.Namespace) -> int:
    from kiosk_hub.tufrepo import TufRepo

    paths = _paths(args)
    version = TufRepo(paths, paths.load_config()).rotate_key(args.role, Path(args.root_key) if args.root_key else None)
    print(f"{args.role}: new key in root version {version}; terminals take it with their next sync")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from kiosk_hub.tufrepo import TufRepo

    paths = _paths(args)
    done = TufRepo(paths, paths.load_config()).refresh(force=args.force)
    print("re-signed: " + (", ".join(done) if done else "nothing was due"))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk-hub", description="reference platform for the legal-service kiosks")
    parser.add_argument("--data-dir", help="the hub's folder (env KIOSK_HUB_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help="create signing keys, the trust root and an empty repository")
    p.add_argument("--timestamp-days", type=int, default=1, help="timestamp lifetime, 1..7 days (default 1)")
    p.add_argument("--deltas", type=int, default=5, help="publish deltas from the last N versions (default 5)")
    p.add_argument("--repository-url", help="public URL of the static repository when another server serves it")
    p.add_argument("--database-url", help="registry database URL (default SQLite in the data folder)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("publish", help="build and sign a new content version (demo sample content by default)")
    p.add_argument("--laws", help="LawRefBook-format laws folder")
    p.add_argument("--cases", action="append", help="cases.jsonl or a case Markdown folder (repeatable)")
    p.add_argument("--directory", action="append", help="directory CSV file or folder of them (repeatable)")
    p.add_argument("--guides", help="folder of guide TOML files")
    p.add_argument("--topics", help="hot topics CSV")
    p.add_argument("--synonyms", help="synonyms TSV")
    p.add_argument("--publicity", help="publicity TOML")
    p.add_argument("--regions", help="regions CSV")
    p.add_argument("--skip", action="append", help="content kind to leave as it is (repeatable)")
    p.add_argument("--force", action="store_true", help="publish a new version even when nothing changed")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("serve", help="serve the repository and the API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8700, help="0 picks a free port (printed on start)")
    p.add_argument("--public-url", help="base URL terminals use to reach this server")
    p.add_argument("--repository-url", help="tell terminals to fetch the repository from here (nginx, CDN)")
    p.add_argument("--database-url", help="registry database URL (overrides hub.toml)")
    p.add_argument("--refresh-interval", type=float, default=600, help="seconds between expiry checks")
    p.add_argument("--no-refresh", action="store_true", help="never re-sign metadata while serving")
    p.add_argument(
        "--video-url-template",
        help="video rooms, {room} = room name, {hub} = this server (overrides hub.toml), "
        "e.g. https://meet.example.gov.cn/xg-{room}",
    )
    p.add_argument(
        "--forwarded-allow-ips",
        help="behind nginx: trust X-Forwarded-For from these addresses (comma-separated) for per-address limits",
    )
    p.add_argument("--workers", type=int, default=1, help="worker processes on the one port (default 1)")
    p.add_argument(
        "--http",
        choices=["h11", "httptools"],
        default="h11",
        help="HTTP parser: h11 (default, pure Python, what the tests drive) or httptools (faster, if installed)",
    )
    p.add_argument("--access-log", action="store_true", help=argparse.SUPPRESS)  # the default now
    p.add_argument("--no-access-log", action="store_true", help="no line per request on standard error")
    p.add_argument("--enable-test-faults", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("enrol-code", help="print a one-time enrolment code")
    p.add_argument("--name", help="the terminal it is meant for")
    p.add_argument("--replaces", help="an old terminal (id or its first characters): the new one takes its place")
    p.add_argument("--valid-days", type=int)
    p.add_argument("--database-url")
    p.set_defaults(func=cmd_enrol_code)

    p = sub.add_parser("devices", help="list enrolled terminals as JSON")
    p.add_argument("--database-url")
    p.set_defaults(func=cmd_devices)

    p = sub.add_parser("revoke", help="revoke a terminal's token")
    p.add_argument("device_id")
    p.add_argument("--database-url")
    p.set_defaults(func=cmd_revoke)

    p = sub.add_parser("report", help="workload and satisfaction by terminal, county and month")
    p.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD", help="first day (inclusive)")
    p.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD", help="last day (inclusive)")
    p.add_argument("--region", help="a city, county or town code (assets/regions.csv)")
    p.add_argument("--format", choices=["csv", "html"], default="html")
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.add_argument("--database-url")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("rotate-key", help="replace a signing key (root, targets, snapshot or timestamp)")
    p.add_argument("role", choices=["root", "targets", "snapshot", "timestamp"])
    p.add_argument("--root-key", help="the offline root key (.pem) when it is not in keys/offline/")
    p.set_defaults(func=cmd_rotate_key)

    from kiosk_hub.cli_ops import add_parsers

    add_parsers(sub)

    p = sub.add_parser("refresh", help="re-sign metadata that is about to expire (run from cron with nginx)")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=cmd_refresh)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except ImportFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KioskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
