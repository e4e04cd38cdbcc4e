"""Resident services tapped through as a resident would: the legal-aid pre-check down each outcome,
a request refused without consent and accepted with it, ratings (a low one demands a reason)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget
from uihelpers import settle, tap, visible_texts


def child(kiosk: Any, cls: type, name: str) -> Any:
    widget = kiosk.nav.current_screen().findChild(cls, name)
    assert widget is not None, f"no {name} on {kiosk.nav.current_route}"
    return widget


def press(qtbot: Any, kiosk: Any, name: str) -> None:
    tap(qtbot, child(kiosk, QPushButton, name))
    settle(qtbot, kiosk)


def queued(services: Any, kind: str) -> list[dict[str, Any]]:
    rows = services.resident.outbox.db.execute_sql(
        "SELECT payload FROM outbox_event WHERE kind = ? ORDER BY seq", (kind,)
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


def open_tile(qtbot: Any, kiosk: Any, route: str) -> None:
    home = kiosk.nav.current_screen()
    tile = next(t for t in home.tiles if t.route == route)
    tap(qtbot, tile)
    settle(qtbot, kiosk)
    assert kiosk.nav.current_route == route


# --- legal-aid pre-check -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "outcome", "article"),
    [
        (("wages", "migrant"), "可能符合条件", "第四十二条"),
        (("violence",), "可能符合条件", "第三十二条"),
        (("support", "none", "above"), "可能不符合条件", "第三十一条"),
        (("support", "none", "unsure"), "需要进一步核实", "第三十一条"),
    ],
)
def test_legal_aid_interview_reaches_each_outcome(
    qtbot: Any, kiosk: Any, services: Any, answers: tuple[str, ...], outcome: str, article: str
) -> None:
    open_tile(qtbot, kiosk, "legal_aid")
    assert child(kiosk, QLabel, "legal-aid-question").text() == "您遇到的是哪一类事情？"
    for answer in answers:
        press(qtbot, kiosk, f"answer-{answer}")
    assert child(kiosk, QLabel, "legal-aid-outcome").text() == outcome
    texts = visible_texts(kiosk.nav.current_screen())
    assert any("申请人居民身份证" in t for t in texts)  # the materials list
    assert any("法律援助中心 · " in t for t in texts)  # the nearest centre, with its distance
    # the article it rests on opens in the reader
    press(qtbot, kiosk, f"basis-{article}")
    assert kiosk.nav.current_route == "reader"
    reader = kiosk.nav.current_screen()
    assert "法律援助法" in reader.doc.title
    assert reader.current_label.text() == f"已选 {article}"
    # 返回 comes back to the same result, not to a fresh interview
    kiosk.nav.back()
    settle(qtbot, kiosk)
    assert child(kiosk, QLabel, "legal-aid-outcome").text() == outcome
    services.resident.flush()  # counts are written at most a minute later, and at every idle reset
    usage = services.resident.outbox.db.execute_sql(
        "SELECT name, count FROM outbox_usage_hourly WHERE name LIKE 'service.legal_aid.%'"
    ).fetchall()
    assert dict(usage) == {"service.legal_aid.started": 1, "service.legal_aid.finished": 1}


def test_legal_aid_back_and_restart_at_every_step(qtbot: Any, kiosk: Any) -> None:
    open_tile(qtbot, kiosk, "legal_aid")
    assert child(kiosk, QLabel, "legal-aid-progress").text().startswith("第 1 步，最多 4 步")
    press(qtbot, kiosk, "answer-support")
    assert child(kiosk, QLabel, "legal-aid-question").text() == "申请人是否属于下列人员？"
    press(qtbot, kiosk, "legal-aid-back")
    assert child(kiosk, QLabel, "legal-aid-question").text() == "您遇到的是哪一类事情？"
    press(qtbot, kiosk, "answer-support")
    press(qtbot, kiosk, "answer-none")
    press(qtbot, kiosk, "legal-aid-restart")
    assert child(kiosk, QLabel, "legal-aid-question").text() == "您遇到的是哪一类事情？"
    assert kiosk.nav.current_screen().findChild(QPushButton, "legal-aid-back") is None


# --- requests ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_the_take_away_codes_fit_the_screen_in_elder_mode(qtbot: Any, kiosk: Any, orientation: str) -> None:
    """Three codes (the result, the way to the centre, 12348) in 大字模式 on a portrait screen were
    wider than the page: the result's text and the codes ran past the right edge, cut off."""
    from kiosk.ui.widgets.qr import QrBlock

    kiosk.resize_for(orientation)
    kiosk.set_elder(True)
    settle(qtbot, kiosk)
    open_tile(qtbot, kiosk, "legal_aid")
    for answer in ("wages", "migrant"):
        press(qtbot, kiosk, f"answer-{answer}")
    settle(qtbot, kiosk)
    page = kiosk.nav.current_screen().page
    viewport = page.viewport()
    assert page.widget().width() <= viewport.width()
    codes = child(kiosk, QWidget, "legal-aid-take-away").findChildren(QrBlock)
    assert len(codes) == 3
    for code in codes:
        left = code.mapTo(viewport, QPoint(0, 0)).x()
        assert left >= 0 and left + code.width() <= viewport.width(), (orientation, left, code.width())


