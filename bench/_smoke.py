"""Tiny data for the benches' ``--smoke`` mode: a few real laws and cases copied out of ../shared/data.

A smoke run proves a bench still runs end to end in seconds; its figures mean nothing. The leading
underscore keeps this helper out of tests/bench/test_bench_smoke.py, which runs every other bench/*.py.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from kiosk.paths import SAMPLE_DIR, SHARED_DATA_DIR

LAW_FILES = (
    "民法典/总则.md",
    "民法典/婚姻家庭编.md",
    "社会法/劳动合同法(2012-12-28).md",
    "行政法/法律援助法(2021-08-20).md",
    "诉讼与非诉讼程序法/人民调解法(2010-08-28).md",
)
CASE_FILES = ("_index.md", "消费购物/_index.md", "消费购物/张莉诉北京合力华通汽车服务有限公司买卖合同纠纷案.md")
CASE_LINES = 6


def guide_law_files() -> list[str]:
    """The laws the sample guides cite (the newest version of each), so they import without a complaint."""
    laws = SHARED_DATA_DIR / "laws"
    newest: dict[str, str] = {}
    for path in sorted(laws.rglob("*.md")):
        rel = path.relative_to(laws)
        if rel.parts[0] not in ("DLC", "案例"):
            newest[re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", path.stem)] = str(rel)  # dates sort: the last is newest
    wanted: set[str] = set()
    for guide in SAMPLE_DIR.glob("guides/*.toml"):
        for basis in tomllib.loads(guide.read_text(encoding="utf-8")).get("basis", []):
            title = str(basis.get("law", "")).removeprefix("中华人民共和国")
            if title.startswith("民法典·"):
                wanted.add(f"民法典/{title.removeprefix('民法典·')}.md")
            elif title in newest:
                wanted.add(newest[title])
    return sorted(wanted)


def small_shared(target: Path, for_guides: bool = False) -> Path:
    """A shared-data folder (laws with their metadata database, cases, dev queries) of a few documents;
    ``for_guides``: the laws the sample guides cite as well (what ``kiosk demo-data`` and the hub need)."""
    laws = target / "laws"
    law_files = sorted({*LAW_FILES, *guide_law_files()}) if for_guides else LAW_FILES
    for rel in (*law_files, "db.sqlite3", *(f"案例/{c}" for c in CASE_FILES)):
        dest = laws / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED_DATA_DIR / "laws" / rel, dest)
    for rel, count in (("cases/cases.jsonl", CASE_LINES), ("queries/dev.jsonl", 3)):
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        lines = (SHARED_DATA_DIR / rel).read_text(encoding="utf-8").splitlines(keepends=True)
        dest.write_text("".join(lines[:count]), encoding="utf-8")
    return target
