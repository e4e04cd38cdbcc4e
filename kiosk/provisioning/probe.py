"""Is the platform there? Asked right after the technician types its address (wizard step 1 and the
interactive ``kiosk provision``), so a wrong address or a dead network shows at once, not at the end.

Any HTTP answer counts as reachable (the real provincial platform need not have ``/healthz``);
what enrolment itself refuses is reported by :mod:`kiosk.provisioning.enrol`.
"""

from __future__ import annotations

import json
import logging

from kiosk.sync import errors as E
from kiosk.sync.http import Http, NetPolicy

log = logging.getLogger(__name__)

PROBE_PATH = "healthz"


def unreachable_message(hub: str) -> str:
    return f"连不上平台 {hub}：请检查网线或 4G 是否连通、地址是否抄对（含 https:// 和端口）"


def untrusted_message(hub: str) -> str:
    return f"平台 {hub} 的安全证书无法验证：请核对地址，并检查终端的日期和时间是否正确"


def platform_problem(hub: str, allow_http: bool = False, timeout: float = 5.0) -> str | None:
    """None when the platform answers at ``hub``; else the message to show next to the address."""
    from kiosk.provisioning.validate import hub_problem

    problem = hub_problem(hub.strip(), allow_http)
    if problem:
        return problem
    http = Http(NetPolicy(connect_timeout=timeout, read_timeout=timeout, attempts=1, allow_http=allow_http))
    try:
        http.request("GET", hub.strip().rstrip("/") + "/" + PROBE_PATH).close()
    except E.VerificationRefused:
        return untrusted_message(hub.strip())
    except E.SyncError:
        return unreachable_message(hub.strip())
    finally:
        http.session.close()
    return None


def code_problem(hub: str, code: str, allow_http: bool = False, timeout: float = 5.0) -> tuple[str | None, str]:
    """Ask the platform whether ``code`` would enrol (``POST /api/v1/enrol/check``, the code is not used).

    Returns (problem, name): the refusal in Chinese, or None and the terminal name the code was made for.
    A platform that does not know the call, or cannot be reached, gives no verdict: enrolment says it.
    """
    from kiosk.provisioning.enrol import ENROL_REFUSALS

    http = Http(NetPolicy(connect_timeout=timeout, read_timeout=timeout, attempts=1, allow_http=allow_http))
    try:
        resp = http.request("POST", hub.strip().rstrip("/") + "/api/v1/enrol/check", json_body={"code": code.strip()})
        try:
            reply = resp.json()
        except ValueError:
            reply = {}
        resp.close()
    except E.SyncError:
        return None, ""
    finally:
        http.session.close()
    if not isinstance(reply, dict):
        return None, ""
    if resp.status_code == 200:
        return None, str(reply.get("name", ""))
    error = str(reply.get("error", ""))
    if resp.status_code == 403 and error in ENROL_REFUSALS:
        log.info(json.dumps({"event": "enrol_code_refused", "error": error, "checked": True}))
        return ENROL_REFUSALS[error], ""
    return None, ""
