"""Behind the hidden gesture: the PIN pad, then a simple admin screen (status and exit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.config import Config
from kiosk.paths import DataPaths
from kiosk.services.admin import PinGuard, PinResult
from kiosk.services.terminal import terminal_status
from kiosk.ui.navigator import Navigator, Screen
from kiosk.ui.widgets.common import ScrollPage, button, label, row
from kiosk.ui.widgets.detail import Split, facts
from kiosk.ui.widgets.keypad import Keypad
from kiosk.ui.worker import Background

MAX_PIN = 12


class AdminPinScreen(Screen):
    title = "管理员验证"

    def __init__(self, nav: Navigator, guard: PinGuard, background: Background):
        super().__init__(nav)
        self.guard = guard
        self.background = background
        self.digits = ""
        self.checking = False
        words = QWidget()
        column = QVBoxLayout(words)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(20)
        column.addWidget(label("请输入管理密码", "headline"))
        self.dots = label("", "headline", wrap=False)
        self.dots.setObjectName("pin-dots")
        column.addWidget(self.dots)
        self.message = label("", "body")
        self.message.setObjectName("pin-message")
        column.addWidget(self.message)
        column.addStretch(1)
        self.pad = Keypad("确定")
        self.pad.setObjectName("pin-pad")
        self.pad.setMaximumWidth(720)
        self.pad.digit.connect(self._digit)
        self.pad.erase.connect(self._erase)
        self.pad.enter.connect(self._enter)
        pad_box = QWidget()
        pad_layout = QVBoxLayout(pad_box)
        pad_layout.setContentsMargins(0, 0, 0, 0)
        pad_layout.addWidget(self.pad)
        pad_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.addWidget(Split(words, pad_box, side_width=640))
        self.lock_timer = QTimer(self)
        self.lock_timer.setInterval(1000)
        self.lock_timer.timeout.connect(self._update_lock)

    def _show_dots(self) -> None:
        self.dots.setText("● " * len(self.digits) if self.digits else "○ ○ ○ ○")

    def _digit(self, d: str) -> None:
        if len(self.digits) < MAX_PIN and not self.checking:
            self.digits += d
            self._show_dots()

    def _erase(self) -> None:
        self.digits = self.digits[:-1]
        self._show_dots()

    def _enter(self) -> None:
        if self.checking or not self.digits:
            return
        pin, self.digits = self.digits, ""
        self._show_dots()
        self.checking = True
        self.message.setText("正在验证…")
        self.background.run(lambda: self.guard.verify(pin), self._verified, lane="slow")

    def _verified(self, result: PinResult) -> None:
        self.checking = False
        if result.ok:
            self.message.setText("")
            self.nav.replace("admin")
            return
        self.message.setText(result.message)
        if result.locked_seconds:
            self._update_lock()

    def _update_lock(self) -> None:
        left = self.guard.locked_seconds()
        self.pad.setEnabled(left == 0)
        if left:
            self.message.setText(f"密码错误次数过多，已锁定。请 {left // 60} 分 {left % 60:02d} 秒后再试")
            self.lock_timer.start()
        else:
            self.lock_timer.stop()
            if "锁定" in self.message.text():
                self.message.setText("")

    def open(self, params: dict[str, Any]) -> None:
        self.digits = ""
        self._show_dots()
        self.message.setText("" if self.guard.has_pin() else "尚未设置管理密码，请用 kiosk provision 设置")
        self._update_lock()

    def leave(self) -> None:
        self.digits = ""
        self.lock_timer.stop()

    def wipe(self) -> None:
        self.leave()
        self.message.setText("")


class AdminScreen(Screen):
    title = "终端管理"

    def __init__(self, nav: Navigator, config: Config, paths: DataPaths, quit_app: Callable[[], None]):
        super().__init__(nav)
        self.config = config
        self.paths = paths
        self.quit_app = quit_app
        self.page = ScrollPage()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.page)

    def open(self, params: dict[str, Any]) -> None:
        self.page.clear()
        self.page.add(label("终端状态", "headline"))
        self.page.add(facts(terminal_status(self.config, self.paths)))
        self.page.add(label("同步、硬件检测和设置将在完整的管理面板中提供。", "muted"))
        self.page.add_layout(
            row(
                button("返回首页", lambda: self.nav.reset("home"), role="secondary", name="admin-home"),
                button("退出程序", self.quit_app, name="admin-exit"),
            )
        )
        self.page.finish()

    def wipe(self) -> None:
        self.page.clear()
