"""The workload (业务量) and satisfaction (满意率) report, by terminal, county and month.

Read from the events the terminals uploaded (usage counters, ratings, requests, consultation
outcomes) and from the device registry (last contact). Personal data in requests (names, phone
numbers) is never read into the report: only each request's kind is counted.

Definitions (also printed in the report):

* 业务量 = searches + services started (legal-aid pre-check, consultation, requests…) + requests submitted.
* 满意率 = ratings at 基本满意 or better / all ratings (levels 3–5 of 5).
* 接通率 = answered consultations / (answered + not answered in time); resident cancellations and
  offline attempts are shown separately.
* A terminal is 失联 when it has not been heard from for more than a day at the end of the period.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.paths import ASSETS_DIR
from kiosk_hub.db import Device, Event

REQUEST_KINDS = {"appointment": "预约办理", "callback": "预约回电", "mediation": "调解申请", "complaint": "投诉"}
SILENT_AFTER = dt.timedelta(days=1)


class ReportError(ValueError):
    """A bad report argument, named in the message."""


@dataclass
class Figures:
    """What one group (a terminal-month, a county, a month, everything) adds up to."""

    screens: int = 0
    searches: int = 0
    services_started: int = 0
    services_finished: int = 0
    requests: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REQUEST_KINDS, 0))
    ratings: list[int] = field(default_factory=list)
    consults: dict[str, int] = field(default_factory=lambda: {"answered": 0, "missed": 0, "offline": 0, "cancelled": 0})
    waits: list[float] = field(default_factory=list)  # seconds until answered

    @property
    def workload(self) -> int:
        return self.searches + self.services_started + sum(self.requests.values())

    @property
    def satisfied(self) -> int:
        return sum(1 for level in self.ratings if level >= 3)

    @property
    def satisfaction(self) -> float | None:
        return self.satisfied / len(self.ratings) if self.ratings else None

    @property
    def mean_rating(self) -> float | None:
        return statistics.fmean(self.ratings) if self.ratings else None

    @property
    def answer_rate(self) -> float | None:
        tried = self.consults["answered"] + self.consults["missed"]
        return self.consults["answered"] / tried if tried else None

    @property
    def mean_wait(self) -> float | None:
        return statistics.fmean(self.waits) if self.waits else None

    @property
    def median_wait(self) -> float | None:
        return statistics.median(self.waits) if self.waits else None

    def add(self, other: Figures) -> None:
        self.screens += other.screens
        self.searches += other.searches
        self.services_started += other.services_started
        self.services_finished += other.services_finished
        for k, v in other.requests.items():
            self.requests[k] = self.requests.get(k, 0) + v
        self.ratings += other.ratings
        for k, v in other.consults.items():
            self.consults[k] = self.consults.get(k, 0) + v
        self.waits += other.waits


@dataclass(frozen=True)
class Terminal:
    device_id: str
    name: str
    county: str  # 6-digit code
    last_seen: dt.datetime | None
    silent: bool


@dataclass
class Report:
    start: dt.date
    end: dt.date
    region: str | None
    as_of: dt.datetime
    terminals: dict[str, Terminal]
    cells: dict[tuple[str, str], Figures]  # (month, device_id) → figures
    county_names: dict[str, str]

    def _total(self, keep: object) -> Figures:
        out = Figures()
        for key, figures in self.cells.items():
            if keep is None or keep(key):  # type: ignore[operator]
                out.add(figures)
        return out

    @property
    def months(self) -> list[str]:
        return sorted({m for m, _ in self.cells} | set(months_between(self.start, self.end)))

    @property
    def counties(self) -> list[str]:
        return sorted({t.county for t in self.terminals.values()})

    def total(self) -> Figures:
        return self._total(None)

    def by_month(self, month: str) -> Figures:
        return self._total(lambda k: k[0] == month)

    def by_county(self, county: str) -> Figures:
        return self._total(lambda k: self.terminals[k[1]].county == county)

    def by_terminal(self, device_id: str) -> Figures:
        return self._total(lambda k: k[1] == device_id)

    def county_name(self, code: str) -> str:
        return self.county_names.get(code, code)

    @property
    def silent(self) -> list[Terminal]:
        return [t for t in self.terminals.values() if t.silent]


def months_between(start: dt.date, end: dt.date) -> list[str]:
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def region_prefix(code: str) -> str:
    """The code prefix all places inside a region share: 420900 (孝感市) → 4209, 420902 → 420902."""
    while len(code) > 2 and len(code) <= 6 and code.endswith("00"):
        code = code[:-2]
    return code


def parse_day(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ReportError(f"{name}: {text!r} is not a date (YYYY-MM-DD)") from None


def load_county_names(path: Path = ASSETS_DIR / "regions.csv") -> dict[str, str]:
    with open(path, encoding="utf-8") as fh:
        return {row["code"]: row["name"] for row in csv.DictReader(fh)}


def _count_usage(cell: Figures, name: str, n: int) -> None:
    if name.startswith("screen."):
        cell.screens += n
    elif name == "search":
        cell.searches += n
    elif name.startswith("service.") and name.endswith(".started"):
        cell.services_started += n
    elif name.startswith("service.") and name.endswith(".finished"):
        cell.services_finished += n


def _usage_slots(payload: dict[str, object]) -> Iterable[tuple[str, dict[str, int]]]:
    """(day or hour key, counters) from ``{"hours": …}`` or the older ``{"days": …}``."""
    for key in ("hours", "days"):
        slots = payload.get(key)
        if isinstance(slots, dict):
            for when, counters in slots.items():
                if isinstance(when, str) and isinstance(counters, dict):
                    yield when, {k: v for k, v in counters.items() if isinstance(v, int) and not isinstance(v, bool)}


def build_report(
    start: dt.date,
    end: dt.date,
    region: str | None = None,
    now: dt.datetime | None = None,
    county_names: dict[str, str] | None = None,
) -> Report:
    """Figures for events dated ``start``..``end`` (inclusive); call inside the hub database's context."""
    if end < start:
        raise ReportError(f"--to {end} is before --from {start}")
    names = county_names if county_names is not None else load_county_names()
    if region is not None and region not in names:
        raise ReportError(f"--region: {region!r} is not a known region code (see assets/regions.csv)")
    prefix = region_prefix(region) if region else ""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    as_of = min(now, dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    terminals: dict[str, Terminal] = {}
    for d in Device.select().where(Device.revoked.is_null()):
        if not d.region_code.startswith(prefix):
            continue
        last = d.last_seen
        terminals[d.device_id] = Terminal(
            d.device_id, d.name, d.region_code[:6], last, last is None or as_of - last > SILENT_AFTER
        )
    report = Report(start, end, region, as_of, terminals, {}, names)
    first, last_day = start.isoformat(), end.isoformat()

    def cell(day: str, device_id: str) -> Figures | None:
        if device_id not in terminals or not first <= day[:10] <= last_day:
            return None
        return report.cells.setdefault((day[:7], device_id), Figures())

    query = Event.select(Event.device_id, Event.kind, Event.created, Event.payload).where(
        Event.kind.in_(("usage", "rating", "request", "consult")), Event.device_id.in_(list(terminals) or [""])
    )
    for device_id, kind, created, text in query.tuples().iterator():
        try:
            payload = json.loads(text)
        except ValueError:
            continue
        if kind == "usage":
            for when, counters in _usage_slots(payload):
                target = cell(when, device_id)
                if target is not None:
                    for name, n in counters.items():
                        _count_usage(target, name, n)
            continue
        target = cell(created, device_id)
        if target is None:
            continue
        if kind == "rating":
            level = payload.get("level")
            if isinstance(level, int) and 1 <= level <= 5:
                target.ratings.append(level)
        elif kind == "request":
            request_kind = payload.get("kind")
            if request_kind in REQUEST_KINDS:
                target.requests[request_kind] += 1
        elif kind == "consult":
            outcome = payload.get("outcome")
            if outcome in target.consults:
                target.consults[outcome] += 1
                wait = payload.get("wait_seconds")
                if outcome == "answered" and isinstance(wait, int | float):
                    target.waits.append(float(wait))
    return report


# --- output ---------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "月份",
    "县区代码",
    "县区",
    "终端编号",
    "终端名称",
    "业务量",
    "页面打开",
    "搜索次数",
    "服务开始",
    "服务完成",
    *REQUEST_KINDS.values(),
    "评价数",
    "满意数",
    "满意率",
    "平均评分",
    "视频接通",
    "视频未接通",
    "视频离线",
    "视频取消",
    "接通率",
    "平均等待秒",
    "等待中位秒",
    "最后联系",
    "失联超过一天",
)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def figure_cells(f: Figures) -> list[object]:
    return [
        f.workload,
        f.screens,
        f.searches,
        f.services_started,
        f.services_finished,
        *(f.requests[k] for k in REQUEST_KINDS),
        len(f.ratings),
        f.satisfied,
        _pct(f.satisfaction),
        _num(f.mean_rating),
        f.consults["answered"],
        f.consults["missed"],
        f.consults["offline"],
        f.consults["cancelled"],
        _pct(f.answer_rate),
        _num(f.mean_wait),
        _num(f.median_wait),
    ]


def to_csv(report: Report) -> str:
    """One row per month and terminal (every terminal in every month, zeros included); UTF-8 with BOM."""
    out = io.StringIO()
    out.write("\ufeff")  # Excel in Chinese Windows reads UTF-8 only with the mark
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    order = sorted(report.terminals.values(), key=lambda t: (t.county, t.name, t.device_id))
    for month in report.months:
        for t in order:
            figures = report.cells.get((month, t.device_id), Figures())
            writer.writerow(
                [
                    month,
                    t.county,
                    report.county_name(t.county),
                    t.device_id,
                    t.name,
                    *figure_cells(figures),
                    t.last_seen.isoformat(timespec="minutes") if t.last_seen else "从未",
                    "是" if t.silent else "否",
                ]
            )
    return out.getvalue()
