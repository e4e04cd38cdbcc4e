"""Words of this domain and region offered first on the keyboard's candidate bar.

Qt Virtual Keyboard's Pinyin engine takes no word list of ours, so the app offers these itself:
law short titles, Xiaogan's counties, towns and streets, the residents' words and legal terms of the
synonym list and hot topics, a few fixed legal phrases, and common names (surname + given name, as
elderly residents of Hubei are often called). The list is a file built from the content database
(:func:`rebuild_domain_words`, to be called after every content sync) and read by
:class:`DomainWords`; no Qt here.

File: ``<data dir>/domain_words.tsv``, one ``pinyin<TAB>initials<TAB>word<TAB>rank`` per line
(pinyin without tones, ü as v, as typed on the keyboard), sorted by pinyin.
"""

from __future__ import annotations

import bisect
import logging
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from kiosk.paths import DataPaths

log = logging.getLogger(__name__)

FILE_NAME = "domain_words.tsv"
MAX_OFFERED = 4
#: rank by source: the smaller, the earlier on the bar
RANK_PHRASE, RANK_LAW, RANK_REGION, RANK_TERM = 0, 1, 2, 3
#: phrases residents ask about that the Pinyin engine gets wrong or ranks low (issue 12)
FIXED_PHRASES = [
    "民法典",
    "遗嘱公证",
    "遗嘱继承",
    "法定继承",
    "劳动仲裁",
    "劳动争议",
    "劳动合同",
    "劳动报酬",
    "拖欠工资",
    "讨薪",
    "欠薪",
    "工伤认定",
    "工伤赔偿",
    "法律援助",
    "法律咨询",
    "法律服务",
    "公共法律服务",
    "人民调解",
    "调解协议",
    "司法所",
    "公证处",
    "律师事务所",
    "值班律师",
    "离婚协议",
    "离婚纠纷",
    "抚养费",
    "赡养费",
    "抚养权",
    "探望权",
    "彩礼",
    "家庭暴力",
    "人身安全保护令",
    "交通事故",
    "借款合同",
    "民间借贷",
    "房屋租赁",
    "租房合同",
    "押金",
    "物业纠纷",
    "宅基地",
    "土地承包",
    "征地补偿",
    "医疗纠纷",
    "消费维权",
    "诉讼时效",
    "起诉状",
    "强制执行",
    "农民工",
    "社会保险",
    "经济补偿",
    "赔偿金",
    "精神损害",
    "合同纠纷",
    "侵权责任",
]
#: common surnames with their reading as a surname (单 shan, 曾 zeng, 解 xie …)
SURNAMES = {
    "王": "wang", "李": "li", "张": "zhang", "刘": "liu", "陈": "chen", "杨": "yang", "黄": "huang",
    "赵": "zhao", "吴": "wu", "周": "zhou", "徐": "xu", "孙": "sun", "马": "ma", "朱": "zhu", "胡": "hu",
    "郭": "guo", "何": "he", "高": "gao", "林": "lin", "罗": "luo", "郑": "zheng", "梁": "liang",
    "谢": "xie", "宋": "song", "唐": "tang", "许": "xu", "韩": "han", "冯": "feng", "邓": "deng",
    "曹": "cao", "彭": "peng", "曾": "zeng", "肖": "xiao", "田": "tian", "董": "dong", "袁": "yuan",
    "潘": "pan", "于": "yu", "蒋": "jiang", "蔡": "cai", "余": "yu", "杜": "du", "叶": "ye", "程": "cheng",
    "魏": "wei", "苏": "su", "吕": "lv", "丁": "ding", "任": "ren", "沈": "shen", "姚": "yao", "卢": "lu",
    "钟": "zhong", "汪": "wang", "姜": "jiang", "熊": "xiong", "万": "wan", "夏": "xia", "涂": "tu",
    "喻": "yu", "严": "yan", "雷": "lei", "龚": "gong", "付": "fu", "方": "fang", "单": "shan",
}  # fmt: skip
GIVEN_NAMES = [
    "秀英",
    "桂英",
    "秀兰",
    "玉兰",
    "桂兰",
    "秀珍",
    "凤英",
    "玉珍",
    "玉英",
    "兰英",
    "桂芳",
    "秀云",
    "春梅",
    "海燕",
    "淑珍",
    "金凤",
    "翠兰",
    "爱华",
    "建华",
    "建国",
    "建军",
    "国华",
    "国强",
    "志强",
    "志明",
    "德华",
    "德明",
    "红梅",
    "丽华",
    "明华",
    "小红",
    "小兵",
    "文华",
    "卫东",
    "新华",
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "华",
    "红",
    "英",
    "兰",
    "梅",
    "斌",
    "鹏",
    "琴",
    "燕",
]


def words_file(paths: DataPaths) -> Path:
    return paths.root / FILE_NAME