def test_request_refused_without_consent_and_accepted_with_it(qtbot: Any, kiosk: Any, services: Any) -> None:
    kiosk.nav.go("request", kind="callback")
    settle(qtbot, kiosk)
    assert "个人信息告知" in " ".join(visible_texts(kiosk.nav.current_screen()))
    assert kiosk.nav.current_screen().findChild(QLineEdit, "field-phone") is None  # nothing asked before consent
    press(qtbot, kiosk, "consent-no")
    assert child(kiosk, QLabel, "consent-refused").isVisible()
    assert queued(services, "request") == []

    press(qtbot, kiosk, "consent-again")
    press(qtbot, kiosk, "consent-yes")
    name, phone, matter = (child(kiosk, QLineEdit, f"field-{f}") for f in ("name", "phone", "matter"))
    assert phone.inputMethodHints() & phone.inputMethodHints().ImhSensitiveData  # the keyboard learns nothing
    assert phone.inputMethodHints() & phone.inputMethodHints().ImhNoPredictiveText
    name.setText("张示例")
    phone.setText("12345")
    matter.setText("老板拖欠三个月工资")
    press(qtbot, kiosk, "request-submit")
    error = child(kiosk, QLabel, "error-phone")
    assert error.isVisible() and "11位手机号码" in error.text()
    assert child(kiosk, QLabel, "error-preferred_time").isVisible()  # a choice is still missing
    assert queued(services, "request") == []

    phone.setText("13807121234")
    press(qtbot, kiosk, "choice-preferred_time-1")
    press(qtbot, kiosk, "request-submit")
    reference = child(kiosk, QLabel, "request-reference").text()
    assert len(reference) == 13 and reference[6] == "-"
    [payload] = queued(services, "request")
    assert payload == {
        "kind": "callback",
        "name": "张示例",
        "phone": "13807121234",
        "matter": "老板拖欠三个月工资",
        "preferred_time": "工作日上午",
        "reference": reference,
    }
    assert "13807121234" not in " ".join(visible_texts(kiosk.window))  # gone from the screen


def test_a_problem_out_of_sight_is_scrolled_into_view_and_nothing_covers_the_messages(qtbot: Any, kiosk: Any) -> None:
    """Landscape: 提交 is below the fold. A missing name at the top must come into view, and no toast
    may lie over the message next to the resident's finger."""
    kiosk.resize_for("landscape")
    kiosk.nav.go("request", kind="callback")
    settle(qtbot, kiosk)
    press(qtbot, kiosk, "consent-yes")
    settle(qtbot, kiosk)
    screen = kiosk.nav.current_screen()
    bar = screen.page.verticalScrollBar()
    assert bar.maximum() > 0  # the form is longer than the screen
    bar.setValue(bar.maximum())
    settle(qtbot, kiosk)
    press(qtbot, kiosk, "request-submit")
    settle(qtbot, kiosk)
    viewport = screen.page.viewport()
    seen = viewport.rect()
    for name in ("error-name", "field-name"):
        widget = screen.findChild(QLabel if name.startswith("error") else QLineEdit, name)
        top_left = widget.mapTo(viewport, QPoint(0, 0))
        assert widget.isVisible() and seen.contains(QRect(top_left, widget.size())), name
    assert not kiosk.window.toast.isVisible()
    assert screen.read_aloud_text().startswith("请按提示修改后再提交：请填写姓名")


def _needed(label: QLabel) -> int:
    """The height ``label``'s own text needs at its width, padding and border included."""
    m = label.contentsMargins()
    inner = QRect(0, 0, label.width() - m.left() - m.right(), 1 << 20)
    return (
        label.fontMetrics().boundingRect(inner, Qt.TextFlag.TextWordWrap, label.text()).height() + m.top() + m.bottom()
    )


