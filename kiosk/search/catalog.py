"""What every query needs from the content database, loaded once and kept until the content changes.

Law metadata (3.4k rows), synonyms, place names and the segmenter built from them. The cache key is
the connection's ``PRAGMA data_version`` (changes when another connection commits) and its
``total_changes`` (changes when this one writes), so an import or a sync is seen at the next query.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import weakref
from dataclasses import dataclass, field

import peewee as pw

from kiosk.law_vocabulary import (
    ADMINISTRATIVE_REGULATION,
    CONSTITUTION,
    DEPARTMENTAL_RULE,
    IN_FORCE_STATUSES,
    JUDICIAL_INTERPRETATION,
    LAW,
    LOCAL_REGULATION,
    OTHER_LEVEL,
)
from kiosk.search.fts import DocFreq
from kiosk.search.index import ARTICLES, IN_FORCE_TAG, NATIONAL_TAG
from kiosk.search.lexicon import Segmenter
from kiosk.search.phrase_scores import PhraseScores
from kiosk.search.text import fold

NATIONAL_PREFIX = "中华人民共和国"
_NAME_JUNK = re.compile(r"[《》〈〉<>\"'“”‘’()（）\[\]【】\s,，.。:：;；、!！?？]+")
_PLACE_RE = re.compile(r"^([\u4e00-\u9fff]{2,7}?)(省|市|自治区|自治州|经济特区|特别行政区)")
LEVEL_RANK = {
    CONSTITUTION: 0,
    LAW: 1,
    JUDICIAL_INTERPRETATION: 2,
    ADMINISTRATIVE_REGULATION: 2,
    DEPARTMENTAL_RULE: 3,
    OTHER_LEVEL: 4,
    LOCAL_REGULATION: 4,
}
#: An article as the second stage keeps it: (id, label, sub number, text, section path).
NumberedRow = tuple[int, str, int, str, str]
MAX_CATALOGS = 4  # one per live connection that searches (the kiosk's data thread, a command line…)


def name_key(text: str) -> str:
    """How law names are compared: folded, without 中华人民共和国 (also inside 《》) or punctuation."""
    return _NAME_JUNK.sub("", fold(text).replace(NATIONAL_PREFIX, "")) or fold(text)


@dataclass(frozen=True)
class LawInfo:
    id: int
    title: str
    short_title: str
    group_key: str
    level: str
    status: str
    is_current: bool
    province: str | None
    source: str
    article_count: int
    name: str  # folded title without 中华人民共和国: what references and title matches compare

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE_STATUSES

    @property
    def local(self) -> bool:
        return self.level == LOCAL_REGULATION or self.province is not None

    def of_place(self, places: list[str]) -> bool:
        """Whether one of ``places`` (named by the query) is this law's own place."""
        return any(p in self.name or (self.province and p.startswith(self.province)) for p in places)

    def elsewhere(self, places: list[str]) -> bool:
        """A local regulation of a place the query did not name: after everything else."""
        return self.local and not self.of_place(places)


@dataclass
class Catalog:
    laws: dict[int, LawInfo]
    synonyms: dict[str, list[str]]
    places: set[str]
    segmenter: Segmenter
    article_rows: int
    by_name: dict[str, list[int]] = field(default_factory=dict)  # folded name / short title → law ids
    df: DocFreq = field(default_factory=DocFreq)
    groups: dict[str, list[int]] = field(default_factory=dict)  # group_key → law ids (all versions)
    named: dict[str, list[LawInfo]] = field(default_factory=dict)  # memo of refs.laws_named
    keys: dict[int, str] = field(default_factory=dict)  # law id → name_key of its name
    last_article: dict[int, int] = field(default_factory=dict)  # law id → highest article number
    parts: dict[str, list[int]] = field(default_factory=dict)  # 民法典 → ids of 民法典·总则编, ·物权编 …
    # Index rowid → IN_FORCE | NATIONAL bits, from the index's own scope tags: a rare concept's few
    # rows are filtered here instead of intersecting them with a tag held by 100k rows in FTS5.
    scope_flags: bytearray = field(default_factory=bytearray)
    # Each common phrase's bm25 per row, fetched once: the any-of query of a short question then
    # costs numpy sums instead of FTS5 scoring the 10,000 rows of 申请 again for every question.
    phrases: PhraseScores = field(default_factory=PhraseScores)
    section_paths: dict[int, str] = field(default_factory=dict)  # section id → 总则 一般规定 (16k at most)
    section_leads: dict[int, int] = field(default_factory=dict)  # section id → its first article's position
    # (law id, article number) → the article's row, None when the law has no such article: the
    # articles a learned model brings to many questions, read once (articles.keep_numbered).
    numbered: dict[tuple[int, int], NumberedRow | None] = field(default_factory=dict)
    # What asked for them (a learned model): read for each once, weakly held (fold models come and go).
    numbered_for: weakref.WeakSet[object] = field(default_factory=weakref.WeakSet)
    _current: dict[str, int | None] = field(default_factory=dict)

    def current_version(self, group: str) -> int | None:
        """The id of the law group's current version in force, None when it has none."""
        if group not in self._current:
            laws = [self.laws[i] for i in self.groups.get(group, [])]
            self._current[group] = next((law.id for law in laws if law.is_current and law.in_force), None)
        return self._current[group]

    def is_place(self, word: str) -> bool:
        return word in self.places

    def synonyms_of(self, word: str) -> list[str]:
        """Legal wordings for ``word`` from the synonym table (``assets/synonyms.tsv``, the one source)."""
        return list(self.synonyms.get(word, []))


