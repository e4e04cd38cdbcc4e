"""The attract loop shown when nobody is using the terminal: publicity and hot topics in turn, or a
publicity video playing muted in a loop. Any touch returns to the home screen (handled by the app)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QVBoxLayout

from kiosk.services.home import HomeService
from kiosk.services.publicity import PublicityService
from kiosk.ui.navigator import Navigator, Screen
from kiosk.ui.screens.publicity import excerpt
from kiosk.ui.widgets.common import label

SLIDE_MS = 8000


@dataclass(frozen=True)
class Slide:
    kicker: str
    title: str
    body: str


class AttractScreen(Screen):
    title = ""

    def __init__(self, nav: Navigator, publicity: PublicityService, home: HomeService):
        super().__init__(nav)
        self.publicity = publicity
        self.home = home
        self.slides: list[Slide] = []
        self.index = 0
        self.player: Any = None
        frame = QFrame()
        frame.setProperty("role", "attract")
        self.frame_layout = QVBoxLayout(frame)
        self.frame_layout.setContentsMargins(80, 120, 80, 120)
        self.frame_layout.setSpacing(36)
        self.brand = label("公共法律服务", "headline")
        self.brand.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.kicker = label("", "title")
        self.kicker.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.slide_title = label("", "headline")
        self.slide_title.setObjectName("attract-title")
        self.slide_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = label("", "title")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = label("轻触屏幕  开始使用\n法律服务热线 12348", "headline")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.frame_layout.addWidget(self.brand)
        self.frame_layout.addStretch(1)
        for w in (self.kicker, self.slide_title, self.body):
            self.frame_layout.addWidget(w)
        self.frame_layout.addStretch(2)
        self.frame_layout.addWidget(self.hint)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.timer = QTimer(self)
        self.timer.setInterval(SLIDE_MS)
        self.timer.timeout.connect(self.next_slide)

    def _build_slides(self) -> list[Slide]:
        slides = [Slide("法治宣传", i.title, excerpt(i.body, 90)) for i in self.publicity.items("文章")]
        topics = self.home.topics(8)
        if topics:
            slides.insert(
                min(1, len(slides)),
                Slide("大家都在问", "  ".join(t.name for t in topics), "轻触屏幕，一键查找相关法律和办事指南"),
            )
        return slides or [Slide("欢迎", "查法律 · 找机构 · 问律师", "遇到法律问题，拨打 12348")]

    def _video(self) -> Any:
        return next((i for i in self.publicity.items("视频") if i.playable), None)

    def open(self, params: dict[str, Any]) -> None:
        video = self._video()
        if video is not None:
            from kiosk.ui.widgets.publicity_player import PublicityPlayer

            if self.player is None:
                self.player = PublicityPlayer(loop=True, muted=True, parent=self.frame_layout.parentWidget())
                self.frame_layout.insertWidget(2, self.player, 4)
            self.player.show()
            self.player.play(video.media_path)
        self.slides = self._build_slides()
        self.index = -1
        self.next_slide()
        self.timer.start()

    def next_slide(self) -> None:
        if not self.slides:
            return
        self.index = (self.index + 1) % len(self.slides)
        slide = self.slides[self.index]
        self.kicker.setText(slide.kicker)
        self.slide_title.setText(slide.title)
        self.body.setText(slide.body)

    def leave(self) -> None:
        self.timer.stop()
        if self.player is not None:
            self.player.stop()
            self.player.hide()

    def wipe(self) -> None:
        self.leave()
