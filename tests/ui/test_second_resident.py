"""Every screen looks the same to the second resident as to the first (after the idle wipe)."""

from __future__ import annotations

from typing import Any

import pytest
from uihelpers import make_app, settle

from kiosk.ui.routes import RESIDENT_ROUTES

PARAMS: dict[str, dict[str, Any]] = {"request": {"kind": "callback"}, "rating": {"service": "legal_aid"}}
SKIP = {"reader", "institution", "person", "case", "guide", "publicity_item"}  # need an item: see their own tests


def _look(screen: Any) -> list[tuple[str, int, int, int, int]]:
    """What is on screen: each visible widget's class, name and place."""
    from PySide6.QtWidgets import QWidget

    out = []
    for w in screen.findChildren(QWidget):
        if w.isVisibleTo(screen) and w.width() > 0:
            top = w.mapTo(screen, w.rect().topLeft())
            out.append((f"{type(w).__name__}:{w.objectName()}", top.x(), top.y(), w.width(), w.height()))
    return sorted(out)


@pytest.mark.parametrize("first_toggles", [False, True], ids=["as_is", "first_resident_toggles_text_size"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_every_screen_is_laid_out_alike_for_the_next_resident(
    qtbot: Any, services: Any, clock: Any, orientation: str, elder: bool, first_toggles: bool
) -> None:
    """The first resident may switch 大字模式 and back; the idle wipe returns to the terminal's
    default, and the next resident must find every screen as the first one found it at start."""
    services.config.set("elder_mode_default", elder)
    kiosk = make_app(services, clock, orientation)
    try:
        qtbot.waitExposed(kiosk.window)
        routes = [r for r in RESIDENT_ROUTES if r not in SKIP and r != "home"]
        settle(qtbot, kiosk, 50)
        first = {"home": _look(kiosk.nav.current_screen())}  # as the terminal starts
        for route in routes:
            first[route] = _look(kiosk.nav.go(route, **PARAMS.get(route, {})))
            settle(qtbot, kiosk, 50)
            first[route] = _look(kiosk.nav.current_screen())
            kiosk.nav.reset("home")
        if first_toggles:
            kiosk.set_elder(not elder)
            for route in routes:
                kiosk.nav.go(route, **PARAMS.get(route, {}))
                settle(qtbot, kiosk, 20)
                kiosk.nav.reset("home")
        kiosk.wipe()
        kiosk.nav.reset("attract")
        settle(qtbot, kiosk)
        kiosk.nav.reset("home")  # the next resident touches the screen
        settle(qtbot, kiosk, 50)
        assert kiosk.elder == elder  # the terminal's own text size again
        again = {"home": _look(kiosk.nav.current_screen())}
        for route in routes:
            kiosk.nav.go(route, **PARAMS.get(route, {}))
            settle(qtbot, kiosk, 50)
            again[route] = _look(kiosk.nav.current_screen())
            kiosk.nav.reset("home")
        differ = [
            (route, sorted(set(again[route]) ^ set(first[route]))[:6])
            for route in first
            if again[route] != first[route]
        ]
        assert not differ, differ
    finally:
        kiosk.close()