_lock = threading.Lock()
_cache: dict[int, tuple[tuple[int, int], Catalog]] = {}
_tokens = itertools.count(1)


def _state(db: pw.Database) -> tuple[int, tuple[int, int]]:
    """(this connection's token, its view of the content's version).

    The token is kept in the connection's own temp schema (``PRAGMA temp.user_version``), so a new
    connection is always told apart from an old one, even one Python gave the same ``id()``; the
    version pair is only comparable within one connection.
    """
    conn = db.connection()
    token = int(conn.execute("PRAGMA temp.user_version").fetchone()[0])
    if not token:
        with _lock:
            token = next(_tokens) % 0x7FFFFFFF + 1
        conn.execute(f"PRAGMA temp.user_version = {token}")
    version = conn.execute("PRAGMA data_version").fetchone()[0]
    return token, (int(version), int(conn.total_changes))


def get_catalog(db: pw.Database) -> Catalog:
    key, state = _state(db)
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] == state:
            return hit[1]
    catalog = _load(db)
    with _lock:
        _cache.pop(key, None)
        _cache[key] = (state, catalog)
        while len(_cache) > MAX_CATALOGS:  # connections of finished threads: the oldest go
            del _cache[next(iter(_cache))]
    return catalog


def _load(db: pw.Database) -> Catalog:
    laws: dict[int, LawInfo] = {}
    sql = (
        "SELECT id, title, short_title, group_key, level, status, is_current, province, source, article_count FROM law"
    )
    for row in db.execute_sql(sql):
        name = fold(row[1].removeprefix(NATIONAL_PREFIX) or row[1])
        law_id, title, short, group, level, status, current, province, source, count = row
        laws[law_id] = LawInfo(
            law_id, title, short, group, level, status, bool(current), province, source, int(count or 0), name
        )
    synonyms: dict[str, list[str]] = {}
    for term, expansions in db.execute_sql("SELECT term, expansions FROM synonym"):
        try:
            values = json.loads(expansions)
        except ValueError:
            continue
        if isinstance(values, list):
            folded = fold(term).strip()
            synonyms.setdefault(folded, []).extend(str(v) for v in values if str(v).strip())
    places = _places(db, laws.values())
    by_name: dict[str, list[int]] = {}
    keys = {law.id: name_key(law.name) for law in laws.values()}
    for law in laws.values():
        for key in {keys[law.id], name_key(law.short_title), name_key(law.group_key)}:
            by_name.setdefault(key, []).append(law.id)
    # The words of the list and their legal terms are words of the segmenter; a lone character's terms
    # (打 → 殴打) are not: they are searched only when the character stands alone in a question.
    extra = list(synonyms) + [
        w for word, values in synonyms.items() if len(word) > 1 for e in values for w in e.split("+")
    ]
    extra += [law.name for law in laws.values() if len(law.name) <= 12] + list(places)
    segmenter = Segmenter(fold(w) for w in extra)
    try:
        rows = db.execute_sql(f"SELECT count(*) FROM {ARTICLES}_docsize").fetchone()[0]
    except pw.OperationalError:  # an index written by an older layout: `kiosk search --rebuild-index`
        rows = 0
    last_sql = "SELECT law_id, max(number) FROM article GROUP BY law_id"
    last = {law_id: int(n or 0) for law_id, n in db.execute_sql(last_sql)}
    groups: dict[str, list[int]] = {}
    for law in laws.values():
        groups.setdefault(law.group_key, []).append(law.id)
    parts: dict[str, list[int]] = {}
    for law_id, key in keys.items():
        if "·" in key:
            parts.setdefault(key.partition("·")[0], []).append(law_id)
    return Catalog(
        laws,
        synonyms,
        places,
        segmenter,
        max(int(rows), 1),
        by_name,
        groups=groups,
        keys=keys,
        last_article=last,
        parts=parts,
        scope_flags=_scope_flags(db),
    )


IN_FORCE = 1
NATIONAL = 2


def _scope_flags(db: pw.Database) -> bytearray:
    """One byte per index rowid (~1.2 MB): which default scope tags that row carries."""
    marked: list[tuple[int, list[int]]] = []
    for bit, tag in ((IN_FORCE, IN_FORCE_TAG), (NATIONAL, NATIONAL_TAG)):
        try:
            rows = db.execute_sql(f"SELECT rowid FROM {ARTICLES} WHERE {ARTICLES} MATCH ?", [f"tags : {tag}"])
            marked.append((bit, [r[0] for r in rows]))
        except pw.OperationalError:  # no index yet, or an older layout: every query takes the FTS5 path
            return bytearray()
    flags = bytearray(max((max(ids, default=0) for _, ids in marked), default=0) + 1)
    for bit, ids in marked:
        for rowid in ids:
            flags[rowid] |= bit
    return flags


def _places(db: pw.Database, laws: object) -> set[str]:
    places: set[str] = set()
    for law in laws:  # type: ignore[attr-defined]
        if law.province:
            places.add(fold(law.province))
        if law.local:
            m = _PLACE_RE.match(law.name)
            if m:
                places.update({m[1], m[1] + m[2]})
    try:
        for (name,) in db.execute_sql("SELECT name FROM region"):
            folded = fold(name)
            places.add(folded)
            stem = re.sub(r"(市|区|县|镇|乡|街道|办事处)$", "", folded)
            if len(stem) >= 2:
                places.add(stem)
    except pw.OperationalError:
        pass
    return places
