"""Detail pages of an institution and of a person: facts, staff, integrity record, QR codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.services.directory import DirectoryService, IntegrityView
from kiosk.services.takeaway import institution_text
from kiosk.ui.navigator import Navigator, Screen
from kiosk.ui.widgets.chips import FlowLayout
from kiosk.ui.widgets.common import ScrollPage, badge, label, vcard
from kiosk.ui.widgets.detail import badges_row, facts, link
from kiosk.ui.widgets.qr import QrBlock


def integrity_card(records: list[IntegrityView]) -> QWidget:
    box, layout = vcard()
    if not records:
        layout.addWidget(label("暂无表彰或惩戒记录。", "body"))
    for r in records:
        row = QHBoxLayout()
        row.addWidget(badge(r.kind, "badge-ok" if r.kind == "表彰" else "badge-bad"))
        row.addWidget(label(f"{r.date:%Y年%m月%d日} {r.title}（{r.issuer}）", "body"), 1)
        layout.addLayout(row)
        if r.detail:
            layout.addWidget(label(r.detail, "muted"))
    return box


def qr_row(*blocks: tuple[str | None, str], side: int = 240, lead: QWidget | None = None) -> QWidget:
    """QR codes side by side, centred (after ``lead``, when given); those that do not fit the width
    (three codes in 大字模式 on a portrait screen, a dense materials list offline) go on to a second
    line instead of widening the page past the screen's edge."""
    host = QWidget()
    row = FlowLayout(host, spacing=40, center=True)
    if lead is not None:
        row.addWidget(lead)
    for payload, caption in blocks:
        if payload:
            row.addWidget(QrBlock(payload, caption, side=side))
    host.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return host


class _DetailScreen(Screen):
    def __init__(self, nav: Navigator, directory: DirectoryService):
        super().__init__(nav)
        self.directory = directory
        self.page = ScrollPage()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.page)
        self.spoken = ""

    def _go(self, route: str, ident: int) -> Callable[[], object]:
        return lambda: self.nav.go(route, id=ident)

    def state(self) -> dict[str, Any]:
        return {"scroll": self.page.verticalScrollBar().value()}

    def _restore(self, params: dict[str, Any]) -> None:
        if params.get("scroll"):
            inner = self.page.widget()
            if inner is not None:
                inner.adjustSize()
            self.page.verticalScrollBar().setValue(int(params["scroll"]))

    def wipe(self) -> None:
        self.page.clear()
        self.spoken = ""

    def required_actions(self) -> tuple[str, ...]:
        return ("qr-code",) if self.spoken else ()

    def read_aloud_text(self) -> str:
        return self.spoken


class InstitutionScreen(_DetailScreen):
    title = "机构详情"

    def open(self, params: dict[str, Any]) -> None:
        d = self.directory.institution(int(params["id"]))
        s = d.summary
        page = self.page
        page.clear()
        name = label(s.name, "headline")
        name.setObjectName("institution-name")
        page.add(name)
        extra = [badge("示例数据", "badge-warn")] if d.is_sample else []
        page.add_layout(badges_row(badge(s.type, "badge-info"), *extra))
        page.add(
            facts(
                [
                    ("地址", s.address),
                    ("所在地区", s.area),
                    ("距本机", s.distance_text),
                    ("办公时间", d.hours),
                    ("联系电话", s.phone),
                ]
            )
        )
        # Its own number (12348 is the hotline of all of them), and a text the phone keeps.
        page.add(
            qr_row(
                (d.tel_url, "扫码拨打本机构电话"),
                (institution_text(d), "扫码存下地址电话"),
                (d.map_url, "扫码导航（高德地图）"),
                side=220,
            )
        )
        if d.services:
            page.add(label("服务项目", "section"))
            page.add(label("、".join(d.services), "body"))
        if d.description:
            page.add(label("机构简介", "section"))
            page.add(label(d.description, "body"))
        if d.staff:
            page.add(label(f"工作人员（{len(d.staff)}）", "section"))
            for p in d.staff:
                text = f"{p.name} · {p.role}" + (f" · 擅长{'、'.join(p.specialties[:3])}" if p.specialties else "")
                page.add(link(text, self._go("person", p.id)))
        page.add(label("诚信档案", "section"))
        page.add(integrity_card(d.integrity))
        page.finish()
        self.spoken = (
            f"{s.name}，{s.type}。地址：{s.address}。距离本机{s.distance_text}。"
            f"办公时间：{d.hours or '未公布'}。电话：{s.phone or '未公布'}。"
        )
        self._restore(params)


class PersonScreen(_DetailScreen):
    title = "人员详情"

    def required_actions(self) -> tuple[str, ...]:
        return ("person-name",) if self.spoken else ()  # a person may have neither phone nor office

    def open(self, params: dict[str, Any]) -> None:
        d = self.directory.person(int(params["id"]))
        s = d.summary
        page = self.page
        page.clear()
        name = label(s.name, "headline")
        name.setObjectName("person-name")
        page.add(name)
        status_role = "badge-ok" if s.practice_status == "执业" else "badge-bad"
        extra = [badge("示例数据", "badge-warn")] if d.is_sample else []
        page.add_layout(badges_row(badge(s.role, "badge-info"), badge(s.practice_status, status_role), *extra))
        page.add(
            facts(
                [
                    ("执业机构", s.institution),
                    ("执业年限", f"{s.years} 年" if s.years else None),
                    ("擅长领域", "、".join(s.specialties) if s.specialties else None),
                    ("执业证号", d.licence_no),
                    ("联系电话", d.phone),
                    ("距本机", s.distance_text),
                ]
            )
        )
        page.add(qr_row((d.tel_url, "扫码拨打电话"), (d.map_url, "扫码导航到执业机构")))
        if d.institution_id is not None:
            page.add(link(f"查看执业机构：{s.institution}", lambda: self.nav.go("institution", id=d.institution_id)))
        page.add(label("诚信档案", "section"))
        page.add(integrity_card(d.integrity))
        page.finish()
        self.spoken = f"{s.name}，{s.role}，{s.practice_status}。执业机构：{s.institution or '无'}。"
        self._restore(params)
