"""``kiosk doctor`` reports every check, and each broken part fails its own check with a fix."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import Metadata, Root

EXPECTED = [
    "fonts",
    "voice",
    "audio",
    "keyboard",
    "handwriting",
    "camera",
    "disk",
    "clock",
    "platform",
    "enrolment",
    "trust-root",
    "database",
    "content",
    "last-sync",
    "outbox",
]


def doctor(data: Path, **env: str) -> tuple[int, dict[str, dict[str, object]]]:
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--data-dir", str(data), "doctor", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )
    report = json.loads(done.stdout)
    return done.returncode, {c["name"]: c for c in report["checks"]}


def write_root(path: Path) -> Metadata[Root]:
    signer = CryptoSigner.generate_ed25519()
    root = Metadata(Root())
    root.signed.add_key(signer.public_key, Root.type)
    root.sign(signer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(root.to_bytes())
    return root


@pytest.fixture
def healthy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--data-dir", str(data), "stats"], check=True, capture_output=True
    )
    write_root(data / "state" / "tuf" / "root.bootstrap.json")
    return data


def test_every_check_is_reported(healthy: Path) -> None:
    code, checks = doctor(healthy)
    assert list(checks) == EXPECTED
    assert checks["database"]["ok"] and checks["trust-root"]["ok"] and checks["disk"]["ok"]
    assert code == (0 if all(c["ok"] for c in checks.values()) else 1)
    for check in checks.values():
        assert check["detail"]
        assert check["ok"] or check["fix"], f"{check['name']} fails without a fix"


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig's fc-list is not installed")
def test_no_font(healthy: Path, tmp_path: Path) -> None:
    empty = tmp_path / "fonts.conf"
    empty.write_text("<?xml version='1.0'?><fontconfig><cachedir>" + str(tmp_path) + "</cachedir></fontconfig>")
    code, checks = doctor(healthy, FONTCONFIG_FILE=str(empty))
    assert code == 1 and not checks["fonts"]["ok"]
    assert "fonts-noto-cjk" in str(checks["fonts"]["fix"])


def test_corrupt_database(healthy: Path) -> None:
    db = healthy / "content.sqlite3"
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    raw = bytearray(db.read_bytes())
    raw[4096:8192] = b"\xff" * 4096  # scribble over the second page
    db.write_bytes(bytes(raw))
    code, checks = doctor(healthy)
    assert code == 1 and not checks["database"]["ok"]
    assert "kiosk sync" in str(checks["database"]["fix"])


def test_wrong_trust_root(healthy: Path) -> None:
    path = healthy / "state" / "tuf" / "root.bootstrap.json"
    tampered = json.loads(path.read_text())
    tampered["signed"]["version"] = 7  # not what the key signed
    path.write_text(json.dumps(tampered))
    code, checks = doctor(healthy)
    assert code == 1 and not checks["trust-root"]["ok"]
    assert str(checks["trust-root"]["fix"]).startswith("kiosk provision")


@pytest.mark.skipif(shutil.which("aplay") is None, reason="alsa-utils' aplay is not installed")
def test_no_audio_output(healthy: Path, tmp_path: Path) -> None:
    """ALSA pointed at a sound card that is not there fails; at a device that takes sound, passes."""
    missing = tmp_path / "no-card.conf"
    missing.write_text("pcm.!default { type hw card 7 }\n")
    code, checks = doctor(healthy, ALSA_CONFIG_PATH=str(missing))
    assert code == 1 and not checks["audio"]["ok"]
    assert "没有可用的声音输出设备" in str(checks["audio"]["detail"]) and "aplay -l" in str(checks["audio"]["fix"])
    working = tmp_path / "null.conf"
    working.write_text("pcm.!default { type null }\n")
    _code, checks = doctor(healthy, ALSA_CONFIG_PATH=str(working))
    assert checks["audio"]["ok"], checks["audio"]


def test_text_output_is_chinese_with_a_fix_under_each_failure(healthy: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-card.conf"
    missing.write_text("pcm.!default { type hw card 7 }\n")
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--data-dir", str(healthy), "doctor"],
        capture_output=True,
        text=True,
        env={**os.environ, "ALSA_CONFIG_PATH": str(missing)},
        timeout=120,
    )
    lines = done.stdout.splitlines()
    audio = next(i for i, line in enumerate(lines) if line.startswith("故障  声音输出（audio）："))
    assert lines[audio + 1].strip().startswith("修复：")
    # the summary counts what was printed above it: every check, and every failure with its fix
    shown = [line for line in lines if line.startswith(("正常  ", "故障  "))]
    failed = [i for i, line in enumerate(lines) if line.startswith("故障  ")]
    assert all(lines[i + 1].strip().startswith("修复：") for i in failed)
    assert lines[-1] == f"共 {len(shown)} 项，{len(failed)} 项故障。" and len(shown) >= 15
