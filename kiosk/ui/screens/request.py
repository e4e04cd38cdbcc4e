"""预约、回电、调解申请、投诉: the PIPL notice and explicit consent first, then only the fields the
request needs, then a reference number. Everything typed is wiped on leaving and on walk-away."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QButtonGroup, QLabel, QLineEdit, QWidget

from kiosk.flows.requests import (
    FIELD_LABELS,
    MATTER_CHIPS,
    PIPL_NOTICE,
    ConsentRequired,
    RequestForm,
    RequestKind,
    reference_text,
)
from kiosk.services.directory import DirectoryService
from kiosk.services.resident import ResidentService
from kiosk.ui.navigator import Navigator
from kiosk.ui.screens.institution import qr_row
from kiosk.ui.screens.page import HOTLINE_URL, PageScreen
from kiosk.ui.widgets.chips import FlowLayout
from kiosk.ui.widgets.common import MessageSlot, button, label
from kiosk.ui.widgets.keyboard import PRIVATE_HINTS, private_line_edit
from kiosk.ui.widgets.keyboard_bridge import NAMES, WORD_LIST

TIME_CHOICES = ("尽快", "工作日上午", "工作日下午", "周六上午")
OFFICE_TYPES = ["公共法律服务中心", "法律援助中心", "司法所", "人民调解委员会", "公证处"]
PLACEHOLDERS = {
    "name": "您的姓名",
    "phone": "手机号码，如 13812345678",
    "matter": "补充一两句（可不填），如：拖欠三个月工资",
}
#: The longest message each field can show: its space is kept free, so a message never moves the
#: buttons under it (a resident's next tap must land where they aimed).
LONGEST_ERROR = {
    "name": "姓名请填写1至20个汉字或字母",
    "phone": "请填写11位手机号码或带区号的固定电话（如0712-2345678）",
    "matter": "事项简述请不超过300字",
}
INTROS = {
    RequestKind.APPOINTMENT: "预约后工作人员会打电话和您确认时间，到时请带上身份证。",
    RequestKind.CALLBACK: "值班律师会在您希望的时间给您回电话，免费解答。",
    RequestKind.MEDIATION: "人民调解免费。调解员会先电话联系您，了解情况后约双方调解。",
    RequestKind.COMPLAINT: "投诉由司法行政部门受理，一般在15个工作日内答复。",
}


def fit_width(widget: QLabel, width: int) -> None:
    """Shrink a one-line label's style-sheet font until its text fits ``width`` pixels (a long
    reference number in elder mode on a portrait screen)."""
    widget.ensurePolished()
    font = widget.font()
    advance = QFontMetricsF(font).horizontalAdvance(widget.text())
    if width > 0 and advance > width:
        widget.setStyleSheet(f"font-size: {int(font.pointSizeF() * width / advance)}pt;")


class RequestScreen(PageScreen):
    title = "预约与申请"

    def __init__(self, nav: Navigator, resident: ResidentService, directory: DirectoryService):
        super().__init__(nav)
        self.resident = resident
        self.directory = directory
        self.form: RequestForm | None = None
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.headings: dict[str, QLabel] = {}  # each field's heading on the page on screen
        self.reference = ""

    def open(self, params: dict[str, Any]) -> None:
        self._forget()
        try:
            kind = RequestKind(params.get("kind", "callback"))
        except ValueError:
            kind = RequestKind.CALLBACK
        self.form = RequestForm(kind, topic=str(params.get("topic") or ""))
        if params.get("institution"):
            self.form.values["institution"] = str(params["institution"])
        self.title = kind.label
        self.resident.count("service.request.started")
        self._notice_page()

    def state(self) -> dict[str, Any]:
        # 返回 to this screen starts again at the notice: nothing typed is kept in the back stack
        # (the topic is what the resident was reading, not something they typed).
        return {"kind": self.form.kind.value, "topic": self.form.topic} if self.form else {}

    def leave(self) -> None:
        self._forget()

    def wipe(self) -> None:
        self._forget()
        self._new_page()

    def _forget(self) -> None:
        self._drop_fields()
        if self.form is not None:
            self.form.wipe()
        self.reference = ""

    def _drop_fields(self) -> None:
        """Empty the text fields before their page is rebuilt (which deletes them)."""
        for edit in self.fields.values():
            edit.clear()
        self.fields.clear()
        self.errors.clear()
        self.headings.clear()

    def _new_page(self) -> None:
        self._drop_fields()
        self.new_page()

    # --- 1. notice and consent --------------------------------------------------------------------

    def _notice_page(self) -> None:
        assert self.form is not None
        page = self.page
        self._new_page()
        page.add(label(self.form.kind.label, "headline"))
        self._topic_line()
        page.add(label(INTROS[self.form.kind], "body"))
        page.add(label("个人信息告知", "section"))
        self.notice(PIPL_NOTICE, "pipl-notice")
        self.button_row(
            button("同意并继续", self.agree, None, "consent-yes"),
            button("不同意", self.refuse, "secondary", "consent-no"),
        )
        page.finish()
        self.spoken = PIPL_NOTICE + "同意请点“同意并继续”。"

    def agree(self) -> None:
        assert self.form is not None
        self.form.consent = True
        self._form_page()

    def refuse(self) -> None:
        assert self.form is not None
        topic = self.form.topic  # what they were reading, not what they typed: 重新阅读告知 keeps it
        self.form.wipe()
        self.form.topic = topic
        page = self.page
        self._new_page()
        refused = label("您没有同意个人信息告知，本终端不会收集您的信息。", "headline")
        refused.setObjectName("consent-refused")
        page.add(refused)
        page.add(label("您仍然可以拨打 12348 法律服务热线办理，或直接到公共法律服务中心。", "body"))
        page.add(qr_row((HOTLINE_URL, "扫码拨打 12348")))
        self.button_row(
            button("重新阅读告知", self._notice_page, "secondary", "consent-again"),
            button("返回首页", self.nav.home, None, "request-home"),
        )
        page.finish()
        self.spoken = "您没有同意个人信息告知，本终端不会收集您的信息。您可以拨打12348办理。"

    # --- 2. the fields ----------------------------------------------------------------------------

    def _form_page(self) -> None:
        assert self.form is not None
        page = self.page
        self._new_page()
        page.add(label(f"{self.form.kind.label}：请填写以下信息", "headline"))
        self._topic_line()
        page.add(label("只收集办理所必需的信息。点输入框会弹出键盘。", "muted"))
        for name in self.form.kind.fields:
            optional = name in self.form.kind.optional
            heading = label(FIELD_LABELS[name] + ("（可不填，点选即可）" if optional else ""), "section")
            self.headings[name] = heading
            page.add(heading)
            if name == "institution":
                page.add(self._choices(name, [o.name for o in self._offices()]))
            elif name == "preferred_time":
                page.add(self._choices(name, list(TIME_CHOICES)))
            elif name == "matter":
                page.add(self._choices("matter_chip", list(MATTER_CHIPS)))
                page.add(self._edit(name))
            else:
                page.add(self._edit(name))
            page.add(self._error_slot(name))
        self.button_row(
            button("提交", self.submit, None, "request-submit"),
            button("取消", self.cancel, "secondary", "request-cancel"),
        )
        page.finish()
        self.spoken = f"请填写：{'、'.join(FIELD_LABELS[n] for n in self.form.kind.fields)}。"

    def _topic_line(self) -> None:
        """What the resident was reading when they asked: it came along, nobody types it."""
        assert self.form is not None
        if self.form.topic:
            topic = label(f"咨询事项：{self.form.topic}", "title")
            topic.setObjectName("request-topic")
            self.page.add(topic)

    def _error_slot(self, name: str) -> QLabel:
        """The field's message line: hidden, its space kept for its longest message."""
        error = MessageSlot(LONGEST_ERROR.get(name, f"请填写{FIELD_LABELS[name]}"))
        error.setObjectName(f"error-{name}")
        self.errors[name] = error
        return error

    def _edit(self, name: str) -> QLineEdit:
        edit = private_line_edit(PLACEHOLDERS.get(name, ""))
        edit.setObjectName(f"field-{name}")
        if name == "phone":
            # The phone pad (digits and the area-code dash), and still nothing learnt (ImhSensitiveData).
            edit.setInputMethodHints(PRIVATE_HINTS | Qt.InputMethodHint.ImhDialableCharactersOnly)  # 0712-…
            edit.setMaxLength(13)
        else:
            edit.setMaxLength(20 if name == "name" else 300)
        if name == "name":
            edit.setProperty(WORD_LIST, NAMES)  # the candidate bar offers surnames, not law words
        edit.textChanged.connect(lambda _t, n=name: self.errors[n].hide() if n in self.errors else None)
        self.fields[name] = edit
        return edit

    def _choices(self, name: str, choices: list[str]) -> QWidget:
        assert self.form is not None
        host = QWidget()
        flow = FlowLayout(host)
        group = QButtonGroup(host)
        current = self.form.values.get(name)
        for i, text in enumerate(choices):
            chip = button(text, partial(self._choose, name, text), "chip", f"choice-{name}-{i}")
            chip.setCheckable(True)
            chip.setChecked(text == current)
            group.addButton(chip)
            flow.addWidget(chip)
        return host

    def _choose(self, name: str, value: str) -> None:
        assert self.form is not None
        self.form.values[name] = value
        if name in self.errors:
            self.errors[name].hide()

    def _offices(self) -> list[Any]:
        return self.directory.institutions(types=OFFICE_TYPES, limit=5)

    # --- 3. submit --------------------------------------------------------------------------------

    def submit(self) -> None:
        assert self.form is not None
        for name, edit in self.fields.items():
            self.form.values[name] = edit.text()
        chip = self.form.values.pop("matter_chip", "")
        if chip:
            self.form.values["matter"] = "：".join(p for p in (chip, self.form.values.get("matter", "").strip()) if p)
        problems = self.form.errors()
        for name, error in self.errors.items():
            if name in problems:
                error.setText(problems[name])
            error.setVisible(name in problems)
        if problems:
            if chip:  # the chip stays chosen on screen; it is joined to the text again next time
                self.form.values["matter_chip"] = chip
                self.form.values["matter"] = self.fields["matter"].text() if "matter" in self.fields else ""
            self._show_first_problem(problems)
            return
        try:
            self.reference = self.resident.submit_request(self.form)
        except ConsentRequired:
            self._notice_page()
            return
        self.resident.count("service.request.finished")
        self._done_page()

    def _show_first_problem(self, problems: dict[str, str]) -> None:
        """Scroll the first field in error into view, heading and message.

        The resident tapped 提交 at the bottom; a missing name at the top would be out of sight, and a
        toast over the page covered the message nearest the finger. Read aloud, the page now says
        what to correct.
        """
        assert self.form is not None
        order = [n for n in self.form.kind.fields if n in problems]
        if not order:
            return
        first = order[0]
        for widget in (self.errors.get(first), self.headings.get(first)):
            if widget is not None:
                self.page.ensureWidgetVisible(widget, 20, 40)
        self.spoken = "请按提示修改后再提交：" + "；".join(problems[n] for n in order) + "。"

    def cancel(self) -> None:
        self._forget()
        self.nav.back()

    def _done_page(self) -> None:
        assert self.form is not None
        page = self.page
        self._new_page()
        page.add(label("已提交，请记下您的编号", "headline"))
        ref = label(self.reference, "countdown")
        ref.setObjectName("request-reference")
        ref.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        page.add(ref)
        fit_width(ref, self.page.viewport().width() - 64)
        page.add(qr_row((reference_text(self.form.kind, self.reference), "扫码存下编号")))
        page.add(
            label(
                "信息将在终端联网后送达省公共法律服务平台，工作人员会按您留的电话联系您。"
                "查询进度请拨打 12348 并报上编号。您的信息送达后即从本终端删除；二维码里只有编号，没有您的个人信息。",
                "body",
            )
        )
        session = uuid.uuid4().hex
        self.button_row(
            button(
                "评价本次服务", lambda: self.nav.go("rating", service="request", session=session), None, "request-rate"
            ),
            button("返回首页", self.nav.home, "secondary", "request-home"),
        )
        page.finish()
        self.spoken = "已提交。您的编号是" + " ".join(self.reference) + "。请记下编号。"
