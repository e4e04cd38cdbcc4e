"""The Qt style sheet of a theme. Widgets pick their look with the dynamic property ``role``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.ui.theme import Theme


def build(theme: Theme) -> str:
    p, s = theme.palette, theme.sizes
    t = s.touch
    return f"""
* {{ color: {p.text}; }}
QWidget#Shell, QWidget[role="page"], QStackedWidget {{ background: {p.page_bg}; }}
QScrollArea, QScrollArea > QWidget > QWidget {{ background: {p.page_bg}; border: none; }}

QFrame#Header {{ background: {p.header_bg}; }}
QFrame#Header QLabel {{ color: {p.header_fg}; background: transparent; }}
QLabel[role="brand"] {{ font-size: {s.header + 4}pt; font-weight: bold; }}
QLabel[role="hotline"] {{ font-size: {s.header}pt; font-weight: bold; }}
QFrame#Header QLabel[role="status"] {{ color: {p.header_muted}; font-size: {s.small}pt; }}
QFrame#NavBar {{ background: {p.nav_bg}; border-bottom: 1px solid {p.card_border}; }}
QFrame#NavBar QLabel {{ color: {p.text}; background: transparent; font-size: {s.title}pt; font-weight: bold; }}

QPushButton {{
  background: {p.accent}; color: {p.accent_fg}; border: none; border-radius: 10px;
  font-size: {s.button}pt; padding: 8px 20px; min-height: {t}px; min-width: {t}px;
}}
QPushButton:pressed {{ background: {p.accent_pressed}; }}
QPushButton:disabled {{ background: {p.secondary_bg}; color: {p.muted}; }}
QPushButton[role="nav"] {{
  background: {p.card_bg}; color: {p.nav_fg}; border: 2px solid {p.card_border};
  font-size: {s.button}pt; font-weight: bold; padding: 6px 18px;
}}
QPushButton[role="nav"]:pressed, QPushButton[role="nav"]:checked {{ background: {p.accent}; color: {p.accent_fg}; }}
QPushButton[role="nav"]:disabled {{ background: {p.secondary_bg}; color: {p.muted}; border-style: dashed; }}
QPushButton[role="secondary"] {{
  background: {p.secondary_bg}; color: {p.secondary_fg}; border: 2px solid {p.card_border};
}}
QPushButton[role="secondary"]:pressed {{ background: {p.selected_bg}; }}
QPushButton[role="chip"] {{
  background: {p.card_bg}; color: {p.accent}; border: 2px solid {p.card_border}; border-radius: {t // 2}px;
  font-size: {s.body}pt; padding: 4px 22px;
}}
QPushButton[role="chip"]:checked {{ background: {p.accent}; color: {p.accent_fg}; border-color: {p.accent}; }}
QPushButton[role="tile"] {{
  background: {p.card_bg}; color: {p.accent}; border: 2px solid {p.card_border}; border-radius: 16px;
  font-size: {s.tile}pt; font-weight: bold; padding: 12px; min-height: {t * 2}px;
}}
QPushButton[role="tile"]:pressed {{ background: {p.selected_bg}; }}
QLabel[role="tile-title"] {{ font-size: {s.tile}pt; font-weight: bold; color: {p.accent}; background: transparent; }}
QLabel[role="tile-sub"] {{ font-size: {s.small}pt; color: {p.muted}; background: transparent; }}
QPushButton[role="link"] {{
  background: {p.card_bg}; color: {p.accent}; border: 2px solid {p.card_border}; text-align: left;
  font-size: {s.body}pt; padding: 8px 18px;
}}
QPushButton[role="link"]:pressed {{ background: {p.selected_bg}; }}
QPushButton[role="key"] {{
  background: {p.card_bg}; color: {p.text}; border: 2px solid {p.card_border};
  font-size: {s.headline}pt; min-height: {t + 16}px; min-width: {t + 40}px;
}}
QPushButton[role="key"]:pressed {{ background: {p.selected_bg}; }}
QPushButton[role="key-enter"] {{
  font-size: {s.title}pt; font-weight: bold; min-height: {t + 16}px; min-width: {t + 40}px;
}}
QPushButton[role="huge"] {{ font-size: {s.headline}pt; font-weight: bold; min-height: {t * 2}px; padding: 12px 60px; }}

QLabel {{ font-size: {s.body}pt; }}
QLabel[role="headline"] {{ font-size: {s.headline}pt; font-weight: bold; color: {p.text}; }}
QLabel[role="title"] {{ font-size: {s.title}pt; font-weight: bold; color: {p.text}; }}
QLabel[role="section"] {{ font-size: {s.title}pt; font-weight: bold; color: {p.accent}; padding-top: 8px; }}
QLabel[role="body"] {{ font-size: {s.body}pt; color: {p.text}; }}
QLabel[role="reader"] {{ font-size: {s.reader}pt; color: {p.text}; }}
QLabel[role="muted"] {{ font-size: {s.small}pt; color: {p.muted}; }}
QLabel[role="countdown"] {{ font-size: {s.countdown}pt; font-weight: bold; color: {p.accent}; }}
QLabel[role="badge-ok"] {{ background: {p.ok_bg}; color: {p.ok_fg}; }}
QLabel[role="badge-warn"] {{ background: {p.warn_bg}; color: {p.warn_fg}; }}
QLabel[role="badge-bad"] {{ background: {p.bad_bg}; color: {p.bad_fg}; }}
QLabel[role="badge-info"] {{ background: {p.info_bg}; color: {p.info_fg}; }}
QLabel[role="badge-ok"], QLabel[role="badge-warn"], QLabel[role="badge-bad"], QLabel[role="badge-info"] {{
  font-size: {s.small}pt; font-weight: bold; border-radius: 6px; padding: 4px 12px;
}}
QLabel[role="notice"] {{ background: {p.notice_bg}; color: {p.notice_fg}; font-size: {s.body}pt; padding: 12px; }}
QFrame[role="notice"] {{ background: {p.notice_bg}; border: 2px solid {p.notice_fg}; border-radius: 10px; }}
QFrame[role="notice"] QLabel {{ background: {p.notice_bg}; color: {p.notice_fg}; }}
QFrame[role="card"] {{ background: {p.card_bg}; border: 2px solid {p.card_border}; border-radius: 14px; }}
QFrame[role="sheet"] {{ background: {p.card_bg}; border: 3px solid {p.accent}; border-radius: 18px; }}
QFrame[role="attract"] {{ background: {p.attract_bg}; }}
QFrame[role="attract"] QLabel {{ color: {p.attract_fg}; background: transparent; }}
QLabel[role="toast"] {{
  background: {p.text}; color: {p.card_bg}; border-radius: 12px; padding: 16px 28px; font-size: {s.body}pt;
}}

QLineEdit {{
  background: {p.card_bg}; color: {p.text}; border: 3px solid {p.accent}; border-radius: 12px;
  font-size: {s.title}pt; padding: 8px 16px; min-height: {t}px;
}}
QProgressBar {{
  background: {p.card_bg}; border: 2px solid {p.card_border}; border-radius: 12px; min-height: {t - 16}px;
}}
QProgressBar::chunk {{ background: {p.accent}; border-radius: 10px; }}
QListView {{ background: {p.page_bg}; border: none; outline: none; }}
QScrollBar:vertical {{ background: {p.page_bg}; width: 14px; margin: 0; }}
QScrollBar::handle:vertical {{ background: {p.card_border}; border-radius: 7px; min-height: 60px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
QScrollBar:horizontal {{ height: 0; }}
"""
