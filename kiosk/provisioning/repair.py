"""``kiosk provision --repair-trust-root``: fetch the platform's trust root again for a terminal that
is still enrolled — no new code, no second device on the platform.

Trust rests on what enrolment rested on: the platform is the one that knows this terminal's token
(``GET /api/v1/device`` answers 200), reached over the same address. The first root version is
fetched and must sign itself; the next sync walks the root chain from there to the newest version,
each step verified by the one before (TUF), so a later key rotation is followed again.
"""

from __future__ import annotations

import json
import logging
import shutil

from kiosk.paths import DataPaths
from kiosk.sync import errors as E

log = logging.getLogger(__name__)


class RepairFailed(E.SyncError):
    pass


def repair_trust_root(paths: DataPaths) -> int:
    """Returns the version of the root now trusted; raises a SyncError with a Chinese message otherwise."""
    from tuf.api.exceptions import RepositoryError
    from tuf.api.metadata import Metadata, Root

    from kiosk.sync.device import load_device, load_token, write_file
    from kiosk.sync.http import Http, NetPolicy

    device = load_device(paths)
    token = load_token(paths)
    http = Http(NetPolicy(connect_timeout=5, read_timeout=20, attempts=2, allow_http=device.allow_http))
    try:
        http.call("GET", device.api("device"), None, token)  # the platform that knows our token
        resp = http.request("GET", device.repository_url.rstrip("/") + "/metadata/1.root.json", stream=True)
        raw = http.read_limited(resp, 1024 * 1024)
    finally:
        http.session.close()
    if resp.status_code != 200:
        raise RepairFailed(f"平台没有提供信任根（HTTP {resp.status_code}）")
    try:
        root = Metadata[Root].from_bytes(raw)
        root.verify_delegate(Root.type, root)
    except (ValueError, RepositoryError, KeyError) as exc:
        raise RepairFailed(f"平台提供的信任根无效：{exc}") from None
    write_file(paths.trust_root, raw)
    followed = paths.state_dir / "tuf" / "metadata"
    if followed.exists():  # the broken chain: the next sync rebuilds it from version 1
        shutil.rmtree(followed)
    log.info(json.dumps({"event": "trust_root_repaired", "device_id": device.device_id, "version": 1}))
    return int(root.signed.version)
