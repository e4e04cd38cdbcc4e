"""The on-screen keyboard's QML warnings (two lines each time it opens over a field) stay out of the
kiosk's log; Qt's other messages still reach it as JSON lines. Run in a child process: the test's own
Qt message handler (pytest-qt) must not be replaced."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import pathlib, sys, tempfile
from kiosk.ui.app import prepare_environment
prepare_environment()
from kiosk.logsetup import setup_logging
from kiosk.ui.qtlog import install_qt_message_filter
setup_logging()
if sys.argv[1] == "filtered":
    install_qt_message_filter()
from PySide6.QtCore import QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from kiosk.paths import DataPaths
from kiosk.ui.app import application
from kiosk.ui.wizard import SetupWizard
app = application()
w = SetupWizard(DataPaths(pathlib.Path(tempfile.mkdtemp())).ensure())
w.resize(1080, 1920)
w.show()
def tap_pin():
    w.step = 4
    w._show_step()
    QTest.mouseClick(w.findChild(QLineEdit, "wizard-pin"), Qt.MouseButton.LeftButton)
QTimer.singleShot(200, tap_pin)
QTimer.singleShot(1500, app.quit)
app.exec()
"""


def run(mode: str, tmp_path: Path) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_keyboard_qml_warnings_are_filtered_and_the_rest_logged(tmp_path: Path) -> None:
    raw = run("raw", tmp_path)
    assert "QQmlExpression: Expression qrc:/qt-project.org/imports/QtQuick/VirtualKeyboard" in raw  # the fault
    filtered = run("filtered", tmp_path)
    assert "QQmlExpression" not in filtered and "echoMode" not in filtered
    lines = [json.loads(line) for line in filtered.splitlines() if line.startswith("{")]
    qt_lines = [line for line in lines if line["logger"] == "kiosk.qt"]
    assert qt_lines and all(line["level"] == "warning" for line in qt_lines)  # other Qt warnings kept
