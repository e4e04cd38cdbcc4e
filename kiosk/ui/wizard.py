"""首次设置: the first-run wizard a technician sees on a terminal that is not enrolled yet.

Platform address and enrolment code → name and address → county and town → coordinates → admin PIN
twice → orientation and elder-mode default → enrolment and the first sync with a progress bar.
Every value is checked by :mod:`kiosk.provisioning.validate`, the same rules as ``kiosk provision``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.paths import DataPaths
from kiosk.services.provisioning import Enrolment, counties, full_name, number, problems, regions, towns
from kiosk.ui.widgets.chips import FlowLayout
from kiosk.ui.widgets.common import button, label
from kiosk.ui.widgets.keyboard import PRIVATE_HINTS, KeyboardHost, private_line_edit
from kiosk.ui.worker import Background

#: (title, the fields checked before going on)
STEPS = (
    ("连接省级平台", ("hub", "code")),
    ("终端名称和安放地点", ("name", "address")),
    ("所在县区和乡镇", ("region",)),
    ("终端位置（经纬度）", ("lat",)),
    ("设置管理密码", ("pin", "pin_again")),
    ("屏幕方向和长辈模式", ("orientation",)),
    ("注册并同步内容", ()),
)
PIN_HELP = "管理密码用于进入终端管理（三秒内在屏幕右上角连点五下）。6 到 12 位数字，不要用 123456 这类容易猜的。"
SYNC_STAGES = ("metadata", "content", "media", "outbox", "heartbeat", "done")
STAGE_TEXT = {
    "enrol": "正在向平台注册……",
    "metadata": "正在核验签名……",
    "content": "正在下载法律法规和服务信息（约一分钟）……",
    "media": "正在下载图片和视频……",
    "outbox": "正在上报……",
    "heartbeat": "正在向平台报到……",
    "done": "完成",
}


class _Relay(QObject):
    line = Signal(object)  # a sync log line, from the worker thread to the UI thread


class SetupWizard(QWidget):
    finished = Signal(bool)  # True: enrolled and synced (the kiosk can start)

    def __init__(self, paths: DataPaths, background: Background | None = None):
        super().__init__()
        self.setObjectName("Wizard")
        self.setProperty("role", "page")
        self.paths = paths
        self.background = background or Background(parent=self)
        self.values = Enrolment()
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.step = 0
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
        for build in (self._connect_page, self._name_page, self._region_page, self._place_page, self._pin_page):
            self.stack.addWidget(build())
        self.stack.addWidget(self._screen_page())
        self.stack.addWidget(self._sync_page())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self._show_step()

    # --- pages ------------------------------------------------------------------------------------

    def _page(self, *rows: QWidget) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        for row in rows:
            column.addWidget(row)
        column.addStretch(1)
        return page

    def _field(self, name: str, caption: str, placeholder: str = "", secret: bool = False) -> list[QWidget]:
        edit = private_line_edit(placeholder)
        edit.setObjectName(f"wizard-{name}")
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setInputMethodHints(PRIVATE_HINTS | Qt.InputMethodHint.ImhDigitsOnly)
            edit.setMaxLength(12)
        edit.textChanged.connect(lambda _t: self.errors[name].hide())
        self.fields[name] = edit
        return [label(caption, "section"), edit, self._error(name)]

    def _error(self, name: str) -> QLabel:
        error = label("", "notice")
        error.setObjectName(f"wizard-error-{name}")
        error.hide()
        self.errors[name] = error
        return error

    def _connect_page(self) -> QWidget:
        return self._page(
            label("请向县司法局索取平台地址和本终端的一次性注册码。", "body"),
            *self._field("hub", "平台地址", "https://"),
            *self._field("code", "注册码", "如 K7QW-2M9X-HT4P"),
        )

    def _name_page(self) -> QWidget:
        return self._page(
            *self._field("name", "终端名称（显示在平台和报表中）", "如 书院街道便民服务中心"),
            *self._field("address", "安放地址（可不填）", "如 孝南区书院街道××路××号一楼大厅"),
        )

    def _region_page(self) -> QWidget:
        self.county_box = QWidget()
        county_flow = FlowLayout(self.county_box)
        self.county_group = QButtonGroup(self)
        for county in counties():
            chip = button(county.name, partial(self._pick_county, county.code), "chip", f"county-{county.code}")
            chip.setCheckable(True)
            self.county_group.addButton(chip)
            county_flow.addWidget(chip)
        self.town_box = QWidget()
        self.town_flow = FlowLayout(self.town_box)
        self.town_group = QButtonGroup(self)
        self.region_label = label("", "body")
        self.region_label.setObjectName("wizard-region")
        return self._page(
            label("县区", "section"),
            self.county_box,
            label("乡镇街道（不选则按县区登记）", "section"),
            self.town_box,
            self.region_label,
            self._error("region"),
        )

    def _pick_county(self, code: str) -> None:
        self.values.region = code
        for chip in self.town_group.buttons():
            self.town_group.removeButton(chip)
            chip.hide()
            chip.deleteLater()
        for town in towns(code):
            chip = button(town.name, partial(self._pick_town, town.code), "chip", f"town-{town.code}")
            chip.setCheckable(True)
            self.town_group.addButton(chip)
            self.town_flow.addWidget(chip)
        self._region_changed()

    def _pick_town(self, code: str) -> None:
        self.values.region = code
        self._region_changed()

    def _region_changed(self) -> None:
        self.region_label.setText(f"已选：{full_name(self.values.region)}（{self.values.region}）")
        self.errors["region"].hide()
        centre = regions()[self.values.region]
        self.fields["lat"].setText(f"{centre.latitude}")
        self.fields["lon"].setText(f"{centre.longitude}")

    def _place_page(self) -> QWidget:
        lat = self._field("lat", "纬度（北纬）", "如 30.9246")
        lon = self._field("lon", "经度（东经）", "如 113.9167")
        for edit in (self.fields["lat"], self.fields["lon"]):
            edit.setInputMethodHints(PRIVATE_HINTS | Qt.InputMethodHint.ImhFormattedNumbersOnly)
        return self._page(
            label(
                "已按所选乡镇填入其中心位置；请用手机地图查看终端所在处的经纬度后修改，附近机构的距离按它计算。", "body"
            ),
            *lat,
            *lon,
        )

    def _pin_page(self) -> QWidget:
        return self._page(
            label(PIN_HELP, "body"),
            *self._field("pin", "管理密码", "", secret=True),
            *self._field("pin_again", "再输一次", "", secret=True),
        )

    def _choice_row(self, name: str, options: tuple[tuple[str, Any], ...], chosen: Any) -> QWidget:
        host = QWidget()
        row = QHBoxLayout(host)
        row.setContentsMargins(0, 0, 0, 0)
        group = QButtonGroup(host)
        for text, value in options:
            chip = button(text, partial(setattr, self.values, name, value), "chip", f"{name}-{value}")
            chip.setCheckable(True)
            chip.setChecked(value == chosen)
            group.addButton(chip)
            row.addWidget(chip)
        row.addStretch(1)
        return host

    def _screen_page(self) -> QWidget:
        return self._page(
            label("屏幕方向", "section"),
            self._choice_row(
                "orientation", (("竖屏 1080×1920", "portrait"), ("横屏 1920×1080", "landscape")), "portrait"
            ),
            label("默认字号", "section"),
            self._choice_row("elder_default", (("标准字号", False), ("长辈模式（大字）", True)), False),
            label("长辈模式字更大、间距更宽，适合老年居民多的村居；居民随时可以在屏幕右上角切换。", "muted"),
            self._error("orientation"),
        )

    def _sync_page(self) -> QWidget:
        self.bar = QProgressBar()
        self.bar.setObjectName("wizard-progress")
        self.bar.setRange(0, len(SYNC_STAGES) + 1)
        self.bar.setTextVisible(False)  # the stage is said in words below it
        self.sync_text = label("点“注册”开始。注册后终端会下载全部法律法规，需要几分钟，请保持联网。", "body")
        self.sync_text.setObjectName("wizard-sync-text")
        self.result = label("", "headline")
        self.result.setObjectName("wizard-result")
        self.result.hide()
        return self._page(self.bar, self.sync_text, self.result)

    # --- moving between steps ---------------------------------------------------------------------

    def _show_step(self) -> None:
        title, _ = STEPS[self.step]
        self.heading.setText(title)
        self.progress_text.setText(f"第 {self.step + 1} 步，共 {len(STEPS)} 步")
        self.stack.setCurrentIndex(self.step)
        self.back_button.setVisible(self.step > 0)
        last = self.step == len(STEPS) - 1
        self.next_button.setText("注册" if last else "下一步")
        self.keyboard.hide_keyboard()

    def _collect(self) -> None:
        v = self.values
        v.hub, v.code = self._text("hub"), self._text("code")
        v.name, v.address = self._text("name"), self._text("address")
        v.pin, v.pin_again = self.fields["pin"].text(), self.fields["pin_again"].text()
        try:
            v.lat, v.lon = number(self._text("lat"), "lat"), number(self._text("lon"), "lon")
        except ValueError:
            v.lat = v.lon = None
        v.allow_http = v.hub.startswith(("http://127.0.0.1", "http://localhost"))

    def _text(self, name: str) -> str:
        return self.fields[name].text().strip()

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
        if self._check(STEPS[self.step][1]):
            self.step += 1
            self._show_step()

    def back(self) -> None:
        if self.step > 0 and self.next_button.isEnabled():
            self.step -= 1
            self._show_step()

    def go_to_field(self, name: str) -> None:
        """Back to the step of a field the platform refused (wrong code, unreachable address)."""
        for index, (_, names) in enumerate(STEPS):
            if name in names:
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
        self.next_button.setEnabled(False)
        self.back_button.setEnabled(False)
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
            self.result.setText("设置完成，终端已注册并下载了最新内容。")
            self.sync_text.setText("点“进入首页”开始使用。")
        else:
            self.result.setText("已注册，但第一次同步没有完成。")
            self.sync_text.setText("终端会在后台自动重试；也可以先进入首页，内容下载完后自动显示。")
        self.next_button.setText("进入首页")
        self.next_button.clicked.disconnect()
        self.next_button.clicked.connect(lambda: self.finished.emit(synced))
        self.next_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        from kiosk.services.provisioning import EnrolmentFailed, InvalidValues

        self.next_button.setEnabled(True)
        self.back_button.setEnabled(True)
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
