"""Publicity (法治宣传): the list of articles and videos, and one item."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QVBoxLayout

from kiosk.services.publicity import VIDEO, PublicityService, PublicityView
from kiosk.ui.navigator import Navigator, Screen
from kiosk.ui.widgets.cards import CardItem, CardList
from kiosk.ui.widgets.chips import ChipBar
from kiosk.ui.widgets.common import ScrollPage, badge, button, label
from kiosk.ui.widgets.detail import badges_row


def excerpt(text: str, length: int = 60) -> str:
    """The opening of ``text`` on one line, at most ``length`` characters. A first paragraph that
    introduces a list (it ends in a colon) goes on into the list: a slide that stops at 「规定：」 shows
    the resident nothing."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    shown = " ".join(lines) if lines[0].endswith(("：", ":")) else lines[0]
    return shown if len(shown) <= length else shown[:length] + "…"


class PublicityScreen(Screen):
    title = "法治宣传"

    def __init__(self, nav: Navigator, publicity: PublicityService):
        super().__init__(nav)
        self.publicity = publicity
        self.kind: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 0)
        self.bar = ChipBar()
        self.bar.set_items([("文章", "文章"), ("视频", VIDEO)])
        self.bar.changed.connect(self._chosen)
        layout.addWidget(self.bar)
        # Never a blank page: a kind with nothing on this terminal (yet) says so and offers the rest.
        self.empty = label("", "title")
        self.empty.setObjectName("publicity-empty")
        self.empty.setContentsMargins(0, 16, 0, 0)
        self.empty.hide()
        layout.addWidget(self.empty)
        self.list = CardList()
        self.list.setObjectName("publicity-list")
        self.list.setViewportMargins(0, 0, 0, 8)
        self.list.activated_item.connect(lambda pid: self.nav.go("publicity_item", id=pid))
        layout.addWidget(self.list, 1)
        layout.addStretch(0)  # takes the room only while the list is hidden: the note stays under the chips

    def _chosen(self, kind: Any) -> None:
        self.kind = kind
        self._show()

    def _show(self) -> None:
        self.bar.select(self.kind)
        items = self.publicity.items(self.kind)
        cards = [
            CardItem(
                i.title,
                [excerpt(i.body) if i.body else ("可播放" if i.playable else "视频暂未下载")],
                badge=i.kind,
                payload=i.id,
            )
            for i in items
        ]
        self.list.set_items(cards)
        if not cards:
            what = "视频" if self.kind == VIDEO else "法治宣传内容"
            others = "，可以先看看文章" if self.kind == VIDEO else ""
            self.empty.setText(f"本机暂时还没有{what}（联网同步后会自动下载）{others}。")
        self.empty.setVisible(not cards)
        self.list.setVisible(bool(cards))

    def open(self, params: dict[str, Any]) -> None:
        self._show()

    def wipe(self) -> None:
        self.kind = None
        self.bar.select(None)
        self.list.set_items([])

    def apply_theme(self, theme: Any) -> None:
        super().apply_theme(theme)
        self.list.set_theme(theme)

    def required_actions(self) -> tuple[str, ...]:
        return ("publicity-list",) if self.list.items() else ("publicity-empty",)

    def read_aloud_text(self) -> str:
        return "法治宣传。" + "；".join(i.title for i in self.list.items())


class PublicityItemScreen(Screen):
    title = "法治宣传"

    def __init__(self, nav: Navigator, publicity: PublicityService):
        super().__init__(nav)
        self.publicity = publicity
        self.item: PublicityView | None = None
        self.player: Any = None
        self.page = ScrollPage()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.page)

    def open(self, params: dict[str, Any]) -> None:
        self.item = item = self.publicity.item(int(params["id"]))
        page = self.page
        self._drop_player()
        page.clear()
        title = label(item.title, "headline")
        title.setObjectName("publicity-title")
        page.add(title)
        page.add_layout(badges_row(badge(item.kind, "badge-info")))
        if item.kind == VIDEO:
            if item.playable and item.media_path is not None:
                from kiosk.ui.widgets.publicity_player import PublicityPlayer

                self.player = PublicityPlayer(parent=page.widget())
                self.player.playing_changed.connect(lambda playing: self.nav.busy.emit("video", bool(playing)))
                self.player.setMinimumHeight(540)
                page.add(self.player)
                page.add(button("暂停 / 继续", self.player.toggle, role="secondary"))
                self.player.play(item.media_path)
            else:
                page.add(label("这段视频还没有下载到本机，请稍后再来观看。", "body"))
        for para in item.body.split("\n"):
            if para.strip():
                page.add(label("\u3000\u3000" + para.strip(), "reader"))
        page.finish()

    def leave(self) -> None:
        if self.player is not None:
            self.player.stop()
        self.nav.busy.emit("video", False)

    def wipe(self) -> None:
        self.leave()
        self._drop_player()
        self.page.clear()
        self.item = None

    def _drop_player(self) -> None:
        """Take the video off the page before the page is cleared: its native video window must not
        be re-parented to nothing (the platform refuses: "does not support setParent"); it is
        deleted where it is."""
        if self.player is None:
            return
        player, self.player = self.player, None
        player.stop()
        self.page.body.removeWidget(player)
        player.hide()
        player.deleteLater()

    def read_aloud_text(self) -> str:
        return f"{self.item.title}。{self.item.body}" if self.item else ""
