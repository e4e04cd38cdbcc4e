"""``kiosk import guides FOLDER``: one TOML file a service guide (办事指南), key = file name."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Any

import peewee as pw

from kiosk.store.citations import TitleIndex, find_article
from kiosk.store.db import on_database
from kiosk.store.errors import ImportFailed, Problem
from kiosk.store.import_report import ImportReport
from kiosk.store.models import INSTITUTION_TYPES, Guide, GuideBasis
from kiosk.store.reindex import reindex
from kiosk.store.upsert import apply_records

_REQUIRED_TEXT = ("title", "category", "summary", "fees", "time_limit")
_REQUIRED_LISTS = ("conditions", "steps", "materials", "basis", "office_types")
_KNOWN = {*_REQUIRED_TEXT, *_REQUIRED_LISTS, "position", "sample", "hotline"}


def _line_of(text: str, needle: str) -> int | None:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return lineno
    return None


def parse_guide(path: Path, problems: list[Problem], titles: TitleIndex) -> dict[str, Any] | None:
    name = str(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, None, None, f"not UTF-8 text (byte {exc.start})"))
        return None
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(name, getattr(exc, "lineno", None), None, f"not valid TOML: {exc}"))
        return None
    except RecursionError:  # tables or arrays nested thousands deep: no guide looks like that
        problems.append(Problem(name, None, None, "not a guide: nested too deeply"))
        return None
    before = len(problems)

    def bad(field: str, reason: str) -> None:
        problems.append(Problem(name, _line_of(text, field), field, reason))

    for field in sorted(set(data) - _KNOWN):
        bad(field, "unknown field (check the spelling)")
    for field in _REQUIRED_TEXT:
        if not isinstance(data.get(field), str) or not data[field].strip():
            bad(field, "required text is missing or empty")
    for field in _REQUIRED_LISTS:
        if not isinstance(data.get(field), list) or not data[field]:
            bad(field, "required list is missing or empty")
    if len(problems) > before:
        return None
    materials = []
    for i, item in enumerate(data["materials"], start=1):
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            bad("materials", f"material {i} has no name")
            continue
        materials.append(
            {"name": item["name"], "note": item.get("note", ""), "required": bool(item.get("required", True))}
        )
    for office in data["office_types"]:
        if office not in INSTITUTION_TYPES:
            bad("office_types", f"{office!r} is not an institution type")
    basis = []
    for i, item in enumerate(data["basis"], start=1):
        if not isinstance(item, dict) or not item.get("law") or not item.get("article"):
            bad("basis", f"basis {i} needs law and article")
            continue
        if find_article(item["law"], item["article"], titles) is None:
            problems.append(
                Problem(
                    name,
                    _line_of(text, item["article"]),
                    "basis",
                    f"《{item['law']}》{item['article']} is not in the stored laws",
                )
            )
        basis.append((item["law"], item["article"]))
    if len(problems) > before:
        return None
    return {
        "title": data["title"].strip(),
        "category": data["category"].strip(),
        "summary": data["summary"].strip(),
        "conditions": [str(c) for c in data["conditions"]],
        "materials": materials,
        "steps": [str(s) for s in data["steps"]],
        "fees": data["fees"].strip(),
        "time_limit": data["time_limit"].strip(),
        "office_types": list(data["office_types"]),
        "hotline": data.get("hotline"),
        "position": int(data.get("position", 0)),
        "is_sample": bool(data.get("sample", False)),
        "digest": hashlib.sha256(raw).hexdigest(),
        "_basis": basis,
    }


@on_database
def import_guides(db: pw.Database, folder: Path, *, keep_missing: bool = False) -> ImportReport:
    problems: list[Problem] = []
    if not folder.is_dir():
        raise ImportFailed([Problem(str(folder), None, None, "not a folder of *.toml guides")])
    records: dict[str, dict[str, Any]] = {}
    titles = TitleIndex()
    for path in sorted(folder.glob("*.toml")):
        fields = parse_guide(path, problems, titles)
        if fields is not None:
            records[path.stem] = fields
    if not records and not problems:
        problems.append(Problem(str(folder), None, None, "no *.toml guides found"))
    if problems:
        raise ImportFailed(problems)
    basis = {key: fields.pop("_basis") for key, fields in records.items()}
    report = ImportReport("guides")
    with db.atomic("IMMEDIATE"):
        ids, touched, removed = apply_records(Guide, "key", records, report, keep_missing=keep_missing)
        by_id = {v: k for k, v in ids.items()}
        if touched:
            GuideBasis.delete().where(GuideBasis.guide.in_(touched)).execute()
        for guide_id in touched:
            for law, label in basis[by_id[guide_id]]:
                GuideBasis.create(
                    guide=guide_id, law_title=law, article_label=label, article=find_article(law, label, titles)
                )
        reindex(db, "guides", touched, removed)
    return report
