"""The first-run wizard tapped through against a real hub on 127.0.0.1: every step refuses a bad value
with its message, then the terminal is enrolled and holds the published content."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget
from uihelpers import tap, visible_texts

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sync"))
from content_set import available, copy_laws
from sync_harness import Hub

from kiosk.config import Config
from kiosk.paths import DataPaths


@pytest.fixture(scope="module")
def setup_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    if not available():
        pytest.skip("the shared data folder (../shared/data) is not available")
    base = tmp_path_factory.mktemp("wizard")
    hub = Hub(base / "hub")
    hub.cli("init")
    hub.publish(copy_laws(base / "laws"))
    hub.start()
    yield hub
    hub.stop()


@pytest.fixture
def wizard(qtbot: Any, tmp_path: Path) -> Any:
    from kiosk.ui.theme import NORMAL, stylesheet
    from kiosk.ui.wizard import SetupWizard

    QApplication.instance().setStyleSheet(stylesheet(NORMAL))  # type: ignore[union-attr]
    w = SetupWizard(DataPaths(tmp_path / "kiosk").ensure())
    qtbot.addWidget(w)
    w.resize(1080, 1920)
    w.show()
    qtbot.waitExposed(w)
    return w


def type_into(w: Any, name: str, text: str) -> None:
    field = w.findChild(QLineEdit, f"wizard-{name}")
    field.setText(text)


def tap_named(qtbot: Any, w: Any, name: str) -> None:
    target = w.findChild(QPushButton, name)
    qtbot.waitUntil(target.isVisible, timeout=2000)  # chips added to a shown page appear a moment later
    tap(qtbot, target)


def next_step(qtbot: Any, w: Any) -> None:
    tap(qtbot, w.next_button)
    qtbot.wait(10)


def error(w: Any, name: str) -> str:
    found = w.findChild(QLabel, f"wizard-error-{name}")
    return found.text() if found.isVisible() else ""


def fill_to_last_step(qtbot: Any, w: Any, hub: Hub, code: str) -> None:
    type_into(w, "hub", "ftp://hub.example")
    type_into(w, "code", code)
    next_step(qtbot, w)
    assert "平台地址不可用" in error(w, "hub") and w.step == 0
    type_into(w, "hub", hub.url)
    next_step(qtbot, w)
    qtbot.waitUntil(lambda: w.step == 1, timeout=10_000)  # the platform answered at that address
    assert w.heading.text() == "终端名称和安放地点"
    next_step(qtbot, w)
    assert "请填写终端名称" in error(w, "name")
    type_into(w, "name", "书院街道便民服务中心")
    next_step(qtbot, w)
    next_step(qtbot, w)  # no county chosen yet
    assert "未知的区划代码" in error(w, "region") and w.step == 2
    tap_named(qtbot, w, "county-420902")
    tap_named(qtbot, w, "town-420902001")
    assert w.findChild(QLabel, "wizard-region").text() == "已选：孝感市孝南区书院街道（420902001）"
    next_step(qtbot, w)
    assert w.findChild(QLineEdit, "wizard-lat").text() == "30.93"  # the town's centre, to be corrected
    type_into(w, "lat", "39.9")
    next_step(qtbot, w)
    assert "不在湖北省内" in error(w, "lat")
    type_into(w, "lat", "30.62")
    type_into(w, "lon", "114.30")  # Wuhan: in Hubei, not in 孝南区
    next_step(qtbot, w)
    assert "不在孝南区范围内" in error(w, "lat")
    type_into(w, "lon", "113.915")
    type_into(w, "lat", "30.9256")
    next_step(qtbot, w)
    type_into(w, "pin", "123456")
    type_into(w, "pin_again", "123456")
    next_step(qtbot, w)
    assert "连续数字" in error(w, "pin")
    type_into(w, "pin", "739155")
    type_into(w, "pin_again", "739156")
    next_step(qtbot, w)
    assert "不一致" in error(w, "pin_again")
    type_into(w, "pin_again", "739155")
    next_step(qtbot, w)
    assert w.step == 5
    tap_named(qtbot, w, "orientation-landscape")
    tap_named(qtbot, w, "elder_default-True")
    next_step(qtbot, w)
    assert w.step == 6 and w.next_button.text() == "注册"
    shown = " ".join(visible_texts(w.findChild(QWidget, "wizard-summary")))
    for value in ("书院街道便民服务中心", "孝感市孝南区书院街道（420902001）", "30.9256, 113.915", "横屏", "长辈模式"):
        assert value in shown, value
    assert "739155" not in shown


def test_wizard_enrols_and_syncs(qtbot: Any, wizard: Any, setup_hub: Hub) -> None:
    fill_to_last_step(qtbot, wizard, setup_hub, setup_hub.enrol_code())
    tap(qtbot, wizard.next_button)
    qtbot.waitUntil(lambda: wizard.result.isVisible(), timeout=120_000)
    assert wizard.result.text() == "设置完成，终端已注册并下载了最新内容。"
    assert wizard.bar.value() == wizard.bar.maximum()
    with qtbot.waitSignal(wizard.finished) as done:
        tap(qtbot, wizard.next_button)
    assert done.args == [True]
    paths = wizard.paths
    config = Config.load(paths.config_file)
    assert config.orientation == "landscape" and config.elder_mode_default
    assert (config.latitude, config.longitude) == (30.9256, 113.915)
    device = json.loads((paths.state_dir / "device.json").read_text())
    assert device["device_id"] in setup_hub.cli("devices").stdout
    assert "739155" not in (paths.state_dir / "admin_pin.argon2").read_text()


def use_code(hub: Hub, code: str, where: Path) -> None:
    """Another terminal enrols with ``code`` (from the command line)."""
    from kiosk.provisioning.enrol import enrol
    from kiosk.provisioning.validate import Enrolment

    enrol(
        DataPaths(where).ensure(),
        Enrolment(hub=hub.url, code=code, name="另一台", region="420902", pin="739155", allow_http=True),
    )


def test_a_code_used_meanwhile_sends_the_technician_back_to_it_and_straight_back(
    qtbot: Any, wizard: Any, setup_hub: Hub, tmp_path: Path
) -> None:
    code = setup_hub.enrol_code()
    fill_to_last_step(qtbot, wizard, setup_hub, code)
    use_code(setup_hub, code, tmp_path / "other")  # used elsewhere while this wizard sat on its summary
    tap(qtbot, wizard.next_button)
    qtbot.waitUntil(lambda: wizard.step == 0, timeout=30_000)
    assert "已经用过了" in error(wizard, "code") and wizard.next_button.text() == "回到核对页"
    assert not (wizard.paths.state_dir / "device.json").exists()
    type_into(wizard, "code", setup_hub.enrol_code())
    assert error(wizard, "code") == ""  # cleared once the code is changed
    next_step(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.step == 6, timeout=10_000)  # no six more 下一步: every other value kept
    assert not wizard.result.isVisible()  # the old refusal is not left on the summary
    shown = " ".join(visible_texts(wizard.findChild(QWidget, "wizard-summary")))
    assert "书院街道便民服务中心" in shown and "30.9256, 113.915" in shown
    tap(qtbot, wizard.next_button)
    qtbot.waitUntil(lambda: wizard.result.isVisible(), timeout=120_000)
    assert wizard.result.text() == "设置完成，终端已注册并下载了最新内容。"


def test_the_code_is_checked_as_soon_as_it_is_typed(qtbot: Any, wizard: Any, setup_hub: Hub, tmp_path: Path) -> None:
    used = setup_hub.enrol_code()
    use_code(setup_hub, used, tmp_path / "other")
    type_into(wizard, "hub", setup_hub.url)
    type_into(wizard, "code", used)
    qtbot.waitUntil(lambda: error(wizard, "code") != "", timeout=10_000)  # no tap on 下一步
    assert error(wizard, "code").startswith("这个注册码已经用过了")
    type_into(wizard, "code", "ABCD-EFGH-JKLM")
    assert error(wizard, "code") == ""
    qtbot.waitUntil(lambda: error(wizard, "code") != "", timeout=10_000)
    assert error(wizard, "code").startswith("注册码无效")
    type_into(wizard, "code", setup_hub.enrol_code("示例 书院街道便民服务中心"))
    ok = wizard.findChild(QLabel, "wizard-code-ok")
    qtbot.waitUntil(ok.isVisible, timeout=10_000)
    assert ok.text() == "注册码有效：平台为“示例 书院街道便民服务中心”签发" and error(wizard, "code") == ""
    assert wizard.findChild(QLineEdit, "wizard-name").text() == "示例 书院街道便民服务中心"  # not typed again
    next_step(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.step == 1, timeout=10_000)


def test_a_used_code_stops_the_first_step(qtbot: Any, wizard: Any, setup_hub: Hub, tmp_path: Path) -> None:
    used = setup_hub.enrol_code()
    use_code(setup_hub, used, tmp_path / "other")
    type_into(wizard, "hub", setup_hub.url)
    type_into(wizard, "code", used)
    wizard.code_timer.stop()  # 下一步 at once, before the check while typing
    next_step(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.next_button.isEnabled(), timeout=10_000)
    assert wizard.step == 0 and error(wizard, "code").startswith("这个注册码已经用过了")


def test_fields_open_the_keyboard_in_the_layout_they_need(wizard: Any) -> None:
    from PySide6.QtCore import Qt

    hint = Qt.InputMethodHint

    def hints(name: str) -> Any:
        return wizard.findChild(QLineEdit, f"wizard-{name}").inputMethodHints()

    for flag in (hint.ImhUrlCharactersOnly, hint.ImhLatinOnly, hint.ImhPreferLatin):
        assert hints("hub") & flag
    assert hints("code") & hint.ImhLatinOnly and hints("code") & hint.ImhPreferUppercase
    for name in ("pin", "pin_again"):
        assert hints(name) & hint.ImhDigitsOnly
    for name in ("lat", "lon"):
        assert hints(name) & hint.ImhFormattedNumbersOnly
    assert not hints("name") & hint.ImhLatinOnly  # the name is Chinese: Pinyin stays available


def test_plain_http_to_another_machine_is_refused_in_chinese(qtbot: Any, wizard: Any) -> None:
    type_into(wizard, "hub", "http://hub.example.gov.cn/")
    type_into(wizard, "code", "K7QW-2M9X-HT4P")
    next_step(qtbot, wizard)
    assert wizard.step == 0
    assert error(wizard, "hub") == (
        "平台地址不可用：hub.example.gov.cn 用的是不加密的 http，只允许本机测试；正式平台请用 https://"
    )


def test_an_unreachable_platform_is_said_at_the_first_step(qtbot: Any, wizard: Any) -> None:
    type_into(wizard, "hub", "http://127.0.0.1:9/")  # nothing listens there
    type_into(wizard, "code", "K7QW-2M9X-HT4P")
    next_step(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.next_button.isEnabled(), timeout=10_000)
    assert wizard.step == 0 and "连不上平台 http://127.0.0.1:9/" in error(wizard, "hub")
    assert wizard.progress_text.text() == "第 1 步，共 7 步"


def test_back_keeps_every_value(qtbot: Any, wizard: Any, setup_hub: Hub) -> None:
    fill_to_last_step(qtbot, wizard, setup_hub, setup_hub.enrol_code())
    titles = []
    while wizard.step > 0:
        tap(qtbot, wizard.back_button)
        titles.append(wizard.heading.text())
    assert titles == ["屏幕方向和长辈模式", "设置管理密码", "终端位置（经纬度）", "所在县区和乡镇", "终端名称和安放地点",
                      "连接省级平台"]  # fmt: skip
    assert not wizard.back_button.isVisible()
    assert wizard.findChild(QLineEdit, "wizard-hub").text() == setup_hub.url
    assert wizard.findChild(QPushButton, "town-420902001").isChecked()
    assert wizard.findChild(QPushButton, "orientation-landscape").isChecked()


def test_a_first_sync_that_fails_is_said_plainly(qtbot: Any, wizard: Any, setup_hub: Hub) -> None:
    fill_to_last_step(qtbot, wizard, setup_hub, setup_hub.enrol_code())
    setup_hub.faults({"match": "/repo/", "action": "status", "status": 404, "times": -1})
    try:
        tap(qtbot, wizard.next_button)
        qtbot.waitUntil(lambda: wizard.result.isVisible(), timeout=60_000)
    finally:
        setup_hub.faults()
    assert wizard.result.text() == "已注册，但第一次同步没有完成。"
    assert (
        wizard.sync_text.text()
        == "连不上平台或平台暂时无响应。终端会在后台自动重试；也可以先进入首页，内容下载完后自动显示。"
    )
    assert not wizard.back_button.isVisible() and wizard.next_button.text() == "进入首页"
    with qtbot.waitSignal(wizard.finished) as done:
        tap(qtbot, wizard.next_button)
    assert done.args == [False]  # the kiosk starts anyway and keeps trying in the background


def test_enrolled_kiosk_syncs_on_demand_and_applies_platform_settings_live(
    qtbot: Any, setup_hub: Hub, tmp_path: Path, clock: Any, caplog: Any
) -> None:
    from uihelpers import make_app

    from kiosk.outbox import Outbox
    from kiosk.provisioning.enrol import enrol, first_sync
    from kiosk.provisioning.validate import Enrolment
    from kiosk.services import open_services
    from kiosk.services.speech import SpeechService

    paths = DataPaths(tmp_path / "kiosk").ensure()
    device = enrol(
        paths, Enrolment(hub=setup_hub.url, code=setup_hub.enrol_code(), name="示例终端", region="420902",
                         pin="739155", allow_http=True),
    )  # fmt: skip
    assert first_sync(paths) == 0
    notice = "本周六上午有律师现场免费咨询（示例）"
    status, reply = setup_hub.call(
        "PUT", f"/api/v1/admin/devices/{device.device_id}/settings",
        {"idle_seconds": 240, "announcement": notice}, admin=True,
    )  # fmt: skip
    assert status == 200, reply
    services = open_services(paths, speech=SpeechService(player=None))
    kiosk = make_app(services, clock)
    try:
        home = kiosk.nav.current_screen()
        assert not home.announcement.isVisible()
        admin = kiosk.nav.go("admin")
        with caplog.at_level("INFO", logger="kiosk.sync.run"):
            tap(qtbot, admin.findChild(QPushButton, "admin-sync"))
            with qtbot.waitSignal(kiosk.sync_link.finished, timeout=60_000):
                pass
        # the app's run logs its stages where every sync does (the legal-kiosk-sync journal)
        stages = [json.loads(r.getMessage())["stage"] for r in caplog.records if r.name == "kiosk.sync.run"]
        assert {"metadata", "content", "outbox", "heartbeat", "done"} <= set(stages)
        qtbot.waitUntil(lambda: "上次同步" in admin.sync_state.text() and "成功" in admin.sync_state.text())
        assert kiosk.idle.idle_seconds == 240 and services.config.announcement == notice  # no restart
        kiosk.nav.reset("home")
        qtbot.waitUntil(lambda: kiosk.nav.current_screen().announcement_label.text() == notice)
        assert "内容更新至" in kiosk.chrome.content_date.text() and "未更新" not in kiosk.chrome.content_date.text()
        # the admin's actions go to the platform with the next sync
        events = Outbox.open(paths)
        kinds = [e.kind for e in events.pending()]
        events.close()
        assert "admin" not in kinds  # already uploaded by the sync it asked for
        assert any(kind == "admin" for _, kind, _ in setup_hub.events())
    finally:
        kiosk.close()
        services.close()
