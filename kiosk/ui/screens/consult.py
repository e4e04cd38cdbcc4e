"""视频咨询: check camera and microphone, ask the platform for a session, wait (with the queue
position), open the room in QtWebEngine, hang up, rate. When nobody answers in time, the platform
cannot be reached or the devices are missing: the 12348 hotline, a QR code that continues on a
phone, and a call-back request."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from kiosk.config import Config
from kiosk.flows.consult import ConsultAttempt, Phase, Step
from kiosk.paths import DataPaths
from kiosk.services.resident import ResidentService
from kiosk.ui.navigator import VIDEO_CALL, Navigator
from kiosk.ui.screens.institution import qr_row
from kiosk.ui.screens.page import HOTLINE_URL, PageScreen
from kiosk.ui.widgets.common import button, label
from kiosk.ui.worker import Background

log = logging.getLogger(__name__)
SERVICE = "consult"
POLL_MS = 1500
HOLD = "consult"  # the idle guard waits while a resident waits for or talks to a lawyer

FALLBACK_TEXT = {
    "missed": "值班律师暂时都在忙，没能及时接通。",
    "offline": "终端暂时连不上省公共法律服务平台，视频咨询用不了。",
    "devices": "本终端的摄像头或麦克风现在用不了。",
    "failed": "视频通话没能打开。",
}


def media_devices() -> tuple[list[str], list[str]]:
    """Names of the cameras and microphones Qt sees (QtMultimedia is loaded only here)."""
    from PySide6.QtMultimedia import QMediaDevices

    return [d.description() for d in QMediaDevices.videoInputs()], [
        d.description() for d in QMediaDevices.audioInputs()
    ]


class ConsultScreen(PageScreen):
    title = "视频咨询"

    def __init__(
        self, nav: Navigator, paths: DataPaths, config: Config, resident: ResidentService, background: Background
    ):
        super().__init__(nav)
        self.paths = paths
        self.config = config
        self.resident = resident
        self.background = background
        #: Where the camera and microphone list comes from (a test machine has neither).
        self.probe: Callable[[], tuple[list[str], list[str]]] = media_devices
        self.clock: Callable[[], float] = time.monotonic
        self.client: Any = None
        self.session: Any = None
        self.attempt = ConsultAttempt(float(config.consult_answer_seconds))
        self.call_view: Any = None
        self.rating_session = ""
        self.status = label("", "title")
        self.status.setObjectName("consult-status")
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)

    # --- lifecycle --------------------------------------------------------------------------------

    def open(self, params: dict[str, Any]) -> None:
        self._reset()
        self.attempt = ConsultAttempt(float(self.config.consult_answer_seconds))  # the platform may change it
        self.rating_session = uuid.uuid4().hex
        self.resident.count(f"service.{SERVICE}.started")
        page = self.page
        page.clear()
        page.add(label("与值班律师视频通话", "headline"))
        page.add(label("免费。接通后请对着屏幕说话，律师能看到您、听到您。", "body"))
        cameras, microphones = self._devices()
        if not cameras or not microphones:
            missing = "、".join(n for n, found in (("摄像头", cameras), ("麦克风", microphones)) if not found)
            log.info("consult: no %s", missing)
            self._fallback("devices", f"没有检测到{missing}。")
            return
        self.waiting_page(cameras[0], microphones[0])
        self.attempt.start(self.clock())
        self.nav.busy.emit(HOLD, True)
        self.background.run(self._start_session, self._started, self._unreachable, lane="slow")
        self.spoken = "正在连接值班律师，请稍等。"

    def waiting_page(self, camera: str, microphone: str) -> None:
        page = self.page
        page.add(label(f"摄像头：{camera}　麦克风：{microphone}", "muted"))
        page.add(self.status)
        self.status.setText("正在连接值班律师……")
        page.add(label("接通前可以随时取消。等待超过一定时间没有接通，会为您提供其他咨询方式。", "muted"))
        self.button_row(button("取消", self.cancel, "secondary", "consult-cancel"))
        page.finish()

    def leave(self) -> None:
        if self.attempt.active:
            self._end_session()
            self._finish("cancelled" if self.attempt.phase is Phase.WAITING else "answered")
        self._reset()

    def wipe(self) -> None:
        self.leave()
        self.page.clear()

    def _reset(self) -> None:
        self.timer.stop()
        if self.call_view is not None:
            self.call_view.dispose()
            self.call_view = None
            self.nav.busy.emit(VIDEO_CALL, False)
        if self.attempt.active:
            self.nav.busy.emit(HOLD, False)
        self.attempt = ConsultAttempt(self.attempt.answer_seconds)
        self.session = None

    def _devices(self) -> tuple[list[str], list[str]]:
        try:
            return self.probe()
        except Exception:
            log.exception("could not list cameras and microphones")
            return [], []

    # --- talking to the platform (off the UI thread) ----------------------------------------------

    def _start_session(self) -> tuple[Any, Any]:
        from kiosk.services.consult import ConsultService

        return ConsultService(self.paths).start()

    def _started(self, result: tuple[Any, Any]) -> None:
        if self.attempt.phase is not Phase.WAITING:  # the resident left meanwhile: give the slot back
            client, session = result
            self.background.run(lambda: client.cancel(session.session_id), None, lambda _e: None, lane="slow")
            return
        self.client, self.session = result
        self._show_session(self.session)
        self.timer.start()

    def _unreachable(self, exc: BaseException) -> None:
        log.info("consult: platform not reachable: %s", exc)
        if self.attempt.phase is Phase.WAITING:
            self._finish("offline")
            self._fallback("offline")

    def _poll(self) -> None:
        if self.session is None:
            return
        step = self.attempt.on_tick(self.clock())
        if step is Step.MISSED:
            self._missed()
        if step is not Step.WAIT:
            return
        client, sid = self.client, self.session.session_id
        self.background.run(lambda: client.status(sid), self._show_session, lambda _e: None, lane="slow")

    def _show_session(self, session: Any) -> None:
        step = self.attempt.on_status(session.status, self.clock())
        if step is Step.IGNORE:
            return
        self.session = session
        if step is Step.CALL:
            self._open_call(session.room_url)
            return
        if step is Step.MISSED:
            self._missed()
            return
        waited = self.attempt.waited(self.clock())
        ahead = f"您前面还有 {session.queue_position - 1} 位。" if session.queue_position else ""
        self.status.setText(f"正在呼叫值班律师……已等待 {waited} 秒。{ahead}")

    def _end_session(self) -> None:
        """Tell the platform the session is over (waiting: cancelled; in a call: ended), off the UI thread."""
        client, session = self.client, self.session
        if client is not None and session is not None:
            self.background.run(lambda: client.cancel(session.session_id), None, lambda _e: None, lane="slow")

    def _missed(self) -> None:
        self._end_session()
        self._finish("missed")
        self._fallback("missed")

    # --- the call ---------------------------------------------------------------------------------

    def _open_call(self, room_url: str) -> None:
        self.timer.stop()
        self.nav.busy.emit(VIDEO_CALL, True)
        try:
            from kiosk.ui.widgets.call_view import CallView  # QtWebEngine: loaded on first call only

            view = CallView()
        except Exception:
            log.exception("the video view could not start")
            self.nav.busy.emit(VIDEO_CALL, False)
            self._finish("answered")
            self._fallback("failed")
            return
        self.call_view = view
        page = self.page
        page.clear()
        lawyer = getattr(self.session, "lawyer", None)
        page.add(label(f"已接通{('：' + lawyer) if lawyer else ''}", "headline"))
        view.setMinimumHeight(max(480, self.height() - 360))
        view.setObjectName("consult-call")
        page.add(view)
        page.add(button("挂断", self.hang_up, "huge", "consult-hang-up"))
        view.load(room_url)
        self.spoken = ""

    def hang_up(self) -> None:
        self._end_session()
        self._finish("answered")
        self._reset()
        self.nav.replace("rating", service=SERVICE, session=self.rating_session)

    def cancel(self) -> None:
        """取消 while waiting: the slot is given back and the resident returns where they came from."""
        self.nav.back()  # leave() ends the session and records it as cancelled

    def _finish(self, outcome: str) -> None:
        """Record the outcome once per attempt (answered calls with their talk time)."""
        ended = self.attempt.finish(outcome, self.clock())
        if ended is None:
            return
        sid = self.session.session_id if self.session is not None else ""
        self.resident.record_consult(sid, ended.outcome, ended.wait_seconds, ended.talk_seconds)
        self.resident.count(f"service.{SERVICE}.finished")
        self.timer.stop()
        self.nav.busy.emit(HOLD, False)

    # --- when no call is possible -----------------------------------------------------------------

    def _fallback(self, reason: str, detail: str = "") -> None:
        self.timer.stop()
        page = self.page
        page.clear()
        head = label(FALLBACK_TEXT[reason] + detail, "headline")
        head.setObjectName("consult-fallback")
        page.add(head)
        page.add(label("您可以马上拨打 12348 法律服务热线，值班律师免费解答。", "title"))
        phone_link = self._phone_link()
        caption = "扫码在手机上继续视频咨询" if reason == "missed" else "扫码在手机上咨询"
        page.add(qr_row((HOTLINE_URL, "扫码拨打 12348"), (phone_link, caption)))
        page.add(label("也可以留下电话，请律师回电：", "section"))
        actions: list[QWidget] = [
            button("请律师给我回电话", lambda: self.nav.go("request", kind="callback"), None, "consult-callback"),
            button("评价本次服务", self._rate, "secondary", "consult-rate"),
        ]
        if reason in ("missed", "offline"):
            actions.insert(1, button("再试一次", lambda: self.open({}), "secondary", "consult-retry"))
        self.button_row(*actions)  # type: ignore[arg-type]
        page.finish()
        self.spoken = FALLBACK_TEXT[reason] + "您可以拨打12348法律服务热线，或留下电话请律师回电。"

    def _phone_link(self) -> str | None:
        """The same consultation on a phone: the room itself when there is one, else the platform's page."""
        if self.session is not None and self.session.room_url:
            return str(self.session.room_url)
        if self.config.hub_url:
            return self.config.hub_url.rstrip("/") + "/consult"
        return None

    def _rate(self) -> None:
        self.nav.go("rating", service=SERVICE, session=self.rating_session)
