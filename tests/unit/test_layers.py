"""The layers hold: `lint-imports` checks the contracts in pyproject.toml ([tool.importlinter]).

ui -> services -> flows -> provisioning -> sync -> store -> search; nothing below kiosk.ui (nor the hub)
imports Qt or kiosk.ui; the screens reach the lower layers only through kiosk.services.
See docs/architecture.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint), "--no-cache"], capture_output=True, text=True, cwd=REPO, timeout=240)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout and "3 kept" in out.stdout, out.stdout[-2000:]


def test_services_store_and_sync_are_mypy_strict() -> None:
    """Issue 15: the layers below the UI type-check under ``--strict`` (calls into peewee, which has no
    annotations, are excluded in pyproject.toml's [tool.mypy]; nothing else is)."""
    mypy = Path(sys.executable).with_name("mypy")
    packages = ["kiosk/services", "kiosk/store", "kiosk/sync"]
    out = subprocess.run([str(mypy), "--strict", *packages], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
