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
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.paths import ASSETS_DIR
from kiosk_hub import models
from kiosk_hub.db import Device, Event

REQUEST_KINDS = {"appointment": "预约办理", "callback": "预约回电", "mediation": "调解申请", "complaint": "投诉"}
SILENT_AFTER = dt.timedelta(days=1)
#: Report times and days are Beijing time (China has no daylight saving: a fixed offset is exact).
CST = dt.timezone(dt.timedelta(hours=8), "CST")
#: Rows written before the hub checked its input may hold anything: the report counts only what a
#: terminal could have sent (the same bounds as kiosk_hub.models) and skips the rest.
MAX_COUNT = models.MAX_COUNT
MAX_SECONDS = models.MAX_SECONDS


def local(when: dt.datetime) -> dt.datetime:
    """A naive UTC time from the registry as Beijing time (naive, for display)."""
    return when.replace(tzinfo=dt.UTC).astimezone(CST).replace(tzinfo=None)


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
    last_seen: dt.datetime | None  # Beijing time
    silent: bool
    revoked: dt.datetime | None = None  # Beijing time: 已停用 since then (kept for the periods it served)
    enrolled: dt.datetime | None = None

    @property
    def label(self) -> str:
        return f"{self.name}（已停用）" if self.revoked else self.name

    def served(self, month: str) -> bool:
        """Whether the terminal was enrolled and not yet revoked in some part of ``month`` (YYYY-MM)."""
        after = self.enrolled is None or f"{self.enrolled:%Y-%m}" <= month
        before = self.revoked is None or month <= f"{self.revoked:%Y-%m}"
        return after and before


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
    if not 0 <= n <= MAX_COUNT:
        return  # forged or corrupt (a count of thousands of digits once broke every report)
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


def _seconds(value: object) -> bool:
    """A wait a terminal could have measured: a finite number of seconds within a day."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and 0 <= value <= MAX_SECONDS


def _local_day(created: str) -> str:
    """The Beijing day of a terminal's ISO 8601 time ("" when it is not one)."""
    try:
        when = dt.datetime.fromisoformat(created)
    except (TypeError, ValueError):
        return ""
    if when.tzinfo is None:
        return f"{when:%Y-%m-%d}"  # older rows without a zone: taken as the terminal's local time
    return f"{when.astimezone(CST):%Y-%m-%d}"


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
    # The period is Beijing days: ``end`` runs to 24:00 CST, i.e. 16:00 UTC.
    period_end_utc = dt.datetime.combine(end + dt.timedelta(days=1), dt.time()) - dt.timedelta(hours=8)
    period_start_utc = dt.datetime.combine(start, dt.time()) - dt.timedelta(hours=8)
    as_of = min(now, period_end_utc)
    terminals: dict[str, Terminal] = {}
    bounds: dict[str, tuple[str, str]] = {}  # device → (earliest, latest) Beijing day an event may carry
    # Revoked terminals stay for the periods they served: revoked after the period began.
    served = Device.revoked.is_null() | (Device.revoked >= period_start_utc)
    for d in Device.select().where(served, Device.enrolled < period_end_utc):
        if not d.region_code.startswith(prefix):
            continue
        last = d.last_seen
        silent = d.revoked is None and (last is None or as_of - last > SILENT_AFTER)
        terminals[d.device_id] = Terminal(
            d.device_id,
            d.name,
            d.region_code[:6],
            local(last) if last else None,
            silent,
            local(d.revoked) if d.revoked else None,
            local(d.enrolled),
        )
        earliest = local(d.enrolled - models.PAST_SKEW - dt.timedelta(days=1))
        latest = local(min(d.revoked or now, now) + dt.timedelta(days=1))
        bounds[d.device_id] = (f"{earliest:%Y-%m-%d}", f"{latest:%Y-%m-%d}")
    report = Report(start, end, region, local(as_of), terminals, {}, names)
    first, last_day = start.isoformat(), end.isoformat()

    def cell(day: str, device_id: str) -> Figures | None:
        if device_id not in terminals or not first <= day[:10] <= last_day:
            return None
        low, high = bounds[device_id]
        if not low <= day[:10] <= high:
            return None  # backdated or post-dated beyond what the terminal's life allows
        return report.cells.setdefault((day[:7], device_id), Figures())

    query = Event.select(Event.device_id, Event.kind, Event.created, Event.payload).where(
        Event.kind.in_(("usage", "rating", "request", "consult")), Event.device_id.in_(list(terminals) or [""])
    )
    for device_id, kind, created, text in query.tuples().iterator():
        try:
            payload = json.loads(text)
        except ValueError:  # includes integers too long to convert
            continue
        if not isinstance(payload, dict):
            continue
        if kind == "usage":
            for when, counters in _usage_slots(payload):
                target = cell(when, device_id)
                if target is not None:
                    for name, n in counters.items():
                        _count_usage(target, name, n)
            continue
        target = cell(_local_day(created), device_id)
        if target is None:
            continue
        if kind == "rating":
            level = payload.get("level")
            if isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= 5:
                target.ratings.append(level)
        elif kind == "request":
            request_kind = payload.get("kind")
            if request_kind in REQUEST_KINDS:
                target.requests[request_kind] += 1
        elif kind == "consult":
            outcome = payload.get("outcome")
            if isinstance(outcome, str) and outcome in target.consults:
                target.consults[outcome] += 1
                wait = payload.get("wait_seconds")
                if outcome == "answered" and _seconds(wait):
                    target.waits.append(float(wait))  # type: ignore[arg-type]
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
    "状态",
)


def csv_safe(value: object) -> object:
    """A text cell a spreadsheet would run as a formula (= + - @, or a tab/CR first) gets a leading '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


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
            if not t.served(month):
                continue
            figures = report.cells.get((month, t.device_id), Figures())
            row = [
                month,
                t.county,
                report.county_name(t.county),
                t.device_id,
                t.name,
                *figure_cells(figures),
                t.last_seen.isoformat(timespec="minutes") if t.last_seen else "从未",
                "是" if t.silent else "否",
                f"已停用（{t.revoked:%Y-%m-%d}）" if t.revoked else "在用",
            ]
            writer.writerow([csv_safe(cell) for cell in row])
    return out.getvalue()
