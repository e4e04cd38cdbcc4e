"""The visible privacy countdown: a big number and a big 我还在用 button."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.ui.widgets.common import button, label


class IdleOverlay(QWidget):
    still_here = Signal()

    def __init__(self, parent: QWidget, backdrop: str = "#0B1A33"):
        super().__init__(parent)
        self.backdrop = QColor(backdrop)
        self.backdrop.setAlpha(205)
        self.panel = QFrame(self)
        self.panel.setProperty("role", "sheet")
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(48, 40, 48, 48)
        layout.setSpacing(20)
        self.question = label("您还在使用吗？", "headline")
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number = label("15", "countdown", wrap=False)
        self.number.setObjectName("idle-countdown")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explain = label("", "body")
        self.explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = button("我还在用", self.still_here.emit, role="huge", name="still-here")
        for w in (self.question, self.number, self.explain):
            layout.addWidget(w)
        layout.addWidget(self.button)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        self.setGeometry(parent.rect())
        width = min(self.width() - 80, 860)
        self.panel.setFixedWidth(width)
        self.panel.adjustSize()
        self.panel.move((self.width() - width) // 2, (self.height() - self.panel.height()) // 2)

    def set_remaining(self, seconds: int) -> None:
        self.number.setText(str(seconds))
        self.explain.setText(f"为保护您的隐私，{seconds} 秒后将清除本次输入和浏览的内容，并回到首页。")

    def show_countdown(self, seconds: int) -> None:
        self.set_remaining(seconds)
        self._fit()
        self.show()
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:
        QPainter(self).fillRect(self.rect(), self.backdrop)

    def mousePressEvent(self, event: object) -> None:
        self.still_here.emit()  # a touch anywhere on the warning also means "still here"
