"""The pages of the first-run wizard (:mod:`kiosk.ui.wizard`): fields with their inline errors, the county
and town chips, the choices, and the summary with the progress bar of the last step."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.provisioning import Enrolment, counties, full_name, number, regions, towns
from kiosk.ui.widgets.chips import FlowLayout
from kiosk.ui.widgets.common import button, label
from kiosk.ui.widgets.detail import facts
from kiosk.ui.widgets.keyboard import PRIVATE_HINTS, private_line_edit
from kiosk.ui.wizard_text import BEFORE_ENROL, ORIENTATIONS, PIN_HELP, SYNC_STAGES, TEXT_SIZES, summary

NONE = Qt.InputMethodHint.ImhNone
#: The platform address: Latin letters and URL characters (the Pinyin keyboard turned http: into 合同图片：).
URL_HINTS = (
    Qt.InputMethodHint.ImhUrlCharactersOnly | Qt.InputMethodHint.ImhLatinOnly | Qt.InputMethodHint.ImhPreferLatin
)
#: Enrolment codes are capital letters and digits (K7QW-2M9X-HT4P).
CODE_HINTS = Qt.InputMethodHint.ImhLatinOnly | Qt.InputMethodHint.ImhPreferLatin | Qt.InputMethodHint.ImhPreferUppercase
#: Coordinates: digits and the decimal point.
NUMBER_HINTS = Qt.InputMethodHint.ImhFormattedNumbersOnly


class WizardPages(QWidget):
    """Builds the pages; :class:`kiosk.ui.wizard.SetupWizard` moves between them."""

    def __init__(self) -> None:
        super().__init__()
        self.values = Enrolment()
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}

    def build_pages(self) -> list[QWidget]:
        return [
            self._connect_page(),
            self._name_page(),
            self._region_page(),
            self._place_page(),
            self._pin_page(),
            self._screen_page(),
            self._sync_page(),
        ]

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

    def _field(
        self, name: str, caption: str, placeholder: str = "", secret: bool = False, hints: Qt.InputMethodHint = NONE
    ) -> list[QWidget]:
        edit = private_line_edit(placeholder)
        edit.setObjectName(f"wizard-{name}")
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            hints = Qt.InputMethodHint.ImhDigitsOnly
            edit.setMaxLength(12)
        if hints != NONE:  # the keyboard opens in the layout the field needs (Latin, digits)
            edit.setInputMethodHints(PRIVATE_HINTS | hints)
        edit.textChanged.connect(lambda _t: self._edited(name))
        self.fields[name] = edit
        return [label(caption, "section"), edit, self._error(name)]

    def _error(self, name: str) -> QLabel:
        error = label("", "notice")
        error.setObjectName(f"wizard-error-{name}")
        error.hide()
        self.errors[name] = error
        return error

    def _edited(self, name: str) -> None:
        """A field changed: its old error no longer applies (nor does the outcome of a refused 注册)."""
        self.errors[name].hide()
        self.result.hide()

    def _connect_page(self) -> QWidget:
        self.code_ok = label("", "muted")
        self.code_ok.setObjectName("wizard-code-ok")
        self.code_ok.hide()
        return self._page(
            label("请向县司法局索取平台地址和本终端的一次性注册码。", "body"),
            *self._field("hub", "平台地址", "https://", hints=URL_HINTS),
            *self._field("code", "注册码", "如 K7QW-2M9X-HT4P", hints=CODE_HINTS),
            self.code_ok,
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

    def _check_chip(self, name: str) -> None:
        chip = self.findChild(QPushButton, name)
        if chip is not None:
            chip.setChecked(True)

    def _pick_county(self, code: str) -> None:
        self.values.region = code
        self._check_chip(f"county-{code}")
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
        self._check_chip(f"town-{code}")
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
            edit.setInputMethodHints(PRIVATE_HINTS | NUMBER_HINTS)
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
            self._choice_row("orientation", tuple((text, key) for key, text in ORIENTATIONS.items()), "portrait"),
            label("默认字号", "section"),
            self._choice_row("elder_default", tuple((text, key) for key, text in TEXT_SIZES.items()), False),
            label("长辈模式字更大、间距更宽，适合老年居民多的村居；居民随时可以在屏幕右上角切换。", "muted"),
            self._error("orientation"),
        )

    def _sync_page(self) -> QWidget:
        self.summary_box = QVBoxLayout()
        self.summary_box.setContentsMargins(0, 0, 0, 0)
        summary_host = QWidget()
        summary_host.setLayout(self.summary_box)
        self.bar = QProgressBar()
        self.bar.setObjectName("wizard-progress")
        self.bar.setRange(0, len(SYNC_STAGES) + 1)
        self.bar.setTextVisible(False)  # the stage is said in words below it
        self.sync_text = label(BEFORE_ENROL, "body")
        self.sync_text.setObjectName("wizard-sync-text")
        self.result = label("", "headline")
        self.result.setObjectName("wizard-result")
        self.result.hide()
        return self._page(summary_host, self.bar, self.sync_text, self.result)

    def _show_summary(self) -> None:
        self._collect()
        while self.summary_box.count():
            item = self.summary_box.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.deleteLater()
        card = facts(summary(self.values))
        card.setObjectName("wizard-summary")
        self.summary_box.addWidget(card)

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
