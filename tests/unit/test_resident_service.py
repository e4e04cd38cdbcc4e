"""What a resident leaves goes into the outbox: requests and ratings at once, usage counts in one
write a minute (a screen change never waits for the disk)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.flows.requests import ConsentRequired, RequestForm, RequestKind
from kiosk.outbox import Outbox
from kiosk.services.resident import FLUSH_SECONDS, ResidentService, SearchTally


def usage(outbox: Outbox) -> dict[str, int]:
    rows = outbox.db.execute_sql("SELECT name, sum(count) FROM outbox_usage_hourly GROUP BY name")
    return dict(rows.fetchall())


def test_usage_counts_are_written_together(tmp_path: Path) -> None:
    resident = ResidentService(Outbox(tmp_path / "outbox.sqlite3"))
    for _ in range(3):
        resident.count("screen.laws")
    resident.count("search")
    assert usage(resident.outbox) == {}  # still in memory
    resident._flushed -= FLUSH_SECONDS  # a minute later the next count writes them all
    resident.count("screen.cases")
    assert usage(resident.outbox) == {"screen.laws": 3, "search": 1, "screen.cases": 1}
    resident.count("search")
    resident.close()  # closing writes what is left
    reopened = Outbox(tmp_path / "outbox.sqlite3")
    assert usage(reopened)["search"] == 2


def test_a_request_without_consent_queues_nothing(tmp_path: Path) -> None:
    resident = ResidentService(Outbox(tmp_path / "outbox.sqlite3"))
    form = RequestForm(RequestKind.CALLBACK)
    form.values.update(name="李示例", phone="13807121234", matter="工伤", preferred_time="尽快")
    with pytest.raises(ConsentRequired):
        resident.submit_request(form)
    assert resident.outbox.pending_count() == 0 and form.values["phone"] == "13807121234"  # kept to fix
    form.consent = True
    reference = resident.submit_request(form)
    assert resident.outbox.pending_count() == 1 and form.values == {} and not form.consent  # wiped
    [event] = resident.outbox.pending()
    assert event.kind == "request" and event.payload["reference"] == reference


def test_a_search_counts_once_per_question_settled_on() -> None:
    counted: list[str] = []
    tally = SearchTally(counted.append)
    for text in ("欠", "欠薪", "欠"):  # typing and refining: one question
        tally.shown(text)
    assert counted == []
    tally.shown("离婚")  # a different question: the first one counts
    assert counted == ["search"]
    tally.settle()  # the resident opens a result
    tally.shown("离婚")  # and comes back to the same results
    tally.settle()
    assert counted == ["search", "search"]
    tally.shown("")  # clearing the field ends nothing more
    tally.forget()
    assert counted == ["search", "search"]
    tally.shown("离婚")  # after the idle wipe the same words are a new resident's search
    tally.forget()
    assert counted == ["search"] * 3
