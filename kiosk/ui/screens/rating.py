"""满意度评价 after a service (five levels; the two lowest ask why), and the 评价与投诉 entry page."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QLineEdit, QWidget

from kiosk.flows.rating import LOW_RATING_REASONS, AlreadyRated, Level, RatingSession, ReasonRequired
from kiosk.services.resident import ResidentService
from kiosk.ui.navigator import Navigator
from kiosk.ui.screens.institution import qr_row
from kiosk.ui.screens.page import HOTLINE_URL, PageScreen
from kiosk.ui.widgets.chips import FlowLayout
from kiosk.ui.widgets.common import button, label
from kiosk.ui.widgets.keyboard import private_line_edit

SERVICE_LABELS = {
    "legal_aid": "法律援助自测",
    "consult": "视频咨询",
    "request": "预约与申请",
    "terminal": "自助终端服务",
}
#: Sessions remembered so a second rating of the same one is refused (a resident's visit is short).
MAX_REMEMBERED = 200


class RatingScreen(PageScreen):
    title = "服务评价"
    PAGE_PARTS = ("text_field", "error")

    def __init__(self, nav: Navigator, resident: ResidentService):
        super().__init__(nav)
        self.resident = resident
        self.sessions: dict[tuple[str, str], RatingSession] = {}
        self.current: RatingSession | None = None
        self.level: Level | None = None
        self.reason: str | None = None
        self.text_field: QLineEdit | None = None
        self.error: QLabel | None = None  # the reasons page's own: every page build makes a new one

    def open(self, params: dict[str, Any]) -> None:
        service = str(params.get("service") or "terminal")
        key = (service, str(params.get("session") or uuid.uuid4().hex))
        if key not in self.sessions:
            if len(self.sessions) >= MAX_REMEMBERED:
                self.sessions.pop(next(iter(self.sessions)))
            self.sessions[key] = RatingSession(service, key[1])
        self.current = self.sessions[key]
        self.level, self.reason = None, None
        if self.current.rated:
            self._done("这项服务您已经评价过了，谢谢！")
        else:
            self._levels()

    def state(self) -> dict[str, Any]:
        if self.current is None:
            return {}
        return {"service": self.current.service, "session": self.current.session_id}

    def leave(self) -> None:
        self._forget_text()

    def wipe(self) -> None:
        self.current, self.level, self.reason = None, None, None
        self.new_page()

    def _forget_text(self) -> None:
        """Empty the free-text field now: the widget itself is deleted only later by the event loop."""
        if self.text_field is not None:
            self.text_field.clear()

    def new_page(self) -> None:
        self._forget_text()
        super().new_page()

    # --- pages ------------------------------------------------------------------------------------

    def _levels(self) -> None:
        assert self.current is not None
        self.reason = None
        page = self.page
        self.new_page()
        service = SERVICE_LABELS.get(self.current.service, self.current.service)
        page.add(label(f"您对「{service}」满意吗？", "headline"))
        page.add(label("请点选一项。评价不记录您的任何个人信息。", "muted"))
        host = QWidget()
        grid = QGridLayout(host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(16)
        wide = self.window().width() > 1300  # landscape: the five side by side, all on one screen
        for i, level in enumerate(Level):
            b = button(level.label, partial(self.choose, level), "huge", f"level-{level.value}")
            b.setStyleSheet("padding-left: 8px; padding-right: 8px;" if wide else "")
            grid.addWidget(b, 0 if wide else i, i if wide else 0)
            self.offered.append(b.objectName())
        page.add(host)
        page.finish()
        self.spoken = f"您对{service}满意吗？请选择：非常满意、满意、基本满意、不满意、非常不满意。"

    def choose(self, level: Level) -> None:
        self.level = level
        if level.needs_reason:
            self._reasons()
        else:
            self.submit()

    def _reasons(self) -> None:
        assert self.level is not None
        self.reason = None
        page = self.page
        self.new_page()
        page.add(label(f"您选择了「{self.level.label}」。请告诉我们哪里没做好：", "headline"))
        host = QWidget()
        chips = FlowLayout(host)
        group = QButtonGroup(host)
        group.setExclusive(True)
        for reason in LOW_RATING_REASONS:
            chip = button(reason, partial(self._pick, reason), "chip", f"reason-{reason}")
            chip.setCheckable(True)
            group.addButton(chip)
            chips.addWidget(chip)
        page.add(host)
        page.add(label("还想说点什么（可不填）", "section"))
        self.text_field = private_line_edit("例如：没有找到关于宅基地的内容")
        self.text_field.setObjectName("rating-text")
        self.text_field.setMaxLength(200)
        page.add(self.text_field)
        self.error = label("", "notice")
        self.error.setObjectName("rating-error")
        self.error.hide()
        page.add(self.error)
        self.button_row(
            button("提交评价", self.submit, None, "rating-submit"),
            button("重新选择", self._levels, "secondary", "rating-again"),
        )
        page.finish()
        self.spoken = "请选择不满意的原因：" + "；".join(LOW_RATING_REASONS)

    def _pick(self, reason: str) -> None:
        self.reason = reason
        if self.error is not None:
            self.error.hide()

    def submit(self) -> None:
        assert self.current is not None and self.level is not None
        text = self.text_field.text() if self.text_field is not None and self.level.needs_reason else ""
        reason = self.reason if self.level.needs_reason else None
        try:
            self.resident.submit_rating(self.current, self.level, reason, text)
        except ReasonRequired:
            assert self.error is not None  # a reason is asked only on the reasons page
            self.error.setText("请先选择一个原因，再提交。")
            self.error.show()
            return
        except AlreadyRated:
            self._done("这项服务您已经评价过了，谢谢！")
            return
        self._done("感谢您的评价！您的意见会转给司法行政部门，用于改进服务。")

    def _done(self, message: str) -> None:
        page = self.page
        self.new_page()
        done = label(message, "headline")
        done.setObjectName("rating-done")
        page.add(done)
        if self.level is not None and self.level.needs_reason:
            page.add(label("如需投诉具体的人员或机构，可以在「评价与投诉」中提交投诉，或拨打 12348。", "body"))
            page.add(button("我要投诉", lambda: self.nav.go("request", kind="complaint"), "secondary", "to-complaint"))
        page.add(button("返回首页", self.nav.home, None, "rating-home"))
        self.offered.append("rating-home")
        page.finish()
        self.spoken = message


class FeedbackScreen(PageScreen):
    """The home tile 评价与投诉: rate the terminal, complain, ask for mediation, book, or ask for a call."""

    title = "评价与投诉"

    def open(self, params: dict[str, Any]) -> None:
        page = self.page
        page.clear()
        page.add(label("您的意见很重要", "headline"))
        choices = (
            ("评价本终端的服务", lambda: self.nav.go("rating", service="terminal", session=uuid.uuid4().hex)),
            ("投诉法律服务机构或人员", lambda: self.nav.go("request", kind="complaint")),
            ("申请人民调解（邻里、家庭、土地等纠纷）", lambda: self.nav.go("request", kind="mediation")),
            ("预约到服务机构办理", lambda: self.nav.go("request", kind="appointment")),
            ("请律师给我回电话", lambda: self.nav.go("request", kind="callback")),
        )
        self.offered = []
        for i, (text, action) in enumerate(choices):
            page.add(button(text, action, "link", f"feedback-{i}"))
            self.offered.append(f"feedback-{i}")
        page.add(label("也可以直接拨打 12348 法律服务热线", "section"))
        page.add(qr_row((HOTLINE_URL, "扫码拨打 12348")))
        page.finish()
        self.spoken = "您可以评价本终端的服务、投诉、申请人民调解、预约办理，或请律师回电。也可以拨打12348。"
