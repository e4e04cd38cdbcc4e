from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import SETTINGS, Config, ConfigError


def test_defaults_save_and_reload(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = Config.load(path)
    assert config.idle_seconds == 90
    config.set("idle_seconds", "45")
    config.set("elder_mode_default", "yes")
    config.save()
    again = Config.load(path)
    assert (again.idle_seconds, again.elder_mode_default) == (45, True)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("latitude", 40.1, "latitude: 40.1 must be between"),
        ("idle_seconds", "abc", "idle_seconds: 'abc' is not a valid int"),
        ("elder_mode_default", "maybe", "elder_mode_default: 'maybe' is not a valid bool"),
        ("orientation", "sideways", "must be portrait or landscape"),
        ("search_memory_mb", -5, "search_memory_mb: -5 must be between 0 and 1024"),
        ("colour", "red", "unknown setting 'colour'"),
    ],
)
def test_bad_values_name_the_setting(tmp_path: Path, name: str, value: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Config(tmp_path / "c.toml").set(name, value)


def test_unknown_keys_in_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("idle_secs = 30\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting"):
        Config.load(path)


def test_every_setting_is_described_and_its_default_valid(tmp_path: Path) -> None:
    config = Config(tmp_path / "c.toml")
    for setting in SETTINGS:
        assert setting.description
        config.set(setting.name, setting.default)


def test_every_setting_has_a_typed_property(tmp_path: Path) -> None:
    config = Config(tmp_path / "c.toml")
    for setting in SETTINGS:
        declared = getattr(Config, setting.name)
        assert isinstance(declared, property), setting.name
        assert declared.fget is not None and declared.fget.__annotations__["return"] == setting.type.__name__
        assert getattr(config, setting.name) == setting.default
    assert {name for name, v in vars(Config).items() if isinstance(v, property)} == {s.name for s in SETTINGS}


def test_two_writers_keep_each_others_changes(tmp_path: Path) -> None:
    """The admin panel and the sync service each loaded the file before the other saved: both changes stay."""
    path = tmp_path / "config.toml"
    Config.update(path, {"hub_url": "https://platform.example.cn/"})
    admin, sync = Config.load(path), Config.load(path)
    admin.set("idle_seconds", 180)
    admin.save()
    sync.set("announcement", "端午节放假通知")
    sync.save()
    on_disk = Config.load(path)
    assert (on_disk.idle_seconds, on_disk.announcement, on_disk.hub_url) == (
        180,
        "端午节放假通知",
        "https://platform.example.cn/",
    )
    assert sync.idle_seconds == 180  # the saving object sees the file as it now is


WRITER = """
import sys
from pathlib import Path
from kiosk.config import Config
path, name = Path(sys.argv[1]), sys.argv[2]
for n in range(40):
    config = Config.load(path)
    config.set(name, 15 + n if name == "idle_seconds" else 5 + n)
    config.save()
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "config.toml"
    Config.update(path, {"hub_url": "https://platform.example.cn/"})
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), name])
        for name in ("idle_seconds", "sync_interval_minutes")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    final = Config.load(path)
    assert (final.idle_seconds, final.sync_interval_minutes, final.hub_url) == (54, 44, "https://platform.example.cn/")
    assert not list(tmp_path.glob("*.tmp"))
