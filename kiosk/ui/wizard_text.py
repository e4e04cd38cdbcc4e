"""The words of the first-run wizard: step titles, sync stages, the summary before 注册, the outcome.

Plain data and functions (no Qt), so the wording is checked and reused without a screen.
"""

from __future__ import annotations

from kiosk.services.provisioning import Enrolment, full_name

#: (title, the fields checked before going on)
STEPS = (
    ("连接省级平台", ("hub", "code")),
    ("终端名称和安放地点", ("name", "address")),
    ("所在县区和乡镇", ("region",)),
    ("终端位置（经纬度）", ("lat",)),
    ("设置管理密码", ("pin", "pin_again")),
    ("屏幕方向和长辈模式", ("orientation",)),
    ("核对并注册", ()),
)
PIN_HELP = "管理密码用于进入终端管理（三秒内在屏幕右上角连点五下）。6 到 12 位数字，不要用 123456 这类容易猜的。"
SYNC_STAGES = ("metadata", "content", "media", "outbox", "heartbeat", "done")
STAGE_TEXT = {
    "probe": "正在连接平台……",
    "enrol": "正在向平台注册……",
    "metadata": "正在核验签名……",
    "content": "正在下载法律法规和服务信息（约一分钟）……",
    "media": "正在下载图片和视频……",
    "outbox": "正在上报……",
    "heartbeat": "正在向平台报到……",
    "done": "完成",
}
BEFORE_ENROL = "请核对以上信息，无误后点“注册”。注册后终端会下载全部法律法规，需要几分钟，请保持联网。"
DONE = "设置完成，终端已注册并下载了最新内容。"
DONE_NEXT = "点“进入首页”开始使用。"
PARTLY_DONE = "已注册，但第一次同步没有完成。"
#: Why the first sync did not finish (by ``kiosk sync`` exit code), and what happens next.
SYNC_FAILED = {
    1: "同步时程序出错",
    3: "平台不认可本终端的注册",
    4: "连不上平台或平台暂时无响应",
    5: "平台发来的内容未通过签名核验，已拒绝使用",
    6: "另一个同步正在进行",
}
RETRY_LATER = "终端会在后台自动重试；也可以先进入首页，内容下载完后自动显示。"
ORIENTATIONS = {"portrait": "竖屏 1080×1920", "landscape": "横屏 1920×1080"}
TEXT_SIZES = {False: "标准字号", True: "长辈模式（大字）"}


def summary(values: Enrolment) -> list[tuple[str, str]]:
    """What the technician entered, as shown on the last step before 注册 (the PIN never)."""
    v = values.resolved()
    where = f"{full_name(v.region)}（{v.region}）" if v.region else ""
    return [
        ("平台地址", v.hub),
        ("注册码", v.code),
        ("终端名称", v.name),
        ("安放地址", v.address or "（未填）"),
        ("所在地区", where),
        ("经纬度", f"{v.lat}, {v.lon}" if v.lat is not None and v.lon is not None else ""),
        ("管理密码", "已设置（6 到 12 位数字）" if v.pin else ""),
        ("屏幕方向", ORIENTATIONS.get(v.orientation, v.orientation)),
        ("默认字号", TEXT_SIZES[bool(v.elder_default)]),
    ]


def partly_done_text(exit_code: int) -> str:
    reason = SYNC_FAILED.get(exit_code, f"同步未成功（代码 {exit_code}）")
    return f"{reason}。{RETRY_LATER}"
