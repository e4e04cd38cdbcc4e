"""Building the hub application, for ``kiosk-hub serve`` and for any ASGI server.

Production with several workers (docs/operations.md)::

    KIOSK_HUB_DATA_DIR=/srv/kiosk-hub KIOSK_HUB_PUBLIC_URL=https://hub.example.gov.cn \\
      gunicorn -w 4 -k uvicorn_worker.UvicornWorker 'kiosk_hub.asgi:create_app()'

Environment: ``KIOSK_HUB_DATA_DIR``, ``KIOSK_HUB_DATABASE_URL`` (else hub.toml's), ``KIOSK_HUB_PUBLIC_URL``
(the address terminals use), ``KIOSK_HUB_REPOSITORY_URL``, ``KIOSK_HUB_VIDEO_URL_TEMPLATE``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from kiosk_hub import api
from kiosk_hub.broker import JitsiBroker
from kiosk_hub.db import open_hub_db
from kiosk_hub.desk import Vault
from kiosk_hub.faults import FaultInjector
from kiosk_hub.limits import RateLimits, configured
from kiosk_hub.paths import HubPaths
from kiosk_hub.tufrepo import TufRepo
from kiosk_hub.web import HubApp, HubASGI


@dataclass(frozen=True)
class ServeOptions:
    data_dir: str | None = None
    database_url: str = ""
    public_url: str = ""
    repository_url: str = ""
    video_url_template: str = ""
    test_faults: bool = False
    access_log: bool = True

    @classmethod
    def from_env(cls) -> ServeOptions:
        get = os.environ.get
        return cls(
            data_dir=get("KIOSK_HUB_DATA_DIR"),
            database_url=get("KIOSK_HUB_DATABASE_URL", ""),
            public_url=get("KIOSK_HUB_PUBLIC_URL", ""),
            repository_url=get("KIOSK_HUB_REPOSITORY_URL", ""),
            video_url_template=get("KIOSK_HUB_VIDEO_URL_TEMPLATE", ""),
            access_log=get("KIOSK_HUB_ACCESS_LOG", "1") != "0",
        )

    def to_env(self) -> dict[str, str]:
        return {
            "KIOSK_HUB_DATA_DIR": self.data_dir or "",
            "KIOSK_HUB_DATABASE_URL": self.database_url,
            "KIOSK_HUB_PUBLIC_URL": self.public_url,
            "KIOSK_HUB_REPOSITORY_URL": self.repository_url,
            "KIOSK_HUB_VIDEO_URL_TEMPLATE": self.video_url_template,
            "KIOSK_HUB_ACCESS_LOG": "1" if self.access_log else "0",
        }


def build_app(options: ServeOptions) -> HubApp:
    paths = HubPaths.resolve(options.data_dir)
    config = paths.load_config()
    repo = TufRepo(paths, config)
    db = open_hub_db(options.database_url or config.database_url, paths.db_file)
    public = options.public_url.rstrip("/")
    # "" = this server's own /repo/ (filled in once the port is bound)
    repository_url = options.repository_url or config.repository_url or (public + "/repo/" if public else "")
    broker = JitsiBroker(options.video_url_template or config.video_url_template, public)
    ctx = api.Context(
        repo.root_bytes(),
        repository_url,
        broker,
        RateLimits(configured(config.rate_limits)),
        vault=Vault(paths.request_key(config)),
        consult_wait_limit=dt.timedelta(minutes=config.consult_wait_minutes),
    )
    token = paths.admin_token_file.read_text(encoding="utf-8").strip()
    faults = FaultInjector() if options.test_faults else None
    return HubApp(repo, db, ctx, token, faults, access_log=options.access_log)


def create_app() -> HubASGI:
    """The ASGI application from the environment (a worker of gunicorn or ``uvicorn --factory``)."""
    from kiosk_hub.server import configure_logging

    configure_logging()
    return HubASGI(build_app(ServeOptions.from_env()))
