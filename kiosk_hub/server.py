"""``kiosk-hub serve``: the static repository under ``/repo/`` and the JSON API under ``/api/v1/``.

A threading HTTP/1.1 server from the standard library: the repository is plain files (with Range
support, so a terminal resumes a cut download) and could as well be served by nginx or a CDN; the
API is small. Put a TLS-terminating reverse proxy in front of it in production.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import peewee as pw

from kiosk_hub import api
from kiosk_hub.broker import TEST_ROOM_PAGE, JitsiBroker
from kiosk_hub.faults import FaultInjector, Rule
from kiosk_hub.tufrepo import TufRepo

MAX_BODY = 4 * 1024 * 1024
CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


class HubApp:
    def __init__(
        self,
        repo: TufRepo,
        db: pw.Database,
        ctx: api.Context,
        admin_token: str,
        faults: FaultInjector | None = None,
        access_log: bool = False,
    ):
        self.repo = repo
        self.db = db
        self.ctx = ctx
        self.admin_token = admin_token
        self.faults = faults
        self.access_log = access_log

    def route(self, method: str, path: str, headers: Any, body: dict[str, Any]) -> api.Reply:
        parts = [p for p in path.split("/") if p][2:]  # after /api/v1
        auth = headers.get("Authorization")
        match (method, parts):
            case ("POST", ["enrol"]):
                return api.enrol(body, self.ctx)
            case ("POST", ["enrol", "check"]):
                return api.enrol_check(body, self.ctx)
            case ("GET", ["device"]):
                return api.device_info(api.authenticate(auth))
            case ("POST", ["events"]):
                return api.ingest(api.authenticate(auth), body)
            case ("POST", ["heartbeat"]):
                return api.heartbeat(api.authenticate(auth), body)
            case ("POST", ["consult", "sessions"]):
                return api.consult_create(api.authenticate(auth), body, self.ctx)
            case ("GET", ["consult", "sessions", sid]):
                return api.consult_get(api.authenticate(auth), sid)
            case ("POST", ["consult", "sessions", sid, "cancel"]):
                return api.consult_change(sid, "cancel", body, api.authenticate(auth))
            case (_, ["admin", *rest]):
                api.check_admin(auth, self.admin_token)
                return self._admin(method, rest, body)
        raise api.ApiError(404, "not_found", f"no {method} {path}")

    def _admin(self, method: str, rest: list[str], body: dict[str, Any]) -> api.Reply:
        match (method, rest):
            case ("GET", ["devices"]):
                return api.devices()
            case ("POST", ["devices", device_id, "revoke"]):
                return api.revoke(device_id)
            case ("PUT", ["devices", device_id, "settings"]):
                return api.set_settings(device_id, body)
            case ("GET", ["consult", "sessions"]):
                return api.consult_list()
            case ("GET", ["consult", "sessions", sid]):
                return api.consult_get_any(sid)
            case ("POST", ["consult", "sessions", sid, action]) if action in ("answer", "end"):
                return api.consult_change(sid, action, body)
        raise api.ApiError(404, "not_found", "no such admin call")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kiosk-hub"
    timeout = 60  # seconds a client may take to send its request
    server: HubServer

    @property
    def app(self) -> HubApp:
        return self.server.app

    def log_message(self, format: str, *args: Any) -> None:
        if self.app.access_log:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _record(self, status: int, sent: int) -> None:
        if self.app.faults is not None:
            self.app.faults.record(
                {
                    "method": self.command,
                    "path": self._path(),
                    "status": status,
                    "sent": sent,
                    "range": self.headers.get("Range"),
                    "time": time.time(),
                }
            )

    def _path(self) -> str:
        return unquote(urlsplit(self.path).path)

    # --- plumbing ---------------------------------------------------------------------------------

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json",
        extra: dict[str, str] | None = None,
        rule: Rule | None = None,
    ) -> None:
        announced = len(body)
        if rule is not None and rule.action == "oversize":
            body += b" " * rule.extra_bytes
            announced = len(body)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(announced))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        sending = 0 if self.command == "HEAD" else len(body)
        if rule is not None and rule.action in ("cut", "stall"):
            sending = min(sending, rule.after_bytes)
        self._record(status, sending)  # before writing: a client that hangs up must not hide the request
        if self.command != "HEAD":
            self._body(body, rule)

    def _body(self, body: bytes, rule: Rule | None) -> None:
        if rule is not None and rule.action in ("cut", "stall"):
            self.wfile.write(body[: rule.after_bytes])
            self.wfile.flush()
            if rule.action == "stall":
                time.sleep(rule.seconds)
            self._abort()
            return
        self.wfile.write(body)

    def _abort(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        raise ConnectionAbortedError("fault injected")

    def _json(
        self, status: int, obj: dict[str, Any], rule: Rule | None = None, extra: dict[str, str] | None = None
    ) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode(), extra=extra, rule=rule)

    def _read_body(self) -> dict[str, Any]:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise api.ApiError(411, "length_required", "Content-Length is required")
        if int(length) > MAX_BODY:
            raise api.ApiError(413, "too_large", f"request body larger than {MAX_BODY} bytes")
        raw = self.rfile.read(int(length))
        if not raw:
            return {}
        try:
            body = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise api.bad("the body is not JSON") from None
        if not isinstance(body, dict):
            raise api.bad("the body must be a JSON object")
        return body

    def _handle(self) -> None:
        path = self._path()
        rule = self.app.faults.take(self.command, path) if self.app.faults is not None else None
        try:
            if path.startswith("/_test/") and self.app.faults is not None:
                return self._test_api(path)
            if rule is not None and rule.action == "drop":
                self._record(0, 0)
                return self._abort()
            if rule is not None and rule.action == "status":
                extra = {"Retry-After": rule.retry_after} if rule.retry_after is not None else {}
                if self.command in ("POST", "PUT"):
                    self.rfile.read(int(self.headers.get("Content-Length") or 0))
                return self._json(rule.status, {"error": "injected", "message": "fault injected"}, extra=extra)
            if path.startswith("/repo/") and self.command in ("GET", "HEAD"):
                return self._static(path[len("/repo/") :], rule)
            if path == "/healthz":
                return self._json(200, {"ok": True})
            if path == "/report" and self.command == "GET":
                return self._report()
            if path == "/consult" and self.command in ("GET", "POST"):
                return self._phone_consult()
            if path.startswith("/api/v1/"):
                body = self._read_body() if self.command in ("POST", "PUT") else {}
                with self.app.db.connection_context():
                    status, reply = self.app.route(self.command, path, self.headers, body)
                return self._json(status, reply, rule)
            raise api.ApiError(404, "not_found", f"no {path}")
        except api.ApiError as exc:
            status, reply = exc.reply()
            self._json(status, reply)
        except ConnectionError:
            self.close_connection = True
        except Exception as exc:  # a bug: answer 500 and keep serving
            sys.stderr.write(f"internal error on {self.command} {path}: {exc!r}\n")
            self._json(500, {"error": "internal", "message": "internal error"})

    do_GET = do_HEAD = do_POST = do_PUT = _handle

    # --- the static repository --------------------------------------------------------------------

    def _static(self, rel: str, rule: Rule | None) -> None:
        base = self.app.repo.paths.repo.resolve()
        target = (base / rel).resolve()
        if base not in target.parents or not target.is_file():
            raise api.ApiError(404, "not_found", "no such file")
        size = target.stat().st_size
        start, end, status = 0, size - 1, 200
        header = self.headers.get("Range")
        if header:
            match = _RANGE.match(header.strip())
            if match is None or int(match[1]) >= max(size, 1):
                self._record(416, 0)
                return self._json(416, {"error": "bad_range"}, extra={"Content-Range": f"bytes */{size}"})
            start = int(match[1])
            end = min(int(match[2]), size - 1) if match[2] else size - 1
            status = 206
        mutable = target.name in ("timestamp.json", "root.json")
        extra = {
            "Cache-Control": "no-cache" if mutable else "public, max-age=31536000, immutable",
            "Accept-Ranges": "bytes",
        }
        if status == 206:
            extra["Content-Range"] = f"bytes {start}-{end}/{size}"
        with target.open("rb") as f:
            f.seek(start)
            body = f.read(end - start + 1)
        ctype = "application/json" if target.suffix == ".json" else "application/octet-stream"
        self._send(status, body, ctype, extra, rule)

    # --- a consultation from a resident's phone ------------------------------------------------------

    def _phone_consult(self) -> None:
        """GET: a page for phones (the terminal's QR code when it cannot call); POST: queue a session
        for the on-duty lawyers like a terminal's and go to its room."""
        if self.command == "POST":
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with self.app.db.connection_context():
                session = api.new_consult_session(api.PHONE, "手机扫码", self.app.ctx)
            return self._send(303, b"", "text/plain", {"Location": session.room_url}, None)
        return self._send(200, PHONE_PAGE.encode(), "text/html; charset=utf-8", {"Cache-Control": "no-store"}, None)

    # --- the operators' report ---------------------------------------------------------------------

    def _report(self) -> None:
        """GET /report?from=YYYY-MM-DD&to=YYYY-MM-DD[&region=CODE][&format=csv]: HTML by default."""
        from kiosk_hub.report import ReportError, build_report, parse_day, to_csv
        from kiosk_hub.report_html import to_html

        try:
            api.check_admin(self.headers.get("Authorization"), self.app.admin_token)
        except api.ApiError:
            body = "需要管理令牌：用户名任意，密码填写 hub 目录中 admin.token 的内容。".encode()
            extra = {"WWW-Authenticate": 'Basic realm="kiosk-hub report", charset="UTF-8"'}
            return self._send(401, body, "text/plain; charset=utf-8", extra, None)
        query = parse_qs(urlsplit(self.path).query)
        today = dt.date.today()
        try:
            start = parse_day(query.get("from", [today.replace(day=1).isoformat()])[0], "from")
            end = parse_day(query.get("to", [today.isoformat()])[0], "to")
            with self.app.db.connection_context():
                report = build_report(start, end, query.get("region", [None])[0] or None)
        except ReportError as exc:
            return self._send(400, str(exc).encode(), "text/plain; charset=utf-8", {}, None)
        if query.get("format", ["html"])[0] == "csv":
            extra = {"Content-Disposition": f'attachment; filename="report-{start}-{end}.csv"'}
            return self._send(200, to_csv(report).encode("utf-8"), "text/csv; charset=utf-8", extra, None)
        return self._send(200, to_html(report).encode(), "text/html; charset=utf-8", {}, None)

    # --- the test API -------------------------------------------------------------------------------

    def _test_api(self, path: str) -> None:
        faults = self.app.faults
        assert faults is not None
        body = self._read_body() if self.command == "POST" else {}
        if path == "/_test/faults" and self.command == "POST":
            try:
                faults.set_rules(body.get("rules", []))
            except (TypeError, ValueError) as exc:
                raise api.bad(str(exc)) from None
            return self._json(200, {"ok": True})
        if path == "/_test/clock" and self.command == "POST":
            offset = body.get("offset_seconds")
            if isinstance(offset, bool) or not isinstance(offset, (int, float)):
                raise api.bad("offset_seconds must be a number")
            api.set_clock_offset(offset)
            return self._json(200, {"ok": True})
        if path == "/_test/log":
            return self._json(200, faults.snapshot())
        if path.startswith("/_test/room/") and self.command == "GET":
            # A stand-in for the video service's room: asks for camera and microphone like a real one.
            return self._send(200, TEST_ROOM_PAGE.encode(), "text/html; charset=utf-8", {}, None)
        if path == "/_test/reset" and self.command == "POST":
            faults.reset()
            api.set_clock_offset(0)
            return self._json(200, {"ok": True})
        raise api.ApiError(404, "not_found", "no such test call")


PHONE_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>公共法律服务 · 视频咨询</title>
<style>body{font:18px/1.6 sans-serif;margin:24px;color:#1b2430}h1{font-size:24px;color:#0b3a82}
a,button{display:block;width:100%;box-sizing:border-box;margin:14px 0;padding:16px;border-radius:12px;
font-size:20px;text-align:center;text-decoration:none;border:0}
.call{background:#0b3a82;color:#fff}.video{background:#e8eef8;color:#0b3a82}</style></head><body>
<h1>公共法律服务 · 咨询值班律师</h1>
<p>免费。拨打 12348 法律服务热线，或在手机上与值班律师视频通话（需要允许使用摄像头和麦克风）。</p>
<a class="call" href="tel:12348">拨打 12348</a>
<form method="post" action="/consult"><button class="video" type="submit">开始视频咨询</button></form>
<p>咨询不收集您的姓名和电话。</p></body></html>
"""


class HubServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: HubApp):
        self.app = app
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return  # a client went away: normal on village networks
        super().handle_error(request, client_address)


def refresher(repo: TufRepo, interval: float, stop: threading.Event) -> threading.Thread:
    """Re-sign the timestamp (and what else nears expiry) every ``interval`` seconds."""

    def loop() -> None:
        while not stop.wait(interval):
            try:
                done = repo.refresh()
                if done:
                    sys.stderr.write(f"re-signed {', '.join(done)}\n")
            except Exception as exc:  # keep serving; the next round tries again
                sys.stderr.write(f"metadata refresh failed: {exc!r}\n")

    thread = threading.Thread(target=loop, name="tuf-refresh", daemon=True)
    thread.start()
    return thread


def serve(app: HubApp, host: str, port: int, refresh_interval: float | None) -> None:
    server = HubServer((host, port), app)
    stop = threading.Event()
    if refresh_interval:
        refresher(app.repo, refresh_interval, stop)
    bound_host, bound_port = server.server_address[:2]
    if not app.ctx.repository_url:
        app.ctx.repository_url = f"http://{bound_host!s}:{bound_port}/repo/"
    if isinstance(app.ctx.broker, JitsiBroker) and not app.ctx.broker.hub_url:
        app.ctx.broker.hub_url = f"http://{bound_host!s}:{bound_port}"
    print(f"kiosk-hub listening on http://{bound_host!s}:{bound_port}/", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
