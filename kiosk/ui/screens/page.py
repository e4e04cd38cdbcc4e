"""A screen that is one flickable page of cards and buttons, rebuilt for each step of a flow."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.navigator import Navigator, Screen
from kiosk.ui.widgets.common import ScrollPage, button, card, label

HOTLINE_URL = "tel:12348"
ASK_LAWYER = "请律师联系我"


def ask_lawyer(nav: Navigator, topic: str | Callable[[], str], name: str, role: str | None = None) -> QPushButton:
    """「请律师联系我」: a call-back request that carries what the resident was reading (a law article,
    a guide, a case, a legal-aid result), so they do not have to type it."""
    return button(
        ASK_LAWYER,
        lambda: nav.go("request", kind="callback", topic=topic() if callable(topic) else topic),
        role,
        name,
    )


class PageScreen(Screen):
    """A screen whose page is rebuilt for every step.

    Clearing the page deletes every widget on it, so a screen never keeps a widget across pages:
    the attributes named in ``PAGE_PARTS`` point at widgets of the page on screen and are set back
    to ``None`` by :meth:`new_page` before the old page goes (a reference kept past that would raise
    "Internal C++ object already deleted" on the next resident's tap).
    """

    PAGE_PARTS: tuple[str, ...] = ()

    def __init__(self, nav: Navigator):
        super().__init__(nav)
        self.page = ScrollPage()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.page)
        self.spoken = ""
        self.offered: list[str] = []  # the named buttons of the page on screen (see required_actions)

    def read_aloud_text(self) -> str:
        return self.spoken

    def new_page(self) -> None:
        """Drop the references into the current page, then clear it for the next step."""
        self.forget_parts()
        self.offered = []
        self.page.clear()

    def required_actions(self) -> tuple[str, ...]:
        return tuple(self.offered)

    def forget_parts(self) -> None:
        for name in self.PAGE_PARTS:
            setattr(self, name, None)

    def notice(self, text: str, name: str | None = None) -> QWidget:
        box = card()
        box.setProperty("role", "notice")
        if name:
            box.setObjectName(name)
        box.layout().addWidget(label(text, "body"))  # type: ignore[union-attr]
        return self.page.add(box)

    def button_row(self, *buttons: QPushButton) -> QWidget:
        host = QWidget()
        row = QHBoxLayout(host)
        row.setContentsMargins(0, 8, 0, 0)
        row.setSpacing(16)
        for b in buttons:
            row.addWidget(b)
            if b.objectName():
                self.offered.append(b.objectName())
        row.addStretch(1)
        return self.page.add(host)
