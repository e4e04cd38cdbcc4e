"""Parts of the admin panel that are refreshed in place: the last sync (with 详情) and the fleet settings.

Each part is built once and only its texts or its own rows change, so no Python reference ever points
at a widget Qt has deleted (the panel opens any number of times).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.services.syncing import SyncSummary
from kiosk.settings_state import SOURCE_NAMES, SettingInEffect
from kiosk.ui.widgets.common import button, clear_layout, label, row

#: The fleet settings as a technician reads them, with how a value is shown.
SETTING_NAMES = {
    "idle_seconds": "空闲清屏等待",
    "elder_mode_default": "开始时的字号",
    "sync_interval_minutes": "同步间隔",
    "stale_content_days": "内容过期提醒",
    "consult_answer_seconds": "视频咨询等待",
    "announcement": "首页公告",
    "legal_aid_income_threshold": "法律援助收入标准",
}
UNITS = {
    "idle_seconds": " 秒",
    "sync_interval_minutes": " 分钟",
    "stale_content_days": " 天",
    "consult_answer_seconds": " 秒",
    "legal_aid_income_threshold": " 元/月",
}


def shown(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "长辈模式（大字）" if value else "标准字号"
    if value == "":
        return "（无）"
    return f"{value}{UNITS.get(name, '')}"


class SyncSection(QWidget):
    """上次同步: headline, stages, advice in Chinese; the raw message only behind 详情."""

    def __init__(self) -> None:
        super().__init__()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.headline = label("", "body")
        self.headline.setObjectName("admin-sync-state")
        self.stages = label("", "muted")
        self.stages.setObjectName("admin-sync-stages")
        self.advice = label("", "body")
        self.advice.setObjectName("admin-sync-advice")
        self.toggle = button("详情 ▸", self.toggle_detail, "link", "admin-sync-detail-toggle")
        self.detail = label("", "muted")
        self.detail.setObjectName("admin-sync-detail")
        self.detail.setVisible(False)
        for widget in (self.headline, self.stages, self.advice):
            column.addWidget(widget)
        column.addLayout(row(self.toggle))  # as wide as its words, not the page
        column.addWidget(self.detail)

    def show_summary(self, summary: SyncSummary) -> None:
        self.headline.setText(summary.headline)
        self.stages.setText(summary.stages)
        self.stages.setVisible(bool(summary.stages))
        self.advice.setText(summary.advice)
        self.advice.setVisible(bool(summary.advice))
        self.detail.setText(summary.detail)
        self.toggle.setVisible(bool(summary.detail))
        self.show_detail(False)

    def show_progress(self, text: str) -> None:
        self.headline.setText(text)

    def toggle_detail(self) -> None:
        self.show_detail(not self.detail.isVisible())

    def show_detail(self, visible: bool) -> None:
        self.detail.setVisible(visible and bool(self.detail.text()))
        self.toggle.setText("详情 ▾" if visible else "详情 ▸")


class SettingsSection(QWidget):
    """The two settings changed here (chips) and every fleet setting in effect with its source."""

    def __init__(self, change: Callable[[str, Any], None]) -> None:
        super().__init__()
        self.change = change
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(12)

    def fill(self, settings: list[SettingInEffect], choices: dict[str, list[tuple[str, Any]]]) -> None:
        clear_layout(self.column)  # rows only: nothing outside this section refers to them
        by_name = {s.name: s for s in settings}
        for name, options in choices.items():
            self.column.addWidget(label(f"{SETTING_NAMES[name]}", "body"))
            self.column.addWidget(self._chips(name, options, by_name[name].value))
        self.column.addWidget(label("生效中的设置及来源", "title"))
        for s in settings:
            line = f"{SETTING_NAMES.get(s.name, s.name)}：{shown(s.name, s.value)}（{SOURCE_NAMES[s.source]}）"
            if s.platform_set and s.source != "platform":
                line += f"；平台下发 {shown(s.name, s.platform_value)}，未生效：本机设置优先，平台再次修改时以平台为准"
            shown_row = label(line, "body")
            shown_row.setObjectName(f"admin-setting-{s.name}")
            self.column.addWidget(shown_row)
        for i in range(self.column.count()):  # shown now, not on Qt's next turn: a tap may follow at once
            item = self.column.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.show()

    def _chips(self, name: str, options: list[tuple[str, Any]], current: Any) -> QWidget:
        host = QWidget()
        line = QHBoxLayout(host)
        line.setContentsMargins(0, 0, 0, 0)
        group = QButtonGroup(host)
        for text, value in options:
            chip = button(text, partial(self.change, name, value), "chip", f"admin-{name}-{value}")
            chip.setCheckable(True)
            chip.setChecked(current == value)
            group.addButton(chip)
            line.addWidget(chip)
        line.addStretch(1)
        return host
