"""The terminal's status for the admin screen (a fuller panel comes with the admin issue)."""

from __future__ import annotations

import shutil

from kiosk import __version__
from kiosk.config import Config
from kiosk.paths import DataPaths


def terminal_status(config: Config, paths: DataPaths) -> list[tuple[str, str]]:
    from kiosk.store.stats import content_stats

    stats = content_stats()
    free = shutil.disk_usage(paths.root).free / 2**30
    return [
        ("终端名称", config.terminal_name or "未设置"),
        ("区划代码", config.region_code),
        ("位置", f"{config.latitude:.4f}, {config.longitude:.4f}"),
        ("软件版本", __version__),
        ("内容版本", str(stats.get("content_version") or "未知")),
        ("内容日期", str(stats.get("content_date") or "未知")),
        ("法规 / 条文", f"{stats['law_titles_current']} 部现行 / {stats['law_articles']} 条"),
        ("案例 / 指南", f"{stats['cases']} / {stats['guides']}"),
        ("机构 / 人员", f"{stats['institutions']} / {stats['people']}"),
        ("空闲提醒", f"{config.idle_seconds} 秒后倒计时 {config.idle_countdown_seconds} 秒"),
        ("平台地址", config.hub_url or "未配置"),
        ("数据目录", str(paths.root)),
        ("剩余磁盘", f"{free:.1f} GB"),
    ]
