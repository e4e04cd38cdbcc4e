"""A small real content set for sync tests: the law files the sample guides cite, copied to tmp.

Nothing is copied into the repository; the shared data folder is only read.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from kiosk.paths import SHARED_DATA_DIR

LAWS_DIR = SHARED_DATA_DIR / "laws"
CASES_FILE = SHARED_DATA_DIR / "cases" / "cases.jsonl"

TITLES = (
    "人民调解法",
    "公证法",
    "农村土地承包经营纠纷调解仲裁法",
    "刑事诉讼法",
    "劳动争议调解仲裁法",
    "反家庭暴力法",
    "律师法",
    "民事诉讼法",
    "法律援助法",
    "社会保险法",
    "老年人权益保障法",
    "道路交通安全法",
    "保障农民工工资支付条例",
    "劳动保障监察条例",
    "医疗纠纷预防和处理条例",
    "工伤保险条例",
    "诉讼费用交纳办法",
    "道路交通事故处理程序规定",
    "最高人民法院关于办理人身安全保护令案件适用法律若干问题的规定",
    "劳动合同法",
)
CIVIL_CODE_PARTS = ("总则", "婚姻家庭编", "继承编", "侵权责任编")


def available() -> bool:
    return (LAWS_DIR / "db.sqlite3").exists() and CASES_FILE.exists()


def _stem(path: Path) -> str:
    return re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", path.stem)


def law_files() -> list[Path]:
    found: dict[str, list[Path]] = {}
    for path in LAWS_DIR.rglob("*.md"):
        rel = path.relative_to(LAWS_DIR)
        if rel.parts[0] in ("DLC", "案例"):
            continue
        found.setdefault(_stem(path), []).append(path)
    chosen = [max(found[title]) for title in TITLES if title in found]
    chosen += [LAWS_DIR / "民法典" / f"{part}.md" for part in CIVIL_CODE_PARTS]
    return chosen


def copy_laws(dest: Path) -> Path:
    """Copy the small law set (with the metadata database) into ``dest``; returns ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in law_files():
        target = dest / path.relative_to(LAWS_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    shutil.copyfile(LAWS_DIR / "db.sqlite3", dest / "db.sqlite3")
    return dest
