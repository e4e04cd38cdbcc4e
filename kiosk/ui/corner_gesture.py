"""The hidden admin gesture: five taps in the top-right corner within three seconds.

Plain Python (no Qt), tested with plain asserts; `kiosk/ui/app.py` feeds it the window's presses.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass
class CornerTaps:
    taps_needed: int = 5
    window_seconds: float = 3.0
    corner_px: int = 110
    _times: deque[float] = field(default_factory=deque)

    def in_corner(self, x: float, y: float, width: float) -> bool:
        return x >= width - self.corner_px and 0 <= y <= self.corner_px

    def tap(self, x: float, y: float, width: float, now: float) -> bool:
        """Feed one press at window coordinates; True when the gesture is complete."""
        if not self.in_corner(x, y, width):
            self._times.clear()
            return False
        self._times.append(now)
        while self._times and now - self._times[0] > self.window_seconds:
            self._times.popleft()
        if len(self._times) >= self.taps_needed:
            self._times.clear()
            return True
        return False
