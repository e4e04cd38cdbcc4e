"""Resumable, verified downloads of TUF targets (packages and media).

Bytes go to ``<dest>.part``; an interrupted transfer continues from the bytes already there with a
``Range`` request (in the same run after a backoff, or in the next run), so a cut connection never
restarts from zero. Nothing is used before its length and sha256 match the signed target info;
a file that does not match is deleted and the download refused. More bytes than announced end the
transfer at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import requests
from tuf.api.exceptions import LengthOrHashMismatchError
from tuf.api.metadata import TargetFile

from kiosk.fileio import replace_durably
from kiosk.sync.errors import PlatformUnreachable, VerificationRefused
from kiosk.sync.http import Http, backoff_delay, iter_body

_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


def verify_file(path: Path, info: TargetFile) -> bool:
    try:
        with path.open("rb") as f:
            info.verify_length_and_hashes(f)
        return True
    except (OSError, LengthOrHashMismatchError):
        return False


def _too_short(path: str, got: int, signed: int) -> VerificationRefused:
    return VerificationRefused(f"{path}: the platform's file is {got} bytes, shorter than its signed {signed}")


def _too_large(what: str, size: int, expected: int) -> VerificationRefused:
    return VerificationRefused(f"{what}: response larger than announced ({size} bytes where {expected} were signed)")


def download(
    http: Http, url: str, dest: Path, info: TargetFile, on_progress: Callable[[int, int], None] | None = None
) -> Path:
    """Fetch ``url`` into ``dest`` unless ``dest`` already verifies; returns ``dest``."""
    if dest.exists():
        if verify_file(dest, info):
            return dest
        dest.unlink()
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    failures = 0
    while True:
        have = part.stat().st_size if part.exists() else 0
        if have > info.length:
            part.unlink()
            have = 0
        if have == info.length:
            break
        try:
            have = _transfer(http, url, part, have, info, on_progress)
        except (requests.RequestException, PlatformUnreachable) as exc:
            failures += 1
            if failures >= http.policy.attempts:
                raise PlatformUnreachable(
                    f"{info.path}: download interrupted at {part.stat().st_size if part.exists() else 0} of "
                    f"{info.length} bytes ({exc}); the next run resumes it"
                ) from None
            http.sleep(backoff_delay(failures, http.policy, http.rng))
    if not verify_file(part, info):
        part.unlink(missing_ok=True)
        raise VerificationRefused(f"{info.path}: downloaded file does not match its signed length and sha256")
    replace_durably(part, dest)
    return dest


def _transfer(
    http: Http, url: str, part: Path, have: int, info: TargetFile, on_progress: Callable[[int, int], None] | None
) -> int:
    headers = {"Range": f"bytes={have}-"} if have else {}
    resp = http.request("GET", url, headers=headers, stream=True)
    try:
        if resp.status_code == 206 and have:
            match = _CONTENT_RANGE.match(resp.headers.get("Content-Range", ""))
            if match is None or int(match[1]) != have:
                raise PlatformUnreachable(f"{info.path}: server answered the range request wrongly")
            if int(match[3]) > info.length:
                raise _too_large(info.path, int(match[3]), info.length)
            if int(match[3]) < info.length:
                raise _too_short(info.path, int(match[3]), info.length)
            mode = "ab"
        elif resp.status_code == 200:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > info.length:
                raise _too_large(info.path, int(length), info.length)
            if length and length.isdigit() and int(length) < info.length:
                # the whole file, as the server has it, is shorter than what was signed: not a cut
                # connection to resume but a wrong file (exit 5), whatever the network does next
                part.unlink(missing_ok=True)
                raise _too_short(info.path, int(length), info.length)
            have, mode = 0, "wb"  # the server ignored the range: start again
        elif resp.status_code == 416:
            part.unlink(missing_ok=True)
            raise PlatformUnreachable(f"{info.path}: server refused to resume (HTTP 416)")
        else:
            raise PlatformUnreachable(f"{info.path}: HTTP {resp.status_code}")
        with part.open(mode) as f:
            try:
                for chunk in iter_body(resp):
                    if have + len(chunk) > info.length:
                        f.close()
                        part.unlink(missing_ok=True)
                        raise _too_large(info.path, have + len(chunk), info.length)
                    f.write(chunk)
                    have += len(chunk)
                    http.bytes_received += len(chunk)
                    if on_progress:
                        on_progress(have, info.length)
            finally:
                if not f.closed:
                    f.flush()
                    os.fsync(f.fileno())
        if have < info.length:
            raise PlatformUnreachable(f"{info.path}: connection closed after {have} of {info.length} bytes")
        return have
    finally:
        resp.close()
