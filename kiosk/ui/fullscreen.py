"""Covering the whole screen, with or without a window manager; the demo's own way out.

``showFullScreen()`` only asks a window manager for full screen; on a bare X server (a kiosk without
a desktop) nobody answers and the window stays at its first size in a corner. So the window is also
given the screen's geometry, and follows it when the screen changes (rotation, a new monitor mode).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QWidget

from kiosk.services.admin import PinGuard

#: The admin PIN of ``kiosk run --demo`` when none is set (README, demo section).
DEMO_PIN = "246810"
#: The key that ends ``kiosk run --demo`` (never a real kiosk): Ctrl+Shift+Q.
DEMO_EXIT_KEY = Qt.Key.Key_Q
DEMO_EXIT_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def cover_screen(window: QWidget) -> None:
    """Full screen on whatever screen the window is on, a window manager or not."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.showFullScreen()
        return
    window.setGeometry(screen.geometry())
    window.showFullScreen()
    window.setGeometry(screen.geometry())  # again: some platforms reset it when the state changes
    if not window.property("coversScreen"):
        window.setProperty("coversScreen", True)

        def follow(_screen: QScreen | None = None) -> None:
            current = window.screen() or QGuiApplication.primaryScreen()
            if current is not None and window.isVisible():
                window.setGeometry(current.geometry())

        screen.geometryChanged.connect(follow)
        handle = window.windowHandle()
        if handle is not None:
            handle.screenChanged.connect(follow)


def is_demo_exit(event: QKeyEvent) -> bool:
    mods = event.modifiers() & (
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier
    )
    return event.key() == DEMO_EXIT_KEY and mods == DEMO_EXIT_MODIFIERS


def ensure_demo_pin(guard: PinGuard) -> bool:
    """Give a demo terminal the known demo PIN unless one is set already; True when it was set now."""
    if guard.has_pin():
        return False
    guard.set_pin(DEMO_PIN)
    return True
