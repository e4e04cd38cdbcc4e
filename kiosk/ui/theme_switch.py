"""Standard or elder mode (大字/长辈模式) for the whole app, switched live from the header."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from kiosk.ui.theme import Theme, stylesheet, theme_for

if TYPE_CHECKING:
    from kiosk.ui.header import Chrome
    from kiosk.ui.navigator import Navigator
    from kiosk.ui.widgets.keyboard import KeyboardHost


class ThemeSwitch:
    """Holds the theme in effect and applies a change everywhere it shows.

    The application's stylesheet is set at construction, before any widget exists (the window is
    built under it); :meth:`attach` names what a later switch restyles: every built screen, the
    on-screen keyboard and the header's 大字 button.
    """

    def __init__(self, qapp: QApplication, elder: bool) -> None:
        self.qapp = qapp
        self.elder = elder
        self.theme: Theme = theme_for(elder)
        self.qapp.setStyleSheet(stylesheet(self.theme))
        self._parts: tuple[Navigator, KeyboardHost, Chrome] | None = None

    def attach(self, nav: Navigator, keyboard: KeyboardHost, chrome: Chrome) -> None:
        self._parts = (nav, keyboard, chrome)

    def set_elder(self, elder: bool) -> None:
        if elder == self.elder and self.theme is theme_for(elder):
            return
        self.elder = elder
        self.theme = theme_for(elder)
        self.qapp.setStyleSheet(stylesheet(self.theme))
        if self._parts is not None:
            nav, keyboard, chrome = self._parts
            nav.apply_theme(self.theme)
            keyboard.apply_theme(self.theme)
            chrome.set_elder(elder)
