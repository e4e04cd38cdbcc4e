"""The static repository served by a real nginx: any web server will do.

nginx is installed here with apt-get when the tests run as root and it is missing; otherwise the
test is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_harness import Hub, Terminal, copy_tree, edit_article


def _nginx() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("nginx is not installed and the tests are not running as root with apt-get to install it")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    installed = subprocess.run(
        ["apt-get", "install", "-y", "-q", "nginx-light"], capture_output=True, env=env, timeout=600
    )
    if installed.returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, env=env, timeout=600)
        installed = subprocess.run(
            ["apt-get", "install", "-y", "-q", "nginx-light"], capture_output=True, env=env, timeout=600
        )
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if installed.returncode != 0 or not found:
        pytest.skip(f"could not install nginx: {installed.stderr.decode(errors='replace')[-300:]}")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def nginx_repo(tmp_path: Path, templates: tuple[Path, Path]) -> Iterator[tuple[Hub, str, Path]]:
    binary = _nginx()
    hub = Hub(copy_tree(templates[0], tmp_path / "hub"))
    port = _free_port()
    prefix = tmp_path / "nginx"
    (prefix / "logs").mkdir(parents=True)
    conf = prefix / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the private pytest folder
    conf.write_text(f"""
{user}
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {prefix}/logs/access.log;
    client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
    types {{ application/json json; }}
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        root {hub.root / "repo"};
        location = /metadata/timestamp.json {{ add_header Cache-Control no-cache; }}
    }}
}}
""")
    proc = subprocess.Popen(
        [binary, "-p", str(prefix), "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail(f"nginx did not start: {(prefix / 'logs' / 'error.log').read_text()}")
    url = f"http://127.0.0.1:{port}/"
    hub.start("--repository-url", url)
    try:
        yield hub, url, prefix / "logs" / "access.log"
    finally:
        hub.stop()
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(10)


def test_repository_served_by_nginx(nginx_repo: tuple[Hub, str, Path], tmp_path: Path, laws_dir: Path) -> None:
    hub, url, access_log = nginx_repo
    term = Terminal(tmp_path / "kiosk")
    term.provision(hub)
    assert '"repository_url": "' + url in (term.paths.state_dir / "device.json").read_text()
    result, lines = term.sync()
    assert result.exit_code == 0, lines
    edit_article(laws_dir, "社会法/劳动合同法(2012-12-28).md", "第二条", "经由 nginx 分发。")
    hub.publish(laws_dir)
    result, lines = term.sync()
    assert result.exit_code == 0 and term.version() == 2, lines
    assert term.digest_map() == hub.version_map(2)
    served = access_log.read_text()
    assert "GET /metadata/timestamp.json" in served and ".delta-1-2.jsonl.gz" in served
    assert ".snapshot-1.jsonl.gz" in served and "/api/" not in served  # the API stays on the hub
