"""Every value a technician gives when enrolling a terminal, checked the same way in the touch-screen
wizard and in ``kiosk provision`` (interactive, flags, or a batch TOML file).

Messages are in Chinese (the wizard shows them next to the field); the field names are the CLI's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from kiosk.admin_pin import pin_problem
from kiosk.store.regions import HUBEI_BBOX, REGIONS_FILE, county_of, inside, parse_regions

#: PINs anyone would try first on a public terminal.
ORIENTATIONS = ("portrait", "landscape")
CODE_RE = re.compile(r"^[A-Za-z0-9-]{6,40}$")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    parent: str | None
    latitude: float
    longitude: float
    bbox: list[float] | None

    @property
    def is_town(self) -> bool:
        return len(self.code) > 6


@cache
def regions() -> dict[str, Region]:
    records, problems = parse_regions(REGIONS_FILE)
    if problems:
        raise RuntimeError(f"the shipped region list is broken: {problems[0]}")
    return {code: Region(code, **rec) for code, rec in records.items()}


def counties() -> list[Region]:
    return [r for r in regions().values() if len(r.code) == 6 and r.parent]


def towns(county: str) -> list[Region]:
    return [r for r in regions().values() if r.parent == county]


def full_name(code: str) -> str:
    found = regions()
    names = []
    while code in found:
        names.append(found[code].name)
        code = found[code].parent or ""
    return "".join(reversed(names))


@dataclass
class Enrolment:
    """What enrolling one terminal needs (a missing latitude/longitude means: the region's centre)."""

    hub: str = ""
    code: str = ""
    name: str = ""
    region: str = ""
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    pin: str = ""
    pin_again: str | None = None  # asked twice in the wizard and interactively
    orientation: str = "portrait"
    elder_default: bool = False
    allow_http: bool = False

    def resolved(self) -> Enrolment:
        """With the coordinates filled from the region's centre when none were given."""
        region = regions().get(self.region.strip())
        if region is not None and self.lat is None and self.lon is None:
            return Enrolment(**{**self.__dict__, "lat": region.latitude, "lon": region.longitude})
        return self


def hub_problem(hub: str, allow_http: bool) -> str | None:
    """The platform address in Chinese terms: https, or http only to this machine (tests) or when allowed."""
    from urllib.parse import urlsplit

    from kiosk.sync.http import LOCAL_HOSTS

    if not hub:
        return "请填写平台地址"
    try:
        parts = urlsplit(hub)
        host = parts.hostname
    except ValueError:
        return f"平台地址不可用：{hub} 不是网址"
    if parts.scheme not in ("http", "https"):
        return f"平台地址不可用：要以 https:// 开头（现在是 {hub}）"
    if not host:
        return "平台地址不可用：缺少主机名（如 https://kiosk.example.gov.cn）"
    if parts.scheme == "http" and host not in LOCAL_HOSTS and not allow_http:
        return f"平台地址不可用：{host} 用的是不加密的 http，只允许本机测试；正式平台请用 https://"
    return None


def problems(e: Enrolment) -> dict[str, str]:
    """Field → message for every value that is wrong; empty when all is well (no network is used)."""
    out: dict[str, str] = {}
    hub = hub_problem(e.hub.strip(), e.allow_http)
    if hub:
        out["hub"] = hub
    if not CODE_RE.match(e.code.strip()):
        out["code"] = "注册码是平台发放的一串字母和数字（6 到 40 位）"
    if not 1 <= len(e.name.strip()) <= 40:
        out["name"] = "请填写终端名称（1 到 40 个字）"
    region = regions().get(e.region.strip())
    if region is None or not region.parent:
        out["region"] = f"未知的区划代码 {e.region!r}：请从县区、乡镇列表中选择"
    if len(e.address) > 200:
        out["address"] = "地址不超过 200 个字"
    r = e.resolved()
    if r.lat is None or r.lon is None:
        out["lat"] = "请填写经纬度，或选择乡镇以使用其中心位置"
    elif not inside(list(HUBEI_BBOX), r.lat, r.lon):
        out["lat"] = f"坐标 ({r.lat}, {r.lon}) 不在湖北省内，请检查经纬度（纬度 29–33.3，经度 108.3–116.2）"
    elif region is not None:
        county = regions().get(county_of(region.code))
        if county is not None and county.bbox and not inside(_widen(county.bbox), r.lat, r.lon):
            out["lat"] = f"坐标 ({r.lat}, {r.lon}) 不在{county.name}范围内，请检查经纬度或所选县区"
    pin = pin_problem(e.pin)
    if pin:
        out["pin"] = pin
    elif e.pin_again is not None and e.pin_again != e.pin:
        out["pin_again"] = "两次输入的管理密码不一致"
    if e.orientation not in ORIENTATIONS:
        out["orientation"] = "屏幕方向只能是 portrait（竖屏）或 landscape（横屏）"
    return out


def _widen(bbox: list[float], margin: float = 0.05) -> list[float]:
    """County boxes are approximate: a few kilometres of slack at the border."""
    min_lat, min_lon, max_lat, max_lon = bbox
    return [min_lat - margin, min_lon - margin, max_lat + margin, max_lon + margin]


def number(value: Any, field: str) -> float | None:
    """A typed coordinate: '' means none; anything else must be a decimal number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{field}: {value!r} 不是数字") from None
