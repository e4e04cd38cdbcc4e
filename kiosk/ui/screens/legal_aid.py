"""法律援助自测: one question per page, back and restart at every step, then the outcome with its
reason, the articles of 法律援助法 it rests on, the materials, the nearest centre and a QR code."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from kiosk.config import Config
from kiosk.flows.legal_aid import LegalAidInterview, Outcome, Question, Result
from kiosk.services.cases import Citation
from kiosk.services.directory import DirectoryService
from kiosk.services.laws import LawService
from kiosk.services.resident import ResidentService
from kiosk.services.takeaway import legal_aid_text
from kiosk.ui.navigator import Navigator, go_to
from kiosk.ui.screens.cases import citation_opener
from kiosk.ui.screens.institution import qr_row
from kiosk.ui.screens.page import HOTLINE_URL, PageScreen, ask_lawyer
from kiosk.ui.widgets.common import badge, button, label
from kiosk.ui.widgets.detail import link, numbered

SERVICE = "legal_aid"
OUTCOME_BADGES = {
    Outcome.LIKELY_ELIGIBLE: "badge-ok",
    Outcome.NOT_ELIGIBLE: "badge-bad",
    Outcome.NEEDS_REVIEW: "badge-warn",
}


class LegalAidScreen(PageScreen):
    title = "法律援助自测"

    def __init__(
        self, nav: Navigator, laws: LawService, directory: DirectoryService, resident: ResidentService, config: Config
    ):
        super().__init__(nav)
        self.laws = laws
        self.directory = directory
        self.resident = resident
        self.config = config
        self.interview: LegalAidInterview | None = None
        self.session = ""
        self.finished = False

    # --- navigation -------------------------------------------------------------------------------

    def open(self, params: dict[str, Any]) -> None:
        """A fresh interview, or (from 返回) the remembered answers of this session."""
        answers = params.get("answers")
        if answers is None or params.get("session") != self.session or self.interview is None:
            self.interview = LegalAidInterview.from_file(threshold=self.config.legal_aid_income_threshold)
            self.session = uuid.uuid4().hex
            self.finished = False
            self.resident.count(f"service.{SERVICE}.started")
        self.interview.answers[:] = [tuple(a) for a in answers or ()]
        self.show_step()

    def state(self) -> dict[str, Any]:
        answers = list(self.interview.answers) if self.interview else []
        return {"answers": answers, "session": self.session}

    def wipe(self) -> None:
        self.interview = None
        self.session = ""
        self.new_page()

    def answer(self, option_id: str) -> None:
        assert self.interview is not None
        self.interview.answer(option_id)
        self.show_step()

    def back_step(self) -> None:
        assert self.interview is not None
        self.interview.back()
        self.show_step()

    def restart(self) -> None:
        assert self.interview is not None
        self.interview.restart()
        self.show_step()

    # --- pages ------------------------------------------------------------------------------------

    def show_step(self) -> None:
        assert self.interview is not None
        self.new_page()
        question = self.interview.question
        if question is not None:
            self._question_page(question)
        else:
            result = self.interview.result
            assert result is not None
            self._result_page(result)
        self.page.finish()

    def _question_page(self, q: Question) -> None:
        assert self.interview is not None
        page = self.page
        step, most = self.interview.step_number, self.interview.longest
        progress = label(f"第 {step} 步，最多 {most} 步 · 回答几个问题，看看能否申请免费的法律援助", "muted")
        progress.setObjectName("legal-aid-progress")
        page.add(progress)
        heading = label(q.text, "headline")
        heading.setObjectName("legal-aid-question")
        page.add(heading)
        if q.hint:
            page.add(label(q.hint, "muted"))
        for option in q.options:
            page.add(link(option.label, partial(self.answer, option.id), name=f"answer-{option.id}"))
        controls = [button("重新开始", self.restart, "secondary", "legal-aid-restart")]
        if self.interview.answers:
            controls.insert(0, button("‹ 上一步", self.back_step, "secondary", "legal-aid-back"))
        self.button_row(*controls)
        self.notice("自测结果仅供参考，以法律援助机构的审查决定为准。免费法律咨询不受条件限制，可随时拨打 12348。")
        self.spoken = q.text + "。" + "；".join(o.label for o in q.options)

    def _result_page(self, r: Result) -> None:
        if not self.finished:
            self.finished = True
            self.resident.count(f"service.{SERVICE}.finished")
        page = self.page
        outcome = badge(r.outcome.label, OUTCOME_BADGES[r.outcome])
        outcome.setObjectName("legal-aid-outcome")
        page.add(label("自测结果", "muted"))
        page.add(outcome)
        page.add(label(r.reason, "headline"))
        law_id = self.laws.find_current(r.law)
        if r.articles:
            page.add(label(f"依据：《{r.law.removeprefix('中华人民共和国')}》（点击阅读条文）", "section"))
            for article in r.articles:
                cite = Citation(r.law, article, None, law_id)
                b = link(f"《法律援助法》{article}", citation_opener(self.nav, cite), name=f"basis-{article}")
                b.setEnabled(law_id is not None)
                page.add(b)
        page.add(label(f"需要准备的材料（共 {len(r.materials)} 项）", "section"))
        page.add(numbered(r.materials))
        centres = self.directory.institutions("法律援助中心", limit=2)
        if centres:
            page.add(label("离您最近的法律援助中心", "section"))
            for c in centres:
                page.add(link(f"{c.name} · {c.distance_text}\n{c.address}", go_to(self.nav, "institution", c.id)))
            nearest = self.directory.institution(centres[0].id)
            take = qr_row(
                (legal_aid_text(r.outcome.label, r.materials, nearest), "扫码带走结果、材料和地址"),
                (nearest.map_url, "扫码导航到援助中心"),
                (HOTLINE_URL, "扫码拨打 12348"),
                side=220,
            )
        else:
            take = qr_row(
                (legal_aid_text(r.outcome.label, r.materials, None), "扫码带走结果和材料"),
                (HOTLINE_URL, "扫码拨打 12348"),
            )
        take.setObjectName("legal-aid-take-away")
        page.add(take)
        self.button_row(
            ask_lawyer(self.nav, f"法律援助自测：{r.outcome.label}（{self._matter()}）", "legal-aid-lawyer"),
            button("评价本次服务", self._rate, "secondary", "legal-aid-rate"),
        )
        self.button_row(
            button("‹ 上一步", self.back_step, "secondary", "legal-aid-back"),
            button("重新开始", self.restart, "secondary", "legal-aid-restart"),
        )
        self.spoken = f"自测结果：{r.outcome.label}。{r.reason}需要准备的材料：{'；'.join(r.materials)}。" + (
            f"离您最近的是{centres[0].name}，{centres[0].address}。" if centres else ""
        )

    def _matter(self) -> str:
        """The label of the first answer (the kind of matter), for the call-back's topic."""
        assert self.interview is not None
        first = self.interview.answers[0] if self.interview.answers else None
        return self.interview.option_label(*first) if first else "法律援助"

    def _rate(self) -> None:
        self.nav.go("rating", service=SERVICE, session=self.session)
