"""The admin panel a technician opens behind the PIN: status, touch test, settings, exit — each action
logged and queued for the platform."""

from __future__ import annotations

import json
from typing import Any

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


def test_touch_grid_counts_the_cells_touched(qtbot: Any, kiosk: Any, services: Any) -> None:
    admin = kiosk.nav.go("admin")
    settle(qtbot, kiosk)
    tap(qtbot, admin.findChild(QPushButton, "admin-test-touch"))
    grid = admin.touch
    assert grid is not None and grid.isVisible() and grid.geometry() == kiosk.window.rect()
    for x, y in ((5, 5), (grid.width() - 5, grid.height() - 5), (5, grid.height() - 5)):
        qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    tap(qtbot, grid.finish_button)
    assert admin.test_state.text() == "触摸测试：3/48 个格子点到了，有区域不灵敏。"
    assert admin_events(services) == [{"action": "touch_test", "tapped": 3, "total": 48}]


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


def test_media_test_says_what_is_missing(qtbot: Any, kiosk: Any) -> None:
    admin = kiosk.nav.go("admin")
    settle(qtbot, kiosk)
    tap(qtbot, admin.findChild(QPushButton, "admin-test-media"))
    assert admin.test_state.text().startswith("摄像头：")  # a test machine has none: 未检测到 and the advice
    assert "未检测到" not in admin.test_state.text() or "请检查连线" in admin.test_state.text()


def test_exit_is_logged_and_queued(qtbot: Any, kiosk: Any, services: Any) -> None:
    admin = kiosk.nav.go("admin")
    settle(qtbot, kiosk)
    with qtbot.waitSignal(kiosk.exit_requested, timeout=1000):
        tap(qtbot, admin.findChild(QPushButton, "admin-exit"))
    assert admin_events(services) == [{"action": "exit"}]
