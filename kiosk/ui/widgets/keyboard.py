"""The on-screen keyboard: Qt Virtual Keyboard's InputPanel under our candidate bar, or the 手写 pad.

The QML keyboard is created on first need and destroyed by :meth:`KeyboardHost.wipe`, so no layout,
shift, candidate or pre-edit state survives a session. Fields ask for ``ImhSensitiveData |
ImhNoPredictiveText`` (see :func:`private_line_edit`): the Pinyin engine then learns nothing.

The host follows the QML root's height whenever it changes: the first keyboard of a session used to
keep the height it had before the candidate bar was laid out, which cut the bar off (issue 12).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.theme import NORMAL, Theme
from kiosk.ui.widgets.keyboard_bridge import KeyboardBridge

UI_DIR = Path(__file__).resolve().parent.parent
QML = UI_DIR / "keyboard.qml"
#: Import path holding QtQuick/VirtualKeyboard/Styles/kiosk/style.qml (found by its style name).
STYLE_IMPORT_PATH = UI_DIR / "vkbstyle"
PRIVATE_HINTS = (
    Qt.InputMethodHint.ImhSensitiveData
    | Qt.InputMethodHint.ImhNoPredictiveText
    | Qt.InputMethodHint.ImhNoAutoUppercase
    | Qt.InputMethodHint.ImhPreferLowercase
)
PINYIN = "pinyin"
HANDWRITING = "handwriting"


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


def send_to_focus(commit: str = "", backspaces: int = 0) -> bool:
    """Type into whatever field has the focus, as an input method does (no key events to fake)."""
    target = QApplication.focusObject()
    if target is None:
        return False
    if isinstance(target, QLineEdit) and backspaces:
        for _ in range(backspaces):
            target.backspace()
        backspaces = 0
    event = QInputMethodEvent()
    event.setCommitString(commit, -backspaces, backspaces)
    QApplication.sendEvent(target, event)
    return True


def _wants_digits() -> bool:
    """A phone or number field keeps the keyboard's dial pad even while 手写 is chosen."""
    focus = QApplication.focusWidget()
    if not isinstance(focus, QLineEdit):
        return False
    digits = Qt.InputMethodHint.ImhDialableCharactersOnly | Qt.InputMethodHint.ImhDigitsOnly
    return bool(focus.inputMethodHints() & digits)


