"""Home: the search box, the large function tiles and the hot topics."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QBoxLayout, QGridLayout, QWidget

from kiosk.services.home import HomeService
from kiosk.ui.navigator import Navigator, Screen
from kiosk.ui.widgets.chips import FlowLayout
from kiosk.ui.widgets.common import ScrollPage, button, card, label
from kiosk.ui.widgets.tile import Tile

TILES: tuple[tuple[str, str, str], ...] = (
    ("laws", "法律法规", "查法条 · 看条文"),
    ("directory", "机构与人员", "律所 · 公证 · 调解"),
    ("guides", "办事指南", "材料一次告知"),
    ("cases", "参照案例", "典型与指导案例"),
    ("legal_aid", "法律援助自测", "看看能否申请"),
    ("consult", "视频咨询", "与值班律师通话"),
    ("publicity", "法治宣传", "文章与视频"),
    ("feedback", "评价与投诉", "说说您的意见"),
)


#: Shown on a terminal whose content has not arrived yet: a call-back request needs no content.
NO_CONTENT_YET = (
    "本终端的法律法规等内容还没有下载完成，暂时查不到。急事请拨打 12348 法律服务热线，或点「请律师联系我」留下电话。"
)


TILE_MAX = 260  # taller tiles only spread the same two lines further apart
WIDE_TILE = 180  # landscape: four columns, two rows


class HomeScreen(Screen):
    title = "首页"

    def __init__(self, nav: Navigator, home: HomeService):
        super().__init__(nav)
        self.home = home
        self.page = ScrollPage(margins=28, spacing=22)
        from PySide6.QtWidgets import QVBoxLayout

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.page)

        self.announcement = card()
        self.announcement.setProperty("role", "notice")
        self.announcement_label = label("", "body")
        self.announcement.layout().addWidget(self.announcement_label)  # type: ignore[union-attr]
        self.page.add(self.announcement)

        self.greeting = label("您好！请选择您要办理的事项，或直接搜索", "title")
        self.page.add(self.greeting)
        self.search_box = button(
            "搜索：说出您的问题，如 欠薪、离婚、劳动合同法",
            lambda: self.nav.go("search"),
            role="link",
            name="home-search",
        )
        # Asked for most and hard to find under 评价与投诉: a call from a lawyer, always on the home
        # screen; beside the search box on a wide screen, so the tiles and topics keep their room.
        self.lawyer = button(
            "请律师联系我 · 留个电话，值班律师免费回电",
            lambda: self.nav.go("request", kind="callback"),
            role="huge",
            name="home-lawyer",
        )
        self.top_host = QWidget()
        self.top = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.top_host)
        self.top.setContentsMargins(0, 0, 0, 0)
        self.top.setSpacing(18)
        self.top.addWidget(self.search_box, 1)
        self.top.addWidget(self.lawyer)
        self.page.add(self.top_host)

        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(18)
        self.tiles = [Tile(title, sub, route) for route, title, sub in TILES]
        for tile in self.tiles:
            tile.clicked.connect(lambda _c=False, r=tile.route: self.nav.go(r))
        self.page.add(self.grid_host)
        self._columns = 0

        self.topics_title = label("大家都在问", "section")
        self.page.add(self.topics_title)
        self.topics_host = QWidget()
        self.topics_layout = FlowLayout(self.topics_host, spacing=14)
        self.page.add(self.topics_host)
        self.page.finish()
        self._load()

    def _show_announcement(self) -> None:
        """The platform may change it at any time (heartbeat reply); shown as of each visit. Before the
        first content arrives, the resident is told why nothing can be found and what still works."""
        text = self.home.announcement.strip()
        if not self.home.has_content():
            text = "\n".join(t for t in (NO_CONTENT_YET, text) if t)
        self.announcement.setVisible(bool(text))
        self.announcement_label.setText(text)

    def _load(self) -> None:
        self._show_announcement()
        topics = self.home.topics()
        self.topics_title.setVisible(bool(topics))  # no heading over nothing (a terminal before its first sync)
        for topic in topics:
            chip = button(topic.name, role="chip", name=f"topic-{topic.name}")
            chip.clicked.connect(
                lambda _c=False, q=topic.query, g=topic.guide_key: self.nav.go("search", text=q, guide=g)
            )
            self.topics_layout.addWidget(chip)

    def _arrange(self) -> None:
        columns = 2 if self.width() < 1300 else 4
        tile_h = self._tile_height(columns)
        for tile in self.tiles:
            tile.setMinimumHeight(tile_h)
        if columns == self._columns:
            return
        self._columns = columns
        wide = columns == 4
        self.top.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        self.lawyer.setText("请律师联系我（免费回电）" if wide else "请律师联系我 · 留个电话，值班律师免费回电")
        self.lawyer.setStyleSheet("min-height: 80px; padding: 8px 28px;" if wide else "")  # a touch target still
        for tile in self.tiles:
            self.grid.removeWidget(tile)
        for i, tile in enumerate(self.tiles):
            self.grid.addWidget(tile, i // columns, i % columns)

    def _tile_height(self, columns: int) -> int:
        """Tiles share the height the rest of the page leaves, so that the tiles and the topics fit
        one screen; never below the style's touch minimum, never taller than TILE_MAX."""
        floor = 2 * self.theme.sizes.touch  # the stylesheet's own minimum (it applies when polished)
        if columns == 4:
            return max(floor, WIDE_TILE)
        rows = -(-len(self.tiles) // columns)
        body = self.page.body
        margins = body.contentsMargins()
        width = self.page.viewport().width() - margins.left() - margins.right()
        others = [
            w
            for w in (self.announcement, self.greeting, self.top_host, self.topics_title, self.topics_host)
            if not w.isHidden()
        ]
        used = margins.top() + margins.bottom() + body.spacing() * len(others) + self.grid.spacing() * (rows - 1)
        for w in others:
            used += w.heightForWidth(width) if w.hasHeightForWidth() else w.sizeHint().height()
        free = (self.page.viewport().height() - used) // rows
        return max(floor, min(TILE_MAX, free))

    def resizeEvent(self, event: Any) -> None:
        self._arrange()
        super().resizeEvent(event)

    def showEvent(self, event: Any) -> None:
        # Polishing (the first show, a change of theme) applies the stylesheet's minimum height to
        # the tiles; the one fitted to the screen is set again after it, for every resident alike.
        super().showEvent(event)
        self._arrange()

    def apply_theme(self, theme: Any) -> None:
        super().apply_theme(theme)
        self._arrange()

    def open(self, params: dict[str, Any]) -> None:
        self._show_announcement()
        self._arrange()

    def required_actions(self) -> tuple[str, ...]:
        return ("home-search", "home-lawyer", *(tile.objectName() for tile in self.tiles))

    def read_aloud_text(self) -> str:
        names = "、".join(title for _r, title, _s in TILES)
        return (
            f"欢迎使用公共法律服务自助终端。您可以选择：{names}。也可以点击搜索框输入您的问题，"
            "或点“请律师联系我”，留个电话，值班律师免费回电。"
        )
