"""What residents come for, as the robot plays it: each journey starts on the home screen and taps
only what a resident sees. Choices (queries, answers, ratings) come from the session's seeded random."""

from __future__ import annotations

import random
from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton, QLabel

from kiosk.ui.robot.driver import Driver, wait_until

Journey = Callable[[Driver, random.Random], None]

#: Typed in Pinyin on the on-screen keyboard (a space takes the first candidate).
QUERIES = ("lihun ", "laodong hetong ", "gongshang ", "jicheng ", "falv yuanzhu ")
NAMES = ("zhang ", "li ", "wang ")
MATTERS = ("gongzi ", "zhaijidi ", "")


def open_tile(d: Driver, route: str) -> None:
    d.tap(f"tile-{route}")
    if d.route != route:
        raise d.failure(f"the {route} tile opened {d.route}")


def home(d: Driver) -> None:
    d.tap("nav-home")
    if d.route != "home":
        raise d.failure("首页 did not lead home")


def visible_buttons(d: Driver, prefix: str) -> list[QAbstractButton]:
    return [b for b in d.screen().findChildren(QAbstractButton) if b.objectName().startswith(prefix) and b.isVisible()]


# --- content ----------------------------------------------------------------------------------------


def search_and_read(d: Driver, rng: random.Random) -> None:
    d.tap("home-search")
    query = rng.choice(QUERIES)
    edit = d.type_into("search-edit", query)
    typed = edit.text().strip()
    if not typed or any("a" <= c <= "z" for c in typed):
        raise d.failure(f"Pinyin {query!r} gave {typed!r}")
    screen = d.screen()

    def final() -> bool:  # the complete results, not the quick first part
        latest = getattr(screen, "latest", None)
        return getattr(latest, "text", None) == typed and not getattr(latest, "partial", True)

    if not wait_until(final, d.patience_ms):
        raise d.failure(f"no complete results for {typed}")
    d.settle()
    error = getattr(screen.latest, "error", None)  # type: ignore[attr-defined]
    if error:  # the search engine's own fault (another module): noted, and the resident goes on
        d.findings.append(f"search {typed!r}: {error}")
        return
    d.tap_card("search-results", rng.randrange(3))
    if d.route not in ("reader", "guide", "case", "institution", "person", "publicity_item"):
        raise d.failure(f"a result opened {d.route}")
    d.tap("nav-back")


def law_article(d: Driver, rng: random.Random) -> None:
    open_tile(d, "laws")
    d.tap_card("laws-list", rng.randrange(4))
    d.tap("reader-jump")
    for digit in str(rng.randrange(1, 20)):
        d.tap(f"key-{digit}")
    d.tap("key-enter")
    if d.find("reader-qr") is None:  # a law without that article: the pad says so and stays open
        d.tap("sheet-close")
        return
    d.tap("reader-qr")
    d.tap("sheet-close")


def directory(d: Driver, rng: random.Random) -> None:
    open_tile(d, "directory")
    d.tap_card("directory-list", rng.randrange(4))
    if d.route not in ("institution", "person"):
        raise d.failure(f"a directory card opened {d.route}")
    d.tap("nav-back")


def guide(d: Driver, rng: random.Random) -> None:
    open_tile(d, "guides")
    d.tap_card("guides-list", rng.randrange(4))
    d.get("guide-materials")


def case(d: Driver, rng: random.Random) -> None:
    open_tile(d, "cases")
    topics = [b for b in d.screen().topic_bar.findChildren(QAbstractButton) if b.isVisible()]  # type: ignore[attr-defined]
    if topics:
        d.tap(rng.choice(topics))
    d.tap_card("cases-list", rng.randrange(3))
    d.get("case-title")


def publicity(d: Driver, rng: random.Random) -> None:
    open_tile(d, "publicity")
    d.tap_text(rng.choice(("文章", "视频")))
    if d.find("publicity-list") is None:  # nothing of that kind on this terminal: it must say so
        d.get("publicity-empty")
        return
    d.tap_card("publicity-list", 0)
    d.get("publicity-title")


