"""Directory: institutions and people by type, area and specialty, nearest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.services.directory import DirectoryService, InstitutionSummary, PersonSummary
from kiosk.ui.navigator import Navigator, Screen
from kiosk.ui.widgets.cards import CardItem, CardList
from kiosk.ui.widgets.chips import ChipBar
from kiosk.ui.widgets.common import ScrollPage, label
from kiosk.ui.widgets.detail import Split


def institution_card(i: InstitutionSummary) -> CardItem:
    return CardItem(
        i.name,
        [f"{i.area} · {i.address}", f"电话 {i.phone}" if i.phone else "电话 未公开"],
        badge=i.type,
        trailing=i.distance_text,
        payload=("institution", i.id),
    )


def person_card(p: PersonSummary) -> CardItem:
    lines = [" · ".join(x for x in (p.institution, f"执业 {p.years} 年" if p.years else None) if x)]
    if p.specialties:
        lines.append("擅长：" + "、".join(p.specialties))
    badge = p.role if p.practice_status == "执业" else p.practice_status
    return CardItem(
        p.name, [line for line in lines if line], badge=badge, trailing=p.distance_text, payload=("person", p.id)
    )


class DirectoryScreen(Screen):
    title = "机构与人员"

    def __init__(self, nav: Navigator, directory: DirectoryService):
        super().__init__(nav)
        self.directory = directory
        self.mode = "institution"
        self.kind: str | None = None
        self.area: str | None = None
        self.specialty: str | None = None

        self.filters = ScrollPage(margins=0, spacing=10)
        self.mode_bar = ChipBar(all_label=None)
        self.mode_bar.set_items([("服务机构", "institution"), ("法律服务人员", "person")], self.mode)
        self.mode_bar.changed.connect(self._mode_chosen)
        self.filters.add(self.mode_bar)
        self.kind_title = label("机构类型", "section")
        self.filters.add(self.kind_title)
        self.kind_bar = ChipBar()
        self.kind_bar.changed.connect(lambda v: self._set(kind=v))
        self.filters.add(self.kind_bar)
        self.filters.add(label("所在地区", "section"))
        self.area_bar = ChipBar()
        self.area_bar.set_items([(name, code) for code, name in directory.areas()])
        self.area_bar.changed.connect(lambda v: self._set(area=v))
        self.filters.add(self.area_bar)
        self.specialty_title = label("擅长领域", "section")
        self.filters.add(self.specialty_title)
        self.specialty_bar = ChipBar()
        self.specialty_bar.set_items([(s, s) for s in directory.specialties()[:16]])
        self.specialty_bar.changed.connect(lambda v: self._set(specialty=v))
        self.filters.add(self.specialty_bar)
        self.filters.finish()

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.count = label("", "muted")
        self.count.setObjectName("directory-count")
        right_layout.addWidget(self.count)
        self.list = CardList()
        self.list.setObjectName("directory-list")
        self.list.setViewportMargins(0, 0, 0, 8)
        self.list.activated_item.connect(lambda p: self.nav.go(p[0], id=p[1]))
        right_layout.addWidget(self.list, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 0)
        self.split = Split(self.filters, right)
        layout.addWidget(self.split)

    def _mode_chosen(self, mode: Any) -> None:
        self.mode, self.kind, self.specialty = str(mode), None, None
        self._refresh()

    def _set(self, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(self, key, value)
        self._refresh()

    def _refresh(self) -> None:
        institutions = self.mode == "institution"
        self.mode_bar.select(self.mode)
        self.kind_title.setText("机构类型" if institutions else "人员类别")
        kinds = self.directory.institution_types() if institutions else self.directory.person_roles()
        self.kind_bar.set_items([(k, k) for k in kinds], self.kind)
        self.area_bar.select(self.area)
        self.specialty_title.setVisible(not institutions)
        self.specialty_bar.setVisible(not institutions)
        self.specialty_bar.select(self.specialty)
        if institutions:
            found = self.directory.institutions(self.kind, self.area)
            self.list.set_items([institution_card(i) for i in found])
            self.count.setText(f"共 {len(found)} 家，离本机最近的在前")
        else:
            people = self.directory.people(self.kind, self.area, self.specialty)
            self.list.set_items([person_card(p) for p in people])
            self.count.setText(f"共 {len(people)} 人，执业中、离本机近的在前")
        self.split.fit_side()

    def open(self, params: dict[str, Any]) -> None:
        self.mode = params.get("mode", self.mode)
        self.kind = params.get("kind", self.kind)
        self.area = params.get("area", self.area)
        self.specialty = params.get("specialty", self.specialty)
        self._refresh()

    def state(self) -> dict[str, Any]:
        return {"mode": self.mode, "kind": self.kind, "area": self.area, "specialty": self.specialty}

    def wipe(self) -> None:
        self.mode, self.kind, self.area, self.specialty = "institution", None, None, None
        for bar, value in ((self.mode_bar, self.mode), (self.kind_bar, None), (self.area_bar, None)):
            bar.select(value)  # the chips on screen too, not only what the next visit shows
        self.specialty_bar.select(None)
        self.list.set_items([])

    def apply_theme(self, theme: Any) -> None:
        super().apply_theme(theme)
        self.list.set_theme(theme)

    def required_actions(self) -> tuple[str, ...]:
        return ("directory-list",)

    def read_aloud_text(self) -> str:
        first = "；".join(f"{i.title}，{i.trailing}" for i in self.list.items()[:3])
        return f"机构与人员。{self.count.text()}。最近的是：{first}"
