"""``kiosk doctor``: what a technician checks on a terminal, one line per check with a fix.

Every check is a plain function returning a :class:`Check`; none imports Qt, so the doctor works on
a terminal whose display stack is broken — which is when it is needed most.
"""

from __future__ import annotations

import datetime as dt
import glob
import importlib.util
import json
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from kiosk.config import Config, ConfigError
from kiosk.handwriting.doctor_check import check_handwriting
from kiosk.paths import DataPaths

#: A clock before this is certainly wrong (the software did not exist yet): TLS and TUF expiry fail.
CLOCK_FLOOR = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
MIN_FREE_BYTES = 1 << 30
CJK_FONT_GLOBS = ("/usr/share/fonts/**/*CJK*", "/usr/share/fonts/**/wqy*", "/usr/share/fonts/**/*SourceHan*")
MANDARIN_VOICE = "cmn-latn-pinyin"


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def check_fonts(_: DataPaths) -> Check:
    families: list[str] = []
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20)
        families = sorted({line.split(",")[0] for line in out.stdout.splitlines() if line.strip()})
    else:
        families = sorted({Path(p).name for pattern in CJK_FONT_GLOBS for p in glob.glob(pattern, recursive=True)})
    if families:
        simplified_first = sorted(families, key=lambda f: ("SC" not in f, f))
        return Check("fonts", True, f"Chinese fonts: {', '.join(simplified_first[:3])}")
    return Check(
        "fonts", False, "no font with Chinese glyphs: every character shows as a box", "apt-get install fonts-noto-cjk"
    )


def check_voice(_: DataPaths) -> Check:
    if shutil.which("espeak-ng") is None:
        return Check("voice", False, "espeak-ng is not installed: read-aloud is off", "apt-get install espeak-ng")
    out = subprocess.run(["espeak-ng", "--voices=cmn"], capture_output=True, text=True, timeout=20).stdout
    if MANDARIN_VOICE not in out.lower():
        return Check(
            "voice",
            False,
            f"espeak-ng has no Mandarin voice {MANDARIN_VOICE}",
            "apt-get install --reinstall espeak-ng-data",
        )
    if shutil.which("aplay") is None:
        return Check("voice", False, "aplay is missing: speech cannot reach the speaker", "apt-get install alsa-utils")
    return Check("voice", True, f"espeak-ng voice {MANDARIN_VOICE}")


def check_keyboard(_: DataPaths) -> Check:
    spec = importlib.util.find_spec("PySide6")
    plugins = (
        [Path(p) / "Qt" / "plugins" / "platforminputcontexts" for p in (spec.submodule_search_locations or [])]
        if spec
        else []
    )
    found = [p for d in plugins for p in d.glob("libqtvirtualkeyboardplugin*")]
    if found:
        return Check("keyboard", True, "Qt Virtual Keyboard plugin present (Pinyin)")
    return Check(
        "keyboard",
        False,
        "the on-screen keyboard plugin is missing: residents cannot type",
        "pip install PySide6-Addons in the kiosk's virtual environment",
    )


def check_camera(_: DataPaths) -> Check:
    devices = sorted(glob.glob("/dev/video*"))
    if devices:
        return Check("camera", True, f"camera device {devices[0]}")
    return Check(
        "camera",
        False,
        "no camera (/dev/video*): video consultation falls back to 12348",
        "plug in the USB camera and check `dmesg | tail`",
    )


def check_disk(paths: DataPaths) -> Check:
    where = paths.root if paths.root.exists() else paths.root.parent
    free = shutil.disk_usage(where).free
    text = f"{free / 2**30:.1f} GiB free under {where}"
    if free < MIN_FREE_BYTES:
        return Check(
            "disk",
            False,
            text + " (need ≥ 1 GiB for content updates)",
            "free space: journalctl --vacuum-size=100M; remove old files under /var/log",
        )
    return Check("disk", True, text)


