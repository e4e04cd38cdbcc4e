"""``kiosk doctor``'s handwriting check: the recogniser loads the model and reads a built-in 工."""

from __future__ import annotations

from kiosk.doctor_base import Check
from kiosk.paths import DataPaths

#: 工 as a resident would write it on a 300×300 pad: top bar, the stem, the long bottom bar.
SAMPLE_CHARACTER = "工"
SAMPLE_STROKES: list[list[list[int]]] = [
    [[70, 80], [150, 80], [230, 80]],
    [[150, 82], [150, 150], [150, 225]],
    [[40, 228], [150, 228], [260, 228]],
]
SAMPLE_INK: dict[str, object] = {"width": 300, "height": 300, "strokes": SAMPLE_STROKES}
FIX = "apt-get install libzinnia0 tegaki-zinnia-simplified-chinese"


def check_handwriting(_: DataPaths) -> Check:
    from kiosk.handwriting.recognizer import HandwritingUnavailable, Recognizer, parse_ink

    try:
        recognizer = Recognizer()
    except HandwritingUnavailable as exc:
        return Check("handwriting", False, f"{exc}：居民无法手写输入", FIX)
    candidates, ms = recognizer.timed(parse_ink(SAMPLE_INK), 5)
    recognizer.close()
    if SAMPLE_CHARACTER not in candidates:
        return Check(
            "handwriting",
            False,
            f"模型 {recognizer.path} 认不出手写的「{SAMPLE_CHARACTER}」（得到 {''.join(candidates)}）",
            "apt-get install --reinstall tegaki-zinnia-simplified-chinese",
        )
    return Check(
        "handwriting",
        True,
        f"{recognizer.path.name} 认出手写的「{SAMPLE_CHARACTER}」"
        f"（第 {candidates.index(SAMPLE_CHARACTER) + 1} 位，{ms:.1f} 毫秒）",
    )
