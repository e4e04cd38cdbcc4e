"""Debian's zinnia (``libzinnia.so.0``, an online handwriting recogniser) called through ctypes.

Only the few C functions the kiosk needs (zinnia.h); no Qt here, so the recogniser can be used from
the command line, the doctor and benchmarks alike.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache

LIBRARY_NAMES = ("libzinnia.so.0", "zinnia")


class ZinniaUnavailable(RuntimeError):
    """The zinnia library is not installed (Debian package libzinnia0)."""


@cache
def library() -> ctypes.CDLL:
    errors = []
    for name in LIBRARY_NAMES:
        path = name if name.endswith(".0") else ctypes.util.find_library(name)
        if not path:
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError as exc:
            errors.append(str(exc))
            continue
        _declare(lib)
        return lib
    raise ZinniaUnavailable(
        "handwriting recogniser libzinnia.so.0 not found (install the Debian package libzinnia0)"
        + (f": {'; '.join(errors)}" if errors else "")
    )


def _declare(lib: ctypes.CDLL) -> None:
    vp, sz, c_int, c_char_p = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_char_p
    signatures: dict[str, tuple[object, list[object]]] = {
        "zinnia_recognizer_new": (vp, []),
        "zinnia_recognizer_destroy": (None, [vp]),
        "zinnia_recognizer_open": (c_int, [vp, c_char_p]),
        "zinnia_recognizer_strerror": (c_char_p, [vp]),
        "zinnia_recognizer_classify": (vp, [vp, vp, sz]),
        "zinnia_character_new": (vp, []),
        "zinnia_character_destroy": (None, [vp]),
        "zinnia_character_set_width": (None, [vp, sz]),
        "zinnia_character_set_height": (None, [vp, sz]),
        "zinnia_character_clear": (None, [vp]),
        "zinnia_character_add": (c_int, [vp, sz, c_int, c_int]),
        "zinnia_result_value": (c_char_p, [vp, sz]),
        "zinnia_result_score": (ctypes.c_float, [vp, sz]),
        "zinnia_result_size": (sz, [vp]),
        "zinnia_result_destroy": (None, [vp]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
