"""Residents' requests (预约、回电、调解申请、投诉): what is asked, consent, validation, reference numbers.

Personal data is asked for only after the PIPL notice has been shown and consent given; the
request is then queued in the outbox and kept on the terminal only until the platform acknowledges
it. This module decides what a valid request is; storing it is the outbox's job.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass, field
from enum import Enum

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
NAME_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z·• ]{1,20}$")
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone

PIPL_NOTICE = (
    "个人信息告知：您填写的姓名、电话和事项由孝感市公共法律服务中心（示例）收集，"
    "仅用于办理本次预约、回电、调解或投诉。信息加密传送至省公共法律服务平台，"
    "平台确认收到后立即从本终端删除；平台按政务服务档案规定保存，办结后最长保存三年。"
    "您可以拨打12348查询、更正或要求删除。不同意则无法提交，您仍可拨打12348办理。"
)


class RequestKind(Enum):
    APPOINTMENT = "appointment"
    CALLBACK = "callback"
    MEDIATION = "mediation"
    COMPLAINT = "complaint"

    @property
    def label(self) -> str:
        return {
            "appointment": "预约办理",
            "callback": "预约回电",
            "mediation": "申请人民调解",
            "complaint": "投诉",
        }[self.value]

    @property
    def fields(self) -> tuple[str, ...]:
        """Only what is needed to act on the request (PIPL: minimum necessary)."""
        base = ("name", "phone", "matter")
        if self is RequestKind.APPOINTMENT:
            return (*base, "institution", "preferred_time")
        if self is RequestKind.CALLBACK:
            return (*base, "preferred_time")
        return base

    @property
    def optional(self) -> frozenset[str]:
        """Fields that may stay empty: for a call-back or an appointment the lawyer asks about the
        matter on the phone (and the topic usually came along); a complaint or mediation needs it."""
        return frozenset({"matter"}) if self in (RequestKind.APPOINTMENT, RequestKind.CALLBACK) else frozenset()


#: Chips for the matter, so nobody has to type it.
MATTER_CHIPS = (
    "拖欠工资",
    "劳动合同",
    "工伤",
    "婚姻家庭",
    "继承",
    "邻里纠纷",
    "土地宅基地",
    "借款欠款",
    "交通事故",
    "其他",
)

FIELD_LABELS = {
    "name": "姓名",
    "phone": "联系电话",
    "matter": "事项简述",
    "institution": "办理机构",
    "preferred_time": "希望的时间",
}


class ConsentRequired(Exception):
    """A request was submitted before the resident agreed to the notice."""


@dataclass
class RequestForm:
    kind: RequestKind
    consent: bool = False
    values: dict[str, str] = field(default_factory=dict)
    #: What the resident was reading when they asked (a law article, a guide, a case): carried along.
    topic: str = ""

    def errors(self) -> dict[str, str]:
        """Field → message in Chinese, for the form to show next to each field."""
        problems: dict[str, str] = {}
        for name in self.kind.fields:
            value = self.values.get(name, "").strip()
            if not value and name not in self.kind.optional:
                problems[name] = f"请填写{FIELD_LABELS[name]}"
        name = self.values.get("name", "").strip()
        if name and not NAME_RE.match(name):
            problems["name"] = "姓名请填写1至20个汉字或字母"
        phone = self.values.get("phone", "").replace(" ", "")
        if phone and not PHONE_RE.match(phone):
            problems["phone"] = "请填写11位手机号码或带区号的固定电话（如0712-2345678）"
        matter = self.values.get("matter", "").strip()
        if len(matter) > 300:
            problems["matter"] = "事项简述请不超过300字"
        return problems

    def submission(self) -> dict[str, str]:
        """The payload to queue; raises when consent is missing or a field is invalid."""
        if not self.consent:
            raise ConsentRequired("同意个人信息告知后才能提交")
        problems = self.errors()
        if problems:
            raise ValueError("; ".join(f"{FIELD_LABELS[k]}: {v}" for k, v in problems.items()))
        payload = {name: self.values.get(name, "").strip() for name in self.kind.fields}
        payload["phone"] = payload["phone"].replace(" ", "")
        payload["kind"] = self.kind.value
        if self.topic:
            payload["topic"] = self.topic
        payload["reference"] = new_reference()
        return payload

    def wipe(self) -> None:
        """Forget everything typed (walk-away, cancel, after submission)."""
        self.values.clear()
        self.consent = False
        self.topic = ""


def reference_text(kind: RequestKind, reference: str) -> str:
    """What the resident's phone keeps from the QR code: the number and how to ask about it, nothing
    personal (no name, no phone number, no matter)."""
    return f"{kind.label} 编号：{reference}\n孝感市公共法律服务（示例）\n查询进度请拨打 12348 并报上编号"


def new_reference(now: float | None = None) -> str:
    """A reference number residents can read out: date plus six unambiguous characters."""
    stamp = time.strftime("%y%m%d", time.localtime(now if now is not None else time.time()))
    tail = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
    return f"{stamp}-{tail}"
