"""The content package file: gzip-compressed JSON Lines, read as a stream.

Line 1 is the header object; then every deletion ``["d", table, key]`` (tables from children to
parents), then every upsert ``["u", table, key, record]`` (tables from parents to children, keys
sorted, sections and articles grouped by law in position order); the last line is
``["end", number_of_operation_lines]``. A snapshot has no deletions. See docs/sync-protocol.md.

The reader trusts nothing: every line is checked for shape and order and any problem is a
:class:`~kiosk.sync.errors.PackageError`, never another exception.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.sync.errors import PackageError
from kiosk.sync.records import TABLE_ORDER, Record

FORMAT = "kiosk-content"
FORMAT_VERSION = 1
KINDS = ("snapshot", "delta")
MAX_LINE = 16 * 1024 * 1024  # one record: far above the largest law article or case


@dataclass
class Header:
    kind: str
    version: int
    base: int | None
    schema: int
    content_date: str
    published: str
    counts: dict[str, int]  # rows of each table in the version this package produces
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "kind": self.kind,
            "version": self.version,
            "base": self.base,
            "schema": self.schema,
            "content_date": self.content_date,
            "published": self.published,
            "counts": self.counts,
            **self.extra,
        }


def _int(value: Any, what: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise PackageError(f"package header: {what} must be an integer ≥ {minimum}")
    return value


def parse_header(obj: Any) -> Header:
    if not isinstance(obj, dict):
        raise PackageError("package header is not an object")
    if obj.get("format") != FORMAT or obj.get("format_version") != FORMAT_VERSION:
        raise PackageError(f"not a {FORMAT} v{FORMAT_VERSION} package")
    kind = obj.get("kind")
    if kind not in KINDS:
        raise PackageError(f"package kind {kind!r} is not one of {KINDS}")
    version = _int(obj.get("version"), "version", 1)
    base = obj.get("base")
    if kind == "delta":
        base = _int(base, "base", 1)
        if base >= version:
            raise PackageError("a delta must go from an older version to a newer one")
    elif base is not None:
        raise PackageError("a snapshot has no base version")
    counts = obj.get("counts")
    if not isinstance(counts, dict) or set(counts) != set(TABLE_ORDER):
        raise PackageError("package header: counts must name every table")
    for table, n in counts.items():
        _int(n, f"counts.{table}")
    for name in ("content_date", "published"):
        if not isinstance(obj.get(name), str):
            raise PackageError(f"package header: {name} must be text")
    known = {"format", "format_version", "kind", "version", "base", "schema", "content_date", "published", "counts"}
    return Header(
        kind,
        version,
        base,
        _int(obj.get("schema"), "schema", 1),
        obj["content_date"],
        obj["published"],
        counts,
        {k: v for k, v in obj.items() if k not in known},
    )


class PackageWriter:
    """Write a package: ``delete`` calls first, then ``upsert`` calls, then ``close``."""

    def __init__(self, path: Path, header: Header, level: int = 6):
        self.path = path
        self._raw = path.open("wb")
        self._gz = gzip.GzipFile(fileobj=self._raw, mode="wb", compresslevel=level, mtime=0)
        self._lines = 0
        self._write(header.to_json())

    def _write(self, obj: Any) -> None:
        self._gz.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")

    def delete(self, table: str, key: str) -> None:
        self._write(["d", table, key])
        self._lines += 1

    def upsert(self, table: str, key: str, record: Record) -> None:
        self._write(["u", table, key, record])
        self._lines += 1

    def close(self) -> int:
        """Finish the file; returns its compressed size."""
        self._write(["end", self._lines])
        self._gz.close()
        self._raw.flush()
        self._raw.close()
        return self.path.stat().st_size


@dataclass(frozen=True)
class Op:
    op: str  # "d" or "u"
    table: str
    key: str
    record: Record | None


class PackageReader:
    """Iterate a package's operations after reading its header; checks shape and order as it goes."""

    def __init__(self, path: Path):
        self.path = path
        self._file = path.open("rb")
        self._gz = gzip.GzipFile(fileobj=self._file, mode="rb")
        first = self._line()
        if first is None:
            raise PackageError("empty package")
        self.header = parse_header(first)

    def close(self) -> None:
        self._gz.close()
        self._file.close()

    def __enter__(self) -> PackageReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _line(self) -> Any:
        try:
            raw = self._gz.readline(MAX_LINE + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise PackageError(f"package is not valid gzip: {exc}") from None
        if not raw:
            return None
        if len(raw) > MAX_LINE or not raw.endswith(b"\n"):
            raise PackageError("package line too long or truncated")
        try:
            return json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise PackageError(f"package line is not JSON: {exc}") from None

    def ops(self) -> Iterator[Op]:
        count = 0
        phase = "d"
        last_table = -1 if self.header.kind == "delta" else len(TABLE_ORDER)
        deleting_order = len(TABLE_ORDER)
        seen_keys: set[tuple[str, str]] = set()
        while True:
            line = self._line()
            if line is None:
                raise PackageError("package ends without its end line")
            if not isinstance(line, list) or not line or not isinstance(line[0], str):
                raise PackageError("package line is not an operation")
            if line[0] == "end":
                if len(line) != 2 or line[1] != count:
                    raise PackageError("package end line does not match its content")
                if self._line() is not None:
                    raise PackageError("data after the package end line")
                return
            op = _parse_op(line)
            order = TABLE_ORDER[op.table]
            if op.op == "d":
                if phase != "d" or self.header.kind != "delta" or order > deleting_order:
                    raise PackageError("deletions must come first, children before parents, in a delta only")
                deleting_order = order
            else:
                if phase == "d":
                    phase, last_table = "u", -1
                if order < last_table:
                    raise PackageError("upserts must run from parent tables to children")
                last_table = order
            ident = (op.op + op.table, op.key)
            if ident in seen_keys:
                raise PackageError(f"{op.table} {op.key!r} appears twice")
            seen_keys.add(ident)
            count += 1
            yield op


def _parse_op(line: list[Any]) -> Op:
    kind = line[0]
    if kind == "d" and len(line) == 3:
        record = None
    elif kind == "u" and len(line) == 4:
        record = line[3]
        if not isinstance(record, dict):
            raise PackageError("an upsert's record must be an object")
    else:
        raise PackageError(f"unknown package operation {kind!r} with {len(line)} fields")
    table, key = line[1], line[2]
    if not isinstance(table, str) or table not in TABLE_ORDER:
        raise PackageError(f"unknown table {table!r}")
    if not isinstance(key, str) or not key or len(key) > 1000:
        raise PackageError(f"bad key in {table}")
    return Op(kind, table, key, record)


def read_header(path: Path) -> Header:
    with PackageReader(path) as reader:
        return reader.header
