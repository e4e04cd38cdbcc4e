"""Sync test fixtures: a real hub process on 127.0.0.1 and terminal data folders.

Building a hub (keys, first publication) and enrolling a terminal once per session, then copying
both for each test, keeps the suite fast while every test still talks to its own real hub process.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from content_set import available, copy_laws
from sync_harness import Hub, Terminal, copy_tree


@pytest.fixture(scope="session")
def sync_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not available():
        pytest.skip("the shared data folder (../shared/data) is not available")
    return copy_laws(tmp_path_factory.mktemp("sources") / "laws")


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory, sync_sources: Path) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("templates")
    hub = Hub(base / "hub")
    hub.cli("init", "--timestamp-days", "1", "--deltas", "3")
    hub.publish(sync_sources)
    hub.start()
    try:
        term = Terminal(base / "kiosk")
        term.provision(hub)
        result, lines = term.sync()
        assert result.exit_code == 0, lines
    finally:
        hub.stop()
    return hub.root, term.root


@pytest.fixture
def laws_dir(tmp_path: Path, sync_sources: Path) -> Path:
    """A private copy of the small law set to edit and publish."""
    return Path(shutil.copytree(sync_sources, tmp_path / "laws"))


@pytest.fixture
def hub(tmp_path: Path, templates: tuple[Path, Path]) -> Iterator[Hub]:
    h = Hub(copy_tree(templates[0], tmp_path / "hub"))
    h.start()
    try:
        yield h
    finally:
        h.stop()


@pytest.fixture
def terminal(tmp_path: Path, templates: tuple[Path, Path], hub: Hub) -> Terminal:
    """A terminal enrolled with ``hub`` and holding content version 1."""
    term = Terminal(copy_tree(templates[1], tmp_path / "kiosk"))
    term.repoint(hub)
    return term


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow sync tests (200 kills, the whole laws folder) run only when asked for with ``-m slow``."""
    if "slow" in (config.option.markexpr or ""):
        return
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason="slow: run with `-m slow`")
    for item in items:
        if item.get_closest_marker("slow") and here in Path(str(item.path)).parents:
            item.add_marker(skip)
