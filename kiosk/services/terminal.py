"""The terminal's identity and health for the admin panel."""

from __future__ import annotations

import json
import resource
import shutil
from pathlib import Path
from typing import Any

import peewee as pw

from kiosk import __version__
from kiosk.config import Config
from kiosk.paths import DataPaths

#: Written when the technician chooses 退出到系统; the kiosk unit's ExecStopPost sees it, removes it and
#: starts a login prompt on tty1 instead of letting the kiosk restart (packaging/systemd/legal-kiosk.service).
EXIT_TO_SYSTEM_FILE = "exit-to-system"


def mark_exit_to_system(paths: DataPaths) -> None:
    (paths.state_dir / EXIT_TO_SYSTEM_FILE).write_text("admin\n", encoding="ascii")


def clear_exit_to_system(paths: DataPaths) -> None:
    (paths.state_dir / EXIT_TO_SYSTEM_FILE).unlink(missing_ok=True)


def _memory_text() -> str:
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    available = ""
    try:
        lines = Path("/proc/meminfo").read_text(encoding="ascii").splitlines()
    except OSError:
        lines = []
    for line in lines:
        if line.startswith("MemAvailable:"):
            available = f"，系统可用 {int(line.split()[1]) / 1024 / 1024:.1f} GB"
    return f"本程序峰值 {rss_mb:.0f} MB{available}"


def _device_id(paths: DataPaths) -> str:
    try:
        return str(json.loads(paths.device_file.read_text(encoding="utf-8"))["device_id"])
    except (OSError, ValueError, KeyError):
        return "未注册"


def terminal_status(config: Config, paths: DataPaths, db: pw.Database, outbox: Any = None) -> list[tuple[str, str]]:
    from kiosk.provisioning.validate import full_name
    from kiosk.store.stats import content_stats

    stats = content_stats(db)
    free = shutil.disk_usage(paths.root).free / 2**30
    rows = [
        ("终端名称", config.terminal_name or "未设置"),
        ("终端编号", _device_id(paths)),
        ("所在地区", f"{full_name(config.region_code) or '未知'}（{config.region_code}）"),
        ("位置", f"{config.latitude:.4f}, {config.longitude:.4f}" + (f"，{config.address}" if config.address else "")),
        ("平台地址", config.hub_url or "未配置"),
        ("软件版本", __version__),
        ("内容版本", str(stats.get("content_version") or "未知")),
        ("内容日期", str(stats.get("content_date") or "未知")),
        ("法规 / 条文", f"{stats['law_titles_current']} 部现行 / {stats['law_articles']} 条"),
        ("案例 / 指南", f"{stats['cases']} / {stats['guides']}"),
        ("机构 / 人员", f"{stats['institutions']} / {stats['people']}"),
    ]
    if outbox is not None:
        rows.append(("待上报", f"{outbox.pending_count()} 条"))
    rows += [
        ("空闲清屏", f"{config.idle_seconds} 秒后倒计时 {config.idle_countdown_seconds} 秒"),
        ("剩余磁盘", f"{free:.1f} GB"),
        ("内存", _memory_text()),
        ("数据目录", str(paths.root)),
    ]
    return rows
