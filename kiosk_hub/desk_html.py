"""The requests desk page (``/desk``) for request handlers: one table, filters, status buttons."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from kiosk_hub.desk import KINDS, STATUSES
from kiosk_hub.report import CST

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:28px;color:#1b2430;
font-size:15px}h1{font-size:24px;margin:0 0 4px}.meta{color:#4a5566}
form.f{margin:14px 0;display:flex;gap:10px;align-items:center}select,button{font-size:15px;padding:4px 8px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #cfd8e6;padding:6px 8px;text-align:left;
vertical-align:top}th{background:#eef3fa}.st-new{color:#9a3412;font-weight:bold}.st-done{color:#1f7a45}
td form{display:inline}td button{margin:0 4px 4px 0}.gone{color:#8a96a8}
"""


def _time(iso: str) -> str:
    when = dt.datetime.fromisoformat(iso.rstrip("Z")).replace(tzinfo=dt.UTC).astimezone(CST)
    return f"{when:%Y-%m-%d %H:%M}"


def desk_page(
    rows: list[dict[str, Any]], who: str, counties: dict[str, str], county: str | None, status: str | None
) -> str:
    def option(value: str, label: str, chosen: str | None) -> str:
        selected = " selected" if value == (chosen or "") else ""
        return f"<option value='{escape(value)}'{selected}>{escape(label)}</option>"

    county_opts = option("", "全部县区", county) + "".join(option(c, n, county) for c, n in counties.items())
    status_opts = option("", "全部状态", status) + "".join(option(s, n, status) for s, n in STATUSES.items())
    body = []
    for r in rows:
        p = r["personal"]
        who_cell = (
            "<span class='gone'>已按保存期限删除</span>"
            if r["purged"]
            else f"{escape(p.get('name', ''))}<br>{escape(p.get('phone', ''))}"
        )
        buttons = "".join(
            f"<form method='post' action='/desk/{r['id']}'><button name='status' value='{s}'>{n}</button></form>"
            for s, n in STATUSES.items()
            if s not in ("new", r["status"])
        )
        body.append(
            "<tr>"
            f"<td>{escape(r['reference'])}<br><span class='meta'>{_time(r['created'])}</span></td>"
            f"<td>{escape(KINDS.get(r['kind'], '其他'))}</td>"
            f"<td>{escape(counties.get(r['county'], r['county']))}<br>"
            f"<span class='meta'>{escape(r['terminal'])}</span></td>"
            f"<td>{escape(p.get('matter', ''))}"
            + (
                f"<br><span class='meta'>希望时间：{escape(p['preferred_time'])}</span>"
                if p.get("preferred_time")
                else ""
            )
            + f"</td><td>{who_cell}</td>"
            f"<td class='st-{escape(r['status'])}'>{escape(STATUSES.get(r['status'], r['status']))}</td>"
            f"<td>{buttons}</td></tr>"
        )
    table = (
        "<table><thead><tr><th>编号 / 提交时间</th><th>类型</th><th>县区 / 终端</th><th>事项</th>"
        "<th>姓名 / 电话</th><th>状态</th><th>处理</th></tr></thead><tbody>"
        + ("".join(body) or "<tr><td colspan='7'>没有符合条件的诉求。</td></tr>")
        + "</tbody></table>"
    )
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>居民诉求处理台</title>"
        f"<style>{CSS}</style></head><body><h1>居民诉求处理台</h1>"
        f"<p class='meta'>当前用户：{escape(who)} · 时间为北京时间 · 每次查看和处理都会记录操作人和时间</p>"
        f"<form class='f' method='get' action='/desk'><select name='county'>{county_opts}</select>"
        f"<select name='status'>{status_opts}</select><button type='submit'>筛选</button></form>"
        f"{table}<p class='meta'>姓名、电话等个人信息加密保存，办结后按规定期限删除，报表只保留次数。</p>"
        "</body></html>"
    )
