"""Elder mode (适老化) meets the MIIT figures on every screen; both themes meet the contrast figure."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel, QLineEdit, QScrollArea, QWidget
from uihelpers import settle, tap

from kiosk.store.models import Case, Guide, Institution, Law, Person, PublicityItem
from kiosk.ui import theme
from kiosk.ui.widgets.cards import CardList
from kiosk.ui.widgets.reader_view import ReaderView


def visits() -> list[tuple[str, dict[str, Any]]]:
    civil = Law.get(Law.short_title == "民法典·总则").id
    return [
        ("home", {}),
        ("search", {"text": "离婚"}),
        ("laws", {}),
        ("reader", {"law_id": civil, "number": 1087}),
        ("directory", {}),
        ("institution", {"id": Institution.select().first().id}),
        ("person", {"id": Person.select().first().id}),
        ("cases", {}),
        ("case", {"id": Case.select().first().id}),
        ("guides", {}),
        ("guide", {"id": Guide.select().first().id}),
        ("publicity", {}),
        ("publicity_item", {"id": PublicityItem.select().first().id}),
        ("legal_aid", {}),
        ("legal_aid", {"answers": [("matter", "wages"), ("group", "migrant")]}),  # the result page
        ("consult", {}),
        ("consult", {"fallback": "missed", "phone": "https://hub.example.cn/consult"}),
        ("feedback", {}),
        ("request", {"kind": "appointment"}),
        ("rating", {"service": "terminal", "session": "elder"}),
        ("admin_pin", {}),
    ]


def shown_text_widgets(root: QWidget) -> list[QWidget]:
    found: list[QWidget] = []
    for cls in (QLabel, QAbstractButton, QLineEdit):
        for w in root.findChildren(cls):
            text = w.text() if not isinstance(w, QLineEdit) else w.placeholderText() or w.text()
            if w.isVisibleTo(root.window()) and text.strip():
                w.ensurePolished()
                found.append(w)
    return found


def line_spacing(font: Any) -> float:
    return QFontMetricsF(font).lineSpacing() / (font.pointSizeF() * 96 / 72)


def check_elder(kiosk: Any, route: str) -> None:
    screen = kiosk.nav.current_screen()
    for w in shown_text_widgets(kiosk.window.chrome) + shown_text_widgets(screen):
        size = w.font().pointSizeF()
        assert size >= theme.ELDER_MIN_BODY_PT, f"{route}: {w.text()!r} is {size} pt"
        assert line_spacing(w.font()) >= theme.MIN_LINE_SPACING
        if isinstance(w, QAbstractButton):
            assert w.width() >= theme.MIN_TOUCH_PX and w.height() >= theme.MIN_TOUCH_PX, f"{route}: {w.text()!r}"
    main_labels = [kiosk.chrome.title] + [
        w for w in screen.findChildren(QLabel) if w.property("role") in ("headline", "tile-title") and w.isVisible()
    ]
    for w in main_labels:
        assert w.font().pointSizeF() >= theme.ELDER_MIN_LABEL_PT, f"{route}: {w.text()!r}"
    for view in screen.findChildren(CardList):
        d = view.delegate
        assert min(f.pointSizeF() for f in (d.f_title, d.f_line, d.f_badge, d.f_snippet)) >= theme.ELDER_MIN_BODY_PT
    for view in screen.findChildren(ReaderView):
        d = view.delegate
        assert min(f.pointSizeF() for f in (d.f_text, d.f_label, *d.f_heads)) >= theme.ELDER_MIN_BODY_PT
        assert line_spacing(d.f_text) >= theme.MIN_LINE_SPACING


def test_elder_mode_from_every_screen_meets_the_miit_figures(qtbot: Any, kiosk: Any) -> None:
    for route, params in visits():
        kiosk.nav.go(route, **params)
        settle(qtbot, kiosk)
        normal_title = kiosk.chrome.title.font().pointSizeF()
        tap(qtbot, kiosk.chrome.elder_button)  # the switch is on every screen
        assert kiosk.elder and kiosk.chrome.elder_button.text() == "标准字号"
        settle(qtbot, kiosk)
        check_elder(kiosk, route)
        assert kiosk.chrome.title.font().pointSizeF() > normal_title
        tap(qtbot, kiosk.chrome.elder_button)
        assert not kiosk.elder
    kiosk.nav.go("home")
    tiles = kiosk.nav.current_screen().tiles
    tap(qtbot, kiosk.chrome.elder_button)
    assert all(t.title_label.font().pointSizeF() >= theme.ELDER_MIN_LABEL_PT for t in tiles)


def test_elder_mode_as_configured_default(qtbot: Any, services: Any, clock: Any) -> None:
    from uihelpers import make_app

    services.config.set("elder_mode_default", True)
    kiosk = make_app(services, clock)
    try:
        assert kiosk.elder and kiosk.chrome.elder_button.isChecked()
        check_elder(kiosk, "home")
    finally:
        kiosk.close()


def test_normal_mode_keeps_touch_targets_and_readable_text(qtbot: Any, kiosk: Any) -> None:
    for route, params in visits():
        kiosk.nav.go(route, **params)
        settle(qtbot, kiosk)
        for w in shown_text_widgets(kiosk.nav.current_screen()):
            assert w.font().pointSizeF() >= 14
            if isinstance(w, QAbstractButton):
                assert w.width() >= 60 and w.height() >= 60, f"{route}: {w.text()!r}"


@pytest.mark.parametrize("palette", [theme.NORMAL_PALETTE, theme.ELDER_PALETTE], ids=["normal", "elder"])
def test_every_text_colour_pair_has_contrast_4_5(palette: theme.Palette) -> None:
    for fg, bg in theme.TEXT_PAIRS:
        ratio = theme.contrast(getattr(palette, fg), getattr(palette, bg))
        assert ratio >= theme.MIN_CONTRAST, f"{fg} on {bg}: {ratio:.2f}"


def test_contrast_formula_matches_wcag_examples() -> None:
    assert theme.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert theme.contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_style_sheet_uses_only_palette_colours() -> None:
    import re

    for t in (theme.NORMAL, theme.ELDER):
        colours = set(re.findall(r"#[0-9A-Fa-f]{6}", theme.stylesheet(t)))
        assert colours <= {v.upper() for v in vars(t.palette).values()} | {v for v in vars(t.palette).values()}


def in_scroll_area(w: QWidget) -> bool:
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def squashed_or_outside(window: QWidget, root: QWidget) -> list[str]:
    """Visible buttons and labels squeezed below their minimum size or reaching past the window."""
    problems = []
    frame = window.rect()
    for w in root.findChildren(QAbstractButton) + root.findChildren(QLabel):
        if not w.isVisibleTo(window) or not w.text().strip():
            continue
        hint = w.minimumSizeHint()
        if w.height() < min(hint.height(), w.minimumHeight() or hint.height()) - 1:
            problems.append(f"{w.text()!r} squeezed to {w.height()} px (needs {hint.height()})")
        if in_scroll_area(w):
            continue  # below the fold of a flickable page is fine
        bottom_right = w.mapTo(window, w.rect().bottomRight())
        top_left = w.mapTo(window, w.rect().topLeft())
        if isinstance(w, QAbstractButton) and not (frame.contains(top_left) and frame.contains(bottom_right)):
            problems.append(f"{w.text()!r} outside the window at {top_left}")
    for area in root.findChildren(QScrollArea):
        # Pages flick up and down only: content wider than the page is cut off at the right edge.
        inner = area.widget()
        if area.isVisibleTo(window) and inner is not None and inner.width() > area.viewport().width():
            problems.append(
                f"{area.objectName() or type(area).__name__} content {inner.width()} px wide "
                f"in a {area.viewport().width()} px page"
            )
    return problems


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_nothing_is_squeezed_or_cut_off(qtbot: Any, services: Any, clock: Any, orientation: str, elder: bool) -> None:
    from uihelpers import make_app

    services.config.set("elder_mode_default", elder)
    kiosk = make_app(services, clock, orientation)
    try:
        for route, params in [*visits(), ("reader", {"law_id": Law.get(Law.short_title == "民法典·总则").id})]:
            screen = kiosk.nav.go(route, **params)
            settle(qtbot, kiosk)
            assert squashed_or_outside(kiosk.window, kiosk.window) == [], route
            if route == "reader" and "number" in params:
                for panel in ("show_jump", "show_qr", "show_toc"):
                    getattr(screen, panel)()
                    qtbot.wait(10)
                    assert squashed_or_outside(kiosk.window, screen.sheet) == [], f"{route} {panel}"
                    screen.sheet.close_sheet()
        kiosk.window.idle_overlay.show_countdown(15)
        qtbot.wait(10)
        assert squashed_or_outside(kiosk.window, kiosk.window.idle_overlay) == []
    finally:
        kiosk.close()
