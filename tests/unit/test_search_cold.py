"""Running out of time is the engine's problem: the resident gets results, never an error."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import peewee as pw
import pytest

from kiosk.search.api import SearchFilters
from kiosk.search.query import search_within
from kiosk.services.search import SearchService
from tests.unit.search_fixture import LAWS, build

pytestmark = pytest.mark.skipif(not LAWS.is_dir(), reason="shared laws folder missing")

REPO = Path(__file__).resolve().parents[2]

# The screen's sequence in a process that has never searched: a quick search with the screen's
# short budget, then, when that was cut short, the complete search.
FIRST_SEARCH = """
import json, sys
from pathlib import Path
from kiosk.store.db import open_content_db
from kiosk.services.search import SearchService
from kiosk.ui.screens.search import QUICK_SECONDS
service = SearchService(open_content_db(Path(sys.argv[1])))
shown = []
for text in sys.argv[2:]:
    outcome = service.search(text, seconds=QUICK_SECONDS)
    first = (outcome.error, outcome.total, outcome.partial)
    if outcome.partial:
        outcome = service.search(text)
    shown.append({"text": text, "quick": first, "error": outcome.error, "total": outcome.total})
print(json.dumps(shown, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def db_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("cold")
    database = build(root)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    path = Path(database.database)
    database.close()
    yield path


def test_first_search_after_start_on_a_fresh_database_copy_shows_results(db_file: Path, tmp_path: Path) -> None:
    # A copy no process has opened, searched by a new process: nothing of it is in its memory,
    # its catalog, word caches and SQLite page cache are all cold.
    fresh = tmp_path / "content.sqlite3"
    shutil.copyfile(db_file, fresh)
    done = subprocess.run(
        [sys.executable, "-c", FIRST_SEARCH, str(fresh), "拖欠工资", "试用期最长多久"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    for shown in json.loads(done.stdout.strip().splitlines()[-1]):
        assert shown["quick"][0] is None, shown  # not even the quick search reports an error
        assert shown["error"] is None and shown["total"] > 0, shown


@pytest.fixture()
def db(db_file: Path) -> Iterator[pw.SqliteDatabase]:
    from kiosk.store.db import open_content_db

    database = open_content_db(db_file)
    yield database
    database.close()


@pytest.mark.parametrize("seconds", [0.0, 1e-5, 1e-4, 1e-3, 3e-3, 1e-2])
def test_a_search_out_of_time_wherever_it_stops_is_no_error(db: pw.SqliteDatabase, seconds: float) -> None:
    # Wherever the budget runs out (fetching candidates, ranking, sections, snippets), what was
    # found so far comes back and the complete search that follows fills it in.
    for text in ("拖欠工资", "公司不给加班费怎么办", "离婚后孩子抚养费由谁承担，标准是多少"):
        hits, complete = search_within(db, text, SearchFilters(), 20, seconds)
        assert complete or isinstance(hits, list)
        outcome = SearchService(db).search(text)
        assert outcome.error is None and outcome.total > 0 and not outcome.partial
