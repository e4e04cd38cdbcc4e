"""``kiosk doctor`` against a real platform on 127.0.0.1: each fault is made for real and fails its
check with a fix; the fixes that can run here are run as written and cure the fault."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
from pathlib import Path
from typing import Any

from sync_harness import PY, REPO, Hub, Terminal, env, run, wait_for

Report = dict[str, dict[str, Any]]


def doctor(term: Terminal) -> Report:
    done = run("kiosk.cli", "--data-dir", term.root, "doctor", "--json", check=False, timeout=120)
    report = json.loads(done.stdout)
    assert done.returncode == (0 if report["ok"] else 1)
    return {c["name"]: c for c in report["checks"]}


def test_a_healthy_enrolled_terminal_passes_the_platform_checks(hub: Hub, terminal: Terminal) -> None:
    checks = doctor(terminal)
    for name in ("platform", "enrolment", "clock", "trust-root", "database", "content", "last-sync", "outbox"):
        assert checks[name]["ok"], checks[name]
    assert checks["enrolment"]["detail"] == "平台确认本终端在用：测试终端"
    assert checks["content"]["detail"].startswith("内容版本 1，")


def test_revoked_terminal(hub: Hub, terminal: Terminal) -> None:
    old = terminal.device_id()
    hub.cli("revoke", old)
    check = doctor(terminal)["enrolment"]
    assert not check["ok"] and "平台已停用本终端" in check["detail"]
    # The fix as written: the code command on the platform, then the enrolment command with the new code.
    on_hub, _, here = check["fix"].partition("；再在本机运行 ")
    assert shlex.split(on_hub.partition("：")[2]) == ["kiosk-hub", "enrol-code", "--name", "测试终端"]
    command = shlex.split(here.partition("（")[0])
    assert command[:3] == ["kiosk", "provision", "--force"]
    code = hub.enrol_code("测试终端")
    args = [code if arg == "新注册码" else arg for arg in command[1:]]
    done = run("kiosk.cli", "--data-dir", terminal.root, *args, "--pin", "739155", check=False)
    assert done.returncode == 0, done.stderr
    assert doctor(terminal)["enrolment"]["ok"] and terminal.device_id() != old


def test_unknown_to_the_platform(hub: Hub, terminal: Terminal) -> None:
    (terminal.paths.state_dir / "device_token").write_text("a-token-this-platform-never-issued")
    check = doctor(terminal)["enrolment"]
    assert not check["ok"] and "平台不认识本终端" in check["detail"] and "kiosk provision --force" in check["fix"]


def test_platform_down(hub: Hub, terminal: Terminal) -> None:
    hub.stop()
    checks = doctor(terminal)
    assert not checks["platform"]["ok"] and checks["platform"]["detail"].startswith(f"连不上平台 {hub.url}")
    assert "检查网线或 4G 模块" in checks["platform"]["fix"]
    assert not checks["enrolment"]["ok"] and checks["enrolment"]["fix"] == "先修复 platform 项"


def test_clock_skew_against_the_platform(hub: Hub, terminal: Terminal) -> None:
    assert hub.call("POST", "/_test/clock", {"offset_seconds": 3600})[0] == 200  # the platform is an hour ahead
    check = doctor(terminal)["clock"]
    assert not check["ok"] and "本机时间比平台慢 3600 秒" in check["detail"]
    assert check["fix"].startswith("timedatectl set-ntp true")
    hub.call("POST", "/_test/clock", {"offset_seconds": 0})
    assert doctor(terminal)["clock"]["ok"]


def _ctrl_c_reaches_python() -> None:
    """In the child, before Python starts: SIGINT handled by default. A test run started in the
    background of a non-interactive shell ignores SIGINT and its children inherit that; Python then
    installs no KeyboardInterrupt handler and the Ctrl-C these tests send is lost (seen: a timeout)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_no_laws_after_an_interrupted_first_sync(hub: Hub, tmp_path: Path) -> None:
    fresh = Terminal(tmp_path / "fresh")
    fresh.provision(hub)
    # The content package stalls after 20 kB (the small index passes whole); Ctrl-C while it hangs.
    hub.faults(
        {"match": "/repo/targets/content/", "action": "stall", "after_bytes": 20_000, "seconds": 60, "times": -1}
    )
    sync = subprocess.Popen(
        [PY, "-m", "kiosk.cli", "--data-dir", str(fresh.root), "sync", "--read-timeout", "30"],
        env=env(),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ctrl_c_reaches_python,
    )
    try:
        wait_for(lambda: sum(r["path"].startswith("/repo/targets/content/") for r in hub.log()) >= 2, timeout=60)
        os.kill(sync.pid, signal.SIGINT)
        _out, err = sync.communicate(timeout=30)
    finally:
        if sync.poll() is None:
            sync.kill()
            sync.communicate()
    assert sync.returncode == 130 and "Traceback" not in err and "已中断（Ctrl-C）" in err
    hub.reset()
    check = doctor(fresh)["content"]
    assert not check["ok"] and check["detail"].startswith("内容为空：0 部法规，内容版本 无")
    assert check["fix"].startswith("kiosk sync")
    assert fresh.sync_cli().returncode == 0  # the fix, as written
    assert doctor(fresh)["content"]["ok"]


def test_broken_trust_root_is_repaired_without_a_code_or_a_second_device(hub: Hub, terminal: Terminal) -> None:
    for path in (terminal.paths.trust_root, terminal.paths.state_dir / "tuf" / "metadata" / "root.json"):
        path.write_text("{not json")
    check = doctor(terminal)["trust-root"]
    assert not check["ok"] and check["fix"].startswith("kiosk provision --repair-trust-root")
    devices_before = hub.call("GET", "/api/v1/admin/devices", admin=True)[1]["devices"]
    done = run("kiosk.cli", "--data-dir", terminal.root, "provision", "--repair-trust-root", check=False)
    assert done.returncode == 0, done.stderr
    assert doctor(terminal)["trust-root"]["ok"]
    assert terminal.sync_cli().returncode == 0
    devices_after = hub.call("GET", "/api/v1/admin/devices", admin=True)[1]["devices"]
    assert [d["device_id"] for d in devices_after] == [d["device_id"] for d in devices_before]
    assert not any(d["revoked"] for d in devices_after)


def test_ctrl_c_while_enrolling_prints_a_sentence_not_a_traceback(hub: Hub, tmp_path: Path) -> None:
    hub.faults({"match": "/api/v1/enrol", "action": "stall", "seconds": 60, "times": -1})
    args = ["--hub", hub.url, "--code", hub.enrol_code(), "--name", "示例终端", "--region", "420902"]
    provision = subprocess.Popen(
        [PY, "-m", "kiosk.cli", "--data-dir", str(tmp_path / "t"), "provision", "--non-interactive", *args,
         "--pin", "739155"],
        env=env(), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=_ctrl_c_reaches_python,
    )  # fmt: skip
    try:
        wait_for(lambda: any(r["path"] == "/api/v1/enrol" for r in hub.log()), timeout=30)
        os.kill(provision.pid, signal.SIGINT)
        _out, err = provision.communicate(timeout=30)
    finally:
        if provision.poll() is None:
            provision.kill()
            provision.communicate()
    assert provision.returncode == 130 and "Traceback" not in err
    assert "已中断（Ctrl-C），本终端没有注册" in err
