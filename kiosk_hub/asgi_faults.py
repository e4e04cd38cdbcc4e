"""Fault injection as ASGI middleware, only with ``kiosk-hub serve --enable-test-faults``.

The rules themselves are in :mod:`kiosk_hub.faults`. Cutting or dropping a connection needs the
socket, which ASGI hides: :class:`FaultH11Protocol` (uvicorn's h11 protocol, used only in test-fault
mode) remembers each connection's transport by the client address so the middleware can close it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from kiosk_hub import api
from kiosk_hub.broker import TEST_ROOM_PAGE
from kiosk_hub.faults import FaultInjector, Rule

_TRANSPORTS: dict[tuple[str, int], asyncio.Transport] = {}


class FaultH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if self.client is not None:
            _TRANSPORTS[(str(self.client[0]), int(self.client[1]))] = transport

    def connection_lost(self, exc: Exception | None) -> None:
        if self.client is not None:
            _TRANSPORTS.pop((str(self.client[0]), int(self.client[1])), None)
        super().connection_lost(exc)


class FaultAbort(Exception):
    """Raised from the wrapped ``send`` to stop the application once a fault has cut the answer."""


def _transport(scope: Scope) -> asyncio.Transport | None:
    client = scope.get("client")
    return _TRANSPORTS.get((str(client[0]), int(client[1]))) if client else None


async def _close(scope: Scope, abort: bool = False) -> None:
    transport = _transport(scope)
    if transport is not None:
        if abort:
            transport.abort()
        else:
            transport.close()  # what was written before still goes out
    for _ in range(3):  # let connection_lost run so uvicorn sees the client gone
        await asyncio.sleep(0)


async def _drain(receive: Receive) -> None:
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return


async def _reply(send: Send, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
    headers = [(b"content-type", ctype.encode()), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in (extra or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class FaultMiddleware:
    def __init__(self, app: ASGIApp, faults: FaultInjector):
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path: str = scope["path"]
        method: str = scope["method"]
        if path.startswith("/_test/"):
            return await self._test_api(scope, receive, send)
        headers = dict((k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"])
        rule = self.faults.take(method, path)
        entry: dict[str, Any] = {"method": method, "path": path, "range": headers.get("range"), "time": time.time()}
        if rule is not None and rule.action == "drop":
            self.faults.record({**entry, "status": 0, "sent": 0})
            await _close(scope, abort=True)
            return None
        if rule is not None and rule.action == "status":
            await _drain(receive)
            extra = {"Retry-After": rule.retry_after} if rule.retry_after is not None else {}
            body = json.dumps({"error": "injected", "message": "fault injected"}).encode()
            self.faults.record({**entry, "status": rule.status, "sent": 0 if method == "HEAD" else len(body)})
            return await _reply(send, rule.status, b"" if method == "HEAD" else body, "application/json", extra)
        state: dict[str, int | None] = {"sent": 0, "limit": None}

        async def faulty_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                hdrs = list(message.get("headers", []))
                length = next((int(v) for k, v in hdrs if k.lower() == b"content-length"), 0)
                if rule is not None and rule.action == "oversize":
                    length += rule.extra_bytes
                    hdrs = [(k, v) for k, v in hdrs if k.lower() != b"content-length"]
                    hdrs.append((b"content-length", str(length).encode()))
                    message = {**message, "headers": hdrs}
                sending = 0 if method == "HEAD" else length
                if rule is not None and rule.action in ("cut", "stall"):
                    sending = min(sending, rule.after_bytes)
                    state["limit"] = rule.after_bytes
                # before writing: a client that hangs up must not hide the request
                self.faults.record({**entry, "status": message["status"], "sent": sending})
                await send(message)
                if state["limit"] == 0 and method != "HEAD":
                    await self._cut(scope, rule)
                return
            if message["type"] != "http.response.body":
                return await send(message)
            body: bytes = message.get("body", b"")
            limit = state["limit"]
            if limit is not None and method != "HEAD":
                room = limit - int(state["sent"] or 0)
                if len(body) >= room:
                    await send({"type": "http.response.body", "body": body[:room], "more_body": True})
                    await self._cut(scope, rule)
                state["sent"] = int(state["sent"] or 0) + len(body)
                return await send(message)
            if rule is not None and rule.action == "oversize" and not message.get("more_body") and method != "HEAD":
                message = {**message, "body": body + b" " * rule.extra_bytes}
            await send(message)

        with contextlib.suppress(FaultAbort):
            await self.app(scope, receive, faulty_send)
        return None

    async def _cut(self, scope: Scope, rule: Rule | None) -> None:
        if rule is not None and rule.action == "stall":
            await asyncio.sleep(rule.seconds)
        await _close(scope)
        raise FaultAbort

    async def _test_api(self, scope: Scope, receive: Receive, send: Send) -> None:
        path, method = scope["path"], scope["method"]
        raw = b""
        while True:
            message = await receive()
            raw += message.get("body", b"")
            if len(raw) > 1_000_000:
                return await _reply(send, 413, b'{"error": "too_large"}', "application/json", {"Connection": "close"})
            if not message.get("more_body"):
                break
        ok = b'{"ok": true}'
        if path == "/_test/faults" and method == "POST":
            try:
                self.faults.set_rules(json.loads(raw or b"{}").get("rules", []))
            except (TypeError, ValueError, AttributeError) as exc:
                body = json.dumps({"error": "bad_request", "message": str(exc)}).encode()
                return await _reply(send, 400, body, "application/json")
            return await _reply(send, 200, ok, "application/json")
        if path == "/_test/log":
            return await _reply(send, 200, json.dumps(self.faults.snapshot()).encode(), "application/json")
        if path.startswith("/_test/room/") and method == "GET":
            # A stand-in for the video service's room: asks for camera and microphone like a real one.
            return await _reply(send, 200, TEST_ROOM_PAGE.encode(), "text/html; charset=utf-8")
        if path == "/_test/clock" and method == "POST":
            offset = json.loads(raw or b"{}").get("offset_seconds")
            if isinstance(offset, bool) or not isinstance(offset, (int, float)):
                body = b'{"error": "bad_request", "message": "offset_seconds must be a number"}'
                return await _reply(send, 400, body, "application/json")
            api.set_clock_offset(offset)  # a platform whose clock disagrees with the terminal's
            return await _reply(send, 200, ok, "application/json")
        if path == "/_test/reset" and method == "POST":
            self.faults.reset()
            api.set_clock_offset(0)
            return await _reply(send, 200, ok, "application/json")
        return await _reply(send, 404, b'{"error": "not_found", "message": "no such test call"}', "application/json")
