"""The whole shared laws folder through a real hub (slow: ``-m slow``; figures in bench/bench_sync.py)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from content_set import available
from sync_harness import Hub, Terminal

from kiosk.paths import SHARED_DATA_DIR


def _bench() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "bench_sync.py"
    spec = importlib.util.spec_from_file_location("bench_sync", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_whole_laws_first_sync_and_one_percent_delta(tmp_path: Path) -> None:
    if not available():
        pytest.skip("the shared data folder (../shared/data) is not available")
    bench = _bench()
    hub = Hub(tmp_path / "hub")
    hub.cli("init")
    hub.cli("publish")  # the whole shared laws folder and the sample content
    hub.start()
    try:
        term = Terminal(tmp_path / "kiosk")
        term.provision(hub)
        wall, rss, lines = bench.measured_sync(term.root)
        assert lines[-1]["exit_code"] == 0, lines
        assert wall <= 90 and rss <= 500, (wall, rss)
        assert term.digest_map() == hub.version_map(1)

        laws = Path(shutil.copytree(SHARED_DATA_DIR / "laws", tmp_path / "laws"))
        changed, total = bench.change_one_percent(laws)
        assert changed == total // 100
        hub.cli(
            "publish", "--laws", laws, "--cases", SHARED_DATA_DIR / "cases" / "cases.jsonl", "--cases", laws / "案例"
        )
        wall, rss, lines = bench.measured_sync(term.root)
        content = next(line for line in lines if line["stage"] == "content")
        delta = next((hub.root / "repo" / "targets" / "content").glob("*.delta-1-2.jsonl.gz"))
        assert [a["kind"] for a in content["applied"]] == ["delta"]
        assert content["downloaded"] <= 2 * bench.changed_records_size(delta, only_articles=True)
        assert wall <= 5, wall
        assert term.digest_map() == hub.version_map(2)
    finally:
        hub.stop()
