"""``kiosk import cases FILE.jsonl`` or ``kiosk import cases FOLDER`` (LawRefBook 案例 Markdown).

Both give records keyed like cases.jsonl (``lrb:案例/<path>`` for the Markdown files), so importing
the JSONL file and the folder does not store a case twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import peewee as pw

from kiosk.store.citations import TitleIndex, extract_citations, find_article
from kiosk.store.db import on_database
from kiosk.store.errors import ImportFailed, Problem
from kiosk.store.import_report import ImportReport
from kiosk.store.models import Case, CaseCitation
from kiosk.store.reindex import reindex
from kiosk.store.upsert import apply_records

CASE_KINDS = ("指导性案例", "典型案例")
COURT_RE = re.compile(r"([\u4e00-\u9fff]{2,30}?人民法院)")
GUIDING_NO_RE = re.compile(r"指导(?:性)?案例\s*(\d+)\s*号")
#: The topic of a case whose source names none (a guiding case's folder is its number, not a topic):
#: the first keyword that points at one of the topics residents filter by.
TOPIC_BY_KEYWORD = (
    ("劳动", "劳动人事"),
    ("工伤", "劳动人事"),
    ("工资", "劳动人事"),
    ("消费", "消费购物"),
    ("行政协议", "行政协议诉讼"),
    ("继承", "民法典"),
    ("婚姻", "民法典"),
    ("交通事故", "民法典"),
    ("合同", "民法典"),
)


def case_topic(topic: str | None, keywords: list[str], title: str) -> str | None:
    """The 案由主题 a case is filed under; never a case number (指导案例18号 is not a topic)."""
    if topic and not GUIDING_NO_RE.fullmatch(topic.strip()):
        return topic
    for word, name in TOPIC_BY_KEYWORD:
        if any(word in k for k in keywords) or word in title:
            return name
    return None


#: Bumped when the fields derived from a record change (the topic rules): every case counts as
#: changed once, so a database imported before gets the new topics on the next import.
DERIVED_RULES = 2


def _digest(record: dict[str, Any]) -> str:
    salted = {**record, "_derived_rules": DERIVED_RULES}
    return hashlib.sha256(json.dumps(salted, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _citation_text(item: Any) -> str:
    """related_laws entries are "《法》第X条" strings or [title, article] pairs."""
    if isinstance(item, list | tuple) and len(item) == 2:
        return f"《{item[0]}》{item[1]}"
    return str(item)


def _case_fields(record: dict[str, Any], where: Problem, problems: list[Problem]) -> dict[str, Any] | None:
    def bad(field: str, reason: str) -> None:
        problems.append(Problem(where.file, where.line, field, reason))

    missing = [field for field in ("id", "kind", "title", "sections") if not record.get(field)]
    for field in missing:
        bad(field, "required field is missing or empty")
    if missing:
        return None
    if record["kind"] not in CASE_KINDS:
        bad("kind", f"{record['kind']!r} is not one of {'、'.join(CASE_KINDS)}")
    sections = record["sections"]
    if not isinstance(sections, dict) or not all(isinstance(v, str) for v in sections.values()):
        bad("sections", "must be an object of heading → text")
        return None
    keywords = record.get("keywords") or []
    if not isinstance(keywords, list):
        bad("keywords", "must be a list")
        return None
    text = "\n".join(sections.values())
    number = record.get("number")
    if number is None and record.get("topic"):
        m = GUIDING_NO_RE.search(str(record["topic"]))
        number = int(m[1]) if m else None
    decided = None
    date_text = record.get("date") or record.get("published")
    if date_text:
        try:
            decided = dt.date.fromisoformat(str(date_text)[:10])
        except ValueError:
            bad("date", f"{date_text!r} is not a date (YYYY-MM-DD)")
    court = record.get("court")
    if not court:
        m = COURT_RE.search(sections.get("裁判结果", "") or text)
        court = m[1] if m else None
    return {
        "kind": record["kind"],
        "number": number,
        "title": record["title"],
        "court": court,
        "decided": decided,
        "topic": case_topic(record.get("topic"), [str(k) for k in keywords], str(record["title"])),
        "keywords": keywords,
        "sections": [[k, v] for k, v in sections.items()],
        "source": record.get("source") or "",
        "digest": _digest(record),
        "_cited": [_citation_text(item) for item in record.get("related_laws") or []] + [text],
    }


def read_jsonl(path: Path, problems: list[Problem]) -> list[tuple[dict[str, Any], Problem]]:
    out: list[tuple[dict[str, Any], Problem]] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), None, None, f"cannot read as UTF-8 text: {exc}"))
        return out
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(str(path), lineno, None, f"not JSON: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(record, dict):
            problems.append(Problem(str(path), lineno, None, "each line must be a JSON object"))
            continue
        out.append((record, Problem(str(path), lineno, None, "")))
    return out


def read_markdown_folder(root: Path, problems: list[Problem]) -> list[tuple[dict[str, Any], Problem]]:
    """Typical cases as LawRefBook Markdown: ``# title``, ``<!-- INFO END -->``, ``## section``."""
    out = []
    base = root.parent if root.name == "案例" else root
    for path in sorted(root.rglob("*.md")):
        if path.name == "_index.md":
            continue
        rel = path.relative_to(base).as_posix()
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(rel, None, None, f"cannot read as UTF-8 text: {exc}"))
            continue
        title = ""
        sections: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in text.splitlines():
            stripped = line.strip()
            if stripped.startswith("# ") and not title:
                title = stripped[2:].strip()
            elif stripped.startswith("## "):
                current = sections.setdefault(stripped[3:].strip(), [])
            elif stripped and current is not None and stripped != "<!-- INFO END -->":
                current.append(stripped)
        record = {
            "id": f"lrb:{rel}",
            "source": "LawRefBook/Laws",
            "kind": "典型案例",
            "topic": path.parent.name,
            "title": title,
            "keywords": [],
            "sections": {k: "\n".join(v) for k, v in sections.items() if v},
        }
        out.append((record, Problem(rel, 1, None, "")))
    return out


