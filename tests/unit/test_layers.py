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


def test_the_code_type_checks_strictly() -> None:
    """Issue 15: kiosk and kiosk_hub type-check under mypy's strict mode ([tool.mypy] strict = true; calls
    into peewee, which has no annotations, are the one exclusion)."""
    mypy = Path(sys.executable).with_name("mypy")
    out = subprocess.run([str(mypy)], capture_output=True, text=True, cwd=REPO, timeout=900)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
