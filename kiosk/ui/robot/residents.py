"""Many residents in a row: each wakes the kiosk, does a few things in a seeded random order and walks
away; the next one must find nothing of them."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLineEdit

from kiosk.ui.app import KioskApp
from kiosk.ui.robot.driver import Driver, ManualClock, pump
from kiosk.ui.robot.journeys import JOURNEYS, home
from kiosk.ui.robot.watch import Watch
from kiosk.ui.widgets.chips import ChipBar


@dataclass
class SessionReport:
    number: int
    journeys: list[str] = field(default_factory=list)
    steps: int = 0


class RobotResidents:
    def __init__(self, app: KioskApp, clock: ManualClock, watch: Watch, seed: int = 0, patience_ms: int = 30_000):
        self.app = app
        self.driver = Driver(app, clock, watch, patience_ms)
        self.rng = random.Random(seed)
        self.sessions = 0

    def session(self, journeys: int = 3) -> SessionReport:
        """One resident: wake, a few journeys (the same never twice in a row), walk away, then check
        that nothing of theirs is left."""
        d = self.driver
        d.log = []
        report = SessionReport(self.sessions)
        self._wake()
        self.leftovers()
        names = list(JOURNEYS)
        last = ""
        for i in range(journeys):
            name = self.rng.choice([n for n in names if n != last])
            last = name
            report.journeys.append(name)
            d.log.append(f"[{name}]")
            JOURNEYS[name](d, self.rng)
            last_one = i == journeys - 1
            if d.route != "home" and not (last_one and self.rng.random() < 0.4):  # or walk away from there
                home(d)
        d.walk_away()
        d.check()
        self.sessions += 1
        report.steps = d.steps
        return report

    def _wake(self) -> None:
        d = self.driver
        if d.route != "attract":
            raise d.failure("a new resident should find the attract screen")
        d.log.append("wake")
        QTest.mouseClick(self.app.window, Qt.MouseButton.LeftButton)
        d.settle()
        pump(5)
        if d.route != "home":
            raise d.failure("touching the attract screen did not open home")
        d.check()

    def leftovers(self) -> None:
        """Nothing the previous resident typed, chose or switched on is on any screen."""
        d = self.driver
        found: list[str] = []
        if self.app.elder != bool(self.app.services.config.elder_mode_default):
            found.append("大字模式 still on")
        if self.app.window.keyboard.view is not None:
            found.append("the keyboard kept its state")
        for route, screen in self.app.nav.created().items():
            for edit in screen.findChildren(QLineEdit):
                if edit.text():
                    found.append(f"{route}: field {edit.objectName() or edit.placeholderText()} holds {edit.text()!r}")
            for bar in screen.findChildren(ChipBar):
                values = list(bar._values.values())
                if values and bar.value() not in (None, values[0]):
                    found.append(f"{route}: chip {bar.value()!r} still chosen")
            for button in screen.findChildren(QAbstractButton):
                if button.isCheckable() and button.isChecked() and not isinstance(button.parent(), ChipBar):
                    found.append(f"{route}: {button.objectName() or button.text()} still checked")
        if found:
            raise d.failure("left from the previous resident: " + "; ".join(found))


def run_sessions(
    app: KioskApp,
    clock: ManualClock,
    watch: Watch,
    count: int,
    seed: int = 0,
    every: Callable[[int], None] | None = None,
) -> list[SessionReport]:
    robot = RobotResidents(app, clock, watch, seed)
    robot.driver.walk_away()  # start as a resident finds the kiosk: the attract screen
    reports = []
    for i in range(count):
        reports.append(robot.session(journeys=robot.rng.choice((2, 3, 4))))
        if every is not None:
            every(i + 1)
    return reports
