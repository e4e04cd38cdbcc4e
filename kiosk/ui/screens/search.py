"""Search: type on the on-screen keyboard, results grouped by kind update as you type."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.services.guides import GuideService
from kiosk.services.home import HomeService
from kiosk.services.laws import LawService
from kiosk.services.resident import ResidentService, SearchTally
from kiosk.services.search import FAULT, SearchOutcome, SearchService, Suggestion
from kiosk.ui.navigator import Navigator, Screen
from kiosk.ui.widgets.cards import CardItem, CardList
from kiosk.ui.widgets.chips import ChipBar
from kiosk.ui.widgets.common import button, label
from kiosk.ui.widgets.keyboard import private_line_edit
from kiosk.ui.worker import Background

ROUTES = {"case": "case", "guide": "guide", "institution": "institution", "person": "person"}


#: Time the first results of a keystroke may take; a longer search completes them afterwards.
QUICK_SECONDS = 0.06


MORE = "more"  # payload kind of a group's 查看更多 card


def outcome_cards(outcome: SearchOutcome, expanded: Collection[str] = ()) -> list[CardItem]:
    """Cards of each group: its first results, then a card that shows the rest (or the rest, once
    the resident asked for them: ``expanded`` holds those groups' kinds)."""
    cards: list[CardItem] = []
    for group in outcome.groups:
        cards.append(CardItem(f"{group.label}（{group.count}）", heading=True))
        shown = [*group.items, *group.more] if group.kind in expanded else group.items
        for item in shown:
            if item.distance:  # an office near the terminal: its type and address, the distance at the side
                lines = [item.subtitle.split(" · ")[0], *(text for text, _ in item.snippet)]
                cards.append(CardItem(item.title, lines=lines, trailing=item.distance, payload=(item.kind, item.id)))
                continue
            title = f"{item.title} {item.subtitle.split(' · ')[0]}" if item.kind == "article" else item.title
            cards.append(CardItem(title, badge=item.status, snippet=item.snippet or None, payload=(item.kind, item.id)))
        if group.more and group.kind not in expanded:
            more = f"查看更多{group.label}（还有 {len(group.more)} 项）"
            cards.append(CardItem(more, trailing="展开", payload=(MORE, group.kind)))
    return cards


class SearchScreen(Screen):
    title = "搜索"

    def __init__(
        self,
        nav: Navigator,
        search: SearchService,
        laws: LawService,
        home: HomeService,
        guides: GuideService,
        background: Background,
        resident: ResidentService,
    ):
        super().__init__(nav)
        self.search = search
        self.tally = SearchTally(resident.count)  # usage statistics: how many searches, never the text
        self.laws = laws
        self.home = home
        self.guides = guides
        self.topic_query: str | None = None
        self.guide_id: int | None = None
        self.background = background
        self.latest: SearchOutcome | None = None
        self._expanded: set[str] = set()  # groups of the latest results the resident opened in full
        self._scroll_back: int | None = None  # where the results were when the resident left (返回)
        self._running = False
        self._queued: str | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 0)
        layout.setSpacing(14)
        top = QHBoxLayout()
        self.edit = private_line_edit("请输入：如 欠薪、离婚、劳动合同法第十九条")
        self.edit.setObjectName("search-edit")
        top.addWidget(self.edit, 1)
        top.addWidget(button("清空", self.clear, role="secondary", name="search-clear"))
        layout.addLayout(top)
        # The status line introduces the chips under it (「可以试试这些常见问题：」 then the topics).
        self.status = label("", "muted")
        self.status.setObjectName("search-status")
        layout.addWidget(self.status)
        self.hints = ChipBar(all_label=None)
        self.hints.changed.connect(self._hint_chosen)
        layout.addWidget(self.hints)
        # A hot topic may name the service guide that answers it (欠薪 → 劳动保障监察投诉).
        self.guide_link = button("", self._open_guide, role="link", name="search-guide")
        self.guide_link.hide()
        layout.addWidget(self.guide_link)
        self.results = CardList()
        self.results.setObjectName("search-results")
        self.results.setViewportMargins(0, 0, 0, 8)
        self.results.activated_item.connect(self._open_result)
        layout.addWidget(self.results, 1)

        # Zero delay: typing is coalesced by searching only the newest text once a search ends.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(0)
        self._debounce.timeout.connect(self._start)
        self.edit.textChanged.connect(lambda _t: self._on_text())
        # Title suggestions wait for a pause in typing, so they never hold up the next search.
        self._suggest_timer = QTimer(self)
        self._suggest_timer.setSingleShot(True)
        self._suggest_timer.setInterval(350)
        self._suggest_timer.timeout.connect(self._ask_suggestions)
        self._show_topics()

    # --- searching --------------------------------------------------------------------------------

    def _show_topics(self) -> None:
        self.hints.set_items([(t.name, t.query) for t in self.home.topics(10)])
        self._fit_hints()
        self.status.setText("可以试试这些常见问题：" if self.hints.labels() else "")

    def _start(self) -> None:
        text = self.edit.text().strip()
        if self.topic_query is not None and text != self.topic_query:
            self.topic_query = None
            self._show_guide(None)  # the resident asks something else now
        if not text:
            self.tally.settle()
            self.latest = None
            self.results.set_items([])
            self._show_topics()
            return
        if self._running:
            self._queued = text
            return
        self._running = True
        self.background.run(lambda: self.search.search(text, seconds=QUICK_SECONDS), self._done, self._failed)

    def _done(self, outcome: SearchOutcome) -> None:
        self._running = False
        if self._queued is not None:
            self._queued = None
            self._start()  # the resident typed on while we searched: search the newest text only
            return
        if outcome.text != self.edit.text().strip():
            return
        self.tally.shown(outcome.text)
        if outcome.partial:
            # What was found quickly goes on screen now; the complete results replace it shortly.
            self._running = True
            text = outcome.text
            self.background.run(lambda: self.search.search(text), self._done, self._failed)
        if self.latest is None or self.latest.text != outcome.text:
            self._expanded.clear()  # a new question: each group shows its first results again
        self.latest = outcome
        if outcome.error:
            self.status.setText(outcome.error + "。您可以从首页按分类查找，或拨打 12348 咨询。")
        elif outcome.total == 0:
            self.status.setText(f"没有找到与“{outcome.text}”有关的内容，请换个说法试试")
        else:
            self.status.setText(f"“{outcome.text}”找到 {outcome.total} 条结果")
        # 返回 from a result: the complete list where the resident left it, not at the top again.
        back = None if outcome.partial else self._scroll_back
        self.results.set_items(outcome_cards(outcome, self._expanded), position=back)
        if back is not None:
            self._scroll_back = None
        self._suggest_timer.start()

    def _on_text(self) -> None:
        self._suggest_timer.stop()
        if self.hints.labels():
            self.hints.set_items([])  # topics or old suggestions: fresh ones come after a pause
            self._fit_hints()
        self._debounce.start()

    def _ask_suggestions(self) -> None:
        text = self.edit.text().strip()
        # Titles that complete what is being typed: while the keyboard is up. For a hot topic's
        # search (nothing typed) they would only repeat the first results above them.
        if text and not self._running and self.edit.hasFocus():
            self.background.run(lambda: (text, self.search.suggest(text, 6)), self._suggested)

    def _suggested(self, result: tuple[str, list[Suggestion]]) -> None:
        text, suggestions = result
        if text != self.edit.text().strip():
            return
        # An article chip naming a card already on the screen only pushes that card down (承包地:
        # three rows of 农村土地承包法第三十一条 … over those very articles, with the keyboard up).
        # A law's title stays: it completes what is typed (ldht → 劳动合同法).
        latest = self.latest
        shown = set()
        if latest and latest.text == text:
            shown = {("article", i.id) for g in latest.groups for i in g.items if i.kind == "article"}
        self.hints.set_items(
            [
                (s.text, (s.kind, s.id) if s.kind and s.id is not None else s.text)
                for s in suggestions
                if s.text != text and (s.kind, s.id) not in shown
            ]
        )
        self._fit_hints()

    def _fit_hints(self) -> None:
        """Keep every row of chips whole: with the keyboard up, the results give way, not the chips;
        when even the chips do not fit (大字模式, landscape, keyboard up), the rows that fit are shown
        whole and the last chips wait until the keyboard goes down."""
        width = self.hints.width() if self.hints.width() > 100 else self.width() - 56
        if width <= 0:
            return
        self.hints.setMinimumHeight(self.hints.fit_rows(width, self._room_for_hints()))

    def _room_for_hints(self) -> int:
        """The screen's height less everything above and beside the chips (the results may shrink to 0)."""
        layout = self.layout()
        if layout is None or self.height() <= 0:
            return 1 << 20
        margins = layout.contentsMargins()
        taken = margins.top() + margins.bottom() + 4 * layout.spacing()
        for part in (self.edit, self.status, self.guide_link):
            if not part.isHidden():
                taken += max(part.sizeHint().height(), part.height())
        taken += self.results.minimumSizeHint().height()
        return self.height() - taken

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_hints()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self.status.setText(FAULT)

    def _open_guide(self) -> None:
        if self.guide_id is not None:
            self.nav.go("guide", id=self.guide_id)

    def _show_guide(self, key: str | None) -> None:
        self.guide_id = self.guides.by_key(key) if key else None
        found = self.guides.summaries([self.guide_id]) if self.guide_id is not None else []
        if found:
            self.guide_link.setText(f"办事指南：{found[0].title}")
        self.guide_link.setVisible(bool(found))

    def _hint_chosen(self, choice: Any) -> None:
        if isinstance(choice, tuple):  # a suggested title: open it
            self._open_result(choice)
        elif choice:  # a hot topic: search for it
            self.edit.setText(str(choice))
            self.edit.clearFocus()

    def clear(self) -> None:
        self.edit.clear()
        self.edit.setFocus()

    # --- results ----------------------------------------------------------------------------------

    def _open_result(self, payload: Any) -> None:
        kind, ident = payload
        if kind == MORE:
            self._show_all(ident)
        elif kind == "article":
            found = self.laws.article(ident)
            if found:
                law_id, number, sub = found
                self.nav.go("reader", law_id=law_id, number=number, sub=sub)
        elif kind == "law":
            self.nav.go("reader", law_id=ident)
        elif kind in ROUTES:
            self.nav.go(ROUTES[kind], id=ident)

    def _show_all(self, group_kind: str) -> None:
        """The group's other results, in place of its 查看更多 card: nothing above it moves."""
        if self.latest is None:
            return
        self._expanded.add(group_kind)
        position = self.results.verticalScrollBar().value()
        self.results.set_items(outcome_cards(self.latest, self._expanded), position=position)

    # --- screen protocol --------------------------------------------------------------------------

    def open(self, params: dict[str, Any]) -> None:
        text = params.get("text")
        scroll = params.get("scroll")
        self._scroll_back = int(scroll) if scroll and text == self.edit.text() else None
        self.topic_query = str(text).strip() if text is not None and params.get("guide") else None
        self._show_guide(params.get("guide"))
        if text is not None:
            if text != self.edit.text():
                self.edit.setText(str(text))
            self.edit.clearFocus()
            self._debounce.start()
        else:
            self.edit.setFocus()

    def state(self) -> dict[str, Any]:
        guide = self.guides.summaries([self.guide_id])[0].key if self.guide_id is not None else None
        return {"text": self.edit.text(), "guide": guide, "scroll": self.results.verticalScrollBar().value()}

    def leave(self) -> None:
        self.tally.settle()
        self.edit.clearFocus()

    def wipe(self) -> None:
        self.tally.forget()
        self._debounce.stop()
        self._suggest_timer.stop()
        self._queued = None
        self.edit.clear()
        self.latest = None
        self._expanded.clear()
        self._scroll_back = None
        self.results.set_items([])
        self.topic_query = None
        self._show_guide(None)
        self._show_topics()

    def apply_theme(self, theme: Any) -> None:
        super().apply_theme(theme)
        self.results.set_theme(theme)

    def read_aloud_text(self) -> str:
        if not self.latest or not self.latest.groups:
            return "请在上方输入您的问题，例如欠薪、离婚，或者点一个常见问题。"
        parts = [self.status.text()]
        for group in self.latest.groups:
            parts.append(group.label + "：" + "；".join(i.title for i in group.items[:3]))
        return "。".join(parts)
