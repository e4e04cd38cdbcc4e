"""The admin panel a technician opens behind the PIN: status, touch test, settings, exit — each action
logged and queued for the platform."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton
from uihelpers import settle, tap, visible_texts

from kiosk.config import Config


def admin_events(services: Any) -> list[dict[str, Any]]:
    rows = services.resident.outbox.db.execute_sql("SELECT payload FROM outbox_event WHERE kind = 'admin'")
    return [json.loads(r[0]) for r in rows]


def test_status_shows_identity_content_outbox_disk_and_memory(qtbot: Any, kiosk: Any) -> None:
    admin = kiosk.nav.go("admin")
    settle(qtbot, kiosk)
    texts = " ".join(visible_texts(admin))
    for shown in ("终端编号", "未注册", "内容版本", "ui-test", "待上报", "剩余磁盘", "内存", "孝感市孝南区"):
        assert shown in texts, shown
    tap(qtbot, admin.findChild(QPushButton, "admin-sync"))
    assert "尚未注册" in admin.sync_state.text()


def test_touch_grid_counts_the_cells_touched_and_dragged(qtbot: Any, kiosk: Any, services: Any) -> None:
    admin = kiosk.nav.go("admin")
    settle(qtbot, kiosk)
    tap(qtbot, admin.findChild(QPushButton, "admin-test-touch"))
    grid = admin.touch
    assert grid is not None and grid.isVisible() and grid.geometry() == kiosk.window.rect()
    assert (grid.columns, grid.rows) == (6, 10) and grid.total == 60  # portrait: cells of about 180 px
    assert grid.width() / grid.columns >= 60 and grid.grid_height() / grid.rows >= 60
    assert grid.count.text() == "请用手指点遍或划过每一格：已点亮 0 / 60 格。"
    for x, y in ((5, 5), (grid.width() - 5, grid.grid_height() - 5), (5, grid.grid_height() - 5)):
        qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=QPoint(90, 400))  # a finger dragged down a column
    for y in range(400, 1000, 40):
        qtbot.mouseMove(grid, QPoint(90, y))
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=QPoint(90, 1000))
    assert {(0, row) for row in range(2, 6)} <= grid.hit  # rows 2 to 5 of the first column lit by the drag
    assert grid.count.text().endswith("已点亮 7 / 60 格。")
    tap(qtbot, grid.finish_button)
    assert admin.test_state.text() == "触摸测试：7/60 个格子点到了，有区域不灵敏。"
    assert admin_events(services) == [{"action": "touch_test", "tapped": 7, "total": 60}]


def test_touch_grid_says_when_every_cell_answered(qtbot: Any, kiosk: Any) -> None:
    kiosk.resize_for("landscape")
    admin = kiosk.nav.go("admin")
    settle(qtbot, kiosk)
    tap(qtbot, admin.findChild(QPushButton, "admin-test-touch"))
    grid = admin.touch
    assert (grid.columns, grid.rows) == (11, 5)
    cell_w, cell_h = grid.width() / grid.columns, grid.grid_height() / grid.rows
    for cx in range(grid.columns):
        for cy in range(grid.rows):
            qtbot.mouseClick(
                grid, Qt.MouseButton.LeftButton, pos=QPoint(int((cx + 0.5) * cell_w), int((cy + 0.5) * cell_h))
            )
    assert grid.count.text() == "全部 55 格都已点亮，触摸屏正常。点“完成”返回。"
    tap(qtbot, grid.finish_button)
    assert admin.test_state.text() == "触摸测试：55/55 个格子点到了，正常。"


def test_settings_are_saved_applied_at_once_and_reported(qtbot: Any, kiosk: Any, services: Any) -> None:
    admin = kiosk.nav.go("admin")
    settle(qtbot, kiosk)
    tap(qtbot, admin.findChild(QPushButton, "admin-idle_seconds-180"))
    tap(qtbot, admin.findChild(QPushButton, "admin-elder_mode_default-True"))
    saved = Config.load(services.config.path)
    assert saved.idle_seconds == 180 and saved.elder_mode_default is True
    assert kiosk.idle.idle_seconds == 180
    assert admin_events(services) == [
        {"action": "setting", "name": "idle_seconds", "old": 60, "new": 180},
        {"action": "setting", "name": "elder_mode_default", "old": False, "new": True},
    ]


def test_media_test_says_what_is_missing(qtbot: Any, kiosk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = kiosk.nav.go("admin")
    settle(qtbot, kiosk)
    monkeypatch.setattr("kiosk.ui.screens.consult.media_devices", lambda: ([], ["USB Audio"]))
    tap(qtbot, admin.findChild(QPushButton, "admin-test-media"))
    assert admin.test_state.text() == "摄像头：未检测到；麦克风：USB Audio。视频咨询需要两者，请检查连线后再试。"


def test_media_test_names_what_it_found(qtbot: Any, kiosk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = kiosk.nav.go("admin")
    settle(qtbot, kiosk)
    monkeypatch.setattr("kiosk.ui.screens.consult.media_devices", lambda: (["HD Camera"], ["USB Audio"]))
    tap(qtbot, admin.findChild(QPushButton, "admin-test-media"))
    assert admin.test_state.text() == "摄像头：HD Camera；麦克风：USB Audio"


def test_speech_test_reports_its_outcome(qtbot: Any, kiosk: Any, services: Any) -> None:
    admin = kiosk.nav.go("admin")
    settle(qtbot, kiosk)
    tap(qtbot, admin.findChild(QPushButton, "admin-test-speech"))
    assert admin.test_state.text() == "正在朗读测试语句……"
    qtbot.waitUntil(lambda: "……" not in admin.test_state.text(), timeout=30_000)
    # espeak-ng with its Mandarin voice is a required system package (scripts/bootstrap.sh installs it).
    assert admin.test_state.text() == "朗读测试完成。没有听到声音时，请检查音箱连线和系统音量。"
    assert admin_events(services) == [{"action": "speech_test", "ok": True}]


def test_speech_test_without_a_voice_says_where_to_look(qtbot: Any, kiosk: Any, services: Any) -> None:
    from kiosk.services.speech import SpeechService

    services.speech.close()
    services.speech = SpeechService(voice="no/such-voice", player=None)
    admin = kiosk.nav.go("admin")
    settle(qtbot, kiosk)
    tap(qtbot, admin.findChild(QPushButton, "admin-test-speech"))
    qtbot.waitUntil(lambda: "……" not in admin.test_state.text(), timeout=30_000)
    assert admin.test_state.text() == "朗读不可用：本机未安装中文语音，暂时不能朗读。请运行 kiosk doctor 查看修复方法。"
    assert admin_events(services) == [
        {"action": "speech_test", "ok": False, "reason": "本机未安装中文语音，暂时不能朗读"}
    ]


def test_restart_is_logged_queued_and_asked_of_the_runner(qtbot: Any, kiosk: Any, services: Any) -> None:
    admin = kiosk.nav.go("admin")
    settle(qtbot, kiosk)
    with qtbot.waitSignal(kiosk.restart_requested, timeout=1000):
        tap(qtbot, admin.findChild(QPushButton, "admin-restart"))
        tap(qtbot, admin.findChild(QPushButton, "admin-confirm"))
    assert admin_events(services) == [{"action": "restart"}]
    assert not kiosk.window.isVisible()


def test_exit_is_logged_queued_and_noted_for_the_system(qtbot: Any, kiosk: Any, services: Any) -> None:
    from kiosk.services.terminal import EXIT_TO_SYSTEM_FILE

    admin = kiosk.nav.go("admin")
    settle(qtbot, kiosk)
    with qtbot.waitSignal(kiosk.exit_requested, timeout=1000):
        tap(qtbot, admin.findChild(QPushButton, "admin-exit"))
        tap(qtbot, admin.findChild(QPushButton, "admin-confirm"))
    assert admin_events(services) == [{"action": "exit"}]
    note = services.paths.state_dir / EXIT_TO_SYSTEM_FILE  # the unit opens a login prompt instead of restarting
    assert note.exists()
    note.unlink()
