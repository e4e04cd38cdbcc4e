"""Small building blocks every screen uses: labels, buttons, kinetic scroll pages, badges."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEasingCurve, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.law_vocabulary import AMENDED, IN_FORCE, NOT_YET_IN_FORCE, REPEALED

STATUS_ROLES = {IN_FORCE: "badge-ok", AMENDED: "badge-warn", REPEALED: "badge-bad", NOT_YET_IN_FORCE: "badge-info"}


def kinetic(area: QAbstractScrollArea) -> QAbstractScrollArea:
    """Flick scrolling by finger (and by mouse drag on touch screens that report as a mouse)."""
    if isinstance(area, QAbstractItemView):
        area.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        area.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(area.viewport())
    props = scroller.scrollerProperties()
    off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
    props.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.DragStartDistance, 0.004)
    # Deliver a tap at once: a delayed press makes quick taps on list items go missing.
    props.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0.0)
    props.setScrollMetric(QScrollerProperties.ScrollMetric.ScrollingCurve, QEasingCurve(QEasingCurve.Type.OutCubic))
    scroller.setScrollerProperties(props)
    area.setProperty("kinetic", True)
    return area


def label(text: str = "", role: str = "body", wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


class MessageSlot(QLabel):
    """A field's message line: hidden until needed, and laid out at all times for the longest message it
    can show, at the width and font of the moment (rotation, 大字模式), so nothing under the resident's
    finger moves when a message appears, and no message is cut off."""

    def __init__(self, longest: str, role: str = "notice"):
        super().__init__(longest)
        self.longest = longest
        self.setProperty("role", role)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.hide()

    def heightForWidth(self, width: int) -> int:
        margins = self.contentsMargins()  # the style sheet's padding and border
        inner = QRect(0, 0, max(1, width - margins.left() - margins.right()), 1 << 20)
        longest = self.fontMetrics().boundingRect(inner, Qt.TextFlag.TextWordWrap, self.longest).height()
        return max(super().heightForWidth(width), longest + margins.top() + margins.bottom())


def rich_label(html: str, role: str = "body") -> QLabel:
    widget = QLabel(html)
    widget.setProperty("role", role)
    widget.setWordWrap(True)
    widget.setTextFormat(Qt.TextFormat.RichText)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


def button(
    text: str, on_click: Callable[[], object] | None = None, role: str | None = None, name: str | None = None
) -> QPushButton:
    widget = QPushButton(text)
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # taps never steal focus from a text field
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    if on_click is not None:
        widget.clicked.connect(lambda _checked=False: on_click())
    return widget


def badge(text: str, role: str | None = None) -> QLabel:
    widget = label(text, role or STATUS_ROLES.get(text, "badge-info"), wrap=False)
    widget.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
    return widget


def card(layout: QLayout | None = None) -> QFrame:
    frame = QFrame()
    frame.setProperty("role", "card")
    if layout is None:
        layout = QVBoxLayout()
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
    frame.setLayout(layout)
    return frame


def vcard() -> tuple[QFrame, QVBoxLayout]:
    """A card and its vertical layout (for adding rows of widgets)."""
    layout = QVBoxLayout()
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(10)
    return card(layout), layout


def row(*widgets: QWidget, spacing: int = 12, stretch_end: bool = True) -> QHBoxLayout:
    layout = QHBoxLayout()
    layout.setSpacing(spacing)
    for w in widgets:
        layout.addWidget(w)
    if stretch_end:
        layout.addStretch(1)
    return layout


def clear_layout(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        elif item.layout() is not None:
            inner = item.layout()
            assert inner is not None
            clear_layout(inner)
            inner.deleteLater()


class ScrollPage(QScrollArea):
    """A vertically flickable page; add content to ``body`` (a QVBoxLayout)."""

    def __init__(self, margins: int = 28, spacing: int = 18):
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        inner.setProperty("role", "page")
        self.body = QVBoxLayout(inner)
        self.body.setContentsMargins(margins, margins, margins, margins)
        self.body.setSpacing(spacing)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.setWidget(inner)
        kinetic(self)

    def clear(self) -> None:
        clear_layout(self.body)
        self.verticalScrollBar().setValue(0)

    def add(self, widget: QWidget) -> QWidget:
        self.body.addWidget(widget)
        return widget

    def add_layout(self, layout: QLayout) -> None:
        self.body.addLayout(layout)

    def finish(self) -> None:
        self.body.addStretch(1)
