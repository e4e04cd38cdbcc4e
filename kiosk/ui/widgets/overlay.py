"""Panels over a screen (contents, QR code, related items, number pad) and short messages."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.ui.widgets.common import button, clear_layout, label


class _Backdrop(QWidget):
    def __init__(self, parent: QWidget, color: str = "#0B1A33", alpha: int = 150):
        super().__init__(parent)
        self.color = QColor(color)
        self.color.setAlpha(alpha)

    def paintEvent(self, event: QPaintEvent) -> None:
        QPainter(self).fillRect(self.rect(), self.color)


class Sheet(QWidget):
    """A panel sliding over the lower part of its parent; tap outside or 关闭 to close."""

    def __init__(
        self,
        parent: QWidget,
        on_close: Callable[[], None] | None = None,
        on_clear: Callable[[], None] | None = None,
    ):
        """``on_clear`` runs whenever the panel's widgets are deleted (a new panel, or closing): the
        owner drops its references to them there."""
        super().__init__(parent)
        self._on_close = on_close
        self._on_clear = on_clear
        self.backdrop = _Backdrop(self)
        self.panel = QFrame(self)
        self.panel.setProperty("role", "sheet")
        outer = QVBoxLayout(self.panel)
        outer.setContentsMargins(28, 20, 28, 28)
        outer.setSpacing(14)
        head = QHBoxLayout()
        self.title = label("", "title")
        head.addWidget(self.title, 1)
        self.close_button = button("关闭", self.close_sheet, role="secondary", name="sheet-close")
        head.addWidget(self.close_button)
        outer.addLayout(head)
        self.content = QVBoxLayout()
        self.content.setSpacing(12)
        outer.addLayout(self.content, 1)
        self.hide()
        parent.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        self.setGeometry(parent.rect())
        self.backdrop.setGeometry(self.rect())
        w, h = self.width(), self.height()
        portrait = h >= w
        panel_h = int(h * (0.72 if portrait else 0.86))
        panel_w = w - 32 if portrait else min(w - 64, 1200)
        self.panel.setGeometry((w - panel_w) // 2, h - panel_h - 16, panel_w, panel_h)

    def _clear(self) -> None:
        if self._on_clear:
            self._on_clear()
        clear_layout(self.content)

    def open(self, title: str, *widgets: QWidget) -> None:
        self._clear()
        self.title.setText(title)
        for widget in widgets:
            self.content.addWidget(widget)
        if not any(isinstance(w, QAbstractScrollArea) for w in widgets):
            self.content.addStretch(1)  # short content sits at the top, not spread over the panel
        self._fit()
        self.show()
        self.raise_()

    def close_sheet(self) -> None:
        if self.isVisible():
            self.hide()
            self._clear()
            if self._on_close:
                self._on_close()

    def mousePressEvent(self, event: object) -> None:
        pos = event.position().toPoint()  # type: ignore[attr-defined]
        if not self.panel.geometry().contains(pos):
            self.close_sheet()


class Toast(QLabel):
    """A short message near the bottom of the window that fades after a few seconds."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setProperty("role", "toast")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, text: str, msecs: int = 4000) -> None:
        self.setText(text)
        parent = self.parentWidget()
        assert parent is not None
        width = min(parent.width() - 80, 900)
        self.setFixedWidth(width)
        self.adjustSize()
        self.move((parent.width() - width) // 2, parent.height() - self.height() - 120)
        self.show()
        self.raise_()
        self._timer.start(msecs)
