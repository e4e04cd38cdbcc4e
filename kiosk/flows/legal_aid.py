"""The legal-aid pre-check (法律援助自测) as a plain state machine.

Questions and answers come from ``assets/legal_aid.toml``; the rules of 法律援助法 that decide the
outcome are here:

* 第三十一条 lists the civil and administrative matters for which people in financial hardship may
  get aid; 第三十二条 lists matters where no means test applies (domestic violence, bravery, …).
* 第二十四条/第二十五条: in criminal cases aid is assigned without application for minors, some
  disabled people and people facing life imprisonment or death; others may apply.
* 第四十二条 exempts certain groups from the hardship check (no-income elderly, disabled, minors;
  social-assistance and special-care recipients; migrant workers claiming wages or work injury).
* 第三十四条/第四十一条: hardship is judged against the provincial standard, and applicants may
  sign a personal integrity commitment instead of bringing proof (告知承诺).

The outcome is a pre-check only: "likely eligible", "likely not eligible", or "needs review".
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from kiosk.paths import ASSETS_DIR

DATA_FILE = ASSETS_DIR / "legal_aid.toml"
BASE_MATERIALS = ("申请人居民身份证或户口簿", "法律援助申请表（可在法律援助中心现场填写）")


class Outcome(Enum):
    LIKELY_ELIGIBLE = "likely_eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_REVIEW = "needs_review"

    @property
    def label(self) -> str:
        return {"likely_eligible": "可能符合条件", "not_eligible": "可能不符合条件", "needs_review": "需要进一步核实"}[
            self.value
        ]


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    articles: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    scope: str = ""
    exempt: bool = False
    exempt_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    hint: str
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise ValueError(f"question {self.id!r} has no answer {option_id!r}")


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    reason: str
    law: str
    articles: tuple[str, ...]
    materials: tuple[str, ...]


def load_questions(path: Path = DATA_FILE, threshold: int = 2010) -> tuple[str, dict[str, Question]]:
    """Read the question file; ``{threshold}`` in texts becomes the local income line."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))

    def fill(text: str) -> str:
        return text.replace("{threshold}", str(threshold))

    questions = {}
    for q in data["question"]:
        options = tuple(
            Option(
                id=o["id"],
                label=fill(o["label"]),
                articles=tuple(o.get("articles", ())),
                materials=tuple(o.get("materials", ())),
                scope=o.get("scope", ""),
                exempt=bool(o.get("exempt", False)),
                exempt_for=tuple(o.get("exempt_for", ())),
            )
            for o in q["option"]
        )
        questions[q["id"]] = Question(q["id"], fill(q["text"]), fill(q.get("hint", "")), options)
    return data["law"], questions


@dataclass
class LegalAidInterview:
    """Ask :meth:`question`, give :meth:`answer`; :attr:`result` is set when the interview ends."""

    law: str
    questions: dict[str, Question]
    answers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_file(cls, threshold: int = 2010, path: Path = DATA_FILE) -> LegalAidInterview:
        law, questions = load_questions(path, threshold)
        return cls(law, questions)

    # --- navigation -------------------------------------------------------------------------------

    @property
    def question(self) -> Question | None:
        """The question to show now, or None when the interview has ended."""
        step = self._decide()
        return self.questions[step] if isinstance(step, str) else None

    @property
    def result(self) -> Result | None:
        step = self._decide()
        return step if isinstance(step, Result) else None

    @property
    def step_number(self) -> int:
        return len(self.answers) + 1

    @property
    def most_steps(self) -> int:
        """How many questions this interview asks at most, those answered included (for the progress line)."""
        question = self.question
        if question is None:
            return len(self.answers)
        return max(
            LegalAidInterview(self.law, self.questions, [*self.answers, (question.id, o.id)]).most_steps
            for o in question.options
        )

    @property
    def longest(self) -> int:
        """The most questions any resident is asked: the progress line's total, the same at every step
        (a total that shrinks as one answers reads as a mistake)."""
        return LegalAidInterview(self.law, self.questions).most_steps

    def option_label(self, question_id: str, option_id: str) -> str:
        return self.questions[question_id].option(option_id).label

    def answer(self, option_id: str) -> None:
        question = self.question
        if question is None:
            raise ValueError("the interview has already ended; restart or go back")
        question.option(option_id)  # validates
        self.answers.append((question.id, option_id))

    def back(self) -> None:
        if self.answers:
            self.answers.pop()

    def restart(self) -> None:
        self.answers.clear()

    # --- rules ------------------------------------------------------------------------------------

    def _chosen(self, question_id: str) -> Option | None:
        for qid, oid in self.answers:
            if qid == question_id:
                return self.questions[qid].option(oid)
        return None

    def _finish(self, outcome: Outcome, reason: str) -> Result:
        chosen = [self.questions[q].option(o) for q, o in self.answers]
        articles = sorted({a for option in chosen for a in option.articles}, key=_article_order)
        materials = list(BASE_MATERIALS) + [m for option in chosen for m in option.materials]
        return Result(outcome, reason, self.law, tuple(articles), tuple(dict.fromkeys(materials)))

    def _decide(self) -> str | Result:
        matter = self._chosen("matter")
        if matter is None:
            return "matter"
        if matter.scope == "no_means_test":
            return self._finish(Outcome.LIKELY_ELIGIBLE, f"「{matter.label}」申请法律援助不受经济困难条件的限制。")
        if matter.scope == "other":
            return self._finish(
                Outcome.NEEDS_REVIEW,
                "这类事情不在法律援助法第三十一条列举的事项中，是否属于法规、规章规定的其他情形，"
                "需要法律援助中心审查。免费法律咨询不受限制，可拨打12348。",
            )
        if matter.scope == "criminal":
            special = self._chosen("criminal_group")
            if special is None:
                return "criminal_group"
            if special.id == "yes":
                return self._finish(
                    Outcome.LIKELY_ELIGIBLE,
                    "属于法定情形的犯罪嫌疑人、被告人没有委托辩护人的，公安机关、检察院、法院应当通知"
                    "法律援助机构指派律师担任辩护人，无需经济困难审查。",
                )
        group = self._chosen("group")
        if group is None:
            return "group"
        if group.exempt or matter.id in group.exempt_for:
            return self._finish(
                Outcome.LIKELY_ELIGIBLE,
                f"「{group.label}」有材料证明的，免予核查经济困难状况；所涉事项属于可以申请法律援助的范围。",
            )
        income = self._chosen("income")
        if income is None:
            return "income"
        if income.id == "below":
            return self._finish(
                Outcome.LIKELY_ELIGIBLE,
                "所涉事项属于可以申请法律援助的范围，家庭收入低于本地经济困难标准；可以现场签署"
                "个人诚信承诺书说明经济困难状况（告知承诺制）。",
            )
        if income.id == "above":
            return self._finish(
                Outcome.NOT_ELIGIBLE,
                "家庭收入高于本地经济困难标准，一般不符合法律援助的经济条件。您仍可获得免费法律咨询"
                "（12348热线或公共法律服务中心），也可以委托律师。",
            )
        return self._finish(
            Outcome.NEEDS_REVIEW, "需要法律援助中心核查家庭经济状况后决定，请带上收入相关材料前往咨询。"
        )


def _article_order(label: str) -> int:
    from kiosk.store.numerals import cn_to_int

    return cn_to_int(label.removeprefix("第").removesuffix("条"))
