"""Property tests: malformed packages, metadata and API answers are refused with our own errors.

Whatever hypothesis feeds in, the only exceptions allowed out are :class:`SyncError` subclasses
(refused, unreachable, not provisioned); the process never crashes and nothing half-applied stays.
"""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from tuf.api.metadata import Metadata
from tuf.api.serialization.json import CanonicalJSONSerializer

from kiosk.config import Config
from kiosk.outbox import Outbox
from kiosk.paths import DataPaths
from kiosk.store.db import open_content_db
from kiosk.sync.content import apply_package
from kiosk.sync.device import DeviceState, load_root, provision
from kiosk.sync.errors import SyncError
from kiosk.sync.http import Http, NetPolicy
from kiosk.sync.push import push_outbox, send_heartbeat
from kiosk.sync.repository import ContentRepository, parse_index

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def _mutate(value: Any, path: list[int], replacement: Any) -> Any:
    """Replace one node of a JSON value, chosen by walking ``path``."""
    if not path or not isinstance(value, (dict, list)) or not value:
        return replacement
    if isinstance(value, dict):
        key = sorted(value)[path[0] % len(value)]
        return {**value, key: _mutate(value[key], path[1:], replacement)}
    i = path[0] % len(value)
    return [*value[:i], _mutate(value[i], path[1:], replacement), *value[i + 1 :]]


# --- packages -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def package_lines(templates: tuple[Path, Path]) -> list[Any]:
    path = next((templates[0] / "repo" / "targets" / "content").glob("*.snapshot-1.jsonl.gz"))
    lines = [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]
    return lines[:1] + lines[1:40] + [["end", 39]]  # a small but valid package


@SETTINGS
@given(data=st.data())
def test_malformed_packages_are_refused(tmp_path: Path, package_lines: list[Any], data: st.DataObject) -> None:
    choice = data.draw(st.sampled_from(["bytes", "lines", "mutate", "truncate"]))
    if choice == "bytes":
        raw = data.draw(st.binary(max_size=400))
        raw = gzip.compress(raw) if data.draw(st.booleans()) else raw
    else:
        lines = list(package_lines)
        if choice == "lines":
            lines = [lines[0], *data.draw(st.lists(JSON, max_size=5))]
        elif choice == "mutate":
            i = data.draw(st.integers(0, len(lines) - 1))
            lines[i] = _mutate(lines[i], data.draw(st.lists(st.integers(0, 50), max_size=4)), data.draw(JSON))
        text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n"
        raw = gzip.compress(text.encode())
        if choice == "truncate":
            raw = raw[: data.draw(st.integers(0, len(raw) - 1))]
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "p.gz"
    path.write_bytes(raw)
    db = open_content_db(path.parent / "content.sqlite3")
    try:
        apply_package(db, path)
        event("accepted")
    except SyncError as exc:
        event(f"refused: {type(exc).__name__}")
        assert db.execute_sql("SELECT COUNT(*) FROM law").fetchone()[0] == 0  # nothing half-applied
    finally:
        db.close()


# --- signed metadata --------------------------------------------------------------------------------


class RepoServer(BaseHTTPRequestHandler):
    """Serves the hub's repository folder over real HTTP, with one file replaced; logs what was asked."""

    repo: ClassVar[Path] = Path()
    replaced: ClassVar[dict[str, bytes]] = {}
    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        rel = self.path.removeprefix("/repo/")
        RepoServer.asked.append(rel)
        path = RepoServer.repo / rel
        data = RepoServer.replaced.get(rel, path.read_bytes() if path.is_file() else None)
        if data is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def repo_server(templates: tuple[Path, Path]) -> Iterator[str]:
    RepoServer.repo, RepoServer.replaced, RepoServer.asked = templates[0] / "repo", {}, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), RepoServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/repo/"
    server.shutdown()
    server.server_close()


def _read_content_index(state: Path, url: str, bootstrap: bytes) -> None:
    """What a sync run trusts before it downloads a package: fresh metadata, then the signed content index."""
    repository = ContentRepository(state, url, bootstrap, Http(NetPolicy(attempts=1)))
    repository.refresh()
    repository.index()


