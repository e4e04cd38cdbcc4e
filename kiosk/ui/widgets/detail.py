"""Pieces of detail pages: a fact table, numbered lists, link buttons, a responsive two-pane split."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QPushButton, QScrollArea, QWidget

from kiosk.ui.widgets.common import button, card, label

LANDSCAPE_MIN_WIDTH = 1300


def facts(rows: Sequence[tuple[str, str | None]]) -> QWidget:
    """A card of label/value rows; empty values are left out."""
    grid = QGridLayout()
    grid.setContentsMargins(24, 20, 24, 20)
    grid.setHorizontalSpacing(20)
    grid.setVerticalSpacing(12)
    r = 0
    for name, value in rows:
        if not value:
            continue
        key = label(name, "muted", wrap=False)
        key.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(key, r, 0)
        grid.addWidget(label(value, "body"), r, 1)
        r += 1
    grid.setColumnStretch(1, 1)
    return card(grid)


def numbered(items: Sequence[str], numbers: bool = True) -> QWidget:
    box = card()
    for i, text in enumerate(items, start=1):
        box.layout().addWidget(label(f"{i}. {text}" if numbers else f"· {text}", "body"))  # type: ignore[union-attr]
    return box


def link(text: str, on_click: Callable[[], object], name: str | None = None) -> QPushButton:
    return button(text, on_click, role="link", name=name)


def badges_row(*widgets: QWidget) -> QHBoxLayout:
    layout = QHBoxLayout()
    layout.setSpacing(12)
    for w in widgets:
        layout.addWidget(w)
    layout.addStretch(1)
    return layout


class Split(QWidget):
    """Filters and list: side by side in landscape, stacked in portrait."""

    def __init__(self, side: QWidget, main: QWidget, side_width: int = 560):
        super().__init__()
        self.side = side
        self.main = main
        self.side_width = side_width
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(16)
        self.box.addWidget(side)
        self.box.addWidget(main, 1)

    def resizeEvent(self, event: Any) -> None:
        wide = self.width() >= LANDSCAPE_MIN_WIDTH
        self.box.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        if wide:
            self.side.setFixedWidth(self.side_width)
            self.side.setMinimumHeight(0)
            self.side.setMaximumHeight(16777215)
        else:
            self.side.setMinimumWidth(0)
            self.side.setMaximumWidth(16777215)
            self.fit_side()
        super().resizeEvent(event)

    def fit_side(self) -> None:
        """In portrait the filters take what they need, at most half the height (then they scroll).

        Measured after the event loop has polished the chips (their style sheet sets their size)."""
        QTimer.singleShot(0, self, self._fit_side_now)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.fit_side()

    def _fit_side_now(self) -> None:
        if self.width() >= LANDSCAPE_MIN_WIDTH:
            return
        inner = self.side.widget() if isinstance(self.side, QScrollArea) else None
        if inner is None:
            return
        layout = inner.layout()
        need = layout.totalHeightForWidth(self.width() - 16) if layout is not None else inner.sizeHint().height()
        self.side.setFixedHeight(max(120, min(need + 4, int(self.height() * 0.5))))
