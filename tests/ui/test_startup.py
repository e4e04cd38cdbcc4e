"""`kiosk run --exit-when-ready`: fast to a responsive home screen, heavy modules left for later."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kiosk.paths import DataPaths

HEAVY = (
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineCore",
    "PySide6.QtMultimedia",
    "PySide6.QtQuickWidgets",
    "pypinyin",
    "segno",
    "pyttsx3",
    "kiosk.sync",
)


def env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def test_exit_when_ready_prints_milliseconds(ui_paths: DataPaths) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--data-dir", str(ui_paths.root), "run", "--exit-when-ready"],
        capture_output=True,
        text=True,
        env=env(),
        timeout=60,
        check=True,
    )
    ms = float(out.stdout.strip().splitlines()[-1])
    assert ms > 0  # how fast is measured by bench/bench_ui.py, not asserted here


def test_heavy_modules_are_not_loaded_at_start(ui_paths: DataPaths, tmp_path: Path) -> None:
    script = (
        "import json, sys\n"
        "from kiosk.ui.app import application\n"
        "application()\n"
        "from kiosk.paths import DataPaths\n"
        "from kiosk.services import open_services\n"
        "from kiosk.ui.app import KioskApp\n"
        f"app = KioskApp(open_services(DataPaths.resolve({str(ui_paths.root)!r})), windowed=True, start_timers=False)\n"
        "app.show()\n"
        "from PySide6.QtWidgets import QApplication\n"
        "QApplication.processEvents()\n"
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env(), timeout=60, check=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
