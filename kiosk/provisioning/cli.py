"""``kiosk provision``: the wizard's steps in a terminal — interactively, from flags, or from a batch file.

Exit codes: 0 enrolled, 2 a value is wrong (each printed as ``field: message``), the sync codes for
the platform (3 refused, 4 unreachable), 1 anything else.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.paths import DataPaths
from kiosk.provisioning.validate import Enrolment, Region, counties, full_name, number, problems, regions, towns
from kiosk.sync import errors as E

EXIT_BAD_VALUE = 2
EXIT_INTERRUPTED = 130  # the shell's convention for a program ended by Ctrl-C
PROMPTS = {
    "hub": "平台地址（如 https://hub.example.gov.cn/）",
    "code": "注册码",
    "name": "终端名称",
    "address": "安放地址（可不填）",
    "pin": "管理密码（6 到 12 位数字）",
    "pin_again": "再输一次管理密码",
}


def _platform_problem(hub: str, allow_http: bool) -> str | None:
    from kiosk.provisioning.probe import platform_problem  # the HTTP client loads only when prompting

    return platform_problem(hub, allow_http)


def _from_flags(args: argparse.Namespace) -> Enrolment:
    return Enrolment(
        hub=args.hub or "",
        code=args.code or "",
        name=args.name or "",
        region=args.region or "",
        address=args.address or "",
        lat=number(args.lat, "lat"),
        lon=number(args.lon, "lon"),
        pin=args.pin or "",
        orientation=args.orientation or "portrait",
        elder_default=bool(args.elder_default),
        allow_http=bool(args.allow_http),
    )


class Prompter:
    """Asks for what is missing, one field at a time, until each value passes its check.

    ``probe`` asks the platform whether it answers at the typed address (a message when not).
    """

    def __init__(
        self,
        ask: Callable[[str], str],
        ask_secret: Callable[[str], str],
        say: Callable[[str], None],
        probe: Callable[[str, bool], str | None] | None = None,
    ):
        self.ask = ask
        self.ask_secret = ask_secret
        self.say = say
        self.probe = probe or _platform_problem

    def _field(self, e: Enrolment, name: str, secret: bool = False) -> None:
        while True:
            if getattr(e, name) in ("", None):
                value = (self.ask_secret if secret else self.ask)(PROMPTS[name] + "：").strip()
                setattr(e, name, value)
            problem = problems(e).get(name)
            if problem is None and name == "hub":
                self.say(f"  正在连接 {e.hub} ……")
                problem = self.probe(e.hub, e.allow_http)
            if problem is None or name == "address":
                return
            self.say(f"  {problem}")
            setattr(e, name, "")

    def _screen(self, e: Enrolment) -> None:
        """Orientation and the default text size, as on the wizard's sixth step (Enter keeps the default)."""
        while True:
            answer = self.ask("屏幕方向：1 竖屏（默认）  2 横屏：").strip()
            if answer in ("", "1", "2"):
                e.orientation = "landscape" if answer == "2" else "portrait"
                break
            self.say("  请输入 1 或 2")
        while True:
            answer = self.ask("默认字号：1 标准（默认）  2 长辈模式（大字）：").strip()
            if answer in ("", "1", "2"):
                e.elder_default = answer == "2"
                break
            self.say("  请输入 1 或 2")

    def _region(self, e: Enrolment) -> None:
        while not e.region or problems(e).get("region"):
            if e.region:
                self.say(f"  {problems(e)['region']}")
            options = counties()
            for i, c in enumerate(options, start=1):
                self.say(f"  {i}. {c.name} ({c.code})")
            county = self._choose("县区（序号或区划代码）", options)
            if county is None:
                e.region = ""
                continue
            choices = towns(county.code)
            for i, t in enumerate(choices, start=1):
                self.say(f"  {i}. {t.name} ({t.code})")
            town = self._choose("乡镇街道（序号或区划代码，回车表示只选县区）", choices, allow_empty=True)
            e.region = (town or county).code
        self.say(f"  → {full_name(e.region)}")

    def _choose(self, prompt: str, options: list[Region], allow_empty: bool = False) -> Region | None:
        answer = self.ask(prompt + "：").strip()
        if not answer and allow_empty:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(options):
            return options[int(answer) - 1]
        found = [o for o in options if o.code == answer]
        if not found:
            self.say(f"  没有 {answer!r} 这一项")
        return found[0] if found else None

    def _coordinates(self, e: Enrolment) -> None:
        while e.lat is None or problems(e).get("lat"):
            if e.lat is not None:
                self.say(f"  {problems(e)['lat']}")
            centre = regions()[e.region]
            text = self.ask(
                f"经纬度，如 30.9246,113.9167（回车使用{centre.name}中心 {centre.latitude},{centre.longitude}）："
            )
            if not text.strip():
                e.lat, e.lon = centre.latitude, centre.longitude
                continue
            try:
                lat, _, lon = text.replace("，", ",").partition(",")
                e.lat, e.lon = number(lat, "lat"), number(lon, "lon")
            except ValueError as exc:
                self.say(f"  {exc}")
                e.lat = e.lon = None

    def complete(self, e: Enrolment, ask_screen: bool = True) -> Enrolment:
        self._field(e, "hub")
        self._field(e, "code")
        self._field(e, "name")
        self._region(e)
        self._field(e, "address")
        self._coordinates(e)
        self._field(e, "pin", secret=True)
        while True:
            e.pin_again = self.ask_secret(PROMPTS["pin_again"] + "：").strip()
            if not problems(e).get("pin_again"):
                break
            self.say(f"  {problems(e)['pin_again']}")
            e.pin, e.pin_again = "", None
            self._field(e, "pin", secret=True)
        if ask_screen:
            self._screen(e)
        return e


