"""The HTML pages: the operators' report (``/report``) and the residents' phone page (``/consult``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kiosk_hub import accounts, api, consult_api
from kiosk_hub import desk as desk_store

if TYPE_CHECKING:
    from kiosk_hub.web import HubApp

HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


def report(app: HubApp, request: Request) -> Response:
    """GET /report?from=YYYY-MM-DD&to=YYYY-MM-DD[&region=CODE][&format=csv]: HTML by default."""
    from kiosk_hub.report import ReportError, build_report, parse_day, to_csv
    from kiosk_hub.report_html import to_html

    refused = _login(app, request, accounts.REPORT)
    if refused is not None:
        return refused
    from kiosk_hub.report import CST

    query = request.query_params
    today = dt.datetime.now(CST).date()  # report days are Beijing days
    try:
        start = parse_day(query.get("from", today.replace(day=1).isoformat()), "from")
        end = parse_day(query.get("to", today.isoformat()), "to")
        built = build_report(start, end, query.get("region") or None)
    except ReportError as exc:
        return Response(str(exc), 400, media_type=TEXT)
    if query.get("format", "html") == "csv":
        extra = {"Content-Disposition": f'attachment; filename="report-{start}-{end}.csv"'}
        return Response(to_csv(built).encode("utf-8"), 200, headers=extra, media_type="text/csv; charset=utf-8")
    return Response(to_html(built), 200, media_type=HTML)


def _login(app: HubApp, request: Request, roles: tuple[str, ...]) -> Response | None:
    """None when the caller may see the page; else the 401 (browser asks for a password) or 403 page."""
    try:
        app.require(request.headers.get("authorization"), roles)
    except api.ApiError as exc:
        if exc.status == 401:
            body = "请用平台账号登录（kiosk-hub user add 创建）。"
            return Response(body, 401, headers=exc.headers, media_type=TEXT)
        return Response("您的账号无权查看此页面。", 403, media_type=TEXT)
    return None


def fleet(app: HubApp, request: Request) -> Response:
    """GET /fleet: terminals and their settings in effect (fleet administrators)."""
    from kiosk_hub.fleet_html import fleet_page

    refused = _login(app, request, accounts.FLEET)
    if refused is not None:
        return refused
    return Response(fleet_page(), 200, headers={"Cache-Control": "no-store"}, media_type=HTML)


def desk(app: HubApp, request: Request, raw: bytes) -> Response:
    """GET /desk[?county=&status=]: the handlers' table; POST /desk/ID status=…: mark one, then back."""
    from urllib.parse import parse_qs

    from kiosk_hub.desk_html import desk_page
    from kiosk_hub.report import load_county_names

    refused = _login(app, request, accounts.DESK)
    if refused is not None:
        return refused
    who = app.require(request.headers.get("authorization"), accounts.DESK)
    if request.method == "POST":
        origin = request.headers.get("origin")
        if origin is not None and origin.split("://", 1)[-1] != request.headers.get("host"):
            return Response("来源不符，已拒绝。", 403, media_type=TEXT)  # a form posted from another site
        chosen = (parse_qs(raw.decode("utf-8", "replace")).get("status") or [""])[0]
        api.desk_mark(who, request.url.path.rsplit("/", 1)[1], {"status": chosen})
        return RedirectResponse("/desk", 303)
    query = request.query_params
    county, status = query.get("county") or None, query.get("status") or None
    if app.ctx.vault is None:
        return Response("诉求处理台未配置密钥。", 503, media_type=TEXT)
    rows = desk_store.listing(app.ctx.vault, who, county, status)
    names = load_county_names()
    counties = {
        code: names.get(code, code) for code in sorted({r["county"] for r in rows} | ({county} if county else set()))
    }
    page = desk_page(rows, who.username, counties, county, status)
    return Response(page, 200, headers={"Cache-Control": "no-store"}, media_type=HTML)


def phone_consult(app: HubApp, request: Request, raw: bytes) -> Response:
    """GET: the page a terminal's QR code opens (12348, and a video call with its short-lived token);
    POST: queue a session for the on-duty lawyers like a terminal's, and go to its room."""
    from urllib.parse import parse_qs

    token = request.query_params.get("t", "")
    if request.method == "POST":
        form = parse_qs(raw.decode("utf-8", "replace"))
        token = (form.get("t") or [token])[0]
        client = request.client.host if request.client else ""
        try:
            session = consult_api.phone_consult(token, app.ctx, client)
        except api.ApiError as exc:
            page = phone_page(token="", notice=NOTICES.get(exc.error, exc.message))
            return Response(page, exc.status, headers={"Cache-Control": "no-store", **exc.headers}, media_type=HTML)
        return RedirectResponse(session.room_url, 303)
    notice = ""
    if token:
        try:
            consult_api.check_phone_token(token)
        except api.ApiError:
            token, notice = "", NOTICES["bad_token"]
    else:
        notice = NOTICES["no_token"]
    return Response(phone_page(token, notice), 200, headers={"Cache-Control": "no-store"}, media_type=HTML)


NOTICES = {
    "bad_token": "这个二维码已过期。视频咨询请回到终端上重新扫码；也可以直接拨打 12348。",
    "no_token": "视频咨询请在公共法律服务终端上扫码进入；也可以直接拨打 12348。",
    "rate_limited": "刚才的请求太多了，请稍后再试，或直接拨打 12348。",
}


def phone_page(token: str, notice: str = "") -> str:
    from html import escape

    video = (
        '<form method="post" action="/consult">'
        f'<input type="hidden" name="t" value="{escape(token)}">'
        '<button class="video" type="submit">开始视频咨询</button></form>'
        if token
        else ""
    )
    note = f'<p class="note">{escape(notice)}</p>' if notice else ""
    return PHONE_PAGE.replace("{video}", video).replace("{notice}", note)


PHONE_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>公共法律服务 · 视频咨询</title>
<style>body{font:18px/1.6 sans-serif;margin:24px;color:#1b2430}h1{font-size:24px;color:#0b3a82}
a,button{display:block;width:100%;box-sizing:border-box;margin:14px 0;padding:16px;border-radius:12px;
font-size:20px;text-align:center;text-decoration:none;border:0}.note{color:#8a4b00}
.call{background:#0b3a82;color:#fff}.video{background:#e8eef8;color:#0b3a82}</style></head><body>
<h1>公共法律服务 · 咨询值班律师</h1>
<p>免费。拨打 12348 法律服务热线，或在手机上与值班律师视频通话（需要允许使用摄像头和麦克风）。</p>
<a class="call" href="tel:12348">拨打 12348</a>
{video}{notice}
<p>咨询不收集您的姓名和电话。</p></body></html>
"""
