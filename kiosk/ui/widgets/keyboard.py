"""The on-screen keyboard: Qt Virtual Keyboard's InputPanel docked at the bottom of the window.

It is created on first need and destroyed by :meth:`KeyboardHost.wipe`, so no layout, shift,
candidate or pre-edit state survives a session. Fields ask for ``ImhSensitiveData |
ImhNoPredictiveText`` (see :func:`private_line_edit`): the Pinyin engine then learns nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QSizePolicy, QVBoxLayout, QWidget

QML = Path(__file__).resolve().parent.parent / "keyboard.qml"
PRIVATE_HINTS = (
    Qt.InputMethodHint.ImhSensitiveData
    | Qt.InputMethodHint.ImhNoPredictiveText
    | Qt.InputMethodHint.ImhNoAutoUppercase
    | Qt.InputMethodHint.ImhPreferLowercase
)


def private_line_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setInputMethodHints(PRIVATE_HINTS)
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no copy/paste menu on a shared screen
    edit.setDragEnabled(False)
    edit.setClearButtonEnabled(False)
    # Only a tap (or the screen itself) focuses a field: focus never wanders into it when another
    # screen is hidden, which would pop the keyboard up unasked.
    edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    return edit


class KeyboardHost(QWidget):
    def __init__(self, max_width: int = 1200):
        super().__init__()
        self.view: Any = None  # QQuickWidget, imported lazily (QtQuick is heavy)
        self.max_width = max_width
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.hide()

    def ensure(self) -> Any:
        if self.view is None:
            from PySide6.QtQuickWidgets import QQuickWidget

            view = QQuickWidget()
            view.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            view.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
            view.setClearColor(Qt.GlobalColor.transparent)
            view.setSource(QUrl.fromLocalFile(str(QML)))
            self._layout.addWidget(view, 0, Qt.AlignmentFlag.AlignHCenter)
            self.view = view
            self._fit()
        return self.view

    def _fit(self) -> None:
        if self.view is None or self.parentWidget() is None:
            return
        width = min(self.parentWidget().width(), self.max_width)  # type: ignore[union-attr]
        height = int(width * 0.30) + 96  # the keyboard keeps its aspect; this is a first guess
        root = self.view.rootObject()
        if root is not None:
            root.setWidth(width)
            panel_height = root.property("implicitHeight")  # the InputPanel's real height at this width
            if isinstance(panel_height, (int, float)) and panel_height > 0:
                height = int(panel_height) + 1
        self.view.setFixedSize(width, height)
        self.setFixedHeight(height)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)

    def show_keyboard(self) -> None:
        self.ensure()
        self._fit()
        self.show()
        method = QGuiApplication.inputMethod()
        method.show()
        # A keyboard made after the field took focus has not seen its text yet (it would start in
        # the wrong shift state and drop keys): tell it about the field now and once it is shown.
        method.update(Qt.InputMethodQuery.ImQueryAll)
        QTimer.singleShot(0, self, lambda: QGuiApplication.inputMethod().update(Qt.InputMethodQuery.ImQueryAll))

    def hide_keyboard(self) -> None:
        self.hide()

    def wipe(self) -> None:
        """Drop every bit of keyboard state: pre-edit, candidates, shift, chosen language."""
        QGuiApplication.inputMethod().reset()
        self.hide()
        if self.view is not None:
            view, self.view = self.view, None
            self._layout.removeWidget(view)
            view.setSource(QUrl())
            view.setParent(None)
            # Delete now, not later: an old InputPanel dying after a new one was made would take the
            # new one's connection to the input method with it.
            import shiboken6

            shiboken6.delete(view)

    # --- for tests, screenshots and accessibility tools: find keys by their label -----------------

    def key_items(self) -> dict[str, Any]:
        if self.view is None or self.view.rootObject() is None:
            return {}
        found: dict[str, Any] = {}

        def walk(item: Any) -> None:
            for child in item.childItems():
                text = child.property("text")
                if child.property("key") is not None and isinstance(text, str) and text and child.isVisible():
                    found.setdefault(text, child)
                walk(child)

        walk(self.view.rootObject())
        return found

    def key_position(self, text: str) -> QPoint:
        item = self.key_items()[text]
        center = item.mapToScene(item.boundingRect().center())
        return QPoint(int(center.x()), int(center.y()))