def _print_problems(found: dict[str, str], where: str = "") -> None:
    for field, message in found.items():
        print(f"error: {where}{' ' if where else ''}{field}: {message}", file=sys.stderr)


def _repair(paths: DataPaths) -> int:
    from kiosk.provisioning.repair import repair_trust_root

    try:
        version = repair_trust_root(paths)
    except E.SyncError as exc:
        print(f"error: 信任根没有修复：{exc}", file=sys.stderr)
        return exc.exit_code
    print(f"信任根已从平台重新取得（第 {version} 版）；下次同步会核验到最新版本。请运行 kiosk sync。")
    return E.EXIT_OK


def cmd_provision(args: argparse.Namespace, paths: DataPaths) -> int:
    from kiosk.logsetup import setup_logging
    from kiosk.provisioning.batch import BatchError, load_batch, this_machine
    from kiosk.provisioning.enrol import EnrolmentFailed, InvalidValues, enrol, first_sync

    setup_logging()
    if args.repair_trust_root:
        return _repair(paths)
    where = ""
    try:
        if args.from_file:
            values, where = load_batch(Path(args.from_file), this_machine(args.serial, args.mac))
        else:
            values = _from_flags(args)
    except (BatchError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_VALUE
    interactive = not args.non_interactive and not args.from_file and (args.prompt or sys.stdin.isatty())
    if interactive:
        secret = getpass.getpass if sys.stdin.isatty() else input
        prompter = Prompter(input, secret, lambda text: print(text, file=sys.stderr))
        ask_screen = args.orientation is None and not args.elder_default
        try:
            while True:
                values = prompter.complete(values, ask_screen)
                try:
                    done = enrol(paths, values, force=args.force)
                    break
                except EnrolmentFailed as exc:
                    print(f"  {exc.message}", file=sys.stderr)
                    if exc.field not in ("hub", "code"):
                        return exc.exit_code
                    setattr(values, exc.field, "")  # ask again for what the platform refused
                    ask_screen = False
        except (EOFError, KeyboardInterrupt):
            print("\nerror: 输入中断，本终端没有注册，什么也没有改动", file=sys.stderr)
            return EXIT_BAD_VALUE
    else:
        try:
            done = enrol(paths, values, force=args.force)
        except KeyboardInterrupt:  # Ctrl-C while connecting: a sentence, not a traceback
            print("\nerror: 已中断（Ctrl-C），本终端没有注册；可以重新运行同一命令", file=sys.stderr)
            return EXIT_INTERRUPTED
        except InvalidValues as exc:
            _print_problems(exc.problems, where)
            return EXIT_BAD_VALUE
        except EnrolmentFailed as exc:
            print(f"error: {where}{' ' if where else ''}{exc.field or 'enrolment'}: {exc.message}", file=sys.stderr)
            return exc.exit_code
    print(json.dumps({"device_id": done.device_id, "hub_url": done.hub_url}, ensure_ascii=False))
    if args.first_sync:
        try:
            code = first_sync(paths, lambda line: print(json.dumps(line, ensure_ascii=False), file=sys.stderr))
        except KeyboardInterrupt:
            print("\nerror: 已中断（Ctrl-C）：终端已注册，内容没有下载完；请运行 kiosk sync", file=sys.stderr)
            return EXIT_INTERRUPTED
        print(f"first sync: {E.EXIT_NAMES.get(code, code)}", file=sys.stderr)
        return code
    return E.EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "provision",
        help="enrol this terminal with the platform (prompts, flags, or a batch file)",
        description="Without --non-interactive and on a terminal, asks for every missing value. "
        "--from-file reads a TOML batch file and picks this machine's entry by serial number or MAC "
        "address (see docs/operations.md). Exit codes: 0 enrolled, 2 a value is wrong, "
        "3 refused, 4 platform unreachable, 1 other errors.",
    )
    p.add_argument("--hub", help="platform address")
    p.add_argument("--code", help="one-time enrolment code from `kiosk-hub enrol-code`")
    p.add_argument("--name", help="terminal name")
    p.add_argument("--region", help="region code of the terminal's county or town (assets/regions.csv)")
    p.add_argument("--lat", help="latitude (WGS-84); default: the region's centre")
    p.add_argument("--lon", help="longitude (WGS-84)")
    p.add_argument("--address", help="where the terminal stands")
    p.add_argument("--pin", help="admin PIN, 6-12 digits, not trivial (stored only as an argon2 hash)")
    p.add_argument("--orientation", choices=["portrait", "landscape"], help="screen orientation")
    p.add_argument("--elder-default", action="store_true", help="start every session in elder mode")
    p.add_argument("--allow-http", action="store_true", help="allow plain http to a non-local platform")
    p.add_argument("--force", action="store_true", help="enrol again although already enrolled")
    p.add_argument(
        "--repair-trust-root",
        action="store_true",
        help="fetch the platform's trust root again (still enrolled: no new code, no new device)",
    )
    p.add_argument("--non-interactive", action="store_true", help="never prompt; fail on missing values")
    p.add_argument("--prompt", action="store_true", help="prompt even when standard input is not a terminal")
    p.add_argument("--from-file", metavar="BATCH.toml", help="unattended: this machine's entry of a batch file")
    p.add_argument("--serial", help="with --from-file: match this serial number instead of the machine's")
    p.add_argument("--mac", help="with --from-file: match this MAC address instead of the machine's")
    p.add_argument("--first-sync", action="store_true", help="run the first sync right after enrolling")
    p.set_defaults(func=cmd_provision)
