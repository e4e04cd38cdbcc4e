"""End to end: ratings, requests, consultations and usage made on the terminal reach the hub through
``kiosk sync``, appear in ``kiosk-hub report`` with the right figures, and leave no trace of the
resident's phone number in the terminal's files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sync_harness import Hub, Terminal

from kiosk.flows.rating import Level, RatingSession
from kiosk.flows.requests import RequestForm, RequestKind
from kiosk.outbox import Outbox
from kiosk.services.resident import ResidentService
from kiosk.sync.errors import EXIT_OK

PHONE = "13807129876"


def report_rows(hub: Hub, *extra: str) -> list[dict[str, str]]:
    today = dt.date.today()
    out = hub.cli(
        "report", "--from", str(today - dt.timedelta(days=1)), "--to", str(today + dt.timedelta(days=1)), *extra
    ).stdout
    assert out.startswith("\ufeff")  # Excel reads UTF-8 only with the mark
    return list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))


def test_what_residents_leave_reaches_the_report_and_leaves_the_terminal(
    hub: Hub, terminal: Terminal, tmp_path: Path
) -> None:
    resident = ResidentService(Outbox.open(terminal.paths))
    callback = RequestForm(RequestKind.CALLBACK, consent=True)
    callback.values.update(name="李示例", phone=PHONE, matter="工伤赔偿怎么算", preferred_time="尽快")
    complaint = RequestForm(RequestKind.COMPLAINT, consent=True)
    complaint.values.update(name="王示例", phone="0712-2345678", matter="律师收费不开发票")
    references = [resident.submit_request(callback), resident.submit_request(complaint)]
    assert all(len(r) == 13 for r in references)
    for i, (level, reason) in enumerate(
        [(Level.VERY_SATISFIED, None), (Level.SATISFIED, None), (Level.DISSATISFIED, "等待时间太长"),
         (Level.VERY_DISSATISFIED, "操作太复杂")]
    ):  # fmt: skip
        resident.submit_rating(RatingSession("consult", f"s{i}"), level, reason)
    resident.record_consult("c1", "answered", 12.0, 300.0)
    resident.record_consult("c2", "answered", 20.0, 120.0)
    resident.record_consult("c3", "missed", 30.0)
    resident.record_consult("c4", "offline", 0.5)
    for name, n in (("search", 3), ("service.legal_aid.started", 2), ("screen.laws", 5)):
        for _ in range(n):
            resident.count(name)
    resident.close()
    silent = Terminal(tmp_path / "never-synced")
    silent.provision(hub)  # enrolled, never heard from since

    result, lines = terminal.sync()
    assert result.exit_code == EXIT_OK, lines

    rows = report_rows(hub, "--format", "csv")
    mine = [r for r in rows if r["终端编号"] == terminal.device_id()]
    assert mine, rows

    def total(column: str) -> int:
        return sum(int(r[column]) for r in mine)

    assert total("搜索次数") == 3 and total("服务开始") == 2 and total("页面打开") == 5
    assert total("预约回电") == 1 and total("投诉") == 1 and total("调解申请") == 0
    assert total("业务量") == 3 + 2 + 2  # searches + services started + requests
    assert total("评价数") == 4 and total("满意数") == 2
    assert total("视频接通") == 2 and total("视频未接通") == 1 and total("视频离线") == 1
    busy = next(r for r in mine if r["评价数"] != "0")
    assert busy["满意率"] == "50.0%" and busy["平均评分"] == "3.0"
    assert busy["接通率"] == "66.7%" and busy["平均等待秒"] == "16.0" and busy["等待中位秒"] == "16.0"
    assert busy["县区"] == "孝南区" and busy["失联超过一天"] == "否"
    other = [r for r in rows if r["终端编号"] == silent.device_id()]
    assert other and all(r["失联超过一天"] == "是" and r["业务量"] == "0" for r in other)

    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()  # report days are Beijing days
    html = hub.cli("report", "--from", str(today), "--to", str(today)).stdout
    assert "满意率" in html and "50.0%" in html and "<svg" in html and "<script" not in html
    for text in (html, "".join(str(r) for r in rows)):
        assert PHONE not in text and "李示例" not in text  # the report counts; it never shows who

    for path in terminal.paths.root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert PHONE.encode() not in data and PHONE.encode("utf-16-le") not in data, path


def test_bad_report_arguments_are_named(hub: Hub) -> None:
    for args, message in (
        (("--from", "2026-13-01", "--to", "2026-12-31"), "--from: '2026-13-01' is not a date"),
        (("--from", "2026-05-01", "--to", "2026-04-01"), "--to 2026-04-01 is before --from 2026-05-01"),
        (("--from", "2026-01-01", "--to", "2026-01-31", "--region", "999999"), "--region: '999999' is not a known"),
    ):
        done = hub.cli("report", *args, check=False)
        assert done.returncode == 1 and message in done.stderr, done.stderr


@pytest.mark.parametrize("auth", [None, ("any", "wrong-token")])
def test_report_page_needs_the_admin_token(hub: Hub, auth: tuple[str, str] | None) -> None:
    reply = hub.session.get(hub.url + "report", auth=auth, timeout=10)
    assert reply.status_code == 401 and "Basic" in reply.headers["WWW-Authenticate"]


def test_report_page_serves_html_and_csv(hub: Hub) -> None:
    token = (hub.root / "admin.token").read_text().strip()
    page = hub.session.get(hub.url + "report", auth=("operator", token), timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "业务量与满意度报表" in page.text
    sheet = hub.session.get(
        hub.url + "report", params={"format": "csv", "from": "2026-01-01", "to": "2026-01-31"},
        auth=("operator", token), timeout=10,
    )  # fmt: skip
    assert sheet.status_code == 200 and sheet.content.startswith("\ufeff月份".encode())


def test_the_phone_page_queues_a_consultation_for_the_lawyers(hub: Hub, terminal: Terminal) -> None:
    from kiosk.services.consult import ConsultService

    qr = ConsultService(terminal.paths).phone_page()  # what the terminal's QR code carries
    assert qr is not None
    page = hub.session.get(qr, timeout=10)
    assert page.status_code == 200 and 'href="tel:12348"' in page.text and "开始视频咨询" in page.text
    token = qr.split("?t=", 1)[1]
    started = hub.session.post(hub.url + "consult", data={"t": token}, allow_redirects=False, timeout=10)
    assert started.status_code == 303
    status, reply = hub.call("GET", "/api/v1/admin/consult/sessions", admin=True)
    assert status == 200
    [session] = [s for s in reply["sessions"] if s["device_id"] == "phone"]
    assert session["status"] == "waiting" and started.headers["Location"] == session["room_url"]
