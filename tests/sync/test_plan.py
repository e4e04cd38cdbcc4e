"""Choosing what to download: nothing, the cheapest delta chain, or the snapshot; never older."""

from __future__ import annotations

import pytest

from kiosk.sync.errors import VerificationRefused
from kiosk.sync.repository import ContentIndex, PackageRef, plan


def _index(latest: int, deltas: list[tuple[int, int, int]], snapshot_length: int = 1000) -> ContentIndex:
    refs = [PackageRef(f"content/snapshot-{latest}.jsonl.gz", "snapshot", latest, None, snapshot_length)]
    refs += [PackageRef(f"content/delta-{a}-{v}.jsonl.gz", "delta", v, a, n) for a, v, n in deltas]
    return ContentIndex(latest, "2025-05-01", "2025-05-01T00:00:00+08:00", 1, tuple(refs), ())


def test_up_to_date_needs_nothing() -> None:
    assert plan(_index(4, []), 4) == []


def test_first_sync_takes_the_snapshot() -> None:
    assert [r.kind for r in plan(_index(4, [(3, 4, 10)]), None)] == ["snapshot"]


def test_cheapest_chain_wins() -> None:
    index = _index(5, [(2, 5, 600), (2, 3, 100), (3, 5, 200), (3, 4, 50), (4, 5, 60)])
    assert [(r.base, r.version) for r in plan(index, 2)] == [(2, 3), (3, 4), (4, 5)]  # 210 bytes


def test_snapshot_when_chain_costs_more_or_is_missing() -> None:
    assert [r.kind for r in plan(_index(5, [(4, 5, 5000)]), 4)] == ["snapshot"]
    assert [r.kind for r in plan(_index(5, [(3, 5, 10)]), 1)] == ["snapshot"]


def test_older_content_than_held_is_refused() -> None:
    with pytest.raises(VerificationRefused, match="older"):
        plan(_index(3, []), 5)