def _signed_part(raw: bytes) -> bytes | None:
    """A metadata file's ``signed`` part as the terminal trusts it, or None when it does not parse.

    python-tuf checks the signatures over its own parse, serialized canonically, not over the bytes
    served: a ``"spec_version": null`` reads as the current version, so a file saying null where the
    signer wrote that version is the same metadata and verifies (hypothesis found it). What is trusted
    is then exactly what was signed; an alteration is one that changes that parse.
    """
    try:
        return CanonicalJSONSerializer().serialize(Metadata.from_bytes(raw).signed)
    except Exception:  # any unreadable input has no signed part to compare
        return None


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every string and integer in a JSON value."""
    if isinstance(value, dict):
        return [leaf for key in sorted(value) for leaf in _leaves(value[key], (*path, key))]
    if isinstance(value, list):
        return [leaf for i, item in enumerate(value) for leaf in _leaves(item, (*path, i))]
    return [path] if isinstance(value, (str, int)) and not isinstance(value, bool) else []


def _tweak(value: Any, path: tuple[Any, ...], shift: int) -> Any:
    """``value`` with the leaf at ``path`` changed in a way that keeps its format: a later date, another
    hex digit, a bigger number. Such edits pass every format check, so only a signature can catch them."""
    if path:
        head, rest = path[0], path[1:]
        if isinstance(value, dict):
            return {**value, head: _tweak(value[head], rest, shift)}
        return [*value[:head], _tweak(value[head], rest, shift), *value[head + 1 :]]
    if isinstance(value, int):
        return value + shift
    if not value:
        return "x"
    i = shift % len(value)
    c = value[i]
    for alphabet in ("0123456789", "abcdef", "ABCDEF", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
        if c in alphabet:
            c = alphabet[(alphabet.index(c) + 1 + shift % (len(alphabet) - 1)) % len(alphabet)]
            break
    else:
        c = "x" if c != "x" else "y"
    return value[:i] + c + value[i + 1 :]


def _alters_signed_bytes(name: str, original: bytes | None, replacement: bytes) -> bool:
    if original is None:  # a file the repository does not have (the next root): anything served is forged
        return True
    if name.startswith("targets/"):  # a target file: its length and sha256 are signed, so every byte counts
        return replacement != original
    return _signed_part(replacement) != _signed_part(original)


@pytest.fixture(scope="module")
def fetched_files(
    tmp_path_factory: pytest.TempPathFactory, templates: tuple[Path, Path], repo_server: str
) -> list[str]:
    """Every file a terminal reads to trust the content index (the next root included), from an untampered run."""
    RepoServer.asked.clear()
    _read_content_index(tmp_path_factory.mktemp("untampered"), repo_server, load_root(DataPaths(templates[1])))
    asked = sorted(set(RepoServer.asked))
    assert "metadata/timestamp.json" in asked and any(n.endswith("index.json") for n in asked), asked
    return asked


@SETTINGS
@given(data=st.data())
def test_altered_signed_metadata_is_refused(
    tmp_path: Path, templates: tuple[Path, Path], repo_server: str, fetched_files: list[str], data: st.DataObject
) -> None:
    """Any file the terminal reads, altered anywhere its signatures or signed hashes cover, is refused.

    Changes outside the signed part (whitespace, key order, an extra signature) may be accepted: the
    property is that no altered signed byte ever is. ``fetched_files`` shows the untouched repository is
    accepted over the same real HTTP server, so a refusal here is the tampering's, not the setup's.
    """
    repo = templates[0] / "repo"
    name = data.draw(st.sampled_from(fetched_files))
    original = (repo / name).read_bytes() if (repo / name).is_file() else None
    how = data.draw(st.sampled_from(["tweak", "tweak", "bytes", "json", "mutate", "truncate", "flip"]))
    # The next root does not exist: forge it from the current one (a newer version, a changed key or date).
    source = original if original is not None else (repo / "metadata" / "root.json").read_bytes()
    if how == "tweak":
        tree = json.loads(source)
        leaf = data.draw(st.sampled_from(_leaves(tree)))
        replacement = json.dumps(_tweak(tree, leaf, data.draw(st.integers(1, 30)))).encode()
    elif how == "bytes":
        replacement = data.draw(st.binary(max_size=300))
    elif how == "json":
        replacement = json.dumps(data.draw(JSON)).encode()
    elif how == "mutate":
        tree = json.loads(source)
        mutated = _mutate(tree, data.draw(st.lists(st.integers(0, 30), min_size=1, max_size=6)), data.draw(JSON))
        replacement = json.dumps(mutated).encode()
    elif how == "flip":  # one byte changed, the rest exactly as signed
        i = data.draw(st.integers(0, max(0, len(source) - 1)))
        replacement = source[:i] + bytes([source[i] ^ data.draw(st.integers(1, 255))]) + source[i + 1 :]
    else:
        replacement = source[: data.draw(st.integers(0, max(0, len(source) - 1)))]
    altered = _alters_signed_bytes(name, original, replacement)
    RepoServer.replaced = {name: replacement}
    state = Path(tempfile.mkdtemp(dir=tmp_path))
    try:
        _read_content_index(state, repo_server, load_root(DataPaths(templates[1])))
    except SyncError as exc:  # refused: nothing was trusted (a broken signature list may be refused too)
        event(f"refused {name.split('/')[-1].split('.')[-2]}: {type(exc).__name__}")
    else:
        event("accepted (signed part unchanged)")
        assert not altered, f"{name} altered ({how}) in its signed part, yet accepted: {replacement[:200]!r}"
    finally:
        RepoServer.replaced = {}
        shutil.rmtree(state)


@SETTINGS
@given(raw=st.binary(max_size=200) | JSON.map(lambda v: json.dumps(v).encode()))
def test_malformed_content_index_is_refused(raw: bytes) -> None:
    try:
        parse_index(raw)
        event("accepted")
    except SyncError as exc:
        event(f"refused: {type(exc).__name__}")


# --- API answers --------------------------------------------------------------------------------------


class Canned(BaseHTTPRequestHandler):
    status = 200
    body = b"{}"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(Canned.status)
        self.send_header("Content-Length", str(len(Canned.body)))
        self.end_headers()
        self.wfile.write(Canned.body)

    do_GET = do_POST = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def canned() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Canned)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


ANSWERS = st.one_of(
    st.binary(max_size=200),
    JSON.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {},
        optional={
            "acked": st.lists(st.text(max_size=40), max_size=3) | JSON,
            "rejected": JSON,
            "settings": JSON,
            "server_time": JSON,
            "device_id": JSON,
            "token": JSON,
            "root": JSON,
            "repository_url": JSON,
            "error": st.sampled_from(["device_revoked", "unauthorized", "x"]),
            "message": JSON,
        },
    ).map(lambda v: json.dumps(v).encode()),
)


@SETTINGS
@given(
    status=st.sampled_from([200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 503]),
    body=ANSWERS,
    call=st.sampled_from(["events", "heartbeat", "enrol"]),
)
def test_malformed_api_answers_are_refused(tmp_path: Path, canned: str, status: int, body: bytes, call: str) -> None:
    Canned.status, Canned.body = status, body
    http = Http(NetPolicy(connect_timeout=2, read_timeout=2, attempts=1))
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    paths = DataPaths(root).ensure()
    device = DeviceState("d1", canned, canned + "repo/", "2025-01-01T00:00:00+00:00")
    outbox = Outbox.open(paths)
    try:
        if call == "events":
            outbox.enqueue("rating", {"level": 5})
            push_outbox(outbox, http, device, "token")
        elif call == "heartbeat":
            send_heartbeat(
                outbox, http, device, "token", {"content_version": 1}, Config.load(paths.config_file), paths.state_dir
            )
        else:
            provision(
                paths,
                hub_url=canned,
                code="ABCD-EFGH-JKLM",
                name="t",
                region="420902",
                lat=30.9,
                lon=113.9,
                pin="739155",
                http=http,
            )
        event(f"{call} accepted")
    except SyncError as exc:
        event(f"{call} refused: {type(exc).__name__}")
        assert call != "events" or outbox.pending_count() == 1  # refused answer: the event is kept
    finally:
        outbox.close()
        shutil.rmtree(root)
