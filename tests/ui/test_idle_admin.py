"""The idle privacy guard and the hidden admin entry with its PIN lockout."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from test_search import open_search, type_on_keyboard
from uihelpers import make_app, settle, tap

from kiosk.services.admin import PinGuard


def test_idle_countdown_then_still_here_keeps_everything(qtbot: Any, kiosk: Any, clock: Any) -> None:
    screen = open_search(qtbot, kiosk)
    type_on_keyboard(qtbot, kiosk, "lihun ")
    clock.advance(59)
    kiosk.tick()
    assert not kiosk.window.idle_overlay.isVisible()  # nothing changes before the idle time
    clock.advance(1)
    kiosk.tick()
    overlay = kiosk.window.idle_overlay
    assert overlay.isVisible() and overlay.number.text() == "15"
    clock.advance(5)
    kiosk.tick()
    assert overlay.number.text() == "10" and "10 秒后" in overlay.explain.text()
    tap(qtbot, overlay.button)
    assert not overlay.isVisible()
    assert screen.edit.text() == "离婚" and kiosk.nav.current_route == "search"


def test_idle_guard_wipes_typed_text_clipboard_keyboard_and_starts_attract(qtbot: Any, kiosk: Any, clock: Any) -> None:
    screen = open_search(qtbot, kiosk)
    type_on_keyboard(qtbot, kiosk, "qianxin ")
    assert screen.edit.text()
    QGuiApplication.clipboard().setText("13807120000")
    tap(qtbot, kiosk.chrome.elder_button)
    assert kiosk.elder
    clock.advance(60)
    kiosk.tick()
    assert kiosk.window.idle_overlay.isVisible()
    clock.advance(15)
    kiosk.tick()
    assert kiosk.nav.current_route == "attract" and not kiosk.window.idle_overlay.isVisible()
    assert screen.edit.text() == "" and screen.results.items() == []
    assert QGuiApplication.clipboard().text() == ""
    assert kiosk.window.keyboard.view is None and not kiosk.window.keyboard.isVisible()
    assert not kiosk.elder  # back to the configured default for the next resident
    # 返回 cannot bring the last resident's screens back
    assert [e.route for e in kiosk.nav.routes.entries] == ["home", "attract"]
    tap(qtbot, kiosk.nav.current_screen())
    qtbot.waitUntil(lambda: kiosk.nav.current_route == "home", timeout=2000)
    tap(qtbot, kiosk.nav.current_screen().search_box)
    assert kiosk.nav.current_screen().edit.text() == ""


def test_reading_aloud_keeps_the_idle_guard_away(kiosk: Any, clock: Any) -> None:
    kiosk.idle.hold("video")
    clock.advance(600)
    kiosk.tick()
    assert not kiosk.window.idle_overlay.isVisible()
    kiosk.idle.release("video")
    clock.advance(60)
    kiosk.tick()
    assert kiosk.window.idle_overlay.isVisible()


def corner_taps(qtbot: Any, kiosk: Any, clock: Any, count: int = 5, gap: float = 0.4) -> None:
    window = kiosk.window
    target = window.childAt(QPoint(window.width() - 20, 20))
    for _ in range(count):
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(window, QPoint(window.width() - 20, 20)))
        clock.advance(gap)
    qtbot.wait(20)


def enter_pin(qtbot: Any, screen: Any, kiosk: Any, pin: str) -> None:
    for d in pin:
        tap(qtbot, screen.findChild(object, f"key-{d}"))
    tap(qtbot, screen.findChild(object, "key-enter"))
    settle(qtbot, kiosk)


def test_five_corner_taps_open_the_pin_pad_but_slow_taps_do_not(qtbot: Any, kiosk: Any, clock: Any) -> None:
    corner_taps(qtbot, kiosk, clock, gap=1.0)  # five taps over four seconds: too slow
    assert kiosk.nav.current_route == "home"
    clock.advance(5)
    corner_taps(qtbot, kiosk, clock, count=4)
    assert kiosk.nav.current_route == "home"
    corner_taps(qtbot, kiosk, clock, count=1)
    assert kiosk.nav.current_route == "admin_pin"


def test_wrong_pin_five_times_locks_across_restarts(qtbot: Any, services: Any, clock: Any) -> None:
    services.admin_pin.set_pin("246810")
    kiosk = make_app(services, clock)
    try:
        corner_taps(qtbot, kiosk, clock)
        screen = kiosk.nav.current_screen()
        for attempt in range(1, 5):
            enter_pin(qtbot, screen, kiosk, "1111")
            assert screen.message.text() == f"密码错误，还可尝试 {5 - attempt} 次"
        enter_pin(qtbot, screen, kiosk, "1111")
        assert "锁定" in screen.message.text() and not screen.pad.isEnabled()
    finally:
        kiosk.close()
    # A restart (new guard, new window) keeps the lockout; even the right PIN is refused.
    restarted = PinGuard(services.admin_pin.pin_file.parent)
    assert 0 < restarted.locked_seconds() <= 300  # still locked, for at most the five minutes
    assert not restarted.verify("246810").ok
    services.admin_pin = restarted
    kiosk = make_app(services, clock)
    try:
        screen = kiosk.nav.go("admin_pin")
        assert not screen.pad.isEnabled() and "锁定" in screen.message.text()
    finally:
        kiosk.close()
    assert "246810" not in restarted.pin_file.read_text() and restarted.pin_file.read_text().startswith("$argon2")


def test_right_pin_opens_admin_screen_and_exit_closes(qtbot: Any, services: Any, clock: Any) -> None:
    services.admin_pin.set_pin("246810")
    kiosk = make_app(services, clock)
    try:
        screen = kiosk.nav.go("admin_pin")
        enter_pin(qtbot, screen, kiosk, "246810")
        assert kiosk.nav.current_route == "admin"
        admin = kiosk.nav.current_screen()
        texts = [w.text() for w in admin.findChildren(type(admin.findChild(object, "admin-exit")))]
        assert "退出到系统" in texts
        with qtbot.waitSignal(kiosk.exit_requested, timeout=1000):
            tap(qtbot, admin.findChild(object, "admin-exit"))
            tap(qtbot, admin.findChild(object, "admin-confirm"))
        assert not kiosk.window.isVisible()
    finally:
        kiosk.close()