# --- services ---------------------------------------------------------------------------------------


def legal_aid(d: Driver, rng: random.Random) -> None:
    open_tile(d, "legal_aid")
    for _ in range(8):
        if d.find("legal-aid-outcome") is not None:
            break
        options = visible_buttons(d, "answer-")
        if not options:
            raise d.failure("a question without answers")
        d.tap(rng.choice(options))
    else:
        raise d.failure("the legal-aid check did not reach a result")
    if rng.random() < 0.3:
        rate(d, rng, start="legal-aid-rate")


def request(d: Driver, rng: random.Random) -> None:
    open_tile(d, "feedback")
    d.tap(rng.choice(("feedback-3", "feedback-4")))  # 预约到服务机构办理 / 请律师给我回电话
    d.tap("consent-yes")
    d.type_into("field-name", rng.choice(NAMES))
    if rng.random() < 0.4:  # a wrong number first: the message shows, nothing moves
        d.type_into("field-phone", "12345")
        d.tap("request-submit")
        if d.find("error-phone", QLabel) is None:
            raise d.failure("no message for a wrong phone number")
        d.get("field-phone").clear()  # type: ignore[attr-defined]
    d.type_into("field-phone", "13807121234")
    matter = d.find("field-matter")
    if matter is not None:
        text = rng.choice(MATTERS)
        if text:
            d.type_into("field-matter", text)
    for prefix in ("choice-institution-", "choice-preferred_time-", "choice-matter_chip-"):
        chips = visible_buttons(d, prefix)
        if chips and not any(c.isChecked() for c in chips):
            d.tap(rng.choice(chips))
    d.tap("request-submit")
    reference = d.get("request-reference", QLabel)
    if len(reference.text()) != 13:  # type: ignore[attr-defined]
        raise d.failure(f"reference {reference.text()!r}")  # type: ignore[attr-defined]


def rate(d: Driver, rng: random.Random, start: str | None = None) -> None:
    if start is None:
        open_tile(d, "feedback")
        start = "feedback-0"
    d.tap(start)
    level = rng.choice((5, 4, 3, 2, 1, 1))
    d.tap(f"level-{level}")
    if level <= 2:
        if rng.random() < 0.3:
            d.tap("rating-again")
            d.tap(f"level-{level}")
        d.tap(rng.choice(visible_buttons(d, "reason-")))
        if rng.random() < 0.5:
            d.type_into("rating-text", "zi tai xiao ")
        d.tap("rating-submit")
    d.get("rating-done")


def consult(d: Driver, rng: random.Random) -> None:
    """No lawyer can be reached from the robot: no camera, or a platform that does not answer."""
    screen = d.app.nav.screen("consult")
    no_camera = rng.random() < 0.5
    screen.probe = (lambda: ([], ["麦克风"])) if no_camera else (lambda: (["摄像头"], ["麦克风"]))  # type: ignore[attr-defined]
    open_tile(d, "consult")
    if not wait_until(lambda: d.find("consult-fallback") is not None, d.patience_ms):
        raise d.failure("no fallback without a camera or platform")
    d.settle()
    d.check()
    if rng.random() < 0.4:
        d.tap("consult-retry")
        if not wait_until(lambda: d.find("consult-fallback") is not None, d.patience_ms):
            raise d.failure("再试一次 did not come back")
        d.settle()
        d.check()


def elder(d: Driver, rng: random.Random) -> None:
    before = d.app.elder
    d.tap("nav-elder")
    if d.app.elder == before:
        raise d.failure("大字模式 did not switch")


JOURNEYS: dict[str, Journey] = {
    "search": search_and_read,
    "law": law_article,
    "directory": directory,
    "guide": guide,
    "case": case,
    "publicity": publicity,
    "legal_aid": legal_aid,
    "request": request,
    "rating": rate,
    "consult": consult,
    "elder": elder,
}
