"""Video consultation sessions for the consult screen (the platform client lives in kiosk.sync).

``kiosk.sync`` is imported on the first call, not at start-up: the kiosk starts without the sync layer
loaded (tests/ui/test_startup.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from kiosk.paths import DataPaths

if TYPE_CHECKING:
    from kiosk.sync.consult import ConsultClient
    from kiosk.sync.consult import ConsultSession as ConsultSession

#: The platform's page for residents' phones: 12348, or a video consultation queued from the phone.
PHONE_PAGE = "/consult"
#: Sessions whose client is kept for status and cancel (one is followed at a time; a few in case a
#: session given up is cancelled while the next one starts).
KEPT_SESSIONS = 4


class ConsultService:
    """``start`` opens a session; ``status``/``cancel`` follow it. Every call blocks on the network:
    call it off the UI thread (calls may run in parallel threads).

    Every call raises a :class:`~kiosk.sync.errors.SyncError` when the platform cannot be reached or
    the terminal is not enrolled: the screen then offers 12348 and a call-back.
    """

    def __init__(self, paths: DataPaths):
        self.paths = paths
        self._lock = threading.Lock()
        self._clients: OrderedDict[str, ConsultClient] = OrderedDict()

    def start(self, topic: str = "视频咨询") -> ConsultSession:
        from kiosk.sync.consult import ConsultClient

        client = ConsultClient(self.paths)  # reads the enrolment afresh: a terminal enrolled meanwhile works
        session = client.start(topic)
        with self._lock:
            self._clients[session.session_id] = client
            while len(self._clients) > KEPT_SESSIONS:
                self._clients.popitem(last=False)
        return session

    def status(self, session_id: str) -> ConsultSession:
        return self._client(session_id).status(session_id)

    def cancel(self, session_id: str) -> ConsultSession:
        """Give the session up (waiting) or end it (in a call); its client is not needed after."""
        client = self._client(session_id)
        with self._lock:
            self._clients.pop(session_id, None)
        return client.cancel(session_id)

    def _client(self, session_id: str) -> ConsultClient:
        """The client that opened the session: it asks with the enrolment the session was opened with."""
        with self._lock:
            client = self._clients.get(session_id)
        if client is None:
            raise KeyError(f"consult session {session_id!r} was not started by this terminal's consult service")
        return client

    def phone_page(self, configured_hub: str = "") -> str | None:
        """The platform's phone page (local file reads, no network) with this terminal's short-lived
        token (the platform queues a call only with one); the bare page on a terminal not enrolled
        (it offers 12348 then), None on a terminal that knows no platform."""
        from kiosk.sync.consult import phone_token
        from kiosk.sync.device import load_device, load_token
        from kiosk.sync.errors import NotProvisioned

        try:
            device = load_device(self.paths)
            token = phone_token(device.device_id, load_token(self.paths))
            return device.hub_url.rstrip("/") + PHONE_PAGE + "?t=" + token
        except NotProvisioned:
            hub = configured_hub
        return hub.rstrip("/") + PHONE_PAGE if hub else None
