"""Pictures of the admin panel (status, settings with their sources, a failed sync with 详情 closed and
open) and of the wizard's code step refusing a used code, in portrait, landscape and elder mode.

    .venv/bin/python scripts/admin-screenshots.py DATA_DIR OUT_DIR

DATA_DIR holds a content database (``kiosk --data-dir DATA_DIR demo-data``); its state folder gets a
failed sync status and platform settings written for the pictures.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.config import Config
from kiosk.paths import DataPaths
from kiosk.sync.status import SyncStatus, write_status


def prepare(paths: DataPaths) -> None:
    write_status(
        paths,
        SyncStatus(
            last_attempt="2026-12-03T08:00:00+00:00",
            result="unreachable",
            exit_code=4,
            last_success="2026-12-01T08:00:00+00:00",
            message="metadata: HTTPConnectionPool(host='hub.xiaogan.example.gov.cn', port=443): Max retries "
            "exceeded with url: /repo/metadata/timestamp.json (Caused by NewConnectionError: [Errno 101] "
            "Network is unreachable)",
            stages={"metadata": "unreachable", "content": "skipped", "media": "skipped", "outbox": "unreachable",
                    "heartbeat": "skipped"},
        ),
    )  # fmt: skip
    (paths.state_dir / "remote_settings.json").write_text(json.dumps({"idle_seconds": 240, "elder_mode_default": True}))
    config = Config.load(paths.config_file)
    config.set("terminal_name", "书院街道便民服务中心（示例）")
    config.set("hub_url", "https://hub.xiaogan.example.gov.cn/")
    config.set("idle_seconds", 120)  # the technician's change, standing against the platform's 240
    config.set("elder_mode_default", True)  # the platform's value
    config.save()


def admin_shots(paths: DataPaths, out: Path) -> None:
    from PySide6.QtWidgets import QApplication, QPushButton, QWidget

    from kiosk.services import open_services
    from kiosk.services.resident import ResidentService
    from kiosk.services.speech import SpeechService
    from kiosk.ui.app import KioskApp, application
    from kiosk.ui.screenshots import settle

    application()
    services = open_services(paths, speech=SpeechService(player=None))
    services.resident.close()
    scratch = tempfile.TemporaryDirectory(prefix="kiosk-shots-")
    services.resident = ResidentService.scratch(Path(scratch.name))
    services.resident.outbox.enqueue("usage", {"screen": "示例"})
    for orientation, elder in (("portrait", False), ("landscape", False), ("portrait", True)):
        services.config.set("elder_mode_default", elder)
        app = KioskApp(services, windowed=True, orientation=orientation, start_timers=False)
        app.resize_for(orientation)
        app.window.show()
        suffix = f"{orientation}{'-elder' if elder else ''}"
        panel = app.nav.go("admin")
        settle(app)
        app.window.grab().save(str(out / f"admin-status-{suffix}.png"))
        panel.page.ensureWidgetVisible(panel.sync_section, 0, 40)
        settle(app)
        app.window.grab().save(str(out / f"admin-sync-failed-{suffix}.png"))
        panel.findChild(QPushButton, "admin-sync-detail-toggle").click()
        settle(app)
        panel.page.ensureWidgetVisible(panel.sync_section.detail, 0, 40)
        settle(app)
        app.window.grab().save(str(out / f"admin-sync-detail-{suffix}.png"))
        rows = panel.findChild(QWidget, "admin-setting-announcement") or panel.settings_section
        panel.page.ensureWidgetVisible(rows, 0, 40)
        settle(app)
        app.window.grab().save(str(out / f"admin-settings-{suffix}.png"))
        panel.findChild(QPushButton, "admin-exit").click()
        settle(app)
        panel.page.ensureWidgetVisible(panel.confirm, 0, 40)
        settle(app)
        app.window.grab().save(str(out / f"admin-confirm-exit-{suffix}.png"))
        app.close()
        QApplication.processEvents()
    services.close()


def wizard_shot(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from kiosk.provisioning.enrol import ENROL_REFUSALS
    from kiosk.ui.app import SIZES
    from kiosk.ui.screenshots import _pump
    from kiosk.ui.theme import NORMAL, stylesheet
    from kiosk.ui.wizard import SetupWizard

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyleSheet(stylesheet(NORMAL))
    for orientation in ("portrait", "landscape"):
        with tempfile.TemporaryDirectory(prefix="kiosk-wizard-") as tmp:
            wizard = SetupWizard(DataPaths(Path(tmp)).ensure())
            wizard.resize(*SIZES[orientation])
            wizard.show()
            hub, code = "https://hub.xiaogan.example.gov.cn/", "K7QW-2M9X-HT4P"
            wizard.fields["hub"].setText(hub)
            wizard.fields["code"].setText(code)
            wizard.code_timer.stop()
            # The platform's answer to POST /api/v1/enrol/check for a used code, through the wizard's handler.
            wizard._code_checked(hub.strip(), code, (ENROL_REFUSALS["code_used"], ""))
            _pump()
            wizard.grab().save(str(out / f"setup-code-refused-{orientation}.png"))
            wizard.close()
            wizard.deleteLater()
            _pump()


def main() -> None:
    paths = DataPaths(Path(sys.argv[1])).ensure()
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    prepare(paths)
    from kiosk.store.db import bind_content_models, open_content_db

    bind_content_models(open_content_db(paths.content_db))  # this script is a composition root
    admin_shots(paths, out)
    wizard_shot(out)


if __name__ == "__main__":
    main()
