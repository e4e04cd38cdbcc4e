"""``kiosk-hub serve``: the ASGI application (:mod:`kiosk_hub.web`) on uvicorn.

One process by default (the demo, the tests); ``--workers N`` runs N uvicorn worker processes on one
port (:mod:`kiosk_hub.workers`), and production may as well run ``gunicorn -k uvicorn_worker.UvicornWorker`` on
:func:`kiosk_hub.asgi.create_app` (docs/operations.md). Nothing that must be shared lives in a
process: rate limits and the consult queue are in the registry database.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import os
import socket
import sys
import threading
from typing import Any

import uvicorn

from kiosk_hub.asgi import ServeOptions, build_app
from kiosk_hub.paths import HubError
from kiosk_hub.tufrepo import TufRepo
from kiosk_hub.web import HubApp, HubASGI
from kiosk_hub.workers import Workers, free_port, reserve_port

log = logging.getLogger("kiosk_hub")


def refresher(repo: TufRepo, interval: float, stop: threading.Event) -> threading.Thread:
    """Re-sign the timestamp (and what else nears expiry) every ``interval`` seconds."""

    def loop() -> None:
        while not stop.wait(interval):
            try:
                done = repo.refresh()
                if done:
                    log.info("re-signed %s", ", ".join(done))
            except Exception:  # keep serving; the next round tries again
                log.exception("metadata refresh failed")

    thread = threading.Thread(target=loop, name="tuf-refresh", daemon=True)
    thread.start()
    return thread


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("kiosk_hub")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False


def build_asgi(app: HubApp) -> HubASGI | object:
    asgi: HubASGI | object = HubASGI(app)
    if app.faults is not None:
        from kiosk_hub.asgi_faults import FaultMiddleware

        asgi = FaultMiddleware(asgi, app.faults)  # type: ignore[arg-type]
    return asgi


def _listening_socket(host: str, port: int, workers: int) -> socket.socket:
    try:
        if workers > 1:
            # Each worker listens on its own socket (kiosk_hub.workers); this one only holds the port.
            return reserve_port(host, free_port(host, port))
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(1024)
        return sock
    except OSError as exc:
        raise HubError(f"cannot listen on {host}:{port}: {exc.strerror} (another kiosk-hub there?)") from None


def serve(
    options: ServeOptions,
    host: str,
    port: int,
    refresh_interval: float | None,
    forwarded_allow_ips: str | None = None,
    workers: int = 1,
    http_impl: str = "h11",
) -> None:
    configure_logging()
    if http_impl == "httptools" and importlib.util.find_spec("httptools") is None:
        # Checked here: uvicorn would import it in each worker, after "listening" was printed, and die there.
        raise HubError("--http httptools: the httptools package is not installed (pip install httptools), or use h11")
    sock = _listening_socket(host, port, workers)
    bound_host, bound_port = sock.getsockname()[:2]
    own = f"http://{bound_host!s}:{bound_port}"
    if not options.public_url:
        options = dataclasses.replace(options, public_url=own)
    app = build_app(options)
    common: dict[str, Any] = {
        "lifespan": "off",
        "log_config": None,
        "access_log": False,  # ours (kiosk_hub.access) leaves out client addresses and query strings
        "timeout_keep_alive": 30,
        "timeout_graceful_shutdown": 3,
        "h11_max_incomplete_event_size": 16 * 1024,
        "server_header": False,
        "proxy_headers": bool(forwarded_allow_ips),
        "forwarded_allow_ips": forwarded_allow_ips or "",
        "loop": "auto",  # uvloop when installed
    }
    stop = threading.Event()
    if refresh_interval:
        refresher(app.repo, refresh_interval, stop)  # one re-signer, in the parent, whatever the workers
    try:
        if workers > 1:
            os.environ.update(options.to_env())  # the workers' create_app() reads its options from here
            app.db.close()
            pool = Workers(workers, str(bound_host), int(bound_port), {**common, "http": http_impl})
            pool.start()
            print(f"kiosk-hub listening on {own}/", flush=True)
            pool.run()
        else:
            http: type | str = http_impl
            if app.faults is not None:
                from kiosk_hub.asgi_faults import FaultH11Protocol

                http = FaultH11Protocol
            config = uvicorn.Config(build_asgi(app), http=http, **common)  # type: ignore[arg-type]
            print(f"kiosk-hub listening on {own}/", flush=True)
            uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        sock.close()
