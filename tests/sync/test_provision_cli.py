"""``kiosk provision`` in its three modes against the real hub on 127.0.0.1: flags, prompts, batch file —
and every bad value refused with its message, leaving the terminal exactly as it was."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sync_harness import PY, REPO, Hub, env, run

from kiosk.config import Config
from kiosk.paths import DataPaths

GOOD = {
    "--name": "书院街道便民服务中心",
    "--region": "420902001",
    "--lat": "30.9256",
    "--lon": "113.9301",
    "--pin": "739155",
}


def provision(folder: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PY, "-m", "kiosk.cli", "--data-dir", str(folder), "provision", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env(),
        cwd=REPO,
        timeout=120,
    )


def flags(the_hub: Hub, enrol_code: str, **changes: str) -> list[str]:
    values = {"--hub": the_hub.url, "--code": enrol_code, **GOOD, **{f"--{k}": v for k, v in changes.items()}}
    return [x for pair in values.items() for x in pair if pair[1] is not None]


def untouched(folder: Path) -> bool:
    state = folder / "state"
    return not (state / "device.json").exists() and not (state / "admin_pin.argon2").exists()


def test_flags_enrol_and_store_every_choice(hub: Hub, tmp_path: Path) -> None:
    done = provision(
        tmp_path / "k", *flags(hub, hub.enrol_code()), "--orientation", "landscape", "--elder-default",
        "--non-interactive",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    device = json.loads(done.stdout)
    config = Config.load(DataPaths(tmp_path / "k").config_file)
    assert config.orientation == "landscape" and config.elder_mode_default is True
    assert config.region_code == "420902001" and config.terminal_name == "书院街道便民服务中心"
    listed = json.loads(hub.cli("devices").stdout)["devices"]
    assert device["device_id"] in [d["device_id"] for d in listed]
    doctor = run("kiosk.cli", "--data-dir", tmp_path / "k", "doctor", "--json", check=False)
    checks = {c["name"]: c for c in json.loads(doctor.stdout)["checks"]}
    assert checks["trust-root"]["ok"] and checks["platform"]["ok"], checks  # what enrolment stored


def test_missing_coordinates_take_the_towns_centre(hub: Hub, tmp_path: Path) -> None:
    args = [a for a in flags(hub, hub.enrol_code()) if a not in ("--lat", "30.9256", "--lon", "113.9301")]
    assert provision(tmp_path / "k", *args, "--non-interactive").returncode == 0
    config = Config.load(DataPaths(tmp_path / "k").config_file)
    assert (config.latitude, config.longitude) == (30.93, 113.915)  # 书院街道 in assets/regions.csv


@pytest.mark.parametrize(
    ("change", "exit_code", "message"),
    [
        ({"region": "999999"}, 2, "region: 未知的区划代码 '999999'"),
        ({"lat": "39.90", "lon": "116.40"}, 2, "lat: 坐标 (39.9, 116.4) 不在湖北省内"),
        ({"lat": "30.62", "lon": "114.30"}, 2, "lat: 坐标 (30.62, 114.3) 不在孝南区范围内"),
        ({"lat": "北纬30度"}, 2, "lat: '北纬30度' 不是数字"),
        ({"pin": "2468"}, 2, "pin: 管理密码需要 6 到 12 位数字"),
        ({"pin": "123456"}, 2, "pin: 管理密码不能是连续数字"),
        ({"pin": "000000"}, 2, "pin: 管理密码不能是同一个数字重复"),
        ({"pin": "121212"}, 2, "pin: 管理密码太容易猜到"),
        ({"hub": "ftp://hub.example"}, 2, "hub: 平台地址不可用"),
        ({"hub": "http://127.0.0.1:9/"}, 4, "hub: 连不上平台"),
        ({"code": "NOPE-NOPE-NOPE"}, 3, "code: 注册码无效"),
    ],
)
def test_bad_values_are_named_and_change_nothing(
    hub: Hub, tmp_path: Path, change: dict[str, str], exit_code: int, message: str
) -> None:
    folder = tmp_path / "k"
    done = provision(folder, *flags(hub, hub.enrol_code(), **change), "--non-interactive")
    assert done.returncode == exit_code and message in done.stderr, done.stderr
    assert untouched(folder)


def test_used_and_expired_codes_are_refused(hub: Hub, tmp_path: Path) -> None:
    code = hub.enrol_code()
    assert provision(tmp_path / "a", *flags(hub, code), "--non-interactive").returncode == 0
    again = provision(tmp_path / "b", *flags(hub, code), "--non-interactive")
    assert again.returncode == 3 and "code: 这个注册码已经用过了" in again.stderr and untouched(tmp_path / "b")
    expired = hub.cli("enrol-code", "--name", "过期", "--valid-days", "1").stdout.strip()
    with sqlite3.connect(hub.root / "hub.sqlite3") as db:  # eight days later
        db.execute("UPDATE enrol_code SET expires = datetime('now', '-1 day') WHERE used IS NULL")
    late = provision(tmp_path / "c", *flags(hub, expired), "--non-interactive")
    assert late.returncode == 3 and "code: 这个注册码已过期" in late.stderr and untouched(tmp_path / "c")


def test_prompts_ask_again_until_each_value_is_right(hub: Hub, tmp_path: Path) -> None:
    answers = [
        "http://127.0.0.1:9/",  # nothing answers there: asked again at once
        hub.url,
        "NOPE",  # too short for a code: asked again
        hub.enrol_code(),
        "村委会终端",
        "99",  # no such county: the list again
        "1",  # 孝南区
        "1",  # its first town
        "",  # no address
        "39.9,116.4",  # outside Hubei: asked again
        "",  # the town's centre
        "123456",  # trivial
        "739155",
        "739156",  # does not match: the PIN again
        "739155",
        "739155",
        "3",  # no such orientation
        "2",  # landscape
        "",  # standard text size
    ]
    done = provision(tmp_path / "k", "--prompt", stdin="\n".join(answers) + "\n")
    assert done.returncode == 0, done.stderr
    for said in (
        "连不上平台 http://127.0.0.1:9/",
        "注册码是平台发放的",
        "没有 '99' 这一项",
        "不在湖北省内",
        "不能是连续数字",
        "两次输入的管理密码不一致",
    ):
        assert said in done.stderr
    config = Config.load(DataPaths(tmp_path / "k").config_file)
    assert config.region_code.startswith("420902") and len(config.region_code) == 9
    assert config.orientation == "landscape" and config.elder_mode_default is False
    assert "请输入 1 或 2" in done.stderr


def test_prompts_cut_short_change_nothing(hub: Hub, tmp_path: Path) -> None:
    done = provision(tmp_path / "k", "--prompt", stdin=f"{hub.url}\n{hub.enrol_code()}\n")
    assert done.returncode == 2 and "输入中断，本终端没有注册" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and untouched(tmp_path / "k")


BATCH = """
[defaults]
hub = "{hub}"
orientation = "landscape"

