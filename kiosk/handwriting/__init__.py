"""Offline handwriting recognition of Simplified Chinese characters (zinnia + the tegaki model)."""

from kiosk.handwriting.recognizer import (
    DEFAULT_MODEL_PATHS,
    HandwritingUnavailable,
    Ink,
    InkError,
    Recognizer,
    default_recognizer,
    parse_ink,
)

__all__ = [
    "DEFAULT_MODEL_PATHS",
    "HandwritingUnavailable",
    "Ink",
    "InkError",
    "Recognizer",
    "default_recognizer",
    "parse_ink",
]
