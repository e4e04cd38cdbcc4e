"""What the admin panel may do to the running kiosk, and all it sees of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.services import Services
from kiosk.ui.worker import Background

if TYPE_CHECKING:
    from kiosk.ui.sync_link import SyncLink


@dataclass(frozen=True)
class AdminActions:
    """Built by :class:`kiosk.ui.app.KioskApp` and handed to :class:`kiosk.ui.screens.admin.AdminScreen`
    in its place, so the panel reaches no more of the app than this."""

    services: Services
    background: Background
    #: 立即同步, the running sync's progress lines, settings the platform changed on disk.
    sync: SyncLink
    #: Before the speech test: nothing a resident started is still being read aloud.
    stop_speech: Callable[[], None]
    #: The idle setting changed: the running session guard counts with it from now on.
    set_idle_seconds: Callable[[float], None]
    #: 重启程序: close the window and start the program afresh.
    restart: Callable[[], None]
    #: 退出到系统: close the window and end the program (the caller has left the note for systemd).
    exit_to_system: Callable[[], None]
