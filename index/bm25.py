"""BM25 over passages, on disk: the term counts, and the score of every (word, passage) pair computed from them.

The scores are bm25s's (Lucene variant: idf = ln(1 + (N − df + 0.5)/(df + 0.5)), tf / (tf + k1·(1 − b +
b·dl/avgdl))), in the same floating-point order and in bm25s's file layout; but they are computed over all pairs
at once with numpy instead of document by document in Python. The counts are kept beside them, so adding or
removing a notice updates the index from counts (its own passages tokenized, nobody else's) instead of
recomputing it from every passage's tokens.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Counts:
    """Term counts as a word × passage matrix in compressed rows (passages ascending within a word)."""

    vocabulary: dict[str, int]  # word → row, in order of first use
    indptr: np.ndarray  # int64, len(vocabulary) + 1
    docs: np.ndarray  # int64, the passage of each pair
    terms: np.ndarray  # float32, how often the word occurs in the passage
    lengths: np.ndarray  # int64, tokens per passage

    @classmethod
    def of(cls, tokens: Sequence[Sequence[str]]) -> Counts:
        from scipy import sparse  # at build time only: answering a question never imports it

        lengths = np.fromiter((len(doc) for doc in tokens), dtype=np.int64, count=len(tokens))
        flat = list(itertools.chain.from_iterable(tokens))
        # word ids in order of first use, by C-level loops (a Python loop over every token is seconds at 100×)
        vocabulary = {token: i for i, token in enumerate(dict.fromkeys(flat))}
        words = np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat))
        docs = np.repeat(np.arange(len(tokens), dtype=np.int64), lengths)
        # the rows of a word × passage matrix of term counts are the postings, passages ascending, in C
        matrix = sparse.csr_matrix(
            (np.ones(len(words), dtype=np.float32), (words, docs)), shape=(len(vocabulary), len(tokens))
        )
        matrix.sum_duplicates()
        matrix.sort_indices()
        return cls(vocabulary, matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64), matrix.data, lengths)

    def updated(self, removed: np.ndarray, added: Sequence[Sequence[str]]) -> Counts:
        """The counts without the passages flagged in `removed` (the others keep their order) and with the
        `added` passages after them: what `Counts.of` gives for that passage list, up to the words' ids."""
        keep = ~removed
        renumbered = np.cumsum(keep) - 1
        pair_words = np.repeat(np.arange(len(self.vocabulary), dtype=np.int64), np.diff(self.indptr))
        kept = keep[self.docs]
        vocabulary = dict(self.vocabulary)
        new_words: list[int] = []
        new_docs: list[int] = []
        new_terms: list[float] = []
        base = int(keep.sum())
        for offset, doc in enumerate(added):
            counted: dict[str, int] = {}
            for token in doc:
                counted[token] = counted.get(token, 0) + 1
            for token, count in counted.items():
                new_words.append(vocabulary.setdefault(token, len(vocabulary)))
                new_docs.append(base + offset)
                new_terms.append(count)
        # kept pairs stay in (word, passage) order; every added passage comes after every kept one, so each added
        # pair goes at the end of its word's run: inserted, not sorted in (the library is millions of pairs)
        added_words = np.asarray(new_words, dtype=np.int64)
        order = np.argsort(added_words, kind="stable")  # passages ascending within a word, as generated
        added_words = added_words[order]
        kept_per_word = np.bincount(pair_words[kept], minlength=len(vocabulary))
        run_ends = np.cumsum(kept_per_word)
        positions = run_ends[added_words]
        docs = np.insert(renumbered[self.docs[kept]], positions, np.asarray(new_docs, dtype=np.int64)[order])
        terms = np.insert(self.terms[kept], positions, np.asarray(new_terms, dtype=np.float32)[order])
        indptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(kept_per_word + np.bincount(added_words, minlength=len(vocabulary)), out=indptr[1:])
        lengths = np.concatenate(
            [self.lengths[keep], np.fromiter((len(doc) for doc in added), dtype=np.int64, count=len(added))]
        )
        return Counts(vocabulary, indptr, docs, terms, lengths)

    def save(self, folder: Path) -> None:
        np.save(folder / "counts.indptr.npy", self.indptr)
        np.save(folder / "counts.docs.npy", self.docs)
        np.save(folder / "counts.terms.npy", self.terms)
        np.save(folder / "counts.lengths.npy", self.lengths)

    @classmethod
    def load(cls, folder: Path) -> Counts:
        vocabulary = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        indptr, docs, terms, lengths = (
            np.load(folder / f"counts.{name}.npy", allow_pickle=False)
            for name in ("indptr", "docs", "terms", "lengths")
        )
        if len(indptr) != len(vocabulary) + 1 or len(docs) != len(terms) or indptr[-1] != len(docs):
            raise ValueError("BM25 counts and vocabulary disagree")
        return cls(vocabulary, indptr, docs, terms, lengths)


