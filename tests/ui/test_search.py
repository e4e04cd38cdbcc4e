"""Search: the on-screen keyboard (Pinyin) types, results are grouped and highlighted, a tap opens them."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from uihelpers import settle, tap, tap_card

from kiosk.search.api import SearchHit
from kiosk.services.search import UNAVAILABLE, SearchService


def type_on_keyboard(qtbot: Any, kiosk: Any, keys: str) -> None:
    host = kiosk.window.keyboard
    qtbot.waitUntil(lambda: host.isVisible() and bool(host.key_items()), timeout=5000)
    for key in keys:
        pos = host.key_position(key)
        qtbot.mouseClick(host.view, Qt.MouseButton.LeftButton, pos=pos)
        qtbot.wait(15)


def open_search(qtbot: Any, kiosk: Any) -> Any:
    home = kiosk.nav.current_screen()
    tap(qtbot, home.search_box)
    screen = kiosk.nav.current_screen()
    assert kiosk.nav.current_route == "search"
    qtbot.waitUntil(lambda: screen.edit.hasFocus(), timeout=3000)
    return screen


def test_keyboard_types_chinese_by_pinyin_and_learns_nothing(qtbot: Any, kiosk: Any, xdg_config: Path) -> None:
    screen = open_search(qtbot, kiosk)
    hints = screen.edit.inputMethodHints()
    assert hints & Qt.InputMethodHint.ImhSensitiveData and hints & Qt.InputMethodHint.ImhNoPredictiveText
    type_on_keyboard(qtbot, kiosk, "")
    host = kiosk.window.keyboard
    assert all(host.view.rect().contains(host.key_position(k)) for k in host.key_items())  # no key cut off
    assert host.geometry().bottom() <= kiosk.window.height()
    dictionaries = sorted((xdg_config / "qtvirtualkeyboard").rglob("*"))
    before = {p: p.read_bytes() for p in dictionaries if p.is_file()}
    for _ in range(3):
        type_on_keyboard(qtbot, kiosk, "laodong ")
    qtbot.waitUntil(lambda: screen.edit.text() == "劳动劳动劳动", timeout=3000)
    kiosk.wipe()
    assert screen.edit.text() == ""
    assert kiosk.window.keyboard.view is None  # every keyboard state went with it
    after = {p: p.read_bytes() for p in sorted((xdg_config / "qtvirtualkeyboard").rglob("*")) if p.is_file()}
    assert after == before  # the Pinyin user dictionary learned nothing


def test_missing_engine_shows_search_unavailable(qtbot: Any, services: Any, clock: Any) -> None:
    from uihelpers import make_app

    services.search = SearchService(services.db, module="kiosk.search.no_such_engine")
    kiosk = make_app(services, clock)
    try:
        screen = open_search(qtbot, kiosk)
        type_on_keyboard(qtbot, kiosk, "lihun ")
        qtbot.waitUntil(lambda: UNAVAILABLE in screen.status.text(), timeout=3000)
        assert screen.results.items() == []
    finally:
        kiosk.close()


@pytest.fixture
def fake_engine(services: Any) -> Any:
    """A stand-in engine module, to check how the screen groups and highlights whatever it returns."""
    from kiosk.store.models import Article, Case, Law

    law = Law.get(Law.short_title == "劳动合同法")
    art = Article.get(Article.law == law, Article.number == 19)
    case = Case.select().first()
    module = types.ModuleType("fake_search_engine")

    def search(db: Any, text: str, filters: Any, limit: int) -> list[SearchHit]:
        return [
            SearchHit(
                "article",
                art.id,
                law.title,
                article=art.label,
                article_no=19,
                status=law.status,
                snippet="劳动合同期限\x02三个月\x03以上不满一年的，试用期不得超过一个月",
            ),
            SearchHit("law", law.id, law.title, status=law.status, snippet="中华人民共和国\x02劳动合同\x03法"),
            SearchHit("case", case.id, case.title, snippet="\x02试用期\x03"),
        ]

    module.search = search  # type: ignore[attr-defined]
    module.suggest = lambda db, prefix, limit: []  # type: ignore[attr-defined]
    sys.modules["fake_search_engine"] = module
    services.search = SearchService(services.db, module="fake_search_engine")
    yield art
    del sys.modules["fake_search_engine"]


def test_results_grouped_by_kind_with_highlights_and_tap_opens_article(
    qtbot: Any, services: Any, clock: Any, fake_engine: Any
) -> None:
    from uihelpers import make_app

    kiosk = make_app(services, clock)
    try:
        screen = open_search(qtbot, kiosk)
        type_on_keyboard(qtbot, kiosk, "shiyong ")
        qtbot.waitUntil(lambda: len(screen.results.items()) == 6, timeout=3000)
        items = screen.results.items()
        assert [i.title for i in items if i.heading] == ["法条（1）", "法律法规（1）", "案例（1）"]
        assert ("三个月", True) in items[1].snippet
        assert items[1].title.endswith("第十九条") and items[1].badge == "现行有效"
        tap_card(qtbot, screen.results, lambda i: i.payload == ("article", fake_engine.id))
        assert kiosk.nav.current_route == "reader"
        reader = kiosk.nav.current_screen()
        assert reader.current_article().label == "第十九条"
    finally:
        kiosk.close()


def test_search_typed_on_keyboard_reaches_an_article(qtbot: Any, kiosk: Any) -> None:
    screen = open_search(qtbot, kiosk)
    type_on_keyboard(qtbot, kiosk, "laodong hetong ")
    qtbot.waitUntil(lambda: screen.edit.text() == "劳动合同", timeout=3000)
    qtbot.waitUntil(lambda: any(i.payload and i.payload[0] == "article" for i in screen.results.items()), timeout=5000)
    assert any(text for i in screen.results.items() if i.snippet for text, hit in i.snippet if hit)
    tap_card(qtbot, screen.results, lambda i: bool(i.payload) and i.payload[0] == "article")
    settle(qtbot, kiosk)
    assert kiosk.nav.current_route == "reader"
    assert kiosk.nav.current_screen().current_article() is not None


def test_hot_topic_chip_searches(qtbot: Any, kiosk: Any) -> None:
    home = kiosk.nav.current_screen()
    chip = next(c for c in home.topics_host.children() if getattr(c, "text", lambda: "")() == "欠薪")
    tap(qtbot, chip)
    screen = kiosk.nav.current_screen()
    assert kiosk.nav.current_route == "search"
    assert screen.edit.text() == "拖欠工资"
    settle(qtbot, kiosk)
    assert screen.status.text()  # results, "nothing found" or the unavailable notice — never blank


def test_typing_after_a_hot_topic_continues_in_pinyin(qtbot: Any, kiosk: Any) -> None:
    screen = kiosk.nav.go("search", text="离婚")
    tap(qtbot, screen.edit)
    qtbot.waitUntil(lambda: kiosk.window.keyboard.isVisible(), timeout=3000)
    screen.edit.end(False)
    type_on_keyboard(qtbot, kiosk, "caichan ")
    qtbot.waitUntil(lambda: screen.edit.text() == "离婚财产", timeout=3000)


def test_keyboard_fits_a_landscape_screen_in_elder_mode(qtbot: Any, services: Any, clock: Any) -> None:
    from uihelpers import make_app

    services.config.set("elder_mode_default", True)
    kiosk = make_app(services, clock, "landscape")
    try:
        open_search(qtbot, kiosk)
        type_on_keyboard(qtbot, kiosk, "")
        host = kiosk.window.keyboard
        bottom = host.mapTo(kiosk.window, host.view.geometry().bottomLeft()).y()
        assert bottom <= kiosk.window.height()
        assert all(host.view.rect().contains(host.key_position(k)) for k in host.key_items())
        type_on_keyboard(qtbot, kiosk, "lihun ")
        qtbot.waitUntil(lambda: kiosk.nav.current_screen().edit.text() == "离婚", timeout=3000)
    finally:
        kiosk.close()


def test_hot_topic_shows_its_service_guide(qtbot: Any, kiosk: Any) -> None:
    home = kiosk.nav.current_screen()
    chip = home.findChild(object, "topic-抚养费")  # its guide: 申请法律援助
    tap(qtbot, chip)
    screen = kiosk.nav.current_screen()
    assert screen.guide_link.isVisible() and screen.guide_link.text().startswith("办事指南：申请法律援助")
    tap(qtbot, screen.guide_link)
    assert kiosk.nav.current_route == "guide"
    tap(qtbot, kiosk.chrome.back_button)
    assert screen.guide_link.isVisible()  # 返回 restores it
    screen.edit.setText("离婚")
    qtbot.wait(40)
    assert not screen.guide_link.isVisible()


def test_pinyin_initials_suggest_a_title_that_opens_it(qtbot: Any, kiosk: Any) -> None:
    screen = open_search(qtbot, kiosk)
    screen.edit.setText("ldht")  # typed with the keyboard's Latin layout
    qtbot.waitUntil(lambda: screen.hints.chip("劳动合同法") is not None, timeout=5000)
    tap(qtbot, screen.hints.chip("劳动合同法"))
    assert kiosk.nav.current_route == "reader"
    assert kiosk.nav.current_screen().doc.title == "中华人民共和国劳动合同法"


def test_results_cut_short_while_typing_are_completed(qtbot: Any, kiosk: Any, monkeypatch: Any) -> None:
    import kiosk.ui.screens.search as search_screen

    monkeypatch.setattr(search_screen, "QUICK_SECONDS", 0.0)  # every quick search runs out of time
    screen = open_search(qtbot, kiosk)
    screen.edit.setText("劳动合同 试用期")
    qtbot.waitUntil(
        lambda: screen.latest is not None and not screen.latest.partial and not screen._running, timeout=10_000
    )
    assert screen.latest.text == "劳动合同 试用期" and screen.latest.total > 0
    assert any("劳动合同法" in item.title for item in screen.results.items())


def test_common_questions_prompt_stands_above_its_topic_chips(qtbot: Any, kiosk: Any) -> None:
    screen = open_search(qtbot, kiosk)
    settle(qtbot, kiosk)
    assert screen.status.text() == "可以试试这些常见问题："
    labels = screen.hints.labels()
    assert labels and len(labels) == len(set(labels))
    # The prompt introduces the chips: they follow it on screen, nothing is left dangling after it.
    first_chip = screen.hints.chip(labels[0])
    chip_top = first_chip.mapTo(screen, first_chip.rect().topLeft()).y()
    assert screen.status.geometry().bottom() < chip_top


def test_suggestions_name_each_title_or_article_once(qtbot: Any, kiosk: Any) -> None:
    screen = open_search(qtbot, kiosk)
    screen.edit.setText("劳动争议调解")
    qtbot.waitUntil(lambda: "劳动争议调解仲裁法" in screen.hints.labels(), timeout=10_000)
    labels = screen.hints.labels()
    assert len(labels) == len(set(labels)), labels
    # The law itself, and any of its articles told apart by number.
    assert all(label == "劳动争议调解仲裁法" or label.startswith("劳动争议调解仲裁法第") for label in labels), labels


def test_no_chip_repeats_an_article_card_under_it(qtbot: Any, kiosk: Any) -> None:
    """承包地 typed on the keyboard: six chips named the very articles listed under them, three rows
    that pushed the results down the little room the keyboard leaves. An article chip now comes
    only for an article not on the screen; a law's title still completes what was typed."""
    from kiosk.services.search import SearchService

    screen = open_search(qtbot, kiosk)
    asked: list[list[Any]] = []
    real_suggest = SearchService.suggest

    def recording(service: Any, prefix: str, limit: int = 8) -> list[Any]:
        found = real_suggest(service, prefix, limit)
        asked.append(found)
        return found

    kiosk.services.search.suggest = types.MethodType(recording, kiosk.services.search)
    screen.edit.setText("劳动合同")
    qtbot.waitUntil(lambda: bool(asked) and bool(screen.hints.labels()), timeout=10_000)
    settle(qtbot, kiosk)
    assert screen.latest is not None and screen.latest.text == "劳动合同"
    on_screen = {i.id for g in screen.latest.groups for i in g.items if i.kind == "article"}
    offered = [s for s in asked[-1] if s.kind == "article"]
    assert any(s.id in on_screen for s in offered)  # the engine did suggest an article listed below
    chips = screen.hints.labels()
    assert not [s.text for s in offered if s.id in on_screen and s.text in chips], chips
    assert "劳动合同法" in chips


