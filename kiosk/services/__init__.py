"""What the screens may ask for. ``kiosk.ui`` talks to these services only (no SQL, no HTTP there).

:func:`open_services` builds every service of one terminal from its paths and settings; each screen
then receives only the services it needs in its constructor. It is also where the content models are
bound to the database the services are given (``kiosk.store.db``); a service refuses a database the
models do not query.
"""

from __future__ import annotations

from dataclasses import dataclass

import peewee as pw

from kiosk.admin_pin import PinGuard
from kiosk.config import Config
from kiosk.paths import DataPaths
from kiosk.services.cases import CaseService
from kiosk.services.consult import ConsultService
from kiosk.services.directory import DirectoryService, Location
from kiosk.services.guides import GuideService
from kiosk.services.home import HomeService
from kiosk.services.laws import LawService
from kiosk.services.network import NetworkProbe
from kiosk.services.publicity import PublicityService
from kiosk.services.resident import ResidentService
from kiosk.services.search import SearchService
from kiosk.services.speech import SpeechService


@dataclass
class Services:
    config: Config
    paths: DataPaths
    db: pw.Database
    laws: LawService
    search: SearchService
    directory: DirectoryService
    cases: CaseService
    guides: GuideService
    publicity: PublicityService
    home: HomeService
    consult: ConsultService
    network: NetworkProbe
    speech: SpeechService
    admin_pin: PinGuard
    resident: ResidentService

    def close(self) -> None:
        self.speech.close()
        self.resident.close()
        if not self.db.is_closed():
            self.db.close()


def open_services(paths: DataPaths, config: Config | None = None, speech: SpeechService | None = None) -> Services:
    from kiosk.outbox import Outbox
    from kiosk.store.db import bind_content_models, open_content_db

    paths.ensure()
    config = config or Config.load(paths.config_file)
    db = open_content_db(paths.content_db)
    bind_content_models(db)  # the app's one binding: every service below reads this database
    directory = DirectoryService(db, Location(config.latitude, config.longitude))
    return Services(
        config=config,
        paths=paths,
        db=db,
        laws=LawService(db),
        search=SearchService(db, directory=directory, memory_mb=config.search_memory_mb),
        directory=directory,
        cases=CaseService(db),
        guides=GuideService(db, directory),
        publicity=PublicityService(db, paths.media_dir),
        home=HomeService(db, config.announcement),
        consult=ConsultService(paths),
        network=NetworkProbe(config.hub_url),
        speech=speech or SpeechService(),
        admin_pin=PinGuard(paths.state_dir),
        resident=ResidentService(Outbox.open(paths)),
    )
