"""A large digit pad (jump to an article, the admin PIN). Digits only: nothing to learn or predict."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.ui.widgets.common import button


class Keypad(QWidget):
    digit = Signal(str)
    erase = Signal()
    enter = Signal()

    def __init__(self, enter_text: str = "确定"):
        super().__init__()
        grid = QGridLayout(self)
        grid.setSpacing(12)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, d in enumerate("123456789"):
            grid.addWidget(self._key(d), i // 3, i % 3)
        grid.addWidget(button("删除", self.erase.emit, role="key", name="key-erase"), 3, 0)
        grid.addWidget(self._key("0"), 3, 1)
        self.enter_button = button(enter_text, self.enter.emit, role="key-enter", name="key-enter")
        grid.addWidget(self.enter_button, 3, 2)

    def _key(self, d: str) -> QWidget:
        key = button(d, lambda: self.digit.emit(d), role="key", name=f"key-{d}")
        return key
