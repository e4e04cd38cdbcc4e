"""A flickable list of cards (title, detail lines, a badge, a distance, a highlighted snippet).

Model/view with a painting delegate, so lists of a few thousand laws stay light and fast.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QTextDocument, QTextLayout, QTextOption
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from kiosk.ui.theme import FONT_FAMILIES, NORMAL, Theme
from kiosk.ui.widgets.common import STATUS_ROLES, kinetic

_Index = QModelIndex | QPersistentModelIndex
PAD = 20
GAP = 12


@dataclass
class CardItem:
    title: str
    lines: list[str] = field(default_factory=list)
    badge: str | None = None
    trailing: str = ""
    payload: Any = None
    heading: bool = False
    snippet: list[tuple[str, bool]] | None = None


def font(theme: Theme, size: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(list(FONT_FAMILIES))
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


def wrap(f: QFont, text: str, width: int) -> list[str]:
    """The lines ``text`` breaks into at ``width`` pixels. Measuring and painting both use these very
    lines: a card is never painted taller than it was measured (a line that wrapped only when painted
    ran into the next card)."""
    layout = QTextLayout(text, f)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    lines: list[str] = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1, width))
        lines.append(text[line.textStart() : line.textStart() + line.textLength()].rstrip("\n"))
    layout.endLayout()
    return lines or [""]


def text_height(f: QFont, lines: list[str]) -> int:
    return QFontMetrics(f).lineSpacing() * len(lines)


def badge_colors(theme: Theme, text: str) -> tuple[str, str]:
    p = theme.palette
    role = STATUS_ROLES.get(text, "badge-info")
    return {
        "badge-ok": (p.ok_fg, p.ok_bg),
        "badge-warn": (p.warn_fg, p.warn_bg),
        "badge-bad": (p.bad_fg, p.bad_bg),
    }.get(role, (p.info_fg, p.info_bg))


def snippet_html(theme: Theme, segments: list[tuple[str, bool]]) -> str:
    p = theme.palette
    parts = [
        f'<span style="background:{p.highlight_bg};color:{p.highlight_fg};font-weight:bold">{html.escape(t)}</span>'
        if hit
        else html.escape(t)
        for t, hit in segments
    ]
    return f'<span style="color:{p.text}">{"".join(parts)}</span>'


class CardModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[CardItem] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return item.title
        if role == Qt.ItemDataRole.UserRole:
            return item
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return " ".join([item.title, *item.lines])
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.items[index.row()].heading:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def set_items(self, items: list[CardItem]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()


class CardDelegate(QStyledItemDelegate):
    def __init__(self, view: QListView):
        super().__init__(view)
        self._view = view
        self.theme = NORMAL
        self._sizes: dict[tuple[int, int], int] = {}
        self._docs: dict[tuple[int, int], QTextDocument] = {}  # laid-out snippets, by (item, width)
        self.set_theme(NORMAL)

    def set_theme(self, theme: Theme) -> None:
        s = theme.sizes
        self.theme = theme
        self.f_title = font(theme, s.body + 2, bold=True)
        self.f_line = font(theme, s.small)
        self.f_badge = font(theme, s.small, bold=True)
        self.f_heading = font(theme, s.title, bold=True)
        self.f_snippet = font(theme, s.body)
        self.forget()

    def forget(self) -> None:
        self._sizes.clear()
        self._docs.clear()

    def _right_width(self, item: CardItem) -> int:
        widths = [0]
        if item.badge:
            widths.append(QFontMetrics(self.f_badge).horizontalAdvance(item.badge) + 28)
        if item.trailing:
            widths.append(QFontMetrics(self.f_title).horizontalAdvance(item.trailing) + 8)
        return max(widths) + (GAP if max(widths) else 0)

    def _doc(self, item: CardItem, width: int) -> QTextDocument:
        key = (id(item), width)
        cached = self._docs.get(key)
        if cached is not None:
            return cached
        doc = QTextDocument()
        doc.setDefaultFont(self.f_snippet)
        doc.setDocumentMargin(0)
        doc.setHtml(snippet_html(self.theme, item.snippet or []))
        doc.setTextWidth(width)
        self._docs[key] = doc
        return doc

    def _layout(self, item: CardItem, width: int) -> tuple[int, list[int]]:
        """Total height and the height of each block (title, lines…, snippet)."""
        flags = int(Qt.TextFlag.TextWordWrap)
        if item.heading:
            h = (
                QFontMetrics(self.f_heading)
                .boundingRect(QRect(0, 0, width - 2 * PAD, 10**6), flags, item.title)
                .height()
            )
            return h + 28, [h]
        inner = width - 2 * PAD - self._right_width(item)
        blocks = [text_height(self.f_title, wrap(self.f_title, item.title, inner))]
        blocks += [text_height(self.f_line, wrap(self.f_line, line, inner)) for line in item.lines]
        if item.snippet:
            blocks.append(int(self._doc(item, width - 2 * PAD).size().height()) + 1)
        total = 2 * PAD + sum(blocks) + 6 * (len(blocks) - 1) + GAP
        return max(total, self.theme.sizes.touch + GAP), blocks

    @staticmethod
    def _paint_lines(painter: QPainter, f: QFont, text: str, inner: QRect, y: int) -> int:
        """Paint ``text`` as the lines :func:`wrap` measured; the y below them."""
        painter.setFont(f)
        fm = QFontMetrics(f)
        for line in wrap(f, text, inner.width()):
            painter.drawText(inner.left(), y + fm.ascent(), line)
            y += fm.lineSpacing()
        return y

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        width = max(200, self._view.viewport().width())
        key = (index.row(), width)
        if key not in self._sizes:
            self._sizes[key] = self._layout(index.data(Qt.ItemDataRole.UserRole), width)[0]
        return QSize(width, self._sizes[key])

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        item: CardItem = index.data(Qt.ItemDataRole.UserRole)
        p = self.theme.palette
        rect: QRect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        flags = int(Qt.TextFlag.TextWordWrap)
        if item.heading:
            painter.setFont(self.f_heading)
            painter.setPen(QColor(p.accent))
            painter.drawText(rect.adjusted(PAD, 18, -PAD, 0), flags, item.title)
            painter.restore()
            return
        box = rect.adjusted(0, 0, 0, -GAP)
        pressed = bool(option.state & QStyle.StateFlag.State_Sunken)
        painter.setPen(QPen(QColor(p.card_border), 2))
        painter.setBrush(QColor(p.selected_bg if pressed else p.card_bg))
        painter.drawRoundedRect(box.adjusted(1, 1, -1, -1), 14, 14)
        right = self._right_width(item)
        inner = QRect(box.left() + PAD, box.top() + PAD, box.width() - 2 * PAD - right, box.height())
        y = inner.top()
        painter.setPen(QColor(p.text))
        y = self._paint_lines(painter, self.f_title, item.title, inner, y) + 6
        painter.setPen(QColor(p.muted))
        for line in item.lines:
            y = self._paint_lines(painter, self.f_line, line, inner, y) + 6
        if item.snippet:
            doc = self._doc(item, box.width() - 2 * PAD)
            painter.translate(inner.left(), y)
            doc.drawContents(painter)
            painter.translate(-inner.left(), -y)
        x_right = box.right() - PAD
        top = box.top() + PAD
        if item.badge:
            fg, bg = badge_colors(self.theme, item.badge)
            fm = QFontMetrics(self.f_badge)
            w, h = fm.horizontalAdvance(item.badge) + 24, fm.height() + 10
            pill = QRect(x_right - w, top, w, h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(bg))
            painter.drawRoundedRect(pill, 8, 8)
            painter.setPen(QColor(fg))
            painter.setFont(self.f_badge)
            painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), item.badge)
            top += h + 8
        if item.trailing:
            painter.setFont(self.f_title)
            painter.setPen(QColor(p.accent))
            fm = QFontMetrics(self.f_title)
            painter.drawText(
                QRect(x_right - right, top, right, fm.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                item.trailing,
            )
        painter.restore()


class CardList(QListView):
    """``activated_item`` carries the payload of the tapped card."""

    activated_item = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.card_model = CardModel()
        self.setModel(self.card_model)
        self.delegate = CardDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setViewportMargins(24, 8, 24, 8)
        self.setFrameShape(QListView.Shape.NoFrame)
        kinetic(self)
        self.clicked.connect(self._clicked)

    def _clicked(self, index: QModelIndex) -> None:
        item: CardItem = index.data(Qt.ItemDataRole.UserRole)
        if item is not None and not item.heading:
            self.activated_item.emit(item.payload)

    def set_items(self, items: list[CardItem], position: int | None = None) -> None:
        """Show ``items`` from the top, or scrolled to ``position`` (where the list was: cards added
        below the ones on screen appear without the list jumping; where a resident left it)."""
        self.delegate.forget()
        self.card_model.set_items(items)
        if position is not None:
            self.doItemsLayout()
            self.verticalScrollBar().setValue(position)
        else:
            self.scrollToTop()

    def items(self) -> list[CardItem]:
        return self.card_model.items

    def set_theme(self, theme: Theme) -> None:
        self.delegate.set_theme(theme)
        self.scheduleDelayedItemsLayout()
        self.viewport().update()

    def resizeEvent(self, event: Any) -> None:
        self.delegate.forget()
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            # QListView lays its items out again when its height changes (the direction it flows in),
            # not its width; a card's height depends on the width its text wraps in. The scroll bar
            # appearing under new results takes width: without this, a card measured before it
            # stayed a line short and the next card covered that line.
            self.scheduleDelayedItemsLayout()

    def index_of(self, predicate: Any) -> QModelIndex:
        for row, item in enumerate(self.card_model.items):
            if predicate(item):
                return self.card_model.index(row)
        return QModelIndex()
