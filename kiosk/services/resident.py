"""What a resident leaves with the platform: requests, ratings, consultation outcomes and usage counts.

Everything goes into the outbox (its own SQLite file) and up with the next ``kiosk sync``; the
terminal keeps it only until the platform acknowledges it. Qt-free, so the end-to-end tests and the
screens use the same code.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from kiosk.flows.rating import Level, RatingSession
from kiosk.flows.requests import RequestForm
from kiosk.outbox import Outbox

log = logging.getLogger(__name__)

CONSULT_OUTCOMES = ("answered", "missed", "offline", "cancelled")


#: Usage counters are kept in memory this long before they are written (one write, not one per tap).
FLUSH_SECONDS = 60.0


class ResidentService:
    def __init__(self, outbox: Outbox):
        self.outbox = outbox
        self._counts: Counter[tuple[dt.datetime, str]] = Counter()
        self._flushed = time.monotonic()

    def submit_request(self, form: RequestForm) -> str:
        """Queue the request and return its reference number; the form is wiped afterwards.

        Raises :class:`~kiosk.flows.requests.ConsentRequired` without consent and ``ValueError``
        naming the fields when one is invalid (nothing is queued then, and the form is kept).
        """
        payload = form.submission()
        with self.outbox.transaction():
            self.outbox.enqueue("request", payload)
            self.outbox.count(f"request.{form.kind.value}")
        form.wipe()
        return payload["reference"]

    def submit_rating(self, session: RatingSession, level: Level, reason: str | None = None, text: str = "") -> None:
        """One rating per service session; the two lowest levels need a reason (see ``RatingSession``)."""
        payload = session.rate(level, reason, text)
        self.outbox.enqueue("rating", payload)

    def record_consult(self, session_id: str, outcome: str, wait_seconds: float, talk_seconds: float = 0.0) -> None:
        if outcome not in CONSULT_OUTCOMES:
            raise ValueError(f"consult outcome {outcome!r} is not one of {', '.join(CONSULT_OUTCOMES)}")
        payload = {
            "session_id": session_id,
            "outcome": outcome,
            "wait_seconds": round(max(0.0, wait_seconds), 1),
            "talk_seconds": round(max(0.0, talk_seconds), 1),
        }
        with self.outbox.transaction():
            self.outbox.enqueue("consult", payload)
            self.outbox.count(f"consult.{outcome}")

    def count(self, name: str) -> None:
        """A usage counter (screens opened, searches…), written with others at most a minute later.

        A screen change must not wait for the disk (the outbox syncs every write); a count lost in a
        power cut is a count, never a resident's request or rating.
        """
        hour = dt.datetime.now().replace(minute=0, second=0, microsecond=0)
        self._counts[(hour, name)] += 1
        if time.monotonic() - self._flushed >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write the counters kept in memory (the idle reset and closing call it too)."""
        counts, self._counts = self._counts, Counter()
        self._flushed = time.monotonic()
        if not counts:
            return
        try:
            with self.outbox.transaction():
                for (hour, name), n in counts.items():
                    self.outbox.count(name, n, at=hour)
        except Exception:  # never disturb the resident for a statistic
            log.exception("%d usage counts not recorded", sum(counts.values()))

    def close(self) -> None:
        self.flush()
        self.outbox.close()

    @classmethod
    def scratch(cls, folder: Path) -> ResidentService:
        """One whose events go to a throwaway outbox in ``folder`` (screenshots, demonstrations)."""
        return cls(Outbox(folder / "outbox.sqlite3"))


class SearchTally:
    """One ``search`` count per question a resident settled on, never what was asked.

    Results appear as the resident types, so every keystroke is a search for the engine but not for
    the statistics: refining a question (欠 → 欠薪, or back to 欠) is the same search; a different
    question, clearing the field, leaving the screen or walking away ends it. 返回 to the same
    results counts nothing new. The text is held in memory only, to compare, and forgotten on
    :meth:`forget` (the idle wipe).
    """

    def __init__(self, count: Callable[[str], None]):
        self._count = count
        self._open = ""  # the question whose results are on screen, not yet counted
        self._counted = ""  # the last one counted

    def shown(self, text: str) -> None:
        """Results for ``text`` are on screen."""
        text = text.strip()
        if not text:
            self.settle()
            return
        if self._open and not (text.startswith(self._open) or self._open.startswith(text)):
            self.settle()
        self._open = text

    def settle(self) -> None:
        """The resident moved on from the question on screen: count it (once)."""
        if self._open and self._open != self._counted:
            self._count("search")
            self._counted = self._open
        self._open = ""

    def forget(self) -> None:
        self.settle()
        self._counted = ""
