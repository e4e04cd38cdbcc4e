from __future__ import annotations

import re

import pytest

from kiosk.flows.rating import LOW_RATING_REASONS, AlreadyRated, Level, RatingSession, ReasonRequired
from kiosk.flows.requests import PIPL_NOTICE, ConsentRequired, RequestForm, RequestKind


def filled(kind: RequestKind, **values: str) -> RequestForm:
    form = RequestForm(kind)
    form.values.update({"name": "王小明", "phone": "13807120000", "matter": "讨要工资", **values})
    return form


def test_request_refused_without_consent_and_accepted_with_it() -> None:
    form = filled(RequestKind.CALLBACK, preferred_time="明天上午")
    with pytest.raises(ConsentRequired):
        form.submission()
    form.consent = True
    payload = form.submission()
    assert payload["kind"] == "callback" and payload["phone"] == "13807120000"
    assert re.fullmatch(r"\d{6}-[2-9A-Z]{6}", payload["reference"])
    assert set(payload) == {"name", "phone", "matter", "preferred_time", "kind", "reference"}


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13807120000", True),
        ("0712-2345678", True),
        ("07122345678", True),
        ("1380712000", False),
        ("12345678901", False),
        ("abc", False),
        ("0712-23", False),
    ],
)
def test_phone_numbers_are_validated(phone: str, ok: bool) -> None:
    form = filled(RequestKind.COMPLAINT, phone=phone)
    assert ("phone" not in form.errors()) is ok


def test_only_needed_fields_are_asked() -> None:
    assert RequestKind.COMPLAINT.fields == ("name", "phone", "matter")
    assert RequestKind.APPOINTMENT.fields == ("name", "phone", "matter", "institution", "preferred_time")
    form = filled(RequestKind.APPOINTMENT)
    form.consent = True
    assert set(form.errors()) == {"institution", "preferred_time"}
    with pytest.raises(ValueError, match="办理机构"):
        form.submission()


def test_wipe_forgets_everything() -> None:
    form = filled(RequestKind.MEDIATION)
    form.consent = True
    form.wipe()
    assert form.values == {} and not form.consent


def test_notice_says_who_why_and_how_long() -> None:
    for words in ("收集", "用于", "删除", "保存", "12348"):
        assert words in PIPL_NOTICE


def test_low_rating_demands_a_reason_and_one_rating_per_session() -> None:
    session = RatingSession("consult", "s1")
    with pytest.raises(ReasonRequired):
        session.rate(Level.VERY_DISSATISFIED)
    rating = session.rate(Level.DISSATISFIED, reason=LOW_RATING_REASONS[3], text="  等了很久 ")
    assert rating["level"] == 2 and rating["label"] == "不满意" and rating["text"] == "等了很久"
    with pytest.raises(AlreadyRated):
        session.rate(Level.SATISFIED)
    assert [level.label for level in Level] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert RatingSession("law", "s2").rate(Level.SATISFIED)["reason"] is None


def test_a_call_back_needs_no_matter_and_carries_its_topic() -> None:
    from kiosk.flows.requests import reference_text

    form = RequestForm(RequestKind.CALLBACK, consent=True, topic="《劳动合同法》第三十条")
    form.values.update({"name": "王示例", "phone": "13807120000", "preferred_time": "尽快"})
    payload = form.submission()
    assert payload["matter"] == "" and payload["topic"] == "《劳动合同法》第三十条"
    complaint = RequestForm(RequestKind.COMPLAINT, consent=True)
    complaint.values.update({"name": "王示例", "phone": "13807120000"})
    assert "matter" in complaint.errors()  # a complaint must say what it is about
    text = reference_text(RequestKind.CALLBACK, payload["reference"])
    assert payload["reference"] in text and "王示例" not in text and "13807120000" not in text
