"""One video-consultation attempt as a plain state machine (the consult screen renders it).

    attempt = ConsultAttempt(answer_seconds=30)
    attempt.start(now)                        # waiting for a lawyer
    attempt.on_status("waiting", now)         # → Step.WAIT (poll again)
    attempt.on_status("answered", now)        # → Step.CALL (open the room)
    attempt.finish("answered", now)           # → the outcome to record, once

Timing out is the machine's decision too: ``on_tick(now)`` says ``Step.MISSED`` once nobody has
answered within ``answer_seconds``. Every end (answered and hung up, missed, offline, cancelled by the
resident) is reported exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Phase(Enum):
    IDLE = "idle"
    WAITING = "waiting"
    CALL = "call"
    ENDED = "ended"


class Step(Enum):
    WAIT = "wait"  # keep polling
    CALL = "call"  # a lawyer answered: open the room
    MISSED = "missed"  # nobody answered in time (or the platform closed the session): fall back
    IGNORE = "ignore"  # a late answer for an attempt that is over


OUTCOMES = ("answered", "missed", "offline", "cancelled")
CLOSED = ("ended", "cancelled", "missed")


@dataclass(frozen=True)
class Outcome:
    outcome: str
    wait_seconds: float
    talk_seconds: float


@dataclass
class ConsultAttempt:
    answer_seconds: float
    phase: Phase = Phase.IDLE
    waited_from: float = 0.0
    talk_from: float = 0.0

    def start(self, now: float) -> None:
        self.phase = Phase.WAITING
        self.waited_from = now

    @property
    def active(self) -> bool:
        return self.phase in (Phase.WAITING, Phase.CALL)

    def waited(self, now: float) -> int:
        return int(max(0.0, now - self.waited_from))

    def on_tick(self, now: float) -> Step:
        if self.phase is not Phase.WAITING:
            return Step.IGNORE
        return Step.MISSED if now - self.waited_from >= self.answer_seconds else Step.WAIT

    def on_status(self, status: str, now: float) -> Step:
        """What the platform says about the session: answered, still waiting, or closed."""
        if self.phase is not Phase.WAITING:
            return Step.IGNORE
        if status == "answered":
            self.phase = Phase.CALL
            self.talk_from = now
            return Step.CALL
        if status in CLOSED:
            return Step.MISSED
        return self.on_tick(now)

    def finish(self, outcome: str, now: float) -> Outcome | None:
        """End the attempt; the outcome to record, or None when it was already recorded."""
        if outcome not in OUTCOMES:
            raise ValueError(f"consult outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
        if not self.active:
            return None
        in_call = self.phase is Phase.CALL
        waited = (self.talk_from if in_call else now) - self.waited_from
        talked = now - self.talk_from if in_call else 0.0
        self.phase = Phase.ENDED
        return Outcome(outcome, max(0.0, waited), max(0.0, talked))
