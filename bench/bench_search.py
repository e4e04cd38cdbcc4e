"""Search quality and speed over the whole shared laws folder.

    .venv/bin/python bench/bench_search.py [--data-dir DIR] [--rebuild] [--verbose] [--smoke]

Imports ../shared/data/laws (and assets/synonyms.tsv) into DIR unless it already holds them, then
prints: hit@5 (a grade-2 article among the first five results) and nDCG@5 on the development queries
(../shared/data/queries/dev.jsonl) and on bench/queries_extra.jsonl; latency percentiles over at
least 500 queries of mixed kinds; one-character suggestion latency; index build time and size.
``--smoke``: five laws, three queries, seconds; proves the bench runs (its figures mean nothing).
"""

from __future__ import annotations

import argparse
import atexit
import json
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.paths import SHARED_DATA_DIR  # noqa: E402
from kiosk.search import indexing  # noqa: E402
from kiosk.search.api import SearchFilters  # noqa: E402
from kiosk.search.catalog import get_catalog  # noqa: E402
from kiosk.search.query import search, suggest  # noqa: E402
from kiosk.store.db import open_content_db  # noqa: E402

QUERY_FILES = [SHARED_DATA_DIR / "queries" / "dev.jsonl", REPO / "bench" / "queries_extra.jsonl"]


def prepare(data_dir: Path, laws: Path = SHARED_DATA_DIR / "laws") -> tuple[object, float | None]:
    db_path = data_dir / "content.sqlite3"
    fresh = not db_path.exists()
    db = open_content_db(db_path)
    took = None
    if fresh or not db.execute_sql("SELECT count(*) FROM law").fetchone()[0]:
        from kiosk.store.importers import run_import

        started = time.perf_counter()
        run_import(db, "laws", [laws])
        took = time.perf_counter() - started
    synonyms = REPO / "assets" / "synonyms.tsv"
    if synonyms.exists():
        from kiosk.store.importers import run_import

        run_import(db, "synonyms", [synonyms])
    return db, took


def load_queries(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def judge(db: object, queries: list[dict], verbose: bool) -> tuple[float, float, list[float]]:
    hits = 0
    ndcgs: list[float] = []
    times: list[float] = []
    for q in queries:
        started = time.perf_counter()
        results = search(db, q["query"], limit=10)  # type: ignore[arg-type]
        times.append((time.perf_counter() - started) * 1000)
        grades = {(e["path"], e["article_no"]): e["grade"] for e in q["expected"]}
        got = [grades.get((r.source, r.article_no), 0) if r.kind == "article" else 0 for r in results[:5]]
        ok = 2 in got
        hits += ok
        dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(got))
        ideal = sorted(grades.values(), reverse=True)[:5]
        idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal)) or 1.0
        ndcgs.append(dcg / idcg)
        if verbose and not ok:
            print(f"  MISS {q['id']} {q['query']}")
            want = [(e["law_title"], e["article"]) for e in q["expected"] if e["grade"] == 2]
            print(f"       want {want}")
            for r in results[:5]:
                print(f"       got  {r.kind} {r.title} {r.article or ''} {r.score}")
    n = max(1, len(queries))
    return hits / n, sum(ndcgs) / n, times