class KeyboardHost(QWidget):
    def __init__(self, max_width: int = 1200):
        super().__init__()
        self.view: Any = None  # QQuickWidget, imported lazily (QtQuick is heavy)
        self.pad: Any = None  # HandwritingPad, made on first use
        self.max_width = max_width
        self.mode = PINYIN
        self.theme: Theme = NORMAL
        self.bridge = KeyboardBridge(self)
        self.bridge.handwritingRequested.connect(lambda: self.set_mode(HANDWRITING))
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._fitting = False
        QGuiApplication.inputMethod().visibleChanged.connect(self._input_method_visibility)
        self.hide()

    # --- the two faces ----------------------------------------------------------------------------

    def ensure(self) -> Any:
        if self.view is None:
            from PySide6.QtQuickWidgets import QQuickWidget

            view = QQuickWidget()
            view.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            view.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
            view.setClearColor(Qt.GlobalColor.transparent)
            view.engine().addImportPath(str(STYLE_IMPORT_PATH))
            view.rootContext().setContextProperty("kioskKeyboard", self.bridge)
            self._configure()
            view.setSource(QUrl.fromLocalFile(str(QML)))
            self._layout.addWidget(view, 0, Qt.AlignmentFlag.AlignHCenter)
            self.view = view
            root = view.rootObject()
            if root is not None:
                root.implicitHeightChanged.connect(self._fit)
            self._fit()
        return self.view

    def ensure_pad(self) -> Any:
        if self.pad is None:
            from kiosk.ui.widgets.handwriting_pad import HandwritingPad

            pad = HandwritingPad(self.theme)
            pad.commit_text.connect(lambda text, replace: send_to_focus(text, replace))
            pad.backspace.connect(lambda: send_to_focus("", 1))
            pad.pinyin_requested.connect(lambda: self.set_mode(PINYIN))
            pad.hide_requested.connect(self._hidden_by_resident)
            pad.hide()
            self._layout.addWidget(pad)
            self.pad = pad
        return self.pad

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        if self.isVisible():
            self.show_keyboard()

    def _configure(self) -> None:
        window = self.window()
        dpi = QGuiApplication.primaryScreen().logicalDotsPerInchY() if QGuiApplication.primaryScreen() else 96.0
        self.bridge.configure(self.theme, dpi, window.width() > window.height())

    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._configure()
        if self.pad is not None:
            self.pad.apply_theme(theme)
        self._fit()

    def _fit(self) -> None:
        if self._fitting or self.parentWidget() is None:
            return
        self._fitting = True
        try:
            self._configure()
            width = min(self.parentWidget().width(), self.max_width)  # type: ignore[union-attr]
            if self.mode == HANDWRITING and self.pad is not None and self.pad.isVisibleTo(self):
                height = self.pad.height_for(width, self.window().height())
                self.pad.setFixedSize(self.parentWidget().width(), height)  # type: ignore[union-attr]
                self._set_height(height)
                return
            if self.view is None:
                return
            height = int(width * 0.30) + 96  # a first guess until the QML root knows its height
            root = self.view.rootObject()
            if root is not None:
                root.setWidth(width)
                panel_height = root.property("implicitHeight")  # candidate bar + InputPanel at this width
                if isinstance(panel_height, (int, float)) and panel_height > 0:
                    height = int(panel_height + 0.999)
            self.view.setFixedSize(width, height)
            self._set_height(height)
        finally:
            self._fitting = False

    def _set_height(self, height: int) -> None:
        if height == self.height() and height == self.minimumHeight():
            return
        self.setFixedHeight(height)
        # A new height decided while the window was laying out (our resizeEvent) does not make
        # the window lay out again by itself: ask for it once this pass is over.
        parent = self.parentWidget()
        window_layout = parent.layout() if parent is not None else None
        if window_layout is not None:
            QTimer.singleShot(0, self, window_layout.invalidate)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()

    # --- showing and hiding -----------------------------------------------------------------------

    def show_keyboard(self) -> None:
        if self.mode == HANDWRITING and not _wants_digits():
            pad = self.ensure_pad()
            if self.view is not None:
                self.view.hide()
            pad.show()
            self._fit()
            self.show()
            return
        if self.pad is not None:
            self.pad.hide()
            self.pad.clear()
        self.ensure()
        self.view.show()
        self._fit()
        self.show()
        method = QGuiApplication.inputMethod()
        method.show()
        # A keyboard made after the field took focus has not seen its text yet (it would start in
        # the wrong shift state and drop keys): tell it about the field now and once it is shown.
        method.update(Qt.InputMethodQuery.ImQueryAll)
        QTimer.singleShot(0, self, lambda: QGuiApplication.inputMethod().update(Qt.InputMethodQuery.ImQueryAll))

    def hide_keyboard(self) -> None:
        if self.pad is not None:
            self.pad.clear()
        self.hide()

    def _hidden_by_resident(self) -> None:
        """收起 on the pad: as the keyboard's hide key, so that a tap on the field brings it back."""
        self.hide_keyboard()
        QGuiApplication.inputMethod().hide()

    def _input_method_visibility(self) -> None:
        """The keyboard's own hide key asks the input method to hide: so does the whole host.
        A tap on the field asks it to show again."""
        visible = QGuiApplication.inputMethod().isVisible()
        if not visible and self.isVisible() and self.mode == PINYIN:
            self.hide()
        elif visible and not self.isVisible() and isinstance(QApplication.focusWidget(), QLineEdit):
            focus = QApplication.focusWidget()
            if focus is not None and focus.window() is self.window():
                self.show_keyboard()

    def wipe(self) -> None:
        """Drop every bit of keyboard state: pre-edit, candidates, shift, chosen language, 手写 strokes."""
        QGuiApplication.inputMethod().reset()
        self.hide()
        self.mode = PINYIN
        if self.pad is not None:
            self.pad.clear()
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

    def _items(self, accept: Any) -> dict[str, Any]:
        if self.view is None or self.view.rootObject() is None:
            return {}
        found: dict[str, Any] = {}

        def walk(item: Any) -> None:
            for child in item.childItems():
                try:
                    text = child.property("text")
                    wanted = accept(child) and isinstance(text, str) and text and child.isVisible()
                except (RuntimeError, TypeError):
                    # A candidate of a bar the keyboard is rebuilding: still listed among its parent's
                    # children, already without its QML properties (PySide then finds QMetaObject's
                    # property() and raises TypeError). It is no key, and has no keys below it.
                    continue
                if wanted:
                    found.setdefault(text, child)
                walk(child)

        walk(self.view.rootObject())
        return found

    def key_items(self) -> dict[str, Any]:
        """The keys of the current layout, by label."""
        return self._items(lambda item: item.property("key") is not None)

    def function_key(self, name: str) -> Any:
        """A key without a text label, by its QML type ("HideKeyboardKey", "SymbolModeKey", …)."""
        if self.view is None or self.view.rootObject() is None:
            raise KeyError(name)
        stack = list(self.view.rootObject().childItems())
        while stack:
            item = stack.pop()
            if item.metaObject().className().startswith(name) and item.isVisible():
                return item
            stack.extend(item.childItems())
        raise KeyError(name)

    def candidate_items(self) -> dict[str, Any]:
        """Candidates shown on the bar (or the 更多 page), by text."""
        return self._items(lambda item: item.objectName() == "candidate")

    def bar_items(self) -> dict[str, Any]:
        """The bar's own buttons: 手写 and 更多."""
        return self._items(lambda item: item.objectName() in ("handwritingKey", "moreKey"))

    def candidates(self) -> list[str]:
        """The candidate texts in bar order (what a resident sees, left to right)."""
        if self.view is None or self.view.rootObject() is None:
            return []
        words = self.view.rootObject().property("words")
        if hasattr(words, "toVariant"):  # a QJSValue holding the JS array
            words = words.toVariant()
        return [str(w["text"]) for w in words or []]

    def key_position(self, text: str) -> QPoint:
        return self.item_position(self.key_items()[text])

    def item_position(self, item: Any) -> QPoint:
        center = item.mapToScene(item.boundingRect().center())
        return QPoint(int(center.x()), int(center.y()))
