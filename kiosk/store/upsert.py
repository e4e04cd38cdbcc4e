"""Applying a complete set of keyed records to one table: insert, update in place, remove."""

from __future__ import annotations

from typing import Any

import peewee as pw

from kiosk.store.import_report import ImportReport


def _comparable(model: type[pw.Model], fields: dict[str, Any]) -> dict[str, Any]:
    """Values as they come back from the database, so unchanged rows compare equal."""
    out = {}
    for name, value in fields.items():
        field = model._meta.fields[name]
        out[name] = field.python_value(field.db_value(value))
    return out


def apply_records(
    model: type[pw.Model],
    key_field: str,
    records: dict[str, dict[str, Any]],
    report: ImportReport,
    *,
    keep_missing: bool = False,
) -> tuple[dict[str, Any], list[Any], list[Any]]:
    """Make ``model`` hold exactly ``records`` (key → field values).

    Returns (key → id for every record, ids added or changed, ids removed). Must run inside the
    caller's transaction.
    """
    key_col = model._meta.fields[key_field]
    existing = {getattr(row, key_field): row for row in model.select()}
    ids: dict[str, Any] = {}
    touched: list[Any] = []
    for key, fields in records.items():
        old = existing.pop(key, None)
        if old is None:
            new_id = model.insert(**{key_field: key, **fields}).execute()
            ids[key] = new_id
            touched.append(new_id)
            report.added += 1
            continue
        ids[key] = old.get_id()
        wanted = _comparable(model, fields)
        if any(old.__data__.get(name) != value for name, value in wanted.items()):
            model.update(**fields).where(key_col == key).execute()
            touched.append(ids[key])
            report.changed += 1
        else:
            report.unchanged += 1
    removed: list[Any] = []
    if existing and not keep_missing:
        removed = [row.get_id() for row in existing.values()]
        primary_key: Any = model._meta.primary_key
        model.delete().where(primary_key.in_(removed)).execute()
        report.removed += len(removed)
    return ids, touched, removed
