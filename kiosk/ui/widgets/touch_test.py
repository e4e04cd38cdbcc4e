"""触摸测试: a grid over the whole window; each cell turns green where a finger touches or drags.

Cells are about 180 px square in either orientation; a bar at the bottom says what to do, counts the
cells lit, and holds 完成. Untouched cells after a sweep mark a dead area of the touch screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from kiosk.ui.widgets.common import button, label

BAR_HEIGHT = 150
CELL = 180  # target cell size in pixels (three times the 60 px minimum touch target)
IDLE, LIT, GRID = QColor("#23395D"), QColor("#1F7A45"), QColor("#0B1A33")


class TouchTest(QWidget):
    def __init__(self, window: QWidget, done: Callable[[int, int], None]):
        super().__init__(window)
        self.setObjectName("touch-test")
        self.done = done
        self.hit: set[tuple[int, int]] = set()
        self.columns, self.rows = 6, 10
        self.bar = QFrame(self)
        self.bar.setObjectName("touch-bar")
        self.bar.setProperty("role", "attract")  # white text on the brand blue
        line = QHBoxLayout(self.bar)
        line.setContentsMargins(32, 16, 32, 16)
        line.setSpacing(24)
        self.count = label("", "title")
        self.count.setObjectName("touch-count")
        line.addWidget(self.count, 1)
        self.finish_button = button("完成", self.finish, None, "touch-done")
        line.addWidget(self.finish_button)

    @property
    def total(self) -> int:
        return self.columns * self.rows

    def show_over(self) -> None:
        parent = self.parentWidget()
        assert parent is not None
        self.setGeometry(parent.rect())
        self.columns = max(3, round(self.width() / CELL))
        self.rows = max(3, round(self.grid_height() / CELL))
        self.bar.setGeometry(0, self.height() - BAR_HEIGHT, self.width(), BAR_HEIGHT)
        self._say()
        self.show()
        self.raise_()

    def grid_height(self) -> int:
        return max(1, self.height() - BAR_HEIGHT)

    def cell_at(self, x: int, y: int) -> tuple[int, int] | None:
        if not (0 <= x < self.width() and 0 <= y < self.grid_height()):
            return None
        return min(self.columns - 1, x * self.columns // self.width()), min(
            self.rows - 1, y * self.rows // self.grid_height()
        )

    def _touch(self, event: Any) -> None:
        pos = event.position().toPoint()
        cell = self.cell_at(pos.x(), pos.y())
        if cell is not None and cell not in self.hit:
            self.hit.add(cell)
            self._say()
            self.update()

    def mousePressEvent(self, event: Any) -> None:
        self._touch(event)

    def mouseMoveEvent(self, event: Any) -> None:  # a finger dragged across the screen lights its path
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._touch(event)

    def _say(self) -> None:
        lit = len(self.hit)
        if lit == self.total:
            self.count.setText(f"全部 {lit} 格都已点亮，触摸屏正常。点“完成”返回。")
        else:
            self.count.setText(f"请用手指点遍或划过每一格：已点亮 {lit} / {self.total} 格。")

    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), GRID)
        w, h = self.width() / self.columns, self.grid_height() / self.rows
        for cx in range(self.columns):
            for cy in range(self.rows):
                color = LIT if (cx, cy) in self.hit else IDLE
                painter.fillRect(int(cx * w) + 3, int(cy * h) + 3, int(w) - 6, int(h) - 6, color)

    def finish(self) -> None:
        self.hide()
        self.done(len(self.hit), self.total)
        self.deleteLater()
