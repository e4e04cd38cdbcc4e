"""Applying package operations to the content database, by stable key, inside one transaction.

:class:`Applier` is fed deletions, then upserts (the order of a package) and finally ``finish``;
the caller owns the IMMEDIATE transaction, so a reader sees the old content or the new, never a
mix, and a crash leaves the old content. Anything that does not fit — a record of the wrong shape,
a reference to a row that does not exist, a deletion of a key we do not hold — raises
:class:`~kiosk.sync.errors.PackageError` and the caller rolls back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import peewee as pw

from kiosk.store.models import Law
from kiosk.sync.errors import PackageError
from kiosk.sync.records import (
    BY_NAME,
    INDEXED_KINDS,
    FieldPlan,
    Record,
    TableSpec,
    article_keys,
    field_plans,
    law_of_key,
    record_plans,
    section_key,
    to_column,
)
from kiosk.sync.search_sync import SearchSync

#: Law fields the search index is built from: a change re-indexes the whole law.
INDEXED_LAW_FIELDS = ("title", "short_title", "level", "status", "category", "is_current")


@dataclass
class LawRows:
    id: int
    sections: dict[str, int] = field(default_factory=dict)  # section key → id
    articles: dict[str, tuple[int, int]] = field(default_factory=dict)  # article key → (id, position)


@dataclass
class ApplyStats:
    deleted: int = 0
    inserted: int = 0
    updated: int = 0
    laws_reindexed: int = 0


class Applier:
    def __init__(self, db: pw.Database):
        self.db = db
        self.stats = ApplyStats()
        self.search = SearchSync(db)
        self.plans = {spec.name: record_plans(spec) for spec in BY_NAME.values()}
        self._keys: dict[str, dict[str, Any]] = {}
        self._laws: dict[str, LawRows] = {}
        self._law_ids: dict[str, int] | None = None
        self._pending_articles: tuple[str, list[tuple[str, Record]]] | None = None
        self._next_id: dict[str, int] = {}

    # --- lookups ----------------------------------------------------------------------------------

    def _table(self, spec: TableSpec) -> str:
        return str(spec.model._meta.table_name)

    def _new_id(self, table: str) -> int:
        if table not in self._next_id:
            row = self.db.execute_sql(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"').fetchone()
            self._next_id[table] = int(row[0])
        self._next_id[table] += 1
        return self._next_id[table] - 1

    def _key_ids(self, name: str) -> dict[str, Any]:
        if name not in self._keys:
            spec = BY_NAME[name]
            assert spec.key_field is not None
            key_col = spec.model._meta.fields[spec.key_field].column_name
            pk_col = _pk(spec).column_name
            sql = f'SELECT "{pk_col}", "{key_col}" FROM "{self._table(spec)}"'
            self._keys[name] = {key: pk for pk, key in self.db.execute_sql(sql)}
        return self._keys[name]

    def _law(self, law_key: str, where: str) -> LawRows:
        rows = self._laws.get(law_key)
        if rows is not None:
            return rows
        if self._law_ids is None:
            self._law_ids = {source: lid for lid, source in self.db.execute_sql("SELECT id, source FROM law")}
        law_id = self._law_ids.get(law_key)
        if law_id is None:
            raise PackageError(f"{where}: no law {law_key!r}")
        rows = LawRows(law_id)
        for sid, position in self.db.execute_sql("SELECT id, position FROM law_section WHERE law_id = ?", (law_id,)):
            rows.sections[section_key(law_key, position)] = sid
        arts = list(
            self.db.execute_sql("SELECT id, label, position FROM article WHERE law_id = ? ORDER BY position", (law_id,))
        )
        for key, (aid, _, position) in zip(article_keys(law_key, [a[1] for a in arts]), arts, strict=True):
            rows.articles[key] = (aid, position)
        self._laws[law_key] = rows
        return rows

    def _resolve(self, target: str, key: str, where: str) -> Any:
        if target == "laws":
            return self._law(key, where).id
        if target in ("sections", "articles"):
            law_key = law_of_key(key)
            if law_key is None:
                raise PackageError(f"{where}: malformed {target} key {key!r}")
            rows = self._law(law_key, where)
            found = rows.sections.get(key) if target == "sections" else rows.articles.get(key, (None, 0))[0]
            if found is None:
                raise PackageError(f"{where}: refers to a missing {target} row {key!r}")
            return found
        ids = self._key_ids(target)
        if key not in ids:
            raise PackageError(f"{where}: refers to a missing {target} row {key!r}")
        return ids[key]

    def _values(self, plans: list[FieldPlan], record: Record, where: str, skip: tuple[str, ...] = ()) -> dict[str, Any]:
        names = {p.name for p in plans} | set(skip)
        if set(record) != names:
            raise PackageError(f"{where}: fields {sorted(record)} do not match {sorted(names)}")
        out = {}
        for plan in plans:
            value = to_column(plan, record[plan.name], where)
            if plan.kind == "ref" and value is not None:
                assert plan.target is not None
                value = self._resolve(plan.target, value, where)
            out[plan.column] = value
        return out

    # --- deletions --------------------------------------------------------------------------------

    def delete(self, table: str, key: str) -> None:
        self._flush_articles()
        where = f"{table} {key!r}"
        spec = BY_NAME[table]
        if table == "laws":
            rows = self._law(key, where)
            self.search.law_deleted(rows.id)
            self.db.execute_sql("DELETE FROM law WHERE id = ?", (rows.id,))
            del self._laws[key]
            assert self._law_ids is not None
            del self._law_ids[key]
        elif table in ("sections", "articles"):
            law_key = law_of_key(key)
            rows = self._law(law_key or "", where)
            if table == "sections":
                sid = rows.sections.pop(key, None)
                if sid is None:
                    raise PackageError(f"{where}: no such section to delete")
                self.search.law_whole(rows.id)
                self.db.execute_sql("DELETE FROM law_section WHERE id = ?", (sid,))
            else:
                aid, _ = rows.articles.pop(key, (None, 0))
                if aid is None:
                    raise PackageError(f"{where}: no such article to delete")
                self.search.articles_changing(rows.id, [aid])
                self.search.article_deleted(rows.id, aid)
                self.db.execute_sql("DELETE FROM article WHERE id = ?", (aid,))
        else:
            ids = self._key_ids(table)
            if key not in ids:
                raise PackageError(f"{where}: no such row to delete")
            pk = _pk(spec).column_name
            self.db.execute_sql(f'DELETE FROM "{self._table(spec)}" WHERE "{pk}" = ?', (ids[key],))
            if table in INDEXED_KINDS:
                self.search.entry_deleted(INDEXED_KINDS[table], ids[key])
            del ids[key]
        self.stats.deleted += 1

    # --- upserts ----------------------------------------------------------------------------------

    def upsert(self, table: str, key: str, record: Record) -> None:
        if table == "articles":
            law_key = law_of_key(key)
            if law_key is None or record.get("law") != law_key:
                raise PackageError(f"articles {key!r}: key and law do not agree")
            if self._pending_articles is not None and self._pending_articles[0] != law_key:
                self._flush_articles()
            if self._pending_articles is None:
                self._pending_articles = (law_key, [])
            self._pending_articles[1].append((key, record))
            return
        self._flush_articles()
        if table == "sections":
            self._upsert_section(key, record)
        else:
            self._upsert_keyed(BY_NAME[table], key, record)

    def _write(self, table: str, row_id: Any, values: dict[str, Any], insert: bool) -> None:
        cols = list(values)
        if insert:
            marks = ", ".join("?" * len(cols))
            names = ", ".join(f'"{c}"' for c in cols)
            self.db.execute_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', list(values.values()))
            self.stats.inserted += 1
        else:
            sets = ", ".join(f'"{c}" = ?' for c in cols)
            self.db.execute_sql(f'UPDATE "{table}" SET {sets} WHERE id = ?', [*values.values(), row_id])
            self.stats.updated += 1

    def _upsert_keyed(self, spec: TableSpec, key: str, record: Record) -> None:
        where = f"{spec.name} {key!r}"
        if not isinstance(key, str) or not key:
            raise PackageError(f"{where}: bad key")
        values = self._values(self.plans[spec.name], record, where, tuple(c.name for c in spec.children))
        assert spec.key_field is not None
        key_col = spec.model._meta.fields[spec.key_field].column_name
        table = self._table(spec)
        auto = isinstance(_pk(spec), pw.AutoField)
        if spec.name == "laws":
            self._law_ids = (
                self._law_ids
                if self._law_ids is not None
                else {source: lid for lid, source in self.db.execute_sql("SELECT id, source FROM law")}
            )
            old_id = self._law_ids.get(key)
        else:
            old_id = self._key_ids(spec.name).get(key)
        row_id: Any
        if old_id is None:
            row_id = self._new_id(table) if auto else key
            extra = {"id": row_id} if auto else {}
            self._write(table, row_id, {**extra, key_col: key, **values}, insert=True)
        else:
            row_id = old_id
            if spec.name == "laws":
                self._law_update_index(row_id, record)
            if auto:
                self._write(table, row_id, values, insert=False)
            elif values:
                sets = ", ".join(f'"{c}" = ?' for c in values)
                self.db.execute_sql(f'UPDATE "{table}" SET {sets} WHERE "{key_col}" = ?', [*values.values(), key])
                self.stats.updated += 1
        if spec.name == "laws":
            assert self._law_ids is not None
            self._law_ids[key] = row_id
            if old_id is None:
                self._laws[key] = LawRows(row_id)
                self.search.law_new(row_id)
        else:
            self._key_ids(spec.name)[key] = row_id
        if spec.name in INDEXED_KINDS:
            self.search.entry_written(INDEXED_KINDS[spec.name], row_id)
        for child in spec.children:
            self._write_children(child, row_id, record[child.name], where)

    def _law_update_index(self, law_id: int, record: Record) -> None:
        names = ", ".join(f'"{Law._meta.fields[n].column_name}"' for n in INDEXED_LAW_FIELDS)
        old = self.db.execute_sql(f"SELECT {names} FROM law WHERE id = ?", (law_id,)).fetchone()
        plans = {p.name: p for p in self.plans["laws"]}
        new = tuple(to_column(plans[n], record.get(n), "laws") for n in INDEXED_LAW_FIELDS)
        if tuple(old) != new:
            self.search.law_whole(law_id)

    def _write_children(self, child: Any, parent_id: int, items: Any, where: str) -> None:
        plans = {p.name: p for p in field_plans(child.model)}
        wanted = [plans[n] for n in child.fields]
        table = child.model._meta.table_name
        parent_col = plans[child.parent_field].column
        self.db.execute_sql(f'DELETE FROM "{table}" WHERE "{parent_col}" = ?', (parent_id,))
        if not isinstance(items, list):
            raise PackageError(f"{where}: {child.name} must be a list")
        cols = ", ".join(f'"{c}"' for c in [parent_col, *(p.column for p in wanted)])
        for item in items:
            if not isinstance(item, list) or len(item) != len(wanted):
                raise PackageError(f"{where}: each of {child.name} must list {len(wanted)} values")
            values = self._values(wanted, dict(zip(child.fields, item, strict=True)), where)
            marks = ", ".join("?" * (len(wanted) + 1))
            self.db.execute_sql(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', [parent_id, *values.values()])

    def _upsert_section(self, key: str, record: Record) -> None:
        where = f"sections {key!r}"
        law_key = law_of_key(key)
        if law_key is None or record.get("law") != law_key:
            raise PackageError(f"{where}: key and law do not agree")
        rows = self._law(law_key, where)
        self.search.law_whole(rows.id)
        values = self._values(self.plans["sections"], record, where)
        if section_key(law_key, values["position"]) != key:
            raise PackageError(f"{where}: key and position do not agree")
        sid = rows.sections.get(key)
        if sid is None:
            sid = self._new_id("law_section")
            self._write("law_section", sid, {"id": sid, **values}, insert=True)
            rows.sections[key] = sid
        else:
            self._write("law_section", sid, values, insert=False)

    def _flush_articles(self) -> None:
        if self._pending_articles is None:
            return
        law_key, items = self._pending_articles
        self._pending_articles = None
        where = f"articles of {law_key!r}"
        rows = self._law(law_key, where)
        plans = self.plans["articles"]
        updates: list[tuple[str, int, dict[str, Any]]] = []
        inserts: list[tuple[str, dict[str, Any]]] = []
        moved: list[int] = []
        for key, record in items:
            values = self._values(plans, record, f"articles {key!r}")
            label_part = key[len(law_key) + 3 :]
            if label_part != values["label"] and not label_part.startswith(f"{values['label']}~"):
                raise PackageError(f"articles {key!r}: key and label do not agree")
            old = rows.articles.get(key)
            if old is None:
                inserts.append((key, values))
            else:
                updates.append((key, old[0], values))
                if old[1] != values["position"]:
                    moved.append(old[0])
        self.search.articles_changing(rows.id, [aid for _, aid, _ in updates])
        if moved:  # park moved rows on unique negative positions so (law, position) stays unique
            self.db.cursor().executemany("UPDATE article SET position = -id WHERE id = ?", [(a,) for a in moved])
        columns = [p.column for p in plans]
        sets = ", ".join(f'"{c}" = ?' for c in columns)
        self.db.cursor().executemany(
            f"UPDATE article SET {sets} WHERE id = ?", [[*v.values(), aid] for _, aid, v in updates]
        )
        self.stats.updated += len(updates)
        new_rows = []
        for key, values in inserts:
            aid = self._new_id("article")
            new_rows.append([aid, *values.values()])
            rows.articles[key] = (aid, values["position"])
        names = ", ".join(f'"{c}"' for c in ["id", *columns])
        marks = ", ".join("?" * (len(columns) + 1))
        self.db.cursor().executemany(f"INSERT INTO article ({names}) VALUES ({marks})", new_rows)
        self.stats.inserted += len(inserts)
        for key, aid, values in updates:
            rows.articles[key] = (aid, values["position"])
            self.search.article_written(rows.id, aid)
        for row in new_rows:
            self.search.article_written(rows.id, row[0])

    # --- the end ----------------------------------------------------------------------------------

    def finish(self, counts: dict[str, int] | None = None) -> ApplyStats:
        """Write pending rows, bring the search index up to date, check row counts."""
        self._flush_articles()
        self.stats.laws_reindexed = self.search.finish()["laws_reindexed"]
        if counts is not None:
            for name, expected in counts.items():
                spec = BY_NAME[name]
                have = self.db.execute_sql(f'SELECT COUNT(*) FROM "{self._table(spec)}"').fetchone()[0]
                if have != expected:
                    raise PackageError(f"after applying, {name} has {have} rows where the version has {expected}")
        return self.stats


def _pk(spec: TableSpec) -> pw.Field:
    pk = spec.model._meta.primary_key
    assert isinstance(pk, pw.Field)
    return pk


def set_meta(db: pw.Database, values: dict[str, str]) -> None:
    db.cursor().executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", list(values.items()))
