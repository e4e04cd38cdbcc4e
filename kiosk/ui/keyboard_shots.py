"""Screenshot set-ups of the on-screen keyboard with candidates and of the 手写 pad (issue 12)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication


def _pump(rounds: int = 10) -> None:
    import time

    for _ in range(rounds):
        QApplication.processEvents()
        time.sleep(0.02)


def _search_with_keyboard(app: Any) -> Any:
    screen = app.nav.go("search")
    _pump()
    screen.edit.setFocus()
    host = app.window.keyboard
    for _ in range(50):
        _pump(2)
        if host.isVisible() and host.key_items():
            break
    return host


def keyboard_with_candidates(app: Any) -> None:
    """Search, the keyboard up and ``yizhugongzheng`` typed: the domain word 遗嘱公证 leads the bar."""
    from PySide6.QtTest import QTest

    host = _search_with_keyboard(app)
    for key in "yizhugongzheng":
        QTest.mouseClick(host.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, host.key_position(key))
        _pump(2)
    _pump()


def handwriting_with_candidates(app: Any) -> None:
    """The 手写 pad with 工 written (the doctor's sample) and its candidates."""
    from kiosk.handwriting.doctor_check import SAMPLE_STROKES

    host = _search_with_keyboard(app)
    host.set_mode("handwriting")
    _pump()
    pad = host.pad
    area = pad.area
    for stroke in SAMPLE_STROKES:
        points = [pad.area_point(x, y) for x, y in stroke]
        for kind, point in (
            [(QEvent.Type.MouseButtonPress, points[0])]
            + [(QEvent.Type.MouseMove, p) for p in points[1:]]
            + [(QEvent.Type.MouseButtonRelease, points[-1])]
        ):
            buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton
            event = QMouseEvent(
                kind,
                QPointF(point),
                QPointF(area.mapToGlobal(point)),
                Qt.MouseButton.LeftButton,
                buttons,
                Qt.KeyboardModifier.NoModifier,
            )
            QApplication.sendEvent(area, event)
    pad.timer.stop()  # the picture shows the candidates before the pause enters the best one
    _pump()
