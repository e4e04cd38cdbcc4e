"""The consultation attempt: answered, missed by time or by the platform, offline, cancelled — each
end reported once, with the waiting and talking time."""

from __future__ import annotations

import pytest

from kiosk.flows.consult import ConsultAttempt, Outcome, Phase, Step


def test_answered_call_reports_wait_and_talk_once() -> None:
    attempt = ConsultAttempt(answer_seconds=30)
    attempt.start(100.0)
    assert attempt.on_status("waiting", 105.0) is Step.WAIT and attempt.waited(112.5) == 12
    assert attempt.on_status("answered", 112.0) is Step.CALL and attempt.phase is Phase.CALL
    assert attempt.on_tick(200.0) is Step.IGNORE  # no time-out during a call
    assert attempt.finish("answered", 412.0) == Outcome("answered", 12.0, 300.0)
    assert attempt.finish("answered", 500.0) is None and not attempt.active


def test_nobody_answers_in_time() -> None:
    attempt = ConsultAttempt(answer_seconds=30)
    attempt.start(0.0)
    assert attempt.on_tick(29.9) is Step.WAIT
    assert attempt.on_tick(30.0) is Step.MISSED
    assert attempt.on_status("waiting", 31.0) is Step.MISSED
    assert attempt.finish("missed", 31.0) == Outcome("missed", 31.0, 0.0)
    assert attempt.on_status("answered", 32.0) is Step.IGNORE  # a lawyer too late: the resident has moved on


@pytest.mark.parametrize("status", ["ended", "cancelled", "missed"])
def test_a_session_the_platform_closed_is_missed(status: str) -> None:
    attempt = ConsultAttempt(answer_seconds=30)
    attempt.start(0.0)
    assert attempt.on_status(status, 5.0) is Step.MISSED


def test_offline_and_cancelled_are_outcomes_too_and_unknown_ones_are_refused() -> None:
    attempt = ConsultAttempt(answer_seconds=30)
    assert attempt.finish("offline", 1.0) is None  # never started: nothing to report
    attempt.start(0.0)
    assert attempt.finish("cancelled", 4.0) == Outcome("cancelled", 4.0, 0.0)
    with pytest.raises(ValueError, match="not one of"):
        ConsultAttempt(30).finish("hung", 1.0)
