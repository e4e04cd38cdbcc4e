"""The terminal's identity: device id, device token, trust root, and ``kiosk provision``.

Files under ``state/``: ``device.json`` (id, platform and repository URLs), ``device_token``
(mode 0600; revocable on the platform), ``tuf/root.bootstrap.json`` (the trust root received at
enrolment; later root rotations are verified against it by python-tuf). The admin PIN is stored
by :class:`kiosk.admin_pin.PinGuard` (argon2 hash only).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import sqlite3
import uuid
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from tuf.api.exceptions import RepositoryError
from tuf.api.metadata import Metadata, Root

from kiosk.config import Config
from kiosk.fileio import write_atomic
from kiosk.paths import DataPaths
from kiosk.store.errors import KioskError
from kiosk.sync.errors import NotProvisioned, ProtocolError, VerificationRefused
from kiosk.sync.http import LOCAL_HOSTS, Http, NetPolicy, check_url

DEVICE_FILE = "device.json"  # DataPaths.device_file
TOKEN_FILE = "device_token"
ROOT_FILE = "tuf/root.bootstrap.json"


@dataclass(frozen=True)
class DeviceState:
    device_id: str
    hub_url: str
    repository_url: str
    enrolled: str
    allow_http: bool = False

    def api(self, path: str) -> str:
        return self.hub_url.rstrip("/") + "/api/v1/" + path.lstrip("/")


class AlreadyProvisioned(KioskError):
    pass


write_file = write_atomic  # the name the sync modules use


def load_device(paths: DataPaths) -> DeviceState:
    try:
        data = json.loads((paths.state_dir / DEVICE_FILE).read_text(encoding="utf-8"))
        return DeviceState(**data)
    except FileNotFoundError:
        raise NotProvisioned("this terminal is not enrolled (run `kiosk provision`)") from None
    except (OSError, ValueError, TypeError) as exc:
        raise NotProvisioned(f"device state is unreadable ({exc}); enrol again") from None


def load_token(paths: DataPaths) -> str:
    try:
        return (paths.state_dir / TOKEN_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        raise NotProvisioned("the device token is missing; enrol again") from None


def load_root(paths: DataPaths) -> bytes:
    try:
        return (paths.state_dir / ROOT_FILE).read_bytes()
    except OSError:
        raise NotProvisioned("the trust root is missing; enrol again") from None


def check_root(root: Any) -> bytes:
    """The enrolment answer's root metadata, verified to be signed by its own root keys."""
    if not isinstance(root, dict):
        raise ProtocolError("enrolment answer has no root metadata")
    data = json.dumps(root, ensure_ascii=False, separators=(",", ":")).encode()
    try:
        md = Metadata[Root].from_bytes(data)
        if not isinstance(md.signed, Root) or not md.signed.consistent_snapshot:
            raise ProtocolError("enrolment root metadata is not a consistent-snapshot root")
        md.signed.verify_delegate(Root.type, md.signed_bytes, md.signatures)
    except RepositoryError as exc:
        raise VerificationRefused(f"enrolment root metadata does not verify: {exc}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ProtocolError(f"enrolment root metadata is malformed: {exc}") from None
    return data


#: The enrolment code's letters (no 0/O, 1/I); a code is 12 of them, then optionally the fingerprint.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
FINGERPRINT_LENGTH = 12  # 60 bits


def root_fingerprint(root: Any) -> str:
    """Twelve code letters naming the platform's root keys (``kiosk-hub enrol-code`` prints them after the
    code). Only the root role's keys count: rotating an online key re-signs root but keeps this."""
    try:
        keyids = sorted(root["signed"]["roles"]["root"]["keyids"])
    except (KeyError, TypeError):
        raise ProtocolError("enrolment root metadata names no root keys") from None
    digest = int.from_bytes(hashlib.sha256(",".join(keyids).encode()).digest(), "big")
    letters = []
    for _ in range(FINGERPRINT_LENGTH):
        digest, index = divmod(digest, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[index])
    return "".join(letters)


def split_code(code: str) -> tuple[str, str]:
    """(the code the platform checks, the root fingerprint it carries or "")."""
    plain = re.sub(r"[\s-]", "", code).upper()
    return plain[:CODE_LENGTH], plain[CODE_LENGTH:]


def provision(
    paths: DataPaths,
    *,
    hub_url: str,
    code: str,
    name: str,
    region: str,
    lat: float,
    lon: float,
    pin: str,
    address: str = "",
    allow_http: bool = False,
    force: bool = False,
    http: Http | None = None,
) -> DeviceState:
    """Enrol with the platform and store identity, token, trust root, settings and the PIN hash."""
    from kiosk.admin_pin import PinGuard, pin_problem

    paths.ensure()
    if (paths.state_dir / DEVICE_FILE).exists() and not force:
        raise AlreadyProvisioned("this terminal is already enrolled (use --force to enrol it again)")
    config = Config.load(paths.config_file)
    for setting, value in (
        ("terminal_name", name),
        ("region_code", region),
        ("latitude", lat),
        ("longitude", lon),
        ("address", address),
        ("hub_url", hub_url),
    ):
        config.set(setting, value)
    problem = pin_problem(pin)  # the one PIN rule: the wizard's, the CLI's and this library call's
    if problem is not None:
        raise KioskError(problem)
    check_url(hub_url, allow_http)
    _, pinned = split_code(code)
    host = urlsplit(hub_url).hostname or ""
    if not pinned and hub_url.startswith("http:") and host not in LOCAL_HOSTS:
        raise VerificationRefused(
            "enrolling over plain http needs the code with its fingerprint (the letters after the code that "
            "kiosk-hub enrol-code prints): without them the trust root could come from anyone on the way"
        )
    http = http or Http(NetPolicy(allow_http=allow_http))
    body = {
        "code": code,
        "request_id": uuid.uuid4().hex,
        "name": name,
        "region_code": region,
        "latitude": lat,
        "longitude": lon,
        "address": address,
    }
    _, reply = http.call("POST", hub_url.rstrip("/") + "/api/v1/enrol", body)
    device_id, token, repository_url = (reply.get(k) for k in ("device_id", "token", "repository_url"))
    if not all(isinstance(v, str) and v for v in (device_id, token, repository_url)):
        raise ProtocolError("enrolment answer lacks device_id, token or repository_url")
    assert isinstance(device_id, str) and isinstance(token, str) and isinstance(repository_url, str)
    check_url(repository_url, allow_http)
    root = check_root(reply.get("root"))
    if pinned and root_fingerprint(reply.get("root")) != pinned:
        raise VerificationRefused(
            "the platform's trust root does not match the fingerprint in the enrolment code: nothing was "
            "saved; check the platform address, or ask for a new code if its root key was replaced"
        )
    state = DeviceState(
        device_id,
        hub_url.rstrip("/") + "/",
        repository_url,
        dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        allow_http,
    )
    tuf_dir = paths.state_dir / "tuf"
    if tuf_dir.exists():  # a new enrolment starts from the new trust root
        if (paths.state_dir / ROOT_FILE).exists() and (paths.state_dir / ROOT_FILE).read_bytes() != root:
            _forget_content_version(paths)  # another platform numbers its versions afresh
        shutil.rmtree(tuf_dir)
    write_file(paths.state_dir / ROOT_FILE, root)
    (paths.state_dir / "remote_settings.json").unlink(missing_ok=True)  # kiosk.sync.remote: a new platform
    write_file(paths.state_dir / TOKEN_FILE, token.encode(), mode=0o600)
    PinGuard(paths.state_dir).set_pin(pin)
    config.save()
    write_file(paths.state_dir / DEVICE_FILE, json.dumps(asdict(state), indent=1).encode())
    return state


def _forget_content_version(paths: DataPaths) -> None:
    """The next sync then takes the snapshot and keeps only what differs (no rollback refusal)."""
    if paths.content_db.exists():
        con = sqlite3.connect(paths.content_db, timeout=30)
        try:
            with con:
                con.execute("DELETE FROM meta WHERE key = 'content_version'")
        except sqlite3.OperationalError:
            pass  # no meta table yet: nothing to forget
        finally:
            con.close()


def forget_token(paths: DataPaths) -> None:
    (paths.state_dir / TOKEN_FILE).unlink(missing_ok=True)
