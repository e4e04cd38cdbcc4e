"""The law text: headings and articles painted by a delegate (the 民法典 lays out in milliseconds)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyledItemDelegate, QStyleOptionViewItem

from kiosk.services.laws import ReaderRow
from kiosk.ui.theme import NORMAL, Theme
from kiosk.ui.widgets.cards import font
from kiosk.ui.widgets.common import kinetic

_Index = QModelIndex | QPersistentModelIndex
PAD_X = 36
PAD_Y = 14
INDENT = "\u3000\u3000"


class ReaderModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ReaderRow] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{row.label} {row.text}".strip()
        return None

    def set_rows(self, rows: list[ReaderRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()


class ReaderDelegate(QStyledItemDelegate):
    def __init__(self, view: ReaderView):
        super().__init__(view)
        self.view = view
        self._heights: dict[tuple[int, int], int] = {}
        self.set_theme(NORMAL)

    def set_theme(self, theme: Theme) -> None:
        s = theme.sizes
        self.theme = theme
        self.f_label = font(theme, s.reader, bold=True)
        self.f_text = font(theme, s.reader)
        self.f_heads = [font(theme, s.title, True), font(theme, s.reader + 2, True), font(theme, s.reader, True)]
        self._heights.clear()

    def _head_font(self, depth: int) -> Any:
        return self.f_heads[min(depth, len(self.f_heads) - 1)]

    def _blocks(self, row: ReaderRow, width: int) -> list[tuple[Any, str, int]]:
        """(font, text, height) of each painted block of a row."""
        inner = QRect(0, 0, width - 2 * PAD_X, 10**6)
        flags = int(Qt.TextFlag.TextWordWrap)
        out: list[tuple[Any, str, int]] = []
        if row.kind == "heading":
            f = self._head_font(row.depth)
            out.append((f, row.text, QFontMetrics(f).boundingRect(inner, flags, row.text).height()))
            return out
        if row.label:
            out.append((self.f_label, row.label, QFontMetrics(self.f_label).height()))
        fm = QFontMetrics(self.f_text)
        for para in row.text.split("\n"):
            text = INDENT + para.strip()
            out.append((self.f_text, text, fm.boundingRect(inner, flags, text).height()))
        return out

    def _height(self, row_index: int, row: ReaderRow, width: int) -> int:
        key = (row_index, width)
        if key not in self._heights:
            blocks = self._blocks(row, width)
            top = 30 if row.kind == "heading" and row.depth == 0 else 18 if row.kind == "heading" else PAD_Y
            self._heights[key] = top + PAD_Y + sum(h for _f, _t, h in blocks) + 6 * (len(blocks) - 1)
        return self._heights[key]

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        width = max(300, self.view.viewport().width())
        return QSize(width, self._height(index.row(), index.data(Qt.ItemDataRole.UserRole), width))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        row: ReaderRow = index.data(Qt.ItemDataRole.UserRole)
        rect: QRect = option.rect
        p = self.theme.palette
        painter.save()
        selected = index.row() == self.view.current_row and row.kind == "article"
        if selected:
            painter.fillRect(rect, QColor(p.selected_bg))
            painter.fillRect(QRect(rect.left(), rect.top(), 8, rect.height()), QColor(p.accent))
        flags = int(Qt.TextFlag.TextWordWrap)
        top = 30 if row.kind == "heading" and row.depth == 0 else 18 if row.kind == "heading" else PAD_Y
        y = rect.top() + top
        for i, (f, text, h) in enumerate(self._blocks(row, rect.width())):
            painter.setFont(f)
            if row.kind == "heading":
                painter.setPen(QColor(p.accent if row.depth == 0 else p.text))
                align = flags | int(Qt.AlignmentFlag.AlignHCenter)
            else:
                painter.setPen(QColor(p.accent if (i == 0 and row.label) else p.text))
                align = flags
            painter.drawText(QRect(rect.left() + PAD_X, y, rect.width() - 2 * PAD_X, h), align, text)
            y += h + 6
        painter.restore()


class ReaderView(QListView):
    """``article_tapped`` carries the row index of the tapped article."""

    article_tapped = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.reader_model = ReaderModel()
        self.setModel(self.reader_model)
        self.current_row = -1
        self._anchor = -1  # a row to keep at the top until the resident scrolls (survives relayout)
        self.delegate = ReaderDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QListView.Shape.NoFrame)
        kinetic(self)
        self.clicked.connect(self._clicked)

    def _clicked(self, index: QModelIndex) -> None:
        row: ReaderRow = index.data(Qt.ItemDataRole.UserRole)
        if row is not None and row.kind == "article":
            self.article_tapped.emit(index.row())

    def set_rows(self, rows: list[ReaderRow]) -> None:
        self.delegate._heights.clear()
        self.current_row = -1
        self._anchor = -1
        self.reader_model.set_rows(rows)

    def set_current(self, row: int) -> None:
        old, self.current_row = self.current_row, row
        for r in (old, row):
            if 0 <= r < self.reader_model.rowCount():
                self.update(self.reader_model.index(r))

    def scroll_to_row(self, row: int) -> None:
        if 0 <= row < self.reader_model.rowCount():
            self._anchor = row
            self.executeDelayedItemsLayout()
            self.scrollTo(self.reader_model.index(row), QAbstractItemView.ScrollHint.PositionAtTop)

    def updateGeometries(self) -> None:
        super().updateGeometries()
        if self._anchor >= 0:  # the layout changed (first show, resize, theme): keep the row on top
            self.scrollTo(self.reader_model.index(self._anchor), QAbstractItemView.ScrollHint.PositionAtTop)

    def viewportEvent(self, event: Any) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.Wheel):
            self._anchor = -1
        return super().viewportEvent(event)

    def top_row(self) -> int:
        return self.indexAt(self.viewport().rect().topLeft()).row()

    def set_theme(self, theme: Theme) -> None:
        self.delegate.set_theme(theme)
        self.scheduleDelayedItemsLayout()

    def resizeEvent(self, event: Any) -> None:
        self.delegate._heights.clear()
        super().resizeEvent(event)
