"""The demo's known admin PIN and its exit key, which a real kiosk does not have (issue 12)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt


def test_demo_has_a_known_pin_and_an_exit_key(qtbot: Any, services: Any, clock: Any) -> None:
    from kiosk.ui.app import KioskApp
    from kiosk.ui.fullscreen import DEMO_PIN

    assert not services.admin_pin.has_pin()
    kiosk = KioskApp(services, windowed=True, clock=clock, start_timers=False, demo=True)
    try:
        kiosk.window.show()
        qtbot.waitExposed(kiosk.window)
        assert services.admin_pin.verify(DEMO_PIN).ok
        with qtbot.waitSignal(kiosk.exit_requested, timeout=3000):
            qtbot.keyClick(
                kiosk.window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
            )
    finally:
        kiosk.close()


def test_exit_key_does_nothing_on_a_real_kiosk(qtbot: Any, services: Any, clock: Any) -> None:
    from kiosk.ui.app import KioskApp

    kiosk = KioskApp(services, windowed=True, clock=clock, start_timers=False)
    try:
        kiosk.window.show()
        qtbot.waitExposed(kiosk.window)
        quits: list[bool] = []
        kiosk.exit_requested.connect(lambda: quits.append(True))
        qtbot.keyClick(
            kiosk.window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
        qtbot.wait(50)
        assert quits == [] and kiosk.window.isVisible()
        assert not services.admin_pin.has_pin()  # no demo PIN on a real terminal
    finally:
        kiosk.close()
