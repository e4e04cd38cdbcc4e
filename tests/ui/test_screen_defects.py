"""Screens residents found wrong: overlapping guide cards, an empty video page, case numbers listed as
topics, a step total that changed, a camera-less consult with no way on, and small secondary text."""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtWidgets import QLabel, QPushButton
from uihelpers import settle, tap, visible_texts

from kiosk.ui.widgets.cards import CardList
from kiosk.ui.widgets.qr import QrCode


def test_guide_cards_never_overlap(qtbot: Any, kiosk: Any) -> None:
    for orientation in ("portrait", "landscape"):
        kiosk.resize_for(orientation)
        kiosk.nav.go("guides")
        settle(qtbot, kiosk, 50)
        view = kiosk.nav.current_screen().findChild(CardList, "guides-list")
        rects = [view.visualRect(view.model().index(r, 0)) for r in range(view.model().rowCount())]
        assert len(rects) >= 3
        for row, (rect, below) in enumerate(itertools.pairwise(rects)):
            item = view.model().index(row, 0).data(256)  # Qt.UserRole: the card
            needed = view.delegate._layout(item, rect.width())[0]
            assert needed <= rect.height(), f"card {row} needs {needed} px, has {rect.height()}"
            assert rect.bottom() < below.top()


def test_cases_topics_are_topics_and_hold_the_guiding_cases(qtbot: Any, kiosk: Any, services: Any) -> None:
    kiosk.nav.go("cases")
    settle(qtbot, kiosk)
    topics = kiosk.nav.current_screen().topic_bar.labels()
    assert "劳动人事" in topics and not [t for t in topics if "指导" in t]
    labour = services.cases.cases(None, "劳动人事")
    assert {c.number for c in labour if c.kind == "指导性案例"} >= {18, 179, 181}
    case = next(c for c in labour if c.number == 18)
    kiosk.nav.go("case", id=case.id)
    settle(qtbot, kiosk)
    texts = visible_texts(kiosk.nav.current_screen())
    assert [t for t in texts if "18号" in t] == ["指导案例18号"]  # one tag for the one number


def test_the_video_filter_is_never_a_blank_page(qtbot: Any, kiosk: Any, services: Any) -> None:
    from kiosk.store.models import PublicityItem

    with services.publicity.db.atomic() as txn:  # a terminal with no video downloaded yet
        PublicityItem.delete().where(PublicityItem.kind == "视频").execute()
        kiosk.nav.go("publicity")
        settle(qtbot, kiosk)
        screen = kiosk.nav.current_screen()
        tap(qtbot, screen.bar.chip("视频"))
        empty = screen.findChild(QLabel, "publicity-empty")
        assert empty.isVisible() and "还没有视频" in empty.text()
        tap(qtbot, screen.bar.chip("文章"))
        assert not empty.isVisible() and screen.findChild(CardList, "publicity-list").isVisible()
        txn.rollback()


def test_the_step_total_of_the_legal_aid_check_never_changes(qtbot: Any, kiosk: Any) -> None:
    kiosk.nav.go("legal_aid")
    settle(qtbot, kiosk)
    totals = []
    for answer in ("support", "retired"):
        progress = kiosk.nav.current_screen().findChild(QLabel, "legal-aid-progress").text()
        totals.append(progress.split("，")[1].split(" ·")[0])
        tap(qtbot, kiosk.nav.current_screen().findChild(QPushButton, f"answer-{answer}"))
        settle(qtbot, kiosk)
    progress = kiosk.nav.current_screen().findChild(QLabel, "legal-aid-progress").text()
    totals.append(progress.split("，")[1].split(" ·")[0])
    assert totals == ["最多 4 步"] * 3
    assert kiosk.nav.current_screen().findChild(QLabel, "legal-aid-question").text().startswith("申请人家庭每月")