def write_bm25(counts: Counts, folder: Path, k1: float, b: float) -> LexicalScores:
    """Write the BM25 score of every (word, passage) pair of `counts` (and the counts) where `LexicalScores`
    reads them; return them as read."""
    documents = len(counts.lengths)
    frequencies = np.diff(counts.indptr)
    pair_words = np.repeat(np.arange(len(counts.vocabulary), dtype=np.int64), frequencies)
    idf = np.array([math.log(1 + (documents - df + 0.5) / (df + 0.5)) for df in frequencies.tolist()], dtype=np.float32)
    average = counts.lengths.mean() if documents else np.float64(1.0)
    saturation = k1 * ((1 - b) + b * counts.lengths[counts.docs] / average)
    scores = (idf[pair_words] * (counts.terms / (saturation + counts.terms))).astype(np.float32)
    folder.mkdir(parents=True, exist_ok=True)
    indices, indptr = counts.docs.astype(np.int32), counts.indptr.astype(np.int32)
    np.save(folder / "data.csc.index.npy", scores)
    np.save(folder / "indices.csc.index.npy", indices)
    np.save(folder / "indptr.csc.index.npy", indptr)
    counts.save(folder)
    (folder / "vocab.index.json").write_text(json.dumps(counts.vocabulary, ensure_ascii=False), encoding="utf-8")
    params = {"k1": k1, "b": b, "method": "lucene", "idf_method": "lucene", "num_docs": documents, "backend": "numpy"}
    (folder / "params.index.json").write_text(json.dumps(params), encoding="utf-8")
    return LexicalScores(counts.vocabulary, scores, indices, indptr, documents)


class LexicalScores:
    """BM25 scores of passages from the precomputed per-(word, passage) scores `write_bm25` saved (bm25s's layout):
    a question's score is a sum of stored values, read with numpy alone (importing bm25s, and scipy through it,
    is a quarter of a second a one-shot question need not pay). Equal to ``bm25s.BM25.get_scores`` over the same
    tokens (Lucene variant, which adds nothing for absent words)."""

    def __init__(
        self, vocabulary: dict[str, int], data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, docs: int
    ):
        self.vocabulary = vocabulary
        self.data = data
        self.indices = indices
        self.indptr = indptr
        self.docs = docs

    @classmethod
    def load(cls, folder: Path) -> LexicalScores:
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method") != "lucene" or params.get("backend", "numpy") != "numpy":
            raise ValueError(f"unexpected BM25 index: {params}")  # a rebuild writes the expected one
        vocabulary = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        data, indices, indptr = (
            np.load(folder / f"{name}.csc.index.npy", allow_pickle=False) for name in ("data", "indices", "indptr")
        )
        # bm25s keeps one word without a column (the empty token, last): every other word has its bounds
        if len(indptr) < len(vocabulary) or len(data) != len(indices) or indptr[-1] != len(data):
            raise ValueError("BM25 index and vocabulary disagree")
        return cls(vocabulary, data, indices, indptr, int(params["num_docs"]))

    def get_scores(self, tokens: Sequence[str]) -> np.ndarray:
        scores = np.zeros(self.docs, dtype=np.float32)
        for token in tokens:  # a repeated word counts again, as in bm25s
            word = self.vocabulary.get(token)
            if word is not None and word + 1 < len(self.indptr):
                start, end = self.indptr[word], self.indptr[word + 1]
                np.add.at(scores, self.indices[start:end], self.data[start:end])
        return scores
