"""首次设置: the first-run wizard a technician sees on a terminal that is not enrolled yet.

Platform address and enrolment code (the platform is asked at once whether it answers) → name and
address → county and town → coordinates → admin PIN twice → orientation and elder-mode default →
a summary to check, then enrolment and the first sync with a progress bar and a clear outcome.
Every value is checked by :mod:`kiosk.provisioning.validate`, the same rules as ``kiosk provision``;
the words live in :mod:`kiosk.ui.wizard_text`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.paths import DataPaths
from kiosk.services.provisioning import CODE_RE, problems
from kiosk.ui.widgets.common import button, label
from kiosk.ui.widgets.keyboard import KeyboardHost
from kiosk.ui.wizard_pages import WizardPages
from kiosk.ui.wizard_text import (
    BEFORE_ENROL,
    DONE,
    DONE_NEXT,
    PARTLY_DONE,
    STAGE_TEXT,
    STEPS,
    SYNC_STAGES,
    partly_done_text,
)
from kiosk.ui.worker import Background


class _Relay(QObject):
    line = Signal(object)  # a sync log line, from the worker thread to the UI thread


class SetupWizard(WizardPages):
    finished = Signal(bool)  # True: enrolled and synced (the kiosk can start)

    def __init__(self, paths: DataPaths, background: Background | None = None):
        super().__init__()
        self.setObjectName("Wizard")
        self.setProperty("role", "page")
        self.paths = paths
        self.background = background or Background(parent=self)
        self.step = 0
        self.resume_step: int | None = None  # after a refusal: where 下一步 returns once it is fixed
        self.relay = _Relay(self)
        self.relay.line.connect(self._sync_line)

        self.heading = label("", "headline")
        self.heading.setObjectName("wizard-heading")
        self.progress_text = label("", "muted")
        self.stack = QStackedWidget()
        self.back_button = button("‹ 上一步", self.back, "secondary", "wizard-back")
        self.next_button = button("下一步", self.next, None, "wizard-next")
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        self.keyboard = KeyboardHost()
        body = QVBoxLayout()
        body.setContentsMargins(48, 40, 48, 24)
        body.setSpacing(18)
        body.addWidget(label("公共法律服务自助终端 · 首次设置", "title"))
        body.addWidget(self.progress_text)
        body.addWidget(self.heading)
        body.addWidget(self.stack, 1)
        body.addLayout(nav)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(body, 1)
        outer.addWidget(self.keyboard, 0, Qt.AlignmentFlag.AlignHCenter)
        for page in self.build_pages():
            self.stack.addWidget(page)
        # The code is checked with the platform as soon as it is typed (a pause of half a second).
        self.code_timer = QTimer(self)
        self.code_timer.setSingleShot(True)
        self.code_timer.setInterval(500)
        self.code_timer.timeout.connect(self.check_code)
        for name in ("hub", "code"):
            self.fields[name].textChanged.connect(self._code_typed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self._show_step()

    # --- moving between steps ---------------------------------------------------------------------

    def _show_step(self) -> None:
        title, _ = STEPS[self.step]
        self.heading.setText(title)
        self.progress_text.setText(f"第 {self.step + 1} 步，共 {len(STEPS)} 步")
        self.stack.setCurrentIndex(self.step)
        self.back_button.setVisible(self.step > 0)
        last = self.step == len(STEPS) - 1
        self.next_button.setText("注册" if last else ("回到核对页" if self.resume_step is not None else "下一步"))
        if last and self.next_button.isEnabled():
            self._show_summary()
            self.sync_text.setText(BEFORE_ENROL)
        self.keyboard.hide_keyboard()

    def _check(self, names: tuple[str, ...]) -> bool:
        self._collect()
        found = problems(self.values)
        if "lat" in names and not self._text("lat"):
            found["lat"] = "请填写纬度和经度"
        bad = [n for n in names if n in found]
        for name in bad:
            self.errors[name].setText(found[name])
            self.errors[name].show()
        return not bad

    def next(self) -> None:
        if self.step == len(STEPS) - 1:
            self.start_enrolment()
            return
        if not self._check(STEPS[self.step][1]):
            return
        if self.step == 0:
            self._probe()
            return
        self._forward()

    def _forward(self) -> None:
        """The next step; or, when a refusal sent the technician back here, straight back to 注册."""
        if self.resume_step is not None and self.resume_step > self.step and not problems(self.values):
            self.step, self.resume_step = self.resume_step, None
        else:
            self.step += 1
        self._show_step()

    def _probe(self) -> None:
        """Does the platform answer at this address, and would it take this code? Asked before anything else."""
        from kiosk.services.provisioning import code_problem, platform_problem

        hub, code, allow_http = self.values.hub, self.values.code, self.values.allow_http

        def work() -> tuple[str, str | None]:
            problem = platform_problem(hub, allow_http)
            if problem:
                return "hub", problem
            return "code", code_problem(hub, code, allow_http)[0]

        self._busy(True)
        self.progress_text.setText(STAGE_TEXT["probe"])
        self.background.run(work, self._probed, self._probe_failed, lane="slow")

    def _probed(self, outcome: tuple[str, str | None]) -> None:
        self._busy(False)
        if self.step != 0:
            return
        field, problem = outcome
        if problem:
            self._show_step()
            self.errors[field].setText(problem)
            self.errors[field].show()
            return
        self._forward()

    def _probe_failed(self, exc: BaseException) -> None:
        self._probed(("hub", f"无法检查平台地址：{exc}"))

    # --- the code, checked while typing -----------------------------------------------------------

    def _code_typed(self, _text: str) -> None:
        self.code_ok.hide()
        self.code_timer.start()

    def check_code(self) -> None:
        """Ask the platform about the code in the field (without using it); stale answers are dropped."""
        from kiosk.services.provisioning import code_problem, hub_problem

        self._collect()
        hub, code, allow_http = self.values.hub, self.values.code, self.values.allow_http
        if hub_problem(hub, allow_http) or not CODE_RE.match(code):
            return
        self.background.run(
            lambda: code_problem(hub, code, allow_http), lambda answer: self._code_checked(hub, code, answer)
        )

    def _code_checked(self, hub: str, code: str, answer: tuple[str | None, str]) -> None:
        if (self._text("hub"), self._text("code")) != (hub, code):
            return  # typed on meanwhile
        problem, name = answer
        if problem:
            self.errors["code"].setText(problem)
            self.errors["code"].show()
            return
        if name:
            self.code_ok.setText(f"注册码有效：平台为“{name}”签发")
            self.code_ok.show()
            if not self._text("name"):
                self.fields["name"].setText(name)  # the name the platform knows it by; the technician may change it

    def _busy(self, busy: bool) -> None:
        self.next_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)

    def back(self) -> None:
        if self.step > 0 and self.next_button.isEnabled():
            self.step -= 1
            self._show_step()

    def go_to_field(self, name: str) -> None:
        """Back to the step of a field the platform refused (wrong code, unreachable address); once it
        is fixed, 下一步 returns to this step with everything else kept."""
        for index, (_, names) in enumerate(STEPS):
            if name in names:
                if index < self.step:
                    self.resume_step = self.step
                self.step = index
                self._show_step()
                return

    # --- enrolment and the first sync -------------------------------------------------------------

    def start_enrolment(self) -> None:
        self._collect()
        found = problems(self.values)
        if found:
            self.go_to_field(next(iter(found)))
            self._check(STEPS[self.step][1])
            return
        self._busy(True)
        self.result.hide()
        self.bar.setValue(0)
        self.sync_text.setText(STAGE_TEXT["enrol"])
        values, paths, relay = self.values, self.paths, self.relay

        def work() -> tuple[str, int]:
            from kiosk.services.provisioning import enrol, first_sync

            done = enrol(paths, values)
            return done.device_id, first_sync(paths, relay.line.emit)

        self.background.run(work, self._done, self._failed, lane="slow")

    def _sync_line(self, line: dict[str, Any]) -> None:
        stage = str(line.get("stage", ""))
        if stage in SYNC_STAGES:
            self.bar.setValue(SYNC_STAGES.index(stage) + 2)
            self.sync_text.setText(STAGE_TEXT.get(stage, stage))

    def _done(self, outcome: tuple[str, int]) -> None:
        from kiosk.services.provisioning import EXIT_OK

        _device_id, code = outcome
        synced = code == EXIT_OK
        self.result.show()
        if synced:
            self.bar.setValue(self.bar.maximum())
            self.result.setText(DONE)
            self.sync_text.setText(DONE_NEXT)
        else:
            self.result.setText(PARTLY_DONE)
            self.sync_text.setText(partly_done_text(code))
        self.back_button.hide()  # enrolled: there is no step to go back to
        self.next_button.setText("进入首页")
        self.next_button.clicked.disconnect()
        self.next_button.clicked.connect(lambda: self.finished.emit(synced))
        self.next_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        from kiosk.services.provisioning import EnrolmentFailed, InvalidValues

        self._busy(False)
        self.sync_text.setText(BEFORE_ENROL)
        self.result.show()
        if isinstance(exc, EnrolmentFailed):
            self.result.setText(f"注册没有成功：{exc.message}")
            if exc.field:
                self.go_to_field(exc.field)
                self.errors[exc.field].setText(exc.message)
                self.errors[exc.field].show()
        elif isinstance(exc, InvalidValues):
            self.go_to_field(next(iter(exc.problems)))
            self._check(STEPS[self.step][1])
        else:
            self.result.setText(f"注册没有成功：{exc}")

    # --- keyboard ---------------------------------------------------------------------------------

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, QLineEdit) and new.window() is self:
            self.keyboard.show_keyboard()


def needs_setup(paths: DataPaths) -> bool:
    return not paths.device_file.exists()
