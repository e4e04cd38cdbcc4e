"""One network policy for every request the terminal makes to its platform.

* a connect and a read timeout on every request (a stalled response ends in ``read_timeout``);
* TLS verified; plain ``http://`` only to 127.0.0.1 / localhost / ::1 or with an explicit flag;
* no redirects followed (a redirect could leave TLS or the platform);
* retries with exponential backoff and full jitter on connection errors, timeouts, 5xx and 429,
  honouring ``Retry-After`` (seconds or an HTTP date) up to ``max_retry_after``; POSTs are retried
  too, which is safe because every POST of the protocol is idempotent (event ids, request ids);
* JSON answers read with a size cap.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import os
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from tuf.api import exceptions as tuf_exc
from tuf.ngclient.fetcher import FetcherInterface

from kiosk.sync.errors import DeviceRevoked, NotProvisioned, PlatformUnreachable, ProtocolError, VerificationRefused

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
CHUNK = 64 * 1024
USER_AGENT = "legal-kiosk-sync/1"


#: A private CA (a provincial platform with its own certificate authority): a PEM file named by
#: ``KIOSK_CA_FILE`` or the usual ``REQUESTS_CA_BUNDLE`` (honoured although proxies from the environment
#: are not). Set it for the kiosk's units in a systemd drop-in (docs/operations.md).
CA_ENV = ("KIOSK_CA_FILE", "REQUESTS_CA_BUNDLE")


def ca_file() -> str | None:
    for name in CA_ENV:
        value = os.environ.get(name, "").strip()
        if value:
            if not os.path.isfile(value):
                raise VerificationRefused(f"{name}={value}: no such CA file")
            return value
    return None


@dataclass(frozen=True)
class NetPolicy:
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    attempts: int = 4
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    max_retry_after: float = 120.0
    allow_http: bool = False
    max_json: int = 1024 * 1024


def check_url(url: str, allow_http: bool = False) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and (parts.hostname in LOCAL_HOSTS or allow_http):
        return
    if parts.scheme == "http":
        raise VerificationRefused(f"plain http to {parts.hostname} is refused (use https, or allow it explicitly)")
    raise VerificationRefused(f"not an http(s) URL: {url!r}")


def backoff_delay(attempt: int, policy: NetPolicy, rng: Callable[[], float] = random.random) -> float:
    """Full jitter: uniformly random in [0, min(cap, base·2^attempt)]."""
    return rng() * min(policy.backoff_cap, policy.backoff_base * 2.0**attempt)


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


def iter_body(resp: requests.Response) -> Iterator[bytes]:
    """The body as it arrives (``read1``): bytes received before a cut are kept, not discarded with
    a half-filled chunk. Connection trouble surfaces as ``requests.ConnectionError``."""
    try:
        while True:
            chunk = resp.raw.read1(CHUNK, decode_content=True)
            if not chunk:
                return
            yield chunk
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise requests.ConnectionError(f"connection lost: {exc}") from None


class Http:
    def __init__(
        self,
        policy: NetPolicy | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ):
        self.policy = policy or NetPolicy()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.trust_env = False  # no proxy or netrc surprises on a kiosk
        self.session.verify = ca_file() or True
        self.sleep = sleep
        self.rng = rng
        self.bytes_received = 0

    def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        """Send with retries; returns the first answer that is neither 5xx nor 429."""
        check_url(url, self.policy.allow_http)
        last = ""
        for attempt in range(self.policy.attempts):
            try:
                resp = self.session.request(
                    method,
                    url,
                    json=json_body,
                    headers=headers,
                    stream=stream,
                    allow_redirects=False,
                    timeout=(self.policy.connect_timeout, self.policy.read_timeout),
                )
            except requests.exceptions.SSLError as exc:
                raise VerificationRefused(f"{method} {url}: TLS verification failed: {exc}") from None
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = f"{type(exc).__name__}: {exc}"
                wait = backoff_delay(attempt, self.policy, self.rng)
            except requests.RequestException as exc:
                raise PlatformUnreachable(f"{method} {url}: {exc}") from None
            else:
                if resp.status_code != 429 and resp.status_code < 500:
                    return resp
                asked = retry_after_seconds(resp.headers.get("Retry-After"))
                resp.close()
                last = f"HTTP {resp.status_code}"
                if asked is not None and asked > self.policy.max_retry_after:
                    raise PlatformUnreachable(f"{method} {url}: {last}, asked to come back in {asked:.0f} s")
                wait = asked if asked is not None else backoff_delay(attempt, self.policy, self.rng)
            if attempt + 1 < self.policy.attempts:
                self.sleep(wait)
        raise PlatformUnreachable(f"{method} {url}: {last} ({self.policy.attempts} attempts)")

    def read_limited(self, resp: requests.Response, limit: int) -> bytes:
        """The whole body, or ProtocolError when it is larger than ``limit``."""
        announced = resp.headers.get("Content-Length")
        if announced and announced.isdigit() and int(announced) > limit:
            resp.close()
            raise ProtocolError(f"answer of {announced} bytes is larger than the {limit} allowed")
        data = bytearray()
        try:
            for chunk in iter_body(resp):
                data += chunk
                if len(data) > limit:
                    raise ProtocolError(f"answer larger than the {limit} bytes allowed")
        except requests.RequestException as exc:
            raise PlatformUnreachable(f"answer cut short: {exc}") from None
        finally:
            resp.close()
        self.bytes_received += len(data)
        return bytes(data)

    def call(self, method: str, url: str, body: Any = None, token: str | None = None) -> tuple[int, dict[str, Any]]:
        """A JSON API call; 401/403 become NotProvisioned/DeviceRevoked, other errors ProtocolError."""
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        for attempt in range(self.policy.attempts):
            resp = self.request(method, url, json_body=body, headers=headers, stream=True)
            try:
                raw = self.read_limited(resp, self.policy.max_json)
                break
            except PlatformUnreachable:  # the answer was cut: ask again (every call is idempotent)
                if attempt + 1 == self.policy.attempts:
                    raise
                self.sleep(backoff_delay(attempt, self.policy, self.rng))
        try:
            data = json.loads(raw) if raw else {}
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise ProtocolError(f"{method} {url}: answer (HTTP {resp.status_code}) is not JSON") from None
        if not isinstance(data, dict):
            raise ProtocolError(f"{method} {url}: answer is not a JSON object")
        error = data.get("error") if isinstance(data.get("error"), str) else None
        if resp.status_code == 403 and error == "device_revoked":
            raise DeviceRevoked("the platform revoked this terminal; enrol it again")
        if resp.status_code == 401:
            raise NotProvisioned(f"the platform refused the device token ({error or 'unauthorized'})")
        if not 200 <= resp.status_code < 300:
            message = data.get("message") if isinstance(data.get("message"), str) else ""
            raise ProtocolError(f"{method} {url}: HTTP {resp.status_code} {error or ''} {message}".strip())
        return resp.status_code, data


class TufFetcher(FetcherInterface):
    """python-tuf's downloads through :class:`Http` (same timeouts, TLS rule and retries)."""

    def __init__(self, http: Http):
        self.http = http

    def _fetch(self, url: str) -> Iterator[bytes]:
        resp = self.http.request("GET", url, stream=True)
        if resp.status_code != 200:
            resp.close()
            raise tuf_exc.DownloadHTTPError(f"HTTP {resp.status_code} for {url}", resp.status_code)
        return self._chunks(resp)

    def _chunks(self, resp: requests.Response) -> Iterator[bytes]:
        try:
            for chunk in iter_body(resp):
                self.http.bytes_received += len(chunk)
                yield chunk
        except requests.RequestException as exc:
            raise tuf_exc.DownloadError(f"download cut short: {exc}") from exc
        finally:
            resp.close()
