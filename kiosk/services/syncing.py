"""The background sync and its saved status, for the running kiosk and the admin panel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.paths import DataPaths

#: A stage of a run, as the technician reads it.
STAGE_NAMES = {
    "device": "读取注册信息",
    "lock": "等待其他同步",
    "metadata": "核验签名",
    "content": "更新内容",
    "media": "下载媒体",
    "outbox": "上报数据",
    "heartbeat": "报到",
}
#: The outcome of a stage or a run, in Chinese.
OUTCOMES = {
    "ok": "成功",
    "skipped": "跳过",
    "unreachable": "连不上平台",
    "refused": "被拒绝",
    "internal_error": "程序出错",
    "not_provisioned": "未注册",
    "busy": "另一同步进行中",
}
#: What a failed run means and what to do, by the run's result.
ADVICE = {
    "unreachable": "连不上平台。请检查网线或 4G 网络，稍后点“立即同步”重试。",
    "refused": "平台拒绝了本终端的请求。请运行 kiosk doctor 查看原因和修复方法。",
    "internal_error": "同步程序出错。请把“详情”中的内容告诉技术支持。",
    "not_provisioned": "本终端尚未注册到平台，请用 kiosk provision 或首次设置向导注册。",
    "busy": "另一个同步正在进行，请稍后再看。",
}
REVOKED = "本终端已被平台停用。请联系平台管理员，按运维手册更换或重新注册终端。"


@dataclass(frozen=True)
class SyncSummary:
    """The last sync for the admin panel: a Chinese headline and stages, the raw detail behind 详情."""

    ok: bool | None  # None: never synced
    headline: str
    stages: str
    advice: str
    detail: str


def _when(iso: str | None) -> str:
    return iso[:16].replace("T", " ") if iso else ""


class SyncService:
    def __init__(self, paths: DataPaths):
        self.paths = paths

    @property
    def enrolled(self) -> bool:
        return self.paths.device_file.exists()

    def background(
        self, on_result: Callable[[Any], None], on_line: Callable[[dict[str, Any]], None]
    ) -> Any:  # kiosk.sync.schedule.BackgroundSync, loaded only on an enrolled terminal
        from kiosk.sync.schedule import BackgroundSync

        return BackgroundSync(self.paths, on_result=on_result, on_line=on_line)

    def is_stale(self, limit_days: int) -> bool:
        from kiosk.sync.status import read_status

        return read_status(self.paths).is_stale(limit_days)

    def last_sync(self) -> SyncSummary:
        """Read fresh from ``state/sync_status.json`` on every call."""
        from kiosk.sync.status import read_status

        status = read_status(self.paths)
        if not status.last_attempt:
            return SyncSummary(None, "还没有同步过。", "", "", "")
        ok = status.result == "ok"
        headline = f"上次同步：{_when(status.last_attempt)}，" + ("成功。" if ok else "未成功。")
        if status.last_success and not ok:
            headline += f"上次成功：{_when(status.last_success)}。"
        stages = "　".join(
            f"{STAGE_NAMES.get(name, name)}：{OUTCOMES.get(outcome, outcome)}"
            for name, outcome in status.stages.items()
        )
        advice = ""
        if not ok:
            revoked = "revoked" in status.message
            advice = REVOKED if revoked else ADVICE.get(status.result or "", "同步未成功，请运行 kiosk doctor。")
        detail = ""
        if status.message or not ok:
            detail = f"result={status.result} exit_code={status.exit_code}\n{status.message}".strip()
        return SyncSummary(ok, headline, stages, advice, detail)
