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


def _enrolment(where: str, defaults: dict[str, Any], entry: dict[str, Any]) -> Enrolment:
    values = {**defaults, **_entry_values(where, entry)}
    try:
        lat, lon = number(values.pop("lat", None), "lat"), number(values.pop("lon", None), "lon")
    except ValueError as exc:
        raise BatchError(f"{where} {exc}") from None
    for key in ("elder_default", "allow_http"):
        if key in values and not isinstance(values[key], bool):
            raise BatchError(f"{where} {key}: must be true or false")
    text = {k: str(v) for k, v in values.items() if k not in ("elder_default", "allow_http")}
    return Enrolment(
        **text,
        lat=lat,
        lon=lon,
        elder_default=bool(values.get("elder_default", False)),
        allow_http=bool(values.get("allow_http", False)),
    )


def _identity(entry: dict[str, Any]) -> dict[str, str]:
    """What must differ between entries: the machine (serial, MAC) and the one-time code."""
    return {
        "serial": str(entry.get("serial", "")).strip(),
        "mac": str(entry.get("mac", "")).strip().lower(),
        "code": str(entry.get("code", "")).strip().upper().replace("-", ""),
    }


def load_batch(path: Path, machine: Machine) -> tuple[Enrolment, str]:
    """The enrolment for this machine from the batch file, and where it was found (for messages).

    The whole file is checked first, every entry and across entries (a serial, MAC or code given
    twice): a mistake in the entry of the seventh machine shows on the first, not at the seventh.
    """
    from kiosk.provisioning.validate import problems

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
    found: list[str] = []
    first_with: dict[tuple[str, str], int] = {}
    chosen: tuple[int, Enrolment] | None = None
    for i, entry in enumerate(entries, start=1):
        where = f"{path} [[terminal]] #{i}"
        if not isinstance(entry, dict) or not MATCH_KEYS & set(entry):
            found.append(f"{where}: needs a serial or a mac to match a machine")
            continue
        try:
            enrolment = _enrolment(where, defaults, entry)
        except BatchError as exc:
            found.append(str(exc))
            continue
        found += [f"{where} {field}: {message}" for field, message in problems(enrolment).items()]
        for key, value in _identity(entry).items():
            if value and (key, value) in first_with:
                found.append(f"{where} {key}: the same as in entry #{first_with[(key, value)]}")
            elif value:
                first_with[(key, value)] = i
        ident = _identity(entry)
        if (ident["serial"] and ident["serial"] == machine.serial) or (ident["mac"] and ident["mac"] in machine.macs):
            if chosen is not None:
                found.append(f"{where}: this machine already matched entry #{chosen[0]}")
            else:
                chosen = (i, enrolment)
    if chosen is None:
        found.append(f"{path}: no [[terminal]] entry for this machine ({machine.describe()})")
    if found:
        raise BatchError("\nerror: ".join(found))  # the command prints "error: " before the first
    assert chosen is not None  # else "no entry for this machine" was raised above
    index, enrolment = chosen
    return enrolment, f"{path} [[terminal]] #{index}"
