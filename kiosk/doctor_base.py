"""What every doctor check returns, and how a technician reads the names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: A clock before this is certainly wrong (the software did not exist yet): TLS and TUF expiry fail.
CLOCK_FLOOR = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@dataclass
class Check:
    name: str  # English id, kept for --json
    ok: bool
    detail: str  # Chinese, what was found
    fix: str = ""  # Chinese, a command or step that works as written


#: The check ids in Chinese for the text output.
TITLES = {
    "fonts": "中文字体",
    "voice": "朗读语音",
    "audio": "声音输出",
    "keyboard": "屏幕键盘",
    "handwriting": "手写输入",
    "camera": "摄像头",
    "disk": "磁盘空间",
    "clock": "时钟",
    "platform": "平台连接",
    "enrolment": "注册状态",
    "trust-root": "信任根",
    "database": "数据库",
    "content": "内容",
    "last-sync": "上次同步",
    "outbox": "待上报数据",
}
