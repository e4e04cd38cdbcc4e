"""Taps, typing and waiting as a resident does it (real widgets, real mouse and key events), and the
checks made after every step."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

from kiosk.ui.app import KioskApp
from kiosk.ui.robot.watch import Watch, dangling
from kiosk.ui.widgets.cards import CardList


class RobotFailure(AssertionError):
    """What the robot resident saw go wrong, with the route and the step."""


@dataclass
class ManualClock:
    """The kiosk's clock, moved by the robot: walking away takes no real minutes."""

    now: float = field(default_factory=time.monotonic)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def pump(ms: int = 0) -> None:
    """Run the event loop a little, deferred deletes included (as returning to exec() would)."""
    deadline = time.perf_counter() + ms / 1000
    while True:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if time.perf_counter() >= deadline:
            break


def wait_until(predicate: Callable[[], bool], timeout_ms: int = 10_000) -> bool:
    """Wait in a real event loop (the worker thread gets the GIL) until ``predicate()``."""
    if predicate():
        return True
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(2)
    poll.timeout.connect(lambda: loop.quit() if predicate() else None)
    QTimer.singleShot(timeout_ms, loop.quit)
    poll.start()
    loop.exec()
    poll.stop()
    return predicate()


class Driver:
    def __init__(self, app: KioskApp, clock: ManualClock, watch: Watch, patience_ms: int = 30_000):
        self.app = app
        #: How long background work (a search) may take before the robot calls it stuck; generous,
        #: a loaded machine is slow, not broken.
        self.patience_ms = patience_ms
        #: Stop at work that never comes back (the tests); a soak run notes it and goes on.
        self.strict = True
        self.clock = clock
        self.watch = watch
        self.steps = 0
        #: What went wrong outside the screens (e.g. the search engine failing under load): reported,
        #: not a reason to stop the resident.
        self.findings: list[str] = []
        self.log: list[str] = []  # the steps of the current session, for the failure message

    # --- where we are -----------------------------------------------------------------------------

    @property
    def route(self) -> str:
        return self.app.nav.current_route

    def screen(self) -> QWidget:
        screen = self.app.nav.current_screen()
        if screen is None:
            raise self.failure("no screen on show")
        return screen

    def find(self, name: str, cls: type[QWidget] = QWidget) -> QWidget | None:
        for root in (self.screen(), self.app.window):
            found = root.findChild(cls, name)
            if found is not None and found.isVisible():
                return found
        return None

    def get(self, name: str, cls: type[QWidget] = QWidget) -> QWidget:
        widget = self.find(name, cls)
        if widget is None:
            raise self.failure(f"{name} is not on screen")
        return widget

    def failure(self, what: str) -> RobotFailure:
        return RobotFailure(f"{what} (route {self.route}; steps: {' → '.join(self.log[-12:])})")

    # --- doing ------------------------------------------------------------------------------------

    def settle(self) -> None:
        if not wait_until(lambda: self.app.background.pending == 0, self.patience_ms):
            what = f"background work did not come back within {self.patience_ms / 1000:.0f} s"
            if self.strict:
                raise self.failure(what)
            # A long run notes it (with the steps) and goes on, to keep measuring.
            self.findings.append(f"{what} (pending {self.app.background.pending}; {' → '.join(self.log[-6:])})")
            self.app.background._callbacks.clear()  # forget them, as Background.shutdown() does
        pump(5)

    def tap(self, target: str | QWidget, pos: QPoint | None = None) -> None:
        widget = self.get(target) if isinstance(target, str) else target
        name = widget.objectName() or (widget.text() if isinstance(widget, QAbstractButton) else type(widget).__name__)
        self.log.append(f"tap {name}")
        if not widget.isVisible() or not widget.isEnabled():
            raise self.failure(f"{name} cannot be tapped (visible {widget.isVisible()}, enabled {widget.isEnabled()})")
        QTest.mouseClick(
            widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos or widget.rect().center()
        )
        self.settle()
        self.check()

    def tap_text(self, text: str) -> None:
        for button in self.screen().findChildren(QAbstractButton):
            if button.text() == text and button.isVisible():
                self.tap(button)
                return
        raise self.failure(f"no button 「{text}」")

    def tap_card(self, list_name: str, index: int = 0) -> None:
        view = self.get(list_name, CardList)
        assert isinstance(view, CardList)
        model = view.model()
        rows = [
            r
            for r in range(model.rowCount())
            if not getattr(model.index(r, 0).data(Qt.ItemDataRole.UserRole), "heading", False)
        ]
        if not rows:
            raise self.failure(f"{list_name} is empty")
        item = model.index(rows[index % len(rows)], 0)
        view.scrollTo(item)
        pump(5)
        self.log.append(f"card {index} of {list_name}")
        QTest.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, view.visualRect(item).center()
        )
        self.settle()
        self.check()

    def type_into(self, name: str, keys: str) -> QLineEdit:
        """Tap the field and type on the on-screen keyboard, key by key (Pinyin: a space commits the
        first candidate)."""
        edit = self.get(name, QLineEdit)
        assert isinstance(edit, QLineEdit)
        self.tap(edit)
        host = self.app.window.keyboard

        def ready() -> bool:
            return host.isVisible() and bool(host.key_items())

        if not wait_until(ready, 5000):
            # A resident taps again; it is still noted (with what the keyboard was doing).
            focus = self.app.qapp.focusWidget()
            self.findings.append(
                f"no keyboard on the first tap of {name} (panel shown {host.isVisible()}, view "
                f"{host.view is not None}, keys {len(host.key_items())}, focus "
                f"{focus.objectName() if focus is not None else None}, window active "
                f"{self.app.window.isActiveWindow()})"
            )
            self.tap(edit)
            if not wait_until(ready, self.patience_ms):
                raise self.failure(f"no keyboard after tapping {name} twice")
        self.log.append(f"type {keys!r} into {name}")
        for key in keys:
            items = host.key_items()
            if key not in items:
                raise self.failure(f"the keyboard has no key {key!r} (keys: {''.join(sorted(items))[:80]})")
            QTest.mouseClick(
                host.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, host.key_position(key)
            )
            pump(5)
        self.settle()
        self.check()
        return edit

    def walk_away(self) -> None:
        """The resident leaves: the countdown runs out and the kiosk wipes everything."""
        self.log.append("walk away")
        # A video playing holds the countdown off until it ends (by design): it plays in real time.
        if not wait_until(lambda: not self.app.idle.held, self.patience_ms):
            raise self.failure("the idle guard stays held (a video or a call that never ends)")
        idle = self.app.services.config
        self.clock.advance(float(idle.idle_seconds))
        self.app.tick()
        if not self.app.window.idle_overlay.isVisible() and self.route != "attract":
            raise self.failure("no idle countdown")
        self.clock.advance(float(idle.idle_countdown_seconds))
        self.app.tick()
        self.settle()
        if self.route != "attract":
            raise self.failure("the idle wipe did not end at the attract screen")

    # --- checking ---------------------------------------------------------------------------------

    def check(self) -> None:
        """After every step: nothing logged, no stale widget references, the screen's actions offered."""
        self.steps += 1
        problems = self.watch.problems()
        if problems:
            raise self.failure("; ".join(problems)[:4000])
        stale = [s for screen in self.app.nav.created().values() for s in dangling(screen)]
        if stale:
            raise self.failure("references to deleted widgets: " + ", ".join(stale))
        screen = self.app.nav.current_screen()
        if screen is None or self.app.window.idle_overlay.isVisible():
            return
        missing = [n for n in screen.required_actions() if self._offered(screen, n) is False]
        if missing:
            raise self.failure("not offered: " + ", ".join(missing))

    @staticmethod
    def _offered(screen: QWidget, name: str) -> bool:
        """Built, enabled, and neither it nor a parent hidden on purpose (a widget just added to a
        page is shown on the next turn of the event loop: a timer may have rebuilt the page now)."""
        widget = screen.findChild(QWidget, name)
        if widget is None or not widget.isEnabled():
            return False
        node: QWidget | None = widget
        while node is not None and node is not screen:
            if node.isHidden() and node.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
                return False
            node = node.parentWidget()
        return node is screen
