"""Content rows as sync records: one JSON object per row, keyed by a stable key, not by row id.

The platform and the terminal number their rows independently, so a package never carries a row
id. Every row is identified by a key that survives re-imports (``Law.source``, ``Case.key``, …;
sections and articles by their law and position or label) and every reference to another row is
written as that row's key. Case citations and guide bases travel inside their case or guide.

The same export runs on both sides: the hub builds packages from it, the terminal uses it to diff
a full snapshot against what it holds and tests use it to prove the content is exactly one version.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import peewee as pw

from kiosk.store import models as m
from kiosk.store.models import JSONField
from kiosk.sync.errors import PackageError

Record = dict[str, Any]


@dataclass(frozen=True)
class Child:
    """Rows owned by a parent row, shipped inside the parent's record as a list of lists."""

    name: str  # record field holding the list
    model: type[pw.Model]
    parent_field: str
    fields: tuple[str, ...]  # each item lists these fields in this order


@dataclass(frozen=True)
class TableSpec:
    name: str
    model: type[pw.Model]
    key_field: str | None  # None: the key is derived (sections, articles)
    children: tuple[Child, ...] = ()


_CITED = ("law_title", "article_label", "article")

#: Parents before children: upserts run in this order, deletions in the reverse.
TABLES: tuple[TableSpec, ...] = (
    TableSpec("laws", m.Law, "source"),
    TableSpec("sections", m.LawSection, None),
    TableSpec("articles", m.Article, None),
    TableSpec("regions", m.Region, "code"),
    TableSpec("institutions", m.Institution, "key"),
    TableSpec("people", m.Person, "key"),
    TableSpec("integrity", m.IntegrityRecord, "key"),
    TableSpec("cases", m.Case, "key", (Child("citations", m.CaseCitation, "case", _CITED),)),
    TableSpec("guides", m.Guide, "key", (Child("basis", m.GuideBasis, "guide", _CITED),)),
    TableSpec("topics", m.HotTopic, "key"),
    TableSpec("synonyms", m.Synonym, "term"),
    TableSpec("media", m.Media, "sha256"),
    TableSpec("publicity", m.PublicityItem, "key"),
)
BY_NAME = {spec.name: spec for spec in TABLES}
TABLE_ORDER = {spec.name: i for i, spec in enumerate(TABLES)}
TABLE_OF_MODEL = {spec.model: spec.name for spec in TABLES}
#: Kinds of the search index kept in step by sync, by table.
INDEXED_KINDS = {"cases": "cases", "guides": "guides", "institutions": "institutions", "people": "people"}


@dataclass(frozen=True)
class FieldPlan:
    name: str  # record field name
    column: str
    kind: str  # text, int, float, bool, date, json, ref
    null: bool
    target: str | None = None  # table name for refs


def _kind(field: pw.Field) -> str:
    if isinstance(field, pw.ForeignKeyField):
        return "ref"
    if isinstance(field, JSONField):
        return "json"
    if isinstance(field, pw.BooleanField):
        return "bool"
    if isinstance(field, pw.DateField):
        return "date"
    if isinstance(field, pw.FloatField):
        return "float"
    if isinstance(field, pw.IntegerField):
        return "int"
    return "text"


def field_plans(model: type[pw.Model], skip: tuple[str, ...] = ()) -> list[FieldPlan]:
    plans = []
    for field in model._meta.sorted_fields:
        if isinstance(field, pw.AutoField) or field.name in skip:
            continue
        target = None
        if isinstance(field, pw.ForeignKeyField):
            target = TABLE_OF_MODEL[field.rel_model]
        plans.append(FieldPlan(field.name, field.column_name, _kind(field), bool(field.null), target))
    return plans


def record_plans(spec: TableSpec) -> list[FieldPlan]:
    return field_plans(spec.model, skip=(spec.key_field,) if spec.key_field else ())


# --- keys ----------------------------------------------------------------------------------------


def section_key(law_key: str, position: int) -> str:
    return f"{law_key}|s|{position}"


def article_keys(law_key: str, labels: list[str]) -> list[str]:
    """Keys of a law's articles in position order; a repeated label gets ``~2``, ``~3`` …"""
    seen: dict[str, int] = {}
    keys = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        suffix = f"~{seen[label]}" if seen[label] > 1 else ""
        keys.append(f"{law_key}|a|{label}{suffix}")
    return keys


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DERIVED_KEY = re.compile(r"^(.+)\|[sa]\|[^|]+$")


def law_of_key(key: str) -> str | None:
    """The law key a section or article key belongs to."""
    match = _DERIVED_KEY.match(key)
    return match[1] if match else None


def canonical(record: Record) -> bytes:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def digest(record: Record) -> str:
    return hashlib.blake2b(canonical(record), digest_size=16).hexdigest()