def check_clock(_: DataPaths) -> Check:
    now = dt.datetime.now(dt.UTC)
    if now < CLOCK_FLOOR:
        return Check(
            "clock",
            False,
            f"clock says {now:%Y-%m-%d}: signed content will be refused",
            "timedatectl set-ntp true, or set the date: date -s 'YYYY-MM-DD HH:MM'",
        )
    return Check("clock", True, f"clock {now:%Y-%m-%d %H:%M} UTC")


def _config(paths: DataPaths) -> Config:
    return Config.load(paths.config_file)


def check_platform(paths: DataPaths) -> Check:
    import requests

    try:
        hub = _config(paths).hub_url
    except ConfigError as exc:
        return Check("platform", False, f"configuration unreadable: {exc}", "kiosk provision")
    if not hub:
        return Check("platform", False, "not provisioned: no platform address", "kiosk provision")
    try:
        response = requests.get(hub, timeout=5)
    except requests.RequestException as exc:
        return Check(
            "platform",
            False,
            f"{hub} unreachable ({type(exc).__name__})",
            "check the network cable / 4G modem; ping the platform host",
        )
    return Check("platform", True, f"{hub} answered HTTP {response.status_code}")


def check_trust_root(paths: DataPaths) -> Check:
    from tuf.api.exceptions import RepositoryError
    from tuf.api.metadata import Metadata, Root

    path = paths.trust_root
    if not path.exists():
        return Check("trust-root", False, f"no trust root at {path}", "kiosk provision (enrolment stores it)")
    current = paths.state_dir / "tuf" / "metadata" / "root.json"  # after syncs: the newest root followed
    if current.exists():
        path = current
    try:
        root = Metadata[Root].from_bytes(path.read_bytes())
        root.verify_delegate(Root.type, root)
    except (ValueError, RepositoryError, KeyError) as exc:
        return Check(
            "trust-root",
            False,
            f"trust root {path} is invalid: {exc}",
            "re-enrol: kiosk provision --hub URL --code CODE (gets the platform's root again)",
        )
    return Check(
        "trust-root", True, f"trust root version {root.signed.version}, expires {root.signed.expires:%Y-%m-%d}"
    )


def check_database(paths: DataPaths) -> Check:
    results = []
    for db in (paths.content_db, paths.outbox_db):
        if not db.exists():
            if db == paths.content_db:
                return Check("database", False, f"no content database at {db}", "kiosk sync (or kiosk demo-data)")
            continue
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
            verdict = con.execute("PRAGMA integrity_check").fetchone()[0]
            con.close()
        except sqlite3.DatabaseError as exc:
            verdict = str(exc)
        if verdict != "ok":
            return Check(
                "database",
                False,
                f"{db.name}: {verdict}",
                f"stop the kiosk, move {db} aside and run kiosk sync to fetch content again",
            )
        results.append(db.name)
    return Check("database", True, f"integrity ok: {', '.join(results)}")


CHECKS: tuple[Callable[[DataPaths], Check], ...] = (
    check_fonts,
    check_voice,
    check_keyboard,
    check_handwriting,  # kiosk/handwriting/doctor_check.py
    check_camera,
    check_disk,
    check_clock,
    check_platform,
    check_trust_root,
    check_database,
)


def run_checks(paths: DataPaths) -> list[Check]:
    results = []
    for check in CHECKS:
        try:
            results.append(check(paths))
        except Exception as exc:  # a broken check must not hide the others
            name = check.__name__.removeprefix("check_").replace("_", "-")
            results.append(Check(name, False, f"check crashed: {type(exc).__name__}: {exc}", "report this"))
    return results


def render(results: list[Check], as_json: bool) -> str:
    if as_json:
        return json.dumps(
            {"ok": all(r.ok for r in results), "checks": [asdict(r) for r in results]}, ensure_ascii=False
        )
    lines = []
    for r in results:
        mark = "ok  " if r.ok else "FAIL"
        lines.append(f"{mark} {r.name:11} {r.detail}" + (f"\n     {'':11} fix: {r.fix}" if not r.ok else ""))
    return "\n".join(lines)
