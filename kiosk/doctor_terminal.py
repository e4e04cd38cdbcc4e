"""Doctor checks of what this terminal holds: databases, content, the last sync, the outbox, the trust root."""

from __future__ import annotations

import datetime as dt
import sqlite3

from kiosk.doctor_base import Check
from kiosk.paths import DataPaths

#: A terminal that has not synced for this long shows outdated law texts.
MAX_SYNC_AGE = dt.timedelta(days=2)
#: Events older than this in the outbox mean uploads have been failing.
MAX_OUTBOX_AGE = dt.timedelta(days=2)
FIX_SYNC = "kiosk sync（看每一行的 stage/status；连不上时先修复 platform 项）"
FIX_ENROL = "kiosk provision --first-sync（注册并取得内容；只做演示时用 kiosk demo-data）"


def _fetch_fix(paths: DataPaths) -> str:
    return FIX_SYNC if paths.device_file.exists() else FIX_ENROL


def _age(delta: dt.timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.0f} 小时" if hours < 48 else f"{hours / 24:.0f} 天"


def check_database(paths: DataPaths) -> Check:
    results = []
    for db in (paths.content_db, paths.outbox_db):
        if not db.exists():
            if db == paths.content_db:
                return Check("database", False, f"没有内容数据库 {db}", _fetch_fix(paths))
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
                f"{db.name} 已损坏：{verdict}",
                f"systemctl stop legal-kiosk；mv {db} {db}.broken；kiosk sync；systemctl start legal-kiosk",
            )
        results.append(db.name)
    return Check("database", True, f"完整性正常：{'、'.join(results)}")


def check_content(paths: DataPaths) -> Check:
    """Laws present and a content version: an interrupted first sync leaves an empty database."""
    if not paths.content_db.exists():
        return Check("content", False, "没有内容数据库：居民查不到任何法规", _fetch_fix(paths))
    try:
        con = sqlite3.connect(f"file:{paths.content_db}?mode=ro", uri=True, timeout=10)
        try:
            laws = con.execute("SELECT COUNT(*) FROM law").fetchone()[0]
            row = con.execute("SELECT value FROM meta WHERE key = 'content_version'").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return Check("content", False, f"内容数据库读不出：{exc}", "先修复 database 项")
    version = row[0] if row else None
    if not laws or not version:
        return Check(
            "content",
            False,
            f"内容为空：{laws} 部法规，内容版本 {version or '无'}（首次同步被中断？）：居民查不到法规",
            _fetch_fix(paths),
        )
    return Check("content", True, f"内容版本 {version}，{laws} 部法规")


def check_last_sync(paths: DataPaths) -> Check:
    from kiosk.sync.status import read_status

    if not paths.device_file.exists():
        return Check("last-sync", True, "未注册的终端不同步（演示模式）")
    status = read_status(paths)
    if not status.last_attempt:
        return Check("last-sync", False, "注册后还没有同步过", FIX_SYNC)
    if status.result != "ok":
        stages = "，".join(f"{k}={v}" for k, v in status.stages.items() if v != "ok")
        return Check(
            "last-sync", False, f"上次同步 {status.last_attempt[:16]} 未成功（{status.result}：{stages}）", FIX_SYNC
        )
    when = status.last_success_time()
    age = dt.datetime.now(dt.UTC) - when if when else None
    if age is None or age > MAX_SYNC_AGE:
        shown = _age(age) if age else "很久"
        return Check("last-sync", False, f"上次成功同步在 {shown}前：内容可能过时", FIX_SYNC)
    return Check("last-sync", True, f"上次同步成功，{_age(age)}前")


def check_outbox(paths: DataPaths) -> Check:
    if not paths.outbox_db.exists():
        return Check("outbox", True, "没有待上报的数据")
    try:
        con = sqlite3.connect(f"file:{paths.outbox_db}?mode=ro", uri=True, timeout=10)
        try:
            count, oldest = con.execute(
                "SELECT COUNT(*), MIN(created) FROM outbox_event WHERE state = 'pending'"
            ).fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return Check("outbox", False, f"待上报数据库读不出：{exc}", "先修复 database 项")
    if not count:
        return Check("outbox", True, "没有待上报的数据")
    try:
        since = dt.datetime.fromisoformat(str(oldest))
        since = since if since.tzinfo else since.replace(tzinfo=dt.UTC)
        age = dt.datetime.now(dt.UTC) - since
    except ValueError:
        return Check("outbox", True, f"待上报 {count} 条")
    if age > MAX_OUTBOX_AGE:
        return Check("outbox", False, f"待上报 {count} 条，最早的已积压 {_age(age)}：上报一直失败", FIX_SYNC)
    return Check("outbox", True, f"待上报 {count} 条，最早的 {_age(age)}前")


def check_trust_root(paths: DataPaths) -> Check:
    from tuf.api.exceptions import RepositoryError
    from tuf.api.metadata import Metadata, Root

    fix = "kiosk provision --repair-trust-root（向平台重新取得信任根，不需新注册码，不产生新终端）"
    if not paths.device_file.exists():
        fix = FIX_ENROL
    path = paths.trust_root
    if not path.exists():
        return Check("trust-root", False, f"没有信任根 {path}", fix)
    current = paths.state_dir / "tuf" / "metadata" / "root.json"  # after syncs: the newest root followed
    if current.exists():
        path = current
    try:
        root = Metadata[Root].from_bytes(path.read_bytes())
        root.verify_delegate(Root.type, root)
    except (ValueError, RepositoryError, KeyError) as exc:
        return Check("trust-root", False, f"信任根 {path} 无效：{exc}", fix)
    return Check("trust-root", True, f"信任根第 {root.signed.version} 版，{root.signed.expires:%Y-%m-%d} 到期")
