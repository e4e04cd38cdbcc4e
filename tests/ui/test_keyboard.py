"""The on-screen keyboard typed as a resident would: tapping its keys and candidates (issue 12)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt


def keyboard_ready(qtbot: Any, kiosk: Any) -> Any:
    host = kiosk.window.keyboard
    qtbot.waitUntil(lambda: host.isVisible() and bool(host.key_items()), timeout=5000)
    return host


def tap_keys(qtbot: Any, kiosk: Any, keys: str) -> None:
    host = keyboard_ready(qtbot, kiosk)
    for key in keys:
        qtbot.mouseClick(host.view, Qt.MouseButton.LeftButton, pos=host.key_position(key))
        qtbot.wait(15)


def tap_item(qtbot: Any, kiosk: Any, item: Any) -> None:
    host = kiosk.window.keyboard
    qtbot.mouseClick(host.view, Qt.MouseButton.LeftButton, pos=host.item_position(item))
    qtbot.wait(15)


def shown_on_screen(kiosk: Any, item: Any) -> bool:
    """The item's centre lies inside the keyboard's visible area of the window (not clipped off)."""
    host = kiosk.window.keyboard
    centre = host.item_position(item)
    in_window = host.view.mapTo(kiosk.window, centre)
    return host.view.rect().contains(centre) and kiosk.window.rect().contains(in_window)


def open_search(qtbot: Any, kiosk: Any) -> Any:
    from uihelpers import tap

    home = kiosk.nav.current_screen()
    tap(qtbot, home.search_box)
    screen = kiosk.nav.current_screen()
    qtbot.waitUntil(lambda: screen.edit.hasFocus(), timeout=3000)
    return screen


def candidates_after_gongzi_enter_gongzi(qtbot: Any, kiosk: Any) -> None:
    screen = open_search(qtbot, kiosk)
    tap_keys(qtbot, kiosk, "gongzi")
    host = kiosk.window.keyboard
    qtbot.waitUntil(lambda: "工资" in host.candidate_items(), timeout=3000)
    item = host.candidate_items()["工资"]
    assert shown_on_screen(kiosk, item)
    assert item.height() >= 64
    tap_item(qtbot, kiosk, item)
    qtbot.waitUntil(lambda: screen.edit.text() == "工资", timeout=3000)
    assert host.candidates() == []  # nothing left pending


def test_first_keyboard_of_a_session_shows_candidates(qtbot: Any, kiosk: Any) -> None:
    candidates_after_gongzi_enter_gongzi(qtbot, kiosk)


def test_keyboard_after_an_idle_wipe_shows_candidates(qtbot: Any, kiosk: Any) -> None:
    open_search(qtbot, kiosk)
    tap_keys(qtbot, kiosk, "lv")
    kiosk.wipe()
    assert kiosk.window.keyboard.view is None
    tap_item_home = kiosk.nav.current_route
    assert tap_item_home == "attract"
    kiosk.activity()  # a resident touches the attract screen
    qtbot.waitUntil(lambda: kiosk.nav.current_route == "home", timeout=3000)
    candidates_after_gongzi_enter_gongzi(qtbot, kiosk)


def test_hide_key_hides_the_keyboard_and_a_tap_on_the_field_brings_it_back(qtbot: Any, kiosk: Any) -> None:
    screen = open_search(qtbot, kiosk)
    host = keyboard_ready(qtbot, kiosk)
    stack_before = kiosk.window.stack.height()
    tap_item(qtbot, kiosk, host.function_key("HideKeyboardKey"))
    qtbot.waitUntil(lambda: not host.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: kiosk.window.stack.height() > stack_before, timeout=3000)  # content took the room
    qtbot.mouseClick(screen.edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: host.isVisible(), timeout=3000)


def test_symbol_key_with_pinyin_pending_enters_the_first_candidate(qtbot: Any, kiosk: Any) -> None:
    screen = open_search(qtbot, kiosk)
    tap_keys(qtbot, kiosk, "minfadian")
    host = kiosk.window.keyboard
    qtbot.waitUntil(lambda: bool(host.candidates()), timeout=3000)
    first = host.candidates()[0]
    tap_item(qtbot, kiosk, host.function_key("SymbolModeKey"))
    qtbot.waitUntil(lambda: screen.edit.text() == first, timeout=3000)
    assert not any(c.isascii() and c.isalpha() for c in screen.edit.text())
    qtbot.waitUntil(lambda: "1" in host.key_items(), timeout=3000)
    tap_keys(qtbot, kiosk, "1")
    qtbot.waitUntil(lambda: screen.edit.text() == first + "1", timeout=3000)
