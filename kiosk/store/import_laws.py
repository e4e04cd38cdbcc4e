"""``kiosk import laws FOLDER``: a LawRefBook-format folder into the content store.

The folder is taken as the whole law collection: documents no longer in it are removed unless
``keep_missing`` is set. Everything is checked and parsed before the first write, and the writes
(content and search index) happen in one IMMEDIATE transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from kiosk.law_vocabulary import (
    ADMINISTRATIVE_REGULATION,
    AMENDED,
    CONSTITUTION,
    DEPARTMENTAL_RULE,
    IN_FORCE,
    JUDICIAL_INTERPRETATION,
    LAW,
    LAW_LEVELS,
    LOCAL_REGULATION,
    NOT_YET_IN_FORCE,
    OTHER_LEVEL,
    REPEALED,
)
from kiosk.search import indexing
from kiosk.store.citations import resolve_citations
from kiosk.store.db import on_database
from kiosk.store.errors import ImportFailed, Problem
from kiosk.store.import_report import ImportReport
from kiosk.store.lawmeta import LawMeta, load_metadata
from kiosk.store.lawparse import LawParseError, ParsedLaw, parse_law, split_file_stem
from kiosk.store.models import Article, Law, LawSection

SKIPPED_FOLDERS = ("案例",)
SKIPPED_FILES = ("_index.md",)

# LawRefBook's top folders (its own names) → level; any other folder holds 法律.
_FOLDER_LEVELS = {
    "宪法": CONSTITUTION,
    "司法解释": JUDICIAL_INTERPRETATION,
    "行政法规": ADMINISTRATIVE_REGULATION,
    "部门规章": DEPARTMENTAL_RULE,
    "DLC": LOCAL_REGULATION,
    "其他": OTHER_LEVEL,
}
# The levels LawRefBook's metadata may name that are taken as they stand.
_META_LEVELS = frozenset(LAW_LEVELS) - {OTHER_LEVEL}


@dataclass
class SourceDoc:
    source: str  # relative path with "/" separators
    folder: str
    stem: str
    version_date: dt.date | None
    digest: str
    parsed: ParsedLaw
    meta: LawMeta | None

    @property
    def group_key(self) -> str:
        # Versions of one title share a short title (民法典 parts are told apart by it).
        return self.short_title

    @property
    def level(self) -> str:
        if self.meta and self.meta.level in _META_LEVELS:
            return self.meta.level
        return _FOLDER_LEVELS.get(self.folder.split("/")[0], LAW)

    @property
    def short_title(self) -> str:
        if "·" in self.parsed.title:
            head = self.parsed.title.split("·")[0].removeprefix("中华人民共和国")
            return f"{head}·{self.parsed.title.split('·', 1)[1]}"
        return self.stem

    @property
    def province(self) -> str | None:
        parts = self.folder.split("/")
        if parts[0] == "DLC" and len(parts) > 1:
            return parts[1].removesuffix("地方法规")
        return None

    @property
    def effective(self) -> dt.date | None:
        if self.meta and self.meta.valid_from:
            return self.meta.valid_from
        return self.parsed.effective


def discover(root: Path) -> list[Path]:
    files = []
    for path in root.rglob("*.md"):
        rel = path.relative_to(root)
        if rel.parts[0] in SKIPPED_FOLDERS or path.name in SKIPPED_FILES:
            continue
        files.append(path)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def read_sources(root: Path) -> tuple[list[SourceDoc], list[Problem]]:
    metadata = load_metadata(root)
    docs: list[SourceDoc] = []
    problems: list[Problem] = []
    for path in discover(root):
        rel = path.relative_to(root).as_posix()
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append(Problem(rel, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
            continue
        try:
            parsed = parse_law(text)
        except LawParseError as exc:
            problems.append(Problem(rel, exc.line, None, exc.reason))
            continue
        long = [a for a in parsed.articles if sum(len(p) for p in a.paragraphs) > MAX_ARTICLE]
        for article in long:
            size = sum(len(p) for p in article.paragraphs)
            problems.append(
                Problem(rel, article.line, None, f"{article.label}: {size} characters, more than {MAX_ARTICLE}")
            )
        nul = next((a for a in parsed.articles if any("\x00" in p for p in a.paragraphs)), None)
        if nul is not None:
            problems.append(Problem(rel, nul.line, None, f"{nul.label}: contains a NUL character"))
        if long or nul is not None:
            continue
        folder = path.parent.relative_to(root).as_posix()
        stem, version_date = split_file_stem(path.stem)
        meta = metadata.get((folder, stem, version_date.isoformat() if version_date else ""))
        if meta is None and version_date is None:
            meta = next((m for (f, n, _), m in metadata.items() if f == folder and n == stem), None)
        docs.append(SourceDoc(rel, folder, stem, version_date, hashlib.sha256(raw).hexdigest(), parsed, meta))
    return docs, problems


#: The longest article a kiosk shows (the longest real one is a few thousand characters).
MAX_ARTICLE = 50_000


def assign_statuses(docs: list[SourceDoc], today: dt.date) -> dict[str, tuple[str, bool]]:
    """source → (status, is_current) for every document, decided per title group."""
    groups: dict[str, list[SourceDoc]] = defaultdict(list)
    for doc in docs:
        groups[doc.group_key].append(doc)
    result: dict[str, tuple[str, bool]] = {}
    for members in groups.values():
        ordered = sorted(members, key=lambda d: (d.version_date or dt.date.min, d.source), reverse=True)
        newest = ordered[0]
        repealed = any(m.meta is not None and m.meta.expired for m in [newest]) or newest.parsed.repealed
        in_force_found = False
        for i, doc in enumerate(ordered):
            if repealed:
                status = REPEALED if i == 0 else AMENDED
            elif not in_force_found and doc.effective and doc.effective > today:
                status = NOT_YET_IN_FORCE
            elif not in_force_found:
                status = IN_FORCE
                in_force_found = True
            else:
                status = AMENDED
            result[doc.source] = (status, i == 0)
    return result


def _law_fields(doc: SourceDoc, status: str, is_current: bool) -> dict[str, object]:
    parsed = doc.parsed
    return {
        "source": doc.source,
        "title": parsed.title,
        "short_title": doc.short_title,
        "group_key": doc.group_key,
        "level": doc.level,
        "category": doc.folder,
        "province": doc.province,
        "issuer": parsed.issuer,
        "history": parsed.history,
        "promulgated": parsed.promulgated,
        "amended": parsed.amended,
        "effective": doc.effective,
        "version_date": doc.version_date or parsed.amended or parsed.promulgated,
        "status": status,
        "is_current": is_current,
        "article_count": len(parsed.articles),
        "preamble": "\n".join(parsed.preamble) or None,
        "digest": doc.digest,
    }


def _write_body(db: pw.Database, law_id: int, parsed: ParsedLaw, next_ids: dict[str, int]) -> None:
    """Insert a law's sections and articles with ids we assign (fast executemany, no read-back)."""
    section_ids: list[int] = []
    open_by_depth: dict[int, int] = {}
    section_rows = []
    for pos, sec in enumerate(parsed.sections):
        sid = next_ids["section"]
        next_ids["section"] += 1
        parent = None
        for depth in range(sec.depth - 1, 0, -1):
            if depth in open_by_depth:
                parent = open_by_depth[depth]
                break
        open_by_depth = {d: i for d, i in open_by_depth.items() if d < sec.depth}
        open_by_depth[sec.depth] = sid
        section_ids.append(sid)
        section_rows.append((sid, law_id, parent, sec.depth, sec.kind, sec.label, sec.name, pos))
    article_rows = []
    for pos, art in enumerate(parsed.articles):
        aid = next_ids["article"]
        next_ids["article"] += 1
        section = section_ids[art.section_index] if art.section_index is not None else None
        article_rows.append(
            (aid, law_id, section, art.label, art.number, art.sub_number, pos, "\n".join(art.paragraphs))
        )
    cursor = db.cursor()
    cursor.executemany(
        "INSERT INTO law_section (id, law_id, parent_id, depth, kind, label, name, position) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        section_rows,
    )
    cursor.executemany(
        "INSERT INTO article (id, law_id, section_id, label, number, sub_number, position, text) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        article_rows,
    )


