"""One navigator owns the stacked screens and switches them by route name, with a back stack.

Screens are created on first use and then kept (one instance per route), so thousands of
navigations do not grow memory; ``open(params)`` fills a screen for each visit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget

from kiosk.ui.back_stack import HOME, RouteStack
from kiosk.ui.theme import NORMAL, Theme

log = logging.getLogger(__name__)

#: ``busy`` reason while a video call's web view is on screen (see KioskApp._busy).
VIDEO_CALL = "video-call"


class Screen(QWidget):
    """Base of every screen. Subclasses receive the services they need in their constructor."""

    #: Shown in the navigation bar.
    title = ""

    def __init__(self, nav: Navigator):
        super().__init__()
        self.nav = nav
        self.theme: Theme = nav.theme
        self.setProperty("role", "page")

    def open(self, params: dict[str, Any]) -> None:
        """Show the screen for these parameters (also called again by 返回 with remembered state)."""

    def state(self) -> dict[str, Any]:
        """What ``back`` should restore (scroll position, selection, filters)."""
        return {}

    def leave(self) -> None:
        """The screen is being left: stop media, close panels."""

    def wipe(self) -> None:
        """Forget everything a resident typed or chose (idle privacy guard)."""

    def read_aloud_text(self) -> str:
        """The text the header's 朗读 button reads for this screen."""
        return ""

    def required_actions(self) -> tuple[str, ...]:
        """Object names of what the resident must be offered on this screen as it is now (buttons,
        lists, QR codes): the robot resident checks each is on screen and enabled after every step."""
        return ()

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme


def go_to(nav: Navigator, route: str, ident: int) -> Callable[[], object]:
    """A callback opening ``route`` for one item (typed, unlike a lambda in a loop)."""
    return lambda: nav.go(route, id=ident)


class Navigator(QObject):
    navigated = Signal(str)
    #: Screens report things for the resident (e.g. "本机未安装中文语音") through this.
    message = Signal(str)
    #: Screens ask to read text aloud through this (the app owns speech).
    speak_requested = Signal(str)
    #: Something the resident watches without touching (a video): (reason, busy) keeps idle away.
    busy = Signal(str, bool)

    def __init__(self, stack: QStackedWidget, theme: Theme = NORMAL):
        super().__init__()
        self.stack = stack
        self.theme = theme
        self.routes = RouteStack()
        self._factories: dict[str, Callable[[Navigator], Screen]] = {}
        self._screens: dict[str, Screen] = {}

    # --- registry ---------------------------------------------------------------------------------

    def register(self, route: str, factory: Callable[[Navigator], Screen]) -> None:
        self._factories[route] = factory

    @property
    def route_names(self) -> list[str]:
        return list(self._factories)

    def screen(self, route: str) -> Screen:
        if route not in self._screens:
            screen = self._factories[route](self)
            screen.setObjectName(f"screen-{route}")
            screen.apply_theme(self.theme)
            self._screens[route] = screen
            self.stack.addWidget(screen)
        return self._screens[route]

    def created(self) -> dict[str, Screen]:
        return dict(self._screens)

    # --- moving -----------------------------------------------------------------------------------

    @property
    def current_route(self) -> str:
        return self.routes.current.route

    def current_screen(self) -> Screen | None:
        return self._screens.get(self.current_route)

    def _leave_current(self) -> None:
        current = self.current_screen()
        if current is not None:
            try:
                self.routes.remember(current.state())
            finally:
                current.leave()
                focus = QApplication.focusWidget()
                if focus is not None and current.isAncestorOf(focus):
                    focus.clearFocus()  # hiding a focused screen would push focus on to the next field

    def _show(self, route: str, params: dict[str, Any]) -> Screen:
        screen = self.screen(route)
        screen.open(dict(params))
        self.stack.setCurrentWidget(screen)
        self.navigated.emit(route)
        return screen

    def go(self, route: str, **params: Any) -> Screen:
        if route not in self._factories:
            raise KeyError(f"unknown route {route!r}")
        self._leave_current()
        entry = self.routes.go(route, params)
        return self._show(entry.route, entry.params)

    def replace(self, route: str, **params: Any) -> Screen:
        self._leave_current()
        entry = self.routes.replace(route, params)
        return self._show(entry.route, entry.params)

    def back(self) -> Screen:
        self._leave_current()
        entry = self.routes.back()
        return self._show(entry.route, entry.params)

    def home(self) -> Screen:
        return self.go(HOME)

    def reset(self, route: str = HOME) -> Screen:
        """Wipe every screen and start again at ``route`` with an empty back stack."""
        current = self.current_screen()
        if current is not None:
            current.leave()
        for screen in self._screens.values():
            try:
                screen.wipe()
            except Exception:  # one faulty screen must not keep personal data on the others
                log.exception("wipe failed on %s", screen.objectName())
        self.routes.reset()
        if route != HOME:
            self.routes.go(route, {})
        return self._show(route, {})

    # --- theme ------------------------------------------------------------------------------------

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        for screen in self._screens.values():
            screen.apply_theme(theme)
