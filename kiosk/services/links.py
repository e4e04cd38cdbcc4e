"""Links residents take away by QR code. Payloads stay ASCII (Chinese is percent-encoded): some
phone decoders garble raw Chinese text."""

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


def qr_matrix(payload: str) -> list[list[bool]]:
    """The modules of a QR code (with a 4-module quiet zone), medium error correction."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    if not payload.isascii():
        raise ValueError("QR payloads must be ASCII; percent-encode Chinese text")
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(payload)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]
