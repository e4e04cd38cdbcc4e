"""The reference platform on its own: keys, publishing rules, metadata renewal, API input checks."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path

from sync_harness import Hub, edit_article
from tuf.api.metadata import Metadata

from kiosk_hub.paths import HubPaths
from kiosk_hub.tufrepo import TufRepo


def test_init_keys_and_publishing_without_the_root_key(tmp_path: Path, sync_sources: Path) -> None:
    hub = Hub(tmp_path / "hub")
    bad = hub.cli("init", "--timestamp-days", "9", check=False)
    assert bad.returncode != 0 and "between 1 and 7" in bad.stderr
    hub.cli("init", "--timestamp-days", "3", "--deltas", "2")
    for pem in (hub.root / "keys").rglob("*.pem"):
        assert stat.S_IMODE(os.stat(pem).st_mode) == 0o600, pem
    timestamp = Metadata.from_file(str(hub.root / "repo" / "metadata" / "timestamp.json"))
    lifetime = timestamp.signed.expires - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=2, hours=23) < lifetime <= dt.timedelta(days=3)
    offline = hub.root / "keys" / "offline"
    shutil.move(offline, tmp_path / "usb-stick")  # the root key leaves the machine
    assert "published content version 1" in hub.publish(sync_sources)
    assert "content unchanged" in hub.publish(sync_sources)  # nothing new: no new version
    laws = Path(shutil.copytree(sync_sources, tmp_path / "laws"))
    for n in range(2, 6):
        edit_article(laws, "社会法/劳动合同法(2012-12-28).md", "第二条", f"第{n}稿。")
        out = hub.publish(laws)
        assert f"published content version {n}" in out
    assert "delta-3-5" in out and "delta-4-5" in out and "delta-2-5" not in out  # the last 2 versions
    assert not (tmp_path / "hub" / "keys" / "offline").exists()


def test_refresh_renews_what_expires(tmp_path: Path, templates: tuple[Path, Path]) -> None:
    hub = Hub(Path(shutil.copytree(templates[0], tmp_path / "hub")))
    paths = HubPaths(hub.root)
    repo = TufRepo(paths, paths.load_config())
    version = repo.timestamp().signed.version
    assert repo.refresh() == []  # a fresh timestamp is not due
    assert repo.refresh(now=dt.datetime.now(dt.UTC) + dt.timedelta(hours=13)) == ["timestamp"]
    assert repo.timestamp().signed.version == version + 1
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=20)
    assert repo.refresh(now=later) == ["targets", "snapshot", "timestamp"]
    assert "re-signed: timestamp" in hub.cli("refresh", "--force").stdout.replace("targets, snapshot, ", "")


def test_api_checks_its_input(hub: Hub) -> None:
    for body in (
        {},
        {"code": "x"},
        {
            "code": "ABCD",
            "request_id": "r",
            "name": "n",
            "region_code": "420902",
            "latitude": "north",
            "longitude": 113.9,
        },
    ):
        status, reply = hub.call("POST", "/api/v1/enrol", body)
        assert status == 400 and reply["error"] == "bad_request", reply
    good = {
        "code": "NOPE-NOPE-NOPE",
        "request_id": "r1",
        "name": "n",
        "region_code": "420902",
        "latitude": 30.9,
        "longitude": 113.9,
    }
    assert hub.call("POST", "/api/v1/enrol", good) == (
        403,
        {"error": "invalid_code", "message": "unknown enrolment code"},
    )
    status, reply = hub.call("POST", "/api/v1/events", {"events": []})
    assert status == 401
    resp = hub.session.post(
        hub.url + "api/v1/events", data=b"{not json", timeout=10, headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 400
    assert hub.call("GET", "/api/v1/admin/devices")[0] == 401
    assert hub.session.get(hub.url + "repo/%2e%2e/hub.toml", timeout=10).status_code == 404  # no escape
    assert (
        hub.session.get(
            hub.url + "repo/metadata/timestamp.json", timeout=10, headers={"Range": "bytes=999999-"}
        ).status_code
        == 416
    )


def test_retried_enrolment_gets_the_same_device(hub: Hub) -> None:
    code = hub.enrol_code()
    body = {
        "code": code.lower(),
        "request_id": "same-request",
        "name": "n",
        "region_code": "420902",
        "latitude": 30.9,
        "longitude": 113.9,
    }
    first = hub.call("POST", "/api/v1/enrol", body)
    again = hub.call("POST", "/api/v1/enrol", body)  # the answer to the first was lost
    assert first[0] == again[0] == 201
    assert first[1]["device_id"] == again[1]["device_id"] and first[1]["token"] != again[1]["token"]
    other = hub.call("POST", "/api/v1/enrol", {**body, "request_id": "someone-else"})
    assert other[0] == 403 and other[1]["error"] == "code_used"
