"""The legal-aid pre-check down each outcome, with back and restart, against the real question file."""

from __future__ import annotations

import pytest

from kiosk.flows.legal_aid import LegalAidInterview, Outcome


@pytest.fixture
def interview() -> LegalAidInterview:
    return LegalAidInterview.from_file(threshold=2010)


def walk(interview: LegalAidInterview, *answers: str) -> None:
    for answer in answers:
        interview.answer(answer)


def test_migrant_worker_claiming_wages_is_exempt_from_the_means_test(interview: LegalAidInterview) -> None:
    assert interview.question is not None and interview.question.id == "matter"
    walk(interview, "wages", "migrant")
    result = interview.result
    assert result is not None and result.outcome is Outcome.LIKELY_ELIGIBLE
    assert result.articles == ("第三十一条", "第四十二条")
    assert "务工证明（劳动合同、工友证言、工资记录等）" in result.materials
    assert result.materials[0] == "申请人居民身份证或户口簿"


def test_domestic_violence_needs_no_means_test(interview: LegalAidInterview) -> None:
    walk(interview, "violence")
    assert interview.question is None
    assert interview.result is not None and interview.result.outcome is Outcome.LIKELY_ELIGIBLE
    assert interview.result.articles == ("第三十二条",)


def test_income_decides_for_everyone_else(interview: LegalAidInterview) -> None:
    walk(interview, "support", "none")
    assert interview.question is not None and interview.question.id == "income"
    assert "2010" in interview.question.options[0].label
    interview.answer("below")
    assert interview.result is not None and interview.result.outcome is Outcome.LIKELY_ELIGIBLE
    assert "第四十一条" in interview.result.articles
    interview.back()
    interview.answer("above")
    assert interview.result is not None and interview.result.outcome is Outcome.NOT_ELIGIBLE
    assert "12348" in interview.result.reason
    interview.back()
    interview.answer("unsure")
    assert interview.result is not None and interview.result.outcome is Outcome.NEEDS_REVIEW


def test_criminal_case_of_a_minor_gets_a_lawyer_assigned(interview: LegalAidInterview) -> None:
    walk(interview, "criminal", "yes")
    assert interview.result is not None and interview.result.outcome is Outcome.LIKELY_ELIGIBLE
    assert interview.result.articles == ("第二十四条", "第二十五条")


def test_matters_outside_the_list_need_review(interview: LegalAidInterview) -> None:
    walk(interview, "other")
    assert interview.result is not None and interview.result.outcome is Outcome.NEEDS_REVIEW


def test_back_and_restart_at_every_step(interview: LegalAidInterview) -> None:
    walk(interview, "criminal", "no", "none")
    assert interview.question is not None and interview.question.id == "income"
    assert interview.step_number == 4
    interview.back()
    assert interview.question is not None and interview.question.id == "group"
    interview.back()
    interview.back()
    assert interview.question is not None and interview.question.id == "matter"
    interview.back()  # at the start, back stays there
    assert interview.question is not None and interview.question.id == "matter"
    walk(interview, "wages", "none", "below")
    interview.restart()
    assert interview.answers == [] and interview.question is not None and interview.question.id == "matter"


def test_a_finished_interview_refuses_more_answers(interview: LegalAidInterview) -> None:
    walk(interview, "bravery")
    with pytest.raises(ValueError, match="already ended"):
        interview.answer("wages")
    with pytest.raises(ValueError, match="no answer"):
        LegalAidInterview.from_file().answer("nonsense")


def test_progress_counts_the_longest_way_left(interview: LegalAidInterview) -> None:
    assert (interview.step_number, interview.most_steps) == (1, 4)  # a criminal case asks one more
    interview.answer("wages")
    assert (interview.step_number, interview.most_steps) == (2, 3)
    interview.answer("none")
    assert (interview.step_number, interview.most_steps) == (3, 3)
    interview.answer("below")
    assert interview.result is not None and interview.most_steps == 3


def test_the_step_total_stays_the_same_and_a_small_pension_has_an_answer(interview: LegalAidInterview) -> None:
    totals = [interview.longest]
    for option in ("support", "retired"):
        interview.answer(option)
        totals.append(interview.longest)
    assert len(set(totals)) == 1 and totals[0] >= interview.step_number
    assert interview.question is not None and interview.question.id == "income"  # a pension is income
    assert interview.question.hint is not None and "退休金" in interview.question.hint
    interview.answer("below")
    assert interview.result is not None and interview.result.outcome.label == "可能符合条件"
    assert "退休证或养老金领取记录" in interview.result.materials
