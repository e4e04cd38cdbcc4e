"""A QR code drawn from its module matrix (crisp at any size, no image files)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from kiosk.services.links import qr_matrix
from kiosk.ui.widgets.common import label

#: A phone camera held about 50 cm away reads modules of 4 px on a kiosk screen reliably.
MIN_MODULE_PX = 4


class QrCode(QWidget):
    def __init__(self, payload: str = "", side: int = 280):
        super().__init__()
        self.payload = ""
        self.matrix: list[list[bool]] = []
        self.side = side
        self.setFixedSize(side, side)
        self.set_payload(payload)

    def set_payload(self, payload: str) -> None:
        self.payload = payload
        self.matrix = qr_matrix(payload) if payload else []
        # A dense code (a materials list) grows until every module is big enough to scan.
        side = max(self.side, MIN_MODULE_PX * len(self.matrix))
        self.setFixedSize(side, side)
        self.setAccessibleName(payload)
        self.update()

    def module_px(self) -> float:
        """The size of one module as shown (0 without a code)."""
        return min(self.width(), self.height()) / len(self.matrix) if self.matrix else 0.0

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        if not self.matrix:
            return
        n = len(self.matrix)
        cell = min(self.width(), self.height()) / n
        offset = (min(self.width(), self.height()) - cell * n) / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#000000"))
        for y, line in enumerate(self.matrix):
            for x, dark in enumerate(line):
                if dark:
                    painter.drawRect(QRectF(offset + x * cell, offset + y * cell, cell + 0.2, cell + 0.2))


class QrBlock(QWidget):
    """A QR code with a caption under it (扫码导航 / 扫码拨号 / 扫码带走本条)."""

    def __init__(self, payload: str, caption: str, side: int = 260):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.code = QrCode(payload, side)
        self.code.setObjectName("qr-code")
        layout.addWidget(self.code, 0, Qt.AlignmentFlag.AlignHCenter)
        self.caption = label(caption, "body")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.caption)
        self.caption.setMinimumWidth(self.code.width() + 80)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