def test_topic_search_shows_the_nearest_offices_first_with_distance(qtbot: Any, kiosk: Any) -> None:
    screen = open_search(qtbot, kiosk)
    screen.edit.setText("拖欠工资")
    qtbot.waitUntil(
        lambda: screen.latest is not None and not screen.latest.partial and not screen._running, timeout=10_000
    )
    items = screen.results.items()
    assert items[0].heading and items[0].title.startswith("就近可以帮您的机构")
    offices = []
    for item in items[1:]:
        if item.heading:
            break
        offices.append(item)
    types = [o.lines[0] for o in offices]
    assert "法律援助中心" in types and "仲裁委员会" in types
    assert all(o.trailing.endswith(("公里", "米")) for o in offices)
    # Of all legal-aid centres in the directory, the one nearest the terminal.
    aid = kiosk.services.directory.institutions(type_="法律援助中心")
    assert next(o for o in offices if o.lines[0] == "法律援助中心").title == aid[0].name
    tap_card(qtbot, screen.results, lambda i: i is offices[0])
    assert kiosk.nav.current_route == "institution"


def test_a_group_shows_its_first_results_and_the_rest_on_request(qtbot: Any, kiosk: Any) -> None:
    """Six articles first; 查看更多法条 opens the rest in its place, the cards above staying put; a new
    question or the next resident starts with the first six again."""
    screen = open_search(qtbot, kiosk)
    screen.edit.setText("劳动合同 解除")
    qtbot.waitUntil(
        lambda: screen.latest is not None and not screen.latest.partial and not screen._running, timeout=10_000
    )
    articles = next(g for g in screen.latest.groups if g.kind == "article")
    assert len(articles.items) == 6 and articles.more, "the fixture's laws give more than six articles"

    def article_cards() -> list[Any]:
        return [i for i in screen.results.items() if i.payload and i.payload[0] == "article"]

    heading = next(i for i in screen.results.items() if i.heading and i.title.startswith("法条"))
    assert heading.title == f"法条（{articles.count}）"
    assert screen.status.text() == f"“劳动合同 解除”找到 {screen.latest.total} 条结果"
    assert len(article_cards()) == 6

    def is_more(i: Any) -> bool:
        return bool(i.payload) and i.payload == ("more", "article")

    more = next(i for i in screen.results.items() if is_more(i))
    assert more.title == f"查看更多法条（还有 {len(articles.more)} 项）"
    screen.results.scrollTo(screen.results.index_of(is_more))  # the resident scrolls down to it
    qtbot.wait(10)
    sixth = screen.results.index_of(lambda i: i is article_cards()[5])
    top_before = screen.results.visualRect(sixth).top()
    assert screen.results.verticalScrollBar().value() > 0
    tap_card(qtbot, screen.results, is_more)
    assert kiosk.nav.current_route == "search"  # nothing opened: the list grew
    assert len(article_cards()) == articles.count
    assert not any(is_more(i) for i in screen.results.items())
    sixth = screen.results.index_of(lambda i: i.payload == (articles.items[5].kind, articles.items[5].id))
    assert screen.results.visualRect(sixth).top() == top_before  # the list did not jump

    screen.edit.setText("劳动合同 试用期")
    qtbot.waitUntil(lambda: screen.latest.text == "劳动合同 试用期" and not screen._running, timeout=10_000)
    assert len(article_cards()) <= 6
    kiosk.wipe()
    screen = kiosk.nav.go("search", text="劳动合同 解除")  # the next resident, the same question
    qtbot.waitUntil(
        lambda: screen.latest is not None and not screen.latest.partial and not screen._running, timeout=10_000
    )
    assert len(article_cards()) == 6 and any(is_more(i) for i in screen.results.items())


