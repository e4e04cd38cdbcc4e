"""UI test fixtures: offscreen Qt, one small real content database per session, a kiosk per test."""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# Before anything imports Qt: offscreen, our input method, and a private config folder so the
# keyboard test can prove the Pinyin engine stored nothing.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_XDG = Path(tempfile.mkdtemp(prefix="kiosk-ui-xdg-"))
os.environ["XDG_CONFIG_HOME"] = str(_XDG)

from kiosk.ui.app import prepare_environment  # noqa: E402

prepare_environment()

import peewee as pw  # noqa: E402

from kiosk.paths import ASSETS_DIR, SAMPLE_DIR, SHARED_DATA_DIR, DataPaths  # noqa: E402
from kiosk.store.db import bound_to  # noqa: E402

LAW_FILES = (
    *(f"民法典/{p}.md" for p in ("总则", "物权编", "合同编", "人格权编", "婚姻家庭编", "继承编", "侵权责任编", "附则")),
    "社会法/劳动合同法(2012-12-28).md",
    "行政法/法律援助法(2021-08-20).md",
    "诉讼与非诉讼程序法/劳动争议调解仲裁法(2007-12-29).md",
    "诉讼与非诉讼程序法/人民调解法(2010-08-28).md",
    "行政法规/道路运输条例(2019-03-02).md",
    "行政法规/道路运输条例(2023-07-20).md",
)
GUIDES = ("legal-aid", "hotline-12348", "labour-arbitration", "mediation")
#: Warnings Qt's own Virtual Keyboard QML and the offscreen platform print; not ours to fix.
QT_NOISE = (
    r"QQmlExpression: Expression qrc:/qt-project.org/imports/QtQuick/VirtualKeyboard/.*",
    r"^\s*QLineEdit::echoMode$",
    r"This plugin does not support propagateSizeHints\(\)",
    # The flick gesture finds its widget with QApplication::widgetAt(), which the offscreen platform
    # cannot answer (no real screen positions); the scroll itself works, as the test shows.
    r"QGestureManager::deliverEvents: could not find the target for gesture",
    # Video playback on a test machine without a sound server or a GPU.
    r"PulseAudioService: pa_context_connect\(\) failed",
    r"ThreadLocalRhiHolder::ensureRhi.*No RHI backend",
    r"This plugin does not support raise\(\)",  # QVideoWidget's native window on the offscreen platform
    # QtWebEngine (the video call) on the offscreen platform, without a GPU, running as root in CI.
    r"QRhiGles2: Failed to create (temporary )?context",
    r"Failed to create RHI for backend: OpenGL",
    r"GPUInfo not initialized on GpuInfoUpdate",
    r"Sandboxing disabled by user\.",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(*QT_NOISE))


def _build(root: Path) -> pw.SqliteDatabase:
    from kiosk.store.db import open_content_db
    from kiosk.store.import_cases import import_cases
    from kiosk.store.import_directory import import_directory
    from kiosk.store.import_guides import import_guides
    from kiosk.store.import_laws import import_laws
    from kiosk.store.import_misc import import_publicity, import_synonyms, import_topics
    from kiosk.store.models import Meta
    from kiosk.store.regions import import_regions

    laws = root / "src" / "laws"
    for rel in LAW_FILES:
        target = laws / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED_DATA_DIR / "laws" / rel, target)
    guides = root / "src" / "guides"
    guides.mkdir(parents=True)
    for key in GUIDES:
        shutil.copyfile(SAMPLE_DIR / "guides" / f"{key}.toml", guides / f"{key}.toml")
    topics = root / "src" / "topics.csv"
    with (
        open(SAMPLE_DIR / "topics.csv", encoding="utf-8") as src,
        open(topics, "w", encoding="utf-8", newline="") as dst,
    ):
        reader = csv.DictReader(src)
        writer = csv.DictWriter(dst, fieldnames=reader.fieldnames or [])
        writer.writeheader()
        for row in reader:
            if not row["guide_id"] or row["guide_id"] in GUIDES:
                writer.writerow(row)
            else:
                writer.writerow({**row, "guide_id": ""})
    paths = DataPaths(root / "data").ensure()
    db = open_content_db(paths.content_db)
    import_regions(db, ASSETS_DIR / "regions.csv")
    import_laws(db, laws)
    import_cases(db, [SHARED_DATA_DIR / "cases" / "cases.jsonl"])
    import_directory(db, [SAMPLE_DIR / "institutions.csv", SAMPLE_DIR / "people.csv", SAMPLE_DIR / "integrity.csv"])
    import_guides(db, guides)
    import_topics(db, topics)
    import_synonyms(db, ASSETS_DIR / "synonyms.tsv")
    import_publicity(db, SAMPLE_DIR / "publicity.toml")
    with bound_to(db), db.atomic():
        Meta.replace(key="content_date", value="2025-04-19").execute()
        Meta.replace(key="content_version", value="ui-test").execute()
    return db


def _add_video(paths: DataPaths, db: pw.SqliteDatabase) -> None:
    import hashlib

    from uihelpers import make_test_video

    clip = paths.root / "clip.mp4"
    make_test_video(clip)
    digest = hashlib.sha256(clip.read_bytes()).hexdigest()
    clip.replace(paths.media_dir / digest)
    with bound_to(db):
        _add_video_rows(digest, paths)


def _add_video_rows(digest: str, paths: DataPaths) -> None:
    from kiosk.store.models import Media, PublicityItem

    Media.create(sha256=digest, size=(paths.media_dir / digest).stat().st_size, mime="video/mp4", filename="clip.mp4")
    PublicityItem.create(
        key="UI-VIDEO", kind="视频", title="测试视频（示例）", body="", media=digest, position=99, is_sample=True
    )


@pytest.fixture(scope="session")
def ui_paths(tmp_path_factory: pytest.TempPathFactory, qapp: Any) -> DataPaths:
    root = tmp_path_factory.mktemp("ui-content")
    db = _build(root)
    paths = DataPaths(root / "data")
    _add_video(paths, db)
    db.close()
    return paths


@dataclass
class FakeClock:
    now: float = field(default_factory=time.monotonic)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(ui_paths: DataPaths, tmp_path: Path) -> Iterator[Any]:
    from kiosk.config import Config
    from kiosk.outbox import Outbox
    from kiosk.services import open_services
    from kiosk.services.admin import PinGuard
    from kiosk.services.resident import ResidentService
    from kiosk.services.speech import SpeechService

    config = Config(tmp_path / "config.toml", {"idle_seconds": 60, "idle_countdown_seconds": 15})
    svc = open_services(ui_paths, config, speech=SpeechService(player=None))
    svc.admin_pin = PinGuard(tmp_path / "state")  # per test: lockouts never leak between tests
    svc.resident.close()
    svc.resident = ResidentService(Outbox(tmp_path / "outbox.sqlite3"))  # per test: its own queued events
    yield svc
    svc.speech.close()
    svc.resident.close()


@pytest.fixture
def kiosk(qtbot: Any, services: Any, clock: FakeClock) -> Iterator[Any]:
    from uihelpers import make_app

    app = make_app(services, clock)
    qtbot.waitExposed(app.window)
    yield app
    app.close()
    qtbot.wait(10)


@pytest.fixture(scope="session")
def xdg_config() -> Path:
    return _XDG
