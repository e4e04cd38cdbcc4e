"""The admin panel opens every time behind the right PIN and shows the terminal as it is now: content
version, outbox, the last sync in Chinese (raw detail behind 详情), settings with their source; 重启 and
退出到系统 ask before acting."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from uihelpers import make_app, settle, tap, visible_texts

from kiosk.config import Config
from kiosk.paths import DataPaths
from kiosk.store.models import Meta
from kiosk.sync.status import SyncStatus, write_status

PIN = "246810"


@pytest.fixture
def terminal(services: Any, clock: Any, tmp_path: Path) -> Iterator[Any]:
    """A kiosk whose state folder is this test's own (its config file is ``tmp_path/config.toml``)."""
    services.paths = DataPaths(tmp_path).ensure()
    services.admin_pin.set_pin(PIN)
    app = make_app(services, clock)
    yield app
    app.close()


@pytest.fixture
def content_version() -> Iterator[Any]:
    """Set the shared test database's content version; restored afterwards."""
    before = Meta.get(Meta.key == "content_version").value

    def set_version(value: str) -> None:
        Meta.replace(key="content_version", value=value).execute()

    yield set_version
    set_version(before)


def open_panel(qtbot: Any, kiosk: Any) -> Any:
    pad = kiosk.nav.go("admin_pin")
    for digit in PIN:
        tap(qtbot, pad.findChild(QPushButton, f"key-{digit}"))
    tap(qtbot, pad.findChild(QPushButton, "key-enter"))
    settle(qtbot, kiosk)
    assert kiosk.nav.current_route == "admin", pad.message.text()
    return kiosk.nav.current_screen()


def shown_fact(panel: Any, name: str) -> str:
    texts = visible_texts(panel)
    return texts[texts.index(name) + 1]


def test_panel_opens_five_times_and_shows_the_current_version_and_outbox(
    qtbot: Any, terminal: Any, services: Any, content_version: Any, caplog: Any
) -> None:
    outbox = services.resident.outbox
    for visit in range(1, 6):
        content_version(f"{40 + visit}")
        outbox.enqueue("usage", {"visit": visit})
        panel = open_panel(qtbot, terminal)
        assert shown_fact(panel, "内容版本") == f"{40 + visit}"
        assert shown_fact(panel, "待上报") == f"{outbox.pending_count()} 条" == f"{visit} 条"
        assert panel.sync_state.isVisible() and panel.sync_state.text() == "还没有同步过。"
        tap(qtbot, panel.findChild(QPushButton, "admin-home"))  # back to residents: every screen is wiped
        settle(qtbot, terminal)
        assert terminal.nav.current_route == "home"
    with caplog.at_level(logging.INFO, logger="kiosk"):
        panel = open_panel(qtbot, terminal)
        tap(qtbot, panel.findChild(QPushButton, "admin-idle_seconds-180"))
        settle(qtbot, terminal)
    actions = [r for r in caplog.records if '"admin_action"' in r.getMessage()]
    assert len(actions) == 1  # logged once
    assert shown_fact(panel, "待上报") == "6 条"  # the action itself, queued, shown at once


def test_a_failed_sync_reads_in_chinese_with_the_detail_behind_a_toggle(
    qtbot: Any, terminal: Any, services: Any
) -> None:
    write_status(
        services.paths,
        SyncStatus(
            last_attempt="2026-12-03T08:00:00+00:00",
            result="unreachable",
            exit_code=4,
            last_success="2026-12-01T08:00:00+00:00",
            message="metadata: HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded",
            stages={"metadata": "unreachable", "content": "skipped", "media": "skipped", "outbox": "unreachable"},
        ),
    )
    panel = open_panel(qtbot, terminal)
    texts = " ".join(visible_texts(panel))
    assert "上次同步：2026-12-03 08:00，未成功。上次成功：2026-12-01 08:00。" in texts
    assert "核验签名：连不上平台" in texts and "更新内容：跳过" in texts
    assert "请检查网线或 4G 网络" in texts
    assert "HTTPConnectionPool" not in texts and "unreachable" not in texts
    detail = panel.findChild(QLabel, "admin-sync-detail")
    tap(qtbot, panel.findChild(QPushButton, "admin-sync-detail-toggle"))
    assert detail.isVisible() and "HTTPConnectionPool" in detail.text()
    tap(qtbot, panel.findChild(QPushButton, "admin-sync-detail-toggle"))
    assert not detail.isVisible()
    # A later successful run (written by the sync) shows at the next open, without the old error.
    write_status(services.paths, SyncStatus(last_attempt="2026-12-03T09:00:00+00:00", result="ok", exit_code=0))
    tap(qtbot, panel.findChild(QPushButton, "admin-home"))
    panel = open_panel(qtbot, terminal)
    assert panel.sync_state.text() == "上次同步：2026-12-03 09:00，成功。"
    assert not panel.findChild(QPushButton, "admin-sync-detail-toggle").isVisible()


