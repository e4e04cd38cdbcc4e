"""``kiosk-hub user``, ``requests``, ``settings`` and ``purge``: the operators' commands."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from kiosk_hub.paths import HubError, HubPaths


def _open(args: argparse.Namespace) -> HubPaths:
    from kiosk_hub.db import open_hub_db

    paths = HubPaths.resolve(args.data_dir)
    open_hub_db(getattr(args, "database_url", None) or paths.load_config().database_url, paths.db_file)
    return paths


def cmd_user(args: argparse.Namespace) -> int:
    from kiosk_hub import accounts

    _open(args)
    if args.action != "list" and not args.username:
        raise HubError(f"usage: kiosk-hub user {args.action} USERNAME")
    try:
        if args.action == "add":
            accounts.add_user(args.username, args.role, _password(args))
            print(f"added {args.username} ({args.role}: {accounts.ROLES[args.role]})")
        elif args.action == "remove":
            accounts.remove_user(args.username)
            print(f"removed {args.username}")
        else:
            users = accounts.list_users()
            if not users:
                print("no operator accounts yet: kiosk-hub user add NAME --role viewer|handler|admin", file=sys.stderr)
            for name, role, created in users:
                print(f"{name}\t{role}\t{accounts.ROLES.get(role, role)}\t{created}")
    except accounts.AccountError as exc:
        raise HubError(str(exc)) from None
    return 0


def _password(args: argparse.Namespace) -> str:
    """The new account's password: piped with --password-stdin, else asked for on the terminal."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        # getpass would read the piped text or fail with a bare EOFError: say how to pipe it instead.
        raise HubError(f"no terminal to ask {args.username}'s password on: pipe it with --password-stdin")
    try:
        return getpass.getpass(f"{args.username} 的密码：")
    except (EOFError, KeyboardInterrupt):
        raise HubError(f"no password given: {args.username} was not added") from None


def _operator(args: argparse.Namespace) -> Any:
    from kiosk_hub import accounts

    row = accounts.Operator.get_or_none(accounts.Operator.username == args.as_user)
    if row is None or row.role not in accounts.DESK:
        raise HubError(f"--as {args.as_user}: not a request handler (kiosk-hub user add NAME --role handler)")
    return accounts.Who(row.username, row.role)


def cmd_requests(args: argparse.Namespace) -> int:
    from kiosk_hub import desk

    paths = _open(args)
    config = paths.load_config()
    if args.action == "purge":
        n = desk.purge(config.request_retention_days)
        print(f"deleted the personal data of {n} request(s) closed more than {config.request_retention_days} days ago")
        return 0
    who = _operator(args)
    vault = desk.Vault(paths.request_key(config))
    if args.action == "list":
        for r in desk.listing(vault, who, args.county, args.status_filter):
            p = r["personal"]
            print(
                f"{r['id']}\t{r['reference']}\t{desk.KINDS.get(r['kind'], '其他')}\t{r['county']}\t{r['terminal']}\t"
                f"{desk.STATUSES.get(r['status'], r['status'])}\t{p.get('name', '')}\t{p.get('phone', '')}\t"
                f"{p.get('matter', '')}"
            )
    else:
        if args.id is None or args.status is None:
            raise HubError("usage: kiosk-hub requests mark ID called|done|unreachable --as USER")
        try:
            desk.mark(who, args.id, args.status)
        except (LookupError, ValueError) as exc:
            raise HubError(str(exc)) from None
        print(f"request {args.id}: {desk.STATUSES[args.status]}")
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    from kiosk_hub import api, fleet

    _open(args)
    try:
        device = fleet.find_device(args.terminal)
        if args.action == "set":
            if args.key is None or args.value is None:
                raise HubError("usage: kiosk-hub settings set TERMINAL KEY VALUE")
            try:
                api.set_settings(device.device_id, {args.key: fleet.parse_value(args.value)})
            except api.ApiError as exc:
                raise HubError(exc.message) from None
            print(f"{device.name}: {args.key} = {args.value} (sent with its next heartbeat)")
            return 0
    except fleet.FleetError as exc:
        raise HubError(str(exc)) from None
    print(f"{device.device_id}  {device.name}" + ("  已停用" if device.revoked else ""))
    print("setting\tplatform\tin effect\tsource")
    for row in fleet.settings_rows(device):
        flag = "  ← local change stands against the platform's value" if row.overridden else ""
        values = [json.dumps(v, ensure_ascii=False) if v is not None else "-" for v in (row.platform, row.in_effect)]
        print(f"{row.name}\t{values[0]}\t{values[1]}\t{row.source or 'not reported'}{flag}")
    return 0


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("user", help="operator accounts: add, remove, list")
    p.add_argument("action", choices=["add", "remove", "list"])
    p.add_argument("username", nargs="?", default="")
    p.add_argument("--role", choices=["viewer", "handler", "admin"], default="viewer")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.add_argument("--database-url")
    p.set_defaults(func=cmd_user)

    p = sub.add_parser("requests", help="the requests desk: list, mark ID STATUS, purge (retention)")
    p.add_argument("action", choices=["list", "mark", "purge"])
    p.add_argument("id", nargs="?", type=int)
    p.add_argument("status", nargs="?", choices=["called", "done", "unreachable"])
    p.add_argument("--as", dest="as_user", default="", help="the request handler doing it (logged)")
    p.add_argument("--county", help="a county code, e.g. 420902")
    p.add_argument("--status", dest="status_filter")
    p.add_argument("--database-url")
    p.set_defaults(func=cmd_requests)

    p = sub.add_parser("settings", help="a terminal's settings: show TERMINAL, set TERMINAL KEY VALUE")
    p.add_argument("action", choices=["show", "set"])
    p.add_argument("terminal", help="device id or its first characters")
    p.add_argument("key", nargs="?")
    p.add_argument("value", nargs="?")
    p.add_argument("--database-url")
    p.set_defaults(func=cmd_settings)
