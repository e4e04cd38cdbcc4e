"""The report as one self-contained HTML page: inline CSS and SVG charts, no script, no network,
so it opens from disk or prints the same anywhere."""

from __future__ import annotations

from html import escape

from kiosk_hub.report import REQUEST_KINDS, Figures, Report, _num, _pct

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:32px;color:#1b2430;
background:#fff;font-size:15px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 10px;color:#0b3a82;border-bottom:2px solid #dbe4f3}
.meta{color:#4a5566}.cards{display:flex;gap:16px;flex-wrap:wrap;margin:20px 0}
.card{border:2px solid #dbe4f3;border-radius:12px;padding:14px 20px;min-width:170px}
.card b{display:block;font-size:28px;color:#0b3a82}.card span{color:#4a5566}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #cfd8e6;padding:6px 8px;text-align:right}
th{background:#eef3fa}td:first-child,th:first-child,td.l{text-align:left}td.l{white-space:nowrap}
.warn{color:#9a3412;font-weight:bold}.defs{color:#4a5566;font-size:13px}
svg text{font-family:inherit}@media print{body{margin:10mm}h2{break-after:avoid}table{break-inside:auto}}
"""
BLUE, GREEN, GREY = "#0b3a82", "#1f7a45", "#8a96a8"


def _svg_open(title: str, width: int, height: int) -> str:
    size = f"width='{width}' height='{height}' viewBox='0 0 {width} {height}'"
    return f"<svg role='img' aria-label='{escape(title)}' {size}>"


def _bar_chart(title: str, items: list[tuple[str, int]], width: int = 880, height: int = 260) -> str:
    """Vertical bars with their value on top; an empty chart says so."""
    if not items:
        return f"<p class='meta'>{escape(title)}：没有数据</p>"
    top = max(v for _, v in items) or 1
    left, bottom, inner_h = 50, 40, height - 80
    step = (width - left - 10) / len(items)
    bar = min(60.0, step * 0.6)
    parts = [
        _svg_open(title, width, height),
        f"<text x='{left}' y='18' font-size='15' fill='#1b2430'>{escape(title)}</text>",
        f"<line x1='{left}' y1='{height - bottom}' x2='{width - 10}' y2='{height - bottom}' stroke='{GREY}'/>",
    ]
    for i, (name, value) in enumerate(items):
        h = inner_h * value / top
        x = left + i * step + (step - bar) / 2
        y = height - bottom - h
        parts.append(f"<rect x='{x:.1f}' y='{y:.1f}' width='{bar:.1f}' height='{h:.1f}' fill='{BLUE}'/>")
        parts.append(f"<text x='{x + bar / 2:.1f}' y='{y - 5:.1f}' font-size='13' text-anchor='middle'>{value}</text>")
        parts.append(
            f"<text x='{x + bar / 2:.1f}' y='{height - bottom + 18}' font-size='13' text-anchor='middle'>"
            f"{escape(name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _rate_chart(title: str, items: list[tuple[str, float | None]], width: int = 880, height: int = 220) -> str:
    """A line of percentages (0–100 %); months without ratings leave a gap."""
    if not any(v is not None for _, v in items):
        return f"<p class='meta'>{escape(title)}：没有评价</p>"
    left, bottom, inner_h = 50, 40, height - 80
    step = (width - left - 30) / max(1, len(items) - 1) if len(items) > 1 else 0
    parts = [
        _svg_open(title, width, height),
        f"<text x='{left}' y='18' font-size='15'>{escape(title)}</text>",
    ]
    for pct in (0, 50, 100):
        y = height - bottom - inner_h * pct / 100
        parts.append(f"<line x1='{left}' y1='{y:.1f}' x2='{width - 10}' y2='{y:.1f}' stroke='#e3e8f0'/>")
        parts.append(f"<text x='{left - 6}' y='{y + 4:.1f}' font-size='12' text-anchor='end'>{pct}%</text>")
    points = []
    for i, (name, value) in enumerate(items):
        x = left + 10 + i * step
        parts.append(
            f"<text x='{x:.1f}' y='{height - bottom + 18}' font-size='13' text-anchor='middle'>{escape(name)}</text>"
        )
        if value is None:
            continue
        y = height - bottom - inner_h * value
        points.append(f"{x:.1f},{y:.1f}")
        parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='5' fill='{GREEN}'/>")
        parts.append(
            f"<text x='{x:.1f}' y='{y - 10:.1f}' font-size='13' text-anchor='middle'>{value * 100:.0f}%</text>"
        )
    if len(points) > 1:
        parts.append(f"<polyline points='{' '.join(points)}' fill='none' stroke='{GREEN}' stroke-width='3'/>")
    parts.append("</svg>")
    return "".join(parts)


HEAD = (
    "业务量",
    "搜索",
    "服务开始",
    "服务完成",
    *REQUEST_KINDS.values(),
    "评价",
    "满意率",
    "平均评分",
    "接通率",
    "平均等待",
)


def _row(first: list[str], f: Figures) -> str:
    cells = [
        f.workload,
        f.searches,
        f.services_started,
        f.services_finished,
        *(f.requests[k] for k in REQUEST_KINDS),
        len(f.ratings),
        _pct(f.satisfaction) or "—",
        _num(f.mean_rating) or "—",
        _pct(f.answer_rate) or "—",
        (_num(f.mean_wait) + " 秒") if f.mean_wait is not None else "—",
    ]
    lead = "".join(f"<td class='l'>{escape(x)}</td>" for x in first)
    return "<tr>" + lead + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>"


def _table(first_heads: list[str], rows: list[str]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in (*first_heads, *HEAD))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _stopped(report: Report) -> str:
    n = sum(1 for t in report.terminals.values() if t.revoked)
    return f"，已停用 {n} 台" if n else ""


def to_html(report: Report) -> str:
    total = report.total()
    area = report.county_name(report.region) if report.region else "全部地区"
    period = f"{report.start:%Y年%m月%d日} 至 {report.end:%Y年%m月%d日}"
    cards = [
        ("业务量", str(total.workload)),
        ("满意率", _pct(total.satisfaction) or "—"),
        ("评价数", str(len(total.ratings))),
        ("视频咨询接通率", _pct(total.answer_rate) or "—"),
        ("平均等待", f"{_num(total.mean_wait)} 秒" if total.mean_wait is not None else "—"),
        ("终端", f"{len(report.terminals)} 台，失联 {len(report.silent)} 台" + _stopped(report)),
    ]
    months = report.months
    terminals = sorted(report.terminals.values(), key=lambda t: (t.county, t.name))
    html = [
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>公共法律服务自助终端 业务量与满意度报表 {escape(period)}</title><style>{CSS}</style></head><body>",
        "<h1>公共法律服务自助终端 业务量与满意度报表</h1>",
        f"<p class='meta'>{escape(area)} · {escape(period)} · 统计截至 {report.as_of:%Y-%m-%d %H:%M}（北京时间）</p>",
        "<div class='cards'>"
        + "".join(f"<div class='card'><b>{escape(v)}</b><span>{escape(k)}</span></div>" for k, v in cards)
        + "</div>",
        "<h2>按月</h2>",
        _bar_chart("每月业务量", [(m[2:], report.by_month(m).workload) for m in months]),
        _rate_chart("每月满意率", [(m[2:], report.by_month(m).satisfaction) for m in months]),
        _table(["月份"], [_row([m], report.by_month(m)) for m in months] + [_row(["合计"], total)]),
        "<h2>按县区</h2>",
        _bar_chart("各县区业务量", [(report.county_name(c), report.by_county(c).workload) for c in report.counties]),
        _table(["县区"], [_row([report.county_name(c)], report.by_county(c)) for c in report.counties]),
        "<h2>按终端</h2>",
        _table(
            ["终端", "县区", "最后联系"],
            [
                _row(
                    [
                        t.label,
                        report.county_name(t.county),
                        (t.last_seen.strftime("%Y-%m-%d %H:%M") if t.last_seen else "从未")
                        + (" 失联" if t.silent else ""),
                    ],
                    report.by_terminal(t.device_id),
                )
                for t in terminals
            ],
        ),
        "<h2>失联超过一天的终端</h2>",
        (
            "<ul>"
            + "".join(
                f"<li class='warn'>{escape(t.name)}（{escape(report.county_name(t.county))}）最后联系："
                f"{escape(t.last_seen.strftime('%Y-%m-%d %H:%M') if t.last_seen else '从未联系')}</li>"
                for t in report.silent
            )
            + "</ul>"
            if report.silent
            else "<p>没有。所有终端在统计截止前一天内都有联系。</p>"
        ),
        "<h2>口径说明</h2><p class='defs'>业务量 = 搜索次数 + 服务开始次数（法律援助自测、视频咨询、预约与申请等）"
        " + 提交的申请数。满意率 = 评价为“基本满意”及以上的次数 ÷ 评价总数。接通率 = 接通的视频咨询 ÷"
        "（接通 + 超时未接通）；居民主动取消和终端离线另计。等待时间为接通前的等待秒数。报表只统计次数，"
        "不含任何居民个人信息。</p>",
        "</body></html>",
    ]
    return "".join(html)
