"""Resolving "《某法》第X条" references of cases and guides to stored articles."""

from __future__ import annotations

import re

import peewee as pw

from kiosk.store.models import Article, CaseCitation, GuideBasis, Law
from kiosk.store.numerals import cn_to_int

CITATION_RE = re.compile(
    r"《([^《》]{2,60}?)》\s*(?:（[^）]*）)?\s*第([〇零一二三四五六七八九十百千两]+)条(?:之([一二三四五六七八九十]+))?"
)


def canonical_title(title: str) -> str:
    """Titles are cited with or without 中华人民共和国 and with full-width brackets."""
    return title.removeprefix("中华人民共和国").replace("(", "（").replace(")", "）").strip()


def find_article(title: str, label: str) -> Article | None:
    """The article ``label`` of the current version of the law called ``title``."""
    m = re.fullmatch(r"第([〇零一二三四五六七八九十百千两]+)条(?:之([一二三四五六七八九十]+))?", label)
    if not m:
        return None
    number = cn_to_int(m[1])
    sub = cn_to_int(m[2]) if m[2] else 0
    wanted = canonical_title(title)
    candidates = (
        Law.select(Law.id, Law.title, Law.short_title)
        .where(Law.is_current, (Law.title == title) | (Law.short_title == wanted) | (Law.title.contains(wanted)))
    )
    law_ids = [law.id for law in candidates if canonical_title(law.title) == wanted or law.short_title == wanted]
    if not law_ids:
        law_ids = [law.id for law in candidates if canonical_title(law.title).split("·")[0] == wanted]
    if not law_ids:
        return None
    return (
        Article.select()
        .where(Article.law.in_(law_ids), Article.number == number, Article.sub_number == sub)
        .order_by(Article.law)
        .first()
    )


def resolve_citations(db: pw.Database) -> None:
    """Point every case citation and guide basis at the article of the current version."""
    for model in (CaseCitation, GuideBasis):
        for row in model.select():
            if not row.article_label:
                continue
            article = find_article(row.law_title, row.article_label)
            new_id = article.id if article else None
            if row.article_id != new_id:
                model.update(article=new_id).where(model.id == row.id).execute()
