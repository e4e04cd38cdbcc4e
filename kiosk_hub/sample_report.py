"""A sample report for the documentation: six fictional terminals (示例) in three counties, three
months of plausible events from a fixed random seed, rendered to HTML and to a PNG picture.

    python -m kiosk_hub.sample_report OUT_DIR      # writes hub-report.html and hub-report.png
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

from kiosk_hub.db import Device, Event, open_hub_db
from kiosk_hub.report import build_report
from kiosk_hub.report_html import to_html

TERMINALS = (
    ("420902", "书院街道便民服务中心（示例）", 1.0),
    ("420902", "新华街道社区（示例）", 0.8),
    ("420921", "孝昌县花园镇（示例）", 0.6),
    ("420921", "孝昌县周巷镇（示例）", 0.4),
    ("420981", "应城市城中街道（示例）", 0.7),
    ("420981", "应城市杨岭镇（示例）", 0.0),  # silent: a village whose network has been down
)


def fill(start: dt.date, days: int, seed: int = 7) -> dt.datetime:
    """Devices and events in the open hub database; returns the report's 'now'."""
    rng = random.Random(seed)
    now = dt.datetime.combine(start + dt.timedelta(days=days), dt.time(18))
    for i, (county, name, activity) in enumerate(TERMINALS):
        device_id = f"sample-{i}"
        Device.create(
            device_id=device_id,
            name=name,
            region_code=county,
            latitude=30.9,
            longitude=113.9,
            token_hash=uuid.uuid4().hex,
            enrolled=dt.datetime.combine(start, dt.time()) - dt.timedelta(days=1),
            last_seen=now - dt.timedelta(days=4 if activity == 0 else 0, hours=rng.randint(0, 5)),
        )
        rows: list[tuple[str, str, dict[str, Any]]] = []
        for d in range(days if activity else days - 5):
            day = start + dt.timedelta(days=d)
            busy = activity * (0.6 if day.weekday() >= 5 else 1.0)
            hours = {}
            for hour in (9, 11, 15):
                hours[f"{day}T{hour:02d}"] = {
                    "screen.laws": rng.randint(0, int(12 * busy) + 1),
                    "search": rng.randint(0, int(8 * busy) + 1),
                    "service.legal_aid.started": (started := rng.randint(0, int(2 * busy) + 1)),
                    "service.legal_aid.finished": rng.randint(0, started),
                    "service.consult.started": rng.randint(0, int(busy) + 1),
                }
            rows.append(("usage", f"{day}T20:00:00", {"hours": hours}))
            for _ in range(rng.randint(0, int(4 * busy) + 1)):
                level = rng.choices((5, 4, 3, 2, 1), weights=(40, 30, 15, 10, 5))[0]
                rows.append(("rating", f"{day}T10:00:00", {"service": "consult", "level": level}))
            if rng.random() < busy * 0.5:
                kind = rng.choice(("appointment", "callback", "mediation", "complaint"))
                rows.append(("request", f"{day}T11:00:00", {"kind": kind}))
            for _ in range(rng.randint(0, int(2 * busy))):
                outcome = rng.choices(("answered", "missed", "cancelled"), weights=(75, 18, 7))[0]
                wait = round(rng.uniform(4, 28) if outcome == "answered" else 30.0, 1)
                rows.append(("consult", f"{day}T14:00:00", {"outcome": outcome, "wait_seconds": wait}))
        Event.insert_many(
            [
                {
                    "event_id": uuid.uuid4().hex,
                    "device_id": device_id,
                    "kind": kind,
                    "created": created,
                    "payload": json.dumps(payload),
                }
                for kind, created, payload in rows
            ]
        ).execute()
    return now


def render_png(html: str, target: Path, width: int = 1280, height: int = 2400) -> None:
    """Render with Debian's headless chromium (no Qt in the platform: kiosk_hub never imports kiosk.ui)."""
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("chromium is needed for the PNG (apt-get install chromium); the HTML is written")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={tmp}/profile",
                f"--window-size={width},{height}",
                f"--screenshot={target.resolve()}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    start = dt.date(2026, 9, 1)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_hub_db("", Path(tmp) / "hub.sqlite3")
        with db.connection_context():
            now = fill(start, 88)
            report = build_report(start, dt.date(2026, 11, 27), now=now)
        db.close()
    html = to_html(report)
    (out / "hub-report.html").write_text(html, encoding="utf-8")
    render_png(html, out / "hub-report.png")
    print(f"wrote {out / 'hub-report.html'} and {out / 'hub-report.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
