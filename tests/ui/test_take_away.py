"""「请律师联系我」 where residents look for it (home, a law, a guide, a case, a legal-aid result), with
the topic carried along; and what they take away by QR code, each module big enough to scan."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from uihelpers import settle, tap

from kiosk.ui.widgets.qr import QrCode


def child(kiosk: Any, cls: type, name: str) -> Any:
    widget = kiosk.nav.current_screen().findChild(cls, name)
    assert widget is not None, f"no {name} on {kiosk.nav.current_route}"
    return widget


def press(qtbot: Any, kiosk: Any, name: str) -> None:
    tap(qtbot, child(kiosk, QPushButton, name))
    settle(qtbot, kiosk)


def codes(kiosk: Any) -> list[QrCode]:
    found = [c for c in kiosk.nav.current_screen().findChildren(QrCode) if c.matrix]
    for code in found:  # the figure the issue asks to see
        print(f"QR on {kiosk.nav.current_route}: {len(code.matrix)} modules, {code.module_px():.1f} px each")
    return found


def requests(services: Any) -> list[dict[str, Any]]:
    rows = services.resident.outbox.db.execute_sql("SELECT payload FROM outbox_event WHERE kind = 'request'")
    return [json.loads(r[0]) for r in rows]


def ask_and_submit(qtbot: Any, kiosk: Any) -> str:
    """Consent, name and phone only (the matter stays empty), a time chip, submit; the reference."""
    press(qtbot, kiosk, "consent-yes")
    child(kiosk, QLineEdit, "field-name").setText("张示例")
    child(kiosk, QLineEdit, "field-phone").setText("13807121234")
    press(qtbot, kiosk, "choice-preferred_time-0")
    press(qtbot, kiosk, "request-submit")
    return str(child(kiosk, QLabel, "request-reference").text())


def test_home_offers_a_lawyer_call_and_the_reference_goes_home_by_qr(qtbot: Any, kiosk: Any, services: Any) -> None:
    press(qtbot, kiosk, "home-lawyer")
    assert kiosk.nav.current_route == "request"
    reference = ask_and_submit(qtbot, kiosk)
    [payload] = requests(services)
    assert payload["kind"] == "callback" and payload["matter"] == "" and "topic" not in payload
    [code] = codes(kiosk)
    assert reference in code.payload and "张示例" not in code.payload and "13807121234" not in code.payload
    assert code.module_px() >= 4


def test_a_guide_carries_its_title_to_the_lawyer_and_its_materials_to_the_phone(
    qtbot: Any, kiosk: Any, services: Any
) -> None:
    guide = next(g for g in services.guides.guides(None) if g.key == "labour-arbitration")
    kiosk.nav.go("guide", id=guide.id)
    settle(qtbot, kiosk)
    detail = services.guides.guide(guide.id)
    [materials] = [c for c in codes(kiosk) if c.parent().parent().objectName() == "guide-materials-qr"]
    assert materials.module_px() >= 4
    assert all(m.name in materials.payload for m in detail.materials)  # the whole checklist
    press(qtbot, kiosk, "guide-lawyer")
    assert child(kiosk, QLabel, "request-topic").text() == f"咨询事项：办事指南：{guide.title}"
    ask_and_submit(qtbot, kiosk)
    [payload] = requests(services)
    assert payload["topic"] == f"办事指南：{guide.title}"


def test_a_law_article_and_a_case_carry_their_topic(qtbot: Any, kiosk: Any, services: Any) -> None:
    law = services.laws.find_current("中华人民共和国劳动合同法")
    kiosk.nav.go("reader", law_id=law, number=30)
    settle(qtbot, kiosk)
    press(qtbot, kiosk, "reader-lawyer")
    assert child(kiosk, QLabel, "request-topic").text() == "咨询事项：《中华人民共和国劳动合同法》第三十条"
    case = services.cases.cases(None, None)[0]
    kiosk.nav.go("case", id=case.id)
    settle(qtbot, kiosk)
    press(qtbot, kiosk, "case-lawyer")
    assert child(kiosk, QLabel, "request-topic").text() == f"咨询事项：参照案例：{case.title}"


def test_an_institution_page_dials_its_own_number_and_gives_its_address_as_text(
    qtbot: Any, kiosk: Any, services: Any
) -> None:
    centre = next(i for i in services.directory.institutions("法律援助中心") if i.name == "孝感市示例法律援助中心")
    kiosk.nav.go("institution", id=centre.id)
    settle(qtbot, kiosk)
    found = {c.payload: c for c in codes(kiosk)}
    assert "tel:07122846318" in found and "tel:12348" not in found
    [text] = [p for p in found if p.startswith("孝感市示例法律援助中心")]
    assert "0712-2846318" in text and centre.address in text
    assert all(c.module_px() >= 4 for c in found.values())


def test_a_legal_aid_result_goes_away_with_its_materials_and_centre(qtbot: Any, kiosk: Any, services: Any) -> None:
    kiosk.nav.go("legal_aid")
    settle(qtbot, kiosk)
    for answer in ("wages", "migrant"):
        press(qtbot, kiosk, f"answer-{answer}")
    found = codes(kiosk)
    [text] = [c for c in found if c.payload.startswith("法律援助自测结果")]
    assert "劳动合同、工牌、考勤或工资条等用工证明" in text.payload and "法律援助中心" in text.payload
    assert all(c.module_px() >= 4 for c in found)
    press(qtbot, kiosk, "legal-aid-lawyer")
    assert "法律援助自测：可能符合条件（讨要工资、确认劳动关系）" in child(kiosk, QLabel, "request-topic").text()
