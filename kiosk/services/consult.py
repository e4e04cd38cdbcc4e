"""Video consultation sessions for the consult screen (the platform client lives in kiosk.sync)."""

from __future__ import annotations

from kiosk.paths import DataPaths
from kiosk.sync.consult import ConsultClient, ConsultSession, phone_token
from kiosk.sync.device import load_device, load_token
from kiosk.sync.errors import NotProvisioned

#: The platform's page for residents' phones: 12348, or a video consultation queued from the phone.
PHONE_PAGE = "/consult"


class ConsultService:
    """``start`` opens a session (blocking: call it off the UI thread); ``status``/``cancel`` follow it.

    Every call raises a :class:`~kiosk.sync.errors.SyncError` when the platform cannot be reached or
    the terminal is not enrolled: the screen then offers 12348 and a call-back.
    """

    def __init__(self, paths: DataPaths):
        self.paths = paths

    def start(self, topic: str = "视频咨询") -> tuple[ConsultClient, ConsultSession]:
        client = ConsultClient(self.paths)  # reads the enrolment afresh: a terminal enrolled meanwhile works
        return client, client.start(topic)

    def phone_page(self, configured_hub: str = "") -> str | None:
        """The platform's phone page (local file reads, no network) with this terminal's short-lived
        token (the platform queues a call only with one); the bare page on a terminal not enrolled
        (it offers 12348 then), None on a terminal that knows no platform."""
        try:
            device = load_device(self.paths)
            token = phone_token(device.device_id, load_token(self.paths))
            return device.hub_url.rstrip("/") + PHONE_PAGE + "?t=" + token
        except NotProvisioned:
            hub = configured_hub
        return hub.rstrip("/") + PHONE_PAGE if hub else None
