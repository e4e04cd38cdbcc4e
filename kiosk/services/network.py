"""Network state for the header: can the terminal reach its platform?"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

ONLINE = "网络已连接"
OFFLINE = "网络未连接"


class NetworkProbe:
    def __init__(self, hub_url: str, timeout: float = 1.5):
        self.hub_url = hub_url
        self.timeout = timeout

    def check(self) -> bool:
        """True when a TCP connection to the platform opens (blocking: call from a worker)."""
        if not self.hub_url:
            return False
        parts = urlsplit(self.hub_url)
        if not parts.hostname:
            return False
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            with socket.create_connection((parts.hostname, port), timeout=self.timeout):
                return True
        except OSError:
            return False

    @staticmethod
    def label(online: bool) -> str:
        return ONLINE if online else OFFLINE
