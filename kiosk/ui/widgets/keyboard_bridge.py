"""What keyboard.qml reads from Python: sizes after the theme, domain words, the 手写 switch.

Set as the context property ``kioskKeyboard`` of the keyboard's QML engine; the kiosk style
(``kiosk/ui/vkbstyle/.../Styles/kiosk/style.qml``) reads the same object.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtGui import QGuiApplication

from kiosk.ui.theme import NORMAL, Theme

#: Pixels per point at the 96 dpi Qt assumes when the screen does not say otherwise.
DEFAULT_DPI = 96.0
ROWS = 4  # letter rows of the Pinyin and symbol layouts
DESIGN_WIDTH = 2560  # the width the kiosk style is designed at (Qt's default style uses the same)
WORD_LIST = "wordList"  # a text field's property: which words the candidate bar offers first
NAMES = "names"


def key_point_size(theme: Theme) -> float:
    """Key glyphs: MIIT 适老化 asks ≥ 18 pt for text; the elder theme reads larger still."""
    return theme.sizes.reader  # 18 pt normal, 22 pt elder


def candidate_point_size(theme: Theme) -> float:
    return theme.sizes.reader + 2


def candidate_cell_px(theme: Theme) -> int:
    return theme.sizes.touch + 8


class KeyboardBridge(QObject):
    changed = Signal()
    handwritingRequested = Signal()
    candidateChosen = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._theme = NORMAL
        self._dpi = DEFAULT_DPI
        self._landscape = False
        self.lookup: Callable[[str], list[str]] = lambda _pinyin: []
        # Fields whose "wordList" property is "names" (a person's name) are offered names instead.
        self.names_lookup: Callable[[str], list[str]] = lambda _pinyin: []

    def configure(self, theme: Theme, dpi: float, landscape: bool) -> None:
        if (theme, dpi, landscape) != (self._theme, self._dpi, self._landscape):
            self._theme, self._dpi, self._landscape = theme, dpi, landscape
            self.changed.emit()

    def _px(self, points: float) -> float:
        return points * self._dpi / 72.0

    # --- sizes ------------------------------------------------------------------------------------

    def _glyph_px(self) -> float:
        return self._px(key_point_size(self._theme))

    def _candidate_px(self) -> float:
        return self._px(candidate_point_size(self._theme))

    def _cell_px(self) -> int:
        return candidate_cell_px(self._theme)

    def _design_height(self) -> float:
        # Rows grow in elder mode: 2560×800 (Qt's proportions) gives 84 px rows at 1080 px,
        # 2560×960 gives 101 px rows.
        return 960.0 if self._theme.elder else 800.0

    def _maximum_height(self) -> float:
        # In landscape the keyboard would take half the screen at full width: cap it at four rows
        # of a touch target plus the drawn gaps, so results stay visible above it.
        if not self._landscape:
            return 0.0
        gap = 8  # the drawn margins around each key (the key itself stays ≥ the touch target)
        return float(ROWS * (self._theme.sizes.touch + gap) + 12)

    glyphPx = Property(float, _glyph_px, notify=changed)
    candidatePx = Property(float, _candidate_px, notify=changed)
    cellPx = Property(int, _cell_px, notify=changed)
    designHeight = Property(float, _design_height, notify=changed)
    maximumHeight = Property(float, _maximum_height, notify=changed)

    # --- called from QML --------------------------------------------------------------------------

    @Slot(str, result=list)
    def domainWords(self, pinyin: str) -> list[str]:
        focus = QGuiApplication.focusObject()
        wanted = self.names_lookup if focus is not None and focus.property(WORD_LIST) == NAMES else self.lookup
        try:
            return list(wanted(pinyin))
        except Exception:  # a broken word file must never take the keyboard with it
            import logging

            logging.getLogger(__name__).exception("domain word lookup failed")
            return []

    @Slot(str)
    def chosen(self, text: str) -> None:
        self.candidateChosen.emit(text)
