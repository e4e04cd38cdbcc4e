"""Where the resident is: other provinces' local regulations only when asked for."""

from __future__ import annotations

from collections.abc import Iterator

import peewee as pw
import pytest

from kiosk.search.query import search
from tests.unit.search_fixture import LAWS, build

pytestmark = pytest.mark.skipif(not LAWS.is_dir(), reason="shared laws folder missing")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pw.SqliteDatabase]:
    database = build(tmp_path_factory.mktemp("place"))
    yield database
    database.close()


def _local(title: str) -> bool:
    return title.startswith(("上海", "山东"))


@pytest.mark.parametrize("text", ["劳动合同 解除", "公共法律服务", "汉川 劳动合同"])
def test_other_provinces_regulations_come_after_everything_else(db: pw.SqliteDatabase, text: str) -> None:
    hits = [h for h in search(db, text, limit=40) if h.kind in ("article", "law")]
    kinds = [_local(h.title) for h in hits]
    assert False in kinds  # national law answers
    # Once a local regulation of another province is listed, nothing national follows it.
    assert kinds == sorted(kinds), [h.title for h in hits]


def test_a_named_province_gets_its_own_regulations(db: pw.SqliteDatabase) -> None:
    hits = [h for h in search(db, "上海 劳动合同", limit=10) if h.kind in ("article", "law")]
    assert hits and _local(hits[0].title), [h.title for h in hits]
