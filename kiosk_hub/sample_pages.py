"""Screenshots of the operators' pages as a real hub serves them (示例 data only):

    python -m kiosk_hub.sample_pages OUT_DIR
        hub-desk.png           the requests desk, seen by a request handler
        hub-report-viewer.png  the report page, seen by a report viewer (who gets 403 on the desk)

A temporary hub (``kiosk-hub init`` + ``serve`` on 127.0.0.1), the sample report's terminals and
events, a few sample requests sent through the API; pages fetched over HTTP with each role's
password and rendered with headless chromium.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import requests

from kiosk_hub.sample_report import render_png

PASSWORD = "sample-password-1"
REQUESTS = (
    ("callback", "张示例", "13800000001", "工伤赔偿怎么算，单位不认工伤", "工作日上午"),
    ("appointment", "王示例", "13800000002", "想预约律师看一下租房合同", "周三下午"),
    ("mediation", "李示例", "0712-2345678", "邻居装修漏水到我家，协商不成", ""),
    ("complaint", "赵示例", "13800000004", "法律服务所收费没有开发票", ""),
    ("callback", "陈示例", "13800000005", "拖欠工资三个月，怎么申请仲裁", "尽快"),
)


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "hub"
        cli = [sys.executable, "-m", "kiosk_hub.cli", "--data-dir", str(root)]
        subprocess.run([*cli, "init"], check=True, capture_output=True, env=env)
        _fill(root)
        for name, role in (("viewer1", "viewer"), ("handler1", "handler")):
            subprocess.run(
                [*cli, "user", "add", name, "--role", role, "--password-stdin"],
                input=PASSWORD + "\n", check=True, capture_output=True, text=True, env=env,
            )  # fmt: skip
        serve = [*cli, "serve", "--port", "0", "--no-refresh", "--no-access-log"]
        proc = subprocess.Popen(serve, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().rsplit(" ", 1)[1].strip()
            token = _enrol(root, cli, env, url)
            events = [_request(i, *r) for i, r in enumerate(REQUESTS)]
            reply = requests.post(url + "api/v1/events", json={"events": events}, timeout=30,
                                  headers={"Authorization": f"Bearer {token}"})  # fmt: skip
            reply.raise_for_status()
            handler, viewer = ("handler1", PASSWORD), ("viewer1", PASSWORD)
            first = requests.get(url + "api/v1/desk/requests", auth=handler, timeout=30).json()["requests"]
            requests.post(url + f"desk/{first[-1]['id']}", data={"status": "called"}, auth=handler, timeout=30)
            requests.post(url + f"desk/{first[-2]['id']}", data={"status": "done"}, auth=handler, timeout=30)
            desk = requests.get(url + "desk", auth=handler, timeout=30)
            report = requests.get(url + "report", params={"from": "2026-09-01", "to": "2026-11-27"}, auth=viewer)
            refused = requests.get(url + "desk", auth=viewer, timeout=30)
            print(f"desk as handler: {desk.status_code}; report as viewer: {report.status_code}; "
                  f"desk as viewer: {refused.status_code}")  # fmt: skip
            render_png(desk.text, out / "hub-desk.png", height=900)
            render_png(report.text, out / "hub-report-viewer.png", height=2000)
        finally:
            proc.terminate()
            proc.wait(10)
    print(f"wrote {out / 'hub-desk.png'} and {out / 'hub-report-viewer.png'}")
    return 0


def _fill(root: Path) -> None:
    from kiosk_hub.db import open_hub_db
    from kiosk_hub.sample_report import fill

    db = open_hub_db("", root / "hub.sqlite3")
    with db.connection_context():
        fill(dt.date(2026, 9, 1), 88)
    db.close()


def _enrol(root: Path, cli: list[str], env: dict[str, str], url: str) -> str:
    code = subprocess.run(
        [*cli, "enrol-code", "--name", "书院街道便民服务中心 2号机（示例）"], check=True, capture_output=True,
        text=True, env=env,
    ).stdout.strip()  # fmt: skip
    body = {"code": code, "request_id": "sample", "name": "书院街道便民服务中心 2号机（示例）",
            "region_code": "420902", "latitude": 30.92, "longitude": 113.91}  # fmt: skip
    reply = requests.post(url + "api/v1/enrol", json=body, timeout=30)
    reply.raise_for_status()
    token: str = reply.json()["token"]
    return token


def _request(i: int, kind: str, name: str, phone: str, matter: str, when: str) -> dict[str, object]:
    created = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=5 - i)).isoformat(timespec="seconds")
    payload = {"kind": kind, "reference": f"261204-SAMPL{i}", "name": name, "phone": phone, "matter": matter}
    if when:
        payload["preferred_time"] = when
    return {"id": uuid.uuid4().hex, "kind": "request", "created": created, "payload": payload}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