def _next_id(db: pw.Database, table: str) -> int:
    return int(db.execute_sql(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()[0])


@on_database
def import_laws(
    db: pw.Database,
    root: Path,
    *,
    keep_missing: bool = False,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    if not root.is_dir():
        raise ImportFailed([Problem(str(root), None, None, "not a folder")])
    docs, problems = read_sources(root)
    if not docs and not problems:
        problems.append(Problem(str(root), None, None, "no law documents (*.md) found"))
    if problems:
        raise ImportFailed(problems)
    if progress:
        progress(f"parsed {len(docs)} documents")
    statuses = assign_statuses(docs, today or dt.date.today())
    report = ImportReport("laws")
    empty = [doc.source for doc in docs if not doc.parsed.articles and not doc.parsed.preamble]
    if empty:
        report.notes.append(f"{len(empty)} document(s) have a title but no text, e.g. {empty[0]}")
    with db.atomic("IMMEDIATE"):
        existing = {law.source: law for law in Law.select(Law.id, Law.source, Law.digest, Law.status, Law.is_current)}
        next_ids = {"section": _next_id(db, "law_section"), "article": _next_id(db, "article")}
        touched_laws: list[int] = []
        for doc in docs:
            status, is_current = statuses[doc.source]
            fields = _law_fields(doc, status, is_current)
            old = existing.pop(doc.source, None)
            if old is None:
                law_id = Law.insert(**fields).execute()
                _write_body(db, law_id, doc.parsed, next_ids)
                report.added += 1
            elif old.digest != doc.digest:
                Law.update(**fields).where(Law.id == old.id).execute()
                indexing.remove_law_articles(db, old.id)
                Article.delete().where(Article.law == old.id).execute()
                LawSection.delete().where(LawSection.law == old.id).execute()
                _write_body(db, old.id, doc.parsed, next_ids)
                law_id = old.id
                report.changed += 1
            elif (old.status, old.is_current) != (status, is_current):
                Law.update(status=status, is_current=is_current).where(Law.id == old.id).execute()
                law_id = old.id
                report.changed += 1
            else:
                report.unchanged += 1
                continue
            touched_laws.append(law_id)
        if existing and not keep_missing:
            gone = [law.id for law in existing.values()]
            for law_id in gone:
                indexing.remove_law_articles(db, law_id)
            Law.delete().where(Law.id.in_(gone)).execute()
            report.removed = len(gone)
        if progress:
            progress(f"indexing {len(touched_laws)} documents")
        indexing.index_laws(db, touched_laws)
        resolve_citations(db)
    report.details["articles in store"] = Article.select().count()
    return report
