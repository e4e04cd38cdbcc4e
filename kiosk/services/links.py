"""What residents take away by QR code: links (ASCII, Chinese percent-encoded) and plain text a
phone's camera shows as it is, no app needed (UTF-8 announced by an ECI header, so decoders that
would guess another encoding do not garble the Chinese)."""

from __future__ import annotations

import re
from urllib.parse import quote

#: The national law database; used for article links when no platform address is configured.
NATIONAL_LAW_SEARCH = "https://flk.npc.gov.cn/"


def map_url(latitude: float, longitude: float, name: str) -> str:
    """An Amap (高德) marker link; ``coordinate=wgs84`` tells it our coordinates are GPS ones."""
    return (
        f"https://uri.amap.com/marker?position={longitude:.6f},{latitude:.6f}"
        f"&name={quote(name)}&coordinate=wgs84&callnative=1"
    )


def tel_url(phone: str | None) -> str | None:
    if not phone:
        return None
    digits = re.sub(r"[^0-9+]", "", phone)
    return f"tel:{digits}" if digits else None


def article_url(hub_url: str, law_title: str, article_no: int | None) -> str:
    """A page for one article: the platform's share page when configured, else a search of the
    national law database for the law and the article (第…条)."""
    if hub_url:
        tail = f"&a={article_no}" if article_no else ""
        return f"{hub_url.rstrip('/')}/share/law?t={quote(law_title)}{tail}"
    from kiosk.store.numerals import int_to_cn

    keyword = f"{law_title} 第{int_to_cn(article_no)}条" if article_no else law_title
    return NATIONAL_LAW_SEARCH + f"#/search?keyword={quote(keyword)}"


#: The most a take-away text may hold: beyond it the code gets too dense to scan from 50 cm.
MAX_TEXT_BYTES = 480


def qr_matrix(payload: str) -> list[list[bool]]:
    """The modules of a QR code (with a 4-module quiet zone), medium error correction. A link stays
    ASCII; text with Chinese is UTF-8 with an ECI header."""
    import segno

    if not payload:
        raise ValueError("an empty QR payload")
    if not payload.isascii() and len(payload.encode("utf-8")) > MAX_TEXT_BYTES:
        raise ValueError(f"QR text of {len(payload.encode('utf-8'))} bytes; at most {MAX_TEXT_BYTES} scan well")
    code = segno.make(payload, error="m", boost_error=False, eci=not payload.isascii(), micro=False)
    return [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=4)]


def take_away_text(title: str, lines: list[str], limit: int = MAX_TEXT_BYTES) -> str:
    """A text for the phone: a title line, then as many lines as fit, then 12348 (never cut mid-line)."""
    tail = "咨询：12348 法律服务热线"
    more = "……（其余请见终端屏幕）"
    kept: list[str] = [title]
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        candidate = "\n".join([*kept, line, tail] if last else [*kept, line, more, tail])
        if len(candidate.encode("utf-8")) > limit:
            kept.append(more)
            break
        kept.append(line)
    return "\n".join([*kept, tail])
