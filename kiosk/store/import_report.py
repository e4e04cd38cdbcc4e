"""What an import did, printed for the person who ran it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportReport:
    what: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    details: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        parts = [
            f"{self.what}: {self.added} added, {self.changed} changed, "
            f"{self.removed} removed, {self.unchanged} unchanged"
        ]
        parts += [f"  {k}: {v}" for k, v in self.details.items()]
        parts += [f"  note: {n}" for n in self.notes]
        return "\n".join(parts)
