"""视频咨询: check camera and microphone, ask the platform for a session, wait (with the queue
position), open the room in QtWebEngine, hang up, rate. When nobody answers in time, the platform
cannot be reached or the devices are missing: the 12348 hotline, a QR code that continues on a
phone, and a call-back request."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from kiosk.config import Config
from kiosk.flows.consult import ConsultAttempt, Phase, Step
from kiosk.services.consult import ConsultService
from kiosk.services.resident import ResidentService
from kiosk.ui.navigator import VIDEO_CALL, Navigator
from kiosk.ui.screens.institution import qr_row
from kiosk.ui.screens.page import HOTLINE_URL, PageScreen
from kiosk.ui.widgets.common import button, label
from kiosk.ui.worker import Background

if TYPE_CHECKING:
    from kiosk.services.consult import ConsultSession

log = logging.getLogger(__name__)
SERVICE = "consult"
POLL_MS = 1500
CHECK_DELAY_MS = 30
HOLD = "consult"  # the idle guard waits while a resident waits for or talks to a lawyer

FALLBACK_TEXT = {
    "missed": "值班律师暂时都在忙，没能及时接通。",
    "offline": "终端暂时连不上省公共法律服务平台，视频咨询用不了。",
    "devices": "本终端的{missing}现在用不了，不能在这里视频通话。",
    "failed": "视频通话没能打开。",
}


def queue_text(position: int | None) -> str:
    """What the queue position means for the resident (the platform may not tell it)."""
    if not position:
        return ""
    return "下一位就是您。" if position == 1 else f"您前面还有 {position - 1} 位。"


def media_devices() -> tuple[list[str], list[str]]:
    """Names of the cameras and microphones Qt sees (QtMultimedia is loaded only here)."""
    from PySide6.QtMultimedia import QMediaDevices

    return [d.description() for d in QMediaDevices.videoInputs()], [
        d.description() for d in QMediaDevices.audioInputs()
    ]


class ConsultScreen(PageScreen):
    title = "视频咨询"
    PAGE_PARTS = ("status",)

    def __init__(
        self, nav: Navigator, consult: ConsultService, config: Config, resident: ResidentService, background: Background
    ):
        super().__init__(nav)
        self.consult = consult
        self.config = config
        self.resident = resident
        self.background = background
        #: Where the camera and microphone list comes from (a test machine has neither).
        self.probe: Callable[[], tuple[list[str], list[str]]] = media_devices
        self.clock: Callable[[], float] = time.monotonic
        self.session: ConsultSession | None = None
        self.attempt = ConsultAttempt(float(config.consult_answer_seconds))
        self.call_view: Any = None
        self.rating_session = ""
        self.shown_fallback: dict[str, Any] = {}  # what 返回 needs to show the fallback page again
        self.status: QLabel | None = None  # the waiting page's line (made with that page, gone with it)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        # The device check runs once the checking page is on screen (QtMultimedia loads on first use).
        self.check_timer = QTimer(self)
        self.check_timer.setSingleShot(True)
        self.check_timer.setInterval(CHECK_DELAY_MS)
        self.check_timer.timeout.connect(self._check_devices)

    # --- lifecycle --------------------------------------------------------------------------------

    def open(self, params: dict[str, Any]) -> None:
        self._reset()
        if params.get("fallback") in FALLBACK_TEXT:  # 返回 from the call-back request: the same page again
            self.rating_session = str(params.get("rating") or uuid.uuid4().hex)
            self._fallback(params["fallback"], str(params.get("detail", "")), params.get("phone"))
            return
        self.attempt = ConsultAttempt(float(self.config.consult_answer_seconds))  # the platform may change it
        self.rating_session = uuid.uuid4().hex
        self.resident.count(f"service.{SERVICE}.started")
        page = self.page
        self.new_page()
        page.add(label("与值班律师视频通话", "headline"))
        page.add(label("免费。接通后请对着屏幕说话，律师能看到您、听到您。", "body"))
        checking = label("正在检查摄像头和麦克风……", "title")
        checking.setObjectName("consult-checking")
        page.add(checking)
        self.button_row(button("取消", self.nav.back, "secondary", "consult-cancel"))
        page.finish()
        self.spoken = "正在检查摄像头和麦克风，请稍等。"
        self.check_timer.start()

    def _check_devices(self) -> None:
        page = self.page
        self.new_page()
        page.add(label("与值班律师视频通话", "headline"))
        page.add(label("免费。接通后请对着屏幕说话，律师能看到您、听到您。", "body"))
        cameras, microphones = self._devices()
        if not cameras or not microphones:
            missing = "、".join(n for n, found in (("摄像头", cameras), ("麦克风", microphones)) if not found)
            log.info("consult: no %s", missing)
            self._fallback("devices", missing)
            return
        self.waiting_page(cameras[0], microphones[0])
        self.attempt.start(self.clock())
        self.nav.busy.emit(HOLD, True)
        self.background.run(self._start_session, self._started, self._unreachable, lane="slow")
        self.spoken = "正在连接值班律师，请稍等。"

    def waiting_page(self, camera: str, microphone: str) -> None:
        page = self.page
        page.add(label(f"✓ 摄像头：{camera}　✓ 麦克风：{microphone}", "muted"))
        self.status = label("正在连接值班律师……", "title")
        self.status.setObjectName("consult-status")
        page.add(self.status)
        page.add(label("接通前可以随时取消。等待超过一定时间没有接通，会为您提供其他咨询方式。", "muted"))
        self.button_row(button("取消", self.cancel, "secondary", "consult-cancel"))
        page.finish()

    def state(self) -> dict[str, Any]:
        return dict(self.shown_fallback)

    def leave(self) -> None:
        if self.attempt.active:
            self._end_session()
            self._finish("cancelled" if self.attempt.phase is Phase.WAITING else "answered")
        self._reset()

    def wipe(self) -> None:
        self.leave()
        self.new_page()

    def _reset(self) -> None:
        self.timer.stop()
        self.check_timer.stop()
        self.shown_fallback = {}
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

    def _start_session(self) -> ConsultSession:
        return self.consult.start()

    def _started(self, session: ConsultSession) -> None:
        if self.attempt.phase is not Phase.WAITING:  # the resident left meanwhile: give the slot back
            consult = self.consult
            self.background.run(lambda: consult.cancel(session.session_id), None, self._cancel_failed, lane="slow")
            return
        self.session = session
        self._show_session(session)
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
        consult, sid = self.consult, self.session.session_id
        self.background.run(lambda: consult.status(sid), self._show_session, self._poll_failed, lane="slow")

    def _show_session(self, session: ConsultSession) -> None:
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
        ahead = queue_text(session.queue_position)
        if self.status is not None:
            self.status.setText(f"正在呼叫值班律师……已等待 {waited} 秒。{ahead}")

    def _poll_failed(self, exc: BaseException) -> None:
        """One status question went unanswered: keep waiting (the next poll asks again, the answer
        time still runs out), and say so instead of a silent clock."""
        log.warning("consult: status not answered: %s", exc)
        if self.status is not None and self.attempt.phase is Phase.WAITING:
            waited = self.attempt.waited(self.clock())
            self.status.setText(f"网络不太稳定，正在继续呼叫值班律师……已等待 {waited} 秒。")

    def _cancel_failed(self, exc: BaseException) -> None:
        """The platform did not hear that the resident gave up: its own time-out closes the session."""
        log.warning("consult: cancelling the session failed (the platform closes it when it times out): %s", exc)

    def _end_session(self) -> None:
        """Tell the platform the session is over (waiting: cancelled; in a call: ended), off the UI thread."""
        consult, session = self.consult, self.session
        if session is not None:
            self.background.run(lambda: consult.cancel(session.session_id), None, self._cancel_failed, lane="slow")

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
        self.new_page()
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

    def _fallback(self, reason: str, detail: str = "", phone_link: str | None = None) -> None:
        self.timer.stop()
        phone_link = phone_link or self._phone_link()
        self.shown_fallback = {"fallback": reason, "detail": detail, "phone": phone_link, "rating": self.rating_session}
        page = self.page
        self.new_page()
        headline = FALLBACK_TEXT[reason].format(missing=detail or "摄像头或麦克风")
        head = label(headline, "headline")
        head.setObjectName("consult-fallback")
        page.add(head)
        page.add(label("您可以马上拨打法律服务热线，值班律师免费解答：", "title"))
        hotline = label("☎ 12348", "countdown")
        hotline.setObjectName("consult-hotline")
        blocks = ((HOTLINE_URL, "扫码拨打 12348"), (phone_link, "扫码用手机视频咨询"))
        if self.window().width() > 1300:  # landscape: number and codes side by side, the buttons stay in view
            codes = qr_row(*blocks, lead=hotline)
        else:
            page.add(hotline)
            codes = qr_row(*blocks)
        page.add(codes)
        page.add(label("也可以留下电话，请律师回电：", "section"))
        # 再试一次 for every reason: a lawyer frees up, the network returns, a camera is plugged in.
        self.button_row(
            button("请律师给我回电话", lambda: self.nav.go("request", kind="callback"), None, "consult-callback"),
            button("再试一次", lambda: self.open({}), "secondary", "consult-retry"),
            button("评价本次服务", self._rate, "secondary", "consult-rate"),
        )
        page.finish()
        self.spoken = headline + "您可以拨打12348法律服务热线，或留下电话请律师回电。"

    def _phone_link(self) -> str | None:
        """Where the resident's phone continues: the room itself when a lawyer is already in it (the
        call view failed), else the platform's phone page, which queues a consultation from the phone
        (a session the terminal gave up is closed: its room would stay empty)."""
        if self.session is not None and self.session.status == "answered" and self.session.room_url:
            return str(self.session.room_url)
        return self.consult.phone_page(self.config.hub_url)

    def _rate(self) -> None:
        self.nav.go("rating", service=SERVICE, session=self.rating_session)
