"""``kiosk screenshots``: every screen with real content, portrait and landscape, normal and elder mode.

Files are named ``<route>-<orientation>[-elder].png``; panels over a screen (the reader's contents or
QR code, the idle countdown) get their own names such as ``reader-toc``.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.paths import DataPaths

Setup = Callable[[Any], None]


def keyboard_with_candidates(app: Any) -> None:
    from kiosk.ui.keyboard_shots import keyboard_with_candidates as shot

    shot(app)


def handwriting_with_candidates(app: Any) -> None:
    from kiosk.ui.keyboard_shots import handwriting_with_candidates as shot

    shot(app)


def settle(app: Any, rounds: int = 6) -> None:
    """Let background work finish and the event loop paint."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if app.background.pending == 0:
            break
        time.sleep(0.01)
    for _ in range(rounds):
        QApplication.processEvents()
        time.sleep(0.01)


def _first(items: list[Any]) -> Any:
    return items[0] if items else None


def _civil_code(app: Any) -> int:
    law_id = app.services.laws.find_current("民法典·婚姻家庭编") or app.services.laws.find_current("民法典·总则")
    if law_id is None:
        raise LookupError("the demo database has no 民法典; build it with `kiosk demo-data`")
    return int(law_id)


def _go(route: str, **params: Any) -> Setup:
    return lambda app: app.nav.go(route, **params)


def _reader(app: Any) -> None:
    app.nav.go("reader", law_id=_civil_code(app), number=1087)


def _reader_panel(panel: str) -> Setup:
    def setup(app: Any) -> None:
        _reader(app)
        settle(app)
        getattr(app.nav.current_screen(), panel)()

    return setup


def _search(app: Any) -> None:
    screen = app.nav.go("search", text="欠薪")
    settle(app)
    screen.edit.setFocus()


def _search_more(app: Any) -> None:
    """The end of the first six articles: the card that shows the rest."""
    screen = app.nav.go("search", text="欠薪")
    settle(app)
    from PySide6.QtWidgets import QAbstractItemView

    from kiosk.ui.screens.search import MORE

    more = screen.results.index_of(lambda i: bool(i.payload) and i.payload[0] == MORE)
    if more.isValid():
        screen.results.scrollTo(more, QAbstractItemView.ScrollHint.PositionAtCenter)


def _institution(app: Any) -> None:
    found = app.services.directory.institutions("法律援助中心") or app.services.directory.institutions()
    app.nav.go("institution", id=found[0].id)


def _person(app: Any) -> None:
    people = app.services.directory.people("律师") or app.services.directory.people()
    app.nav.go("person", id=people[0].id)


def _case(app: Any) -> None:
    cases = app.services.cases.cases("指导性案例") or app.services.cases.cases()
    app.nav.go("case", id=cases[0].id)


def _guide(app: Any) -> None:
    guide_id = app.services.guides.by_key("legal-aid") or app.services.guides.guides()[0].id
    screen = app.nav.go("guide", id=guide_id)
    settle(app)
    from PySide6.QtWidgets import QWidget

    take_away = screen.findChild(QWidget, "guide-materials-qr")  # the checklist and its QR in view
    if take_away is not None:
        screen.page.ensureWidgetVisible(take_away, 0, 40)


def _publicity_item(app: Any) -> None:
    app.nav.go("publicity_item", id=app.services.publicity.items("文章")[0].id)


def _publicity_video(app: Any) -> None:
    screen = app.nav.go("publicity")
    screen._chosen("视频")


def _idle(app: Any) -> None:
    app.nav.go("search", text="离婚")
    settle(app)
    app.window.idle_overlay.show_countdown(12)


def _directory_people(app: Any) -> None:
    app.nav.go("directory", mode="person")


