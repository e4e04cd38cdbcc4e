"""Plain-Python flows behind the screens: idle guard, admin PIN lockout, back stack, corner gesture."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.services.admin import LOCK_FILE, PinGuard
from kiosk.services.idle import Event, IdleGuard, Phase
from kiosk.ui.back_stack import RouteStack
from kiosk.ui.corner_gesture import CornerTaps


def test_idle_guard_warns_then_wipes() -> None:
    guard = IdleGuard(idle_seconds=90, countdown_seconds=15, now=0)
    assert guard.tick(89.9) is None and guard.phase is Phase.ACTIVE
    assert guard.tick(90) is Event.WARN and guard.remaining(90) == 15
    assert guard.remaining(94.5) == 11
    assert guard.tick(104.9) is None
    assert guard.tick(105) is Event.WIPE and guard.phase is Phase.ATTRACT
    assert guard.activity(200) is Event.WAKE and guard.phase is Phase.ACTIVE


def test_the_boundary_holds_on_a_clock_nine_hours_after_boot() -> None:
    """(t + 60.0) - t is 59.999999999996 for this t: a robot resident that waited exactly a minute saw no
    countdown on some machines (the test clock starts at time.monotonic(), the machine's uptime)."""
    start = 32758.147255825
    assert (start + 60.0) - start < 60.0  # the floating point fact itself
    guard = IdleGuard(60, 15, now=start)
    assert guard.tick(start + 60.0) is Event.WARN
    assert guard.tick(start + 60.0 + 15.0) is Event.WIPE


def test_any_touch_during_countdown_resumes_and_restarts_the_clock() -> None:
    guard = IdleGuard(90, 15, now=0)
    guard.tick(90)
    assert guard.activity(95) is Event.RESUME
    assert guard.tick(150) is None  # 55 s since the touch
    assert guard.tick(185) is Event.WARN


def test_holds_keep_the_resident_active_and_wipe_clears_them() -> None:
    guard = IdleGuard(90, 15, now=0)
    guard.hold("video")
    assert guard.tick(1000) is None
    guard.release("video")
    assert guard.tick(1089) is None and guard.tick(1090) is Event.WARN
    guard.hold("speech")  # a hold arriving during the countdown does not cancel it
    assert guard.tick(1105) is Event.WIPE and not guard.held


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_pin_is_stored_only_as_argon2_hash(tmp_path: Path) -> None:
    guard = PinGuard(tmp_path)
    assert not guard.has_pin() and not guard.verify("1234").ok
    guard.set_pin("482915")
    text = guard.pin_file.read_text()
    assert text.startswith("$argon2id$") and "482915" not in text
    assert guard.verify("482915").ok
    with pytest.raises(ValueError):
        guard.set_pin("12ab")


def test_five_wrong_pins_lock_for_five_minutes_across_restarts(tmp_path: Path) -> None:
    clock = Clock()
    guard = PinGuard(tmp_path, clock=clock)
    guard.set_pin("482915")
    for left in (4, 3, 2, 1):
        result = guard.verify("000000")
        assert not result.ok and result.attempts_left == left
    result = guard.verify("000000")
    assert result.locked_seconds == 300 and "锁定" in result.message
    restarted = PinGuard(tmp_path, clock=clock)
    clock.now += 299
    assert restarted.locked_seconds() == 1
    assert not restarted.verify("482915").ok  # even the right PIN waits
    clock.now += 1
    assert restarted.verify("482915").ok
    assert restarted.attempts_left() == 5


def test_expired_lock_gives_a_fresh_round_and_clock_jumps_cannot_stretch_it(tmp_path: Path) -> None:
    clock = Clock()
    guard = PinGuard(tmp_path, clock=clock)
    guard.set_pin("482915")
    for _ in range(5):
        guard.verify("1")
    clock.now -= 10_000  # clock set back: still at most five minutes
    assert guard.locked_seconds() == 300
    clock.now += 10_300
    assert guard.verify("1").attempts_left == 4


def test_corrupt_lock_file_does_not_break_entry(tmp_path: Path) -> None:
    guard = PinGuard(tmp_path)
    guard.set_pin("482915")
    (tmp_path / LOCK_FILE).write_text("{not json")
    assert guard.verify("482915").ok


def test_route_stack_back_home_and_bounds() -> None:
    stack = RouteStack(max_depth=5)
    stack.go("laws")
    stack.go("reader", {"law_id": 1})
    stack.go("reader", {"law_id": 1})  # the same thing twice is one step
    assert [e.route for e in stack.entries] == ["home", "laws", "reader"]
    stack.remember({"number": 1087})
    stack.go("case", {"id": 3})
    assert stack.back().params == {"law_id": 1, "number": 1087}
    for i in range(10):
        stack.go("case", {"id": i})
    assert len(stack.entries) == 5 and stack.entries[0].route == "home"
    stack.go("home")
    assert not stack.can_go_back
    stack.go("laws")
    stack.replace("reader", {"law_id": 2})
    assert [e.route for e in stack.entries] == ["home", "reader"]
    assert stack.reset().route == "home"


def test_corner_taps_need_five_within_three_seconds_in_the_corner() -> None:
    taps = CornerTaps()
    assert not any(taps.tap(1070, 10, 1080, t) for t in (0, 0.5, 1, 1.5))
    assert taps.tap(1070, 10, 1080, 2.0)
    assert not any(taps.tap(1070, 10, 1080, t) for t in (10, 11, 12, 13))  # spread over 4 s …
    assert not taps.tap(1070, 10, 1080, 14.5)  # … the window slides
    assert not taps.tap(500, 500, 1080, 14.6)  # a tap elsewhere starts over
    assert not any(taps.tap(1070, 10, 1080, 15 + i / 10) for i in range(4))