def test_a_hot_topic_search_is_not_preceded_by_chips_repeating_its_results(qtbot: Any, kiosk: Any) -> None:
    """Suggestions complete what is being typed; after a tap on 欠薪 nothing was typed, and four rows
    of chips naming the first six articles pushed those very articles down the screen."""
    home = kiosk.nav.current_screen()
    tap(qtbot, next(c for c in home.topics_host.children() if getattr(c, "text", lambda: "")() == "欠薪"))
    screen = kiosk.nav.current_screen()
    qtbot.waitUntil(
        lambda: screen.latest is not None and not screen.latest.partial and not screen._running, timeout=10_000
    )
    qtbot.wait(screen._suggest_timer.interval() + 200)
    settle(qtbot, kiosk)
    assert screen.hints.labels() == []
    tap(qtbot, screen.edit)  # the resident starts typing: suggestions come back
    qtbot.waitUntil(lambda: screen.edit.hasFocus(), timeout=3000)
    screen.edit.setText("劳动合同")
    qtbot.waitUntil(lambda: bool(screen.hints.labels()), timeout=10_000)


def test_back_from_a_result_returns_to_where_the_list_was(qtbot: Any, kiosk: Any) -> None:
    """A resident opens the tenth article of an unfolded list and taps 返回: the list is where they
    left it (it used to start again from the top), still unfolded."""
    screen = open_search(qtbot, kiosk)
    screen.edit.setText("劳动合同 解除")
    qtbot.waitUntil(
        lambda: screen.latest is not None and not screen.latest.partial and not screen._running, timeout=10_000
    )
    tap_card(qtbot, screen.results, lambda i: i.payload == ("more", "article"))
    tenth = [i for i in screen.results.items() if i.payload and i.payload[0] == "article"][9]
    tap_card(qtbot, screen.results, lambda i: i is tenth)  # scrolls it into view and opens it
    settle(qtbot, kiosk)
    assert kiosk.nav.current_route == "reader"
    tap(qtbot, kiosk.chrome.back_button)
    qtbot.waitUntil(lambda: not screen._running and screen.latest is not None and not screen.latest.partial)
    settle(qtbot, kiosk, 50)
    assert kiosk.nav.current_route == "search"
    assert screen.results.verticalScrollBar().value() > 0
    index = screen.results.index_of(lambda i: i.payload == tenth.payload)
    assert screen.results.viewport().rect().intersects(screen.results.visualRect(index))  # still in view