def to_column(plan: FieldPlan, value: Any, where: str) -> Any:
    """A record value checked against its field and turned into the value stored in SQLite."""
    if value is None:
        if not plan.null:
            raise PackageError(f"{where}: {plan.name} may not be empty")
        return None
    kind = plan.kind
    ok = (
        (kind in ("text", "ref") and isinstance(value, str))
        or (kind == "int" and isinstance(value, int) and not isinstance(value, bool))
        or (
            kind == "float" and isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        )
        or (kind == "bool" and isinstance(value, bool))
        or (kind == "date" and isinstance(value, str) and _DATE.match(value) is not None)
        or kind == "json"
    )
    if not ok:
        raise PackageError(f"{where}: {plan.name} has a value of the wrong type")
    if kind == "json":
        try:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError) as exc:
            raise PackageError(f"{where}: {plan.name} is not JSON: {exc}") from None
    if kind == "bool":
        return int(value)
    if kind == "int" and abs(value) >= 2**63:
        raise PackageError(f"{where}: {plan.name} is out of range")
    return value


# --- export --------------------------------------------------------------------------------------


def _value(plan: FieldPlan, raw: Any, refs: dict[str, dict[int, str]]) -> Any:
    if raw is None:
        return None
    if plan.kind == "ref":
        assert plan.target is not None
        return refs[plan.target].get(raw)
    if plan.kind == "json":
        return json.loads(raw)
    if plan.kind == "bool":
        return bool(raw)
    return raw


def _select(db: pw.Database, table: str, columns: list[str], order: str, join_law: bool, first: str = "id") -> Any:
    cols = ", ".join(f't."{c}"' for c in [first, *columns])
    if join_law:
        sql = f'SELECT {cols}, l.source FROM "{table}" t JOIN law l ON l.id = t.law_id ORDER BY l.source, {order}'
    else:
        sql = f'SELECT {cols} FROM "{table}" t ORDER BY {order}'
    return db.execute_sql(sql)


def export(db: pw.Database, tables: tuple[str, ...] | None = None) -> Iterator[tuple[str, str, Record]]:
    """Every content row as (table, key, record), tables in :data:`TABLES` order, keys sorted."""
    refs: dict[str, dict[int, str]] = defaultdict(dict)
    wanted = set(tables) if tables else None
    for spec in TABLES:
        plans = record_plans(spec)
        columns = [p.column for p in plans]
        table = spec.model._meta.table_name
        pk = spec.model._meta.primary_key
        if spec.name in ("sections", "articles"):
            rows = list(_select(db, table, columns, "t.position", join_law=True))
        else:
            key_col = spec.model._meta.fields[spec.key_field].column_name
            if isinstance(pk, pw.AutoField):
                rows = list(_select(db, table, [key_col, *columns], f't."{key_col}"', join_law=False))
            else:  # the key is the primary key: select it twice so the row layout stays the same
                rows = list(_select(db, table, columns, f't."{key_col}"', join_law=False, first=key_col))
                rows = [(row[0], row[0], *row[1:]) for row in rows]
        keys = _row_keys(spec, rows)
        children = {child.name: _children(db, child, refs) for child in spec.children}
        id_map = refs[spec.name]
        for row, key in zip(rows, keys, strict=True):
            id_map[row[0]] = key
        for row, key in zip(rows, keys, strict=True):
            values = row[1:] if spec.key_field is None else row[2:]
            record = {p.name: _value(p, raw, refs) for p, raw in zip(plans, values, strict=False)}
            for child in spec.children:
                record[child.name] = children[child.name].get(row[0], [])
            if wanted is None or spec.name in wanted:
                yield spec.name, key, record


def _row_keys(spec: TableSpec, rows: list[tuple[Any, ...]]) -> list[str]:
    if spec.key_field is not None:
        return [str(row[1]) for row in rows]
    plans = record_plans(spec)
    pos_index = 1 + [p.name for p in plans].index("position")
    if spec.name == "sections":
        return [section_key(row[-1], row[pos_index]) for row in rows]
    label_index = 1 + [p.name for p in plans].index("label")
    keys: list[str] = []
    start = 0
    while start < len(rows):  # rows come grouped by law, in position order
        end = start
        while end < len(rows) and rows[end][-1] == rows[start][-1]:
            end += 1
        keys += article_keys(rows[start][-1], [row[label_index] for row in rows[start:end]])
        start = end
    return keys


def _children(db: pw.Database, child: Child, refs: dict[str, dict[int, str]]) -> dict[int, list[list[Any]]]:
    plans = {p.name: p for p in field_plans(child.model)}
    wanted = [plans[name] for name in child.fields]
    parent_col = plans[child.parent_field].column
    cols = ", ".join(f'"{c}"' for c in [parent_col, *(p.column for p in wanted)])
    table = child.model._meta.table_name
    out: dict[int, list[list[Any]]] = defaultdict(list)
    for parent_id, *values in db.execute_sql(f'SELECT {cols} FROM "{table}" ORDER BY id'):
        out[parent_id].append([_value(p, raw, refs) for p, raw in zip(wanted, values, strict=True)])
    return out


def digest_map(db: pw.Database) -> dict[str, dict[str, str]]:
    """table → key → record digest of everything the database holds."""
    out: dict[str, dict[str, str]] = {spec.name: {} for spec in TABLES}
    for table, key, record in export(db):
        out[table][key] = digest(record)
    return out


def counts(maps: dict[str, dict[str, str]]) -> dict[str, int]:
    return {table: len(keys) for table, keys in maps.items()}
