"""Opening the content database (explicit pragmas, schema version check, migrations) and binding
the models to it.

The schema version lives in ``PRAGMA user_version`` so it can be read before any table exists.
Each migration is a function from version N-1 to N, run inside one transaction.

Which database the models query is decided in two places only, never by opening a file:

- :func:`bind_content_models` — the process-wide binding, made once by a composition root
  (``open_services``, a test fixture) with the database it opened and hands on. The kiosk's
  screens, their worker threads and the services all read through it, so it must not change while
  they run: peewee keeps a model's database on the class, shared by every thread.
- :func:`bound_to` — for single-threaded work on a database handed in (an import, ``kiosk demo-data``,
  the hub's build): the models point at it for the call and back at what they pointed at after.

Code that may run beside the screens on a connection of its own binds each query instead
(``Model.select().bind(db)``: domain words, content stats); sync applies packages with plain SQL on
the connection it is given.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import peewee as pw

from kiosk.store import models
from kiosk.store.errors import BindingError, SchemaError

#: Connection pragmas. WAL lets the UI read while a sync writes; ``synchronous=NORMAL`` never
#: corrupts under WAL and content can always be fetched again, unlike the outbox (FULL there).
CONTENT_PRAGMAS: dict[str, object] = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 1,  # NORMAL
    "busy_timeout": 10_000,
    "cache_size": -32_000,  # 32 MB
    # Pages are read from the kernel's page cache in place instead of copied into SQLite's cache:
    # search reads ~20 % less time (bench/bench_search.py). The mapping is file-backed and shared,
    # so it counts in RSS as pages are touched but the kernel drops it under memory pressure.
    "mmap_size": 256 * 1024 * 1024,
    "temp_store": 2,  # memory
}


def _migrate_to_1(db: pw.Database) -> None:
    from kiosk.search import index

    for model in models.ALL_MODELS:  # in dependency order; created on ``db`` itself: opening binds nothing
        pw.SchemaManager(model, db).create_all()
    index.create_index_tables(db)


MIGRATIONS: list[Callable[[pw.Database], None]] = [_migrate_to_1]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: pw.Database) -> int:
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def migrate(db: pw.Database) -> None:
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise SchemaError(
            f"database schema version {current} is newer than this program understands "
            f"({SCHEMA_VERSION}); update the kiosk software"
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with db.atomic("IMMEDIATE"):
            MIGRATIONS[version - 1](db)
            db.execute_sql(f"PRAGMA user_version = {version}")


def open_content_db(path: Path, *, readonly: bool = False) -> pw.SqliteDatabase:
    """Open (creating and migrating if needed) the content database. The models are not bound to it:
    see :func:`bind_content_models` and :func:`bound_to`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = pw.SqliteDatabase(str(path), pragmas=CONTENT_PRAGMAS, check_same_thread=False)
    db.connect(reuse_if_open=True)
    if not readonly:
        migrate(db)
    elif schema_version(db) != SCHEMA_VERSION:
        raise SchemaError(f"{path}: schema version {schema_version(db)}, expected {SCHEMA_VERSION}")
    return db


def bind_content_models(db: pw.Database) -> None:
    """The process-wide binding: every content model queries ``db`` from now on. Called by a composition
    root with the database it hands to the services, before any of them runs."""
    db.bind(models.ALL_MODELS)


def bound_database() -> pw.Database | None:
    """The database the content models query now (``None`` before any binding)."""
    database: pw.Database | None = models.ALL_MODELS[0]._meta.database
    for model in models.ALL_MODELS[1:]:
        if model._meta.database is not database:
            return None  # bound piecemeal: not one database
    return database


def require_bound(db: pw.Database, who: str) -> None:
    """A service reads through the models; refuse to build it on a database they do not query, rather
    than let it answer from another file."""
    bound = bound_database()
    if bound is not db:
        raise BindingError(
            f"{who} was given the content database {_name(db)}, but the content models are bound to "
            f"{_name(bound)}; bind them with kiosk.store.db.bind_content_models first"
        )


def _name(db: pw.Database | None) -> str:
    return "nothing" if db is None else repr(db.database)


@contextmanager
def bound_to(db: pw.Database) -> Iterator[pw.Database]:
    """Bind the content models to ``db`` for a block of single-threaded work, then restore the binding
    they had (never inside the running kiosk's threads: the binding is shared by every thread)."""
    with db.bind_ctx(models.ALL_MODELS):
        yield db


_P = ParamSpec("_P")
_R = TypeVar("_R")


def on_database(
    fn: Callable[Concatenate[pw.Database, _P], _R],
) -> Callable[Concatenate[pw.Database, _P], _R]:
    """Run a function whose first argument is the content database with the models bound to it."""

    @functools.wraps(fn)
    def run(db: pw.Database, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with bound_to(db):
            return fn(db, *args, **kwargs)

    return run
