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


def exec_lines(unit: Path) -> dict[str, str]:
    """``ExecStart`` → its command line (without systemd's ``+-@!:`` prefixes), for every Exec*= line."""
    out = {}
    for line in unit.read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec"):
            key, value = line.split("=", 1)
            out[key] = value.lstrip("+-@!:")
    return out


def exec_paths(unit: Path) -> list[str]:
    return [command.split()[0] for command in exec_lines(unit).values()]


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


def install_setting(name: str) -> str:
    for line in (REPO_ROOT / "packaging/install.sh").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{name}="):
            return line.split("=", 1)[1]
    raise AssertionError(f"install.sh sets no {name}")


def test_units_and_install_script_name_the_same_programs_and_folders() -> None:
    import tomllib

    prefix, data, hub_data = install_setting("PREFIX"), install_setting("DATA"), install_setting("HUB_DATA")
    scripts = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    units = REPO_ROOT / "packaging" / "systemd"
    kiosk = exec_lines(units / "legal-kiosk.service")["ExecStart"]
    assert kiosk.endswith(f"{prefix}/.venv/bin/kiosk run") and "kiosk" in scripts
    assert exec_lines(units / "legal-kiosk-sync.service")["ExecStart"] == f"{prefix}/.venv/bin/kiosk sync"
    hub = exec_lines(units / "kiosk-hub.service")["ExecStart"]
    assert hub.startswith(f"{prefix}/.venv/bin/kiosk-hub --data-dir {hub_data} serve") and "kiosk-hub" in scripts
    for unit in ("legal-kiosk.service", "legal-kiosk-sync.service"):
        text = (units / unit).read_text(encoding="utf-8")
        assert f"Environment=KIOSK_DATA_DIR={data}" in text and f"ReadWritePaths={data}" in text
    assert f"ReadWritePaths={hub_data}" in (units / "kiosk-hub.service").read_text(encoding="utf-8")


def test_exit_to_system_gives_a_login_prompt_instead_of_a_restart(tmp_path: Path) -> None:
    """The unit's ExecStopPost, run with the data folder moved to tmp and a stand-in systemctl."""
    from kiosk.paths import DataPaths
    from kiosk.services.terminal import mark_exit_to_system

    data = install_setting("DATA")
    hook = exec_lines(REPO_ROOT / "packaging/systemd/legal-kiosk.service")["ExecStopPost"]
    paths = DataPaths(tmp_path / "data").ensure()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "systemctl").write_text(f'#!/bin/sh\necho "$@" >> {tmp_path}/systemctl.log\n')
    (bin_dir / "systemctl").chmod(0o755)
    argv = hook.replace(data, str(paths.root)).split(" ", 2)
    assert argv[:2] == ["/bin/sh", "-c"]
    script = argv[2].strip("'")
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin"}

    subprocess.run(["/bin/sh", "-c", script], check=True, env=env)  # an ordinary stop or crash
    assert not (tmp_path / "systemctl.log").exists()

    mark_exit_to_system(paths)  # what the admin panel's 退出到系统 does
    subprocess.run(["/bin/sh", "-c", script], check=True, env=env)
    assert (tmp_path / "systemctl.log").read_text().split() == ["--no-block", "start", "getty@tty1.service"]
    assert not any(paths.state_dir.iterdir())  # the note is used once
    kiosk = (REPO_ROOT / "packaging/systemd/legal-kiosk.service").read_text()
    assert "Conflicts=getty@tty1.service" in kiosk  # starting the prompt stops the kiosk for good
