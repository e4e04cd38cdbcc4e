"""Regenerate ``kiosk/search/data/related.tsv``: each law word's nearest words in the law corpus.

A development tool, not used at run time (it needs scipy, which LightGBM brings). Word vectors are
learned from the laws alone (no judged question is read, so nothing here can be fitted to a
benchmark's answers): the articles are segmented with the search's own word list, co-occurrences
within a window of a few words are counted, weighted by positive pointwise mutual information
(context counts smoothed by the power 0.75) and reduced by a truncated SVD (Levy, Goldberg & Dagan
2015, "Improving distributional similarity with lessons learned from word embeddings": on
similarity tasks PPMI-SVD is as good as word2vec, and it samples nothing). Each word keeps its few
nearest words by cosine; the ranker's ``related_*`` features read them (:mod:`kiosk.search.related`).

    .venv/bin/python -m kiosk.search.related_build /tmp/search-full/content.sqlite3
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse

from kiosk.search.related import RELATED_FILE

MIN_COUNT = 20  # a word seen fewer times in 147k articles gets no reliable vector
MAX_VOCAB = 40_000
WINDOW = 4  # words either side
DIMENSIONS = 128
CONTEXT_POWER = 0.75
NEIGHBOURS = 6
MIN_SIMILARITY = 0.45  # a weaker neighbour is as likely unrelated as related


def corpus_words(db_path: Path) -> list[list[str]]:
    """Each article's content words (two characters or more, no stop word), in order."""
    import peewee as pw

    from kiosk.search.catalog import get_catalog
    from kiosk.search.lexicon import QUESTION_CUES, STOP_WORDS
    from kiosk.search.text import fold, is_cjk, runs

    # Read-only: a wrong path is an error, not a new empty database.
    db = pw.SqliteDatabase(f"file:{db_path}?mode=ro", uri=True)
    segmenter = get_catalog(db).segmenter
    skip = STOP_WORDS | set(QUESTION_CUES)
    out = []
    for (text,) in db.execute_sql("SELECT text FROM article ORDER BY id"):
        words = []
        for run in runs(fold(text)):
            if is_cjk(run):
                words += [w for w in segmenter.segment(run) if len(w) >= 2 and w not in skip]
        out.append(words)
    db.close()
    return out


def vectors(articles: list[list[str]], dimensions: int = DIMENSIONS) -> tuple[list[str], np.ndarray]:
    """The vocabulary and its unit-length PPMI-SVD vectors (rows)."""
    from scipy.sparse.linalg import svds

    counts = Counter(w for words in articles for w in words)
    vocab = sorted((w for w, c in counts.items() if c >= MIN_COUNT), key=lambda w: (-counts[w], w))[:MAX_VOCAB]
    index = {w: i for i, w in enumerate(vocab)}
    size = len(vocab)
    cooc = sparse.csr_matrix((size, size), dtype=np.float64)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    pending = 0
    for words in articles:
        ids = np.fromiter((index[w] for w in words if w in index), dtype=np.int32)
        for d in range(1, WINDOW + 1):
            if len(ids) > d:
                rows += [ids[:-d], ids[d:]]
                cols += [ids[d:], ids[:-d]]
                pending += 2 * (len(ids) - d)
        if pending > 5_000_000:
            cooc += _matrix(rows, cols, size)
            rows, cols, pending = [], [], 0
    if rows:
        cooc += _matrix(rows, cols, size)
    cooc = cooc.tocoo()
    total = cooc.sum()
    word_sum = np.asarray(cooc.sum(axis=1)).ravel()
    context = np.asarray(cooc.sum(axis=0)).ravel() ** CONTEXT_POWER
    context /= context.sum()
    pmi = np.log(cooc.data / total) - np.log(word_sum[cooc.row] / total) - np.log(context[cooc.col])
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (cooc.row[keep], cooc.col[keep])), shape=(size, size))
    # ARPACK from a fixed start vector: the whole corpus gave the same file twice (tied singular
    # values, as in a tiny corpus, can still move the last digits).
    start = np.full(size, 1.0 / np.sqrt(size))
    u, s, _ = svds(ppmi, k=dimensions, v0=start, solver="arpack")
    vec = u * np.sqrt(s)  # eigenvalue weighting p = 0.5 (Levy et al.)
    vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12)
    return vocab, vec


def _matrix(rows: list[np.ndarray], cols: list[np.ndarray], size: int) -> sparse.csr_matrix:

    r = np.concatenate(rows)
    c = np.concatenate(cols)
    return sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(size, size))


def neighbours(vocab: list[str], vec: np.ndarray) -> list[str]:
    """One line per word: the word, then its nearest words with their cosine (words holding it,
    or held by it, left out: they add nothing to an exact match, or are a part of it)."""
    lines = []
    block = 2048
    for start in range(0, len(vocab), block):
        sims = vec[start : start + block] @ vec.T
        for i, row in enumerate(sims):
            word = vocab[start + i]
            width = min(NEIGHBOURS * 4, len(row) - 1)
            best = np.argpartition(-row, width)[:width]
            found = []
            for j in sorted(best.tolist(), key=lambda j: (-row[j], j)):
                other = vocab[j]
                if j == start + i or other in word or word in other or row[j] < MIN_SIMILARITY:
                    continue
                found.append(f"{other}:{row[j]:.2f}")
                if len(found) == NEIGHBOURS:
                    break
            if found:
                lines.append(word + "\t" + " ".join(found))
    return lines


def main(argv: list[str]) -> int:
    import peewee as pw

    db_path = Path(argv[0]) if argv else Path("/tmp/search-full/content.sqlite3")
    t = time.perf_counter()
    try:
        articles = corpus_words(db_path)
    except pw.DatabaseError as exc:
        print(f"{db_path}: not an imported laws database ({exc}); import the laws first", file=sys.stderr)
        return 2
    print(f"segmented {len(articles)} articles in {time.perf_counter() - t:.0f} s", flush=True)
    vocab, vec = vectors(articles)
    print(f"{len(vocab)} words, vectors after {time.perf_counter() - t:.0f} s", flush=True)
    lines = neighbours(vocab, vec)
    # Written whole, then moved into place: an interrupted run leaves the old file as it was.
    partial = RELATED_FILE.with_name(RELATED_FILE.name + ".partial")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.replace(RELATED_FILE)
    print(f"{len(lines)} words with neighbours → {RELATED_FILE} ({time.perf_counter() - t:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
