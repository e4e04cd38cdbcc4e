"""手写: switch from the keyboard, write characters with a finger, they reach the field (issue 12)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton
from test_keyboard import keyboard_ready, open_search, tap_item, tap_keys
from uihelpers import make_app, settle, tap

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "handwriting" / "hanzi_writer_medians.json"
STROKES: dict[str, list[Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))


def _mouse(widget: Any, kind: QEvent.Type, pos: Any) -> None:
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton
    event = QMouseEvent(
        kind,
        QPointF(pos),
        QPointF(widget.mapToGlobal(pos)),
        Qt.MouseButton.LeftButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def write(qtbot: Any, pad: Any, character: str) -> None:
    """Draw the character's strokes on the pad as a finger would: press, move, release."""
    area = pad.area
    for stroke in STROKES[character]:
        points = [pad.area_point(x, y) for x, y in stroke]
        _mouse(area, QEvent.Type.MouseButtonPress, points[0])
        for a, b in itertools.pairwise(points):
            for step in range(1, 5):  # a finger sends many small moves
                _mouse(area, QEvent.Type.MouseMove, a + (b - a) * step / 4)
        _mouse(area, QEvent.Type.MouseButtonRelease, points[-1])
    qtbot.wait(5)


def switch_to_handwriting(qtbot: Any, kiosk: Any) -> Any:
    host = keyboard_ready(qtbot, kiosk)
    tap_item(qtbot, kiosk, host.bar_items()["手写"])
    qtbot.waitUntil(lambda: host.pad is not None and host.pad.isVisible(), timeout=3000)
    assert not host.view.isVisible()
    return host.pad


def test_handwriting_enters_several_characters_in_a_row(qtbot: Any, kiosk: Any) -> None:
    screen = open_search(qtbot, kiosk)
    pad = switch_to_handwriting(qtbot, kiosk)
    pad.auto_commit_ms = 50  # the pause that ends a character, shortened for the test
    for character in "工资":
        write(qtbot, pad, character)
        assert character in pad.candidates[:5]
        if pad.candidates[0] != character:
            tap(qtbot, next(b for b in pad.candidate_buttons if b.text() == character))
        qtbot.waitUntil(lambda: not pad.area.strokes, timeout=3000)  # the resident pauses: entered, pad clear
    qtbot.waitUntil(lambda: screen.edit.text() == "工资", timeout=3000)
    assert screen.edit.hasFocus()  # the field kept the focus all along
    host = kiosk.window.keyboard
    assert host.geometry().bottom() <= kiosk.window.height()
    for button in pad.candidate_buttons:
        assert button.height() >= 64 and button.font().pointSizeF() >= 18


def test_a_tap_on_another_candidate_corrects_the_character_just_entered(qtbot: Any, kiosk: Any) -> None:
    screen = open_search(qtbot, kiosk)
    pad = switch_to_handwriting(qtbot, kiosk)
    write(qtbot, pad, "工")
    pad.commit_pending()  # the hand rested
    assert screen.edit.text() == pad.candidates[0] == "工"
    other = pad.candidate_buttons[1]
    replacement = other.text()
    tap(qtbot, other)
    assert screen.edit.text() == replacement  # replaced, not added


def test_undo_clear_and_delete(qtbot: Any, kiosk: Any) -> None:
    screen = kiosk.nav.go("search", text="离婚")
    tap(qtbot, screen.edit)
    screen.edit.end(False)
    pad = switch_to_handwriting(qtbot, kiosk)
    write(qtbot, pad, "资")
    strokes = len(pad.area.strokes)
    tap(qtbot, pad.undo_button)
    assert len(pad.area.strokes) == strokes - 1
    tap(qtbot, pad.clear_button)
    assert pad.area.strokes == [] and pad.candidates == []
    assert screen.edit.text() == "离婚"  # nothing entered by undo or clear
    tap(qtbot, pad.delete_button)
    assert screen.edit.text() == "离"


def test_fold_away_and_a_tap_on_the_field_brings_the_pad_back(qtbot: Any, kiosk: Any) -> None:
    screen = open_search(qtbot, kiosk)
    pad = switch_to_handwriting(qtbot, kiosk)
    host = kiosk.window.keyboard
    tap(qtbot, pad.hide_button)
    qtbot.waitUntil(lambda: not host.isVisible(), timeout=3000)
    tap(qtbot, screen.edit)
    qtbot.waitUntil(lambda: host.isVisible() and pad.isVisible(), timeout=3000)


def test_back_to_pinyin_and_a_wipe_forgets_handwriting(qtbot: Any, kiosk: Any) -> None:
    screen = open_search(qtbot, kiosk)
    pad = switch_to_handwriting(qtbot, kiosk)
    write(qtbot, pad, "法")
    tap(qtbot, pad.pinyin_button)  # the written character is entered, then the keys return
    host = kiosk.window.keyboard
    qtbot.waitUntil(lambda: host.view.isVisible() and not pad.isVisible(), timeout=3000)
    assert screen.edit.text() == "法"
    tap_keys(qtbot, kiosk, "lv")
    qtbot.waitUntil(lambda: "律" in host.candidate_items(), timeout=3000)
    tap_item(qtbot, kiosk, host.candidate_items()["律"])
    qtbot.waitUntil(lambda: screen.edit.text() == "法律", timeout=3000)
    switch_to_handwriting(qtbot, kiosk)
    kiosk.wipe()
    assert host.mode == "pinyin"


def test_name_field_of_a_call_back_in_elder_landscape(qtbot: Any, services: Any, clock: Any) -> None:
    services.config.set("elder_mode_default", True)
    kiosk = make_app(services, clock, "landscape")
    try:
        screen = kiosk.nav.go("request", kind="callback")
        settle(qtbot, kiosk)
        tap(qtbot, screen.findChild(QPushButton, "consent-yes"))
        settle(qtbot, kiosk)
        name = kiosk.nav.current_screen().findChild(QLineEdit, "field-name")
        tap(qtbot, name)
        pad = switch_to_handwriting(qtbot, kiosk)
        pad.auto_commit_ms = 50
        assert pad.candidate_buttons[0].height() >= 80
        assert pad.candidate_buttons[0].font().pointSizeF() >= 22
        write(qtbot, pad, "汉")
        qtbot.waitUntil(lambda: name.text() == "汉", timeout=3000)
        host = kiosk.window.keyboard
        assert host.geometry().bottom() <= kiosk.window.height()
        top_left = name.mapTo(kiosk.window, name.rect().topLeft())
        assert top_left.y() + name.height() <= host.geometry().top()  # the field stays visible above the pad
    finally:
        kiosk.close()
