"""Gateways for services whose full flows come later (legal-aid interview, video call, rating):
each says plainly what is available today and where to get help now (12348, nearest office)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QVBoxLayout

from kiosk.services.directory import DirectoryService
from kiosk.services.guides import GuideService
from kiosk.ui.navigator import Navigator, Screen, go_to
from kiosk.ui.screens.institution import qr_row
from kiosk.ui.widgets.common import ScrollPage, card, label
from kiosk.ui.widgets.detail import link

HOTLINE = "tel:12348"


class _InfoScreen(Screen):
    def __init__(self, nav: Navigator):
        super().__init__(nav)
        self.page = ScrollPage()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.page)
        self.spoken = ""

    def read_aloud_text(self) -> str:
        return self.spoken

    def _notice(self, text: str) -> None:
        box = card()
        box.setProperty("role", "notice")
        box.layout().addWidget(label(text, "body"))  # type: ignore[union-attr]
        self.page.add(box)


class LegalAidScreen(_InfoScreen):
    title = "法律援助自测"

    def __init__(self, nav: Navigator, guides: GuideService, directory: DirectoryService):
        super().__init__(nav)
        self.guides = guides
        self.directory = directory

    def open(self, params: dict[str, Any]) -> None:
        page = self.page
        page.clear()
        page.add(label("法律援助：经济困难的群众可以免费获得律师帮助", "headline"))
        page.add(
            label(
                "讨要工资、工伤赔偿、赡养费抚养费、家庭暴力等事项，符合条件的可以申请法律援助。"
                "农民工讨薪、工伤，以及遭受家庭暴力、虐待、遗弃的，不受经济困难条件限制。",
                "body",
            )
        )
        self._notice("分步自测功能即将开放。现在可以先看办事指南，或拨打 12348 问一问。")
        guide_id = self.guides.by_key("legal-aid")
        if guide_id is not None:
            page.add(
                link(
                    "查看《申请法律援助》办事指南：需要什么材料、怎么申请",
                    lambda: self.nav.go("guide", id=guide_id),
                    name="legal-aid-guide",
                )
            )
        centres = self.directory.institutions("法律援助中心", limit=3)
        if centres:
            page.add(label("离您最近的法律援助中心", "section"))
            for c in centres:
                page.add(link(f"{c.name} · {c.distance_text}\n{c.address}", go_to(self.nav, "institution", c.id)))
        page.add(qr_row((HOTLINE, "扫码拨打 12348 法律服务热线")))
        page.finish()
        self.spoken = (
            "法律援助。经济困难的群众可以免费获得律师帮助。分步自测功能即将开放，可以先看办事指南，或拨打12348。"
        )


class ConsultScreen(_InfoScreen):
    title = "视频咨询"

    def __init__(self, nav: Navigator, directory: DirectoryService):
        super().__init__(nav)
        self.directory = directory

    def open(self, params: dict[str, Any]) -> None:
        page = self.page
        page.clear()
        page.add(label("与值班律师视频通话", "headline"))
        self._notice("本终端的视频咨询尚未开通。您现在可以拨打 12348 法律服务热线，由值班律师免费解答。")
        page.add(qr_row((HOTLINE, "扫码拨打 12348")))
        centres = self.directory.institutions("公共法律服务中心", limit=2)
        if centres:
            page.add(label("也可以到公共法律服务中心当面咨询", "section"))
            for c in centres:
                page.add(link(f"{c.name} · {c.distance_text}", go_to(self.nav, "institution", c.id)))
        page.finish()
        self.spoken = "视频咨询尚未开通。您可以拨打12348法律服务热线，由值班律师免费解答。"


class FeedbackScreen(_InfoScreen):
    title = "评价与投诉"

    def open(self, params: dict[str, Any]) -> None:
        page = self.page
        page.clear()
        page.add(label("您的意见很重要", "headline"))
        self._notice(
            "在终端上评价和投诉的功能即将开放。对法律服务有意见或投诉，可以拨打 12348，"
            "或到当地司法局、公共法律服务中心反映。"
        )
        page.add(qr_row((HOTLINE, "扫码拨打 12348")))
        page.finish()
        self.spoken = "评价和投诉功能即将开放。对法律服务有意见，可以拨打12348，或到当地司法局反映。"
