"""Article references typed as queries: 劳动合同法第十九条, 劳动合同法 19, 民法典1087条, 第一千零八十七条.

A reference resolves to the article of the current version of the named law (in force first). The
law may be named by its short title, its full title with or without 中华人民共和国, a Civil Code part
or the whole 民法典 (whose parts share one article numbering), in 《》 or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.search.catalog import LEVEL_RANK, Catalog, LawInfo, name_key
from kiosk.store.numerals import cn_to_int

_CN = "〇零一二三四五六七八九十百千两"
_NUM = rf"(\d{{1,4}}|[{_CN}]{{1,9}})"
#: 第X条 anywhere, or X条 with digits; 之一 optional.
_SUB = rf"(?:\s*之\s*([{_CN}\d]{{1,3}}))?"
_ARTICLE = re.compile(rf"第\s*{_NUM}\s*条{_SUB}|(\d{{1,4}})\s*条{_SUB}")
#: "劳动合同法 19" / "民法典1087": a law name followed by bare digits at the end.
_TRAILING_DIGITS = re.compile(r"^(.*?[^\d\s])\s*(\d{1,4})$")
_NAME_JUNK = re.compile(r"[《》〈〉<>\"'“”‘’()（）\[\]【】\s,，.。:：;；、!！?？]+")
_MAX_NAME = 40


@dataclass(frozen=True)
class Reference:
    law_name: str  # as typed, folded; "" when only 第X条 was given
    number: int
    sub_number: int
    rest: str  # what else the query said, e.g. 的内容


def _to_int(text: str) -> int | None:
    try:
        return int(text) if text.isdigit() else cn_to_int(text)
    except ValueError:
        return None


def parse_reference(folded: str) -> Reference | None:
    text = folded.strip()
    if not text or len(text) > 80:
        return None
    m = _ARTICLE.search(text)
    if m:
        number = _to_int(m[1] or m[3])
        sub_text = m[2] or m[4]
        sub = _to_int(sub_text) if sub_text else 0
        if number is None or sub is None or number <= 0:
            return None
        name = _NAME_JUNK.sub("", text[: m.start()])
        return Reference(name[-_MAX_NAME:], number, sub, text[m.end() :].strip())
    m = _TRAILING_DIGITS.match(text)
    if m:
        name = _NAME_JUNK.sub("", m[1])
        digits = int(m[2])
        if name and not name.isascii() and digits > 0:
            return Reference(name[-_MAX_NAME:], digits, 0, "")
    return None


def _in_force_first(laws: list[LawInfo]) -> list[LawInfo]:
    return sorted(
        laws, key=lambda law: (not law.in_force, not law.is_current, law.local, LEVEL_RANK.get(law.level, 5), law.id)
    )


def laws_named(catalog: Catalog, name: str) -> list[LawInfo]:
    """Current laws the name stands for, best first; [] when the name is no law's."""
    cached = catalog.named.get(name)
    if cached is None:
        cached = catalog.named[name] = _laws_named(catalog, name)
        if len(catalog.named) > 5000:
            catalog.named.clear()
    return cached


def _laws_named(catalog: Catalog, name: str) -> list[LawInfo]:
    name = name_key(name)
    if len(name) < 2:
        return []
    for candidate in _name_variants(name):
        ids = catalog.by_name.get(candidate, [])
        laws = [catalog.laws[i] for i in ids if catalog.laws[i].is_current]
        if laws:
            return _in_force_first(laws)
        # 民法典 stands for all its parts (民法典·婚姻家庭编 …), which share the article numbering.
        parts = [catalog.laws[i] for i in catalog.parts.get(candidate, []) if catalog.laws[i].is_current]
        if parts:
            return _in_force_first(parts)
    return []


def _name_variants(name: str) -> list[str]:
    """The name and, for a name followed by other words, its shorter heads (劳动合同法的 → 劳动合同法)."""
    variants = [name]
    for cut in ("的规定", "规定", "的"):
        if name.endswith(cut) and len(name) - len(cut) >= 2:
            variants.append(name[: -len(cut)])
    return variants


def resolve(catalog: Catalog, ref: Reference) -> tuple[list[LawInfo], bool]:
    """The laws to look the article up in, and whether the law was named (False: 第X条 alone)."""
    if ref.law_name:
        # The name may carry words in front (请问劳动合同法): try ever shorter tails.
        name = ref.law_name
        for start in range(0, max(1, len(name) - 1)):
            laws = laws_named(catalog, name[start:])
            if laws:
                return laws, True
        return [], True
    laws = [law for law in catalog.laws.values() if law.is_current and law.in_force]
    return sorted(laws, key=lambda law: (law.local, LEVEL_RANK.get(law.level, 5), -law.article_count, law.id)), False
