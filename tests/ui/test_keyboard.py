"""The on-screen keyboard typed as a resident would: tapping its keys and candidates (issue 12)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QPushButton
from uihelpers import make_app


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


def glyph_px(item: Any, text: str) -> float:
    """Pixel size of the drawn label ``text`` somewhere inside ``item``."""
    stack = [item]
    while stack:
        node = stack.pop()
        font = node.property("font")
        if node.property("text") == text and font is not None and "Text" in node.metaObject().className():
            return float(font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * 96 / 72)
        stack.extend(node.childItems())
    raise AssertionError(f"no label {text!r} drawn")


def check_sizes(qtbot: Any, kiosk: Any, touch: int, points: float) -> None:
    open_search(qtbot, kiosk)
    tap_keys(qtbot, kiosk, "hanchuan")
    host = kiosk.window.keyboard
    qtbot.waitUntil(lambda: len(host.candidates()) > 8, timeout=3000)
    minimum_px = points * 96 / 72 - 0.5
    for label in ("q", "a", "m"):
        key = host.key_items()[label]
        assert key.height() >= touch and key.width() >= touch, f"key {label}: {key.width()}×{key.height()}"
        assert glyph_px(key, label) >= minimum_px
    for text, cell in host.candidate_items().items():
        assert cell.height() >= touch and cell.width() >= touch
        assert glyph_px(cell, text) >= minimum_px
        break
    # 更多: every candidate on a large page over the keys, a tap enters one
    tap_item(qtbot, kiosk, host.bar_items()["更多"])
    page = host.view.rootObject().findChild(QObject, "morePage")
    qtbot.waitUntil(lambda: page.isVisible(), timeout=3000)
    bottom = page.mapToScene(page.boundingRect().bottomLeft()).y()
    shown = [c for c in host.candidate_items().values() if page.isAncestorOf(c) and host.item_position(c).y() < bottom]
    assert len(shown) > 8
    last = max(shown, key=lambda c: (host.item_position(c).y(), host.item_position(c).x()))
    assert last.height() >= touch
    text = last.property("text")
    tap_item(qtbot, kiosk, last)
    # Pinyin composes: the chosen character heads the composition until the rest is chosen too.
    root = host.view.rootObject()
    qtbot.waitUntil(
        lambda: (kiosk.nav.current_screen().edit.text() + root.property("preedit")).startswith(text), timeout=3000
    )
    assert not page.isVisible()


def test_keys_and_candidates_are_large_enough(qtbot: Any, kiosk: Any) -> None:
    check_sizes(qtbot, kiosk, 64, 18)


def test_keys_and_candidates_grow_in_elder_mode_landscape(qtbot: Any, services: Any, clock: Any) -> None:
    services.config.set("elder_mode_default", True)
    kiosk = make_app(services, clock, "landscape")
    try:
        check_sizes(qtbot, kiosk, 80, 22)
        host = kiosk.window.keyboard
        assert host.geometry().bottom() <= kiosk.window.height()
        screen = kiosk.nav.current_screen()
        assert kiosk.window.stack.height() >= 300  # results keep room above the keyboard
        assert screen.edit.mapTo(kiosk.window, screen.edit.rect().bottomLeft()).y() < host.geometry().top()
    finally:
        kiosk.close()


def test_domain_words_lead_the_bar_and_enter_whole(qtbot: Any, kiosk: Any) -> None:
    from uihelpers import settle

    kiosk.refresh_domain_words()  # as the running kiosk does a few seconds after start
    settle(qtbot, kiosk)
    screen = open_search(qtbot, kiosk)
    tap_keys(qtbot, kiosk, "hanchuan")
    host = kiosk.window.keyboard
    qtbot.waitUntil(lambda: bool(host.candidates()), timeout=3000)
    assert host.candidates()[0] == "汉川"
    tap_item(qtbot, kiosk, host.candidate_items()["汉川"])
    qtbot.waitUntil(lambda: screen.edit.text() == "汉川", timeout=3000)
    assert host.candidates() == []  # the typed letters went with it
    tap_keys(qtbot, kiosk, "fa")
    qtbot.waitUntil(lambda: "法" in host.candidate_items(), timeout=3000)
    tap_item(qtbot, kiosk, host.candidate_items()["法"])
    qtbot.waitUntil(lambda: screen.edit.text() == "汉川法", timeout=3000)


def test_a_name_field_offers_surnames_not_law_words(qtbot: Any, kiosk: Any) -> None:
    """In the search box "wang" may mean 网暴 or 网络; in the call-back form's name field it is 王."""
    from PySide6.QtWidgets import QLineEdit, QPushButton
    from uihelpers import settle, tap

    kiosk.refresh_domain_words()  # as the running kiosk does a few seconds after start
    settle(qtbot, kiosk)
    host = kiosk.window.keyboard
    screen = open_search(qtbot, kiosk)
    tap_keys(qtbot, kiosk, "wang")
    qtbot.waitUntil(lambda: bool(host.candidates()), timeout=3000)
    assert host.candidates()[0] != "王"  # the law words lead in the search box (网暴 …)
    screen.edit.clear()
    kiosk.nav.go("request", kind="callback")
    settle(qtbot, kiosk)
    form = kiosk.nav.current_screen()
    tap(qtbot, form.findChild(QPushButton, "consent-yes"))
    settle(qtbot, kiosk)
    name = form.findChild(QLineEdit, "field-name")
    tap(qtbot, name)
    qtbot.waitUntil(lambda: name.hasFocus(), timeout=3000)
    tap_keys(qtbot, kiosk, "wang")
    qtbot.waitUntil(lambda: bool(host.candidates()), timeout=3000)
    assert host.candidates()[:2] == ["王", "汪"], host.candidates()[:6]
    tap_item(qtbot, kiosk, host.candidate_items()["王"])
    qtbot.waitUntil(lambda: name.text() == "王", timeout=3000)


