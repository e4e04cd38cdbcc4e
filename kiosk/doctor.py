"""``kiosk doctor``: what a technician checks on a terminal, one line per check with a fix (in Chinese).

Every check is a plain function returning a :class:`Check`; none imports Qt, so the doctor works on
a terminal whose display stack is broken — which is when it is needed most.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from kiosk.doctor_base import TITLES, Check
from kiosk.doctor_platform import check_clock, check_enrolment, check_platform, forget
from kiosk.doctor_terminal import check_content, check_database, check_last_sync, check_outbox, check_trust_root
from kiosk.handwriting.doctor_check import check_handwriting
from kiosk.paths import DataPaths

MIN_FREE_BYTES = 1 << 30
CJK_FONT_GLOBS = ("/usr/share/fonts/**/*CJK*", "/usr/share/fonts/**/wqy*", "/usr/share/fonts/**/*SourceHan*")
MANDARIN_VOICE = "cmn-latn-pinyin"
#: 10 ms of silence through the default output: the same device and player the read-aloud uses.
AUDIO_PROBE = ("aplay", "-q", "-t", "raw", "-f", "S16_LE", "-r", "8000", "-c", "1", "-s", "80", "/dev/zero")


def check_fonts(_: DataPaths) -> Check:
    families: list[str] = []
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20)
        families = sorted({line.split(",")[0] for line in out.stdout.splitlines() if line.strip()})
    else:
        families = sorted({Path(p).name for pattern in CJK_FONT_GLOBS for p in glob.glob(pattern, recursive=True)})
    if families:
        simplified_first = sorted(families, key=lambda f: ("SC" not in f, f))
        return Check("fonts", True, f"中文字体：{'、'.join(simplified_first[:3])}")
    return Check("fonts", False, "没有中文字体：所有汉字显示成方框", "apt-get install fonts-noto-cjk")


def check_voice(_: DataPaths) -> Check:
    if shutil.which("espeak-ng") is None:
        return Check("voice", False, "没有安装 espeak-ng：朗读不可用", "apt-get install espeak-ng")
    out = subprocess.run(["espeak-ng", "--voices=cmn"], capture_output=True, text=True, timeout=20).stdout
    if MANDARIN_VOICE not in out.lower():
        return Check(
            "voice", False, f"espeak-ng 缺少普通话语音 {MANDARIN_VOICE}", "apt-get install --reinstall espeak-ng-data"
        )
    return Check("voice", True, f"espeak-ng 普通话语音 {MANDARIN_VOICE}")


def check_audio(_: DataPaths) -> Check:
    """Open the default output for 10 ms of silence, as the read-aloud does: no speaker, no pass."""
    if shutil.which("aplay") is None:
        return Check("audio", False, "没有 aplay：朗读声音到不了音箱", "apt-get install alsa-utils")
    done = subprocess.run(AUDIO_PROBE, capture_output=True, text=True, timeout=20)
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or ["aplay failed"])[-1]
        return Check(
            "audio",
            False,
            f"没有可用的声音输出设备（{why}）：居民听不到朗读",
            "接好音箱或 HDMI 声音，aplay -l 应列出声卡；再用 alsamixer 取消静音",
        )
    return Check("audio", True, "默认声音输出可以打开")


def check_keyboard(_: DataPaths) -> Check:
    spec = importlib.util.find_spec("PySide6")
    plugins = (
        [Path(p) / "Qt" / "plugins" / "platforminputcontexts" for p in (spec.submodule_search_locations or [])]
        if spec
        else []
    )
    found = [p for d in plugins for p in d.glob("libqtvirtualkeyboardplugin*")]
    if found:
        return Check("keyboard", True, "屏幕键盘插件在（拼音）")
    return Check(
        "keyboard",
        False,
        "没有屏幕键盘插件：居民无法输入",
        "/opt/legal-kiosk/.venv/bin/pip install PySide6-Addons",
    )


def check_camera(_: DataPaths) -> Check:
    devices = sorted(glob.glob("/dev/video*"))
    if devices:
        return Check("camera", True, f"摄像头 {devices[0]}")
    return Check(
        "camera",
        False,
        "没有摄像头（/dev/video*）：视频咨询改为提示拨打 12348",
        "插好 USB 摄像头，用 dmesg | tail 查看是否识别",
    )


def check_disk(paths: DataPaths) -> Check:
    where = paths.root if paths.root.exists() else paths.root.parent
    free = shutil.disk_usage(where).free
    text = f"{where} 剩余 {free / 2**30:.1f} GiB"
    if free < MIN_FREE_BYTES:
        return Check(
            "disk",
            False,
            text + "（内容更新至少需要 1 GiB）",
            "journalctl --vacuum-size=100M；删除 /var/log 下的旧文件",
        )
    return Check("disk", True, text)


#: Every check, in the order printed. A new check: a function above and one line here.
CHECKS: tuple[Callable[[DataPaths], Check], ...] = (
    check_fonts,
    check_voice,
    check_audio,
    check_keyboard,
    check_handwriting,  # kiosk/handwriting/doctor_check.py
    check_camera,
    check_disk,
    check_clock,
    check_platform,
    check_enrolment,
    check_trust_root,
    check_database,
    check_content,
    check_last_sync,
    check_outbox,
)


def run_checks(paths: DataPaths) -> list[Check]:
    forget()  # ask the platform afresh on every run
    results = []
    for check in CHECKS:
        try:
            results.append(check(paths))
        except Exception as exc:  # a broken check must not hide the others
            name = check.__name__.removeprefix("check_").replace("_", "-")
            results.append(Check(name, False, f"检查程序出错：{type(exc).__name__}: {exc}", "把这一行报告给技术支持"))
    return results


def render(results: list[Check], as_json: bool) -> str:
    if as_json:
        return json.dumps(
            {"ok": all(r.ok for r in results), "checks": [asdict(r) for r in results]}, ensure_ascii=False
        )
    lines = []
    for r in results:
        mark = "正常" if r.ok else "故障"
        title = TITLES.get(r.name, r.name)
        lines.append(f"{mark}  {title}（{r.name}）：{r.detail}" + (f"\n      修复：{r.fix}" if not r.ok else ""))
    failed = sum(not r.ok for r in results)
    lines.append(f"共 {len(results)} 项，{failed} 项故障。" if failed else f"共 {len(results)} 项，全部正常。")
    return "\n".join(lines)
