"""The robot resident for a long time: N residents in a row on the real widgets (offscreen), idle
wipes between them, printing memory and handle counts as it goes.

Run: .venv/bin/python bench/soak_ui.py --data-dir DIR --sessions 500
     .venv/bin/python bench/soak_ui.py --smoke            (a few residents on a fresh test database)
The last line is ``sessions N exceptions E qt_warnings W rss_first_mb A rss_last_mb B``; the exit
status is 1 when a resident met a problem (it is printed above that line).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.paths import DataPaths


def rss_mb(field: str = "VmRSS") -> float:
    """The process's resident memory (VmRSS), or one of its parts: RssAnon (its own), RssFile
    (pages of mapped files, such as the content database's index: the kernel may drop them)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def qobject_count(roots: list[object]) -> int:
    from PySide6.QtCore import QObject

    return sum(1 + len(r.findChildren(QObject)) for r in roots if isinstance(r, QObject))


def smoke_data(folder: Path) -> DataPaths:
    """A small real content database: the demo import of the shared data (as kiosk demo-data does)."""
    from kiosk.cli import main

    paths = DataPaths(folder)
    if main(["--data-dir", str(folder), "demo-data"]) != 0:
        raise SystemExit("could not build the demo database")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, help="a kiosk data folder with content (kiosk demo-data)")
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--every", type=int, default=50, help="print a line every N residents")
    parser.add_argument("--smoke", action="store_true", help="5 residents on a fresh demo database")
    parser.add_argument(
        "--search-memory-mb", type=int, help="the kiosk's search_memory_mb (default: its default; 0: no warm-up)"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.sessions, args.every = min(args.sessions, 5), 1
        if args.data_dir is None:
            args.data_dir = Path(tempfile.mkdtemp(prefix="kiosk-soak-")) / "data"
            smoke_data(args.data_dir)
    if args.data_dir is None:
        parser.error("--data-dir is required (or --smoke)")
    if not DataPaths(args.data_dir).content_db.exists():
        parser.error(f"{args.data_dir}: no content database (run: kiosk --data-dir {args.data_dir} demo-data)")

    from kiosk.ui.app import application

    qapp = application(["soak"])
    from kiosk.config import Config
    from kiosk.outbox import Outbox
    from kiosk.services import open_services
    from kiosk.services.resident import ResidentService
    from kiosk.services.speech import SpeechService
    from kiosk.ui.app import KioskApp
    from kiosk.ui.robot.driver import ManualClock, RobotFailure
    from kiosk.ui.robot.residents import RobotResidents
    from kiosk.ui.robot.watch import Watch

    scratch = Path(tempfile.mkdtemp(prefix="kiosk-soak-state-"))
    paths = DataPaths(args.data_dir)
    settings: dict[str, object] = {"idle_seconds": 60, "idle_countdown_seconds": 15}
    if args.search_memory_mb is not None:
        settings["search_memory_mb"] = args.search_memory_mb
    config = Config(scratch / "config.toml", settings)
    services = open_services(paths, config, speech=SpeechService(player=None))
    services.resident.close()
    services.resident = ResidentService(Outbox(scratch / "outbox.sqlite3"))  # the residents' events stay here
    clock = ManualClock()
    watch = Watch().install()
    app = KioskApp(services, windowed=True, orientation="portrait", clock=clock, start_timers=False)
    app.resize_for("portrait")
    app.window.show()
    # The timers are off, so the kiosk's own warm-up (common words' search scores, kept after its
    # start) is done here: the memory figures are those of a terminal past its first seconds.
    cold = [rss_mb(f) for f in ("VmRSS", "RssAnon", "RssFile")]
    while services.search.warm_step(1.0):
        pass
    warm = [rss_mb(f) for f in ("VmRSS", "RssAnon", "RssFile")]
    print(
        "search warm-up (common words' scores kept): "
        + ", ".join(f"{f} {a:.1f} -> {b:.1f} MB" for f, a, b in zip(("rss", "anon", "file"), cold, warm, strict=True))
    )
    robot = RobotResidents(app, clock, watch, args.seed, patience_ms=120_000)
    robot.driver.strict = False
    robot.driver.walk_away()

    def measure() -> tuple[float, int, int]:
        gc.collect()
        return rss_mb(), qobject_count([app.window, app, *qapp.topLevelWidgets()]), open_fds()

    # anon_mb: the process's own memory; the rest of rss_mb is mostly mapped file pages (the kernel may drop them).
    print(f"{'sessions':>8} {'rss_mb':>8} {'anon_mb':>8} {'qobjects':>9} {'fds':>5} {'steps':>7} {'s':>7}")
    started = time.perf_counter()
    first: float | None = None
    last = float("nan")
    failure = ""
    done = 0
    for i in range(args.sessions):
        try:
            robot.session(journeys=robot.rng.choice((2, 3, 4)))
        except RobotFailure as exc:
            failure = str(exc)
            import faulthandler

            faulthandler.dump_traceback(all_threads=True)  # where a stuck background task waits
            break
        done = i + 1
        if first is None or done % args.every == 0 or done == args.sessions:
            rss, objects, fds = measure()
            first = rss if first is None else first
            last = rss
            elapsed = time.perf_counter() - started
            anon = rss_mb("RssAnon")
            print(f"{done:>8} {rss:>8.1f} {anon:>8.1f} {objects:>9} {fds:>5} {robot.driver.steps:>7} {elapsed:>7.1f}")
            sys.stdout.flush()
    for finding in robot.driver.findings:
        print("finding:", finding)
    if failure:
        print("FAILED:", failure)
    watch.uninstall()
    app.close()
    services.speech.close()
    services.resident.close()
    print(
        f"sessions {done} exceptions {len(watch.exceptions)} qt_warnings {len(watch.warnings)} "
        f"rss_first_mb {first or float('nan'):.1f} rss_last_mb {last:.1f}"
    )
    return 1 if failure or watch.problems() else 0


if __name__ == "__main__":
    sys.exit(main())
