"""The systemd units and hardening files in packaging/ are valid for systemd itself."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.paths import REPO_ROOT

UNITS = sorted((REPO_ROOT / "packaging" / "systemd").iterdir())
SYSTEM_UNITS = Path("/usr/lib/systemd/system")


def exec_paths(unit: Path) -> list[str]:
    return [
        line.split("=", 1)[1].split()[0]
        for line in unit.read_text(encoding="utf-8").splitlines()
        if line.startswith("ExecStart=")
    ]


@pytest.fixture
def fake_root(tmp_path: Path) -> Path:
    """A root with the system's own units and our programs where the units expect them."""
    if shutil.which("systemd-analyze") is None or not SYSTEM_UNITS.is_dir():
        pytest.skip("systemd is not installed here (no systemd-analyze); units cannot be verified")
    root = tmp_path / "root"
    shutil.copytree(SYSTEM_UNITS, root / "usr/lib/systemd/system", symlinks=True)
    target = root / "etc/systemd/system"
    target.mkdir(parents=True)
    for unit in UNITS:
        shutil.copy(unit, target / unit.name)
        for program in exec_paths(unit):
            path = root / program.lstrip("/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("#!/bin/sh\n")
            path.chmod(0o755)
    return root


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_systemd_analyze_verify_passes(fake_root: Path, unit: Path) -> None:
    done = subprocess.run(
        ["systemd-analyze", "verify", f"--root={fake_root}", f"/etc/systemd/system/{unit.name}"],
        capture_output=True,
        text=True,
        env={**os.environ, "SYSTEMD_LOG_COLOR": "0"},
    )
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr


def test_a_broken_unit_is_caught(fake_root: Path) -> None:
    bad = fake_root / "etc/systemd/system/broken.service"
    bad.write_text(
        (REPO_ROOT / "packaging/systemd/legal-kiosk.service").read_text().replace("Restart=always", "Restart=sometimes")
    )
    done = subprocess.run(
        ["systemd-analyze", "verify", f"--root={fake_root}", "/etc/systemd/system/broken.service"],
        capture_output=True,
        text=True,
    )
    assert "restart specifier" in done.stderr


def test_kiosk_restarts_forever_and_sync_is_sandboxed() -> None:
    kiosk = (REPO_ROOT / "packaging/systemd/legal-kiosk.service").read_text()
    assert "Restart=always" in kiosk and "StartLimitIntervalSec=0" in kiosk
    sync = (REPO_ROOT / "packaging/systemd/legal-kiosk-sync.service").read_text()
    for option in ("ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateDevices=yes", "CapabilityBoundingSet="):
        assert option in sync
    timer = (REPO_ROOT / "packaging/systemd/legal-kiosk-sync.timer").read_text()
    assert "RandomizedDelaySec=" in timer
    assert "kernel.sysrq = 0" in (REPO_ROOT / "packaging/etc/sysctl.d/90-legal-kiosk.conf").read_text()
