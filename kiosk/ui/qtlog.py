"""Qt's own messages in our JSON log (kept under kiosk.ui: nothing below the UI imports Qt)."""

from __future__ import annotations

import logging
import re
from typing import Any

#: Qt's own Virtual Keyboard QML binds to QLineEdit::echoMode, which Qt declares non-bindable: every
#: time the keyboard opens Qt warns (two lines, category "default"). Nothing of ours to fix; dropped.
QT_NOISE = (
    re.compile(r"^QQmlExpression: Expression qrc:/qt-project\.org/imports/QtQuick/VirtualKeyboard/"),
    re.compile(r"^\s+QLineEdit::echoMode$"),
)


def qt_noise(message: str) -> bool:
    return any(pattern.search(message) for pattern in QT_NOISE)


def install_qt_message_filter() -> None:
    """Route Qt's messages into our JSON log lines, without the keyboard's known noise."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    qt_log = logging.getLogger("kiosk.qt")

    def handler(kind: QtMsgType, context: Any, message: str) -> None:
        if qt_noise(message):
            return
        category = getattr(context, "category", None) or "default"
        qt_log.log(levels.get(kind, logging.WARNING), "%s: %s", category, message)

    qInstallMessageHandler(handler)
