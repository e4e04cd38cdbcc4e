"""Filter chips that wrap onto as many lines as they need (nothing hidden off screen)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QLayout, QLayoutItem, QPushButton, QSizePolicy, QWidget

from kiosk.ui.widgets.common import button


class FlowLayout(QLayout):
    """Items left to right, wrapping to a new line where the width ends (``center``: each line centred)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 12, center: bool = False):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._center = center
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, apply=True)

    def sizeHint(self) -> QSize:
        """All chips on one row. Qt asks a height-for-width layout's height at its hint's width: at
        the widest chip's width (the minimum) every chip took a row of its own, and the filters'
        page of 机构与人员 scrolled through 1,400 px of nothing below its chips."""
        shown = [item.sizeHint() for item in self._items if not item.isEmpty()]
        if not shown:
            return self.minimumSize()
        m: QMargins = self.contentsMargins()
        width = sum(h.width() for h in shown) + self._spacing * (len(shown) - 1)
        return QSize(width + m.left() + m.right(), max(h.height() for h in shown) + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m: QMargins = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _place(self, rect: QRect, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        lines: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        x = area.x()
        for item in self._items:
            if item.isEmpty():  # a hidden widget takes no place (ChipBar.fit_rows)
                continue
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and lines[-1]:
                lines.append([])
                x = area.x()
            lines[-1].append((item, hint))
            x += hint.width() + self._spacing
        y = area.y()
        for line in lines:
            used = sum(hint.width() for _, hint in line) + self._spacing * (len(line) - 1)
            x = area.x() + (max(0, area.width() - used) // 2 if self._center else 0)
            for item, hint in line:
                if apply:
                    item.setGeometry(QRect(QPoint(x, y), hint))
                x += hint.width() + self._spacing
            y += max((hint.height() for _, hint in line), default=0) + self._spacing
        end = y - self._spacing if self._items else y  # no gap after the last line
        return end - rect.y() + m.bottom()


class ChipBar(QWidget):
    """One-of-many choice; ``changed`` carries the chosen value (None for the 全部 chip)."""

    changed = Signal(object)

    def __init__(self, all_label: str | None = "全部"):
        super().__init__()
        self._all_label = all_label
        self._layout = FlowLayout(self)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._values: dict[int, Any] = {}
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def set_items(self, items: list[tuple[str, Any]], selected: Any = None) -> None:
        for b in self._group.buttons():
            self._group.removeButton(b)
            self._layout.removeWidget(b)
            b.setParent(None)
            b.deleteLater()
        self._values.clear()
        entries = ([(self._all_label, None)] if self._all_label else []) + items
        for index, (text, value) in enumerate(entries):
            chip: QPushButton = button(text, role="chip")
            chip.setCheckable(True)
            self._group.addButton(chip, index)
            self._values[index] = value
            self._layout.addWidget(chip)
            if self.isVisible():
                chip.show()  # now, not on the next turn of the event loop
            chip.clicked.connect(lambda _c=False, v=value: self.changed.emit(v))
        self.select(selected)

    def select(self, value: Any) -> None:
        for index, v in self._values.items():
            if v == value:
                chip = self._group.button(index)
                if chip is not None:
                    chip.setChecked(True)
                return

    def value(self) -> Any:
        return self._values.get(self._group.checkedId())

    def chip(self, text: str) -> QPushButton | None:
        for b in self._group.buttons():
            if b.text() == text:
                return b  # type: ignore[return-value]
        return None

    def labels(self) -> list[str]:
        return [b.text() for b in self._group.buttons()]

    def fit_rows(self, width: int, room: int) -> int:
        """Show only the chips whose rows fit whole in ``room`` px at ``width`` (the first chip always);
        returns the height they take. Chips are in order of use: the last ones give way first."""
        chips = [self._group.button(i) for i in sorted(self._values)]
        for chip in chips:
            if chip is not None:
                chip.setHidden(False)
        shown = [c for c in chips if c is not None]
        while len(shown) > 1 and self._layout.heightForWidth(width) > room:
            shown.pop().setHidden(True)
        return self._layout.heightForWidth(width) if shown else 0
