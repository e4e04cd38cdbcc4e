"""``kiosk import directory FILE.csv …``: institutions, people and integrity records.

The kind of each CSV is told by its header (see docs/content-formats.md). All files given are
checked together — people may refer to institutions of the same import — and applied in one
transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import peewee as pw

from kiosk.store.csvread import CsvRow, read_csv, read_header
from kiosk.store.db import on_database
from kiosk.store.errors import ImportFailed, Problem
from kiosk.store.import_report import ImportReport
from kiosk.store.models import (
    INSTITUTION_TYPES,
    INTEGRITY_KINDS,
    PERSON_ROLES,
    PRACTICE_STATUSES,
    Institution,
    IntegrityRecord,
    Person,
    Region,
)
from kiosk.store.regions import ensure_regions, inside
from kiosk.store.reindex import reindex
from kiosk.store.upsert import apply_records

PHONE_RE = re.compile(r"^(0\d{2,3}-?\d{7,8}(-\d{1,5})?|1[3-9]\d{9}|12348|400-?\d{3}-?\d{4})$")

SCHEMAS: dict[str, tuple[set[str], set[str]]] = {
    "institutions": (
        {"institution_id", "type", "name", "region_code", "address", "latitude", "longitude"},
        {"town", "phone", "hours", "services", "description", "sample"},
    ),
    "people": (
        {"person_id", "role", "name", "practice_status"},
        {"gender", "licence_no", "institution_id", "specialties", "years", "phone", "sample"},
    ),
    "integrity": (
        {"record_id", "subject_id", "kind", "date", "title", "issuer"},
        {"detail", "sample"},
    ),
}
_KEY_COLUMNS = {"institution_id": "institutions", "person_id": "people", "record_id": "integrity"}


def kind_of(path: Path) -> str | None:
    header = read_header(path)
    for column, kind in _KEY_COLUMNS.items():
        if header and header[0] == column:
            return kind
    for column, kind in _KEY_COLUMNS.items():
        if column in header:
            return kind
    return None


def _flag(row: CsvRow, problems: list[Problem]) -> bool:
    value = row.get("sample")
    if value in ("", "0"):
        return False
    if value == "1":
        return True
    problems.append(row.problem("sample", f"{value!r}: use 1 or 0"))
    return False


def _choice(row: CsvRow, column: str, allowed: tuple[str, ...], problems: list[Problem]) -> str:
    value = row.get(column)
    if value and value not in allowed:
        problems.append(row.problem(column, f"{value!r} is not one of {'、'.join(allowed)}"))
    return value


def _phone(row: CsvRow, problems: list[Problem]) -> str | None:
    value = row.get("phone").replace(" ", "")
    if value and not PHONE_RE.match(value):
        problems.append(row.problem("phone", f"{value!r} is not a phone number (e.g. 0712-2345678)"))
    return value or None


def _institutions(rows: list[CsvRow], problems: list[Problem]) -> dict[str, dict[str, Any]]:
    regions = {r.code: r for r in Region.select()}
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row.get("institution_id")
        if key in out:
            problems.append(row.problem("institution_id", f"duplicate key {key}"))
            continue
        code = row.get("region_code")
        region = regions.get(code)
        if region is None:
            problems.append(row.problem("region_code", f"unknown region code {code!r}"))
        try:
            lat, lon = float(row.get("latitude")), float(row.get("longitude"))
        except ValueError:
            problems.append(row.problem("latitude", "coordinates must be decimal numbers"))
            continue
        if region is not None and not inside(region.bbox, lat, lon):
            problems.append(row.problem("latitude", f"({lat}, {lon}) lies outside {region.name} ({code})"))
        out[key] = {
            "type": _choice(row, "type", INSTITUTION_TYPES, problems),
            "name": row.get("name"),
            "region_code": code,
            "town": row.get("town") or None,
            "address": row.get("address"),
            "phone": _phone(row, problems),
            "hours": row.get("hours") or None,
            "latitude": lat,
            "longitude": lon,
            "services": row.items("services"),
            "description": row.get("description") or None,
            "is_sample": _flag(row, problems),
        }
    return out


def _people(rows: list[CsvRow], institution_keys: set[str], problems: list[Problem]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row.get("person_id")
        if key in out:
            problems.append(row.problem("person_id", f"duplicate key {key}"))
            continue
        inst = row.get("institution_id")
        if inst and inst not in institution_keys:
            problems.append(row.problem("institution_id", f"unknown institution {inst!r}"))
        years = row.get("years")
        if years and not years.isdigit():
            problems.append(row.problem("years", f"{years!r} is not a whole number"))
        gender = row.get("gender")
        if gender and gender not in ("男", "女"):
            problems.append(row.problem("gender", f"{gender!r}: use 男 or 女"))
        out[key] = {
            "role": _choice(row, "role", PERSON_ROLES, problems),
            "name": row.get("name"),
            "gender": gender or None,
            "licence_no": row.get("licence_no") or None,
            "institution_key": inst or None,
            "specialties": row.items("specialties"),
            "practice_status": _choice(row, "practice_status", PRACTICE_STATUSES, problems),
            "years": int(years) if years.isdigit() else None,
            "phone": _phone(row, problems),
            "is_sample": _flag(row, problems),
        }
    return out


def _integrity(rows: list[CsvRow], subjects: set[str], problems: list[Problem]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row.get("record_id")
        if key in out:
            problems.append(row.problem("record_id", f"duplicate key {key}"))
            continue
        subject = row.get("subject_id")
        if subject not in subjects:
            problems.append(row.problem("subject_id", f"unknown institution or person {subject!r}"))
        try:
            date = dt.date.fromisoformat(row.get("date"))
        except ValueError:
            problems.append(row.problem("date", f"{row.get('date')!r} is not a date (YYYY-MM-DD)"))
            continue
        out[key] = {
            "subject_key": subject,
            "kind": _choice(row, "kind", INTEGRITY_KINDS, problems),
            "date": date,
            "title": row.get("title"),
            "issuer": row.get("issuer"),
            "detail": row.get("detail") or None,
            "is_sample": _flag(row, problems),
        }
    return out


@on_database
def import_directory(db: pw.Database, files: list[Path], *, keep_missing: bool = False) -> ImportReport:
    ensure_regions(db)
    problems: list[Problem] = []
    rows: dict[str, list[CsvRow]] = {kind: [] for kind in SCHEMAS}
    for path in files:
        try:
            kind = kind_of(path)
        except (OSError, ValueError) as exc:
            problems.append(Problem(str(path), None, None, str(exc)))
            continue
        if kind is None:
            problems.append(Problem(str(path), 1, None, "header names no institution_id, person_id or record_id"))
            continue
        required, optional = SCHEMAS[kind]
        rows[kind].extend(read_csv(path, required, optional, problems))
    institutions = _institutions(rows["institutions"], problems)
    known_institutions = set(institutions) | {i.key for i in Institution.select(Institution.key)}
    people = _people(rows["people"], known_institutions, problems)
    known_people = set(people) | {p.key for p in Person.select(Person.key)}
    integrity = _integrity(rows["integrity"], known_institutions | known_people, problems)
    if problems:
        raise ImportFailed(problems)
    report = ImportReport("directory")
    if not keep_missing:  # say what goes before it goes
        for model, kind, new in (
            (Institution, "institutions", institutions),
            (Person, "people", people),
            (IntegrityRecord, "integrity", integrity),
        ):
            if rows[kind]:
                gone = model.select(model.key).where(model.key.not_in(list(new) or [""]))
                report.notes += [f"removes {kind[:-1] if kind != 'people' else 'person'} {r.key}" for r in gone]
    with db.atomic("IMMEDIATE"):
        if rows["institutions"]:
            sub = ImportReport("institutions")
            inst_ids, touched, removed = apply_records(Institution, "key", institutions, sub, keep_missing=keep_missing)
            reindex(db, "institutions", touched, removed)
            _merge(report, sub)
        inst_ids = {i.key: i.id for i in Institution.select(Institution.id, Institution.key)}
        if rows["people"]:
            sub = ImportReport("people")
            resolved = {
                k: {
                    **{f: v for f, v in p.items() if f != "institution_key"},
                    "institution": inst_ids.get(p["institution_key"]) if p["institution_key"] else None,
                }
                for k, p in people.items()
            }
            _, touched, removed = apply_records(Person, "key", resolved, sub, keep_missing=keep_missing)
            reindex(db, "people", touched, removed)
            _merge(report, sub)
        if rows["integrity"]:
            person_ids = {p.key: p.id for p in Person.select(Person.id, Person.key)}
            sub = ImportReport("integrity records")
            resolved = {
                k: {
                    **{f: v for f, v in r.items() if f != "subject_key"},
                    "institution": inst_ids.get(r["subject_key"]),
                    "person": person_ids.get(r["subject_key"]),
                }
                for k, r in integrity.items()
            }
            apply_records(IntegrityRecord, "key", resolved, sub, keep_missing=keep_missing)
            _merge(report, sub)
    return report


def _merge(report: ImportReport, sub: ImportReport) -> None:
    report.added += sub.added
    report.changed += sub.changed
    report.removed += sub.removed
    report.unchanged += sub.unchanged
    report.details[sub.what] = sub.added + sub.changed + sub.unchanged
