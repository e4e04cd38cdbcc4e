"""Reading CSV files the way Excel writes them, with errors that name file, line and field."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kiosk.store.errors import Problem

LIST_SEPARATOR = re.compile(r"[;；]")


def decode_text(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK); returns (text, encoding)."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ValueError(f"neither UTF-8 nor GBK text (bad byte at offset {exc.start})") from None


@dataclass
class CsvRow:
    file: str
    line: int
    values: dict[str, str]

    def get(self, name: str) -> str:
        return (self.values.get(name) or "").strip()

    def problem(self, field: str | None, reason: str) -> Problem:
        return Problem(self.file, self.line, field, reason)

    def items(self, name: str) -> list[str]:
        return [part.strip() for part in LIST_SEPARATOR.split(self.get(name)) if part.strip()]


def read_header(path: Path) -> list[str]:
    text, _ = decode_text(path.read_bytes())
    first = next(csv.reader(io.StringIO(text)), [])
    return [name.strip() for name in first]


#: The longest text a directory, topic or synonym cell may hold (an address or a duty description).
MAX_CELL = 2000


def cell_problem(cell: str) -> str | None:
    """What is wrong with one cell's text for a kiosk (and for the spreadsheets it may end up in)."""
    if "\x00" in cell:
        return "contains a NUL character"
    if len(cell) > MAX_CELL:
        return f"{len(cell)} characters, more than {MAX_CELL}"
    if cell.lstrip()[:1] in ("=", "@"):
        return "starts with = or @ (a spreadsheet formula): remove that character"
    return None


def read_csv(path: Path, required: set[str], optional: set[str], problems: list[Problem]) -> Iterator[CsvRow]:
    """Yield rows; header problems are appended to ``problems`` and stop the file."""
    name = str(path)
    try:
        text, _ = decode_text(path.read_bytes())
    except (OSError, ValueError) as exc:
        problems.append(Problem(name, None, None, str(exc)))
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.append(Problem(name, 1, None, "empty file (no header row)"))
        return
    except csv.Error as exc:
        problems.append(Problem(name, 1, None, f"broken CSV: {exc}"))
        return
    missing = sorted(required - set(header))
    unknown = sorted(set(header) - required - optional)
    duplicated = sorted({h for h in header if header.count(h) > 1})
    for column in missing:
        problems.append(Problem(name, 1, column, "required column is missing"))
    for column in unknown:
        problems.append(Problem(name, 1, column, "unknown column (check the spelling)"))
    for column in duplicated:
        problems.append(Problem(name, 1, column, "column appears twice"))
    if missing or unknown or duplicated:
        return
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                problems.append(Problem(name, line, None, f"{len(record)} fields, header has {len(header)}"))
                continue
            row = CsvRow(name, line, dict(zip(header, record, strict=True)))
            for column, cell in row.values.items():
                problem = cell_problem(cell)
                if problem:
                    problems.append(row.problem(column, problem))
            for column in sorted(required):
                if not row.get(column):
                    problems.append(row.problem(column, "required value is empty"))
            yield row
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, None, f"broken CSV: {exc}"))
