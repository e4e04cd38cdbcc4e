"""Import the whole shared laws folder into a fresh database and print time, peak memory and size.

Run: .venv/bin/python bench/bench_import.py [LAWS_FOLDER]
The import runs in a child process so its peak resident memory is measured alone.
"""

from __future__ import annotations

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
    laws = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED_DATA_DIR / "laws"
    with tempfile.TemporaryDirectory() as tmp:
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
