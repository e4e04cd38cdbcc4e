"""The hub's HTTP application (ASGI, Starlette): the API under ``/api/v1/``, ``/repo/``, ``/report``,
``/consult`` and ``/healthz``.

Every request body is limited before it is read (:func:`body_limit`); JSON bodies are parsed here
and checked by :mod:`kiosk_hub.api`. Database work runs in Starlette's thread pool, one peewee
connection per thread, kept open.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import peewee as pw
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from kiosk_hub import accounts, api, consult_api
from kiosk_hub.faults import FaultInjector
from kiosk_hub.static import serve_file
from kiosk_hub.tufrepo import TufRepo

log = logging.getLogger("kiosk_hub")
access = logging.getLogger("kiosk_hub.access")

KIB = 1024
#: The largest body each kind of request may carry; anything else (GET, /healthz …) may carry none to speak of.
BODY_LIMITS: list[tuple[str, str, int]] = [
    ("POST", "/api/v1/events", 4 * KIB * KIB),
    ("POST", "/api/v1/heartbeat", 64 * KIB),
    ("POST", "/api/v1/enrol", 8 * KIB),
    ("POST", "/api/v1/consult/", 8 * KIB),
    ("POST", "/api/v1/admin/", 64 * KIB),
    ("PUT", "/api/v1/admin/", 64 * KIB),
    ("POST", "/consult", 4 * KIB),
]
DEFAULT_BODY_LIMIT = 4 * KIB


def body_limit(method: str, path: str) -> int:
    for m, prefix, limit in BODY_LIMITS:
        if method == m and path.startswith(prefix):
            return limit
    return DEFAULT_BODY_LIMIT


@dataclass
class HubApp:
    repo: TufRepo
    db: pw.Database
    ctx: api.Context
    admin_token: str
    faults: FaultInjector | None = None
    access_log: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def require(self, header: str | None, roles: tuple[str, ...]) -> accounts.Who:
        """The caller, if their role is one of ``roles``: else 401 (who are you?) or 403 (not yours)."""
        who = accounts.authenticate(header, self.admin_token)
        if who is None:
            raise api.ApiError(
                401,
                "unauthorized",
                "an operator account (or the admin token) is required",
                {"WWW-Authenticate": 'Basic realm="kiosk-hub", charset="UTF-8"'},
            )
        if who.role not in roles:
            raise api.ApiError(403, "forbidden", f"the role {who.role} may not do this")
        return who

    def in_db(self, fn: Any, *args: Any) -> Any:
        """Run ``fn`` on this thread's connection (opened once per worker thread)."""
        self.db.connect(reuse_if_open=True)
        try:
            return fn(*args)
        except pw.InterfaceError:
            self.db.close()
            raise


class TooLarge(api.ApiError):
    def __init__(self, limit: int):
        super().__init__(413, "too_large", f"request body larger than {limit} bytes")


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and int(declared) > limit:  # h11 has refused a non-numeric length already
        raise TooLarge(limit)
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise TooLarge(limit)
    return bytes(raw)


