"""The home screen: the same layout for every resident, everything on one screen without scrolling."""

from __future__ import annotations

from typing import Any

import pytest
from uihelpers import make_app, settle


def _layout(home: Any) -> tuple[list[int], int]:
    return [t.height() for t in home.tiles], home.page.verticalScrollBar().maximum()


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_the_next_resident_sees_the_home_screen_the_first_one_saw(
    qtbot: Any, services: Any, clock: Any, orientation: str, elder: bool
) -> None:
    """After the idle wipe and the attract loop, the home screen must look as it did at start: the
    tiles were laid out afresh for the second resident, taller, and pushed the topics off the screen."""
    services.config.set("elder_mode_default", elder)
    kiosk = make_app(services, clock, orientation)
    try:
        qtbot.waitExposed(kiosk.window)
        settle(qtbot, kiosk)
        home = kiosk.nav.current_screen()
        first = _layout(home)
        assert first[1] == 0, "the first resident must see all of the home screen without scrolling"
        assert all(h >= 2 * kiosk.theme.sizes.touch for h in first[0])
        kiosk.wipe()
        kiosk.nav.reset("attract")
        settle(qtbot, kiosk)
        kiosk.nav.reset("home")
        settle(qtbot, kiosk)
        assert kiosk.nav.current_screen() is home
        assert _layout(home) == first
        chips = [c for c in home.topics_host.children() if hasattr(c, "text")]
        bottom = home.page.viewport().height()
        assert all(c.mapTo(home.page.viewport(), c.rect().bottomLeft()).y() <= bottom for c in chips)
    finally:
        kiosk.close()
