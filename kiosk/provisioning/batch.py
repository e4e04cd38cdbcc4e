"""Unattended enrolment from one TOML file for a batch of terminals.

The file has optional ``[defaults]`` and one ``[[terminal]]`` table per machine, matched by its
``serial`` (``/sys/class/dmi/id/product_serial``) or ``mac`` (any network interface)::

    [defaults]
    hub = "https://hub.xiaogan.example.gov.cn"
    orientation = "portrait"
    elder_default = false

    [[terminal]]
    serial = "SN-2026-0001"
    code = "K7QW-2M9X-HT4P"
    name = "书院街道便民服务中心"
    region = "420902001"
    address = "孝南区书院街道…"
    lat = 30.9256          # optional: the town's centre when left out
    lon = 113.9301
    pin = "739155"

Keep the file only as long as the batch takes: it holds enrolment codes and PINs.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.provisioning.validate import Enrolment, number

FIELDS = {"hub", "code", "name", "region", "address", "lat", "lon", "pin", "orientation", "elder_default", "allow_http"}
MATCH_KEYS = {"serial", "mac"}


class BatchError(ValueError):
    """Names the file, the entry and the field."""


@dataclass(frozen=True)
class Machine:
    serial: str | None
    macs: tuple[str, ...]

    def describe(self) -> str:
        return f"serial {self.serial or '(unknown)'}, MAC {', '.join(self.macs) or '(none)'}"


def this_machine(serial: str | None = None, mac: str | None = None) -> Machine:
    """The machine's identity (``serial``/``mac`` override it, for tests and for a replacement board)."""
    if serial is None and mac is None:
        try:
            serial = Path("/sys/class/dmi/id/product_serial").read_text().strip() or None
        except OSError:
            serial = None
    macs: list[str] = [mac.lower()] if mac else []
    if mac is None:
        for iface in sorted(Path("/sys/class/net").glob("*")):
            try:
                address = (iface / "address").read_text().strip().lower()
            except OSError:
                continue
            if iface.name != "lo" and address and address != "00:00:00:00:00:00":
                macs.append(address)
    return Machine(serial, tuple(macs))


def _entry_values(where: str, table: dict[str, Any]) -> dict[str, Any]:
    unknown = set(table) - FIELDS - MATCH_KEYS
    if unknown:
        raise BatchError(f"{where}: unknown field {sorted(unknown)[0]!r} (allowed: {', '.join(sorted(FIELDS))})")
    return {k: v for k, v in table.items() if k in FIELDS}


def load_batch(path: Path, machine: Machine) -> tuple[Enrolment, str]:
    """The enrolment for this machine from the batch file, and where it was found (for messages)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BatchError(f"{path}: cannot read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise BatchError(f"{path}: not valid TOML ({exc})") from None
    defaults = _entry_values(f"{path} [defaults]", data.get("defaults", {}))
    entries = data.get("terminal", [])
    if not isinstance(entries, list) or not entries:
        raise BatchError(f"{path}: no [[terminal]] entries")
    chosen: tuple[int, dict[str, Any]] | None = None
    for i, entry in enumerate(entries, start=1):
        where = f"{path} [[terminal]] #{i}"
        if not isinstance(entry, dict) or not MATCH_KEYS & set(entry):
            raise BatchError(f"{where}: needs a serial or a mac to match a machine")
        serial = str(entry.get("serial", "")).strip()
        mac = str(entry.get("mac", "")).strip().lower()
        if (serial and serial == machine.serial) or (mac and mac in machine.macs):
            if chosen is not None:
                raise BatchError(f"{where}: this machine already matched entry #{chosen[0]}")
            chosen = (i, entry)
    if chosen is None:
        raise BatchError(f"{path}: no [[terminal]] entry for this machine ({machine.describe()})")
    index, entry = chosen
    where = f"{path} [[terminal]] #{index}"
    values = {**defaults, **_entry_values(where, entry)}
    try:
        lat, lon = number(values.pop("lat", None), "lat"), number(values.pop("lon", None), "lon")
    except ValueError as exc:
        raise BatchError(f"{where} {exc}") from None
    for key in ("elder_default", "allow_http"):
        if key in values and not isinstance(values[key], bool):
            raise BatchError(f"{where} {key}: must be true or false")
    text = {k: str(v) for k, v in values.items() if k not in ("elder_default", "allow_http")}
    enrolment = Enrolment(
        **text,
        lat=lat,
        lon=lon,
        elder_default=bool(values.get("elder_default", False)),
        allow_http=bool(values.get("allow_http", False)),
    )
    return enrolment, where
