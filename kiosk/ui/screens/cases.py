"""Reference cases: list by kind and topic, search, and the case itself with its cited articles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.services.cases import CaseService, CaseSummary, Citation
from kiosk.services.resident import ResidentService, SearchTally
from kiosk.services.search import SearchOutcome, SearchService
from kiosk.ui.navigator import Navigator, Screen
from kiosk.ui.screens.page import ask_lawyer
from kiosk.ui.widgets.cards import CardItem, CardList
from kiosk.ui.widgets.chips import ChipBar
from kiosk.ui.widgets.common import ScrollPage, badge, label
from kiosk.ui.widgets.detail import Split, badges_row, link
from kiosk.ui.widgets.keyboard import private_line_edit
from kiosk.ui.worker import Background


def case_card(c: CaseSummary) -> CardItem:
    meta = " · ".join(x for x in (c.court, f"{c.decided:%Y年%m月%d日}" if c.decided else None, c.topic) if x)
    return CardItem(c.title, [meta] if meta else [], badge=c.badge, payload=c.id)


def open_citation(nav: Navigator, cite: Citation) -> None:
    if cite.law_id is None:
        return
    from kiosk.services.laws import parse_article_ref

    ref = parse_article_ref(cite.article_label or "")
    if ref:
        nav.go("reader", law_id=cite.law_id, number=ref[0], sub=ref[1])
    else:
        nav.go("reader", law_id=cite.law_id)


def citation_opener(nav: Navigator, cite: Citation) -> Callable[[], None]:
    return lambda: open_citation(nav, cite)


class CasesScreen(Screen):
    title = "参照案例"

    def __init__(
        self,
        nav: Navigator,
        cases: CaseService,
        search: SearchService,
        background: Background,
        resident: ResidentService,
    ):
        super().__init__(nav)
        self.cases = cases
        self.search = search
        self.tally = SearchTally(resident.count)  # usage statistics: how many searches, never the text
        self.background = background
        self.kind: str | None = None
        self.topic: str | None = None

        side = ScrollPage(margins=0, spacing=10)
        self.edit = private_line_edit("搜索案例，如 工伤、欠薪")
        self.edit.setObjectName("cases-search")
        side.add(self.edit)
        side.add(label("案例类别", "section"))
        self.kind_bar = ChipBar()
        self.kind_bar.set_items([(k, k) for k in cases.kinds()])
        self.kind_bar.changed.connect(lambda v: self._browse(kind=v))
        side.add(self.kind_bar)
        side.add(label("案由主题", "section"))
        self.topic_bar = ChipBar()
        self.topic_bar.set_items([(t, t) for t in cases.topics()[:14]])
        self.topic_bar.changed.connect(lambda v: self._browse(topic=v))
        side.add(self.topic_bar)
        side.finish()

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.count = label("", "muted")
        right_layout.addWidget(self.count)
        self.list = CardList()
        self.list.setObjectName("cases-list")
        self.list.setViewportMargins(0, 0, 0, 8)
        self.list.activated_item.connect(lambda cid: self.nav.go("case", id=cid))
        right_layout.addWidget(self.list, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 0)
        self.split = Split(side, right)
        layout.addWidget(self.split)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self._search)
        self.edit.textChanged.connect(lambda _t: self._timer.start())

    def _browse(self, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(self, key, value)
        if self.edit.text():
            self.edit.clear()
        self._show_list()

    def _show_list(self) -> None:
        found = self.cases.cases(self.kind, self.topic)
        self.list.set_items([case_card(c) for c in found])
        self.count.setText(f"共 {len(found)} 件案例")
        self.split.fit_side()

    def _search(self) -> None:
        text = self.edit.text().strip()
        if not text:
            self.tally.settle()
            self._show_list()
            return
        self.background.run(lambda: self.search.search(text, kinds=("case",)), self._searched)

    def _searched(self, outcome: SearchOutcome) -> None:
        if outcome.text != self.edit.text().strip():
            return
        self.tally.shown(outcome.text)
        if outcome.error:
            self.count.setText(outcome.error)
            self.list.set_items([])
            return
        ids = [i.id for g in outcome.groups for i in g.items if i.kind == "case"]
        found = self.cases.summaries(ids)
        self.count.setText(f"“{outcome.text}”找到 {len(found)} 件案例")
        self.list.set_items([case_card(c) for c in found])

    def open(self, params: dict[str, Any]) -> None:
        self.kind = params.get("kind", self.kind)
        self.topic = params.get("topic", self.topic)
        self.kind_bar.select(self.kind)
        self.topic_bar.select(self.topic)
        if not self.edit.text():
            self._show_list()

    def state(self) -> dict[str, Any]:
        return {"kind": self.kind, "topic": self.topic}

    def leave(self) -> None:
        self.tally.settle()
        self.edit.clearFocus()

    def wipe(self) -> None:
        self.tally.forget()
        self._timer.stop()
        self.edit.clear()
        self.kind = self.topic = None
        self.kind_bar.select(None)  # the chips on screen too, not only what the next visit shows
        self.topic_bar.select(None)
        self.list.set_items([])

    def apply_theme(self, theme: Any) -> None:
        super().apply_theme(theme)
        self.list.set_theme(theme)

    def required_actions(self) -> tuple[str, ...]:
        return ("cases-search", "cases-list")

    def read_aloud_text(self) -> str:
        return f"参照案例。{self.count.text()}。" + "；".join(i.title for i in self.list.items()[:3])


class CaseScreen(Screen):
    title = "案例详情"

    def __init__(self, nav: Navigator, cases: CaseService):
        super().__init__(nav)
        self.cases = cases
        self.page = ScrollPage()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.page)
        self.spoken = ""

    def open(self, params: dict[str, Any]) -> None:
        d = self.cases.case(int(params["id"]))
        s = d.summary
        page = self.page
        page.clear()
        title = label(s.title, "headline")
        title.setObjectName("case-title")
        page.add(title)
        page.add_layout(badges_row(badge(s.badge, "badge-info"), *([badge(s.topic, "badge-ok")] if s.topic else [])))
        meta = " · ".join(x for x in (s.court, f"{s.decided:%Y年%m月%d日}" if s.decided else None) if x)
        if meta:
            page.add(label(meta, "muted"))
        if s.keywords:
            page.add(label("关键词：" + "、".join(s.keywords), "body"))
        page.add(ask_lawyer(self.nav, f"参照案例：{s.title}", "case-lawyer"))
        for heading, text in d.sections:
            page.add(label(heading, "section"))
            page.add(label(text, "body"))
        if d.citations:
            page.add(label("引用的法律条文（点击阅读）", "section"))
            for cite in d.citations:
                button = link(cite.text + ("" if cite.law_id else "（本机未收录）"), citation_opener(self.nav, cite))
                button.setEnabled(cite.law_id is not None)
                page.add(button)
        page.finish()
        self.spoken = s.title + "。" + "。".join(f"{h}：{t}" for h, t in d.sections)

    def wipe(self) -> None:
        self.page.clear()
        self.spoken = ""

    def required_actions(self) -> tuple[str, ...]:
        return ("case-title", "case-lawyer") if self.spoken else ()

    def read_aloud_text(self) -> str:
        return self.spoken
