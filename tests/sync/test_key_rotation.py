"""Rotating the platform's signing keys: terminals follow the new root on their next sync, and
metadata signed with a retired key is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sync_harness import Hub, Terminal, run

from kiosk.sync.errors import EXIT_OK, EXIT_REFUSED


def trusted_root_version(terminal: Terminal) -> int:
    return int(
        json.loads((terminal.paths.state_dir / "tuf" / "metadata" / "root.json").read_text())["signed"]["version"]
    )


@pytest.mark.parametrize("role", ["timestamp", "root"])
def test_terminal_follows_a_rotated_key(hub: Hub, terminal: Terminal, role: str) -> None:
    before = trusted_root_version(terminal)
    out = hub.cli("rotate-key", role).stdout
    assert f"root version {before + 1}" in out
    assert (hub.root / "keys" / ("offline" if role == "root" else "online") / f"{role}.{before}.pem").exists()
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_OK, lines
    assert trusted_root_version(terminal) == before + 1
    doctor = run("kiosk.cli", "--data-dir", terminal.root, "doctor", "--json", check=False)
    trust = next(c for c in json.loads(doctor.stdout)["checks"] if c["name"] == "trust-root")
    assert trust["ok"] and trust["detail"].startswith(f"信任根第 {before + 1} 版，")


def test_metadata_signed_with_a_retired_key_is_refused(hub: Hub, terminal: Terminal) -> None:
    keys = hub.root / "keys" / "online"
    before = trusted_root_version(terminal)
    hub.cli("rotate-key", "timestamp")
    assert terminal.sync()[0].exit_code == EXIT_OK and trusted_root_version(terminal) == before + 1
    # Someone still holding the old timestamp key signs a fresh timestamp with it.
    for suffix in (".pem", ".pub.json"):
        shutil.copyfile(keys / f"timestamp.{before}{suffix}", keys / f"timestamp{suffix}")
    hub.cli("refresh", "--force")
    result, lines = terminal.sync()
    assert result.exit_code == EXIT_REFUSED, lines


def test_rotation_needs_the_root_key(hub: Hub, tmp_path: Path) -> None:
    offline = hub.root / "keys" / "offline"
    shutil.move(offline / "root.pem", hub.root / "root.pem")  # the key went to the safe, without its .pub.json
    done = hub.cli("rotate-key", "timestamp", check=False)
    assert done.returncode == 1 and "the root key is needed" in done.stderr
    stranger = Hub(tmp_path / "other-platform")  # another platform's root key is refused by name
    stranger.cli("init")
    done = hub.cli(
        "rotate-key", "timestamp", "--root-key", str(stranger.root / "keys" / "offline" / "root.pem"), check=False
    )
    assert done.returncode == 1 and "is not this platform's current root key" in done.stderr
    assert hub.cli("rotate-key", "timestamp", "--root-key", str(hub.root / "root.pem")).returncode == 0
