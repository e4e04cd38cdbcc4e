"""手写 pad: write a character with a finger, pick it from large candidates, keep writing.

Continuous writing: after each stroke the candidates update; when the hand rests for a moment
(:attr:`HandwritingPad.auto_commit_ms`) the best one is entered and the pad is clear for the next
character, while the row keeps the other candidates so a tap can still correct the character just
entered. 撤销 takes back the last stroke, 清除 the whole character, 删除 the last character in the field.
Text goes to whichever field has the focus (see ``KeyboardHost``), so the pad works in every field.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.handwriting.recognizer import HandwritingUnavailable, Ink, Recognizer, default_recognizer
from kiosk.ui.theme import FONT_FAMILIES, Theme
from kiosk.ui.widgets.keyboard_bridge import candidate_cell_px, candidate_point_size

log = logging.getLogger(__name__)

CANDIDATES_SHOWN = 8
#: zinnia was trained on characters filling a square box: ink is cropped to a square around it.
BOX_MARGIN = 0.12
UNAVAILABLE_TEXT = "手写识别暂不可用，请用拼音输入"
HINT_TEXT = "请在此处书写，一次写一个字"


def square_ink(strokes: list[list[QPointF]]) -> Ink | None:
    """The strokes moved into a square box around them (zinnia normalises by the box it is given)."""
    points = [p for stroke in strokes for p in stroke]
    if not points:
        return None
    left = min(p.x() for p in points)
    right = max(p.x() for p in points)
    top = min(p.y() for p in points)
    bottom = max(p.y() for p in points)
    side = max(right - left, bottom - top, 40.0) * (1 + 2 * BOX_MARGIN)
    origin_x = (left + right - side) / 2
    origin_y = (top + bottom - side) / 2
    return Ink(
        round(side),
        round(side),
        tuple(
            tuple((round(p.x() - origin_x), round(p.y() - origin_y)) for p in stroke) for stroke in strokes if stroke
        ),
    )


class WritingArea(QWidget):
    """Where the finger writes: a 米字格 guide, thick ink, strokes as point lists."""

    stroke_started = Signal()
    stroke_finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("writingArea")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the focus (and gets the text)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.strokes: list[list[QPointF]] = []
        self.pen_width = 8.0
        self.hint = HINT_TEXT
        self._drawing = False

    def clear(self) -> None:
        self.strokes = []
        self._drawing = False
        self.update()

    def undo(self) -> None:
        if self.strokes:
            self.strokes.pop()
            self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._drawing = True
        self.strokes.append([event.position()])
        self.stroke_started.emit()
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drawing and self.strokes:
            point = event.position()
            last = self.strokes[-1][-1]
            if abs(point.x() - last.x()) + abs(point.y() - last.y()) >= 2:  # skip jitter
                self.strokes[-1].append(point)
                self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self._drawing:
            return
        self._drawing = False
        if self.strokes and self.strokes[-1][-1] != event.position():
            self.strokes[-1].append(event.position())
        self.stroke_finished.emit()
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        painter.fillRect(rect, QColor("#FFFFFF"))
        painter.setPen(QPen(QColor("#5A6B85"), 2))
        painter.drawRoundedRect(rect, 8, 8)
        # 米字格 in the middle square: where a character is usually written
        side = min(rect.width(), rect.height()) - 16
        box = QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)
        guide = QPen(QColor("#E0A0A0"), 1.5, Qt.PenStyle.DashLine)
        painter.setPen(guide)
        painter.drawRect(box)
        painter.drawLine(QPointF(box.left(), box.center().y()), QPointF(box.right(), box.center().y()))
        painter.drawLine(QPointF(box.center().x(), box.top()), QPointF(box.center().x(), box.bottom()))
        if not self.strokes and self.hint:
            painter.setPen(QColor("#4A5568"))
            painter.drawText(
                rect.adjusted(0, 0, 0, -12), Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, self.hint
            )
        ink = QPen(
            QColor("#1A1F29"), self.pen_width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
        )
        painter.setPen(ink)
        for stroke in self.strokes:
            if len(stroke) == 1:
                painter.drawPoint(stroke[0])
                continue
            path = QPainterPath(stroke[0])
            for point in stroke[1:]:
                path.lineTo(point)
            painter.drawPath(path)
        painter.end()


class HandwritingPad(QWidget):
    #: (text, how many characters before the cursor it replaces): 0 for a new character, 1 to correct
    commit_text = Signal(str, int)
    backspace = Signal()
    pinyin_requested = Signal()
    hide_requested = Signal()

    def __init__(self, theme: Theme, recognizer: Recognizer | None = None) -> None:
        super().__init__()
        self.setObjectName("handwritingPad")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.theme = theme
        self.auto_commit_ms = 1200
        self.recognizer = recognizer
        self.error = ""
        if self.recognizer is None:
            try:
                self.recognizer = default_recognizer()
            except HandwritingUnavailable as exc:
                log.error("handwriting unavailable: %s", exc)
                self.error = UNAVAILABLE_TEXT
        self.candidates: list[str] = []
        #: the candidates shown are alternatives for the character just entered (a tap corrects it)
        self.correcting = False

        self.area = WritingArea()
        self.area.stroke_started.connect(self._stroke_started)
        self.area.stroke_finished.connect(self._stroke_finished)
        if self.error:
            self.area.hint = self.error

        self.candidate_buttons: list[QPushButton] = []
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for _ in range(CANDIDATES_SHOWN):
            button = self._button("", "hwCandidate")
            button.clicked.connect(lambda _=False, b=button: self.choose(b.text()))
            self.candidate_buttons.append(button)
            row.addWidget(button, 1)

        self.undo_button = self._button("撤销", "hwUndo")
        self.undo_button.clicked.connect(self.undo)
        self.clear_button = self._button("清除", "hwClear")
        self.clear_button.clicked.connect(self.clear)
        self.delete_button = self._button("删除", "hwDelete")
        self.delete_button.clicked.connect(self._delete)
        self.pinyin_button = self._button("拼音", "hwPinyin")
        self.pinyin_button.clicked.connect(self._to_pinyin)
        self.hide_button = self._button("收起", "hwHide")
        self.hide_button.clicked.connect(self.hide_requested)
        side = QGridLayout()
        side.setSpacing(6)
        for i, button in enumerate(self._side_buttons()):  # two columns: a low pad for landscape
            side.addWidget(button, i // 2, i % 2)

        body = QHBoxLayout()
        body.setSpacing(8)
        body.addWidget(self.area, 1)
        body.addLayout(side)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 8)
        outer.setSpacing(6)
        outer.addLayout(row)
        outer.addLayout(body, 1)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.commit_pending)
        self.apply_theme(theme)
        self._show_candidates([])

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    # --- theme and size -----------------------------------------------------------------------------

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        cell = candidate_cell_px(theme)
        candidate_pt = candidate_point_size(theme) + 4  # a written character deserves a large glyph
        for button in self.candidate_buttons:
            button.setFixedHeight(cell)
            button.setMinimumWidth(cell)
        for button in self._side_buttons():
            button.setFixedHeight(theme.sizes.touch)
            button.setMinimumWidth(theme.sizes.touch * 2)
        area_font = QFont()
        area_font.setFamilies(list(FONT_FAMILIES))
        area_font.setPointSizeF(theme.sizes.body)
        self.area.setFont(area_font)
        self.area.pen_width = 10.0 if theme.elder else 8.0
        # Older hands write slower: wait longer before taking a pause as the end of a character.
        self.auto_commit_ms = 1600 if theme.elder else 1200
        # Our own sheet (the application's would set every button's size and colours).
        self.setStyleSheet(
            "#handwritingPad { background: #263238; }"
            "QPushButton { background: #000a12; color: #FFFFFF; border: 1px solid #4f5b62; border-radius: 6px;"
            f" font-size: {theme.sizes.button}pt; padding: 0 8px;"
            f" min-height: {theme.sizes.touch}px; }}"
            "QPushButton:pressed { background: #4f5b62; }"
            "QPushButton:disabled { color: #8a98a6; }"
            f"QPushButton#hwCandidate {{ font-size: {candidate_pt}pt; min-height: {cell}px; }}"
            "QPushButton#hwPinyin, QPushButton#hwHide { background: #01579b; }"
        )

    def _side_buttons(self) -> tuple[QPushButton, ...]:
        return (self.undo_button, self.clear_button, self.delete_button, self.pinyin_button, self.hide_button)

    def height_for(self, width: int, window_height: int) -> int:
        """Candidates plus a writing area about as tall as the keyboard it replaces (more in portrait)."""
        cell = candidate_cell_px(self.theme)
        side = 3 * self.theme.sizes.touch + 2 * 6  # the side buttons, three rows of two
        if window_height > width:  # portrait: a big square-ish writing area
            area = max(side, min(int(window_height * 0.27), 560))
        else:
            area = max(side, min(int(window_height * 0.30), 420))
        return cell + area + 20

    # --- writing ------------------------------------------------------------------------------------

    def _stroke_started(self) -> None:
        self.timer.stop()
        if self.correcting:  # a new character begins: the last one stands as entered
            self.correcting = False
            self._show_candidates([])

    def _stroke_finished(self) -> None:
        self.recognise()
        if self.candidates:
            self.timer.start(self.auto_commit_ms)

    def recognise(self) -> list[str]:
        ink = square_ink(self.area.strokes)
        found: list[str] = []
        if ink is not None and self.recognizer is not None:
            found = self.recognizer.candidates(ink, CANDIDATES_SHOWN + 2)
        self.correcting = False
        self._show_candidates(found)
        return found

    def _show_candidates(self, candidates: list[str]) -> None:
        self.candidates = candidates[:CANDIDATES_SHOWN]
        for i, button in enumerate(self.candidate_buttons):
            text = self.candidates[i] if i < len(self.candidates) else ""
            button.setText(text)
            button.setEnabled(bool(text))
        has_ink = bool(self.area.strokes)
        self.undo_button.setEnabled(has_ink)
        self.clear_button.setEnabled(has_ink)

    def commit_pending(self) -> None:
        """The hand rested: enter the best candidate, clear the pad, keep the others for a correction."""
        self.timer.stop()
        if not self.area.strokes or not self.candidates:
            return
        best, others = self.candidates[0], self.candidates
        self.commit_text.emit(best, 0)
        self.area.clear()
        self._show_candidates(others)
        self.correcting = True

    def choose(self, text: str) -> None:
        if not text:
            return
        self.timer.stop()
        if self.correcting:
            self.commit_text.emit(text, 1)  # replaces the character entered a moment ago
            self.correcting = False
        else:
            self.commit_text.emit(text, 0)
        self.area.clear()
        self._show_candidates([])

    def undo(self) -> None:
        self.timer.stop()
        self.area.undo()
        if self.area.strokes:
            self.recognise()
            self.timer.start(self.auto_commit_ms)
        else:
            self._show_candidates([])

    def clear(self) -> None:
        """Forget the character being written (strokes and candidates); nothing is entered."""
        self.timer.stop()
        self.correcting = False
        self.area.clear()
        self._show_candidates([])

    def _delete(self) -> None:
        if self.area.strokes:
            self.clear()
            return
        self.correcting = False
        self._show_candidates([])
        self.backspace.emit()

    def _to_pinyin(self) -> None:
        self.commit_pending()
        self.clear()
        self.pinyin_requested.emit()

    # --- for tests and tools: write ink as a finger would ------------------------------------------

    def area_point(self, x: float, y: float, box: float = 300.0) -> QPoint:
        """A point of a ``box``-sized drawing placed in the middle square of the writing area."""
        rect = self.area.rect()
        side = min(rect.width(), rect.height()) - 40
        left = (rect.width() - side) / 2
        top = (rect.height() - side) / 2
        return QPoint(round(left + x * side / box), round(top + y * side / box))
