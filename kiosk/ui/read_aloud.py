"""Reading aloud (朗读): the header's button speaks the screen's text, a second tap stops it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk.services import Services
from kiosk.services.idle import IdleGuard
from kiosk.services.speech import SpeechUnavailable
from kiosk.ui.worker import Background

if TYPE_CHECKING:
    from kiosk.ui.header import Chrome
    from kiosk.ui.navigator import Navigator
    from kiosk.ui.widgets.overlay import Toast

log = logging.getLogger(__name__)

#: What the idle guard is held for while a text is spoken (the resident is listening, not touching).
HOLD = "speech"


class ReadAloud:
    """Speech off the UI thread (the ``slow`` lane), one text at a time.

    Every new text, a second tap, leaving the screen and the wipe stop the one being spoken; a token
    tells the end of a stopped text from the end of the current one.
    """

    def __init__(
        self,
        services: Services,
        background: Background,
        nav: Navigator,
        chrome: Chrome,
        toast: Toast,
        idle: IdleGuard,
    ) -> None:
        self.services = services  # read at each use: the speech service may be swapped (admin, tests)
        self.background = background
        self.nav = nav
        self.chrome = chrome
        self.toast = toast
        self.idle = idle
        self.speaking = False
        self._token = 0

    def toggle(self) -> None:
        """The header's 朗读 / 停止朗读."""
        if self.speaking:
            self.stop()
            return
        screen = self.nav.current_screen()
        self.speak(screen.read_aloud_text() if screen else "")

    def speak(self, text: str) -> None:
        self.stop()
        if not text.strip():
            return
        self._token += 1
        token = self._token
        self.speaking = True
        self.chrome.set_speaking(True)
        self.idle.hold(HOLD)
        self.background.run(
            lambda: self.services.speech.speak(text),
            lambda _ok: self._finished(token, None),
            lambda exc: self._finished(token, exc),
            lane="slow",
        )

    def _finished(self, token: int, exc: BaseException | None) -> None:
        if token != self._token:
            return
        self.speaking = False
        self.chrome.set_speaking(False)
        self.idle.release(HOLD)
        if isinstance(exc, SpeechUnavailable):
            self.toast.show_message(str(exc))
        elif exc is not None:
            log.error("reading aloud failed: %s", exc)
            self.toast.show_message("朗读出错，请稍后再试")

    def stop(self) -> None:
        if self.speaking:
            self._token += 1
            self.speaking = False
            self.chrome.set_speaking(False)
            self.idle.release(HOLD)
        self.services.speech.stop()
