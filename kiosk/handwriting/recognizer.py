"""Recognising one handwritten character: strokes in, candidates (best first) out.

Ink is ``{"width": W, "height": H, "strokes": [[[x, y], ...], ...]}`` with y downwards, as drawn
on a screen. The model is the tegaki project's Simplified Chinese zinnia model (Debian package
tegaki-zinnia-simplified-chinese).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kiosk.handwriting.zinnia import ZinniaUnavailable, library

MODEL_ENV = "KIOSK_HANDWRITING_MODEL"
DEFAULT_MODEL_PATHS = (Path("/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model"),)
MAX_STROKES = 64
MAX_POINTS = 4096


class HandwritingUnavailable(RuntimeError):
    """No recogniser or no model: say which package is missing."""


class InkError(ValueError):
    """Ink that cannot be a character; the message names the field that is wrong."""


@dataclass(frozen=True)
class Ink:
    width: int
    height: int
    strokes: tuple[tuple[tuple[int, int], ...], ...]


def parse_ink(data: object) -> Ink:
    """Check ink read from JSON (or built by the pad) and say exactly what is wrong with it."""
    if not isinstance(data, dict):
        raise InkError("ink must be an object with width, height and strokes")
    size: dict[str, int] = {}
    for field in ("width", "height"):
        value = data.get(field)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= 10_000:
            raise InkError(f"{field}: expected a number of pixels from 1 to 10000, got {value!r}")
        size[field] = int(value)
    strokes = data.get("strokes")
    if not isinstance(strokes, list) or not strokes:
        raise InkError("strokes: expected a non-empty list of strokes")
    if len(strokes) > MAX_STROKES:
        raise InkError(f"strokes: {len(strokes)} strokes, at most {MAX_STROKES}")
    out = []
    total = 0
    for i, stroke in enumerate(strokes):
        if not isinstance(stroke, list) or not stroke:
            raise InkError(f"strokes[{i}]: expected a non-empty list of [x, y] points")
        points = []
        for j, point in enumerate(stroke):
            if (
                not isinstance(point, (list, tuple))
                or len(point) != 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in point)
            ):
                raise InkError(f"strokes[{i}][{j}]: expected [x, y] numbers, got {point!r}")
            x, y = point
            if not (-size["width"] <= x <= 2 * size["width"] and -size["height"] <= y <= 2 * size["height"]):
                raise InkError(f"strokes[{i}][{j}]: point {point!r} lies far outside {size['width']}×{size['height']}")
            points.append((round(x), round(y)))
        total += len(points)
        out.append(tuple(points))
    if total > MAX_POINTS:
        raise InkError(f"strokes: {total} points, at most {MAX_POINTS}")
    return Ink(size["width"], size["height"], tuple(out))


def model_path() -> Path:
    configured = os.environ.get(MODEL_ENV)
    candidates = [Path(configured)] if configured else list(DEFAULT_MODEL_PATHS)
    for path in candidates:
        if path.is_file():
            return path
    where = ", ".join(str(p) for p in candidates)
    raise HandwritingUnavailable(
        f"handwriting model not found ({where}); install the Debian package tegaki-zinnia-simplified-chinese"
    )


class Recognizer:
    """One opened model. Thread-safe (a lock: zinnia's recogniser is not meant to be shared)."""

    def __init__(self, path: Path | None = None) -> None:
        try:
            self._lib = library()
        except ZinniaUnavailable as exc:
            raise HandwritingUnavailable(str(exc)) from exc
        self.path = path or model_path()
        self._lock = threading.Lock()
        self._handle = self._lib.zinnia_recognizer_new()
        if not self._lib.zinnia_recognizer_open(self._handle, str(self.path).encode()):
            reason = (self._lib.zinnia_recognizer_strerror(self._handle) or b"").decode(errors="replace")
            self._lib.zinnia_recognizer_destroy(self._handle)
            self._handle = None
            raise HandwritingUnavailable(f"cannot open handwriting model {self.path}: {reason}")

    def classify(self, ink: Ink, best: int = 10) -> list[tuple[str, float]]:
        """Candidates with their scores, best first."""
        if not ink.strokes:
            return []
        lib = self._lib
        with self._lock:
            if self._handle is None:
                raise HandwritingUnavailable("the handwriting recogniser was closed")
            character = lib.zinnia_character_new()
            try:
                lib.zinnia_character_set_width(character, ink.width)
                lib.zinnia_character_set_height(character, ink.height)
                for index, stroke in enumerate(ink.strokes):
                    for x, y in stroke:
                        lib.zinnia_character_add(character, index, int(x), int(y))
                result = lib.zinnia_recognizer_classify(self._handle, character, best)
                if not result:
                    return []
                try:
                    size = lib.zinnia_result_size(result)
                    return [
                        (
                            (lib.zinnia_result_value(result, i) or b"").decode("utf-8", errors="replace"),
                            float(lib.zinnia_result_score(result, i)),
                        )
                        for i in range(size)
                    ]
                finally:
                    lib.zinnia_result_destroy(result)
            finally:
                lib.zinnia_character_destroy(character)

    def candidates(self, ink: Ink, best: int = 10) -> list[str]:
        return [value for value, _score in self.classify(ink, best) if value]

    def timed(self, ink: Ink, best: int = 10) -> tuple[list[str], float]:
        """Candidates and the milliseconds the recognition took."""
        start = time.perf_counter()
        found = self.candidates(ink, best)
        return found, (time.perf_counter() - start) * 1000

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._lib.zinnia_recognizer_destroy(self._handle)
                self._handle = None

    def __del__(self) -> None:  # the model is ~3 MB of C memory
        try:  # noqa: SIM105 - at interpreter exit module globals (contextlib among them) may be gone
            self.close()
        except Exception:
            pass


@cache
def default_recognizer() -> Recognizer:
    """The process's recogniser, opened once (about 20 ms)."""
    return Recognizer()


def ink_points(strokes: list[list[tuple[float, float]]]) -> list[list[list[float]]]:
    """Strokes as JSON-ready lists (for files and the command line)."""
    return [[[float(x), float(y)] for x, y in stroke] for stroke in strokes]
