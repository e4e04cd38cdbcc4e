"""Behind the hidden gesture: the PIN pad, then the admin panel for technicians."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.config import Config
from kiosk.services.admin import PinGuard, PinResult
from kiosk.services.speech import SpeechUnavailable
from kiosk.services.syncing import OUTCOMES, STAGE_NAMES, SyncService
from kiosk.services.terminal import mark_exit_to_system, terminal_status
from kiosk.settings_state import settings_in_effect
from kiosk.ui.admin_actions import AdminActions
from kiosk.ui.navigator import Navigator, Screen
from kiosk.ui.screens.admin_sections import SettingsSection, SyncSection
from kiosk.ui.widgets.common import ScrollPage, button, clear_layout, label, row
from kiosk.ui.widgets.detail import Split, facts
from kiosk.ui.widgets.keypad import Keypad
from kiosk.ui.widgets.touch_test import TouchTest
from kiosk.ui.worker import Background

MAX_PIN = 12
log = logging.getLogger(__name__)


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
    """终端管理: identity and status, sync now, hardware tests, idle time and elder default, restart, exit.

    Built once; every open and every action re-reads the status (content version, outbox, last sync,
    settings in effect) and refreshes the parts in place.
    """

    title = "终端管理"

    def __init__(self, nav: Navigator, actions: AdminActions):
        super().__init__(nav)
        self.kiosk_actions = actions
        self.services = actions.services
        self.page = ScrollPage()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.page)
        self.status_box = QWidget()
        self.status_layout = QVBoxLayout(self.status_box)
        self.status_layout.setContentsMargins(0, 0, 0, 0)
        self.sync_section = SyncSection()
        self.sync_state = self.sync_section.headline
        self.test_state = label("", "body")
        self.test_state.setObjectName("admin-test-state")
        self.settings_section = SettingsSection(self.change)
        self.confirm = ConfirmBar(self._confirmed)
        self.touch: TouchTest | None = None
        self._build()
        actions.sync.listeners.append(self._sync_line)
        actions.sync.finished.connect(self._sync_finished)

    def _build(self) -> None:
        page = self.page
        page.add(label("终端信息与状态", "headline"))
        page.add(self.status_box)
        page.add(label("内容同步", "section"))
        page.add(self.sync_section)
        page.add_layout(row(button("立即同步", self.sync_now, "secondary", "admin-sync")))
        page.add(label("设备检测", "section"))
        page.add(self.test_state)
        page.add_layout(
            row(
                button("测试朗读", self.test_speech, "secondary", "admin-test-speech"),
                button("测试摄像头和麦克风", self.test_media, "secondary", "admin-test-media"),
                button("触摸测试", self.test_touch, "secondary", "admin-test-touch"),
            )
        )
        page.add(label("设置", "section"))
        page.add(self.settings_section)
        page.add(label("程序", "section"))
        page.add_layout(
            row(
                button("返回首页", lambda: self.nav.reset("home"), "secondary", "admin-home"),
                button(
                    "重启程序",
                    lambda: self.confirm.ask("restart", RESTART_QUESTION, "确定重启"),
                    "secondary",
                    "admin-restart",
                ),
                button(
                    "退出到系统", lambda: self.confirm.ask("exit", EXIT_QUESTION, "确定退出"), "secondary", "admin-exit"
                ),
            )
        )
        page.add(self.confirm)
        page.finish()

    def open(self, params: dict[str, Any]) -> None:
        self.test_state.setText("点下面的按钮检测声音、摄像头、麦克风和触摸屏。")
        self.confirm.cancel()
        self.refresh()
        self.page.verticalScrollBar().setValue(0)

    def refresh(self) -> None:
        """Everything shown, read afresh: files written by a sync or the platform since are taken in."""
        self.kiosk_actions.sync.apply_settings()  # settings the platform changed on disk meanwhile
        services = self.services
        clear_layout(self.status_layout)
        status = facts(terminal_status(services.config, services.paths, services.db, services.resident.outbox))
        self.status_layout.addWidget(status)
        status.show()  # now, not on Qt's next turn
        self.sync_section.show_summary(SyncService(services.paths).last_sync())
        self.settings_section.fill(settings_in_effect(services.config, services.paths.state_dir), CHOICES)

    def leave(self) -> None:
        self.confirm.cancel()

    def wipe(self) -> None:
        self.confirm.cancel()
        self.sync_section.show_detail(False)

    # --- sync -------------------------------------------------------------------------------------

    def sync_now(self) -> None:
        if self.kiosk_actions.sync.running:
            self.sync_section.show_progress("正在同步，请稍候……")
            return
        if not self.kiosk_actions.sync.request_now():
            self.sync_section.show_progress("本终端尚未注册到平台，无法同步。请用 kiosk provision 或首次设置向导注册。")
            return
        self.record("sync_now")
        self.sync_section.show_progress("正在同步……")

    def _sync_line(self, line: dict[str, Any]) -> None:
        if self.nav.current_route == "admin" and line.get("stage") not in (None, "done"):
            stage = STAGE_NAMES.get(str(line["stage"]), str(line["stage"]))
            outcome = OUTCOMES.get(str(line.get("status", "")), str(line.get("status", "")))
            self.sync_section.show_progress(f"正在同步：{stage} {outcome}")

    def _sync_finished(self, _result: Any) -> None:
        if self.nav.current_route == "admin":
            self.refresh()

    # --- tests ------------------------------------------------------------------------------------

    def test_speech(self) -> None:
        """Say a fixed sentence through the same voice and speaker residents hear."""
        self.test_state.setText("正在朗读测试语句……")
        self.kiosk_actions.stop_speech()
        self.kiosk_actions.background.run(
            lambda: self.services.speech.speak(SPEECH_TEST), self._speech_done, self._speech_failed, lane="slow"
        )

    def _speech_done(self, _finished: bool) -> None:
        self.test_state.setText("朗读测试完成。没有听到声音时，请检查音箱连线和系统音量。")
        self.record("speech_test", ok=True)

    def _speech_failed(self, exc: BaseException) -> None:
        reason = str(exc) if isinstance(exc, SpeechUnavailable) else f"朗读出错（{exc}）"
        self.test_state.setText(f"朗读不可用：{reason}。请运行 kiosk doctor 查看修复方法。")
        self.record("speech_test", ok=False, reason=reason)

    def test_media(self) -> None:
        from kiosk.ui.screens.consult import media_devices

        cameras, microphones = media_devices()
        self.test_state.setText(
            f"摄像头：{'、'.join(cameras) or '未检测到'}；麦克风：{'、'.join(microphones) or '未检测到'}"
            + ("" if cameras and microphones else "。视频咨询需要两者，请检查连线后再试。")
        )

    def test_touch(self) -> None:
        self.touch = TouchTest(self.window(), self._touch_done)
        self.touch.show_over()

    def _touch_done(self, tapped: int, total: int) -> None:
        self.test_state.setText(
            f"触摸测试：{tapped}/{total} 个格子点到了" + ("，正常。" if tapped == total else "，有区域不灵敏。")
        )
        self.record("touch_test", tapped=tapped, total=total)
        self.touch = None

    # --- settings and the program -----------------------------------------------------------------

    def change(self, name: str, value: Any) -> None:
        config = self.services.config
        old = getattr(config, name)
        if old == value:
            return
        disk = Config.load(config.path)  # keep what the platform may have changed on disk meanwhile
        disk.set(name, value)
        disk.save()
        config.set(name, value)
        if name == "idle_seconds":
            self.kiosk_actions.set_idle_seconds(float(value))
        self.record("setting", name=name, old=old, new=value)
        self.refresh()

    def _confirmed(self, action: str) -> None:
        if action == "restart":
            self.restart()
        elif action == "exit":
            self.exit_to_system()

    def restart(self) -> None:
        self.record("restart")
        self.kiosk_actions.restart()

    def exit_to_system(self) -> None:
        """Leave the kiosk for a login prompt on the screen (the systemd unit reads the note; see operations.md)."""
        self.record("exit")
        mark_exit_to_system(self.services.paths)
        self.kiosk_actions.exit_to_system()

    def record(self, action: str, **detail: Any) -> None:
        """Log an admin action and queue it for the platform (sent with the next sync and heartbeat)."""
        payload = {"action": action, **detail}
        log.info(json.dumps({"event": "admin_action", **payload}, ensure_ascii=False))
        try:
            self.services.resident.outbox.enqueue("admin", payload)
        except Exception:
            log.exception("admin action %s not queued", action)


IDLE_CHOICES = (60, 90, 120, 180, 300)
CHOICES: dict[str, list[tuple[str, Any]]] = {
    "idle_seconds": [(f"{s} 秒", s) for s in IDLE_CHOICES],
    "elder_mode_default": [("标准字号", False), ("长辈模式（大字）", True)],
}
SPEECH_TEST = "这是公共法律服务终端的语音测试。法律服务热线一二三四八。"
RESTART_QUESTION = "确定要重启程序吗？正在使用的居民会回到首页。"
EXIT_QUESTION = (
    "确定要退出到系统吗？退出后本终端停止服务，屏幕显示系统登录界面；重启电脑或运行 systemctl start legal-kiosk 恢复。"
)


class ConfirmBar(QFrame):
    """A destructive action asks once more, in place (a modal dialog would block the kiosk's idle guard)."""

    def __init__(self, confirmed: Callable[[str], None]):
        super().__init__()
        self.setProperty("role", "notice")
        self.confirmed = confirmed
        self.action = ""
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 16, 24, 16)
        self.question = label("", "body")
        self.question.setObjectName("admin-confirm-question")
        column.addWidget(self.question)
        self.yes = button("确定", self._yes, "secondary", "admin-confirm")
        column.addLayout(row(self.yes, button("取消", self.cancel, "secondary", "admin-confirm-cancel")))
        self.setVisible(False)

    def ask(self, action: str, question: str, yes: str) -> None:
        self.action = action
        self.question.setText(question)
        self.yes.setText(yes)
        self.setVisible(True)

    def cancel(self) -> None:
        self.action = ""
        self.setVisible(False)

    def _yes(self) -> None:
        action, self.action = self.action, ""
        self.setVisible(False)
        if action:
            self.confirmed(action)
