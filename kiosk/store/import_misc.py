"""Small content lists: hot topics (CSV), synonyms (TSV), publicity items (TOML)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import peewee as pw

from kiosk.store.csvread import decode_text, read_csv
from kiosk.store.db import on_database
from kiosk.store.errors import ImportFailed, Problem
from kiosk.store.import_report import ImportReport
from kiosk.store.models import Guide, HotTopic, Media, PublicityItem, Synonym
from kiosk.store.upsert import apply_records


@on_database
def import_topics(db: pw.Database, path: Path) -> ImportReport:
    problems: list[Problem] = []
    records: dict[str, dict[str, Any]] = {}
    guides = {g.key for g in Guide.select(Guide.key)}
    for row in read_csv(
        path, {"topic_id", "name", "query", "position"}, {"description", "guide_id", "sample"}, problems
    ):
        key = row.get("topic_id")
        if key in records:
            problems.append(row.problem("topic_id", f"duplicate key {key}"))
        guide = row.get("guide_id")
        if guide and guide not in guides:
            problems.append(row.problem("guide_id", f"unknown guide {guide!r} (import guides first)"))
        if not row.get("position").isdigit():
            problems.append(row.problem("position", f"{row.get('position')!r} is not a whole number"))
            continue
        records[key] = {
            "name": row.get("name"),
            "query": row.get("query"),
            "description": row.get("description") or None,
            "guide_key": guide or None,
            "position": int(row.get("position")),
            "is_sample": row.get("sample") == "1",
        }
    if problems:
        raise ImportFailed(problems)
    report = ImportReport("hot topics")
    with db.atomic("IMMEDIATE"):
        apply_records(HotTopic, "key", records, report)
    return report


def parse_synonyms(path: Path) -> tuple[dict[str, list[str]], list[Problem]]:
    problems: list[Problem] = []
    found: dict[str, list[str]] = {}
    try:
        text, _ = decode_text(path.read_bytes())
    except (OSError, ValueError) as exc:
        return {}, [Problem(str(path), None, None, str(exc))]
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "\t" not in line:
            problems.append(Problem(str(path), lineno, None, "expected: word<TAB>term|term[<TAB>source]"))
            continue
        term, _, rest = line.partition("\t")
        rest = rest.partition("\t")[0]  # a third column says where the entry comes from
        expansions = [t.strip() for t in rest.split("|") if t.strip()]
        term = term.strip()
        if not term or not expansions:
            problems.append(Problem(str(path), lineno, None, "empty word or no terms"))
        elif term in found:
            problems.append(Problem(str(path), lineno, None, f"{term!r} is listed twice"))
        else:
            found[term] = expansions
    return found, problems


@on_database
def import_synonyms(db: pw.Database, path: Path) -> ImportReport:
    found, problems = parse_synonyms(path)
    if problems:
        raise ImportFailed(problems)
    report = ImportReport("synonyms")
    with db.atomic("IMMEDIATE"):
        apply_records(Synonym, "term", {k: {"expansions": v} for k, v in found.items()}, report)
    return report


@on_database
def import_publicity(db: pw.Database, path: Path) -> ImportReport:
    name = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ImportFailed([Problem(name, getattr(exc, "lineno", None), None, str(exc))]) from None
    except RecursionError:
        raise ImportFailed([Problem(name, None, None, "nested too deeply")]) from None
    problems: list[Problem] = []
    records: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(data.get("item", []), start=1):
        where = f"item {i}"
        key = str(item.get("id", ""))
        if not key or not item.get("title") or item.get("kind") not in ("文章", "视频"):
            problems.append(Problem(name, None, where, "needs id, title and kind 文章 or 视频"))
            continue
        media_sha = None
        if item["kind"] == "视频":
            media = Media.get_or_none(Media.filename == item.get("media", ""))
            if media is None:
                problems.append(
                    Problem(name, None, where, f"video file {item.get('media')!r} is not in the media store")
                )
                continue
            media_sha = media.sha256
        elif not item.get("body"):
            problems.append(Problem(name, None, where, "an article needs a body"))
            continue
        records[key] = {
            "kind": item["kind"],
            "title": item["title"],
            "body": item.get("body"),
            "media": media_sha,
            "position": int(item.get("position", i)),
            "is_sample": bool(item.get("sample", False)),
        }
    if not records and not problems:
        problems.append(Problem(name, None, None, "no [[item]] tables"))
    if problems:
        raise ImportFailed(problems)
    report = ImportReport("publicity")
    with db.atomic("IMMEDIATE"):
        apply_records(PublicityItem, "key", records, report)
    return report