def test_settings_show_their_source_and_a_platform_value_standing_aside(
    qtbot: Any, terminal: Any, services: Any
) -> None:
    state = services.paths.state_dir
    (state / "remote_settings.json").write_text(json.dumps({"idle_seconds": 240, "elder_mode_default": True}))
    config = services.config
    config.set("elder_mode_default", True)
    config.save()  # the platform's value, applied by a sync
    panel = open_panel(qtbot, terminal)
    idle = panel.findChild(QLabel, "admin-setting-idle_seconds")
    assert (
        idle.text()
        == "空闲清屏等待：60 秒（本机设置）；平台下发 240 秒，未生效：本机设置优先，平台再次修改时以平台为准"
    )
    elder = panel.findChild(QLabel, "admin-setting-elder_mode_default")
    assert elder.text() == "开始时的字号：长辈模式（大字）（平台下发）"
    assert panel.findChild(QLabel, "admin-setting-sync_interval_minutes").text() == "同步间隔：60 分钟（默认）"
    assert panel.findChild(QPushButton, "admin-elder_mode_default-True").isChecked()
    tap(qtbot, panel.findChild(QPushButton, "admin-elder_mode_default-False"))
    elder = panel.findChild(QLabel, "admin-setting-elder_mode_default")
    assert elder.text().startswith("开始时的字号：标准字号（本机设置）；平台下发 长辈模式（大字），未生效")


@pytest.mark.parametrize(("name", "signal"), [("admin-restart", "restart_requested"), ("admin-exit", "exit_requested")])
def test_restart_and_exit_ask_first(qtbot: Any, terminal: Any, services: Any, name: str, signal: str) -> None:
    panel = open_panel(qtbot, terminal)
    tap(qtbot, panel.findChild(QPushButton, name))
    question = panel.findChild(QLabel, "admin-confirm-question")
    assert question.isVisible() and question.text().startswith("确定要")
    assert panel.findChild(QPushButton, "admin-confirm").text() in ("确定重启", "确定退出")
    assert terminal.window.isVisible()
    tap(qtbot, panel.findChild(QPushButton, "admin-confirm-cancel"))
    assert not question.isVisible() and terminal.window.isVisible()
    tap(qtbot, panel.findChild(QPushButton, name))
    with qtbot.waitSignal(getattr(terminal, signal), timeout=1000):
        tap(qtbot, panel.findChild(QPushButton, "admin-confirm"))
    assert not terminal.window.isVisible()
    (services.paths.state_dir / "exit-to-system").unlink(missing_ok=True)


def test_pin_failures_and_the_lockout_are_logged_without_the_pin(
    qtbot: Any, terminal: Any, services: Any, caplog: Any
) -> None:
    with caplog.at_level(logging.INFO, logger="kiosk"):
        for _ in range(6):
            services.admin_pin.verify("1357")
    events = [json.loads(r.getMessage())["event"] for r in caplog.records if r.name == "kiosk.admin_pin"]
    assert events == ["admin_pin_failed"] * 4 + ["admin_pin_lockout", "admin_pin_locked"]
    assert all("1357" not in r.getMessage() for r in caplog.records)


def test_a_setting_the_platform_changed_since_the_last_open_shows_at_the_next(
    qtbot: Any, terminal: Any, services: Any
) -> None:
    services.config.save()
    panel = open_panel(qtbot, terminal)
    assert panel.findChild(QPushButton, "admin-idle_seconds-60").isChecked()
    tap(qtbot, panel.findChild(QPushButton, "admin-home"))
    # A background sync applies the platform's value to config.toml (kiosk.sync.remote) meanwhile.
    disk = Config.load(services.config.path)
    disk.set("idle_seconds", 300)
    disk.save()
    (services.paths.state_dir / "remote_settings.json").write_text(json.dumps({"idle_seconds": 300}))
    panel = open_panel(qtbot, terminal)
    assert panel.findChild(QPushButton, "admin-idle_seconds-300").isChecked()
    assert not panel.findChild(QPushButton, "admin-idle_seconds-60").isChecked()
    assert panel.findChild(QLabel, "admin-setting-idle_seconds").text() == "空闲清屏等待：300 秒（平台下发）"
    assert terminal.idle.idle_seconds == 300  # and in force, not only shown
