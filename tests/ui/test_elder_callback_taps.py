"""The elder path of issue 12: name + short matter for a call-back, counted in taps."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton
from test_keyboard import keyboard_ready
from uihelpers import make_app, settle, tap


class Finger:
    """Taps as a resident would, counting them."""

    def __init__(self, qtbot: Any, kiosk: Any) -> None:
        self.qtbot, self.kiosk, self.taps = qtbot, kiosk, 0

    def widget(self, widget: Any) -> None:
        tap(self.qtbot, widget)
        self.taps += 1

    def keys(self, letters: str) -> None:
        host = keyboard_ready(self.qtbot, self.kiosk)
        for key in letters:
            self.qtbot.mouseClick(host.view, Qt.MouseButton.LeftButton, pos=host.key_position(key))
            self.taps += 1
            self.qtbot.wait(10)

    def candidate(self, text: str) -> None:
        host = self.kiosk.window.keyboard
        self.qtbot.waitUntil(lambda: text in host.candidate_items(), timeout=3000)
        self.qtbot.mouseClick(
            host.view, Qt.MouseButton.LeftButton, pos=host.item_position(host.candidate_items()[text])
        )
        self.taps += 1
        self.qtbot.wait(10)


def test_name_and_matter_for_a_call_back_in_elder_mode(qtbot: Any, services: Any, clock: Any) -> None:
    services.config.set("elder_mode_default", True)
    kiosk = make_app(services, clock, "portrait")
    try:
        kiosk.refresh_domain_words()  # as the running kiosk does a few seconds after start
        settle(qtbot, kiosk)
        screen = kiosk.nav.go("request", kind="callback")
        settle(qtbot, kiosk)
        tap(qtbot, screen.findChild(QPushButton, "consent-yes"))
        settle(qtbot, kiosk)
        form = kiosk.nav.current_screen()
        name, matter = (form.findChild(QLineEdit, f"field-{f}") for f in ("name", "matter"))
        finger = Finger(qtbot, kiosk)
        finger.widget(name)
        finger.keys("zhangxiuying")
        finger.candidate("张秀英")  # a common name, offered whole (the engine alone gave 张修应)
        finger.widget(matter)
        finger.keys("laoban")
        finger.candidate("老板")
        finger.keys("tuoqiang")
        finger.candidate("拖欠工资")  # a domain phrase, offered before it is typed in full
        assert name.text() == "张秀英"
        assert matter.text() == "老板拖欠工资"
        print(f"taps: {finger.taps}")
        assert finger.taps <= 31
    finally:
        kiosk.close()
