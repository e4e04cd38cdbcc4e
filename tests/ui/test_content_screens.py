"""Cases, guides, publicity, the attract loop and the service gateways, as a resident taps through them."""

from __future__ import annotations

from typing import Any

from uihelpers import settle, tap, tap_card, visible_texts

from kiosk.store.models import Case, CaseCitation


def go_tile(qtbot: Any, kiosk: Any, route: str) -> Any:
    tap(qtbot, next(t for t in kiosk.nav.screen("home").tiles if t.route == route))
    settle(qtbot, kiosk)
    assert kiosk.nav.current_route == route
    return kiosk.nav.current_screen()


def test_case_list_detail_and_cited_article_opens_reader(qtbot: Any, kiosk: Any) -> None:
    screen = go_tile(qtbot, kiosk, "cases")
    assert screen.count.text() == "共 59 件案例"
    tap(qtbot, screen.kind_bar.chip("指导性案例"))
    assert all(i.badge.startswith("指导案例") for i in screen.list.items())  # the SPC's own name
    tap(qtbot, screen.kind_bar.chip("全部"))
    cited = Case.select().join(CaseCitation).where(CaseCitation.article.is_null(False)).first()
    tap_card(qtbot, screen.list, lambda i: i.payload == cited.id)
    page = kiosk.nav.current_screen()
    assert page.findChild(object, "case-title").text() == cited.title
    link = next(
        b for b in page.findChildren(type(kiosk.chrome.back_button)) if b.text().startswith("《") and b.isEnabled()
    )
    tap(qtbot, link)
    assert kiosk.nav.current_route == "reader"
    reader = kiosk.nav.current_screen()
    assert reader.current_article() is not None and reader.current_article().label in link.text()


def test_guide_shows_checklist_steps_basis_and_nearest_offices(qtbot: Any, kiosk: Any) -> None:
    screen = go_tile(qtbot, kiosk, "guides")
    tap_card(qtbot, screen.list, lambda i: i.title.startswith("申请法律援助"))
    page = kiosk.nav.current_screen()
    detail = page.detail
    texts = visible_texts(page)
    assert f"需要准备的材料（一次性告知，共 {len(detail.materials)} 项）" in texts
    assert sum(t in ("必需", "如有") for t in texts) == len(detail.materials)
    assert all(any(m.name in t for t in texts) for m in detail.materials)
    assert any(t.startswith("1. ") for t in texts) and detail.fees in texts
    assert detail.offices and detail.offices == sorted(detail.offices, key=lambda o: o.distance_km)
    basis = next(
        b
        for b in page.findChildren(type(kiosk.chrome.back_button))
        if b.text().startswith("《中华人民共和国法律援助法》")
    )
    tap(qtbot, basis)
    reader = kiosk.nav.current_screen()
    assert kiosk.nav.current_route == "reader" and reader.doc.title == "中华人民共和国法律援助法"
    assert reader.current_article().label in basis.text()
    tap(qtbot, kiosk.chrome.back_button)
    office = next(
        b for b in page.findChildren(type(kiosk.chrome.back_button)) if b.text().startswith(detail.offices[0].name)
    )
    tap(qtbot, office)
    assert kiosk.nav.current_route == "institution"


def test_publicity_list_and_article(qtbot: Any, kiosk: Any) -> None:
    screen = go_tile(qtbot, kiosk, "publicity")
    items = screen.list.items()
    assert items and all(i.badge in ("文章", "视频") for i in items)
    tap_card(qtbot, screen.list, lambda i: True)
    page = kiosk.nav.current_screen()
    assert page.findChild(object, "publicity-title").text() == items[0].title
    assert page.read_aloud_text().startswith(items[0].title)


def test_attract_loop_cycles_publicity_and_topics_and_a_touch_goes_home(qtbot: Any, kiosk: Any) -> None:
    attract = kiosk.nav.reset("attract")
    assert not kiosk.chrome.isVisible()
    first = attract.slide_title.text()
    attract.next_slide()
    second = attract.slide_title.text()
    assert first and second and first != second
    assert {s.kicker for s in attract.slides} == {"法治宣传", "大家都在问"}
    tap(qtbot, attract)
    qtbot.waitUntil(lambda: kiosk.nav.current_route == "home", timeout=2000)
    assert kiosk.chrome.isVisible() and not attract.timer.isActive()


