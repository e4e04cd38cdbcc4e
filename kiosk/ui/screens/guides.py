"""Service guides: the list by category and one guide with its one-time notice of materials."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.services.guides import GuideDetail, GuideService
from kiosk.services.laws import LawService
from kiosk.services.takeaway import guide_materials_text
from kiosk.ui.navigator import Navigator, Screen, go_to
from kiosk.ui.screens.cases import citation_opener
from kiosk.ui.screens.page import ask_lawyer
from kiosk.ui.widgets.cards import CardItem, CardList
from kiosk.ui.widgets.chips import ChipBar
from kiosk.ui.widgets.common import ScrollPage, badge, label, vcard
from kiosk.ui.widgets.detail import badges_row, facts, link, numbered
from kiosk.ui.widgets.qr import QrBlock


class GuidesScreen(Screen):
    title = "办事指南"

    def __init__(self, nav: Navigator, guides: GuideService):
        super().__init__(nav)
        self.guides = guides
        self.category: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 0)
        layout.setSpacing(12)
        layout.addWidget(label("办理前先看清：需要什么材料、怎么办、去哪里办", "title"))
        self.bar = ChipBar()
        self.bar.set_items([(c, c) for c in guides.categories()])
        self.bar.changed.connect(self._chosen)
        layout.addWidget(self.bar)
        self.list = CardList()
        self.list.setObjectName("guides-list")
        self.list.setViewportMargins(0, 0, 0, 8)
        self.list.activated_item.connect(lambda gid: self.nav.go("guide", id=gid))
        layout.addWidget(self.list, 1)

    def _chosen(self, category: Any) -> None:
        self.category = category
        self._show()

    def _show(self) -> None:
        self.bar.select(self.category)
        self.list.set_items(
            [CardItem(g.title, [g.summary], badge=g.category, payload=g.id) for g in self.guides.guides(self.category)]
        )

    def open(self, params: dict[str, Any]) -> None:
        self.category = params.get("category", self.category)
        self._show()

    def state(self) -> dict[str, Any]:
        return {"category": self.category}

    def wipe(self) -> None:
        self.category = None
        self.bar.select(None)
        self.list.set_items([])

    def apply_theme(self, theme: Any) -> None:
        super().apply_theme(theme)
        self.list.set_theme(theme)

    def required_actions(self) -> tuple[str, ...]:
        return ("guides-list",)

    def read_aloud_text(self) -> str:
        return "办事指南。可以选择：" + "；".join(i.title for i in self.list.items())


class GuideScreen(Screen):
    title = "办事指南"

    def __init__(self, nav: Navigator, guides: GuideService, laws: LawService):
        super().__init__(nav)
        self.guides = guides
        self.laws = laws
        self.page = ScrollPage()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.page)
        self.detail: GuideDetail | None = None

    def open(self, params: dict[str, Any]) -> None:
        d = self.guides.guide(int(params["id"]))
        self.detail = d
        s = d.summary
        page = self.page
        page.clear()
        title = label(s.title, "headline")
        title.setObjectName("guide-title")
        page.add(title)
        page.add_layout(
            badges_row(badge(s.category, "badge-info"), *([badge("示例数据", "badge-warn")] if d.is_sample else []))
        )
        page.add(label(s.summary, "body"))
        page.add(facts([("收费", d.fees), ("办理时限", d.time_limit), ("咨询电话", d.hotline)]))
        if d.conditions:
            page.add(label("申请条件", "section"))
            page.add(numbered(d.conditions))
        page.add(label(f"需要准备的材料（一次性告知，共 {len(d.materials)} 项）", "section"))
        materials, materials_layout = vcard()
        materials.setObjectName("guide-materials")
        for i, m in enumerate(d.materials, start=1):
            row = QHBoxLayout()
            row.addWidget(badge("必需" if m.required else "如有", "badge-ok" if m.required else "badge-info"))
            row.addWidget(label(f"{i}. {m.name}", "body"), 1)
            materials_layout.addLayout(row)
            if m.note:
                materials_layout.addWidget(label(m.note, "muted"))
        page.add(materials)
        # What residents most want to take home: the checklist on their phone, and a lawyer's call.
        take = QWidget()
        take.setObjectName("guide-materials-qr")
        row = QHBoxLayout(take)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(40)
        row.addWidget(QrBlock(guide_materials_text(d), "扫码带走材料清单"))
        aside = QVBoxLayout()
        aside.addStretch(1)
        aside.addWidget(label("不清楚怎么准备？留个电话，值班律师免费回电：", "body"))
        aside.addWidget(ask_lawyer(self.nav, f"办事指南：{s.title}", "guide-lawyer"))
        aside.addStretch(1)
        row.addLayout(aside, 1)
        page.add(take)
        if d.steps:
            page.add(label("办理步骤", "section"))
            page.add(numbered(d.steps))
        if d.basis:
            page.add(label("法律依据（点击阅读条文）", "section"))
            for cite in d.basis:
                b = link(cite.text, citation_opener(self.nav, cite))
                b.setEnabled(cite.law_id is not None)
                page.add(b)
        if d.offices:
            page.add(label("离您最近的办理地点", "section"))
            for office in d.offices:
                page.add(
                    link(
                        f"{office.name} · {office.distance_text}\n{office.address}",
                        go_to(self.nav, "institution", office.id),
                    )
                )
        page.finish()

    def wipe(self) -> None:
        self.page.clear()
        self.detail = None

    def required_actions(self) -> tuple[str, ...]:
        return ("guide-materials", "guide-materials-qr", "guide-lawyer") if self.detail else ()

    def read_aloud_text(self) -> str:
        d = self.detail
        if d is None:
            return ""
        materials = "；".join(m.name for m in d.materials)
        steps = "；".join(d.steps)
        return (
            f"{d.summary.title}。{d.summary.summary}。需要准备的材料：{materials}。办理步骤：{steps}。收费：{d.fees}。"
        )
