"""Doctor checks that ask the platform: can it be reached, does it know this terminal (revoked,
unknown), and does its clock agree with ours. One ``GET /api/v1/device`` serves all three."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.doctor_base import CLOCK_FLOOR, Check
from kiosk.paths import DataPaths

#: Beyond this difference signed metadata may look expired or not yet valid, and logs disagree.
MAX_SKEW_SECONDS = 120
FIX_NETWORK = "检查网线或 4G 模块，ping 平台主机；平台在维护时稍后再运行 kiosk doctor"


def fix_reenrol(paths: DataPaths, hub: str) -> str:
    """A new code on the platform, then enrolment again with this terminal's own values (the PIN is asked);
    ``hub`` is the address the terminal really talks to (``device.json``)."""
    import shlex

    from kiosk.config import Config, ConfigError

    try:
        c = Config.load(paths.config_file)
    except ConfigError:
        return "在平台上签发新注册码（kiosk-hub enrol-code --name 终端名称），再在本机运行 kiosk provision --force"
    name = shlex.quote(c.terminal_name or "终端名称")
    return (
        f"在平台上签发新注册码：kiosk-hub enrol-code --name {name}；再在本机运行 "
        f"kiosk provision --force --hub {shlex.quote(hub)} --code 新注册码 --name {name} "
        f"--region {c.region_code} --lat {c.latitude} --lon {c.longitude}（按提示设置管理密码）"
    )


@dataclass(frozen=True)
class PlatformAnswer:
    """What ``GET /api/v1/device`` said: ``state`` is one of not_enrolled / unreachable / revoked /
    unknown / error / active."""

    state: str
    hub_url: str = ""
    detail: str = ""
    name: str = ""
    server_time: dt.datetime | None = None
    local_time: dt.datetime | None = None


_answers: dict[str, PlatformAnswer] = {}


def forget() -> None:
    _answers.clear()


def ask_platform(paths: DataPaths) -> PlatformAnswer:
    key = str(paths.root)
    if key not in _answers:
        _answers[key] = _ask(paths)
    return _answers[key]


def _ask(paths: DataPaths) -> PlatformAnswer:
    from kiosk.sync import errors as E
    from kiosk.sync.device import load_device, load_token
    from kiosk.sync.http import Http, NetPolicy

    try:
        device = load_device(paths)
        token = load_token(paths)
    except E.NotProvisioned as exc:
        return PlatformAnswer("not_enrolled", detail=str(exc))
    http = Http(NetPolicy(connect_timeout=5, read_timeout=10, attempts=1, allow_http=device.allow_http))
    sent = dt.datetime.now(dt.UTC)
    try:
        _, reply = http.call("GET", device.api("device"), None, token)
    except E.DeviceRevoked as exc:
        return PlatformAnswer("revoked", device.hub_url, str(exc))
    except E.NotProvisioned as exc:
        return PlatformAnswer("unknown", device.hub_url, str(exc))
    except E.PlatformUnreachable as exc:
        return PlatformAnswer("unreachable", device.hub_url, str(exc))
    except E.SyncError as exc:
        return PlatformAnswer("error", device.hub_url, str(exc))
    # The platform read its clock somewhere during the round trip; its middle is the fairest guess.
    local = sent + (dt.datetime.now(dt.UTC) - sent) / 2
    try:
        server = dt.datetime.fromisoformat(str(reply.get("server_time")))
        server = server if server.tzinfo else server.replace(tzinfo=dt.UTC)
    except ValueError:
        server = None
    return PlatformAnswer("active", device.hub_url, "", str(reply.get("name", "")), server, local)


def check_platform(paths: DataPaths) -> Check:
    answer = ask_platform(paths)
    if answer.state == "not_enrolled":
        return Check("platform", False, "本终端尚未注册，没有平台地址", "kiosk provision（按提示输入平台地址和注册码）")
    if answer.state == "unreachable":
        return Check("platform", False, f"连不上平台 {answer.hub_url}（{answer.detail}）", FIX_NETWORK)
    if answer.state == "error":
        return Check(
            "platform",
            False,
            f"平台 {answer.hub_url} 的回答不对（{answer.detail}）",
            "确认平台地址无误、平台软件已升级到支持 /api/v1/device 的版本",
        )
    return Check("platform", True, f"平台 {answer.hub_url} 可以连接")


def check_enrolment(paths: DataPaths) -> Check:
    answer = ask_platform(paths)
    if answer.state == "not_enrolled":
        return Check("enrolment", False, "本终端尚未注册到平台", "kiosk provision（按提示输入平台地址和注册码）")
    if answer.state == "revoked":
        return Check(
            "enrolment",
            False,
            "平台已停用本终端（device_revoked）：不再接收内容，上报被拒绝",
            fix_reenrol(paths, answer.hub_url),
        )
    if answer.state == "unknown":
        return Check(
            "enrolment",
            False,
            "平台不认识本终端的令牌（unauthorized）：平台数据被重置，或本机注册信息属于另一个平台",
            fix_reenrol(paths, answer.hub_url),
        )
    if answer.state != "active":
        return Check("enrolment", False, "无法向平台核实注册状态（见 platform 项）", "先修复 platform 项")
    return Check("enrolment", True, f"平台确认本终端在用：{answer.name}")


def check_clock(paths: DataPaths) -> Check:
    now = dt.datetime.now(dt.UTC)
    fix = "timedatectl set-ntp true（联网自动校时），或手动设置：date -s 'YYYY-MM-DD HH:MM'"
    if now < CLOCK_FLOOR:
        return Check("clock", False, f"本机时间是 {now:%Y-%m-%d}，明显不对：签名内容会被拒绝", fix)
    answer = ask_platform(paths)
    if answer.server_time is None or answer.local_time is None:
        return Check("clock", True, f"本机时间 {now:%Y-%m-%d %H:%M} UTC（未能与平台比对）")
    skew = (answer.server_time - answer.local_time).total_seconds()
    if abs(skew) > MAX_SKEW_SECONDS:
        way = "慢" if skew > 0 else "快"
        return Check("clock", False, f"本机时间比平台{way} {abs(skew):.0f} 秒（允许 {MAX_SKEW_SECONDS} 秒）", fix)
    return Check("clock", True, f"本机时间与平台相差 {abs(skew):.0f} 秒")