def test_field_messages_fit_and_nothing_moves_when_they_appear(qtbot: Any, kiosk: Any) -> None:
    """Messages laid out for the width of the moment: an early guess (one character per line, 480 px
    of empty notice) or a height fixed before 大字模式 (the message cut off) are both defects."""
    kiosk.nav.go("request", kind="callback")
    settle(qtbot, kiosk)
    press(qtbot, kiosk, "consent-yes")
    settle(qtbot, kiosk)
    phone = child(kiosk, QLineEdit, "field-phone")
    before = phone.mapTo(kiosk.window, QPoint(0, 0))
    child(kiosk, QLineEdit, "field-name").setText("张示例")
    phone.setText("12345")
    press(qtbot, kiosk, "request-submit")
    settle(qtbot, kiosk)
    assert phone.mapTo(kiosk.window, QPoint(0, 0)) == before  # nothing under the finger moved
    for elder in (False, True, False):
        kiosk.set_elder(elder)
        settle(qtbot, kiosk)
        shown = [e for e in kiosk.nav.current_screen().errors.values() if e.isVisible()]
        assert {e.objectName() for e in shown} == {"error-phone", "error-preferred_time"}
        for error in shown:
            line = error.fontMetrics().height()
            assert _needed(error) <= error.height() <= _needed(error) + 2 * line, (error.objectName(), elder)


