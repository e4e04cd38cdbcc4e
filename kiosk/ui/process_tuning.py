"""Process tuning for a kiosk that runs for months: interpreter and C-heap settings, no Qt.

Called by :mod:`kiosk.ui.app`: :func:`immortalize_singletons` and :func:`limit_malloc_arenas` once
before the QApplication and its threads exist, :func:`release_free_memory` at each wipe between
residents.
"""

from __future__ import annotations

import sys

NONE_RESERVE = 1 << 40


def immortalize_singletons() -> None:
    """Work around PySide6 6.12.0 reference bugs on CPython < 3.12.

    Every Qt call that returns a null pointer (``parentWidget()``, ``focusWidget()``, ``itemAt()``…)
    hands back ``None`` without taking a reference; every ``Signal.emit()`` from Python returns
    ``True`` the same way, and a bool emitted as ``Signal(bool)`` loses one more: the counts fall by
    one each time and, after some thousands of calls, reach zero and abort the interpreter
    ("none_dealloc", "bool_dealloc" — seen after ~6,000 navigations). Python 3.12 made these objects
    immortal; here we give them a count no kiosk can use up.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < NONE_RESERVE // 2:
            refcount.value += NONE_RESERVE


def release_free_memory() -> None:
    """Hand freed heap back to the system between residents (glibc keeps it otherwise)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import ctypes.util

        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            libc.malloc_trim(0)
        except (OSError, AttributeError):
            pass


def limit_malloc_arenas(arenas: int = 2) -> None:
    """Few glibc heaps: with one per worker thread, freed memory scatters and the kiosk's size drifts
    up and down by a tenth from one resident to the next; two keep it steady. Call before threads start."""
    if sys.platform.startswith("linux"):
        import ctypes
        import ctypes.util

        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            libc.mallopt(-8, arenas)  # M_ARENA_MAX
        except (OSError, AttributeError):
            pass
