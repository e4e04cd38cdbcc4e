"""Everything forged, rolled back, frozen or oversized is refused; the last good content stays."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from securesystemslib.signer import CryptoSigner
from sync_harness import Hub, Terminal, edit_article
from tuf.api.metadata import Metadata, Timestamp
from tuf.api.serialization.json import JSONSerializer

from kiosk.sync.device import load_root
from kiosk.sync.errors import EXIT_REFUSED, VerificationRefused
from kiosk.sync.http import Http
from kiosk.sync.repository import ContentRepository
from kiosk_hub.paths import HubPaths
from kiosk_hub.tufrepo import TufRepo

LABOUR = "社会法/劳动合同法(2012-12-28).md"


def _new_version(hub: Hub, laws: Path, text: str = "（新版本）") -> None:
    edit_article(laws, LABOUR, "第二条", text)
    hub.publish(laws)


def _refused(term: Terminal, version: int, needle: str) -> dict[str, object]:
    result, lines = term.sync()
    assert result.exit_code == EXIT_REFUSED, lines
    refused = [line for line in lines if line["status"] == "refused"]
    assert refused and needle in str(refused[0]["error"]), refused
    assert term.version() == version  # the last good content is kept
    assert result.stages["outbox"] == "ok"  # events still go up
    return refused[0]


def _target_file(hub: Hub, name: str) -> Path:
    return next((hub.root / "repo" / "targets" / "content").glob(f"*.{name}"))


def test_tampered_package(hub: Hub, terminal: Terminal, laws_dir: Path) -> None:
    _new_version(hub, laws_dir)
    path = _target_file(hub, "delta-1-2.jsonl.gz")
    original = path.read_bytes()
    path.write_bytes(original[:-20] + bytes(b ^ 0xFF for b in original[-20:]))
    _refused(terminal, 1, "does not match its signed length and sha256")
    assert not list((terminal.paths.state_dir / "sync" / "downloads").glob("*.part"))
    path.write_bytes(original)
    result, lines = terminal.sync()
    assert result.exit_code == 0 and terminal.version() == 2, lines


def test_metadata_signed_by_unknown_key(hub: Hub, terminal: Terminal, laws_dir: Path) -> None:
    _new_version(hub, laws_dir)
    ts_file = hub.root / "repo" / "metadata" / "timestamp.json"
    md: Metadata[Timestamp] = Metadata.from_bytes(ts_file.read_bytes())
    md.signed.version += 1
    md.signatures.clear()
    md.sign(CryptoSigner.generate_ed25519())
    ts_file.write_bytes(md.to_bytes(JSONSerializer()))
    _refused(terminal, 1, "not signed by a trusted key")


def test_rollback_to_older_metadata(hub: Hub, terminal: Terminal, laws_dir: Path, tmp_path: Path) -> None:
    old = Path(shutil.copytree(hub.root / "repo" / "metadata", tmp_path / "old-metadata"))
    _new_version(hub, laws_dir)
    result, _ = terminal.sync()
    assert result.exit_code == 0 and terminal.version() == 2
    shutil.copyfile(old / "timestamp.json", hub.root / "repo" / "metadata" / "timestamp.json")
    _refused(terminal, 2, "rollback")


def test_expired_timestamp_freeze(hub: Hub, terminal: Terminal, laws_dir: Path) -> None:
    _new_version(hub, laws_dir)
    paths = HubPaths(hub.root)
    TufRepo(paths, paths.load_config()).refresh(expires=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    _refused(terminal, 1, "expired metadata")


def test_mix_and_match_targets(hub: Hub, terminal: Terminal, laws_dir: Path) -> None:
    _new_version(hub, laws_dir)
    meta = hub.root / "repo" / "metadata"
    newest = max(int(p.name.split(".")[0]) for p in meta.glob("*.targets.json"))
    shutil.copyfile(meta / f"{newest - 1}.targets.json", meta / f"{newest}.targets.json")
    _refused(terminal, 1, "metadata refused")


def test_package_not_listed_is_never_fetched(hub: Hub, terminal: Terminal, laws_dir: Path) -> None:
    _new_version(hub, laws_dir)
    stray = _target_file(hub, "snapshot-2.jsonl.gz")
    (stray.parent / ("0" * 64 + ".delta-1-9.jsonl.gz")).write_bytes(stray.read_bytes())
    state = json.loads((terminal.paths.state_dir / "device.json").read_text())
    repo = ContentRepository(terminal.paths.state_dir, state["repository_url"], load_root(terminal.paths), Http())
    repo.refresh()
    with pytest.raises(VerificationRefused, match="not listed"):
        repo.fetch("content/delta-1-9.jsonl.gz")
    result, _ = terminal.sync()
    assert result.exit_code == 0 and terminal.version() == 2


@pytest.mark.parametrize("target", ["package", "timestamp"])
def test_response_far_larger_than_announced(hub: Hub, terminal: Terminal, laws_dir: Path, target: str) -> None:
    _new_version(hub, laws_dir)
    match = "/repo/targets/content/" if target == "package" else "/repo/metadata/timestamp.json"
    if target == "package":
        match += _target_file(hub, "delta-1-2.jsonl.gz").name
    hub.faults({"match": match, "action": "oversize", "times": -1, "extra_bytes": 5_000_000})
    refused = _refused(terminal, 1, "larger than announced")
    sent = [entry["sent"] for entry in hub.log() if entry["path"] == match]
    assert sent and refused["reason"] == "refused"
    part = list((terminal.paths.state_dir / "sync" / "downloads").glob("*.part"))
    assert not part or part[0].stat().st_size < 1_000_000  # stopped reading at once