def _admin_touch(app: Any) -> None:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QMouseEvent

    screen = app.nav.go("admin")
    screen.test_touch()
    grid = screen.touch
    for x, y in ((40, 40), (grid.width() // 2, 300), (grid.width() - 40, grid.height() - 40)):
        point = QPointF(QPoint(x, y))
        press = QMouseEvent(
            QMouseEvent.Type.MouseButtonPress, point, point, Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
        )  # fmt: skip
        grid.mousePressEvent(press)


def _legal_aid(*answers: str) -> Setup:
    def setup(app: Any) -> None:
        screen = app.nav.go("legal_aid")
        for answer in answers:
            screen.answer(answer)

    return setup


def _request(kind: str, step: str) -> Setup:
    def setup(app: Any) -> None:
        screen = app.nav.go("request", kind=kind)
        if step == "refused":
            screen.refuse()
        elif step in ("form", "done"):
            screen.agree()
            screen.fields["name"].setText("张示例")
            screen.fields["phone"].setText("13800000000" if step == "done" else "1380000")
            screen.fields["matter"].setText("工地老板拖欠三个月工资（示例）")
            from PySide6.QtWidgets import QPushButton

            for chip in ("choice-preferred_time-1", "choice-institution-0"):
                button = screen.findChild(QPushButton, chip)
                if button is not None:
                    button.click()
            screen.submit()

    return setup


def _rating_reason(app: Any) -> None:
    from kiosk.flows.rating import Level

    app.nav.go("rating", service="consult", session="screenshot").choose(Level.DISSATISFIED)


def _consult(phase: str) -> Setup:
    def setup(app: Any) -> None:
        screen = app.nav.screen("consult")
        screen.probe = lambda: ([], [])  # no session is asked for while taking pictures
        app.nav.go("consult")
        if phase == "checking":
            screen.check_timer.stop()  # the picture of the moment before the devices answer
            return
        settle(app)
        if phase == "waiting":
            screen.page.clear()
            from kiosk.ui.widgets.common import label

            screen.page.add(label("与值班律师视频通话", "headline"))
            screen.waiting_page("USB 高清摄像头", "USB 麦克风")
            screen.status.setText("正在呼叫值班律师……已等待 12 秒。您前面还有 1 位。")
        elif phase in ("missed", "offline"):
            screen._fallback(phase, "", "https://hub.xiaogan.example.gov.cn/consult")

    return setup


SHOTS: dict[str, Setup] = {
    "home": _go("home"),
    "search": _search,
    "search-more": _search_more,
    "laws": _go("laws"),
    "reader": _reader,
    "reader-toc": _reader_panel("show_toc"),
    "reader-jump": _reader_panel("show_jump"),
    "reader-qr": _reader_panel("show_qr"),
    "reader-related": _reader_panel("show_related"),
    "directory": _go("directory"),
    "directory-people": _directory_people,
    "institution": _institution,
    "person": _person,
    "cases": _go("cases"),
    "case": _case,
    "guides": _go("guides"),
    "guide": _guide,
    "publicity": _go("publicity"),
    "publicity-video": _publicity_video,
    "publicity_item": _publicity_item,
    "legal_aid": _go("legal_aid"),
    "legal_aid-group": _legal_aid("wages"),
    "legal_aid-eligible": _legal_aid("wages", "migrant"),
    "legal_aid-not_eligible": _legal_aid("support", "none", "above"),
    "legal_aid-review": _legal_aid("other"),
    "consult": _consult("checking"),
    "consult-devices": _consult("devices"),
    "consult-waiting": _consult("waiting"),
    "consult-missed": _consult("missed"),
    "consult-offline": _consult("offline"),
    "feedback": _go("feedback"),
    "request": _go("request", kind="callback"),
    "request-form": _request("callback", "form"),
    "request-done": _request("appointment", "done"),
    "request-refused": _request("mediation", "refused"),
    "rating": _go("rating", service="legal_aid", session="screenshot"),
    "rating-reason": _rating_reason,
    "idle": _idle,
    "attract": lambda app: app.nav.reset("attract"),
    "admin_pin": _go("admin_pin"),
    "admin": _go("admin"),
    "admin-touch": _admin_touch,
    "keyboard": lambda app: keyboard_with_candidates(app),
    "handwriting": lambda app: handwriting_with_candidates(app),
}


def wizard_screenshots(out: Path, orientation: str) -> list[Path]:
    """Every step of the first-run wizard, filled in as a technician would (no platform is called)."""
    import tempfile as _tempfile

    from PySide6.QtWidgets import QApplication

    from kiosk.ui.app import SIZES
    from kiosk.ui.theme import NORMAL, stylesheet
    from kiosk.ui.wizard import SetupWizard
    from kiosk.ui.wizard_text import STAGE_TEXT, STEPS

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyleSheet(stylesheet(NORMAL))
    written: list[Path] = []
    with _tempfile.TemporaryDirectory(prefix="kiosk-wizard-") as tmp:
        wizard = SetupWizard(DataPaths(Path(tmp)).ensure())
        wizard.resize(*SIZES[orientation])
        wizard.show()
        fills = {
            "hub": "https://hub.xiaogan.example.gov.cn/",
            "code": "K7QW-2M9X-HT4P",
            "name": "书院街道便民服务中心（示例）",
            "address": "孝南区书院街道示例路 1 号一楼大厅",
            "pin": "739155",
            "pin_again": "739155",
        }
        for name, text in fills.items():
            wizard.fields[name].setText(text)
        wizard._pick_county("420902")
        wizard._pick_town("420902001")
        for step in range(len(STEPS)):
            wizard.step = step
            wizard._show_step()
            if step == len(STEPS) - 1:
                wizard.bar.setValue(3)
                wizard.sync_text.setText(STAGE_TEXT["content"])
            _pump()
            target = out / f"setup-{step + 1}-{orientation}.png"
            wizard.grab().save(str(target))
            written.append(target)
        wizard.result.setText("设置完成，终端已注册并下载了最新内容。")
        wizard.result.show()
        wizard.bar.setValue(wizard.bar.maximum())
        wizard.sync_text.setText("点“进入首页”开始使用。")
        wizard.next_button.setText("进入首页")
        _pump()
        target = out / f"setup-done-{orientation}.png"
        wizard.grab().save(str(target))
        written.append(target)
        wizard.close()
        wizard.deleteLater()
        _pump()
    return written


def _pump(rounds: int = 8) -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(rounds):
        QApplication.processEvents()
        time.sleep(0.01)


def take_screenshots(
    paths: DataPaths,
    out_dir: str | os.PathLike[str],
    orientations: list[str],
    elder_modes: list[bool],
    routes: list[str] | None = None,
) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.ui.app import application

    application()
    from PySide6.QtWidgets import QWidget

    from kiosk.services import open_services
    from kiosk.services.resident import ResidentService
    from kiosk.services.speech import SpeechService
    from kiosk.ui.app import KioskApp

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    services = open_services(paths, speech=SpeechService(player=None))
    # Pictures must not queue usage counts, ratings or requests for the platform.
    services.resident.close()
    scratch = tempfile.TemporaryDirectory(prefix="kiosk-shots-")
    services.resident = ResidentService.scratch(Path(scratch.name))
    services.search.warm()  # as the running kiosk does shortly after start
    from kiosk.domain_words import rebuild_domain_words

    rebuild_domain_words(paths, services.db)  # the keyboard's domain words, as the running kiosk builds them
    try:
        for orientation in orientations:
            for elder in elder_modes:
                services.config.set("elder_mode_default", elder)
                app = KioskApp(services, windowed=True, orientation=orientation, start_timers=False)
                app.resize_for(orientation)
                app.window.show()
                app.window.activateWindow()
                app.chrome.set_network("网络已连接")
                try:
                    for name, setup in SHOTS.items():
                        if routes and name not in routes and name.split("-")[0] not in routes:
                            continue
                        app.window.idle_overlay.hide()
                        app.window.toast.hide()  # a message left by the previous picture
                        for grid in app.window.findChildren(QWidget, "touch-test"):
                            grid.hide()
                        app.nav.reset("home")
                        settle(app)
                        setup(app)
                        settle(app)
                        target = out / f"{name}-{orientation}{'-elder' if elder else ''}.png"
                        app.window.grab().save(str(target))
                        written.append(target)
                finally:
                    app.close()
                    settle(app, 2)
    finally:
        services.close()
        scratch.cleanup()
    if (not routes or "setup" in routes) and False in elder_modes:  # the wizard is for technicians
        for orientation in orientations:
            written += wizard_screenshots(out, orientation)
    return written
