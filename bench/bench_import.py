"""Import the whole shared laws folder into a fresh database and print time, peak memory and size.

Run: .venv/bin/python bench/bench_import.py [LAWS_FOLDER] [--smoke]
The import runs in a child process so its peak resident memory is measured alone. ``--smoke`` imports
five laws (seconds) to prove the bench still runs; its figures mean nothing.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kiosk.paths import SHARED_DATA_DIR


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("laws", nargs="?", type=Path, default=SHARED_DATA_DIR / "laws", help="LawRefBook folder")
    parser.add_argument("--smoke", action="store_true", help="a few laws, seconds: proves the bench runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        laws = args.laws
        if args.smoke:
            from _smoke import small_shared

            laws = small_shared(Path(scratch) / "shared") / "laws"
        tmp = str(Path(scratch) / "data")
        cmd = [sys.executable, "-m", "kiosk.cli", "--data-dir", tmp]
        started = time.perf_counter()
        subprocess.run([*cmd, "import", "laws", str(laws)], check=True, capture_output=True)
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        stats = json.loads(subprocess.run([*cmd, "stats", "--json"], check=True, capture_output=True).stdout)
        db = Path(tmp) / "content.sqlite3"
        size_mb = sum(p.stat().st_size for p in Path(tmp).glob("content.sqlite3*")) / 2**20
        started = time.perf_counter()
        subprocess.run([*cmd, "import", "laws", str(laws)], check=True, capture_output=True)
        reimport = time.perf_counter() - started
    print(f"machine           {platform.processor() or platform.machine()}, {platform.python_version()}")
    print(f"documents         {stats['law_documents']}")
    print(f"articles          {stats['law_articles']}")
    print(f"import time       {elapsed:.1f} s   (target ≤ 60 s)")
    print(f"peak memory       {peak_mb:.0f} MB (target ≤ 500 MB)")
    print(f"database size     {size_mb:.0f} MB ({db.name} with WAL)")
    print(f"unchanged reimport {reimport:.1f} s")


if __name__ == "__main__":
    main()
