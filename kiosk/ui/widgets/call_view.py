"""The video call: the consultation room opened in QtWebEngine.

Imported only when a consultation starts (QtWebEngine costs ~400 MB and a second of start-up).
The page runs in an off-the-record profile (no cookies, cache or history survive the call), and
camera and microphone are granted to the room's own origin only; every other permission, and every
other origin, is refused.
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QUrl, Signal
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEnginePermission, QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QVBoxLayout, QWidget

log = logging.getLogger(__name__)

MEDIA = {
    QWebEnginePermission.PermissionType.MediaAudioCapture,
    QWebEnginePermission.PermissionType.MediaVideoCapture,
    QWebEnginePermission.PermissionType.MediaAudioVideoCapture,
}


def origin_of(url: QUrl) -> str:
    """scheme://host[:port], as the web defines an origin (no user, path, query or fragment)."""
    port = url.port()
    return f"{url.scheme()}://{url.host()}" + (f":{port}" if port != -1 else "")


class CallView(QWidget):
    """``load(room_url)``; ``granted``/``refused`` report each permission decision (for the log and tests)."""

    granted = Signal(str)
    refused = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        # Profile and page have no Qt parent: the page must be gone before its profile (see dispose()).
        self.profile = QWebEngineProfile()  # no storage name: off the record
        self.profile.setPersistentPermissionsPolicy(
            QWebEngineProfile.PersistentPermissionsPolicy.AskEveryTime  # nothing remembered between calls
        )
        self.page = QWebEnginePage(self.profile)
        self.page.permissionRequested.connect(self._permission)
        self.view = QWebEngineView(self)
        self.view.setPage(self.page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.room_origin = ""
        self.decisions: list[str] = []  # "granted|refused <permission> <origin>", for the log and tests

    def load(self, room_url: str) -> None:
        url = QUrl(room_url)
        self.room_origin = origin_of(url)
        self.view.load(url)

    def _permission(self, permission: QWebEnginePermission) -> None:
        origin = origin_of(permission.origin())
        kind = permission.permissionType()
        if kind in MEDIA and origin == self.room_origin:
            permission.grant()
            self.decisions.append(f"granted {kind.name} {origin}")
            self.granted.emit(f"{kind.name} {origin}")
        else:
            permission.deny()
            log.warning("refused %s for %s (room is %s)", kind.name, origin, self.room_origin)
            self.decisions.append(f"refused {kind.name} {origin}")
            self.refused.emit(f"{kind.name} {origin}")

    def hang_up(self) -> None:
        """Leave the room: the page is unloaded, so camera and microphone are released at once."""
        self.view.stop()
        self.page.setUrl(QUrl("about:blank"))

    def dispose(self) -> None:
        """Hang up and free everything: the view, then its page, then the profile (Chromium's order)."""
        self.hang_up()
        self.hide()
        self.setParent(None)
        # Synchronously and in this order: a profile released while a page still uses it crashes.
        for obj in (self.view, self.page, self.profile):
            shiboken6.delete(obj)
        self.deleteLater()