def test_the_widest_reference_fits_a_portrait_screen_in_elder_mode(
    qtbot: Any, kiosk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kiosk.flows.requests as requests

    monkeypatch.setattr(requests, "new_reference", lambda: "261128-WWWWWW")  # the widest letters
    tap(qtbot, kiosk.chrome.elder_button)
    kiosk.nav.go("request", kind="complaint")
    settle(qtbot, kiosk)
    press(qtbot, kiosk, "consent-yes")
    for field, text in (("name", "王示例"), ("phone", "0712-2345678"), ("matter", "收费不合理")):
        child(kiosk, QLineEdit, f"field-{field}").setText(text)
    press(qtbot, kiosk, "request-submit")
    reference = child(kiosk, QLabel, "request-reference")
    assert reference.text() == "261128-WWWWWW"
    assert reference.sizeHint().width() <= kiosk.nav.current_screen().width() - 56  # nothing cut off
    assert reference.font().pointSizeF() >= 48  # still the biggest thing on the screen


def test_walking_away_wipes_a_half_filled_request(qtbot: Any, kiosk: Any, clock: Any, services: Any) -> None:
    kiosk.nav.go("request", kind="mediation")
    settle(qtbot, kiosk)
    press(qtbot, kiosk, "consent-yes")
    phone = child(kiosk, QLineEdit, "field-phone")
    phone.setText("13807121234")
    screen = kiosk.nav.current_screen()
    clock.advance(60)
    kiosk.tick()
    clock.advance(15)
    kiosk.tick()
    assert kiosk.nav.current_route == "attract"
    assert phone.text() == "" and screen.form is not None and screen.form.values == {} and not screen.form.consent
    assert queued(services, "request") == []


# --- ratings -----------------------------------------------------------------------------------------


def test_low_rating_demands_a_reason_and_rates_once(qtbot: Any, kiosk: Any, services: Any) -> None:
    kiosk.nav.go("rating", service="legal_aid", session="s-1")
    settle(qtbot, kiosk)
    levels = [child(kiosk, QPushButton, f"level-{n}").text() for n in (5, 4, 3, 2, 1)]
    assert levels == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    press(qtbot, kiosk, "level-1")
    press(qtbot, kiosk, "rating-submit")
    error = child(kiosk, QLabel, "rating-error")
    assert error.isVisible() and "原因" in error.text()
    assert queued(services, "rating") == []
    press(qtbot, kiosk, "reason-操作太复杂")
    child(kiosk, QLineEdit, "rating-text").setText("字太小")
    press(qtbot, kiosk, "rating-submit")
    assert "感谢" in child(kiosk, QLabel, "rating-done").text()
    [payload] = queued(services, "rating")
    assert payload["level"] == 1 and payload["reason"] == "操作太复杂" and payload["text"] == "字太小"
    # the same service session cannot be rated twice
    kiosk.nav.go("rating", service="legal_aid", session="s-1")
    settle(qtbot, kiosk)
    assert "已经评价过" in child(kiosk, QLabel, "rating-done").text()
    assert len(queued(services, "rating")) == 1


def test_high_rating_needs_no_reason(qtbot: Any, kiosk: Any, services: Any) -> None:
    open_tile(qtbot, kiosk, "feedback")
    press(qtbot, kiosk, "feedback-0")
    assert kiosk.nav.current_route == "rating"
    press(qtbot, kiosk, "level-4")
    [payload] = queued(services, "rating")
    assert payload["service"] == "terminal" and payload["level"] == 4 and payload["reason"] is None


# --- usage counts ------------------------------------------------------------------------------------


def test_usage_counts_screens_and_searches_per_hour_never_the_words(qtbot: Any, kiosk: Any, services: Any) -> None:
    tap(qtbot, kiosk.nav.current_screen().search_box)
    screen = kiosk.nav.current_screen()
    for text in ("欠", "欠薪", "离婚"):  # refining counts once, a different question once more
        screen.edit.setText(text)
        qtbot.waitUntil(lambda t=text: screen.latest is not None and screen.latest.text == t, timeout=5000)
    kiosk.nav.home()
    settle(qtbot, kiosk)
    services.resident.flush()
    outbox = services.resident.outbox
    usage = outbox.get(outbox.fold_usage() or "")
    assert usage is not None and usage.kind == "usage"
    totals: dict[str, int] = {}
    for hour, counts in usage.payload["hours"].items():
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d", hour)  # local hour
        for name, n in counts.items():
            totals[name] = totals.get(name, 0) + n
    assert totals["search"] == 2 and totals["screen.search"] == 1 and totals["screen.home"] >= 1
    raw = json.dumps(usage.payload, ensure_ascii=False)
    assert "欠薪" not in raw and "离婚" not in raw


def walk_away(qtbot: Any, kiosk: Any, clock: Any) -> None:
    """The resident leaves: the idle countdown runs out and everything is wiped."""
    clock.advance(60)
    kiosk.tick()
    clock.advance(15)
    kiosk.tick()
    settle(qtbot, kiosk)
    assert kiosk.nav.current_route == "attract"


def test_two_dissatisfied_residents_in_a_row_both_reach_the_outbox(
    qtbot: Any, kiosk: Any, services: Any, clock: Any
) -> None:
    walk_away(qtbot, kiosk, clock)  # every resident finds the attract screen
    for resident, (reason, words) in enumerate((("操作太复杂", "字太小"), ("内容看不懂", "看不明白"))):
        tap(qtbot, kiosk.window)  # a touch anywhere wakes it to home
        settle(qtbot, kiosk)
        assert kiosk.nav.current_route == "home"
        open_tile(qtbot, kiosk, "feedback")
        press(qtbot, kiosk, "feedback-0")
        press(qtbot, kiosk, "level-1")
        press(qtbot, kiosk, "rating-again")  # 重新选择 tears the reasons page down once more
        press(qtbot, kiosk, "level-1")
        press(qtbot, kiosk, f"reason-{reason}")
        text = child(kiosk, QLineEdit, "rating-text")
        assert text.text() == ""  # nothing of the resident before
        text.setText(words)
        press(qtbot, kiosk, "rating-submit")
        assert "感谢" in child(kiosk, QLabel, "rating-done").text()
        assert len(queued(services, "rating")) == resident + 1
        walk_away(qtbot, kiosk, clock)
    ratings = queued(services, "rating")
    assert [(r["level"], r["reason"], r["text"]) for r in ratings] == [
        (1, "操作太复杂", "字太小"),
        (1, "内容看不懂", "看不明白"),
    ]


def test_a_validation_message_does_not_move_the_buttons(qtbot: Any, kiosk: Any) -> None:
    tap(qtbot, kiosk.chrome.elder_button)  # the largest text: the longest messages wrap
    kiosk.nav.go("request", kind="appointment")
    settle(qtbot, kiosk)
    press(qtbot, kiosk, "consent-yes")
    submit = child(kiosk, QPushButton, "request-submit")
    phone = child(kiosk, QLineEdit, "field-phone")
    before = (submit.mapTo(kiosk.window, submit.rect().topLeft()), phone.mapTo(kiosk.window, phone.rect().topLeft()))
    child(kiosk, QLineEdit, "field-name").setText("张示例")
    phone.setText("12345")
    press(qtbot, kiosk, "request-submit")
    assert child(kiosk, QLabel, "error-phone").isVisible() and child(kiosk, QLabel, "error-institution").isVisible()
    after = (submit.mapTo(kiosk.window, submit.rect().topLeft()), phone.mapTo(kiosk.window, phone.rect().topLeft()))
    assert after == before
