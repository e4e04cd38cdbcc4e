"""Colours, type sizes and the style sheet of both themes (normal and elder mode, 适老化).

Pure data and string building, no Qt import: the contrast test reads :data:`TEXT_PAIRS` and checks
every text/background pair the style sheet and the painted widgets use.

MIIT 适老化 figures for elder mode: body text ≥ 18 pt, main function labels ≥ 30 pt, line spacing
≥ 1.3 (the Noto Sans CJK line height is 1.45 em), contrast ≥ 4.5:1, touch targets ≥ 60×60 px.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Droid Sans Fallback")


@dataclass(frozen=True)
class Palette:
    header_bg: str = "#0B3D91"
    header_fg: str = "#FFFFFF"
    header_muted: str = "#DCE6F7"  # status text on the header
    nav_bg: str = "#E8EEF8"
    nav_fg: str = "#0B3D91"
    page_bg: str = "#F2F5FA"
    card_bg: str = "#FFFFFF"
    card_border: str = "#C5D0E0"
    text: str = "#1A1F29"
    muted: str = "#4A5568"
    accent: str = "#0B3D91"
    accent_fg: str = "#FFFFFF"
    accent_pressed: str = "#082C69"
    secondary_bg: str = "#E8EEF8"
    secondary_fg: str = "#0B3D91"
    selected_bg: str = "#DDE8FB"
    highlight_bg: str = "#FFE08A"
    highlight_fg: str = "#1A1F29"
    notice_bg: str = "#FFF4E5"
    notice_fg: str = "#7A3E00"
    ok_bg: str = "#E6F4EA"
    ok_fg: str = "#1B5E20"
    warn_bg: str = "#FFF4E5"
    warn_fg: str = "#7A3E00"
    bad_bg: str = "#FDECEA"
    bad_fg: str = "#8A1C1C"
    info_bg: str = "#E8F0FE"
    info_fg: str = "#0B3D91"
    backdrop: str = "#0B1A33"  # behind the idle countdown (drawn at 80% opacity)
    attract_bg: str = "#0B3D91"
    attract_fg: str = "#FFFFFF"


NORMAL_PALETTE = Palette()
ELDER_PALETTE = Palette(
    page_bg="#FFFFFF",
    card_border="#5A6B85",
    text="#000000",
    muted="#2B2F36",
    nav_bg="#DCE6F7",
    nav_fg="#072A66",
    secondary_bg="#DCE6F7",
    secondary_fg="#072A66",
    accent="#072A66",
    accent_pressed="#041A40",
    header_bg="#072A66",
    header_muted="#FFFFFF",
    ok_fg="#0F4014",
    warn_fg="#5C2E00",
    bad_fg="#6E1111",
    info_fg="#072A66",
    notice_fg="#5C2E00",
    attract_bg="#072A66",
)


@dataclass(frozen=True)
class Sizes:
    """Point sizes of each text role and the minimum touch target in pixels."""

    small: float
    body: float
    title: float
    headline: float
    tile: float
    header: float
    button: float
    countdown: float
    touch: int
    reader: float


NORMAL_SIZES = Sizes(
    small=16, body=17, title=22, headline=26, tile=24, header=18, button=17, countdown=72, touch=64, reader=18
)
ELDER_SIZES = Sizes(
    small=18, body=20, title=30, headline=32, tile=32, header=22, button=22, countdown=96, touch=80, reader=22
)

#: MIIT 适老化 figures the elder theme must meet.
ELDER_MIN_BODY_PT = 18.0
ELDER_MIN_LABEL_PT = 30.0
MIN_LINE_SPACING = 1.3
MIN_CONTRAST = 4.5
MIN_TOUCH_PX = 60


@dataclass(frozen=True)
class Theme:
    name: str
    palette: Palette
    sizes: Sizes

    @property
    def elder(self) -> bool:
        return self.name == "elder"


NORMAL = Theme("normal", NORMAL_PALETTE, NORMAL_SIZES)
ELDER = Theme("elder", ELDER_PALETTE, ELDER_SIZES)


def theme_for(elder: bool) -> Theme:
    return ELDER if elder else NORMAL


#: Every (text colour, background colour) pair on screen, by palette attribute name.
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("header_fg", "header_bg"),
    ("header_muted", "header_bg"),
    ("nav_fg", "nav_bg"),
    ("text", "page_bg"),
    ("muted", "page_bg"),
    ("text", "card_bg"),
    ("muted", "card_bg"),
    ("accent", "card_bg"),
    ("accent", "page_bg"),
    ("accent_fg", "accent"),
    ("accent_fg", "accent_pressed"),
    ("secondary_fg", "secondary_bg"),
    ("text", "selected_bg"),
    ("muted", "selected_bg"),
    ("accent", "selected_bg"),
    ("highlight_fg", "highlight_bg"),
    ("notice_fg", "notice_bg"),
    ("ok_fg", "ok_bg"),
    ("warn_fg", "warn_bg"),
    ("bad_fg", "bad_bg"),
    ("info_fg", "info_bg"),
    ("attract_fg", "attract_bg"),
    ("text", "nav_bg"),
    ("card_bg", "text"),  # toast
)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    h = color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def stylesheet(theme: Theme) -> str:
    from kiosk.ui.qss import build

    return build(theme)
