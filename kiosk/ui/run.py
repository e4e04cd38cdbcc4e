"""Starting the kiosk: services, the window, and the event loop."""

from __future__ import annotations

import sys
from typing import Any

from kiosk.paths import DataPaths


def run(
    paths: DataPaths,
    windowed: bool = False,
    exit_when_ready: bool = False,
    orientation: str | None = None,
    elder: bool = False,
    setup: bool = True,
    demo: bool = False,
) -> int:
    """The kiosk; on a terminal that is not enrolled yet, first the setup wizard (unless ``setup`` is off).

    The admin panel's 重启程序 ends the event loop and starts the program afresh in this process;
    退出到系统 ends it with a note for the systemd unit (see :func:`mark_exit_to_system`).
    """
    from kiosk.logsetup import setup_logging
    from kiosk.services.terminal import clear_exit_to_system
    from kiosk.ui.app import application
    from kiosk.ui.qtlog import install_qt_message_filter

    setup_logging()
    install_qt_message_filter()
    paths.ensure()
    clear_exit_to_system(paths)
    qapp = application(sys.argv[:1])
    from PySide6.QtCore import QTimer

    started: list[Any] = []  # (services, kiosk) once the kiosk runs
    restart: list[bool] = []

    def start_kiosk() -> None:
        from kiosk.services import open_services
        from kiosk.ui.app import KioskApp

        services = open_services(paths)
        if elder:
            services.config.set("elder_mode_default", True)
        kiosk = KioskApp(
            services, windowed=windowed, orientation=orientation, start_timers=not exit_when_ready, demo=demo
        )
        kiosk.exit_requested.connect(lambda: qapp.exit(0))

        def restart_requested() -> None:
            restart.append(True)
            qapp.exit(0)

        kiosk.restart_requested.connect(restart_requested)
        kiosk.show()
        started.append((services, kiosk))

    from kiosk.ui.wizard import needs_setup

    if setup and not exit_when_ready and needs_setup(paths):
        wizard = first_run_wizard(paths, windowed, orientation)

        def finished(_synced: bool) -> None:
            wizard.hide()
            start_kiosk()
            wizard.deleteLater()

        wizard.finished.connect(finished)
    else:
        start_kiosk()
    if exit_when_ready:
        from kiosk.ui.cli import process_age_ms

        def ready() -> None:
            # Reached once the event loop has shown and painted the home screen and is free again.
            print(f"{process_age_ms():.0f}")
            sys.stdout.flush()
            qapp.exit(0)

        QTimer.singleShot(0, ready)
    code = qapp.exec()
    for services, kiosk in started:
        kiosk.close()
        services.close()
    if restart:  # logged once, as the admin action that asked for it
        import os

        os.execv(sys.executable, [sys.executable, "-m", "kiosk.cli", *sys.argv[1:]])
    return int(code)


def first_run_wizard(paths: DataPaths, windowed: bool, orientation: str | None) -> Any:
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.app import SIZES
    from kiosk.ui.theme import NORMAL, stylesheet
    from kiosk.ui.wizard import SetupWizard

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyleSheet(stylesheet(NORMAL))
    wizard = SetupWizard(paths)
    if windowed:
        wizard.resize(*SIZES[orientation or "portrait"])
        wizard.show()
    else:
        from kiosk.ui.fullscreen import cover_screen

        cover_screen(wizard)
    return wizard
