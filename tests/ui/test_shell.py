"""The shell: full screen without a way out, the header, and tapping through every screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel
from uihelpers import settle, tap, visible_texts

from kiosk.ui.routes import RESIDENT_ROUTES
from kiosk.ui.screens.home import TILES


def test_window_has_no_frame_and_refuses_to_close(qtbot: Any, services: Any, clock: Any) -> None:
    from kiosk.ui.app import KioskApp

    app = KioskApp(services, windowed=False, clock=clock, start_timers=False)
    try:
        assert app.window.windowFlags() & Qt.WindowType.FramelessWindowHint
        event = QCloseEvent()
        app.window.closeEvent(event)
        assert not event.isAccepted()
    finally:
        app.close()


def test_escape_shortcuts_are_swallowed(qtbot: Any, kiosk: Any) -> None:
    for key, mods in (
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    ):
        qtbot.keyClick(kiosk.window, key, mods)
    assert kiosk.window.isVisible()
    assert kiosk.nav.current_route == "home"


def test_header_shows_hotline_network_and_content_date(kiosk: Any) -> None:
    chrome = kiosk.chrome
    assert "12348" in chrome.hotline.text()
    assert chrome.network.text() in ("网络已连接", "网络未连接")
    assert chrome.content_date.text() == "内容更新至 2025年4月19日"
    for b in (chrome.back_button, chrome.home_button, chrome.read_button, chrome.elder_button):
        assert b.isVisible()


def test_home_shows_every_tile_hot_topics_and_search(qtbot: Any, kiosk: Any) -> None:
    home = kiosk.nav.current_screen()
    texts = visible_texts(home)
    for _route, title, _sub in TILES:
        assert title in texts
    assert "欠薪" in texts and "大家都在问" in texts
    tap(qtbot, home.search_box)
    assert kiosk.nav.current_route == "search"


def test_tap_through_every_screen(qtbot: Any, kiosk: Any) -> None:
    """Every tile opens its screen; 返回 and 首页 bring the resident back; nothing is too small."""
    home = kiosk.nav.current_screen()
    for tile in home.tiles:
        tap(qtbot, tile)
        settle(qtbot, kiosk)
        screen = kiosk.nav.current_screen()
        assert kiosk.nav.current_route == tile.route
        assert kiosk.chrome.title.text() == screen.title
        _check_touch_targets(screen)
        assert not kiosk.window.keyboard.isVisible()  # the keyboard only comes when a field is tapped
        tap(qtbot, kiosk.chrome.back_button)
        assert not kiosk.window.keyboard.isVisible()
        assert kiosk.nav.current_route == "home"
    assert set(kiosk.nav.created()) >= {t.route for t in home.tiles}
    assert set(RESIDENT_ROUTES) >= {t.route for t in home.tiles}


def _check_touch_targets(screen: Any) -> None:
    for b in screen.findChildren(QAbstractButton):
        if b.isVisibleTo(screen):
            assert b.width() >= 60 and b.height() >= 60, f"{b.text()!r} is {b.width()}×{b.height()}"
    for area in screen.findChildren(QAbstractScrollArea):
        if area.isVisibleTo(screen):
            assert area.property("kinetic"), f"{area.objectName()} does not flick"


def test_home_button_and_back_stack(qtbot: Any, kiosk: Any) -> None:
    kiosk.nav.go("laws")
    kiosk.nav.go("directory")
    assert kiosk.chrome.back_button.isEnabled()
    tap(qtbot, kiosk.chrome.back_button)
    assert kiosk.nav.current_route == "laws"
    tap(qtbot, kiosk.chrome.home_button)
    assert kiosk.nav.current_route == "home"
    assert not kiosk.chrome.back_button.isEnabled()


def test_labels_are_chinese_and_visible(kiosk: Any) -> None:
    labels = [w for w in kiosk.window.findChildren(QLabel) if w.isVisible() and w.text()]
    assert any("公共法律服务" in w.text() for w in labels)
    assert QEvent.Type.MouseButtonPress  # the app filter is installed for every press


def test_pyside_reference_leaks_cannot_exhaust_none_true_or_false(qapp: Any) -> None:
    """PySide6 6.12.0 drops references to None and bools; see immortalize_singletons."""
    import sys

    from PySide6.QtCore import QObject, Signal

    from kiosk.ui.process_tuning import NONE_RESERVE, immortalize_singletons

    class Flag(QObject):
        changed = Signal(bool)

    immortalize_singletons()
    orphan, flag = QObject(), Flag()
    flag.changed.connect(lambda _on: None)
    for _ in range(20_000):
        orphan.parent()
        flag.changed.emit(True)
        flag.changed.emit(False)
    if sys.version_info < (3, 12):
        assert min(sys.getrefcount(o) for o in (None, True, False)) > NONE_RESERVE // 4


def test_network_state_in_the_header(qtbot: Any, services: Any, clock: Any) -> None:
    import socket

    from uihelpers import make_app

    from kiosk.services.network import NetworkProbe

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        services.network = NetworkProbe(f"http://127.0.0.1:{server.getsockname()[1]}")
        kiosk = make_app(services, clock)
        try:
            kiosk.check_network()
            qtbot.waitUntil(lambda: kiosk.chrome.network.text() == "网络已连接", timeout=3000)
            services.network.hub_url = "http://127.0.0.1:1"
            kiosk.check_network()
            qtbot.waitUntil(lambda: kiosk.chrome.network.text() == "网络未连接", timeout=3000)
        finally:
            kiosk.close()
    finally:
        server.close()


def test_read_aloud_without_a_voice_says_so(qtbot: Any, services: Any, clock: Any) -> None:
    from uihelpers import make_app

    from kiosk.services.speech import NO_VOICE, SpeechService

    services.speech = SpeechService(voice="no/such-voice", player=None)
    kiosk = make_app(services, clock)
    try:
        tap(qtbot, kiosk.chrome.read_button)
        qtbot.waitUntil(lambda: kiosk.window.toast.isVisible(), timeout=5000)
        assert kiosk.window.toast.text() == NO_VOICE
        assert kiosk.chrome.read_button.text() == "朗读" and not kiosk.speaking
    finally:
        kiosk.close()


def test_back_and_home_look_unavailable_where_they_do_nothing(qtbot: Any, kiosk: Any) -> None:
    """On the home screen 返回 and 首页 do nothing; they looked exactly like the working buttons (the
    nav buttons' style hid the disabled state), so a resident tapped them and nothing happened."""
    chrome = kiosk.chrome
    assert not chrome.back_button.isEnabled() and not chrome.home_button.isEnabled()
    idle = (chrome.back_button.grab().toImage(), chrome.home_button.grab().toImage())
    tap(qtbot, kiosk.nav.current_screen().tiles[0])
    settle(qtbot, kiosk)
    assert chrome.back_button.isEnabled() and chrome.home_button.isEnabled()
    working = (chrome.back_button.grab().toImage(), chrome.home_button.grab().toImage())
    assert idle[0] != working[0] and idle[1] != working[1]
