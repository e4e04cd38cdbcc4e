"""The hand-written synonyms: one data file, each entry with its source, read by the importer."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.paths import SHARED_DATA_DIR
from kiosk.search.analyze import ALL_OF
from kiosk.store.import_misc import parse_synonyms

REPO = Path(__file__).resolve().parents[2]
SYNONYMS = REPO / "assets" / "synonyms.tsv"


def _rows() -> list[list[str]]:
    lines = SYNONYMS.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def test_every_entry_says_where_it_comes_from() -> None:
    rows = _rows()
    assert rows
    bad = [row for row in rows if len(row) != 3 or not row[2].strip()]
    assert not bad, bad[:5]


def test_the_importer_reads_the_terms_without_the_source_column(tmp_path: Path) -> None:
    found, problems = parse_synonyms(SYNONYMS)
    assert not problems
    assert len(found) == len(_rows())
    assert found["欠薪"][0] == "拖欠工资"
    assert not [t for terms in found.values() for t in terms if "team" in t or "\t" in t]


def test_no_entry_is_the_wording_of_a_judged_query() -> None:
    # An entry equal to a query it is judged on would score that query, not teach the engine.
    queries = set()
    for path in (
        SHARED_DATA_DIR / "queries" / "dev.jsonl",
        REPO / "bench" / "queries_extra.jsonl",
        REPO / "bench" / "queries_resident.jsonl",
    ):
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    queries.add(json.loads(line)["query"].replace(" ", ""))
    assert not [row[0] for row in _rows() if row[0] in queries]


def test_every_legal_term_is_said_in_the_laws() -> None:
    # A term the laws never use finds nothing: the entry looks like help and is none (摔 → 跌倒 was
    # one). Each wording, and each word of one joined by "+", must occur in the laws folder.
    laws = SHARED_DATA_DIR / "laws"
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(laws.rglob("*.md")))
    assert len(text) > 1_000_000, f"{laws}: the laws folder is missing or nearly empty"
    lines = SYNONYMS.read_text(encoding="utf-8").splitlines()
    unsaid = [
        f"{SYNONYMS.name}:{number}: {term}"
        for number, line in enumerate(lines, 1)
        if line.strip() and not line.startswith("#")
        for wording in line.split("\t")[1].split("|")
        for term in wording.split(ALL_OF)
        if term.strip() and term.strip() not in text
    ]
    assert not unsaid, unsaid
