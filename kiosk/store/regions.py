"""Administrative areas (区划): the counties and towns of the deployment, from assets/regions.csv."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import peewee as pw

from kiosk.paths import ASSETS_DIR
from kiosk.store.csvread import read_csv
from kiosk.store.db import on_database
from kiosk.store.errors import ImportFailed, Problem
from kiosk.store.import_report import ImportReport
from kiosk.store.models import Region
from kiosk.store.upsert import apply_records

REGIONS_FILE = ASSETS_DIR / "regions.csv"
_REQUIRED = {"code", "name", "latitude", "longitude"}
_OPTIONAL = {"parent", "min_lat", "min_lon", "max_lat", "max_lon"}
#: Hubei's extent; no terminal or office of this deployment lies outside it.
HUBEI_BBOX = (29.0, 108.3, 33.3, 116.2)


def parse_regions(path: Path) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    problems: list[Problem] = []
    records: dict[str, dict[str, Any]] = {}
    for row in read_csv(path, _REQUIRED, _OPTIONAL, problems):
        code = row.get("code")
        if not code.isdigit() or len(code) not in (6, 9, 12):
            problems.append(row.problem("code", f"{code!r} is not a 6-, 9- or 12-digit region code"))
            continue
        if code in records:
            problems.append(row.problem("code", f"duplicate region code {code}"))
            continue
        try:
            lat, lon = float(row.get("latitude")), float(row.get("longitude"))
            box = [row.get(c) for c in ("min_lat", "min_lon", "max_lat", "max_lon")]
            bbox = [float(v) for v in box] if all(box) else None
        except ValueError:
            problems.append(row.problem("latitude", "coordinates must be decimal numbers"))
            continue
        records[code] = {
            "name": row.get("name"),
            "parent": row.get("parent") or None,
            "latitude": lat,
            "longitude": lon,
            "bbox": bbox,
        }
    for code, rec in records.items():
        if rec["parent"] and rec["parent"] not in records:
            problems.append(Problem(str(path), None, "parent", f"{code}: unknown parent {rec['parent']}"))
    return records, problems


@on_database
def import_regions(db: pw.Database, path: Path = REGIONS_FILE) -> ImportReport:
    records, problems = parse_regions(path)
    if problems:
        raise ImportFailed(problems)
    report = ImportReport("regions")
    with db.atomic("IMMEDIATE"):
        apply_records(Region, "code", records, report)
    return report


@on_database
def ensure_regions(db: pw.Database) -> None:
    """Load the shipped region list if the store has none yet (first directory import)."""
    if not Region.select().exists() and REGIONS_FILE.exists():
        import_regions(db)


def county_of(code: str) -> str:
    return code[:6]


def inside(bbox: list[float] | None, lat: float, lon: float) -> bool:
    if not bbox:
        return True
    min_lat, min_lon, max_lat, max_lon = bbox
    return min_lat <= lat <= max_lat and min_lon <= lon <= max_lon