[[terminal]]
serial = "SN-0001"
code = "{code1}"
name = "一号终端"
region = "420921"
pin = "739155"

[[terminal]]
mac = "02:00:5e:10:00:02"
code = "{code2}"
name = "二号终端"
region = "420902001"
pin = "846271"
elder_default = true
"""


def test_batch_file_enrols_the_matching_machine_and_syncs(hub: Hub, tmp_path: Path) -> None:
    batch = tmp_path / "batch.toml"
    batch.write_text(BATCH.format(hub=hub.url, code1=hub.enrol_code(), code2=hub.enrol_code()), encoding="utf-8")
    folder = tmp_path / "k"
    done = provision(folder, "--from-file", str(batch), "--mac", "02:00:5E:10:00:02", "--first-sync")
    assert done.returncode == 0, done.stderr
    config = Config.load(DataPaths(folder).config_file)
    assert config.terminal_name == "二号终端" and config.orientation == "landscape" and config.elder_mode_default
    stats = json.loads(run("kiosk.cli", "--data-dir", folder, "stats", "--json").stdout)
    assert stats["law_titles_current"] > 0  # the first sync brought the content


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[terminal]]\nserial = "SN-9"\ncode = "X"\n', "no [[terminal]] entry for this machine (serial SN-0001"),
        ('[[terminal]]\nserial = "SN-0001"\ncolour = "red"\n', "#1: unknown field 'colour'"),
        ('[[terminal]]\ncode = "X"\n', "#1: needs a serial or a mac"),
        ("[[terminal]\n", "not valid TOML"),
        (
            '[[terminal]]\nserial = "SN-0001"\nhub = "{hub}"\ncode = "ABCDEFGH"\nname = "x"\nregion = "420902"\n'
            'pin = "1111"\n',
            "[[terminal]] #1 pin: 管理密码需要 6 到 12 位数字",
        ),
    ],
)
def test_bad_batch_files_name_file_entry_and_field(hub: Hub, tmp_path: Path, text: str, message: str) -> None:
    batch = tmp_path / "batch.toml"
    batch.write_text(text.replace("{hub}", hub.url), encoding="utf-8")
    done = provision(tmp_path / "k", "--from-file", str(batch), "--serial", "SN-0001")
    assert done.returncode == 2 and str(batch) in done.stderr and message in done.stderr, done.stderr
    assert untouched(tmp_path / "k")


def test_the_whole_batch_file_is_checked_on_the_first_machine(hub: Hub, tmp_path: Path) -> None:
    entry = 'hub = "{hub}"\ncode = "{code}"\nname = "示例终端"\nregion = "420902"\npin = "{pin}"\n'
    text = (
        '[[terminal]]\nserial = "SN-0001"\n' + entry.format(hub=hub.url, code="AAAA-BBBB-CCCC", pin="739155")
        + '[[terminal]]\nserial = "SN-0002"\n' + entry.format(hub=hub.url, code="DDDD-EEEE-FFFF", pin="1111")
        + '[[terminal]]\nserial = "SN-0001"\n' + entry.format(hub=hub.url, code="aaaa-bbbb-cccc", pin="739155")
    )  # fmt: skip
    batch = tmp_path / "batch.toml"
    batch.write_text(text, encoding="utf-8")
    done = provision(tmp_path / "k", "--from-file", str(batch), "--serial", "SN-0001")
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {batch} [[terminal]] #2 pin: 管理密码需要 6 到 12 位数字",  # another machine's entry
        f"error: {batch} [[terminal]] #3 serial: the same as in entry #1",
        f"error: {batch} [[terminal]] #3 code: the same as in entry #1",
        f"error: {batch} [[terminal]] #3: this machine already matched entry #1",
    ]
    assert untouched(tmp_path / "k")


def test_the_example_batch_file_is_valid() -> None:
    """packaging/batch.example.toml, which docs/operations.md shows, loads for each of its machines."""
    from kiosk.provisioning.batch import Machine, load_batch
    from kiosk.provisioning.validate import problems

    example = REPO / "packaging" / "batch.example.toml"
    first, _ = load_batch(example, Machine("SN-2026-0001", ()))
    second, where = load_batch(example, Machine(None, ("02:00:5e:10:00:02",)))
    assert where.endswith("[[terminal]] #2")
    for entry in (first, second):
        assert problems(entry) == {}, entry
    assert first.region == "420902001" and second.elder_default is True