def test_warming_after_start_lets_a_resident_search_between_slices(
    qtbot: Any, kiosk: Any, services: Any, monkeypatch: Any
) -> None:
    """After its start the kiosk keeps common words' search scores, in slices on the data lane: a
    resident who searches meanwhile is answered after the slice under way, not after all of it."""
    from kiosk.search import phrase_scores
    from kiosk.search.catalog import get_catalog

    monkeypatch.setattr(phrase_scores, "FETCH_ROWS", 3)  # the test laws are few: warm many tokens

    def on_lane(fn: Any) -> Any:
        box: list[Any] = []
        kiosk.background.run(fn, box.append)
        qtbot.waitUntil(lambda: bool(box), timeout=10_000)
        return box[0]

    def left_to_warm() -> int:
        return len(get_catalog(services.db).phrases._todo or [])

    kiosk.keep_search_warm()  # the first slice lists the tokens; the next is queued once it ends
    answered = on_lane(lambda: (services.search.search("劳动合同").total, left_to_warm()))
    found, waiting = answered
    assert found > 0
    assert waiting > 1  # the resident's search ran before the rest of the warm-up
    qtbot.waitUntil(lambda: on_lane(left_to_warm) == 0, timeout=20_000)
    assert on_lane(lambda: get_catalog(services.db).phrases.size) > 0