def pinyin_of(text: str) -> list[str]:
    """Toneless syllables as typed on the keyboard (ü as v)."""
    from pypinyin import Style, lazy_pinyin

    return [s.replace("ü", "v") for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore")]


def _han_only(text: str) -> str:
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


def content_words(db: pw.Database) -> list[tuple[str, int]]:
    """Words from the content database ``db``. Each query is bound to ``db`` itself, never the models:
    this runs in the kiosk's background threads (the sync runner's own connection, the start-up rebuild)
    while the screens read through the models' binding."""
    from kiosk.store.models import HotTopic, Law, Region, Synonym

    found: list[tuple[str, int]] = [(w, RANK_PHRASE) for w in FIXED_PHRASES]
    for law in Law.select(Law.short_title).distinct().bind(db):
        for part in re.split(r"[·（）()]", str(law.short_title or "")):
            found.append((part, RANK_LAW))
    for region in Region.select(Region.name).bind(db):
        name = str(region.name)
        found.append((name, RANK_REGION))
        stem = re.sub(r"(街道|社区|居委会|村委会|开发区|管委会|区|县|市|镇|乡|村)$", "", name)
        if len(_han_only(stem)) >= 2:
            found.append((stem, RANK_REGION))
    for synonym in Synonym.select(Synonym.term, Synonym.expansions).bind(db):
        found.append((str(synonym.term), RANK_TERM))
        for expansion in synonym.expansions or []:
            found.extend((t, RANK_TERM) for t in str(expansion).split("+"))
    for topic in HotTopic.select(HotTopic.name, HotTopic.query).bind(db):
        found.append((str(topic.name), RANK_TERM))
        found.append((str(topic.query), RANK_TERM))
    return found


def build_lines(words: Iterable[tuple[str, int]]) -> list[str]:
    best: dict[str, int] = {}
    for word, rank in words:
        han = _han_only(word)
        if 2 <= len(han) <= 8 and han == word.strip():
            best[han] = min(rank, best.get(han, rank))
    lines = []
    for word, rank in best.items():
        syllables = pinyin_of(word)
        if len(syllables) != len(word):
            continue
        lines.append(f"{''.join(syllables)}\t{''.join(s[0] for s in syllables)}\t{word}\t{rank}")
    return sorted(lines)


def rebuild_domain_words(paths: DataPaths, db: pw.Database) -> int:
    """Rebuild the word file from the content database (call after a content sync); returns the count.

    Written to a side file and moved into place, so the keyboard never reads half a file.
    """
    lines = build_lines(content_words(db))
    target = words_file(paths)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".domain_words.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    log.info('{"event": "domain_words", "words": %d}', len(lines))
    return len(lines)


@dataclass(frozen=True)
class Entry:
    pinyin: str
    initials: str
    word: str
    rank: int


class DomainWords:
    """Looks typed Pinyin up in the word file (re-read when the file changes) and in common names."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._entries: list[Entry] = []
        self._keys: list[str] = []
        self._by_initials: dict[str, list[Entry]] = {}

    def _load(self) -> None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._stamp, self._entries, self._keys, self._by_initials = None, [], [], {}
            return
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp == self._stamp:
            return
        entries = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 4 and parts[3].isdigit():
                entries.append(Entry(parts[0], parts[1], parts[2], int(parts[3])))
        entries.sort(key=lambda e: e.pinyin)
        self._entries = entries
        self._keys = [e.pinyin for e in entries]
        self._by_initials = {}
        for entry in entries:
            self._by_initials.setdefault(entry.initials, []).append(entry)
        self._stamp = stamp

    def lookup(self, typed: str, limit: int = MAX_OFFERED) -> list[str]:
        typed = re.sub(r"[^a-z]", "", typed.lower())
        if len(typed) < 2:
            return []
        self._load()
        scored: list[tuple[int, int, int, str]] = []
        start = bisect.bisect_left(self._keys, typed)
        for entry in self._entries[start : start + 200]:
            if not entry.pinyin.startswith(typed):
                break
            exact = 0 if entry.pinyin == typed else 1
            # a prefix needs most of the word typed: "min" is not yet 民法典, "minfad" is
            if exact and len(typed) < max(4, len(entry.pinyin) * 2 // 3):
                continue
            scored.append((exact, entry.rank, len(entry.word), entry.word))
        if len(typed) >= 3:
            for entry in self._by_initials.get(typed, []):
                scored.append((2, entry.rank, len(entry.word), entry.word))
        scored.extend((exact, 5, len(name), name) for exact, name in self._names(typed))
        out: list[str] = []
        for *_key, word in sorted(scored):
            if word not in out:
                out.append(word)
        return out[:limit]

    def names(self, typed: str, limit: int = MAX_OFFERED) -> list[str]:
        """For a name field: surnames read as typed (commonest first), then common full names.

        A resident typing their name "wang" wants 王 and 汪, not 网暴 and 网络 from the law words.
        """
        typed = re.sub(r"[^a-z]", "", typed.lower())
        if len(typed) < 2:
            return []
        out = [surname for surname, reading in SURNAMES.items() if reading == typed]
        out += [name for _exact, name in self._names(typed) if name not in out]
        return out[:limit]

    @staticmethod
    def _names(typed: str) -> list[tuple[int, str]]:
        """张秀英 for zhangxiuying: a common surname followed by a common given name, typed in full."""
        found = []
        for surname, reading in SURNAMES.items():
            if not typed.startswith(reading) or len(typed) == len(reading):
                continue
            rest = typed[len(reading) :]
            for given in GIVEN_NAMES:
                if "".join(_given_pinyin(given)) == rest:
                    found.append((0, surname + given))
        return found


_GIVEN_CACHE: dict[str, list[str]] = {}


def _given_pinyin(given: str) -> list[str]:
    if given not in _GIVEN_CACHE:
        _GIVEN_CACHE[given] = pinyin_of(given)
    return _GIVEN_CACHE[given]
