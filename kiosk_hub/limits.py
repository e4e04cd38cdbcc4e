"""Rate limits kept in the registry database (so several workers share them): a GCRA per key.

Each limit allows ``burst`` requests at once and then one every ``period / burst`` seconds; a refusal
is ``429`` with ``Retry-After``. Limits apply per terminal and per client address; the numbers are
in ``hub.toml`` (``[rate_limits]``), with the defaults below.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass, field

import peewee as pw

from kiosk_hub.db import RateLimit, registry_db, write_tx


@dataclass(frozen=True)
class Limit:
    burst: int  # requests allowed at once
    period: float  # seconds in which ``burst`` requests are allowed again

    @property
    def interval(self) -> float:
        return self.period / self.burst


#: (what, per) → limit. ``per`` is "device" or "addr". Defaults sized for a terminal that syncs every
#: few minutes and retries with backoff, and for a village office where a few terminals share an address.
DEFAULT_LIMITS: dict[str, Limit] = {
    "enrol:addr": Limit(20, 3600.0),
    "events:device": Limit(600, 600.0),
    "events:addr": Limit(20000, 600.0),
    "heartbeat:device": Limit(300, 600.0),
    "heartbeat:addr": Limit(20000, 600.0),
    "consult:device": Limit(20, 600.0),
    "consult:addr": Limit(2000, 600.0),
    "phone:addr": Limit(5, 600.0),
    "phone:device": Limit(30, 600.0),
}


def configured(overrides: dict[str, list[float]]) -> dict[str, Limit]:
    """The defaults with ``hub.toml``'s ``rate_limits`` applied (``[0, 0]`` removes a limit)."""
    limits = dict(DEFAULT_LIMITS)
    for key, (burst, period) in overrides.items():
        if burst <= 0 or period <= 0:
            limits.pop(key, None)
        else:
            limits[key] = Limit(int(burst), float(period))
    return limits


class RateLimited(Exception):
    def __init__(self, what: str, retry_after: float):
        super().__init__(f"too many {what} requests; try again in {math.ceil(retry_after)} s")
        self.what = what
        self.retry_after = max(1, math.ceil(retry_after))


@dataclass
class RateLimits:
    limits: dict[str, Limit] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    enabled: bool = True

    def check(self, what: str, device_id: str = "", address: str = "") -> None:
        """Count one ``what`` request from this terminal and address; raise :class:`RateLimited` when over."""
        if not self.enabled:
            return
        for per, ident in (("device", device_id), ("addr", address)):
            limit = self.limits.get(f"{what}:{per}")
            if limit is not None and ident:
                self._take(f"{what}:{per}:{ident}", limit, what)

    def peek(self, what: str, device_id: str = "", address: str = "") -> None:
        """Raise :class:`RateLimited` if one more ``what`` would be refused now, counting nothing."""
        if not self.enabled:
            return
        now = time.time()
        for per, ident in (("device", device_id), ("addr", address)):
            limit = self.limits.get(f"{what}:{per}")
            if limit is None or not ident:
                continue
            row = RateLimit.get_or_none(RateLimit.key == f"{what}:{per}:{ident}")
            if row is not None:
                allowed_at = max(row.tat, now) + limit.interval - limit.period
                if allowed_at > now:
                    raise RateLimited(what, allowed_at - now)

    def _take(self, key: str, limit: Limit, what: str, now: float | None = None) -> None:
        """One statement when allowed (an upsert that moves the arrival time only if the request fits the
        burst); a second one, to say how long to wait, only when refused. Inside the caller's write
        transaction when there is one (a heartbeat counts and writes in one commit)."""
        now = time.time() if now is None else now
        db = registry_db()
        table = RateLimit._meta.table_name
        later = "GREATEST" if isinstance(db, pw.PostgresqlDatabase) else "MAX"  # SQLite's two-argument MAX
        p = db.param
        sql = (
            f"INSERT INTO {table} (key, tat) VALUES ({p}, {p}) "
            f"ON CONFLICT (key) DO UPDATE SET tat = {later}({table}.tat, {p}) + {p} "
            f"WHERE {later}({table}.tat, {p}) + {p} - {p} <= {p} RETURNING tat"
        )
        params = (key, now + limit.interval, now, limit.interval, now, limit.interval, limit.period, now)
        with contextlib.nullcontext() if db.in_transaction() else write_tx():
            if db.execute_sql(sql, params).fetchone() is not None:
                return
            row = RateLimit.get_or_none(RateLimit.key == key)
        tat = max(row.tat if row is not None else now, now)
        raise RateLimited(what, tat + limit.interval - limit.period - now)

    def forget_old(self, now: float | None = None) -> int:
        """Drop keys whose limit has fully recovered (the daily job)."""
        now = time.time() if now is None else now
        with write_tx():
            return int(RateLimit.delete().where(RateLimit.tat < now).execute())
