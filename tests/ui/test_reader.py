"""The law reader: opening 民法典, contents, jump to 第一千零八十七条, old versions, QR, related, reading aloud."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from uihelpers import settle, tap, tap_card

from kiosk.store.models import Law


def open_civil_code(qtbot: Any, kiosk: Any) -> Any:
    home = kiosk.nav.current_screen()
    tap(qtbot, next(t for t in home.tiles if t.route == "laws"))
    laws = kiosk.nav.current_screen()
    qtbot.waitUntil(lambda: bool(laws.list.items()), timeout=5000)
    tap_card(qtbot, laws.list, lambda i: i.title == "中华人民共和国民法典")
    assert kiosk.nav.current_route == "reader"
    return kiosk.nav.current_screen()


def test_civil_code_opens_as_one_code_with_status_and_date(qtbot: Any, kiosk: Any) -> None:
    reader = open_civil_code(qtbot, kiosk)
    assert reader.doc_title.text() == "中华人民共和国民法典"
    assert reader.status.text() == "现行有效" and reader.status.isVisible()
    assert reader.effective.text() == "施行日期：2021年1月1日" and reader.effective.isVisible()
    assert "共 1260 条" in reader.level.text()
    assert not reader.notice.isVisible()


def test_jump_to_article_1087_with_the_keypad(qtbot: Any, kiosk: Any) -> None:
    reader = open_civil_code(qtbot, kiosk)
    tap(qtbot, reader.jump_button)
    pad = reader.sheet.findChild(type(reader.sheet), "") or reader.sheet
    for name in ("key-1", "key-0", "key-8", "key-7"):
        tap(qtbot, pad.findChild(object, name))
    assert reader.jump_display.text() == "第 1087 条"
    tap(qtbot, pad.findChild(object, "key-enter"))
    qtbot.wait(30)
    assert not reader.sheet.isVisible()
    assert reader.current_label.text() == "已选 第一千零八十七条"
    target = reader.doc.row_of(1087)
    assert reader.view.top_row() == target  # the article is at the top of the text
    assert reader.view.visualRect(reader.view.reader_model.index(target)).top() <= 2
    assert "离婚时，夫妻的共同财产" in reader.current_article().text


def test_jump_rejects_an_article_that_does_not_exist(qtbot: Any, kiosk: Any) -> None:
    reader = open_civil_code(qtbot, kiosk)
    tap(qtbot, reader.jump_button)
    for name in ("key-9", "key-9", "key-9", "key-9", "key-enter"):
        tap(qtbot, reader.sheet.findChild(object, name))
    assert reader.sheet.isVisible()
    assert "没有第 9999 条" in reader.jump_hint.text()


def test_contents_show_parts_chapters_and_sections_and_jump(qtbot: Any, kiosk: Any) -> None:
    reader = open_civil_code(qtbot, kiosk)
    tap(qtbot, reader.toc_button)
    toc = reader.sheet.findChild(object, "reader-toc-list")
    titles = [i.title.strip("\u3000") for i in toc.items()]
    assert "第五编 婚姻家庭" in titles and "第四章 离婚" in titles
    assert any(t.startswith("第一节") for t in titles)
    depth_of_chapter = next(i.title for i in toc.items() if i.title.endswith("第四章 离婚"))
    assert depth_of_chapter.startswith("\u3000\u3000")  # indented under its 编
    tap_card(qtbot, toc, lambda i: i.title.endswith("第四章 离婚"))
    qtbot.wait(30)
    assert not reader.sheet.isVisible()
    assert reader.doc.rows[reader.view.top_row()].text == "第四章 离婚"


def test_article_qr_code_and_related_content(qtbot: Any, kiosk: Any) -> None:
    reader = open_civil_code(qtbot, kiosk)
    reader.jump_to("1087")
    tap(qtbot, reader.action_bar.findChild(object, "reader-qr"))
    code = reader.sheet.findChild(object, "reader-qr-code")
    assert code.payload.isascii() and quote("第一千零八十七条") in code.payload
    assert len(code.matrix) > 21
    tap(qtbot, reader.sheet.close_button)
    tap(qtbot, reader.action_bar.findChild(object, "reader-related"))
    assert reader.sheet.isVisible() and reader.sheet.title.text() == "相关案例与指南"


def test_superseded_version_shows_notice_and_link_to_current(qtbot: Any, kiosk: Any) -> None:
    old = Law.get(Law.short_title == "道路运输条例", Law.status == "已修改")
    reader = kiosk.nav.go("reader", law_id=old.id)
    settle(qtbot, kiosk)
    assert reader.notice.isVisible() and "历史版本" in reader.notice_text.text()
    assert reader.status.text() == "已修改"
    tap(qtbot, reader.notice_link)
    assert reader.status.text() == "现行有效" and not reader.notice.isVisible()
    assert reader.versions_button.isVisible()


def test_read_aloud_article_and_stop_on_navigation(qtbot: Any, kiosk: Any) -> None:
    reader = open_civil_code(qtbot, kiosk)
    reader.jump_to("1087")
    tap(qtbot, reader.action_bar.findChild(object, "reader-read-article"))
    assert kiosk.speaking and kiosk.chrome.read_button.text() == "停止朗读"
    qtbot.waitUntil(lambda: not kiosk.speaking, timeout=20_000)
    toast = kiosk.window.toast
    voice = kiosk.services.speech.check()
    assert (voice is None and not toast.isVisible()) or (voice is not None and toast.text() == voice), toast.text()
    tap(qtbot, reader.read_all)  # the whole code: long; leaving the screen stops it
    assert kiosk.speaking
    tap(qtbot, kiosk.chrome.home_button)
    assert not kiosk.speaking and kiosk.chrome.read_button.text() == "朗读"
    settle(qtbot, kiosk)


def drag(qtbot: Any, widget: Any, start: Any, end: Any, steps: int = 10) -> None:
    from PySide6.QtCore import Qt

    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, steps + 1):
        qtbot.mouseMove(widget, start + (end - start) * i / steps)
        qtbot.wait(16)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)


def test_text_flicks_by_finger_and_a_tap_selects_an_article(qtbot: Any, kiosk: Any) -> None:
    from PySide6.QtCore import QPoint

    reader = open_civil_code(qtbot, kiosk)
    viewport = reader.view.viewport()
    before = reader.view.verticalScrollBar().value()
    drag(qtbot, viewport, QPoint(500, 1000), QPoint(500, 200))
    qtbot.waitUntil(lambda: reader.view.verticalScrollBar().value() > before + 300, timeout=3000)
    assert reader.current_article() is None  # a flick is not a tap
    from PySide6.QtWidgets import QScroller

    scroller = QScroller.scroller(viewport)
    qtbot.waitUntil(lambda: scroller.state() == QScroller.State.Inactive, timeout=5000)  # the flick comes to rest
    index = reader.view.indexAt(QPoint(300, 300))
    while reader.doc.rows[index.row()].kind != "article":
        index = reader.view.reader_model.index(index.row() + 1)
    tap(qtbot, viewport, reader.view.visualRect(index).center())
    assert reader.current_article() is reader.doc.rows[index.row()]
    assert reader.action_bar.isVisible()


def test_a_law_that_states_no_effective_date_shows_when_its_version_was_published(qtbot: Any, kiosk: Any) -> None:
    """道路运输条例 (2023) says when it was amended, not when it takes effect: the list and the reader
    show that date as 公布日期 instead of 「施行日期 未注明」 (1,330 of 3,423 laws say no 施行日期)."""
    laws = kiosk.nav.go("laws", tab="行政法规")
    qtbot.waitUntil(lambda: any(i.title == "中华人民共和国道路运输条例" for i in laws.list.items()), timeout=5000)
    card = next(i for i in laws.list.items() if i.title == "中华人民共和国道路运输条例")
    assert card.lines[0].startswith("公布日期 2023年7月20日 · 共 ")
    tap_card(qtbot, laws.list, lambda i: i.title == "中华人民共和国道路运输条例")
    reader = kiosk.nav.current_screen()
    assert kiosk.nav.current_route == "reader" and reader.status.text() == "现行有效"
    assert reader.effective.text() == "公布日期：2023年7月20日" and reader.effective.isVisible()
