"""The fleet page (``/fleet``) for fleet administrators: every terminal, its last contact, and each
remote setting — the platform's value, the value in effect and where it comes from."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from kiosk_hub.db import Device
from kiosk_hub.fleet import settings_rows
from kiosk_hub.report import local

SOURCES = {"default": "默认", "local": "本机设置", "platform": "平台下发", "": "未上报"}
CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:28px;color:#1b2430;
font-size:15px}h1{font-size:24px}h2{font-size:18px;margin:24px 0 6px;color:#0b3a82}.meta{color:#4a5566}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #cfd8e6;padding:5px 8px;text-align:left}
th{background:#eef3fa}.warn{color:#9a3412;font-weight:bold}.off{color:#8a96a8}
"""


def _value(value: Any) -> str:
    return "—" if value is None else json.dumps(value, ensure_ascii=False)


def fleet_page() -> str:
    parts = [
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>终端与设置</title>",
        f"<style>{CSS}</style></head><body><h1>终端与设置</h1>",
        "<p class='meta'>“生效值”来自终端最近一次心跳；本机设置与平台下发不一致时标红。"
        "修改：kiosk-hub settings set 终端 设置 值</p>",
    ]
    for d in Device.select().order_by(Device.revoked.is_null(False), Device.name):
        seen = f"{local(d.last_seen):%Y-%m-%d %H:%M}" if d.last_seen else "从未"
        state = "<span class='off'>已停用</span>" if d.revoked else "在用"
        parts.append(
            f"<h2>{escape(d.name)}</h2><p class='meta'>{escape(d.device_id)} · {escape(d.region_code)} · "
            f"最后联系 {seen}（北京时间） · {state}</p>"
        )
        rows = []
        for row in settings_rows(d):
            flag = " class='warn'" if row.overridden else ""
            note = "（本机设置覆盖了平台下发的值）" if row.overridden else ""
            source = escape(SOURCES.get(row.source, row.source))
            rows.append(
                f"<tr{flag}><td>{escape(row.name)}</td><td>{escape(_value(row.platform))}</td>"
                f"<td>{escape(_value(row.in_effect))}</td><td>{source}{note}</td></tr>"
            )
        parts.append(
            "<table><thead><tr><th>设置</th><th>平台下发</th><th>生效值</th><th>来源</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )
    parts.append("</body></html>")
    return "".join(parts)