def mixed_queries(db: object, queries: list[dict], count: int) -> list[tuple[str, SearchFilters]]:
    """Resident-style queries, references, pinyin, single words and filtered searches."""
    catalog = get_catalog(db)  # type: ignore[arg-type]
    rng = random.Random(7)
    base = [q["query"] for q in queries]
    terms = sorted(catalog.synonyms)
    laws = sorted((law for law in catalog.laws.values() if law.is_current and not law.local), key=lambda law: law.id)
    out: list[tuple[str, SearchFilters]] = [(q, SearchFilters()) for q in base]
    while len(out) < count:
        pick = rng.random()
        if pick < 0.35:
            out.append((rng.choice(terms) + rng.choice(["", "怎么办", " 赔偿", "吗", " 规定"]), SearchFilters()))
        elif pick < 0.5:
            law = rng.choice(laws)
            out.append((f"{law.short_title}第{rng.randint(1, max(1, law.article_count))}条", SearchFilters()))
        elif pick < 0.6:
            law = rng.choice(laws)
            from kiosk.search.pinyin import pinyin_keys

            keys = pinyin_keys(law.short_title)
            out.append((keys[-1][: rng.randint(2, 6)] if keys else "ldht", SearchFilters()))
        elif pick < 0.75:
            out.append((rng.choice(base), SearchFilters(kinds=(rng.choice(["law", "case", "guide", "institution"]),))))
        elif pick < 0.85:
            out.append((rng.choice(terms), SearchFilters(levels=("法律",))))
        else:
            a, b = rng.sample(terms, 2)
            out.append((f"{a}{b}", SearchFilters()))
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", help="folder for the bench database (kept between runs)")
    parser.add_argument("--rebuild", action="store_true", help="time a full index rebuild")
    parser.add_argument("--verbose", action="store_true", help="list the queries that miss")
    parser.add_argument("--count", type=int, default=600, help="queries in the latency mix")
    parser.add_argument("--smoke", action="store_true", help="tiny data, seconds: proves the bench runs")
    args = parser.parse_args()
    query_files = QUERY_FILES
    if args.smoke:
        from _smoke import small_shared

        scratch = Path(tempfile.mkdtemp(prefix="kiosk-bench-search-smoke-"))
        atexit.register(shutil.rmtree, scratch, True)
        shared = small_shared(scratch / "shared")
        data_dir, query_files, args.count = scratch / "data", [shared / "queries" / "dev.jsonl"], 20
        db, import_s = prepare(data_dir, shared / "laws")
    else:
        data_dir = Path(args.data_dir or os.path.join(tempfile.gettempdir(), "kiosk-bench-search"))
        db, import_s = prepare(data_dir)
    if import_s is not None:
        print(f"import of the laws folder (content + index): {import_s:.1f} s")
    if args.rebuild:
        started = time.perf_counter()
        with db.atomic("IMMEDIATE"):  # type: ignore[attr-defined]
            rows = indexing.rebuild_index(db)  # type: ignore[arg-type]
        print(f"index rebuild: {rows} rows in {time.perf_counter() - started:.1f} s")
    search(db, "预热", limit=1)  # type: ignore[arg-type]  # load the catalog and the word list once
    all_queries: list[dict] = []
    for path in query_files:
        queries = load_queries(path)
        all_queries += queries
        if not queries:
            continue
        hit5, ndcg5, _ = judge(db, queries, args.verbose)
        print(f"{path.name}: {len(queries)} queries  hit@5 {hit5:.0%}  nDCG@5 {ndcg5:.3f}")
    mix = mixed_queries(db, all_queries, args.count)
    times = []
    for text, filters in mix:
        started = time.perf_counter()
        search(db, text, filters, limit=20)  # type: ignore[arg-type]
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"search latency over {len(times)} mixed queries: p50 {statistics.median(times):.1f} ms  "
        f"p95 {percentile(times, 95):.1f} ms  max {max(times):.1f} ms"
    )
    chars = "工劳离婚房合同法律援助交通赔偿继承遗嘱公证调解孝感社保欠薪打老人孩子土地租借债刑民" * 2
    sugg = []
    for ch in chars:
        started = time.perf_counter()
        suggest(db, ch, limit=8)  # type: ignore[arg-type]
        sugg.append((time.perf_counter() - started) * 1000)
    print(
        f"one-character suggestions over {len(sugg)} keystrokes: p50 {statistics.median(sugg):.1f} ms  "
        f"p95 {percentile(sugg, 95):.1f} ms  max {max(sugg):.1f} ms"
    )
    sizes = dict(
        db.execute_sql(  # type: ignore[attr-defined]
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name"
        ).fetchall()
    )
    index_bytes = sum(v for k, v in sizes.items() if k.startswith("search_"))
    file_bytes = (data_dir / "content.sqlite3").stat().st_size
    print(f"index size {index_bytes / 1e6:.1f} MB of a {file_bytes / 1e6:.1f} MB database")
    return 0


if __name__ == "__main__":
    sys.exit(main())