def test_no_camera_offers_retry_the_phone_and_one_plain_headline(qtbot: Any, kiosk: Any, services: Any) -> None:
    services.config.set("hub_url", "https://hub.xiaogan.example.gov.cn")
    screen = kiosk.nav.screen("consult")
    screen.probe = lambda: ([], ["USB 麦克风"])
    kiosk.nav.go("consult")
    qtbot.waitUntil(lambda: screen.findChild(QLabel, "consult-fallback") is not None, timeout=5000)
    settle(qtbot, kiosk)
    headline = screen.findChild(QLabel, "consult-fallback").text()
    assert headline == "本终端的摄像头现在用不了，不能在这里视频通话。"
    payloads = [c.payload for c in screen.findChildren(QrCode)]
    assert "https://hub.xiaogan.example.gov.cn/consult" in payloads[-1] and "tel:12348" in payloads
    retry = screen.findChild(QPushButton, "consult-retry")
    screen.probe = lambda: (["USB 摄像头"], ["USB 麦克风"])  # plugged in: 再试一次 gets further
    tap(qtbot, retry)
    qtbot.waitUntil(lambda: screen.findChild(QLabel, "consult-checking") is None, timeout=5000)
    kiosk.nav.home()
    settle(qtbot, kiosk)


def test_secondary_text_is_at_least_16_pt_and_18_in_elder_mode(qtbot: Any, kiosk: Any, services: Any) -> None:
    centre = services.directory.institutions("法律援助中心")[0]
    for elder, least in ((False, 16), (True, 18)):
        kiosk.set_elder(elder)
        kiosk.nav.go("institution", id=centre.id)
        settle(qtbot, kiosk)
        sizes = {
            w.text(): w.font().pointSizeF()
            for w in kiosk.nav.current_screen().findChildren(QLabel)
            if w.isVisible() and w.text() and (w.text() == centre.address or w.property("role") == "muted")
        }
        assert centre.address in sizes and min(sizes.values()) >= least, sizes
        kiosk.nav.go("directory")
        settle(qtbot, kiosk)
        cards = kiosk.nav.current_screen().findChild(CardList, "directory-list")
        assert cards.delegate.f_line.pointSizeF() >= least  # addresses and distances on the cards
        count = kiosk.nav.current_screen().findChild(QLabel, "directory-count")
        assert count.font().pointSizeF() >= least


def test_cards_are_measured_again_when_the_scroll_bar_takes_its_width(qtbot: Any) -> None:
    """A search's quick results fit the screen; the complete list needs the scroll bar, which takes
    some width: a snippet that wrapped in two lines now takes three. Measured at the old width, the
    card was too short and the next card covered its last line (年假 on the terminal under Xvfb)."""
    from kiosk.ui.widgets.cards import PAD, CardItem

    view = CardList()
    qtbot.addWidget(view)
    view.resize(1080, 900)
    view.show()
    qtbot.waitExposed(view)
    wide = view.viewport().width()
    narrow = wide - view.verticalScrollBar().sizeHint().width()
    delegate = view.delegate

    def height(text: str, width: int) -> float:
        return float(delegate._doc(CardItem("x", snippet=[(text, False)]), width - 2 * PAD).size().height())

    # A snippet that wraps once more at the narrower width (found, not guessed: fonts differ).
    base = "用人单位应当保障职工享受带薪年休假，职工在年休假期间享受与正常工作期间相同的工资收入。"
    text = next(t for n in range(20, 200) if height(t := (base * 5)[:n], wide) < height(t, narrow))
    delegate.forget()
    view.set_items([CardItem("快速结果", ["第一行"])])
    qtbot.wait(50)
    cards = [CardItem(f"第{i}条", ["职工带薪年休假条例"], snippet=[(text, False)]) for i in range(12)]
    view.set_items(cards, position=0)
    qtbot.waitUntil(lambda: view.verticalScrollBar().isVisible(), timeout=2000)
    qtbot.wait(300)  # the delayed layouts QListView schedules
    rects = [view.visualRect(view.model().index(r, 0)) for r in range(len(cards))]
    for row, (rect, below) in enumerate(itertools.pairwise(rects)):
        needed = delegate._layout(cards[row], rect.width())[0]
        assert needed <= rect.height(), f"card {row} needs {needed} px at width {rect.width()}, has {rect.height()}"
        assert rect.bottom() < below.top()
