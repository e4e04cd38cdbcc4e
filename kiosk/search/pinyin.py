"""Pinyin keys for titles, so ``ldht`` or ``laodonghetong`` finds 劳动合同法."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from kiosk.search.text import CJK_CLASS, fold

_STRIP_PREFIXES = ("中华人民共和国",)


def _syllables(text: str, style: Style) -> list[str]:
    out = []
    for item in lazy_pinyin(text, style=style, errors="ignore", strict=False):
        item = "".join(ch for ch in item.lower() if ch.isascii() and ch.isalnum())
        if item:
            out.append(item)
    return out


def _han_only(text: str) -> str:
    return "".join(re.findall(rf"[{CJK_CLASS}]+", text))


def pinyin_keys(*titles: str) -> list[str]:
    """Full pinyin and initials of each title (and of it without 中华人民共和国), deduplicated."""
    keys: list[str] = []
    for title in titles:
        folded = _han_only(fold(title))
        variants = [folded]
        for prefix in _STRIP_PREFIXES:
            if folded.startswith(prefix) and len(folded) > len(prefix):
                variants.append(folded[len(prefix) :])
        for variant in variants:
            full = "".join(_syllables(variant, Style.NORMAL))
            initials = "".join(_syllables(variant, Style.FIRST_LETTER))
            for key in (full, initials):
                if key and key not in keys:
                    keys.append(key)
    return keys
