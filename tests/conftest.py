"""Fixtures shared by every test folder: temporary data folders and small real law collections."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import peewee as pw
import pytest

from kiosk.paths import SHARED_DATA_DIR

SHARED_LAWS = SHARED_DATA_DIR / "laws"

#: A handful of real documents: a 民法典 part, a law with two versions, a repealed local rule,
#: 法律援助法 (legal-aid guides cite it) and 劳动合同法.
SMALL_LAW_FILES = (
    "民法典/婚姻家庭编.md",
    "民法典/侵权责任编.md",
    "社会法/劳动合同法(2012-12-28).md",
    "行政法/法律援助法(2021-08-20).md",
    "社会法/劳动法(2018-12-29).md",
    "诉讼与非诉讼程序法/人民调解法(2010-08-28).md",
    "诉讼与非诉讼程序法/劳动争议调解仲裁法(2007-12-29).md",
    "行政法规/道路运输条例(2019-03-02).md",
    "行政法规/道路运输条例(2023-07-20).md",
)


def copy_laws(target: Path, files: tuple[str, ...] = SMALL_LAW_FILES) -> Path:
    for rel in files:
        source = SHARED_LAWS / rel
        if not source.exists():
            raise FileNotFoundError(f"test fixture expects {source}")
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
    return target


@pytest.fixture(scope="session")
def shared_laws() -> Path:
    if not SHARED_LAWS.is_dir():
        pytest.fail(f"the shared data folder is missing: {SHARED_LAWS}")
    return SHARED_LAWS


@pytest.fixture
def small_laws(tmp_path: Path, shared_laws: Path) -> Path:
    return copy_laws(tmp_path / "laws")


@pytest.fixture
def content_db(tmp_path: Path) -> Iterator[pw.SqliteDatabase]:
    from kiosk.store.db import bind_content_models, open_content_db

    db = open_content_db(tmp_path / "data" / "content.sqlite3")
    bind_content_models(db)  # a test is its own composition root
    yield db
    db.close()


def dump(db: pw.SqliteDatabase) -> list[str]:
    """Every row of every table (the FTS index included), to prove a failed import wrote nothing."""
    return list(db.connection().iterdump())
