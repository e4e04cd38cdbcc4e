"""Video consultation sessions through the platform, for the resident-services code.

    client = ConsultClient(paths)
    session = client.start("劳动争议")       # → status "waiting", room_url to open in the call view
    session = client.status(session.session_id)   # poll: waiting → answered (lawyer set) → ended
    client.cancel(session.session_id)       # nobody answered in time, or the resident hung up

Every call raises a :class:`~kiosk.sync.errors.SyncError` on trouble: ``PlatformUnreachable`` when
offline (show 12348, the QR code and the call-back form), ``NotProvisioned``/``DeviceRevoked`` when
the terminal is not enrolled. Timeouts are short: a resident is waiting in front of the screen.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Any

from kiosk.paths import DataPaths
from kiosk.sync.device import load_device, load_token
from kiosk.sync.errors import ProtocolError
from kiosk.sync.http import Http, NetPolicy, check_url

#: How long the phone page's QR code stays valid: a resident scans it in front of the terminal.
PHONE_TOKEN_SECONDS = 30 * 60


def phone_token(
    device_id: str, device_token: str, now: float | None = None, lifetime: int = PHONE_TOKEN_SECONDS
) -> str:
    """``DEVICEID.EXPIRY.MAC`` for the phone page's QR code, computed offline (a terminal shows the QR
    precisely when it may not reach the platform). The key is the SHA-256 of the device token, which
    the platform stores: only this terminal and the platform can make it, and it expires."""
    expiry = int((time.time() if now is None else now) + lifetime)
    mac = phone_token_mac(hashlib.sha256(device_token.encode()).hexdigest(), device_id, expiry)
    return f"{device_id}.{expiry}.{mac}"


def phone_token_mac(token_hash: str, device_id: str, expiry: int) -> str:
    message = f"consult-phone:{device_id}:{expiry}".encode()
    return hmac.new(token_hash.encode(), message, hashlib.sha256).hexdigest()[:32]


STATUSES = ("waiting", "answered", "ended", "missed", "cancelled")
QUICK = NetPolicy(
    connect_timeout=3.0, read_timeout=5.0, attempts=2, backoff_base=0.2, backoff_cap=1.0, max_retry_after=3.0
)


@dataclass(frozen=True)
class ConsultSession:
    session_id: str
    status: str
    room_url: str
    lawyer: str | None = None
    queue_position: int | None = None  # 1 = next to be answered; only while waiting


def _session(reply: dict[str, Any]) -> ConsultSession:
    sid, status, room, lawyer = (reply.get(k) for k in ("session_id", "status", "room_url", "lawyer"))
    if not isinstance(sid, str) or status not in STATUSES or not isinstance(room, str):
        raise ProtocolError("consultation answer lacks session_id, status or room_url")
    if not room.startswith("https://") and not room.startswith("http://"):
        raise ProtocolError("consultation room is not a web address")
    position = reply.get("queue_position")
    return ConsultSession(
        sid,
        str(status),
        room,
        lawyer if isinstance(lawyer, str) else None,
        position if isinstance(position, int) and not isinstance(position, bool) and position > 0 else None,
    )


class ConsultClient:
    def __init__(self, paths: DataPaths, policy: NetPolicy = QUICK):
        self.device = load_device(paths)
        self.token = load_token(paths)
        self.http = Http(NetPolicy(**{**policy.__dict__, "allow_http": self.device.allow_http or policy.allow_http}))
        check_url(self.device.hub_url, self.http.policy.allow_http)

    def start(self, topic: str = "") -> ConsultSession:
        return _session(self.http.call("POST", self.device.api("consult/sessions"), {"topic": topic}, self.token)[1])

    def status(self, session_id: str) -> ConsultSession:
        return _session(self.http.call("GET", self.device.api(f"consult/sessions/{session_id}"), None, self.token)[1])

    def cancel(self, session_id: str) -> ConsultSession:
        url = self.device.api(f"consult/sessions/{session_id}/cancel")
        return _session(self.http.call("POST", url, {}, self.token)[1])