def test_no_attract_slide_stops_at_a_colon(qtbot: Any, kiosk: Any) -> None:
    """「…这里说几条和老百姓关系密切的规定：」 and then nothing: the slide goes on into what it announces."""
    attract = kiosk.nav.reset("attract")
    bodies = []
    for _ in attract.slides:
        attract.next_slide()
        bodies.append(attract.body.text())
    assert any("民法典" in b for b in bodies)
    assert all(b and not b.rstrip().endswith(("：", ":")) for b in bodies), bodies


def test_feedback_and_an_impossible_consultation_offer_12348(qtbot: Any, kiosk: Any) -> None:
    from kiosk.ui.widgets.qr import QrCode

    for route in ("feedback", "consult"):  # this terminal has no camera, or is not enrolled: 12348 either way
        page = go_tile(qtbot, kiosk, route)
        qtbot.waitUntil(lambda p=page: "tel:12348" in [q.payload for q in p.findChildren(QrCode)], timeout=10_000)
        tap(qtbot, kiosk.chrome.home_button)


def test_offline_video_plays_holds_idle_and_stops_when_leaving(qtbot: Any, kiosk: Any, clock: Any) -> None:
    from PySide6.QtMultimedia import QMediaPlayer

    screen = go_tile(qtbot, kiosk, "publicity")
    tap(qtbot, screen.bar.chip("视频"))
    assert [i.title for i in screen.list.items()] == ["测试视频（示例）"]
    assert screen.list.items()[0].lines == ["可播放"]
    tap_card(qtbot, screen.list, lambda i: True)
    page = kiosk.nav.current_screen()
    player = page.player.player
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=5000)
    clock.advance(120)
    kiosk.tick()
    assert not kiosk.window.idle_overlay.isVisible()  # watching is not being idle
    tap(qtbot, kiosk.chrome.back_button)
    assert player.playbackState() == QMediaPlayer.PlaybackState.StoppedState
    assert not kiosk.idle.held


def test_attract_loop_plays_the_video_muted(qtbot: Any, kiosk: Any) -> None:
    from PySide6.QtMultimedia import QMediaPlayer

    attract = kiosk.nav.reset("attract")
    assert attract.player is not None and attract.player.audio.isMuted()
    qtbot.waitUntil(
        lambda: attract.player.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=5000
    )
    kiosk.nav.reset("home")
    assert attract.player.player.playbackState() == QMediaPlayer.PlaybackState.StoppedState


def test_home_before_the_first_sync_says_why_nothing_is_found(
    qtbot: Any, kiosk: Any, tmp_path: Any, clock: Any
) -> None:
    from PySide6.QtWidgets import QPushButton
    from uihelpers import make_app

    from kiosk.config import Config
    from kiosk.paths import DataPaths
    from kiosk.services import open_services
    from kiosk.services.speech import SpeechService

    home = kiosk.nav.reset("home")
    assert home.topics_title.isVisible() and home.findChildren(QPushButton, "topic-抚养费")
    assert "还没有下载完成" not in home.announcement_label.text()
    kiosk.close()
    # A terminal before its first sync: nothing to list, so no 大家都在问 over an empty space.
    empty = open_services(DataPaths(tmp_path / "empty"), Config(tmp_path / "c.toml", {}), SpeechService(player=None))
    bare = make_app(empty, clock)
    try:
        qtbot.waitExposed(bare.window)
        bare_home = bare.nav.reset("home")
        assert bare.window.isVisible() and not bare_home.topics_title.isVisible()
        # ... and says why nothing can be found, and what still works
        assert bare_home.announcement.isVisible() and "12348" in bare_home.announcement_label.text()
        assert "还没有下载完成" in bare_home.announcement_label.text()
        assert not [b for b in bare_home.findChildren(QPushButton) if b.objectName().startswith("topic-")]
    finally:
        bare.close()
        empty.speech.close()
        empty.resident.close()
        empty.close()
