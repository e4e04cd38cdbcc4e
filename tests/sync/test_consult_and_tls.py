"""Consultation sessions through the hub, and the TLS rule for every platform address."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sync_harness import Hub, Terminal

from kiosk.sync.consult import ConsultClient
from kiosk.sync.errors import EXIT_REFUSED, PlatformUnreachable, ProtocolError, VerificationRefused
from kiosk.sync.http import NetPolicy, backoff_delay, check_url, retry_after_seconds


def test_consultation_lifecycle(hub: Hub, terminal: Terminal) -> None:
    client = ConsultClient(terminal.paths)
    session = client.start("劳动争议")
    assert session.status == "waiting" and session.room_url.startswith("https://")
    status, reply = hub.call(
        "POST", f"/api/v1/admin/consult/sessions/{session.session_id}/answer", {"lawyer": "示例律师"}, admin=True
    )
    assert status == 200, reply
    answered = client.status(session.session_id)
    assert answered.status == "answered" and answered.lawyer == "示例律师"
    assert client.cancel(session.session_id).status == "ended"
    waiting = client.start()
    assert client.cancel(waiting.session_id).status == "cancelled"
    with pytest.raises(ProtocolError, match="404"):
        client.status("no-such-session")


def test_consultation_offline_is_unreachable(hub: Hub, terminal: Terminal) -> None:
    client = ConsultClient(terminal.paths)
    hub.stop()
    with pytest.raises(PlatformUnreachable):
        client.start()


def test_tls_rule() -> None:
    check_url("https://platform.example/")
    check_url("http://127.0.0.1:8700/")
    check_url("http://localhost/")
    check_url("http://[::1]:80/")
    check_url("http://10.0.0.5/", allow_http=True)
    for bad in ("http://10.0.0.5/", "http://platform.example/", "ftp://x/", "file:///etc/passwd", "https:///x"):
        with pytest.raises(VerificationRefused):
            check_url(bad)


def test_retry_after_forms() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past: now


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


def test_untrusted_tls_certificate_is_refused(tmp_path: Path, terminal: Terminal) -> None:
    cert, key = _self_signed(tmp_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        device = json.loads((terminal.paths.state_dir / "device.json").read_text())
        device["hub_url"] = device["repository_url"] = f"https://127.0.0.1:{server.server_address[1]}/"
        (terminal.paths.state_dir / "device.json").write_text(json.dumps(device))
        result, lines = terminal.sync()
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == EXIT_REFUSED, lines
    assert "TLS verification failed" in result.message and terminal.version() == 1


def test_backoff_is_capped_full_jitter() -> None:
    policy = NetPolicy(backoff_base=0.5, backoff_cap=4.0)
    assert [backoff_delay(n, policy, rng=lambda: 1.0) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert backoff_delay(3, policy, rng=lambda: 0.0) == 0.0
