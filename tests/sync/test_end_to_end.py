"""The whole path through the command lines: kiosk-hub init/publish/serve/enrol-code, then kiosk
provision, kiosk sync and kiosk stats give the same counts as importing the same files directly."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

from content_set import CASES_FILE
from sync_harness import Hub, run

from kiosk.paths import ASSETS_DIR, SAMPLE_DIR


def _stats(data_dir: Path) -> dict[str, object]:
    out = json.loads(run("kiosk.cli", "--data-dir", data_dir, "stats", "--json").stdout)
    return {k: v for k, v in out.items() if k not in ("content_version", "content_date")}


def test_cli_end_to_end_matches_direct_import(tmp_path: Path, sync_sources: Path) -> None:
    hub = Hub(tmp_path / "hub")
    hub.cli("init", "--timestamp-days", "2")
    assert "published content version 1" in hub.publish(sync_sources)
    hub.start()
    try:
        code = hub.enrol_code("村委会终端")
        # alone on stdout: XXXX-XXXX-XXXX, then the trust root's fingerprint -FFFF-FFFF-FFFF
        assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){5}", code), code
        kiosk = tmp_path / "kiosk"
        enrolled = run(
            "kiosk.cli",
            "--data-dir",
            kiosk,
            "provision",
            "--hub",
            hub.url,
            "--code",
            code,
            "--name",
            "村委会终端",
            "--region",
            "420902",
            "--lat",
            "30.92",
            "--lon",
            "113.91",
            "--pin",
            "135792",
            "--non-interactive",
        )
        device = json.loads(enrolled.stdout)
        token_file = kiosk / "state" / "device_token"
        assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
        assert (kiosk / "state" / "tuf" / "root.bootstrap.json").exists()
        assert "135792" not in (kiosk / "state" / "admin_pin.argon2").read_text()
        synced = run("kiosk.cli", "--data-dir", kiosk, "sync", check=False)
        assert synced.returncode == 0, synced.stdout + synced.stderr
        lines = [json.loads(line) for line in synced.stdout.splitlines()]
        assert [line["stage"] for line in lines] == ["metadata", "content", "media", "outbox", "heartbeat", "done"]
        assert all(line["status"] == "ok" for line in lines)
        # a second code cannot be reused, and the hub saw the heartbeat
        again = run(
            "kiosk.cli",
            "--data-dir",
            tmp_path / "other",
            "provision",
            "--hub",
            hub.url,
            "--code",
            code,
            "--name",
            "x",
            "--region",
            "420902",
            "--lat",
            "30.9",
            "--lon",
            "113.9",
            "--pin",
            "739164",
            "--non-interactive",
            check=False,
        )
        assert again.returncode != 0 and "code: 这个注册码已经用过了" in again.stderr
        assert [kind for _, kind, _ in hub.events()] == ["heartbeat"]
        devices = json.loads(hub.cli("devices").stdout)["devices"]
        assert devices[0]["device_id"] == device["device_id"] and devices[0]["status"]["content_version"] == 1
    finally:
        hub.stop()

    direct = tmp_path / "direct"
    for kind, *paths in (
        ("regions", ASSETS_DIR / "regions.csv"),
        ("laws", sync_sources),
        ("cases", CASES_FILE),
        ("directory", SAMPLE_DIR / "institutions.csv", SAMPLE_DIR / "people.csv", SAMPLE_DIR / "integrity.csv"),
        ("guides", SAMPLE_DIR / "guides"),
        ("topics", SAMPLE_DIR / "topics.csv"),
        ("synonyms", ASSETS_DIR / "synonyms.tsv"),
        ("publicity", SAMPLE_DIR / "publicity.toml"),
    ):
        run("kiosk.cli", "--data-dir", direct, "import", kind, *paths)
    synced_stats = _stats(kiosk)
    assert synced_stats == _stats(direct)
    assert int(str(synced_stats["law_articles"])) > 2000 and int(str(synced_stats["guides"])) > 0
    shown = json.loads(run("kiosk.cli", "--data-dir", kiosk, "stats", "--json").stdout)
    assert shown["content_version"] == "1" and shown["content_date"]
