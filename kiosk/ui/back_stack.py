"""The back stack of the navigator: route names with their parameters, bounded in depth.

Plain Python (no Qt), tested with plain asserts; `kiosk/ui/routes.py` says which screen answers a route.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HOME = "home"


@dataclass
class Entry:
    route: str
    params: dict[str, Any] = field(default_factory=dict)


class RouteStack:
    """``go`` pushes, ``back`` pops, ``reset`` returns home; the home route is always at the bottom."""

    def __init__(self, home: str = HOME, max_depth: int = 30):
        self.home = home
        self.max_depth = max_depth
        self.entries: list[Entry] = [Entry(home)]

    @property
    def current(self) -> Entry:
        return self.entries[-1]

    @property
    def can_go_back(self) -> bool:
        return len(self.entries) > 1

    def go(self, route: str, params: dict[str, Any] | None = None) -> Entry:
        entry = Entry(route, dict(params or {}))
        if route == self.home:
            self.entries = [entry]
            return entry
        if self.current.route == route and self.current.params == entry.params:
            return self.current  # tapping the same thing twice does not stack it twice
        self.entries.append(entry)
        if len(self.entries) > self.max_depth:  # keep home, drop the oldest in between
            del self.entries[1]
        return entry

    def replace(self, route: str, params: dict[str, Any] | None = None) -> Entry:
        """Swap the current entry (e.g. a law version switch should not add a back step)."""
        if len(self.entries) == 1:
            return self.go(route, params)
        self.entries[-1] = Entry(route, dict(params or {}))
        return self.entries[-1]

    def back(self) -> Entry:
        if self.can_go_back:
            self.entries.pop()
        return self.current

    def remember(self, params: dict[str, Any]) -> None:
        """Store the current screen's state (scroll position, selection) so ``back`` restores it."""
        self.current.params.update(params)

    def reset(self) -> Entry:
        self.entries = [Entry(self.home)]
        return self.current
