"""Small typing helpers for peewee reads (its stubs type ``.tuples()`` rows as model instances)."""

from __future__ import annotations

from typing import Any


def tuples(query: Any) -> list[tuple[Any, ...]]:
    """Rows of a select as plain tuples."""
    return list(query.tuples())


def first_tuple(query: Any) -> tuple[Any, ...] | None:
    row = query.tuples().first()
    return tuple(row) if row is not None else None


def fk(row: Any, field: str) -> Any:
    """The raw foreign-key value of ``row.<field>`` (an id or a text key) without loading the related row."""
    return getattr(row, f"{field}_id")
