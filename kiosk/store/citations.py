"""Resolving "《某法》第X条" references of cases and guides to stored articles."""

from __future__ import annotations

import re

import peewee as pw

from kiosk.store.db import on_database
from kiosk.store.models import Article, CaseCitation, GuideBasis, Law
from kiosk.store.numerals import cn_to_int

CITATION_RE = re.compile(
    r"《([^《》]{2,60}?)》\s*(?:（[^）]*）)?\s*第([〇零一二三四五六七八九十百千两]+)条(?:之([一二三四五六七八九十]+))?"
)


_ARTICLE = r"第[〇零一二三四五六七八九十百千两]+条(?:之[一二三四五六七八九十]+)?"
_CITED_RUN = re.compile(rf"《([^《》]{{2,60}}?)》\s*(?:（[^）]*）)?\s*((?:{_ARTICLE}[、，,和及与\s]*)+)")
_ONE_ARTICLE = re.compile(_ARTICLE)


def extract_citations(text: str) -> list[tuple[str, str]]:
    """Every (law title, article label) cited as 《某法》第X条、第Y条 in ``text``, in order, once."""
    found: list[tuple[str, str]] = []
    for m in _CITED_RUN.finditer(text):
        for label in _ONE_ARTICLE.findall(m[2]):
            pair = (m[1].strip(), label)
            if pair not in found:
                found.append(pair)
    return found


def canonical_title(title: str) -> str:
    """Titles are cited with or without 中华人民共和国, with 〈〉 or 《》 and either kind of bracket."""
    return (
        title.replace("中华人民共和国", "")
        .replace("〈", "《")
        .replace("〉", "》")
        .replace("(", "（")
        .replace(")", "）")
        .strip()
    )


class TitleIndex:
    """Canonical title → ids of current law documents; 民法典 parts also answer to 民法典."""

    def __init__(self) -> None:
        self.by_title: dict[str, list[int]] = {}
        for law in Law.select(Law.id, Law.title, Law.short_title).where(Law.is_current):
            for name in {canonical_title(law.title), canonical_title(law.short_title)}:
                self.by_title.setdefault(name, []).append(law.id)
                if "·" in name:
                    self.by_title.setdefault(name.split("·")[0], []).append(law.id)

    def laws(self, title: str) -> list[int]:
        return self.by_title.get(canonical_title(title), [])


def find_article(title: str, label: str, titles: TitleIndex | None = None) -> Article | None:
    """The article ``label`` of the current version of the law called ``title``."""
    m = re.fullmatch(r"第([〇零一二三四五六七八九十百千两]+)条(?:之([一二三四五六七八九十]+))?", label)
    if not m:
        return None
    law_ids = (titles or TitleIndex()).laws(title)
    if not law_ids:
        return None
    found: Article | None = (
        Article.select()
        .where(
            Article.law.in_(law_ids),
            Article.number == cn_to_int(m[1]),
            Article.sub_number == (cn_to_int(m[2]) if m[2] else 0),
        )
        .order_by(Article.law)
        .first()
    )
    return found


@on_database
def resolve_citations(db: pw.Database) -> None:
    """Point every case citation and guide basis at the article of the current version."""
    titles = TitleIndex()
    for model in (CaseCitation, GuideBasis):
        for row in model.select():
            if not row.article_label:
                continue
            article = find_article(row.law_title, row.article_label, titles)
            new_id = article.id if article else None
            if row.__data__.get("article") != new_id:
                model.update(article=new_id).where(model.id == row.id).execute()
