"""One resident's session: the idle countdown, and the wipe before the next resident.

The rules are :class:`kiosk.services.idle.IdleGuard` (plain Python); this is its Qt side: a clock
tick every half second, the countdown overlay, and what the wipe clears.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.services import Services
from kiosk.services.idle import Event, IdleGuard
from kiosk.ui.process_tuning import release_free_memory
from kiosk.ui.read_aloud import ReadAloud
from kiosk.ui.theme_switch import ThemeSwitch

if TYPE_CHECKING:
    from kiosk.ui.navigator import Navigator
    from kiosk.ui.shell import KioskWindow

TICK_MS = 500


class SessionGuard(QObject):
    """Feeds the idle guard touches (:meth:`activity`) and clock ticks (:meth:`tick`) and acts on what
    it says: show the countdown, hide it, wipe, or wake to the home screen for a new resident."""

    def __init__(
        self,
        qapp: QApplication,
        window: KioskWindow,
        nav: Navigator,
        idle: IdleGuard,
        clock: Callable[[], float],
        read_aloud: ReadAloud,
        themes: ThemeSwitch,
        services: Services,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.qapp = qapp
        self.window = window
        self.nav = nav
        self.idle = idle
        self.clock = clock
        self.read_aloud = read_aloud
        self.themes = themes
        self.services = services  # read at each wipe: settings change live
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        window.idle_overlay.still_here.connect(self.still_here)

    def set_idle_seconds(self, seconds: float) -> None:
        """A changed setting takes effect for the session under way."""
        self.idle.idle_seconds = seconds

    def activity(self) -> None:
        result = self.idle.activity(self.clock())
        if result is Event.RESUME:
            self.window.idle_overlay.hide()
        elif result is Event.WAKE or self.nav.current_route == "attract":
            QTimer.singleShot(0, self.window, self._wake)

    def _wake(self) -> None:
        """A new resident: home, and the window active again. The attract loop's video surface (a
        window of its own) or a keyboard torn down by the wipe can leave no window active, and then
        a tap on a text field gives it no focus: no keyboard, nothing can be typed."""
        self.nav.reset("home")
        if not self.window.isActiveWindow():
            self.window.activateWindow()

    def still_here(self) -> None:
        self.idle.still_here(self.clock())
        self.window.idle_overlay.hide()

    def tick(self) -> None:
        now = self.clock()
        result = self.idle.tick(now)
        if result is Event.WARN:
            self.window.idle_overlay.show_countdown(self.idle.remaining(now))
        elif result is Event.WIPE:
            self.wipe()
        elif self.window.idle_overlay.isVisible():
            self.window.idle_overlay.set_remaining(self.idle.remaining(now))

    def wipe(self) -> None:
        """End the session: every input, selection, panel, clipboard and keyboard state goes."""
        self.read_aloud.stop()
        self.window.idle_overlay.hide()
        self.window.toast.hide()
        focus = self.qapp.focusWidget()
        if focus is not None:
            focus.clearFocus()
        self.window.keyboard.wipe()
        clipboard = QGuiApplication.clipboard()
        clipboard.clear(QClipboard.Mode.Clipboard)
        if clipboard.supportsSelection():
            clipboard.clear(QClipboard.Mode.Selection)
        self.themes.set_elder(bool(self.services.config.elder_mode_default))
        self.nav.reset("attract")
        self.services.resident.flush()  # the last resident's usage counts
        release_free_memory()
