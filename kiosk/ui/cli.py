"""``kiosk run`` and ``kiosk screenshots``. Qt is imported inside the handlers only."""

from __future__ import annotations

import argparse
import os
import sys
import time

from kiosk.paths import DataPaths


def process_age_ms() -> float:
    """Milliseconds since this process started (Linux /proc; else since this module loaded)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return (uptime - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000
    except (OSError, ValueError, IndexError):
        return (time.perf_counter() - _LOADED) * 1000


_LOADED = time.perf_counter()


def cmd_run(args: argparse.Namespace, paths: DataPaths) -> int:
    from kiosk.ui.run import run

    return run(
        paths,
        windowed=args.windowed,
        exit_when_ready=args.exit_when_ready,
        orientation=args.orientation,
        elder=args.elder,
        setup=not args.demo,
        demo=args.demo,
    )


def cmd_screenshots(args: argparse.Namespace, paths: DataPaths) -> int:
    from kiosk.ui.screenshots import take_screenshots

    orientations = ["portrait"] if args.portrait else ["landscape"] if args.landscape else ["portrait", "landscape"]
    written = take_screenshots(
        paths, args.out_dir, orientations, elder_modes=[True] if args.elder else [False], routes=args.route or None
    )
    for path in written:
        print(path)
    print(f"{len(written)} screenshots written to {args.out_dir}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("run", help="start the touch kiosk (full screen)")
    p.add_argument("--windowed", action="store_true", help="a normal window, for development")
    p.add_argument(
        "--exit-when-ready",
        action="store_true",
        help="print the milliseconds from process start to a responsive home screen, then exit",
    )
    p.add_argument("--orientation", choices=["portrait", "landscape"], help="override the configured orientation")
    p.add_argument("--elder", action="store_true", help="start in elder mode (大字模式)")
    p.add_argument(
        "--demo", action="store_true", help="demo content: skip the first-run setup of a terminal that is not enrolled"
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("screenshots", help="render every screen with real content to PNG files")
    p.add_argument("out_dir", help="folder for the PNG files (named after their routes)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--portrait", action="store_true", help="portrait (1080×1920) only")
    group.add_argument("--landscape", action="store_true", help="landscape (1920×1080) only")
    p.add_argument("--elder", action="store_true", help="elder mode (大字模式)")
    p.add_argument("--route", action="append", help="only this route (repeatable)")
    p.set_defaults(func=cmd_screenshots)
