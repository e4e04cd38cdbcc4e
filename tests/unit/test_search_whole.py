"""The whole shared laws folder (≈15 s import): relevance and latency do not regress."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import pytest

from kiosk.paths import REPO_ROOT, SHARED_DATA_DIR
from kiosk.search.query import search, suggest, warm_up

QUERIES = [SHARED_DATA_DIR / "queries" / "dev.jsonl", REPO_ROOT / "bench" / "queries_extra.jsonl"]


@pytest.mark.slow
def test_whole_folder_relevance_and_speed(tmp_path: Path) -> None:
    from kiosk.store.db import open_content_db
    from kiosk.store.importers import run_import

    db = open_content_db(tmp_path / "content.sqlite3")
    started = time.perf_counter()
    run_import(db, "laws", [SHARED_DATA_DIR / "laws"])
    assert time.perf_counter() - started < 60
    if (REPO_ROOT / "assets" / "synonyms.tsv").exists():
        run_import(db, "synonyms", [REPO_ROOT / "assets" / "synonyms.tsv"])
    warm_up(db)
    queries = [json.loads(line) for path in QUERIES for line in path.read_text(encoding="utf-8").splitlines()]
    hits, times = 0, []
    for q in queries:
        begin = time.perf_counter()
        results = search(db, q["query"], limit=10)
        times.append(time.perf_counter() - begin)
        wanted = {(e["path"], e["article_no"]) for e in q["expected"] if e["grade"] == 2}
        hits += bool(wanted & {(r.source, r.article_no) for r in results[:5] if r.kind == "article"})
    assert hits / len(queries) >= 0.75
    assert statistics.median(times) < 0.02
    begin = time.perf_counter()
    assert suggest(db, "劳")
    assert time.perf_counter() - begin < 0.03
    db.close()
