"""The signed static repository (The Update Framework): keys, metadata, targets.

Layout under ``repo/`` (consistent snapshots, so every file but ``timestamp.json`` is immutable and
any web server or CDN may cache it):

    metadata/<n>.root.json  metadata/<n>.targets.json  metadata/<n>.snapshot.json  metadata/timestamp.json
    targets/content/<sha256>.<name>   targets/media/<sha256>.<name>

The root key is written to ``keys/offline/`` and never loaded by ``publish``, ``serve`` or
``refresh``: it may live on a USB stick in a safe. The targets, snapshot and timestamp keys are
online. Every metadata write happens under a file lock, targets first and the timestamp last, each
file replaced atomically, so a reader sees the old repository or the new one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import load_pem_private_key
from securesystemslib.signer import CryptoSigner, SSlibKey
from tuf.api.metadata import (
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

from kiosk_hub.paths import HubConfig, HubError, HubPaths, write_private

ONLINE_ROLES = (Targets.type, Snapshot.type, Timestamp.type)
_SERIALIZER = JSONSerializer(compact=False)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _meta_file(data: bytes, version: int) -> MetaFile:
    return MetaFile(version=version, length=len(data), hashes={"sha256": hashlib.sha256(data).hexdigest()})


@contextlib.contextmanager
def repo_lock(paths: HubPaths) -> Iterator[None]:
    paths.lock_file.parent.mkdir(parents=True, exist_ok=True)
    with paths.lock_file.open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _write_signer(path: Path, signer: CryptoSigner) -> None:
    pub = json.dumps({"keyid": signer.public_key.keyid, "key": signer.public_key.to_dict()}).encode()
    write_private(path.with_suffix(".pem"), signer.private_bytes)
    write_private(path.with_suffix(".pub.json"), pub, mode=0o644)


def load_signer(path: Path) -> CryptoSigner:
    try:
        info = json.loads(path.with_suffix(".pub.json").read_text(encoding="utf-8"))
        public = SSlibKey.from_dict(info["keyid"], info["key"])
        private = load_pem_private_key(path.with_suffix(".pem").read_bytes(), None)
    except (OSError, ValueError, KeyError) as exc:
        raise HubError(f"cannot load signing key {path}: {exc}") from None
    return CryptoSigner(private, public)


def _root_signer(path: Path, root: Root) -> CryptoSigner:
    """The root signer from its ``.pem`` alone: the public half is found among the current root's root
    keys. A ``.pub.json`` beside it is not trusted (it may not have travelled with the key to the safe, or
    belong to another platform's key, whose signature terminals would refuse on a root it had signed)."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    try:
        private = load_pem_private_key(path.with_suffix(".pem").read_bytes(), None)
        raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    except (OSError, ValueError, TypeError) as exc:
        raise HubError(f"cannot load the root key {path}.pem: {exc}") from None
    for keyid in root.roles[Root.type].keyids:
        key = root.keys[keyid]
        if isinstance(key, SSlibKey) and key.keyval.get("public") == raw:
            return CryptoSigner(private, key)
    raise HubError(f"{path}.pem is not this platform's current root key")


class TufRepo:
    def __init__(self, paths: HubPaths, config: HubConfig):
        self.paths = paths
        self.config = config

    # --- creating -------------------------------------------------------------------------------

    @classmethod
    def init(cls, paths: HubPaths, config: HubConfig) -> TufRepo:
        if (paths.metadata / "1.root.json").exists():
            raise HubError(f"{paths.root} already holds a repository")
        signers = {role: CryptoSigner.generate_ed25519() for role in (Root.type, *ONLINE_ROLES)}
        _write_signer(paths.offline_keys / "root", signers[Root.type])
        (paths.offline_keys / "README.txt").write_text(
            "root.pem signs the trust root. Publishing never needs it: keep it offline (and backed up).\n"
            "It is only needed to rotate keys or renew root metadata before it expires.\n",
            encoding="utf-8",
        )
        for role in ONLINE_ROLES:
            _write_signer(paths.online_keys / role, signers[role])
        now = _now()
        root = Root(expires=now + dt.timedelta(days=config.root_days), consistent_snapshot=True)
        for role, signer in signers.items():
            root.add_key(signer.public_key, role)
        root_md: Metadata[Root] = Metadata(root)
        root_md.sign(signers[Root.type])
        repo = cls(paths, config)
        with repo_lock(paths):
            repo._write(f"{root.version}.root.json", root_md)
            repo._write("root.json", root_md)
            repo._publish_locked({}, now)
        return repo

    # --- reading --------------------------------------------------------------------------------

    def _load(self, name: str) -> Metadata[Any]:
        try:
            return Metadata.from_bytes((self.paths.metadata / name).read_bytes())
        except (OSError, ValueError) as exc:
            raise HubError(f"cannot read {name}: {exc}") from None

    def timestamp(self) -> Metadata[Timestamp]:
        return self._load("timestamp.json")

    def snapshot(self) -> Metadata[Snapshot]:
        return self._load(f"{self.timestamp().signed.snapshot_meta.version}.snapshot.json")

    def targets(self) -> Metadata[Targets]:
        return self._load(f"{self.snapshot().signed.meta['targets.json'].version}.targets.json")

    def root_bytes(self) -> bytes:
        """The newest root metadata, exactly as published (what terminals are enrolled with)."""
        versions = [int(p.name.split(".")[0]) for p in self.paths.metadata.glob("*.root.json")]
        if not versions:
            raise HubError("the repository has no root metadata")
        return (self.paths.metadata / f"{max(versions)}.root.json").read_bytes()

    def target_url_path(self, info: TargetFile) -> str:
        directory, sep, name = info.path.rpartition("/")
        return f"{directory}{sep}{info.hashes['sha256']}.{name}"

    # --- writing --------------------------------------------------------------------------------

    def _write(self, name: str, md: Metadata[Any]) -> bytes:
        data = md.to_bytes(_SERIALIZER)
        write_private(self.paths.metadata / name, data, mode=0o644)
        return data

    def _sign(self, md: Metadata[Any], role: str) -> None:
        md.signatures.clear()
        md.sign(load_signer(self.paths.online_keys / role))

    def add_target_file(self, source: Path, path: str, custom: dict[str, Any] | None = None) -> TargetFile:
        """Copy ``source`` into the repository as target ``path`` (hash-prefixed file name)."""
        info = TargetFile.from_file(path, str(source), ["sha256"])
        if custom:
            info.unrecognized_fields["custom"] = custom
        dest = self.paths.targets / self.target_url_path(info)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_name(dest.name + ".tmp")
            shutil.copyfile(source, tmp)
            tmp.replace(dest)
            dest.chmod(0o644)
        return info

    def publish(self, targets: dict[str, TargetFile], now: dt.datetime | None = None) -> int:
        """Replace the targets list: new targets, snapshot and timestamp metadata; returns the targets version."""
        with repo_lock(self.paths):
            return self._publish_locked(targets, now or _now())

    def _publish_locked(self, targets: dict[str, TargetFile], now: dt.datetime) -> int:
        try:
            version = self.targets().signed.version + 1
        except HubError:
            version = 1
        signed = Targets(version=version, expires=now + dt.timedelta(days=self.config.targets_days), targets=targets)
        md: Metadata[Targets] = Metadata(signed)
        self._sign(md, Targets.type)
        data = self._write(f"{version}.targets.json", md)
        self._new_snapshot(_meta_file(data, version), now)
        return version

    def _new_snapshot(self, targets_meta: MetaFile, now: dt.datetime) -> None:
        try:
            version = self.snapshot().signed.version + 1
        except HubError:
            version = 1
        snap = Snapshot(
            version=version,
            expires=now + dt.timedelta(days=self.config.snapshot_days),
            meta={"targets.json": targets_meta},
        )
        md: Metadata[Snapshot] = Metadata(snap)
        self._sign(md, Snapshot.type)
        data = self._write(f"{version}.snapshot.json", md)
        self._new_timestamp(_meta_file(data, version), now)

    def _new_timestamp(self, snapshot_meta: MetaFile, now: dt.datetime, expires: dt.datetime | None = None) -> None:
        try:
            version = self.timestamp().signed.version + 1
        except HubError:
            version = 1
        ts = Timestamp(
            version=version,
            expires=expires or now + dt.timedelta(days=self.config.timestamp_days),
            snapshot_meta=snapshot_meta,
        )
        md: Metadata[Timestamp] = Metadata(ts)
        self._sign(md, Timestamp.type)
        self._write("timestamp.json", md)

    def rotate_key(self, role: str, root_key: Path | None = None, now: dt.datetime | None = None) -> int:
        """Give ``role`` a new key; returns the version of the new root that says so.

        The new root is signed by the current root key (terminals trust it because their root does)
        and, when the root key itself changes, by the new one too. Online metadata is re-signed at
        once. Terminals follow on their next sync; nothing is visited. The old key file is kept beside
        the new one with the old root version in its name.
        """
        if role not in (Root.type, *ONLINE_ROLES):
            raise HubError(f"no role {role!r}: one of root, {', '.join(ONLINE_ROLES)}")
        now = now or _now()
        root_key = root_key or self.paths.offline_keys / "root"
        if root_key.suffix == ".pem":
            root_key = root_key.with_suffix("")
        if not root_key.with_suffix(".pem").exists():
            raise HubError(f"the root key is needed to rotate keys: {root_key}.pem (bring it from offline storage)")
        new_signer = CryptoSigner.generate_ed25519()
        with repo_lock(self.paths):
            md: Metadata[Root] = Metadata.from_bytes(self.root_bytes())
            root = md.signed
            root_signer = _root_signer(root_key, root)
            old_version = root.version
            for keyid in list(root.roles[role].keyids):
                root.revoke_key(keyid, role)
            root.add_key(new_signer.public_key, role)
            root.version += 1
            root.expires = now + dt.timedelta(days=self.config.root_days)
            md.signatures.clear()
            md.sign(root_signer)
            if role == Root.type:
                md.sign(new_signer, append=True)
            key_dir = self.paths.offline_keys if role == Root.type else self.paths.online_keys
            for suffix in (".pem", ".pub.json"):
                old_file = key_dir / f"{role}{suffix}"
                if old_file.exists():
                    old_file.replace(key_dir / f"{role}.{old_version}{suffix}")
            _write_signer(key_dir / role, new_signer)
            self._write(f"{root.version}.root.json", md)
            self._write("root.json", md)
            targets = self.targets()
            self._publish_locked(dict(targets.signed.targets), now)  # new targets, snapshot, timestamp
        return int(root.version)

    def refresh(
        self, now: dt.datetime | None = None, force: bool = False, expires: dt.datetime | None = None
    ) -> list[str]:
        """Re-sign what expires within half its lifetime (or everything online with ``force``).

        ``expires`` overrides the timestamp's expiry (tests use a past time to freeze a repository).
        Returns the roles re-signed.
        """
        now = now or _now()
        done: list[str] = []
        with repo_lock(self.paths):
            targets, snap, ts = self.targets(), self.snapshot(), self.timestamp()

            def due(md: Metadata[Any], days: int) -> bool:
                return force or md.signed.expires - now < dt.timedelta(days=days) / 2

            if due(targets, self.config.targets_days):
                self._publish_locked(dict(targets.signed.targets), now)
                return ["targets", "snapshot", "timestamp"]
            if due(snap, self.config.snapshot_days):
                raw = (self.paths.metadata / f"{targets.signed.version}.targets.json").read_bytes()
                self._new_snapshot(_meta_file(raw, targets.signed.version), now)
                return ["snapshot", "timestamp"]
            if due(ts, self.config.timestamp_days) or expires is not None:
                self._new_timestamp(ts.signed.snapshot_meta, now, expires)
                done.append("timestamp")
        return done
