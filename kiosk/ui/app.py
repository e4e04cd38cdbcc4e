"""The kiosk application: the Qt start-up environment, and ``KioskApp``, which composes the running kiosk.

``KioskApp`` builds the window and the navigator and wires the header, input (escape keys, the hidden
admin gesture) and focus; the parts with a concern of their own live beside it and are composed here:
the session guard (idle countdown, wipe: ``session_guard.py``), reading aloud (``read_aloud.py``), elder
mode (``theme_switch.py``), process tuning (``process_tuning.py``) and the background sync
(``sync_link.py``). The admin panel gets :class:`~kiosk.ui.admin_actions.AdminActions`, not the app.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QKeyEvent, QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from kiosk.services import Services
from kiosk.services.idle import IdleGuard
from kiosk.ui.admin_actions import AdminActions
from kiosk.ui.corner_gesture import CornerTaps
from kiosk.ui.navigator import VIDEO_CALL, Navigator
from kiosk.ui.process_tuning import immortalize_singletons, limit_malloc_arenas
from kiosk.ui.read_aloud import ReadAloud
from kiosk.ui.routes import register_all
from kiosk.ui.session_guard import SessionGuard
from kiosk.ui.shell import KioskWindow, is_escape_shortcut
from kiosk.ui.sync_link import SyncLink
from kiosk.ui.theme import FONT_FAMILIES, Theme
from kiosk.ui.theme_switch import ThemeSwitch
from kiosk.ui.worker import Background

log = logging.getLogger(__name__)

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
#: Qt's own chatter that is not ours to fix (still shown for every other category).
QUIET_LOGGING = ";".join(
    (
        "qt.multimedia.symbolsresolver.warning=false",
        "qt.qml.propertyCache.append.warning=false",
        "qt.virtualkeyboard.*.debug=false",
        "qt.virtualkeyboard.*.info=false",
        # "creating directory for user dictionary" on every start: the dictionary stays unused (see keyboard.py)
        "qt.virtualkeyboard.pinyin.warning=false",
    )
)


def prepare_environment() -> None:
    """Environment Qt reads at start-up; call before the QApplication exists."""
    immortalize_singletons()
    limit_malloc_arenas()
    # QtWebEngine (loaded only when a video consultation starts) needs contexts shared from the start.
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    # A video surface is a native window; without this its siblings (a page's labels) become native
    # too, and clearing the page re-parents native windows, which some platforms refuse.
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontCreateNativeWidgetSiblings)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # Chromium refuses to run as root otherwise
    os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")  # we dock the keyboard ourselves
    # Sized after the kiosk's theme (kiosk/ui/vkbstyle); set before the keyboard's settings exist,
    # as a change of style later reloads the keyboard with no style for a moment.
    os.environ["QT_VIRTUALKEYBOARD_STYLE"] = "kiosk"
    os.environ.setdefault("QT_QUICK_BACKEND", "software")  # the keyboard needs no GPU
    rules = os.environ.get("QT_LOGGING_RULES", "")
    os.environ["QT_LOGGING_RULES"] = f"{rules};{QUIET_LOGGING}" if rules else QUIET_LOGGING


def application(argv: list[str] | None = None) -> QApplication:
    prepare_environment()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv or ["kiosk"])
    app.setApplicationName("legal-kiosk")
    font = QFont()
    font.setFamilies(list(FONT_FAMILIES))
    app.setFont(font)
    return app


def ensure_visible(widget: QWidget) -> None:
    """Scroll every scroll area around ``widget`` so that it shows (above the on-screen keyboard)."""
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 20, 40)
        parent = parent.parentWidget()


class KioskApp(QObject):
    #: The admin chose 退出到系统: the window is closed; whoever runs the event loop ends it.
    exit_requested = Signal()
    #: The admin chose 重启程序: the window is closed; whoever runs the event loop starts the program afresh.
    restart_requested = Signal()

    def __init__(
        self,
        services: Services,
        windowed: bool = False,
        orientation: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        start_timers: bool = True,
        demo: bool = False,
    ):
        super().__init__()
        self.services = services
        self.clock = clock
        self.qapp = application()
        self.orientation = orientation or services.config.orientation
        self.windowed = windowed
        #: ``kiosk run --demo``: a known admin PIN (kiosk.ui.fullscreen.DEMO_PIN) and Ctrl+Shift+Q to leave
        self.demo = demo
        if demo:
            from kiosk.ui.fullscreen import ensure_demo_pin

            if ensure_demo_pin(services.admin_pin):
                log.info('{"event": "demo_pin_set"}')
        self.themes = ThemeSwitch(self.qapp, bool(services.config.elder_mode_default))
        self.background = Background(parent=self)
        self.window = KioskWindow(windowed)
        self.chrome = self.window.chrome
        self.window.keyboard.apply_theme(self.theme)
        self._setup_domain_words(start_timers)
        self.nav = Navigator(self.window.stack, self.theme)
        self.themes.attach(self.nav, self.window.keyboard, self.chrome)
        self.idle = IdleGuard(services.config.idle_seconds, services.config.idle_countdown_seconds, now=clock())
        self.read_aloud = ReadAloud(services, self.background, self.nav, self.chrome, self.window.toast, self.idle)
        self.session = SessionGuard(
            self.qapp,
            self.window,
            self.nav,
            self.idle,
            clock,
            self.read_aloud,
            self.themes,
            services,
            parent=self,
        )
        self.sync_link = SyncLink(self)
        admin = AdminActions(
            services=services,
            background=self.background,
            sync=self.sync_link,
            stop_speech=self.stop_speech,
            set_idle_seconds=self.session.set_idle_seconds,
            restart=self.restart,
            exit_to_system=self.quit,
        )
        register_all(
            self.nav,
            services,
            {"background": self.background, "share_base": services.config.hub_url, "admin_actions": admin},
        )
        self.corner = CornerTaps()
        self._closed = False
        self._last_press: tuple[int, int, int] | None = None

        self.chrome.back_clicked.connect(self.nav.back)
        self.chrome.home_clicked.connect(self.nav.home)
        self.chrome.read_clicked.connect(self.read_aloud.toggle)
        self.chrome.elder_clicked.connect(lambda: self.set_elder(not self.elder))
        self.sync_link.refresh_header()
        self.chrome.set_elder(self.elder)
        self.nav.navigated.connect(self._navigated)
        self.nav.message.connect(self.window.toast.show_message)
        self.nav.speak_requested.connect(self.read_aloud.speak)
        self.nav.busy.connect(self._busy)
        self.qapp.installEventFilter(self)
        self.qapp.focusChanged.connect(self._focus_changed)

        self.network_timer = QTimer(self)
        self.network_timer.setInterval(60_000)
        self.network_timer.timeout.connect(self.check_network)
        if start_timers:
            self.session.timer.start()
            self.network_timer.start()
            QTimer.singleShot(1500, self.window, self.check_network)
            QTimer.singleShot(
                2000, self.window, lambda: self.background.run(services.search.warm, lambda _: self.keep_search_warm())
            )
            self.sync_link.start()
        self.nav.go("home")

    def _setup_domain_words(self, start_timers: bool) -> None:
        """The keyboard offers words of this domain first (kiosk.domain_words); the file is rebuilt
        a little after start when the content is newer (and by the sync after each content update)."""
        from kiosk.domain_words import DomainWords, words_file

        self.domain_words = DomainWords(words_file(self.services.paths))
        self.window.keyboard.bridge.lookup = self.domain_words.lookup
        self.window.keyboard.bridge.names_lookup = self.domain_words.names
        if start_timers:  # not in the way of the first screen
            QTimer.singleShot(3000, self.window, self.refresh_domain_words)

    def refresh_domain_words(self) -> None:
        """Rebuild the domain word file in the background if the content is newer than it."""
        from kiosk.domain_words import rebuild_domain_words, words_file

        paths = self.services.paths
        target = words_file(paths)
        content = paths.content_db
        if target.exists() and (not content.exists() or content.stat().st_mtime <= target.stat().st_mtime):
            return
        db = self.services.db
        self.background.run(
            lambda: rebuild_domain_words(paths, db),
            on_error=lambda exc: log.error("domain words not rebuilt: %s", exc),
        )

    # --- window -----------------------------------------------------------------------------------

    def show(self) -> None:
        if self.windowed:
            w, h = SIZES[self.orientation]
            screen = QGuiApplication.primaryScreen().availableGeometry()
            scale = min(1.0, (screen.height() - 60) / h, (screen.width() - 20) / w)
            self.window.resize(int(w * scale), int(h * scale))
            self.window.show()
        else:
            from kiosk.ui.fullscreen import cover_screen

            cover_screen(self.window)
        self.window.raise_()
        self.window.activateWindow()  # typed text and the on-screen keyboard go to the active window

    def resize_for(self, orientation: str) -> None:
        self.orientation = orientation
        self.window.resize(*SIZES[orientation])

    def restart(self) -> None:
        """Close the window and ask for a fresh start (kiosk.ui.run re-executes the program)."""
        self.stop_speech()
        self.window.allow_close = True
        self.window.close()
        self.restart_requested.emit()

    def quit(self) -> None:
        self.stop_speech()
        self.window.allow_close = True
        self.window.close()
        self.exit_requested.emit()

    # --- navigation -------------------------------------------------------------------------------

    def _navigated(self, route: str) -> None:
        self.stop_speech()
        if route not in ("admin", "admin_pin"):
            self.services.resident.count(f"screen.{route}")
        screen = self.nav.current_screen()
        self.chrome.set_title(screen.title if screen else "")
        self.chrome.set_can_go_back(self.nav.routes.can_go_back, route == "home")
        self.window.set_chrome_visible(route != "attract")
        focus = self.qapp.focusWidget()
        if not isinstance(focus, QLineEdit) or not focus.isVisible():
            self.window.keyboard.hide_keyboard()

    def _busy(self, reason: str, busy: bool) -> None:
        if busy:
            self.idle.hold(reason)
        else:
            self.idle.release(reason)
        if reason == VIDEO_CALL:
            # PySide6 6.12 crashes when an application-wide Python event filter sees QtWebEngine's
            # events; while a call is on screen the filter is off (idle is held, no admin taps needed).
            if busy:
                self.qapp.removeEventFilter(self)
            else:
                self.qapp.installEventFilter(self)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, QLineEdit) and not new.isReadOnly() and new.window() is self.window:
            self.window.keyboard.show_keyboard()
            # Once the screen has made room for the keyboard, scroll the field into what is left.
            QTimer.singleShot(50, new, lambda: ensure_visible(new))
        elif new is None or not isinstance(new, QLineEdit):
            self.window.keyboard.hide_keyboard()

    # --- input: idle activity, escape keys, the hidden admin gesture ------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            if self.demo:
                from kiosk.ui.fullscreen import is_demo_exit

                if is_demo_exit(key_event):
                    QTimer.singleShot(0, self.window, self.quit)
                    return True
            if is_escape_shortcut(key_event.key(), key_event.modifiers()):
                return True
            self.activity()
        elif kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self._press(event)
        return False

    def _press(self, event: QEvent) -> None:
        """One resident press, however many objects Qt shows it to on its way (window, widget, parents)."""
        if isinstance(event, QTouchEvent):
            points = event.points()
            where = points[0].globalPosition().toPoint() if points else QPoint()
        else:
            assert isinstance(event, QMouseEvent)
            where = event.globalPosition().toPoint()
        key = (int(event.timestamp()), where.x(), where.y())
        if key == self._last_press:
            return
        self._last_press = key
        self.activity()
        if event.type() == QEvent.Type.MouseButtonPress:
            pos = self.window.mapFromGlobal(where)
            if self.corner.tap(pos.x(), pos.y(), self.window.width(), self.clock()):
                QTimer.singleShot(0, self.window, lambda: self.nav.go("admin_pin"))

    # --- the session (kiosk.ui.session_guard) ----------------------------------------------------

    def activity(self) -> None:
        self.session.activity()

    def still_here(self) -> None:
        self.session.still_here()

    def tick(self) -> None:
        self.session.tick()

    def wipe(self) -> None:
        self.session.wipe()

    def keep_search_warm(self) -> None:
        """Fetch common words' search scores in 0.1 s slices on the data lane, a short pause between
        them: a resident's search queued meanwhile waits for one slice, not for the whole warm-up."""

        def next_slice(more: object) -> None:
            if more:
                QTimer.singleShot(20, self.window, self.keep_search_warm)

        self.background.run(self.services.search.warm_step, next_slice)

    # --- elder mode (kiosk.ui.theme_switch) --------------------------------------------------------

    @property
    def elder(self) -> bool:
        return self.themes.elder

    @property
    def theme(self) -> Theme:
        return self.themes.theme

    def set_elder(self, elder: bool) -> None:
        self.themes.set_elder(elder)

    # --- reading aloud (kiosk.ui.read_aloud) ------------------------------------------------------

    @property
    def speaking(self) -> bool:
        return self.read_aloud.speaking

    def toggle_read_aloud(self) -> None:
        self.read_aloud.toggle()

    def speak(self, text: str) -> None:
        self.read_aloud.speak(text)

    def stop_speech(self) -> None:
        self.read_aloud.stop()

    # --- network ----------------------------------------------------------------------------------

    def check_network(self) -> None:
        probe = self.services.network
        self.background.run(probe.check, lambda ok: self.chrome.set_network(probe.label(bool(ok))), lane="slow")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.sync_link.stop()
        self.session.timer.stop()
        self.network_timer.stop()
        self.stop_speech()
        self.qapp.removeEventFilter(self)
        self.qapp.focusChanged.disconnect(self._focus_changed)
        self.background.shutdown(5000)
        focus = self.qapp.focusWidget()
        if focus is not None and focus.window() is self.window:
            focus.clearFocus()
        self.window.keyboard.wipe()
        self.window.allow_close = True
        self.window.close()
        # Gone now rather than on some later turn of the event loop: a window dying later would
        # take the focus (and the keyboard's link to the input method) from whatever comes next.
        import shiboken6

        shiboken6.delete(self.window)
