"""The kiosk window: frameless and full screen, closing and escape keys ignored for passers-by."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from kiosk.ui.header import Chrome
from kiosk.ui.widgets.idle_overlay import IdleOverlay
from kiosk.ui.widgets.keyboard import KeyboardHost
from kiosk.ui.widgets.overlay import Toast

BLOCKED_KEYS = {
    Qt.Key.Key_Escape,
    Qt.Key.Key_Close,
    Qt.Key.Key_Back,
    Qt.Key.Key_Menu,
    Qt.Key.Key_Super_L,
    Qt.Key.Key_Super_R,
    Qt.Key.Key_Meta,
    Qt.Key.Key_F4,
}


def is_escape_shortcut(key: int, modifiers: Qt.KeyboardModifier) -> bool:
    """Keys a passer-by could use to leave the kiosk (Esc, Alt+F4, Ctrl+Q/W, Alt+Tab …)."""
    if key in BLOCKED_KEYS:
        return True
    mods = Qt.KeyboardModifier
    if modifiers & mods.ControlModifier and key in (
        Qt.Key.Key_Q,
        Qt.Key.Key_W,
        Qt.Key.Key_C,
        Qt.Key.Key_X,
        Qt.Key.Key_V,
    ):
        return True
    return bool(modifiers & (mods.AltModifier | mods.MetaModifier)) and key in (
        Qt.Key.Key_Tab,
        Qt.Key.Key_F4,
        Qt.Key.Key_Space,
    )


class ScreenStack(QStackedWidget):
    """The screens. The keyboard's height wins over a screen's wish: the screen shrinks (and scrolls)
    rather than pushing the keyboard off the bottom. A screen's height-for-width (wrapped labels)
    would otherwise count as the stack's minimum in the window's layout."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)

    def hasHeightForWidth(self) -> bool:
        return False


class KioskWindow(QWidget):
    def __init__(self, windowed: bool = False):
        super().__init__()
        self.setObjectName("Shell")
        self.setWindowTitle("公共法律服务自助终端")
        self.allow_close = False
        if not windowed:
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # No minimum size pushed to the window system: the kiosk takes the screen it is given.
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        self.chrome = Chrome()
        layout.addWidget(self.chrome)
        self.stack = ScreenStack()
        layout.addWidget(self.stack, 1)
        self.keyboard = KeyboardHost()
        layout.addWidget(self.keyboard)
        self.idle_overlay = IdleOverlay(self)
        self.toast = Toast(self)

    def set_chrome_visible(self, visible: bool) -> None:
        self.chrome.setVisible(visible)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close:
            event.accept()
        else:
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()  # nothing reaches the window manager from here
