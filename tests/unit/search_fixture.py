"""A small real law collection imported once for the search tests (see test_search_*.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import peewee as pw

from kiosk.paths import SHARED_DATA_DIR

LAWS = SHARED_DATA_DIR / "laws"

FILES = (
    "db.sqlite3",  # metadata: levels and the expired flag
    "民法典/婚姻家庭编.md",
    "民法典/侵权责任编.md",
    "民法典/总则.md",
    "社会法/劳动合同法(2012-12-28).md",
    "社会法/劳动法(2018-12-29).md",
    "社会法/反家庭暴力法(2015-12-27).md",
    "社会法/未成年人保护法(2020-10-17).md",
    "社会法/未成年人保护法(2024-04-26).md",
    "行政法/环境噪声污染防治法(2018-12-29).md",
    "行政法/法律援助法(2021-08-20).md",
    "DLC/上海地方法规/地方性法规/上海/上海市劳动合同条例(2001-11-15).md",
    "DLC/山东地方法规/地方性法规/山东/山东省公共法律服务条例(2020-09-25).md",
)

SYNONYMS = {
    "欠薪": ["拖欠工资", "工资报酬"],
    "老公": ["配偶", "夫妻"],
    "打官司": ["诉讼", "起诉"],
    "老人": ["老年人"],
}


def copy_laws(target: Path) -> Path:
    for rel in FILES:
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(LAWS / rel, dest)
    return target


def build(root: Path) -> pw.SqliteDatabase:
    from kiosk.store.db import bound_to, open_content_db
    from kiosk.store.import_laws import import_laws
    from kiosk.store.models import Synonym

    laws = copy_laws(root / "laws")
    db = open_content_db(root / "data" / "content.sqlite3")
    import_laws(db, laws)
    with bound_to(db), db.atomic():
        for term, expansions in {**single_char_synonyms(), **SYNONYMS}.items():
            Synonym.insert(term=term, expansions=expansions).on_conflict_replace().execute()
    return db


def single_char_synonyms() -> dict[str, list[str]]:
    """The shipped list's lone characters (打 → 殴打 | 伤害; its one-character words are its
    single_char section): every terminal has them, as it had when they were a table in code, so the
    fixture's few synonyms come with them."""
    from kiosk.paths import ASSETS_DIR
    from kiosk.store.import_misc import parse_synonyms

    shipped, _ = parse_synonyms(ASSETS_DIR / "synonyms.tsv")
    return {word: terms for word, terms in shipped.items() if len(word) == 1}
