"""Metadata from LawRefBook's ``db.sqlite3`` files: level, effective date, expired flag."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LawMeta:
    level: str
    valid_from: dt.date | None
    expired: bool


def _date(value: object) -> dt.date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def load_metadata(root: Path) -> dict[tuple[str, str, str], LawMeta]:
    """Map (folder relative to ``root``, name, publish date or '') to metadata.

    Every ``db.sqlite3`` under ``root`` describes the files below its own folder.
    """
    found: dict[tuple[str, str, str], LawMeta] = {}
    for db_path in sorted(root.rglob("db.sqlite3")):
        base = db_path.parent.relative_to(root)
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = con.execute(
                "SELECT l.level, l.name, l.publish, l.valid_from, l.expired, c.folder "
                "FROM law l JOIN category c ON c.id = l.category_id"
            ).fetchall()
        except sqlite3.DatabaseError:
            continue  # not LawRefBook metadata; the Markdown alone still imports
        finally:
            con.close()
        for level, name, publish, valid_from, expired, folder in rows:
            key_folder = str(base / folder) if str(base) != "." else folder
            meta = LawMeta(level, _date(valid_from), bool(expired))
            found[(key_folder, name, publish or "")] = meta
    return found