def parse_json(raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        body = json.loads(raw, parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise api.bad("the body is not JSON") from None
    except ValueError as exc:  # NaN / Infinity, or an integer of thousands of digits
        raise api.bad(f"the body is not plain JSON: {exc}") from None
    if not isinstance(body, dict):
        raise api.bad("the body must be a JSON object")
    return body


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def json_response(status: int, obj: dict[str, Any], extra: dict[str, str] | None = None) -> Response:
    body = json.dumps(obj, ensure_ascii=False).encode()
    return Response(body, status, headers=extra, media_type="application/json")


class HubASGI:
    """The ASGI callable: dispatch, errors as JSON, an access log line per request."""

    def __init__(self, app: HubApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        started = time.monotonic()
        status_box: dict[str, int] = {"status": 0, "bytes": 0}

        async def logged_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                status_box["status"] = message["status"]
            elif message["type"] == "http.response.body":
                status_box["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.dispatch(scope, receive, logged_send)
        finally:
            if self.app.access_log:
                # No query string, no client address, no body: nothing that could name a resident.
                access.info(
                    "%s %s %d %dB %.1fms",
                    scope["method"],
                    scope["path"].encode("unicode_escape").decode("ascii")[:200],
                    status_box["status"],
                    status_box["bytes"],
                    (time.monotonic() - started) * 1000,
                )

    async def dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        method, path = scope["method"], scope["path"]
        if path.startswith("/repo/") and method in ("GET", "HEAD"):
            return await serve_file(self.app.repo.paths.repo, path[len("/repo/") :], scope, receive, send)
        request = Request(scope, receive)
        try:
            response = await self.handle(request, method, path)
        except api.ApiError as exc:
            status, reply = exc.reply()
            extra = dict(exc.headers)
            if isinstance(exc, TooLarge):
                extra["Connection"] = "close"  # do not read on: the rest of the body is not a request
            response = json_response(status, reply, extra)
        except Exception:  # a bug: log it whole, answer 500, keep serving
            log.exception("internal error on %s %s", method, path.encode("unicode_escape").decode("ascii"))
            response = json_response(500, {"error": "internal", "message": "internal error"})
        await response(scope, receive, send)

    async def handle(self, request: Request, method: str, path: str) -> Response:
        from kiosk_hub import pages

        if "\x00" in path:
            raise api.bad("the path contains a NUL character")
        limit = body_limit(method, path)
        if path == "/healthz":
            return json_response(200, {"ok": True})
        if path == "/report" and method in ("GET", "HEAD"):
            return await run_in_threadpool(self.app.in_db, pages.report, self.app, request)
        if path == "/fleet" and method in ("GET", "HEAD"):
            return await run_in_threadpool(self.app.in_db, pages.fleet, self.app, request)
        if (path == "/desk" and method in ("GET", "HEAD")) or (path.startswith("/desk/") and method == "POST"):
            raw = await read_body(request, limit) if method == "POST" else b""
            return await run_in_threadpool(self.app.in_db, pages.desk, self.app, request, raw)
        if path == "/consult" and method in ("GET", "HEAD", "POST"):
            raw = await read_body(request, limit) if method == "POST" else b""
            return await run_in_threadpool(self.app.in_db, pages.phone_consult, self.app, request, raw)
        if path.startswith("/api/v1/"):
            body = parse_json(await read_body(request, limit)) if method in ("POST", "PUT") else {}
            status, reply = await run_in_threadpool(self.app.in_db, self.route, method, path, request, body)
            return json_response(status, reply)
        raise api.ApiError(404, "not_found", "no such page")

    def route(self, method: str, path: str, request: Request, body: dict[str, Any]) -> api.Reply:
        parts = [p for p in path.split("/") if p][2:]  # after /api/v1
        auth = request.headers.get("authorization")
        address = request.client.host if request.client else ""
        ctx = self.app.ctx
        match (method, parts):
            case ("POST", ["enrol"]):
                return api.enrol(body, ctx, address)
            case ("POST", ["enrol", "check"]):
                return api.enrol_check(body, ctx, address)
            case ("GET", ["device"]):
                return api.device_info(auth)
            case ("POST", ["events"]):
                return api.ingest(api.authenticate(auth), body, ctx, address)
            case ("POST", ["heartbeat"]):
                return api.heartbeat(api.authenticate(auth), body, ctx, address)
            case ("POST", ["consult", "sessions"]):
                return consult_api.consult_create(api.authenticate(auth), body, ctx, address)
            case ("GET", ["consult", "sessions", sid]):
                return consult_api.consult_get(api.authenticate(auth), sid, ctx)
            case ("POST", ["consult", "sessions", sid, "cancel"]):
                return consult_api.consult_change(sid, "cancel", body, api.authenticate(auth))
            case (_, ["admin", *rest]):
                self.app.require(auth, accounts.FLEET)
                return self._admin(method, rest, body)
            case ("GET", ["desk", "requests"]):
                who = self.app.require(auth, accounts.DESK)
                query = request.query_params
                return api.desk_list(self.app.ctx, who, query.get("county"), query.get("status"))
            case ("POST", ["desk", "requests", rid]):
                who = self.app.require(auth, accounts.DESK)
                return api.desk_mark(who, rid, body)
        raise api.ApiError(404, "not_found", f"no {method} {path}")

    def _admin(self, method: str, rest: list[str], body: dict[str, Any]) -> api.Reply:
        ctx = self.app.ctx
        match (method, rest):
            case ("GET", ["devices"]):
                return api.devices()
            case ("POST", ["devices", device_id, "revoke"]):
                return api.revoke(device_id)
            case ("PUT", ["devices", device_id, "settings"]):
                return api.set_settings(device_id, body)
            case ("GET", ["consult", "sessions"]):
                return consult_api.consult_list(ctx)
            case ("GET", ["consult", "sessions", sid]):
                return consult_api.consult_get_any(sid, ctx)
            case ("POST", ["consult", "sessions", sid, action]) if action in ("answer", "end"):
                return consult_api.consult_change(sid, action, body)
        raise api.ApiError(404, "not_found", "no such admin call")
