"""Satisfaction rating after a service: five levels, a reason for the two lowest, once per session."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

LOW_RATING_REASONS = (
    "没有找到需要的内容",
    "内容看不懂",
    "操作太复杂",
    "等待时间太长",
    "工作人员或律师态度不好",
    "设备故障（屏幕、声音、摄像头）",
    "其他",
)


class Level(Enum):
    VERY_SATISFIED = 5
    SATISFIED = 4
    BASICALLY_SATISFIED = 3
    DISSATISFIED = 2
    VERY_DISSATISFIED = 1

    @property
    def label(self) -> str:
        return {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}[self.value]

    @property
    def needs_reason(self) -> bool:
        return self.value <= 2


class AlreadyRated(Exception):
    pass


class ReasonRequired(Exception):
    pass


@dataclass
class RatingSession:
    """One service session (a law read, a consult, a guide...) and the single rating it may get."""

    service: str
    session_id: str
    rated: bool = False

    def rate(self, level: Level, reason: str | None = None, text: str = "") -> dict[str, object]:
        if self.rated:
            raise AlreadyRated(f"{self.service} session {self.session_id} was already rated")
        if level.needs_reason:
            if reason not in LOW_RATING_REASONS:
                raise ReasonRequired("请选择不满意的原因")
        elif reason is not None:
            raise ValueError("a reason is asked only for the two lowest levels")
        self.rated = True
        return {
            "service": self.service,
            "session": self.session_id,
            "level": level.value,
            "label": level.label,
            "reason": reason,
            "text": text.strip()[:200],
        }
