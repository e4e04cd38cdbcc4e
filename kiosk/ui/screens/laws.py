"""Laws: browse by level (法律 / 行政法规 / …) and topic, tap one to read it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QVBoxLayout

from kiosk.services.laws import LawService, LawSummary
from kiosk.ui.navigator import Navigator, Screen
from kiosk.ui.widgets.cards import CardItem, CardList
from kiosk.ui.widgets.chips import ChipBar
from kiosk.ui.widgets.common import button, label
from kiosk.ui.worker import Background


def date_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "未注明"


def law_date(effective: dt.date | None, published: dt.date | None, sep: str = " ") -> str:
    """When the text takes effect; for the many texts that do not say (1,330 of 3,423 laws, mostly
    local regulations), when this version was published, which still tells how recent it is."""
    if effective is None and published is not None:
        return f"公布日期{sep}{date_text(published)}"
    return f"施行日期{sep}{date_text(effective)}"


def law_card(item: LawSummary) -> CardItem:
    return CardItem(
        item.title,
        [f"{law_date(item.effective, item.published)} · 共 {item.article_count} 条"],
        badge=item.status,
        payload=item.id,
    )


class LawsScreen(Screen):
    title = "法律法规"

    def __init__(self, nav: Navigator, laws: LawService, background: Background):
        super().__init__(nav)
        self.laws = laws
        self.background = background
        self.tab = laws.level_tabs()[0]
        self.topic: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 0)
        layout.setSpacing(12)
        layout.addWidget(button("搜索法律法规", lambda: self.nav.go("search"), role="link", name="laws-search"))
        self.levels = ChipBar(all_label=None)
        self.levels.set_items([(t, t) for t in laws.level_tabs()], self.tab)
        self.levels.changed.connect(self._level_chosen)
        layout.addWidget(self.levels)
        self.topics = ChipBar()
        self.topics.changed.connect(self._topic_chosen)
        layout.addWidget(self.topics)
        self.count = label("", "muted")
        layout.addWidget(self.count)
        self.list = CardList()
        self.list.setObjectName("laws-list")
        self.list.setViewportMargins(0, 0, 0, 8)
        self.list.activated_item.connect(lambda law_id: self.nav.go("reader", law_id=law_id))
        layout.addWidget(self.list, 1)
        self._loaded: tuple[str, str | None] | None = None

    def _level_chosen(self, tab: Any) -> None:
        self.tab, self.topic = str(tab), None
        self._load()

    def _topic_chosen(self, topic: Any) -> None:
        self.topic = topic
        self._load()

    def _load(self) -> None:
        key = (self.tab, self.topic)
        if key == self._loaded:
            return
        self.count.setText("正在载入…")
        tab, topic = key
        self.background.run(
            lambda: (self.laws.topics(tab), self.laws.browse(tab, topic)), lambda result: self._show(key, result)
        )

    def _show(self, key: tuple[str, str | None], result: tuple[list[tuple[str, int]], list[LawSummary]]) -> None:
        if key != (self.tab, self.topic):
            return
        topics, items = result
        self._loaded = key
        self.levels.select(self.tab)
        self.topics.set_items([(f"{name}（{n}）", name) for name, n in topics], self.topic)
        self.topics.setVisible(len(topics) > 1)
        self.count.setText(f"共 {len(items)} 部，按名称排列；现行有效的在前")
        self.list.set_items([law_card(i) for i in items])

    def open(self, params: dict[str, Any]) -> None:
        self.tab = params.get("tab", self.tab)
        self.topic = params.get("topic", self.topic)
        self._load()

    def state(self) -> dict[str, Any]:
        return {"tab": self.tab, "topic": self.topic}

    def wipe(self) -> None:
        self.tab, self.topic = self.laws.level_tabs()[0], None
        self.levels.select(self.tab)
        self.topics.select(None)
        self._loaded = None
        self.list.set_items([])

    def apply_theme(self, theme: Any) -> None:
        super().apply_theme(theme)
        self.list.set_theme(theme)

    def required_actions(self) -> tuple[str, ...]:
        return ("laws-search", "laws-list")

    def read_aloud_text(self) -> str:
        names = "；".join(i.title for i in self.list.items()[:5])
        return f"法律法规，{self.tab}。{self.count.text()}。前几部是：{names}"
