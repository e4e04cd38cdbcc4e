"""Errors that name what was wrong and where."""

from __future__ import annotations

from dataclasses import dataclass


class KioskError(Exception):
    """Base of every error this program reports to a person instead of a traceback."""


class SchemaError(KioskError):
    pass


class BindingError(RuntimeError):
    """Code was wired to one content database while the models query another (a programming error)."""


@dataclass
class Problem:
    file: str
    line: int | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f" [{self.field}]"
        return f"{where}: {self.reason}"


class ImportFailed(KioskError):
    """An import found bad input; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"import refused, nothing was changed ({len(problems)} problem(s)):\n{shown}{more}")
