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
