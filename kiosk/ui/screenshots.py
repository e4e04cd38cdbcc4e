"""``kiosk screenshots``: every screen with real content, portrait and landscape, normal and elder mode.

Files are named ``<route>-<orientation>[-elder].png``; panels over a screen (the reader's contents or
QR code, the idle countdown) get their own names such as ``reader-toc``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.paths import DataPaths

Setup = Callable[[Any], None]


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
    app.nav.go("guide", id=guide_id)


def _publicity_item(app: Any) -> None:
    app.nav.go("publicity_item", id=app.services.publicity.items("文章")[0].id)


def _idle(app: Any) -> None:
    app.nav.go("search", text="离婚")
    settle(app)
    app.window.idle_overlay.show_countdown(12)


def _directory_people(app: Any) -> None:
    app.nav.go("directory", mode="person")


SHOTS: dict[str, Setup] = {
    "home": _go("home"),
    "search": _search,
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
    "publicity_item": _publicity_item,
    "legal_aid": _go("legal_aid"),
    "consult": _go("consult"),
    "feedback": _go("feedback"),
    "idle": _idle,
    "attract": lambda app: app.nav.reset("attract"),
    "admin_pin": _go("admin_pin"),
    "admin": _go("admin"),
}


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
    from kiosk.services import open_services
    from kiosk.services.speech import SpeechService
    from kiosk.ui.app import KioskApp

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    services = open_services(paths, speech=SpeechService(player=None))
    services.search.warm()  # as the running kiosk does shortly after start
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
    return written
