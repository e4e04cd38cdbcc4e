"""The law reader: contents (编/章/节), jump to an article, status and effective date always on view,
a notice on old or repealed versions, reading aloud, a QR code for the article, related content."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.law_vocabulary import IN_FORCE
from kiosk.services.laws import LawDocument, LawService, parse_article_ref
from kiosk.services.links import article_url
from kiosk.ui.navigator import Navigator, Screen
from kiosk.ui.screens.laws import date_text, law_date
from kiosk.ui.screens.page import ask_lawyer
from kiosk.ui.widgets.cards import CardItem, CardList
from kiosk.ui.widgets.common import badge, button, label
from kiosk.ui.widgets.keypad import Keypad
from kiosk.ui.widgets.overlay import Sheet
from kiosk.ui.widgets.qr import QrCode
from kiosk.ui.widgets.reader_view import ReaderView


class ReaderScreen(Screen):
    title = "阅读法规"

    def __init__(self, nav: Navigator, laws: LawService, share_base: str = ""):
        super().__init__(nav)
        self.laws = laws
        self.share_base = share_base
        self.doc: LawDocument | None = None
        self.jump_digits = ""
        # The number pad's display and hint live in the sheet while it is open (None otherwise).
        self.jump_display: QLabel | None = None
        self.jump_hint: QLabel | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        head = QFrame()
        head.setProperty("role", "card")
        head_layout = QVBoxLayout(head)
        head_layout.setContentsMargins(28, 16, 28, 16)
        head_layout.setSpacing(8)
        self.doc_title = label("", "headline")
        self.doc_title.setObjectName("reader-title")
        head_layout.addWidget(self.doc_title)
        facts = QHBoxLayout()
        facts.setSpacing(16)
        self.status = badge(IN_FORCE)
        self.status.setObjectName("reader-status")
        self.effective = label("", "body", wrap=False)
        self.effective.setObjectName("reader-effective")
        self.level = label("", "muted", wrap=False)
        facts.addWidget(self.status)
        facts.addWidget(self.effective)
        facts.addWidget(self.level)
        facts.addStretch(1)
        # Facts and tools share one row on a wide (landscape) screen, to leave the text more room.
        self.meta = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.meta.setSpacing(8)
        self.meta.addLayout(facts)
        head_layout.addLayout(self.meta)
        self.notice = QFrame()
        self.notice.setProperty("role", "notice")
        notice_layout = QHBoxLayout(self.notice)
        notice_layout.setContentsMargins(18, 10, 18, 10)
        self.notice_text = label("", "body")
        self.notice_text.setObjectName("reader-notice")
        notice_layout.addWidget(self.notice_text, 1)
        self.notice_link = button("阅读现行版本", self._open_notice_link, name="reader-current-version")
        notice_layout.addWidget(self.notice_link)
        head_layout.addWidget(self.notice)
        tools = QHBoxLayout()
        tools.setSpacing(12)
        self.toc_button = button("目录", self.show_toc, role="secondary", name="reader-toc")
        self.jump_button = button("跳到第…条", self.show_jump, role="secondary", name="reader-jump")
        self.read_all = button("朗读全文", self._read_page, role="secondary", name="reader-read-all")
        self.versions_button = button("其他版本", self.show_versions, role="secondary", name="reader-versions")
        self.lawyer_button = ask_lawyer(self.nav, self._lawyer_topic, "reader-lawyer")
        for w in (self.toc_button, self.jump_button, self.read_all, self.versions_button, self.lawyer_button):
            tools.addWidget(w)
        tools.addStretch(1)
        self.meta.addLayout(tools)
        layout.addWidget(head)

        self.view = ReaderView()
        self.view.setObjectName("reader-text")
        self.view.article_tapped.connect(self.select_row)
        layout.addWidget(self.view, 1)

        self.action_bar = QFrame()
        self.action_bar.setProperty("role", "card")
        bar = QHBoxLayout(self.action_bar)
        bar.setContentsMargins(24, 12, 24, 12)
        bar.setSpacing(12)
        self.current_label = label("", "title", wrap=False)
        self.current_label.setObjectName("reader-current")
        bar.addWidget(self.current_label)
        bar.addStretch(1)
        bar.addWidget(button("朗读本条", self._read_article, name="reader-read-article"))
        bar.addWidget(button("扫码带走", self.show_qr, name="reader-qr"))
        bar.addWidget(button("相关案例与指南", self.show_related, name="reader-related"))
        layout.addWidget(self.action_bar)
        self.action_bar.hide()
        self.sheet = Sheet(self, on_clear=self._forget_sheet_parts)

    def required_actions(self) -> tuple[str, ...]:
        selected = ("reader-read-article", "reader-qr", "reader-related") if self.action_bar.isVisible() else ()
        return ("reader-text", "reader-jump", "reader-read-all", "reader-lawyer", *selected)

    def _lawyer_topic(self) -> str:
        """The law, and the article when one is chosen: what the lawyer calls about."""
        if self.doc is None:
            return ""
        row = self.current_article()
        return f"《{self.doc.title}》{row.label}" if row is not None else f"《{self.doc.title}》"

    def resizeEvent(self, event: Any) -> None:
        wide = self.width() >= 1300
        self.meta.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)

    # --- opening ----------------------------------------------------------------------------------

    def open(self, params: dict[str, Any]) -> None:
        self.sheet.close_sheet()
        law_id = int(params["law_id"])
        doc = self.laws.open_document(law_id)
        if doc is not self.doc:
            self.doc = doc
            self._fill(doc)
        row: int | None = None
        if params.get("number"):
            row = doc.row_of(int(params["number"]), int(params.get("sub", 0)))
        if row is not None:
            self.select_row(row)
            self.view.scroll_to_row(row)
        elif params.get("top") is not None:
            self.view.scroll_to_row(int(params["top"]))
        else:
            self.view.scroll_to_row(0)

    def _fill(self, doc: LawDocument) -> None:
        self.doc_title.setText(doc.title)
        self.status.setText(doc.status)
        from kiosk.ui.widgets.common import STATUS_ROLES

        self.status.setProperty("role", STATUS_ROLES.get(doc.status, "badge-info"))
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.effective.setText(law_date(doc.effective, doc.published, "："))
        self.level.setText(f"{doc.level} · 共 {doc.article_rows} 条")
        self.notice.setVisible(bool(doc.notice))
        self.notice_text.setText(doc.notice or "")
        self.notice_link.setVisible(doc.notice_link is not None)
        self.versions_button.setVisible(len(doc.versions) > 1)
        self.toc_button.setVisible(bool(doc.toc))
        self.view.set_rows(doc.rows)
        self.action_bar.hide()

    # --- the current article ----------------------------------------------------------------------

    def select_row(self, row: int) -> None:
        if self.doc is None or not (0 <= row < len(self.doc.rows)) or self.doc.rows[row].kind != "article":
            return
        self.view.set_current(row)
        self.current_label.setText(f"已选 {self.doc.rows[row].label}")
        self.action_bar.show()

    def current_article(self) -> Any:
        if self.doc is None or self.view.current_row < 0:
            return None
        return self.doc.rows[self.view.current_row]

    def jump_to(self, text: str) -> bool:
        ref = parse_article_ref(text)
        if self.doc is None or ref is None:
            return False
        row = self.doc.row_of(*ref)
        if row is None:
            return False
        self.select_row(row)
        self.view.scroll_to_row(row)
        return True

    # --- panels -----------------------------------------------------------------------------------

    def show_toc(self) -> None:
        if self.doc is None:
            return
        toc = CardList()
        toc.setObjectName("reader-toc-list")
        toc.set_theme(self.theme)
        toc.set_items([CardItem("\u3000" * e.depth * 2 + e.text, payload=e.row) for e in self.doc.toc])
        toc.activated_item.connect(self._toc_chosen)
        self.sheet.open("目录", toc)

    def _toc_chosen(self, row: Any) -> None:
        self.sheet.close_sheet()
        self.view.scroll_to_row(int(row))

    def _forget_sheet_parts(self) -> None:
        self.jump_display = self.jump_hint = None

    def show_jump(self) -> None:
        self.jump_digits = ""
        display = label("第 ＿ 条", "headline")
        display.setObjectName("jump-display")
        display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = label("输入条文序号，例如 1087", "muted")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pad = Keypad("跳转")
        pad.setObjectName("jump-pad")
        pad.digit.connect(self._jump_digit)
        pad.erase.connect(lambda: self._jump_digit(None))
        pad.enter.connect(self._jump_go)
        host = QWidget()
        wide = self.width() >= 1300  # landscape: the number beside the pad, so every key keeps its size
        box = QBoxLayout(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom, host)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(24)
        words = QVBoxLayout()
        words.addWidget(display)
        words.addWidget(hint)
        if wide:
            words.addStretch(1)
        box.addLayout(words, 1)
        box.addWidget(pad, 2)
        self.sheet.open("跳到第几条", host)  # (drops the references to any earlier panel's widgets)
        self.jump_display, self.jump_hint = display, hint

    def _jump_digit(self, digit: str | None) -> None:
        self.jump_digits = (self.jump_digits + digit)[:5] if digit else self.jump_digits[:-1]
        if self.jump_display is not None:
            self.jump_display.setText(f"第 {self.jump_digits or '＿'} 条")

    def _jump_go(self) -> None:
        if self.jump_to(self.jump_digits):
            self.sheet.close_sheet()
        elif self.jump_hint is not None:
            self.jump_hint.setText(
                f"本法没有第 {self.jump_digits} 条，请重新输入" if self.jump_digits else "请先输入条文序号"
            )

    def show_qr(self) -> None:
        row = self.current_article()
        if self.doc is None or row is None:
            return
        url = article_url(self.share_base, self.doc.title, row.number)
        host = QWidget()
        line = QHBoxLayout(host)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(28)
        code = QrCode(url, 300)
        code.setObjectName("reader-qr-code")
        line.addWidget(code, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.addWidget(label(f"用手机扫一扫，带走《{self.doc.title}》{row.label}", "title"))
        words.addWidget(label(f"{row.label}\u3000{row.text}", "body"))
        words.addStretch(1)
        line.addLayout(words, 1)
        self.sheet.open(f"扫码带走{row.label}", host)

    def show_related(self) -> None:
        if self.doc is None:
            return
        row = self.current_article()
        items = self.laws.related([row.article_id]) if row is not None and row.article_id else []
        heading = f"引用{row.label}的案例与指南" if row is not None else ""
        if not items:
            items = self.laws.related_to_document(self.doc)
            heading = "本法相关的案例与指南"
        cards = CardList()
        cards.setObjectName("reader-related-list")
        cards.set_theme(self.theme)
        cards.set_items(
            [CardItem(i.title, badge="案例" if i.kind == "case" else "办事指南", payload=(i.kind, i.id)) for i in items]
        )
        cards.activated_item.connect(lambda p: self.nav.go(p[0], id=p[1]))
        empty = label("暂无引用本法的案例或办事指南。" if not items else heading, "muted")
        self.sheet.open("相关案例与指南", empty, cards)

    def show_versions(self) -> None:
        if self.doc is None:
            return
        cards = CardList()
        cards.set_theme(self.theme)
        cards.set_items(
            [
                CardItem(
                    f"{date_text(v.version_date)} 版" if v.version_date else "未注明日期的版本",
                    ["正在阅读" if v.law_id == self.doc.id else "点击阅读此版本"],
                    badge=v.status,
                    payload=v.law_id,
                )
                for v in self.doc.versions
            ]
        )
        cards.activated_item.connect(self._version_chosen)
        self.sheet.open("全部版本", cards)

    def _version_chosen(self, law_id: Any) -> None:
        self.sheet.close_sheet()
        self.nav.replace("reader", law_id=int(law_id))

    def _open_notice_link(self) -> None:
        if self.doc is not None and self.doc.notice_link is not None:
            self.nav.replace("reader", law_id=self.doc.notice_link)

    # --- reading aloud ----------------------------------------------------------------------------

    def _read_article(self) -> None:
        row = self.current_article()
        if row is not None:
            self.nav.speak_requested.emit(f"{row.label}。{row.text}")

    def _read_page(self) -> None:
        self.nav.speak_requested.emit(self.read_aloud_text())

    def read_aloud_text(self) -> str:
        if self.doc is None:
            return ""
        start = max(self.view.current_row, self.view.top_row(), 0)
        body = "。".join(f"{r.label}。{r.text}" if r.kind == "article" else r.text for r in self.doc.rows[start:])
        return f"{self.doc.title}，{self.doc.status}，{self.effective.text()}。{self.doc.notice or ''}{body}"

    # --- screen protocol --------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        row = self.current_article()
        out: dict[str, Any] = {"top": self.view.top_row()}
        if row is not None:
            out.update(number=row.number, sub=row.sub_number)
        return out

    def leave(self) -> None:
        self.sheet.close_sheet()

    def wipe(self) -> None:
        self.sheet.close_sheet()
        self.doc = None
        self.view.set_rows([])
        self.action_bar.hide()

    def apply_theme(self, theme: Any) -> None:
        super().apply_theme(theme)
        self.view.set_theme(theme)
