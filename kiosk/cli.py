"""The ``kiosk`` command line."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk.paths import DataPaths
from kiosk.store.errors import ImportFailed, KioskError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _open(paths: DataPaths):  # type: ignore[no-untyped-def]
    from kiosk.store.db import open_content_db

    paths.ensure()
    return open_content_db(paths.content_db)


def cmd_import(args: argparse.Namespace, paths: DataPaths) -> int:
    from kiosk.store import importers

    db = _open(paths)
    started = time.perf_counter()
    report = importers.run_import(
        db,
        args.kind,
        [Path(p) for p in args.paths],
        keep_missing=args.keep_missing,
        replace=args.replace,
        progress=lambda msg: print(f"… {msg}", file=sys.stderr),
    )
    print(report.summary())
    print(f"took {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace, paths: DataPaths) -> int:
    from kiosk.store.stats import content_stats

    stats = content_stats(_open(paths))
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
    else:
        for key, value in stats.items():
            print(f"{key:20} {value}")
    return EXIT_OK


def cmd_demo_data(args: argparse.Namespace, paths: DataPaths) -> int:
    """Build into a side file and move it into place, so a failed build leaves no half database."""

    from kiosk.fileio import replace_durably
    from kiosk.store.db import open_content_db
    from kiosk.store.demo import build_demo

    paths.ensure()
    building = paths.content_db.with_name("content.building.sqlite3")
    for leftover in building.parent.glob(building.name + "*"):
        leftover.unlink()
    db = open_content_db(building)
    try:
        for report in build_demo(
            db, Path(args.shared) if args.shared else None, progress=lambda msg: print(f"… {msg}", file=sys.stderr)
        ):
            print(report.summary())
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{paths.content_db}{suffix}").unlink(missing_ok=True)
    replace_durably(building, paths.content_db)
    Path(f"{building}-wal").unlink(missing_ok=True)
    Path(f"{building}-shm").unlink(missing_ok=True)
    print(f"demo database ready: {paths.content_db}")
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace, paths: DataPaths) -> int:
    from kiosk.doctor import render, run_checks

    results = run_checks(paths)
    print(render(results, args.json))
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="公共法律服务自助终端 (public legal-service kiosk)")
    parser.add_argument("--data-dir", help="folder for the terminal's databases and state (env KIOSK_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("import", help="import content files into the content store")
    p.add_argument(
        "kind", choices=["laws", "cases", "directory", "guides", "topics", "synonyms", "publicity", "regions"]
    )
    p.add_argument("paths", nargs="+", help="file(s) or folder to import")
    p.add_argument(
        "--keep-missing",
        action="store_true",
        help="laws/guides: keep stored documents that are not in the given folder",
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="directory: remove stored institutions, people and records the given files do not list "
        "(printed); without it a directory import only adds and updates",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("stats", help="count what the content store holds")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("demo-data", help="build the demo database from ../shared/data and assets/sample")
    p.add_argument("--shared", help="the shared data folder (default: ../shared/data beside the repository)")
    p.set_defaults(func=cmd_demo_data)

    p = sub.add_parser("doctor", help="check fonts, voice, keyboard, camera, disk, clock, platform, database")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_doctor)

    _register_optional(sub)
    return parser


def _register_optional(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Commands that live in other packages register themselves here."""
    import importlib

    for module_name in (
        "kiosk.search.cli",
        "kiosk.ui.cli",
        "kiosk.sync.cli",
        "kiosk.provisioning.cli",
        "kiosk.handwriting.cli",
    ):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    paths = DataPaths.resolve(args.data_dir)
    func: Callable[[argparse.Namespace, DataPaths], int] = args.func
    try:
        return func(args, paths)
    except ImportFailed as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    except KioskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
