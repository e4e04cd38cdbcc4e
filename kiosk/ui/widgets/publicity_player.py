"""The publicity video player (法治宣传 videos, and the attract loop): offline video with QtMultimedia,
imported the first time a video is played. The video call with a lawyer is `call_view.py`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget


class PublicityPlayer(QWidget):
    playing_changed = Signal(int)  # 1 playing, 0 not (an int: PySide6 6.12 leaks bool references)

    def __init__(self, loop: bool = False, muted: bool = False, parent: QWidget | None = None):
        """Give the ``parent`` it will live in: the video surface is a native window, which some
        platforms cannot move to another parent later ("This plugin does not support setParent")."""
        super().__init__(parent)
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        from PySide6.QtMultimediaWidgets import QVideoWidget

        self.view = QVideoWidget(self)
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.audio.setMuted(muted)
        self.player.setAudioOutput(self.audio)
        self.player.setVideoOutput(self.view)
        if loop:
            self.player.setLoops(QMediaPlayer.Loops.Infinite)
        self.player.playbackStateChanged.connect(
            lambda state: self.playing_changed.emit(int(state == QMediaPlayer.PlaybackState.PlayingState))
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def play(self, path: Path) -> None:
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        self.player.play()

    def toggle(self) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self.player.play()

    def stop(self) -> None:
        self.player.stop()

    def error_text(self) -> Any:
        return self.player.errorString()
