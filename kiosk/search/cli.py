"""``kiosk search``: one query, or a batch of JSON lines, against the content database.

kiosk search 欠薪怎么办 [--kind article] [--limit 10] [--json]
kiosk search --batch queries.jsonl        # {"id": …, "query": …} per line → one JSON line each
kiosk search --suggest 劳                 # what the screen offers while typing
kiosk search --rebuild-index              # rewrite the index from the stored content
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Iterator
from typing import IO, Any

from kiosk.law_vocabulary import IN_FORCE
from kiosk.search.api import HIGHLIGHT_END, HIGHLIGHT_START, KINDS, SearchFilters, SearchHit

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("search", help="search laws, articles, cases, guides, offices and people")
    p.add_argument("query", nargs="?", help="what a resident would type")
    p.add_argument("--kind", action="append", choices=KINDS, help="only this kind (repeatable)")
    p.add_argument("--level", action="append", help="only this law level, e.g. 法律 (repeatable)")
    p.add_argument("--status", action="append", help="law statuses to include (default: in force)")
    p.add_argument("--region", help="six-digit region code for institutions and people")
    p.add_argument("--limit", type=int, default=10, help="results per query (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--batch", metavar="FILE", help='JSON lines {"id", "query"} ("-" for standard input)')
    p.add_argument("--suggest", action="store_true", help="show typing suggestions for QUERY instead")
    p.add_argument("--rebuild-index", action="store_true", help="rewrite the search index from the content")
    p.set_defaults(func=cmd_search)


def hit_json(hit: SearchHit) -> dict[str, Any]:
    return {
        "kind": hit.kind,
        "id": hit.id,
        "title": hit.title,
        "article": hit.article,
        "article_no": hit.article_no,
        "source": hit.source,
        "snippet": hit.snippet,
        "score": hit.score,
    }


def _filters(args: argparse.Namespace) -> SearchFilters:
    return SearchFilters(
        kinds=tuple(args.kind or ()),
        levels=tuple(args.level or ()),
        statuses=tuple(args.status or ()),
        region=args.region,
    )


def cmd_search(args: argparse.Namespace, paths: Any) -> int:
    from kiosk.search import indexing
    from kiosk.search.query import search, suggest, warm_phrases, warm_up
    from kiosk.store.db import bind_content_models, open_content_db

    db = open_content_db(paths.content_db)
    bind_content_models(db)  # this command is its process's composition root: the directory reads it
    if args.rebuild_index:
        started = time.perf_counter()
        with db.atomic("IMMEDIATE"):
            rows = indexing.rebuild_index(db)
        print(f"index rebuilt: {rows} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        if not args.query and not args.batch:
            return EXIT_OK
    if args.limit < 1:
        print("error: --limit must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    filters = _filters(args)
    if args.batch:
        warm_up(db)
        started = time.perf_counter()
        while warm_phrases(db, 1.0):  # a batch runs long, as the kiosk does: its common words kept
            pass
        print(f"search engine warm in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        source = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8-sig")  # noqa: SIM115
        with source:
            for line in run_batch(db, source, filters, args.limit):
                sys.stdout.write(line + "\n")
        return EXIT_OK
    if args.query is None:
        print("error: give a QUERY or --batch FILE", file=sys.stderr)
        return EXIT_USAGE
    started = time.perf_counter()
    hits = suggest(db, args.query, args.limit) if args.suggest else search(db, args.query, filters, args.limit)
    ms = (time.perf_counter() - started) * 1000
    helpers = [] if args.suggest or args.kind else _nearest_help(db, paths, args.query, hits)
    if args.json:
        found = {"query": args.query, "ms": round(ms, 2), "results": [hit_json(h) for h in hits]}
        found["nearest_help"] = [
            {"id": h.id, "name": h.title, "type": h.subtitle.split(" · ")[0], "distance": h.distance} for h in helpers
        ]
        print(json.dumps(found, ensure_ascii=False))
    else:
        if helpers:
            # As on the screen: who nearby can help comes first.
            print("就近可以帮您的机构（距本终端）：")
            for h in helpers:
                print(
                    f"  * {h.title}（{h.subtitle.split(' · ')[0]}）{h.distance}  {h.snippet[0][0] if h.snippet else ''}"
                )
        _print_hits(hits, sys.stdout)
        print(f"{len(hits)} result(s) in {ms:.1f} ms", file=sys.stderr)
    return EXIT_OK


def _nearest_help(db: Any, paths: Any, text: str, hits: list[SearchHit]) -> list[Any]:
    """The offices near the terminal's configured location that help with the question."""
    from kiosk.config import Config, ConfigError
    from kiosk.services.directory import DirectoryService, Location
    from kiosk.services.search import SearchService

    try:
        config = Config.load(paths.config_file)
    except ConfigError as exc:
        print(f"warning: {exc}; nearest offices from the default location", file=sys.stderr)
        config = Config(paths.config_file)
    directory = DirectoryService(db, Location(config.latitude, config.longitude))
    return SearchService(db, directory=directory).nearest_help(text, hits)


def run_batch(db: Any, lines: Iterable[str], filters: SearchFilters, limit: int) -> Iterator[str]:
    """One output line per input line that holds a query; malformed lines say why."""
    from kiosk.search.query import search

    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
            if not isinstance(item, dict) or not isinstance(item.get("query"), str):
                raise ValueError('expected an object with a string "query"')
        except ValueError as exc:
            yield json.dumps(
                {"id": None, "line": number, "ms": 0.0, "results": [], "error": str(exc)}, ensure_ascii=False
            )
            continue
        started = time.perf_counter()
        hits = search(db, item["query"], filters, limit)
        ms = (time.perf_counter() - started) * 1000
        yield json.dumps(
            {"id": item.get("id"), "ms": round(ms, 3), "results": [hit_json(h) for h in hits]}, ensure_ascii=False
        )


def _print_hits(hits: list[SearchHit], out: IO[str]) -> None:
    for i, hit in enumerate(hits, start=1):
        label = f" {hit.article}" if hit.article else ""
        status = f"（{hit.status}）" if hit.status and hit.status != IN_FORCE else ""
        out.write(f"{i:2}. [{hit.kind}] {hit.title}{label}{status}\n")
        if hit.snippet:
            out.write("    " + hit.snippet.replace(HIGHLIGHT_START, "【").replace(HIGHLIGHT_END, "】") + "\n")
        if hit.older_versions:
            out.write(f"    older versions: {', '.join(map(str, hit.older_versions))}\n")
