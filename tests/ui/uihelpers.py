"""Helpers for the UI tests: tapping like a resident, waiting for background work."""

from __future__ import annotations

from typing import Any


def make_app(services: Any, clock: Any, orientation: str = "portrait") -> Any:
    from kiosk.ui.app import KioskApp

    app = KioskApp(services, windowed=True, orientation=orientation, clock=clock, start_timers=False)
    app.resize_for(orientation)
    app.window.show()
    app.window.activateWindow()
    return app


def settle(qtbot: Any, app: Any, ms: int = 20) -> None:
    """Wait for background work to come back, then let the event loop paint."""
    qtbot.waitUntil(lambda: app.background.pending == 0, timeout=10_000)
    qtbot.wait(ms)


def tap(qtbot: Any, widget: Any, pos: Any = None) -> None:
    from PySide6.QtCore import Qt

    assert widget.isVisible(), f"{widget.objectName() or widget} is not on screen"
    assert widget.isEnabled(), f"{widget.objectName() or widget} is disabled"
    if pos is None:
        pos = widget.rect().center()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def tap_card(qtbot: Any, view: Any, predicate: Any) -> None:
    """Tap the card of a CardList whose item matches ``predicate`` (scrolling it into view)."""
    index = view.index_of(predicate)
    assert index.isValid(), "no such card"
    view.scrollTo(index)
    qtbot.wait(10)
    rect = view.visualRect(index)
    tap(qtbot, view.viewport(), rect.center())


def visible_texts(widget: Any) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QLabel

    out = []
    for child in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton):
        if child.isVisibleTo(widget.window()) and child.text():
            out.append(child.text())
    return out


def make_test_video(path: Any, frames: int = 20) -> None:
    """A two-second MPEG-4 clip recorded with QtMultimedia itself (no ffmpeg binary needed)."""
    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtGui import QColor, QImage
    from PySide6.QtMultimedia import QMediaCaptureSession, QMediaFormat, QMediaRecorder, QVideoFrame, QVideoFrameInput

    session = QMediaCaptureSession()
    source = QVideoFrameInput()
    session.setVideoFrameInput(source)
    recorder = QMediaRecorder()
    session.setRecorder(recorder)
    recorder.setMediaFormat(QMediaFormat(QMediaFormat.FileFormat.MPEG4))
    recorder.setVideoResolution(320, 240)
    recorder.setVideoFrameRate(10)
    recorder.setOutputLocation(QUrl.fromLocalFile(str(path)))
    loop = QEventLoop()
    sent = [0]

    def push() -> None:
        if sent[0] >= frames:
            recorder.stop()
            return
        image = QImage(320, 240, QImage.Format.Format_RGB32)
        image.fill(QColor.fromHsv(sent[0] * 15 % 360, 160, 200))
        frame = QVideoFrame(image)
        frame.setStartTime(sent[0] * 100_000)
        frame.setEndTime((sent[0] + 1) * 100_000)
        if source.sendVideoFrame(frame):
            sent[0] += 1

    source.readyToSendVideoFrame.connect(push)
    recorder.recorderStateChanged.connect(
        lambda state: loop.quit() if state == QMediaRecorder.RecorderState.StoppedState else None
    )
    recorder.record()
    QTimer.singleShot(0, push)
    QTimer.singleShot(15_000, loop.quit)
    loop.exec()
