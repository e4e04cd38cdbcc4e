"""Count the taps of a clean first-run wizard run against a real platform on 127.0.0.1.

Run: .venv/bin/python bench/bench_wizard_taps.py [REPO]   (REPO: another checkout's root to measure it)

A tap is a press on the screen: a field (to open the keyboard), a key of the on-screen keyboard (one per
character typed; a Chinese name typed in Pinyin counts its letters plus one tap per candidate chosen),
a layout switch when a field opens the keyboard in a layout it cannot use (the platform address in
Pinyin), a chip, 下一步 / 注册 / 进入首页. Values a field already holds (the region's centre as
coordinates, a name taken from the enrolment code) cost nothing when they are right. It also counts a
recovery: the code turns out used at 注册; the technician types a new one and goes on to 注册 again.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
CHECKOUTS = [a for a in sys.argv[1:] if not a.startswith("--")]  # --smoke: the run is small already
REPO = Path(CHECKOUTS[0]).resolve() if CHECKOUTS else Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "sync"))

from PySide6.QtWidgets import QPushButton  # noqa: E402

NAME = "书院街道便民服务中心"
NAME_PINYIN = "shuyuanjiedaobianminfuwuzhongxin"  # typed, then 4 candidates (书院 街道 便民服务 中心)
NAME_CANDIDATES = 4
PIN = "739155"


class Taps:
    def __init__(self) -> None:
        self.count = 0

    def add(self, n: int = 1) -> None:
        self.count += n


def pump(app: object, until: object = None, timeout: float = 120.0) -> None:
    """Let the wizard work: 0.3 s, or until ``until()`` is true."""
    from PySide6.QtWidgets import QApplication

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        QApplication.processEvents()
        time.sleep(0.01)
        if until is None and time.monotonic() - started > 0.3:
            return
        if until is not None and until():  # type: ignore[operator]
            return
    raise TimeoutError("the wizard did not get there")


def settle() -> None:
    """Deliver what is queued, deferred deletes included (as returning to ``exec()`` would)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    for _ in range(3):
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def type_text(w: object, taps: Taps, field: str, text: str) -> None:
    from PySide6.QtCore import Qt

    edit = w.fields[field]  # type: ignore[attr-defined]
    taps.add()  # the field
    if field == "hub" and not edit.inputMethodHints() & Qt.InputMethodHint.ImhLatinOnly:
        taps.add()  # the keyboard opened in Pinyin: switch to English first
    if field == "name":
        taps.add(len(NAME_PINYIN) + NAME_CANDIDATES)
    else:
        taps.add(len(text))
    edit.setText(text)


def run(hub_url: str, code: str, use_elsewhere: object, new_code: str) -> tuple[int, int]:
    from kiosk.paths import DataPaths
    from kiosk.ui.app import application
    from kiosk.ui.wizard import SetupWizard

    app = application()
    taps = Taps()
    with tempfile.TemporaryDirectory() as tmp:
        w = SetupWizard(DataPaths(Path(tmp)).ensure())
        try:
            return counted(app, w, taps, hub_url, code, use_elsewhere, new_code)
        finally:
            # The wizard's checks may still run on its threads: let them end before it is deleted
            # (deleting it under a running task crashed the process about one run in six).
            w.background.shutdown()
            w.close()
            w.deleteLater()
            settle()


def counted(
    app: object, w: object, taps: Taps, hub_url: str, code: str, use_elsewhere: object, new_code: str
) -> tuple[int, int]:
    w.resize(1080, 1920)  # type: ignore[attr-defined]
    w.show()  # type: ignore[attr-defined]
    type_text(w, taps, "hub", hub_url)
    type_text(w, taps, "code", code)
    pump(app)
    taps.add()
    w.next()
    pump(app, lambda: w.step == 1)
    pump(app)
    if w.fields["name"].text().strip() != NAME:
        w.fields["name"].setText("")
        type_text(w, taps, "name", NAME)
    taps.add()
    w.next()
    for chip in ("county-420902", "town-420902001"):
        taps.add()
        w.findChild(QPushButton, chip).click()
    pump(app)
    for _ in range(2):  # region → coordinates (the town's centre kept) → PIN
        taps.add()
        w.next()
    type_text(w, taps, "pin", PIN)
    type_text(w, taps, "pin_again", PIN)
    for _ in range(2):  # PIN → screen (defaults kept) → summary
        taps.add()
        w.next()
    assert w.step == w.stack.count() - 1, w.step
    clean = taps.count + 2  # 注册 and 进入首页 of a clean run
    use_elsewhere()  # type: ignore[operator]
    return clean, recovery(app, w, taps, new_code)


def recovery(app: object, w: object, taps: Taps, code: str) -> int:
    before = taps.count
    taps.add()
    w.next()  # 注册: refused, the code was used  # type: ignore[attr-defined]
    pump(app, lambda: w.step == 0, 60)  # type: ignore[attr-defined]
    w.fields["code"].setText("")  # type: ignore[attr-defined]
    type_text(w, taps, "code", code)
    while w.step != w.stack.count() - 1 or not w.next_button.isEnabled():  # type: ignore[attr-defined]
        taps.add()
        w.next()  # type: ignore[attr-defined]
        pump(app, lambda: w.next_button.isEnabled())  # type: ignore[attr-defined]
        pump(app)
    taps.add()  # 注册 again
    return taps.count - before


def main() -> None:
    from content_set import copy_laws
    from sync_harness import Hub

    from kiosk.paths import DataPaths
    from kiosk.provisioning.enrol import enrol
    from kiosk.provisioning.validate import Enrolment

    with tempfile.TemporaryDirectory() as tmp:
        hub = Hub(Path(tmp) / "hub")
        hub.cli("init")
        hub.publish(copy_laws(Path(tmp) / "laws"))
        hub.start()
        try:
            code = hub.enrol_code(NAME)

            def use_elsewhere() -> None:  # another terminal takes the code while the wizard sits on its summary
                other = DataPaths(Path(tmp) / "other").ensure()
                enrol(
                    other, Enrolment(hub=hub.url, code=code, name="另一台", region="420902", pin=PIN, allow_http=True)
                )

            clean, recover = run(hub.url, code, use_elsewhere, hub.enrol_code(NAME))
        finally:
            hub.stop()
    print(f"checkout: {REPO}")
    print(f"clean run: {clean} taps")
    print(f"a code refused at 注册, a new one typed, and 注册 again: {recover} taps")


if __name__ == "__main__":
    main()
