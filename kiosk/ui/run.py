"""Starting the kiosk: services, the window, and the event loop."""

from __future__ import annotations

import sys

from kiosk.paths import DataPaths


def run(
    paths: DataPaths,
    windowed: bool = False,
    exit_when_ready: bool = False,
    orientation: str | None = None,
    elder: bool = False,
) -> int:
    from kiosk.ui.app import application

    qapp = application(sys.argv[:1])
    from PySide6.QtCore import QTimer

    from kiosk.services import open_services
    from kiosk.ui.app import KioskApp

    services = open_services(paths)
    if elder:
        services.config.set("elder_mode_default", True)
    kiosk = KioskApp(services, windowed=windowed, orientation=orientation, start_timers=not exit_when_ready)
    kiosk.exit_requested.connect(lambda: qapp.exit(0))
    kiosk.show()
    if exit_when_ready:
        from kiosk.ui.cli import process_age_ms

        def ready() -> None:
            # Reached once the event loop has shown and painted the home screen and is free again.
            print(f"{process_age_ms():.0f}")
            sys.stdout.flush()
            qapp.exit(0)

        QTimer.singleShot(0, ready)
    code = qapp.exec()
    kiosk.close()
    services.close()
    return int(code)
