"""Terminal side of issue 14 point 9: one PIN rule, the trust root pinned by the enrolment code, a
private CA, a target shorter than signed refused (exit 5)."""

from __future__ import annotations

import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sync_harness import Hub, Terminal
from test_consult_and_tls import _self_signed

from kiosk.paths import DataPaths
from kiosk.store.errors import KioskError
from kiosk.sync.device import DEVICE_FILE, provision
from kiosk.sync.errors import EXIT_REFUSED, VerificationRefused
from kiosk.sync.http import Http, NetPolicy

PLACE = {"name": "测试终端", "region": "420902", "lat": 30.92, "lon": 113.91}


def test_provision_as_a_library_takes_the_pin_rule_of_the_wizard(hub: Hub, tmp_path: Path) -> None:
    code = hub.enrol_code()
    paths = DataPaths(tmp_path / "t").ensure()
    for weak, message in (("1234", "6 到 12"), ("123456", "连续"), ("000000", "重复")):
        with pytest.raises(KioskError, match=message):
            provision(paths, hub_url=hub.url, code=code, pin=weak, **PLACE)  # type: ignore[arg-type]
    check = hub.session.post(hub.url + "api/v1/enrol/check", json={"code": code}, timeout=10)
    assert check.json()["status"] == "ok"  # refused before anything reached the platform


def test_the_enrolment_code_pins_the_trust_root(hub: Hub, tmp_path: Path) -> None:
    code = hub.enrol_code()
    plain, fingerprint = code[:14], code[15:]
    assert len(fingerprint.replace("-", "")) == 12
    paths = DataPaths(tmp_path / "t").ensure()
    wrong = plain + "-" + ("AAAA-AAAA-AAAA" if not fingerprint.startswith("AAAA") else "BBBB-BBBB-BBBB")
    with pytest.raises(VerificationRefused, match="does not match the fingerprint"):
        provision(paths, hub_url=hub.url, code=wrong, pin="739155", **PLACE)  # type: ignore[arg-type]
    assert not (paths.state_dir / DEVICE_FILE).exists()  # nothing saved
    with pytest.raises(VerificationRefused, match="needs the code with its fingerprint"):
        provision(
            paths,
            hub_url="http://hub.example.invalid/",
            code=plain,
            pin="739155",
            allow_http=True,
            **PLACE,  # type: ignore[arg-type]
        )
    fresh = DataPaths(tmp_path / "t2").ensure()
    state = provision(fresh, hub_url=hub.url, code=hub.enrol_code(), pin="739155", **PLACE)  # type: ignore[arg-type]
    assert state.device_id


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


def test_a_private_ca_is_trusted_when_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = _self_signed(tmp_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"https://127.0.0.1:{server.server_address[1]}/"
    policy = NetPolicy(attempts=1, connect_timeout=5, read_timeout=5)
    try:
        monkeypatch.delenv("KIOSK_CA_FILE", raising=False)
        monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
        with pytest.raises(VerificationRefused, match="TLS verification failed"):
            Http(policy).request("GET", url)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
        assert Http(policy).request("GET", url).status_code == 200
        monkeypatch.setenv("KIOSK_CA_FILE", str(tmp_path / "missing.pem"))
        with pytest.raises(VerificationRefused, match="no such CA file"):
            Http(policy)
    finally:
        server.shutdown()
        server.server_close()


def test_a_target_shorter_than_signed_is_refused_not_retried(hub: Hub, tmp_path: Path) -> None:
    term = Terminal(tmp_path / "fresh")
    term.provision(hub)
    target = next((hub.root / "repo" / "targets" / "content").glob("*.snapshot-1.jsonl.gz"))
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    result, lines = term.sync()
    assert result.exit_code == EXIT_REFUSED, lines
    assert "shorter than its signed" in result.message and term.version() is None
    seen = [e for e in hub.log() if e["path"].endswith(target.name)]
    assert len(seen) == 1  # a refusal, not a network fault retried
    assert json.loads((term.paths.state_dir / DEVICE_FILE).read_text())["device_id"]
