"""Index rows for cases, guides, institutions and people (the ``search_entry`` table).

Each ``index_<kind>(db, ids)`` reads the rows as they are now and replaces their index rows, so
callers may update content in place first; ``remove_<kind>(db, ids)`` drops rows of deleted items.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import peewee as pw

from kiosk.search import index
from kiosk.search.index import EntryRow
from kiosk.search.pinyin import pinyin_keys
from kiosk.search.text import char_text, index_text

_CHUNK = 400


def _json_list(value: str | None) -> list[Any]:
    if not value:
        return []
    try:
        data = json.loads(value)
    except ValueError:
        return []
    return data if isinstance(data, list) else []


def _flatten(items: Iterable[Any]) -> str:
    """Text of a JSON list whose items are strings, lists or dicts of strings."""
    parts: list[str] = []
    for item in items:
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, list | tuple):
            parts.append(_flatten(item))
        elif isinstance(item, dict):
            parts.append(_flatten(str(v) for v in item.values() if isinstance(v, str)))
    return " ".join(parts)


def _rows(db: pw.Database, sql: str, ids: list[int]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        out.extend(db.execute_sql(sql.format(marks=",".join("?" * len(chunk))), chunk).fetchall())
    return out


def _entry(kind: str, ref: int, label: str, heading: str, body: str, tags: list[str], pinyin: bool) -> EntryRow:
    return EntryRow(
        kind=kind,
        ref=ref,
        label=label,
        title=index_text(label),
        heading=index_text(heading),
        body=index_text(body),
        chars=char_text(label),
        tags=" ".join([index.kind_tag(kind), *tags]),
        pinyin=" ".join(pinyin_keys(label)) if pinyin else "",
    )


def _case_rows(db: pw.Database, ids: list[int]) -> list[EntryRow]:
    sql = 'SELECT id, title, kind, topic, keywords, sections FROM "case" WHERE id IN ({marks})'
    return [
        _entry(
            "case",
            cid,
            title,
            f"{kind} {topic or ''} {_flatten(_json_list(keywords))}",
            _flatten(_json_list(sections)),
            [],
            pinyin=False,
        )
        for cid, title, kind, topic, keywords, sections in _rows(db, sql, ids)
    ]


def _guide_rows(db: pw.Database, ids: list[int]) -> list[EntryRow]:
    sql = (
        "SELECT id, title, category, summary, conditions, materials, steps, fees, time_limit, office_types, hotline "
        "FROM guide WHERE id IN ({marks})"
    )
    out = []
    for gid, title, category, summary, conditions, materials, steps, fees, limit, offices, hotline in _rows(
        db, sql, ids
    ):
        heading = f"{category} {_flatten(_json_list(offices))}"
        body = " ".join(
            [
                summary or "",
                _flatten(_json_list(conditions)),
                _flatten(_json_list(materials)),
                _flatten(_json_list(steps)),
                fees or "",
                limit or "",
                hotline or "",
            ]
        )
        out.append(_entry("guide", gid, title, heading, body, [], pinyin=True))
    return out


def _institution_rows(db: pw.Database, ids: list[int]) -> list[EntryRow]:
    sql = (
        "SELECT id, name, type, region_code, town, address, phone, hours, services, description "
        "FROM institution WHERE id IN ({marks})"
    )
    out = []
    for iid, name, kind, region, town, address, phone, hours, services, description in _rows(db, sql, ids):
        heading = f"{kind} {town or ''} {_flatten(_json_list(services))}"
        body = " ".join([address or "", phone or "", hours or "", description or ""])
        out.append(_entry("institution", iid, name, heading, body, [index.region_tag(region or "")], pinyin=True))
    return out


def _person_rows(db: pw.Database, ids: list[int]) -> list[EntryRow]:
    sql = (
        "SELECT p.id, p.name, p.role, p.specialties, p.practice_status, p.licence_no, i.name, i.region_code "
        "FROM person p LEFT JOIN institution i ON i.id = p.institution_id WHERE p.id IN ({marks})"
    )
    out = []
    for pid, name, role, specialties, status, licence, inst_name, region in _rows(db, sql, ids):
        heading = f"{role} {_flatten(_json_list(specialties))}"
        body = " ".join([inst_name or "", status or "", licence or ""])
        tags = [index.region_tag(region)] if region else []
        out.append(_entry("person", pid, name, heading, body, tags, pinyin=True))
    return out


def _index(
    kind: str, build: Callable[[pw.Database, list[int]], list[EntryRow]], db: pw.Database, ids: Iterable[int]
) -> int:
    wanted = list(ids)
    rows = build(db, wanted)
    found = {row.ref for row in rows}
    # Ids that no longer exist lose their rows: callers may pass deleted ids here too.
    index.remove_entries(db, kind, [i for i in wanted if i not in found])
    return index.put_entries(db, rows)


def index_cases(db: pw.Database, ids: Iterable[int]) -> int:
    return _index("case", _case_rows, db, ids)


def index_guides(db: pw.Database, ids: Iterable[int]) -> int:
    return _index("guide", _guide_rows, db, ids)


def index_institutions(db: pw.Database, ids: Iterable[int]) -> int:
    wanted = list(ids)
    written = _index("institution", _institution_rows, db, wanted)
    # People rows carry their institution's name and region: keep them in step.
    staff = [row[0] for row in _rows(db, "SELECT id FROM person WHERE institution_id IN ({marks})", wanted)]
    return written + _index("person", _person_rows, db, staff)


def index_people(db: pw.Database, ids: Iterable[int]) -> int:
    return _index("person", _person_rows, db, ids)


def remove_cases(db: pw.Database, ids: Iterable[int]) -> None:
    index.remove_entries(db, "case", list(ids))


def remove_guides(db: pw.Database, ids: Iterable[int]) -> None:
    index.remove_entries(db, "guide", list(ids))


def remove_institutions(db: pw.Database, ids: Iterable[int]) -> None:
    index.remove_entries(db, "institution", list(ids))


def remove_people(db: pw.Database, ids: Iterable[int]) -> None:
    index.remove_entries(db, "person", list(ids))