@on_database
def import_cases(db: pw.Database, paths: list[Path], *, keep_missing: bool = False) -> ImportReport:
    problems: list[Problem] = []
    raw: list[tuple[dict[str, Any], Problem]] = []
    inputs: list[str] = []
    for path in paths:
        found = read_markdown_folder(path, problems) if path.is_dir() else read_jsonl(path, problems)
        raw += found
        inputs += [str(path)] * len(found)
    records: dict[str, dict[str, Any]] = {}
    origin: dict[str, str] = {}  # key → the input (file or folder) that gave it
    shadowed = 0
    for (record, where), given in zip(raw, inputs, strict=True):
        fields = _case_fields(record, where, problems)
        if fields is None:
            continue
        key = str(record["id"])
        if key in records:
            if origin[key] == given:
                problems.append(Problem(where.file, where.line, "id", f"case id {key} appears twice"))
            shadowed += 1  # the same case from an earlier input (JSONL before Markdown) wins
            continue
        records[key] = fields
        origin[key] = given
    if not raw and not problems:
        problems.append(Problem(" ".join(map(str, paths)), None, None, "no cases found"))
    if problems:
        raise ImportFailed(problems)
    cited = {key: fields.pop("_cited") for key, fields in records.items()}
    report = ImportReport("cases")
    with db.atomic("IMMEDIATE"):
        ids, touched, removed = apply_records(Case, "key", records, report, keep_missing=keep_missing)
        if touched:
            CaseCitation.delete().where(CaseCitation.case.in_(touched)).execute()
        by_id = {v: k for k, v in ids.items()}
        unresolved = 0
        titles = TitleIndex()
        for case_id in touched:
            pairs: list[tuple[str, str]] = []
            for text in cited[by_id[case_id]]:
                pairs += [p for p in extract_citations(text) if p not in pairs]
            for title, label in pairs:
                article = find_article(title, label, titles)
                unresolved += article is None
                CaseCitation.create(case=case_id, law_title=title, article_label=label, article=article)
        reindex(db, "cases", touched, removed)
    report.details["citations not in the stored laws"] = unresolved
    if shadowed:
        report.notes.append(f"{shadowed} case(s) given twice; the first input's copy was used")
    return report
