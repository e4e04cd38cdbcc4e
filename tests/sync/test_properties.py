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
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from tuf.api import exceptions as tuf_exc
from tuf.ngclient import FetcherInterface

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


class FilesFetcher(FetcherInterface):
    """Serves the hub's repository folder, with one file replaced."""

    def __init__(self, repo: Path, replaced: str, data: bytes):
        self.repo, self.replaced, self.data = repo, replaced, data

    def _fetch(self, url: str) -> Iterator[bytes]:
        rel = url.removeprefix("http://hub.invalid/repo/")
        if rel == self.replaced:
            return iter([self.data])
        path = self.repo / rel
        if not path.is_file():
            raise tuf_exc.DownloadHTTPError(f"404 {rel}", 404)
        return iter([path.read_bytes()])


@SETTINGS
@given(data=st.data())
def test_malformed_metadata_is_refused(tmp_path: Path, templates: tuple[Path, Path], data: st.DataObject) -> None:
    repo = templates[0] / "repo"
    bootstrap = load_root(DataPaths(templates[1]))
    files = sorted(str(p.relative_to(repo)) for p in (repo / "metadata").glob("*.json") if p.name != "root.json")
    files += [
        "metadata/2.root.json",
        "targets/content/" + next((repo / "targets" / "content").glob("*index.json")).name,
    ]
    name = data.draw(st.sampled_from(files))
    original = (repo / name).read_bytes() if (repo / name).exists() else b"{}"
    how = data.draw(st.sampled_from(["bytes", "json", "mutate", "truncate"]))
    if how == "bytes":
        replacement = data.draw(st.binary(max_size=300))
    elif how == "json":
        replacement = json.dumps(data.draw(JSON)).encode()
    elif how == "mutate":
        tree = json.loads(original)
        mutated = _mutate(tree, data.draw(st.lists(st.integers(0, 30), min_size=1, max_size=6)), data.draw(JSON))
        replacement = json.dumps(mutated).encode()
    else:
        replacement = original[: data.draw(st.integers(0, max(0, len(original) - 1)))]
    state = Path(tempfile.mkdtemp(dir=tmp_path))
    try:
        repository = ContentRepository(
            state, "http://hub.invalid/repo/", bootstrap, Http(), fetcher=FilesFetcher(repo, name, replacement)
        )
        repository.refresh()
        repository.index()
        event("accepted")
    except SyncError as exc:
        event(f"refused: {type(exc).__name__}")
    finally:
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