def test_with_the_keyboard_up_in_elder_landscape_the_chips_shown_are_whole(qtbot: Any, kiosk: Any) -> None:
    """大字模式, landscape, keyboard up: three rows of suggestions do not fit above the keyboard. The
    rows that fit are shown whole (the rest wait for the keyboard to go down), never cut in half."""
    from PySide6.QtCore import QPoint

    from kiosk.services.search import Suggestion

    kiosk.resize_for("landscape")
    kiosk.set_elder(True)
    # More suggestions than fit (the engine's own for 离婚 are mostly the articles listed below,
    # which the screen leaves out): what matters here is how the rows are cut.
    words = [
        f"民法典·婚姻家庭编第一千零{n}条" for n in ("七十六", "七十七", "七十八", "七十九", "八十", "八十一", "八十七")
    ]
    kiosk.services.search.suggest = lambda prefix, limit=8: [Suggestion(w) for w in words]
    screen = open_search(qtbot, kiosk)
    tap_keys(qtbot, kiosk, "lihun")
    host = kiosk.window.keyboard
    qtbot.waitUntil(lambda: "离婚" in host.candidate_items(), timeout=3000)
    tap_item(qtbot, kiosk, host.candidate_items()["离婚"])
    qtbot.waitUntil(lambda: len(screen.hints.labels()) >= 4, timeout=10_000)
    qtbot.wait(50)
    assert host.isVisible()
    hints = screen.hints
    shown = [c for c in hints.findChildren(QPushButton) if c.isVisible()]
    assert shown and len(shown) < len(words)  # some rows wait for the keyboard to go down
    for chip in shown:
        bottom = chip.mapTo(hints, QPoint(0, chip.height())).y()
        assert bottom <= hints.height(), (chip.text(), bottom, hints.height())  # not cut at the bottom
    results_top = screen.results.mapTo(screen, QPoint(0, 0)).y()
    assert hints.mapTo(screen, QPoint(0, hints.height())).y() <= results_top
