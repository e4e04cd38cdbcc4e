"""The video broker: turns a consultation session into a room on a video service.

The hub only hands out room links; the call itself runs between the terminal's browser view and the
video service. :class:`JitsiBroker` is the one implementation, for a self-hosted Jitsi Meet (or any
service whose rooms are plain URLs). Another service implements :class:`VideoBroker`.
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import quote

#: A self-hosted Jitsi Meet: no pre-join page (the resident has already chosen to call), and the
#: terminal's camera and microphone on from the start.
JITSI_OPTIONS = "#config.prejoinConfig.enabled=false&config.startWithAudioMuted=false&config.startWithVideoMuted=false"


class VideoBroker(Protocol):
    def room_url(self, room: str) -> str:
        """The address both sides open to join ``room`` (a random, unguessable name)."""
        ...


class JitsiBroker:
    """``template`` is ``hub.toml``'s ``video_url_template``: ``{room}`` becomes the room name and
    ``{hub}`` this hub's own address (for the test room page served with ``--enable-test-faults``)."""

    def __init__(self, template: str, hub_url: str = ""):
        if "{room}" not in template:
            raise ValueError("video_url_template must contain {room}")
        self.template = template
        self.hub_url = hub_url.rstrip("/")

    def room_url(self, room: str) -> str:
        url = self.template.replace("{hub}", self.hub_url).replace("{room}", quote(room, safe=""))
        if "#" not in url and "/_test/" not in url:
            url += JITSI_OPTIONS
        return url


TEST_ROOM_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>room:loading</title>
<style>body{font:28px sans-serif;background:#10243f;color:#fff;text-align:center;padding-top:20%}</style>
</head><body><h1>测试房间</h1><p id="state">正在打开摄像头和麦克风…</p>
<script>
navigator.mediaDevices.getUserMedia({audio: true, video: true}).then(function (stream) {
  document.title = "room:media-granted";
  document.getElementById("state").textContent = "已接通（测试）";
}).catch(function (err) {
  document.title = "room:media-refused:" + err.name;
  document.getElementById("state").textContent = "无法使用摄像头：" + err.name;
});
</script></body></html>
"""
