"""Sync benchmark: prints its figures (docs/benchmarks.md, section "Sync", records them).

1. First sync of the whole shared laws folder plus the sample content from a hub on 127.0.0.1:
   wall time and peak memory of the ``kiosk sync`` process.
2. A new version changing 1 % of all articles (chosen at random): bytes the terminal downloads
   against the compressed size of the changed records, and the wall time of that ``kiosk sync``.
3. 10,000 queued events uploaded: time of the outbox stage.

    .venv/bin/python bench/bench_sync.py [--work DIR] [--keep] [--smoke]

``--smoke``: the same three steps over the laws the sample guides cite and 100 events (tens of seconds);
proves the bench runs, its figures mean nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kiosk.paths import SHARED_DATA_DIR, DataPaths  # noqa: E402

PY = sys.executable
ARTICLE = re.compile(r"^(第[〇零一二三四五六七八九十百千两]+条(?:之[一二三四五六七八九十]+)?)([ \u3000])(.*)$")
MEASURED_SYNC = (
    "import resource, sys, time\n"
    "from kiosk.cli import main\n"
    "t = time.perf_counter(); rc = main(sys.argv[1:])\n"
    "print(json.dumps({'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,"
    " 'seconds': time.perf_counter() - t}), file=sys.stderr)\n"
    "sys.exit(rc)\n"
)


def sh(*args: str | Path, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([PY, *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO)
    if proc.returncode != 0:
        raise SystemExit(f"{args} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


def measured_sync(data_dir: Path) -> tuple[float, float, list[dict[str, object]]]:
    """(wall seconds including start-up, peak RSS MB, JSON lines) of one ``kiosk sync`` process."""
    started = time.perf_counter()
    proc = sh("-c", "import json\n" + MEASURED_SYNC, "--data-dir", data_dir, "sync")
    wall = time.perf_counter() - started
    stats = json.loads(proc.stderr.strip().splitlines()[-1])
    return wall, stats["rss_mb"], [json.loads(line) for line in proc.stdout.splitlines()]


def change_one_percent(laws: Path, seed: int = 1) -> tuple[int, int]:
    """Edit the text of 1 % of all articles in place; returns (changed, total)."""
    rng = random.Random(seed)
    files = sorted(p for p in laws.rglob("*.md") if p.relative_to(laws).parts[0] != "案例" and p.name != "_index.md")
    spots = []
    for path in files:
        for i, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines()):
            if ARTICLE.match(line):
                spots.append((path, i))
    chosen = rng.sample(spots, max(1, len(spots) // 100))
    by_file: dict[Path, list[int]] = {}
    for path, i in chosen:
        by_file.setdefault(path, []).append(i)
    for path, rows in by_file.items():
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        for i in rows:
            m = ARTICLE.match(lines[i])
            assert m
            lines[i] = f"{m[1]}{m[2]}{m[3]}（本条于基准测试中修改）"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(chosen), len(spots)


def changed_records_size(delta: Path, only_articles: bool) -> int:
    """gzip size of the delta's records alone (no header, no end line)."""
    lines = gzip.decompress(delta.read_bytes()).splitlines()[1:-1]
    if only_articles:
        lines = [line for line in lines if json.loads(line)[1] == "articles"]
    return len(gzip.compress(b"\n".join(lines) + b"\n", 6))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", help="working folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="small data, seconds: proves the bench runs")
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="bench-sync-"))
    hub_dir, kiosk = work / "hub", work / "kiosk"
    hub_cli = ("-m", "kiosk_hub.cli", "--data-dir", hub_dir)
    shared, events = SHARED_DATA_DIR, 10_000
    try:
        if args.smoke:
            from _smoke import small_shared

            shared, events = small_shared(work / "shared", for_guides=True), 100
        sources = (
            "--laws",
            shared / "laws",
            "--cases",
            shared / "cases" / "cases.jsonl",
            "--cases",
            shared / "laws" / "案例",
        )
        sh(*hub_cli, "init")
        t = time.perf_counter()
        sh(*hub_cli, "publish", *sources)  # the (whole) shared laws folder and the sample content
        print(f"hub: publish v1 ({'small' if args.smoke else 'whole'} laws + sample) {time.perf_counter() - t:.1f} s")
        snapshot = next((hub_dir / "repo" / "targets" / "content").glob("*.snapshot-1.jsonl.gz"))
        print(f"hub: snapshot package {snapshot.stat().st_size / 1e6:.1f} MB")
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        serve = subprocess.Popen(
            [PY, *map(str, hub_cli), "serve", "--port", "0"], stdout=subprocess.PIPE, text=True, env=env, cwd=REPO
        )
        assert serve.stdout is not None
        url = serve.stdout.readline().split("listening on ")[1].strip()
        try:
            code = sh(*hub_cli, "enrol-code", "--name", "bench").stdout.strip()
            sh(
                "-m",
                "kiosk.cli",
                "--data-dir",
                kiosk,
                "provision",
                "--hub",
                url,
                "--code",
                code,
                "--name",
                "bench",
                "--region",
                "420902",
                "--lat",
                "30.92",
                "--lon",
                "113.91",
                "--pin",
                "730519",  # passes the PIN rule (6-12 digits, no run, no repeat, not a common one)
                "--non-interactive",
            )
            wall, rss, lines = measured_sync(kiosk)
            stats = json.loads(sh("-m", "kiosk.cli", "--data-dir", kiosk, "stats", "--json").stdout)
            print(
                f"first sync: {wall:.1f} s wall, peak RSS {rss:.0f} MB, {stats['law_documents']} laws, "
                f"{stats['law_articles']} articles (targets: ≤ 90 s, ≤ 500 MB)"
            )

            laws = work / "laws"
            shutil.copytree(shared / "laws", laws)
            changed, total = change_one_percent(laws)
            t = time.perf_counter()
            sh(
                *hub_cli,
                "publish",
                "--laws",
                laws,
                "--cases",
                shared / "cases" / "cases.jsonl",
                "--cases",
                laws / "案例",
            )
            print(f"hub: publish v2 ({changed} of {total} articles changed) {time.perf_counter() - t:.1f} s")
            delta = next((hub_dir / "repo" / "targets" / "content").glob("*.delta-1-2.jsonl.gz"))
            wall, rss, lines = measured_sync(kiosk)
            content = next(line for line in lines if line["stage"] == "content")
            downloaded = int(str(content["downloaded"]))
            records = changed_records_size(delta, only_articles=False)
            articles = changed_records_size(delta, only_articles=True)
            print(
                f"1% delta: package {delta.stat().st_size / 1e3:.0f} kB; downloaded {downloaded / 1e3:.0f} kB "
                f"(metadata + index + package) = {downloaded / records:.2f}x the changed records "
                f"({records / 1e3:.0f} kB gzip), {downloaded / articles:.2f}x the changed articles alone "
                f"({articles / 1e3:.0f} kB); sync {wall:.2f} s wall, content stage {content['ms']} ms, "
                f"peak RSS {rss:.0f} MB (targets: ≤ 2x, ≤ 5 s)"
            )

            from kiosk.outbox import Outbox

            outbox = Outbox.open(DataPaths(kiosk))
            with outbox.transaction():
                for n in range(events):
                    outbox.enqueue("rating", {"service": "laws", "level": n % 5 + 1, "n": n})
            outbox.close()
            wall, rss, lines = measured_sync(kiosk)
            pushed = next(line for line in lines if line["stage"] == "outbox")
            print(
                f"outbox: {pushed['acked']} events in {pushed['batches']} batches, outbox stage "
                f"{int(str(pushed['ms'])) / 1000:.2f} s, whole sync {wall:.2f} s (target: ≤ 10 s)"
            )
        finally:
            os.kill(serve.pid, signal.SIGTERM)
            serve.wait(30)
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
