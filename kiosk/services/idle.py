"""The idle privacy guard as a plain state machine; the Qt side feeds it touches and clock ticks.

ACTIVE --(idle_seconds without a touch)--> COUNTDOWN --(countdown_seconds)--> ATTRACT
COUNTDOWN --(any touch / 我还在用)--> ACTIVE;  ATTRACT --(any touch)--> ACTIVE (home screen)
The screen never changes under a resident without the countdown first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

#: Seconds of slack at each boundary: clock readings are floats, and ``(t + 60.0) - t`` can come out a hair
#: under 60 (with ``t`` around 32,758, as a monotonic clock after nine hours of uptime gives).
SLACK = 1e-6


class Phase(Enum):
    ACTIVE = "active"
    COUNTDOWN = "countdown"
    ATTRACT = "attract"


class Event(Enum):
    WARN = "warn"  # show the countdown
    RESUME = "resume"  # hide the countdown, nothing else changes
    WIPE = "wipe"  # clear every personal input and start the attract loop
    WAKE = "wake"  # leave the attract loop for the home screen


@dataclass
class IdleGuard:
    idle_seconds: float
    countdown_seconds: float
    now: float = 0.0
    phase: Phase = Phase.ACTIVE
    last_activity: float = 0.0
    countdown_started: float = 0.0
    _holds: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.last_activity = self.now

    def hold(self, reason: str) -> None:
        """Something the resident watches without touching (a video, reading aloud) keeps them active."""
        self._holds.add(reason)

    def release(self, reason: str) -> None:
        self._holds.discard(reason)

    @property
    def held(self) -> bool:
        return bool(self._holds)

    def activity(self, now: float) -> Event | None:
        self.last_activity = now
        if self.phase is Phase.COUNTDOWN:
            self.phase = Phase.ACTIVE
            return Event.RESUME
        if self.phase is Phase.ATTRACT:
            self.phase = Phase.ACTIVE
            return Event.WAKE
        return None

    def still_here(self, now: float) -> Event | None:
        return self.activity(now)

    def tick(self, now: float) -> Event | None:
        if self.phase is Phase.ACTIVE:
            if self._holds:
                self.last_activity = now
                return None
            if now - self.last_activity >= self.idle_seconds - SLACK:
                self.phase = Phase.COUNTDOWN
                self.countdown_started = now
                return Event.WARN
        elif self.phase is Phase.COUNTDOWN and now - self.countdown_started >= self.countdown_seconds - SLACK:
            self.phase = Phase.ATTRACT
            self._holds.clear()
            return Event.WIPE
        return None

    def remaining(self, now: float) -> int:
        """Whole seconds left on the countdown (what the big number shows)."""
        if self.phase is not Phase.COUNTDOWN:
            return int(self.countdown_seconds)
        return max(0, math.ceil(self.countdown_seconds - (now - self.countdown_started)))
