"""Video consultation against a real hub on 127.0.0.1: answered (the room page served by the hub
opens in QtWebEngine with camera and microphone granted to it), unanswered (12348 + QR + call-back),
and offline."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from uihelpers import settle, tap, visible_texts

from kiosk.services.consult import ConsultService
from kiosk.ui.widgets.qr import QrCode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sync"))
from sync_harness import Hub, Terminal

# Chromium's fake camera and microphone: a test machine has neither (set before QtWebEngine loads).
_flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
if "--use-fake-device-for-media-stream" not in _flags:
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{_flags} --use-fake-device-for-media-stream".strip()

FAKE_DEVICES = (["测试摄像头"], ["测试麦克风"])


@pytest.fixture(scope="module")
def consult_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hub, Terminal]]:
    base = tmp_path_factory.mktemp("consult")
    hub = Hub(base / "hub")
    hub.cli("init")
    hub.start("--video-url-template", "{hub}/_test/room/{room}")
    term = Terminal(base / "kiosk")
    term.provision(hub)
    yield hub, term
    hub.stop()


def consult_screen(kiosk: Any, terminal: Terminal, clock: Any) -> Any:
    screen = kiosk.nav.screen("consult")
    screen.consult = ConsultService(terminal.paths)
    screen.probe = lambda: FAKE_DEVICES
    screen.clock = clock
    return screen


def queued(services: Any, kind: str) -> list[dict[str, Any]]:
    rows = services.resident.outbox.db.execute_sql("SELECT payload FROM outbox_event WHERE kind = ?", (kind,))
    return [json.loads(r[0]) for r in rows]


def waiting_session(hub: Hub) -> str:
    status, reply = hub.call("GET", "/api/v1/admin/consult/sessions", admin=True)
    assert status == 200, reply
    waiting = [s for s in reply["sessions"] if s["status"] == "waiting"]
    assert waiting, reply
    return str(waiting[-1]["session_id"])


def start_waiting(qtbot: Any, kiosk: Any, screen: Any, hub: Hub) -> str:
    """Open 视频咨询 and wait until the platform holds the waiting session; its id."""
    kiosk.nav.go("consult")
    assert screen.findChild(QLabel, "consult-checking").isVisible()  # camera and microphone first
    qtbot.waitUntil(lambda: "正在呼叫" in status_text(screen), timeout=10_000)
    return waiting_session(hub)


def shown(screen: Any, cls: type, name: str) -> bool:
    """On screen: built, and shown (a widget added to a visible page is shown a moment later)."""
    widget = screen.findChild(cls, name)
    return widget is not None and widget.isVisible()


def status_text(screen: Any) -> str:
    status = screen.findChild(QLabel, "consult-status")
    return str(status.text()) if status is not None else ""


def waiting_count(hub: Hub) -> int:
    reply = hub.call("GET", "/api/v1/admin/consult/sessions", admin=True)[1]
    return sum(s["status"] == "waiting" for s in reply["sessions"])


def qr_payloads(screen: Any) -> list[str]:
    return [q.payload for q in screen.findChildren(QrCode) if q.isVisibleTo(screen)]


def session_status(hub: Hub, sid: str) -> str:
    return str(hub.call("GET", f"/api/v1/admin/consult/sessions/{sid}", admin=True)[1]["status"])


def test_answered_consultation_opens_the_room_and_hang_up_returns(
    qtbot: Any, kiosk: Any, services: Any, clock: Any, consult_hub: tuple[Hub, Terminal]
) -> None:
    hub, terminal = consult_hub
    screen = consult_screen(kiosk, terminal, clock)
    sid = start_waiting(qtbot, kiosk, screen, hub)
    assert "下一位就是您" in screen.status.text()  # the platform's queue position
    status, _ = hub.call("POST", f"/api/v1/admin/consult/sessions/{sid}/answer", {"lawyer": "示例律师"}, admin=True)
    assert status == 200
    qtbot.waitUntil(lambda: screen.call_view is not None, timeout=10_000)
    view = screen.call_view
    qtbot.waitUntil(lambda: view.view.title().startswith("room:media-"), timeout=20_000)
    assert view.view.title() == "room:media-granted"
    assert view.decisions == [f"granted MediaAudioVideoCapture {hub.url.rstrip('/')}"]  # the room's origin only
    assert kiosk.idle.held  # nobody is reset mid-call
    clock.advance(95)
    tap(qtbot, screen.findChild(QPushButton, "consult-hang-up"))
    settle(qtbot, kiosk)
    assert kiosk.nav.current_route == "rating"
    [outcome] = queued(services, "consult")
    assert outcome["outcome"] == "answered" and outcome["session_id"] == sid and outcome["talk_seconds"] >= 95
    qtbot.waitUntil(lambda: session_status(hub, sid) == "ended")


def test_unanswered_consultation_falls_back_to_hotline_qr_and_call_back(
    qtbot: Any, kiosk: Any, services: Any, clock: Any, consult_hub: tuple[Hub, Terminal]
) -> None:
    hub, terminal = consult_hub
    screen = consult_screen(kiosk, terminal, clock)
    sid = start_waiting(qtbot, kiosk, screen, hub)
    clock.advance(services.config.consult_answer_seconds)
    qtbot.waitUntil(lambda: shown(screen, QPushButton, "consult-callback"), timeout=10_000)
    texts = " ".join(visible_texts(screen))
    assert "值班律师暂时都在忙" in texts and screen.findChild(QLabel, "consult-hotline").text().endswith("12348")
    # queues a consultation from the phone, with this terminal's short-lived token
    phone_page = hub.url.rstrip("/") + "/consult?t=" + terminal.device_id() + "."
    hotline, page = qr_payloads(screen)
    assert hotline == "tel:12348" and page.startswith(phone_page)
    opened = hub.session.get(page, timeout=10)
    assert opened.status_code == 200 and "开始视频咨询" in opened.text  # the hub takes the token
    [outcome] = queued(services, "consult")
    assert outcome["outcome"] == "missed" and outcome["wait_seconds"] >= services.config.consult_answer_seconds
    qtbot.waitUntil(lambda: session_status(hub, sid) == "cancelled")  # the lawyers' queue lets it go
    tap(qtbot, screen.findChild(QPushButton, "consult-callback"))
    settle(qtbot, kiosk)
    assert kiosk.nav.current_route == "request" and kiosk.nav.current_screen().form.kind.value == "callback"
    # 返回 shows the same choices again, without calling anyone
    kiosk.nav.back()
    settle(qtbot, kiosk)
    assert kiosk.nav.current_route == "consult" and qr_payloads(screen)[0] == "tel:12348"
    assert qr_payloads(screen)[1].startswith(phone_page)
    assert waiting_count(hub) == 0 and len(queued(services, "consult")) == 1
    # 再试一次 calls again; 取消 gives the place in the queue back
    tap(qtbot, screen.findChild(QPushButton, "consult-retry"))
    qtbot.waitUntil(lambda: "正在呼叫" in status_text(screen), timeout=10_000)
    again = waiting_session(hub)
    tap(qtbot, screen.findChild(QPushButton, "consult-cancel"))
    settle(qtbot, kiosk)
    assert kiosk.nav.current_route == "home"
    assert [o["outcome"] for o in queued(services, "consult")] == ["missed", "cancelled"]
    qtbot.waitUntil(lambda: session_status(hub, again) == "cancelled")


def test_offline_terminal_falls_back_at_once(
    qtbot: Any, kiosk: Any, services: Any, clock: Any, tmp_path: Path, consult_hub: tuple[Hub, Terminal]
) -> None:
    _hub, terminal = consult_hub
    offline = Terminal(tmp_path / "offline")
    device = json.loads((terminal.paths.state_dir / "device.json").read_text())
    (offline.paths.state_dir).mkdir(parents=True, exist_ok=True)
    for f in terminal.paths.state_dir.iterdir():
        if f.is_file():
            (offline.paths.state_dir / f.name).write_bytes(f.read_bytes())
    device["hub_url"] = "http://127.0.0.1:9/"  # nothing listens there
    (offline.paths.state_dir / "device.json").write_text(json.dumps(device))
    screen = consult_screen(kiosk, offline, clock)
    kiosk.nav.go("consult")
    qtbot.waitUntil(lambda: shown(screen, QPushButton, "consult-callback"), timeout=15_000)
    assert "连不上" in screen.findChild(QLabel, "consult-fallback").text()
    assert queued(services, "consult")[0]["outcome"] == "offline"
    # the phone reaches the platform when the terminal cannot: its phone page
    offline_id = device["device_id"]
    hotline, page = qr_payloads(screen)  # with this terminal's short-lived token, computed offline
    assert hotline == "tel:12348" and page.startswith(f"http://127.0.0.1:9/consult?t={offline_id}.")


def test_terminal_not_enrolled_offers_the_hotline_and_call_back(
    qtbot: Any, kiosk: Any, services: Any, clock: Any, tmp_path: Path
) -> None:
    screen = consult_screen(kiosk, Terminal(tmp_path / "new"), clock)
    kiosk.nav.go("consult")
    qtbot.waitUntil(lambda: shown(screen, QPushButton, "consult-callback"), timeout=10_000)
    assert qr_payloads(screen) == ["tel:12348"]  # no platform known: no phone page to offer
    assert queued(services, "consult")[0]["outcome"] == "offline"


def test_missing_camera_offers_the_hotline(qtbot: Any, kiosk: Any, services: Any, consult_hub: Any) -> None:
    screen = kiosk.nav.screen("consult")
    screen.probe = lambda: ([], ["测试麦克风"])
    kiosk.nav.go("consult")
    qtbot.waitUntil(lambda: shown(screen, QPushButton, "consult-callback"))
    assert screen.findChild(QLabel, "consult-fallback").text() == "本终端的摄像头现在用不了，不能在这里视频通话。"
    assert queued(services, "consult") == []  # no session was asked for


def test_camera_and_microphone_only_for_the_rooms_own_origin(qtbot: Any, kiosk: Any) -> None:
    """A page of any other origin in the call view (a redirect, a link) asks in vain."""
    import http.server
    import threading

    from PySide6.QtCore import QUrl

    from kiosk.ui.widgets.call_view import CallView
    from kiosk_hub.broker import TEST_ROOM_PAGE

    class Room(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = TEST_ROOM_PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Room)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    other = f"http://127.0.0.1:{server.server_address[1]}/_test/room/elsewhere"
    kiosk.nav.busy.emit("video-call", True)  # as the consultation screen does around the web view
    view = CallView()
    try:
        view.resize(800, 600)
        view.show()
        view.room_origin = "http://127.0.0.1:1"  # the room the platform gave
        view.view.load(QUrl(other))
        qtbot.waitUntil(lambda: view.view.title().startswith("room:media-"), timeout=20_000)
        assert view.view.title().startswith("room:media-refused")
        assert view.decisions == [f"refused MediaAudioVideoCapture http://127.0.0.1:{server.server_address[1]}"]
    finally:
        view.dispose()
        kiosk.nav.busy.emit("video-call", False)
        server.shutdown()
