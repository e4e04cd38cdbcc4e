"""A large home-screen tile: a main function label and one line under it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QSizePolicy, QVBoxLayout

from kiosk.ui.widgets.common import label


class Tile(QPushButton):
    def __init__(self, title: str, subtitle: str, route: str):
        super().__init__()
        self.route = route
        self.setObjectName(f"tile-{route}")
        self.setProperty("role", "tile")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(6)
        self.title_label = label(title, "tile-title")
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle_label = label(subtitle, "tile-sub")
        self.subtitle_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for w in (self.title_label, self.subtitle_label):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout.addStretch(1)
        layout.addWidget(self.title_label)
        layout.addWidget(self.subtitle_label)
        layout.addStretch(1)

    def sizeHint(self):  # type: ignore[no-untyped-def]
        hint = self.layout().sizeHint()  # type: ignore[union-attr]
        return hint.expandedTo(super().sizeHint())

    def minimumSizeHint(self):  # type: ignore[no-untyped-def]
        return self.layout().minimumSize()  # type: ignore[union-attr]
