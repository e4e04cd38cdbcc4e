"""Operator accounts and roles: who may read the report, work the requests desk, run the fleet.

Passwords are stored as argon2id hashes (``argon2-cffi``, as the terminal's admin PIN). Roles:

* ``viewer``  — 报表查看: the report page and CSV.
* ``handler`` — 诉求处理: the requests desk (residents' names and phone numbers) and the report.
* ``admin``   — 终端管理: enrol, revoke, settings, the consult queue, publishing; the report.
  A fleet administrator does not see residents' personal data: that is the handlers' work alone.

The data folder's ``admin.token`` still works as a fleet-administrator credential (scripts and the
terminal-side tests use it: ``Authorization: Bearer <token>``, or Basic with the token as password).
"""

from __future__ import annotations

import base64
import hmac
import re
from dataclasses import dataclass

import argon2
import peewee as pw

from kiosk_hub.db import HubModel, utcnow, write_tx

ROLES = {"viewer": "报表查看", "handler": "诉求处理", "admin": "终端管理"}
#: What each place needs: the roles allowed in.
REPORT = ("viewer", "handler", "admin")
DESK = ("handler",)
FLEET = ("admin",)
USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{1,31}$")
MIN_PASSWORD = 10

_hasher = argon2.PasswordHasher()
#: Verified against when the user does not exist, so a wrong name takes as long as a wrong password.
_DUMMY = _hasher.hash("not-a-real-password")


class Operator(HubModel):
    username = pw.CharField(max_length=32, primary_key=True)
    password_hash = pw.TextField()
    role = pw.CharField(max_length=16)
    created = pw.DateTimeField(default=utcnow)


class AccountError(ValueError):
    pass


@dataclass(frozen=True)
class Who:
    """The authenticated caller: an operator, or the admin token (``username`` "admin-token")."""

    username: str
    role: str


def add_user(username: str, role: str, password: str) -> None:
    if not USERNAME.match(username):
        raise AccountError("用户名须为 2–32 位小写字母、数字或 . _ -，以字母开头")
    if role not in ROLES:
        raise AccountError(f"角色须为 {', '.join(ROLES)} 之一")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 位")
    with write_tx():
        if Operator.get_or_none(Operator.username == username) is not None:
            raise AccountError(f"用户 {username} 已存在")
        Operator.create(username=username, password_hash=_hasher.hash(password), role=role)


def remove_user(username: str) -> None:
    with write_tx():
        if not Operator.delete().where(Operator.username == username).execute():
            raise AccountError(f"没有用户 {username}")


def list_users() -> list[tuple[str, str, str]]:
    return [
        (o.username, o.role, o.created.isoformat(timespec="minutes"))
        for o in Operator.select().order_by(Operator.username)
    ]


def verify(username: str, password: str) -> Who | None:
    row = Operator.get_or_none(Operator.username == username)
    try:
        _hasher.verify(row.password_hash if row is not None else _DUMMY, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return None
    return Who(row.username, row.role) if row is not None else None


def authenticate(header: str | None, admin_token: str) -> Who | None:
    """``Basic user:password`` (an operator), or the admin token as Bearer or Basic password."""
    if not header:
        return None
    if header.startswith("Bearer "):
        given = header[7:].strip()
        if admin_token and hmac.compare_digest(given.encode(), admin_token.encode()):
            return Who("admin-token", "admin")
        return None
    if not header.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:].strip(), validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    if admin_token and hmac.compare_digest(password.encode(), admin_token.encode()):
        return Who("admin-token", "admin")
    return verify(user, password)
