"""Chinese numerals as used in article labels (第一千零八十七条, 第十条之一)."""

from __future__ import annotations

_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)


def cn_to_int(text: str) -> int:
    """``一千零八十七`` → 1087, ``十九`` → 19, ``二〇二〇`` → 2020 (digit by digit)."""
    if not text:
        raise ValueError("empty numeral")
    if all(ch in _DIGITS for ch in text) and len(text) > 1:
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = 0
    section = 0
    digit = 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10000:
                total += (section + digit) * unit
                section = 0
            else:
                section += (digit or 1) * unit
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + digit


def int_to_cn(number: int) -> str:
    """1087 → ``一千零八十七``; 19 → ``十九``; used to print article labels."""
    if number < 0 or number >= 100000:
        raise ValueError(number)
    if number == 0:
        return "零"
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    units = [(10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")]
    zero_pending = False
    started = False
    for value, name in units:
        d = number // value % 10
        if d:
            if zero_pending:
                parts.append("零")
            parts.append(digits[d] + name)
            zero_pending = False
            started = True
        elif started:
            zero_pending = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text
