"""Directory: nearest first from the terminal, filters, details with QR codes for navigation and contact."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from uihelpers import settle, tap, tap_card

from kiosk.services.directory import Location, distance_km


def open_directory(qtbot: Any, kiosk: Any) -> Any:
    tap(qtbot, next(t for t in kiosk.nav.current_screen().tiles if t.route == "directory"))
    settle(qtbot, kiosk)
    return kiosk.nav.current_screen()


def shown_km(text: str) -> float:
    number, unit = text.split()
    return float(number) / (1000 if unit == "米" else 1)


def test_institutions_are_ordered_by_distance_from_the_terminal(qtbot: Any, kiosk: Any) -> None:
    screen = open_directory(qtbot, kiosk)
    items = screen.list.items()
    assert len(items) > 20 and "离本机最近的在前" in screen.count.text()
    shown = [shown_km(i.trailing) for i in items]
    assert shown == sorted(shown)
    here = Location(kiosk.services.config.latitude, kiosk.services.config.longitude)
    first = kiosk.services.directory.institution(items[0].payload[1])
    assert abs(distance_km(here, first.latitude, first.longitude) - shown[0]) < 0.06


def test_moving_the_terminal_changes_the_order(qtbot: Any, services: Any, clock: Any) -> None:
    from uihelpers import make_app

    from kiosk.services.directory import DirectoryService

    far = services.directory.institutions()[-1]
    detail = services.directory.institution(far.id)
    services.directory = DirectoryService(services.db, Location(detail.latitude, detail.longitude))
    kiosk = make_app(services, clock)
    try:
        screen = open_directory(qtbot, kiosk)
        assert screen.list.items()[0].payload == ("institution", far.id)
        assert screen.list.items()[0].trailing == "0 米"
    finally:
        kiosk.close()


def test_filter_by_type_and_area_then_open_detail_with_qr_codes(qtbot: Any, kiosk: Any) -> None:
    screen = open_directory(qtbot, kiosk)
    tap(qtbot, screen.kind_bar.chip("法律援助中心"))
    items = screen.list.items()
    assert items and all(i.badge == "法律援助中心" for i in items)
    tap(qtbot, screen.area_bar.chip("孝南区"))
    assert all("孝南区" in i.lines[0] for i in screen.list.items())
    tap_card(qtbot, screen.list, lambda i: True)
    assert kiosk.nav.current_route == "institution"
    page = kiosk.nav.current_screen()
    detail = kiosk.services.directory.institution(screen.list.items()[0].payload[1])
    from kiosk.ui.widgets.qr import QrCode

    payloads = [q.payload for q in page.findChildren(QrCode)]
    map_url = next(p for p in payloads if p.startswith("https://uri.amap.com/marker"))
    assert f"position={detail.longitude:.6f},{detail.latitude:.6f}" in map_url and "coordinate=wgs84" in map_url
    assert unquote(map_url.split("name=")[1].split("&")[0]) == detail.summary.name
    links = [p for p in payloads if p.startswith(("https://", "tel:"))]
    assert all(p.isascii() for p in links)  # links stay ASCII; the address card is plain text
    assert any(p.startswith(detail.summary.name) and detail.summary.address in p for p in payloads)
    if detail.tel_url:
        assert detail.tel_url in payloads
    texts = [w.text() for w in page.findChildren(type(page.findChild(object, "institution-name")))]
    assert detail.summary.address in texts and "诚信档案" in texts
    if detail.hours:
        assert detail.hours in texts


def test_people_by_role_and_specialty_and_person_detail(qtbot: Any, kiosk: Any) -> None:
    screen = open_directory(qtbot, kiosk)
    tap(qtbot, screen.mode_bar.chip("法律服务人员"))
    assert screen.specialty_bar.isVisible()
    tap(qtbot, screen.kind_bar.chip("律师"))
    assert all(i.badge in ("律师", "暂停执业", "注销") for i in screen.list.items())
    specialty = screen.specialty_bar.labels()[1]
    tap(qtbot, screen.specialty_bar.chip(specialty))
    people = screen.list.items()
    assert people and all(specialty in " ".join(i.lines) for i in people)
    tap_card(qtbot, screen.list, lambda i: True)
    assert kiosk.nav.current_route == "person"
    person = kiosk.nav.current_screen()
    assert person.findChild(object, "person-name").text() == people[0].title
    tap(qtbot, kiosk.chrome.back_button)
    assert kiosk.nav.current_route == "directory"
    assert screen.mode == "person" and screen.specialty == specialty  # 返回 keeps the filters


def test_the_filters_scroll_no_further_than_their_chips(qtbot: Any, services: Any, clock: Any) -> None:
    """The filters' page of 机构与人员 scrolled through 1,400 px of nothing below its chips: Qt sized
    it by each chip row's height at the widest chip's width, one chip a row. Its content now ends
    at its last row, in either list, either orientation, either text size."""
    from PySide6.QtWidgets import QWidget
    from uihelpers import make_app

    for orientation in ("portrait", "landscape"):
        for elder in (False, True):
            kiosk = make_app(services, clock, orientation)
            try:
                kiosk.set_elder(elder)
                screen = open_directory(qtbot, kiosk)
                for mode in ("institution", "person"):
                    screen._mode_chosen(mode)
                    settle(qtbot, kiosk, 50)
                    page = screen.filters.widget()
                    shown = [w for w in page.findChildren(QWidget) if w.parent() is page and w.isVisible()]
                    content = max(w.geometry().bottom() for w in shown) + 1 + page.layout().contentsMargins().bottom()
                    case = (orientation, elder, mode)
                    assert page.height() <= max(content, screen.filters.viewport().height()) + 1, case
                    bar = screen.filters.verticalScrollBar()
                    assert bar.maximum() <= max(0, content - screen.filters.viewport().height()) + 1, case
            finally:
                kiosk.close()
                qtbot.wait(10)
