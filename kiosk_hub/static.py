"""``/repo/``: the signed static repository, streamed in chunks with single-range support.

Never read whole: a 100 MB package goes out 64 KiB at a time, and uvicorn's flow control makes a
slow client hold back the reading. In production nginx serves this folder (docs/operations.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import anyio
from starlette.types import Receive, Scope, Send

CHUNK = 64 * 1024
SMALL = 1024 * 1024
_RANGE = re.compile(r"^bytes=(\d{1,18})-(\d{0,18})$")


def _headers(pairs: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode(), v.encode("latin-1")) for k, v in pairs.items()]


async def _json_error(send: Send, status: int, error: str, message: str, extra: dict[str, str], head: bool) -> None:
    body = json.dumps({"error": error, "message": message}).encode()
    hdrs = {"Content-Type": "application/json", "Content-Length": str(len(body)), **extra}
    await send({"type": "http.response.start", "status": status, "headers": _headers(hdrs)})
    await send({"type": "http.response.body", "body": b"" if head else body})


def resolve(base: Path, rel: str) -> Path | None:
    """The file under ``base`` that ``rel`` names, or None (outside it, missing, or an odd name)."""
    if "\x00" in rel or "\\" in rel:
        return None
    base = base.resolve()
    try:
        target = (base / rel).resolve()
    except (OSError, ValueError):
        return None
    if base not in target.parents or not target.is_file():
        return None
    return target


async def serve_file(base: Path, rel: str, scope: Scope, receive: Receive, send: Send) -> None:
    head = scope["method"] == "HEAD"
    target = resolve(base, rel)
    if target is None:
        return await _json_error(send, 404, "not_found", "no such file", {}, head)
    size = target.stat().st_size
    start, end, status = 0, size - 1, 200
    header = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"range"), None)
    if header:
        match = _RANGE.match(header.strip())
        if match is None or int(match[1]) >= max(size, 1) or (match[2] and int(match[2]) < int(match[1])):
            return await _json_error(
                send, 416, "bad_range", "unsatisfiable range", {"Content-Range": f"bytes */{size}"}, head
            )
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
        status = 206
    mutable = target.name in ("timestamp.json", "root.json")
    hdrs = {
        "Content-Type": "application/json" if target.suffix == ".json" else "application/octet-stream",
        "Content-Length": str(end - start + 1),
        "Cache-Control": "no-cache" if mutable else "public, max-age=31536000, immutable",
        "Accept-Ranges": "bytes",
    }
    if status == 206:
        hdrs["Content-Range"] = f"bytes {start}-{end}/{size}"
    await send({"type": "http.response.start", "status": status, "headers": _headers(hdrs)})
    if head:
        return await send({"type": "http.response.body", "body": b""})
    remaining = end - start + 1
    # Metadata and small packages are read on the event loop (page cache, microseconds); a large file's
    # chunks in a worker thread so a cold disk never stalls other requests.
    threaded = remaining > SMALL
    with target.open("rb") as f:
        f.seek(start)
        while remaining > 0:
            size = min(CHUNK, remaining)
            chunk = await anyio.to_thread.run_sync(f.read, size) if threaded else f.read(size)
            if not chunk:  # the file shrank under us: end the answer short rather than pad it
                break
            remaining -= len(chunk)
            await send({"type": "http.response.body", "body": chunk, "more_body": remaining > 0})
    if remaining > 0:
        raise ConnectionAbortedError("file shrank while being served")
