"""What the robot resident watches besides the screen: Qt warnings, Python exceptions raised in slots,
and Python references to widgets Qt has already deleted."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import shiboken6
from PySide6.QtCore import QMessageLogContext, QObject, QtMsgType, qInstallMessageHandler

#: Messages of Qt itself on the offscreen platform / without GPU or sound server: not the kiosk's.
QT_NOISE = (
    r"QQmlExpression: Expression qrc:/qt-project.org/imports/QtQuick/VirtualKeyboard/.*",
    r"^\s*QLineEdit::echoMode$",
    r"This plugin does not support (propagateSizeHints|raise)\(\)",
    r"QGestureManager::deliverEvents: could not find the target for gesture",
    r"PulseAudioService: pa_context_connect\(\) failed",
    r"ThreadLocalRhiHolder::ensureRhi.*No RHI backend",
)
_NOISE = re.compile("|".join(f"(?:{p})" for p in QT_NOISE))
_WARNINGS = (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)

_Handler = Callable[[QtMsgType, QMessageLogContext, str], None]


@dataclass
class Watch:
    """Collects Qt warnings and uncaught exceptions while installed; chains to the previous hooks
    (pytest-qt's own capture keeps working under it)."""

    warnings: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    _previous_hook: Any = None
    _previous_handler: _Handler | None = None
    _installed: bool = False

    def install(self) -> Watch:
        self._previous_hook = sys.excepthook
        sys.excepthook = self._excepthook
        self._previous_handler = qInstallMessageHandler(self._message)
        self._installed = True
        return self

    def uninstall(self) -> None:
        if not self._installed:
            return
        sys.excepthook = self._previous_hook
        qInstallMessageHandler(self._previous_handler)
        self._installed = False

    def _excepthook(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        import traceback

        self.exceptions.append("".join(traceback.format_exception(kind, value, tb)).strip())
        if self._previous_hook is not None:
            self._previous_hook(kind, value, tb)

    def _message(self, kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
        if kind in _WARNINGS and not _NOISE.search(text):
            self.warnings.append(text)
        if self._previous_handler is not None:
            self._previous_handler(kind, context, text)

    def problems(self) -> list[str]:
        return [f"Qt warning: {w}" for w in self.warnings] + [f"exception: {e}" for e in self.exceptions]


def _qobjects(value: object, depth: int = 0) -> Iterable[QObject]:
    if isinstance(value, QObject):
        yield value
    elif depth < 2 and isinstance(value, dict):
        for v in value.values():
            yield from _qobjects(v, depth + 1)
    elif depth < 2 and isinstance(value, list | tuple | set):
        for v in value:
            yield from _qobjects(v, depth + 1)


def dangling(owner: object) -> list[str]:
    """Attributes of ``owner`` (also inside its dicts and lists) that point at Qt objects already
    deleted: the next use raises "Internal C++ object already deleted"."""
    found = []
    for name, value in vars(owner).items():
        for obj in _qobjects(value):
            if not shiboken6.isValid(obj):
                found.append(f"{type(owner).__name__}.{name} ({type(obj).__name__})")
    return found
