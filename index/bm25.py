"""BM25 over passages, on disk as segments of term counts, scored when a question comes.

A segment holds the term counts of a run of passages (one per build, one more per upload); a passage taken out
stays in its segment, masked. A question's scores are computed from the counts of its words only, with the
statistics (passages, document frequencies, average length) of the live passages at that moment, so adding or
removing a notice writes its own segment and a mask, not the library's scores: the cost of an upload no longer
grows with the library. The scores are bm25s's (Lucene variant: idf = ln(1 + (N − df + 0.5)/(df + 0.5)), tf / (tf
+ k1·(1 − b + b·dl/avgdl))), in the same floating-point order, so they equal bm25s's over the live passages to the
last bit (tests/test_retrieve.py checks it).
"""

from __future__ import annotations

import itertools
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

# a word's scores are kept from this many postings on, up to this many postings in all (about 12 bytes each)
_CACHED_FROM = 2_000
_CACHE_POSTINGS = 4_000_000


@dataclass(frozen=True)
class Counts:
    """Term counts as a word × passage matrix in compressed rows (passages ascending within a word)."""

    vocabulary: dict[str, int]  # word → row, in order of first use
    indptr: np.ndarray  # int64, len(vocabulary) + 1
    docs: np.ndarray  # int32, the passage of each pair (within the segment)
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
        return cls(
            vocabulary,
            matrix.indptr.astype(np.int64),
            matrix.indices.astype(np.int32),
            matrix.data.astype(np.float32),
            lengths,
        )

    @classmethod
    def merged(cls, parts: Sequence[tuple[Counts, np.ndarray | None]]) -> Counts:
        """One segment of the live passages of `parts` (each with its mask, None: all live), in order: what
        `Counts.of` gives for their passages' tokens, up to the words' ids. Counts only: nothing is tokenized."""
        vocabulary: dict[str, int] = {}
        words, docs, terms, lengths = [], [], [], []
        base = 0
        for counts, mask in parts:
            keep = np.ones(len(counts.lengths), dtype=bool) if mask is None else mask
            renumbered = np.cumsum(keep) - 1 + base
            ids = np.fromiter(
                (vocabulary.setdefault(word, len(vocabulary)) for word in counts.vocabulary),
                dtype=np.int64,
                count=len(counts.vocabulary),
            )
            pair_words = np.repeat(ids, np.diff(counts.indptr))
            kept = keep[counts.docs]
            words.append(pair_words[kept])
            docs.append(renumbered[counts.docs[kept]])
            terms.append(counts.terms[kept])
            lengths.append(counts.lengths[keep])
            base += int(keep.sum())
        all_words = np.concatenate(words) if words else np.zeros(0, dtype=np.int64)
        # parts in order and passages ascending within each: a stable sort by word keeps them ascending
        order = np.argsort(all_words, kind="stable")
        indptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(np.bincount(all_words, minlength=len(vocabulary)), out=indptr[1:])
        return cls(
            vocabulary,
            indptr,
            (np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64))[order].astype(np.int32),
            (np.concatenate(terms) if terms else np.zeros(0, dtype=np.float32))[order],
            np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64),
        )

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("indptr", "docs", "terms", "lengths"):
            np.save(folder / f"counts.{name}.npy", getattr(self, name))
        (folder / "vocab.json").write_text(json.dumps(self.vocabulary, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Counts:
        vocabulary = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        indptr, docs, terms, lengths = (
            np.load(folder / f"counts.{name}.npy", allow_pickle=False)
            for name in ("indptr", "docs", "terms", "lengths")
        )
        if (
            not isinstance(vocabulary, dict)
            or len(indptr) != len(vocabulary) + 1
            or len(docs) != len(terms)
            or indptr[-1] != len(docs)
            or (len(docs) and (docs.min() < 0 or docs.max() >= len(lengths)))
        ):
            raise ValueError("BM25 counts and vocabulary disagree")
        return cls(vocabulary, indptr, docs, terms, lengths)


class LexicalScores:
    """BM25 scores of the live passages of a list of segments.

    Live passages are numbered in segment order, each segment's in its own order: the numbering of the passage
    list the search index serves. `live[i]` says whether segment i's passages are still in the library (None:
    all of them)."""

    def __init__(self, segments: Sequence[Counts], live: Sequence[np.ndarray | None], k1: float, b: float):
        if len(segments) != len(live):
            raise ValueError("BM25 segments and masks disagree")
        self.segments = list(segments)
        self.k1, self.b = k1, b
        # per segment: where its passages are in the served list (−1: taken out), or an offset when all are live
        self._rows: list[np.ndarray | int] = []
        lengths = 0
        docs = 0
        for counts, mask in zip(self.segments, live, strict=True):
            if mask is not None and len(mask) != len(counts.lengths):
                raise ValueError("BM25 mask and segment disagree")
            if mask is None or bool(mask.all()):
                self._rows.append(docs)
                docs += len(counts.lengths)
                lengths += int(counts.lengths.sum())
            else:
                rows = np.full(len(mask), -1, dtype=np.int64)
                rows[mask] = np.arange(docs, docs + int(mask.sum()))
                self._rows.append(rows)
                docs += int(mask.sum())
                lengths += int(counts.lengths[mask].sum())
        self.docs = docs
        # the mean of the live lengths as numpy takes it (an exact integer sum, divided once)
        average = lengths / docs if docs else 1.0
        # each passage's length normalization k1·(1 − b + b·dl/avgdl), once per load rather than per posting per
        # question (the same operations in the same order: the same bits)
        self._norms = [k1 * ((1 - b) + b * counts.lengths / average) for counts in self.segments]
        self._cache: OrderedDict[str, list[tuple[np.ndarray, np.ndarray]]] = OrderedDict()
        self._cached = 0  # postings held in `_cache`
        self._lock = threading.Lock()

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """The words of the live passages' segments (a word only in passages taken out may remain)."""
        return frozenset(word for counts in self.segments for word in counts.vocabulary)

    def get_scores(self, tokens: Sequence[str]) -> np.ndarray:
        scores = np.zeros(self.docs, dtype=np.float32)
        for token in tokens:  # a repeated word counts again, as in bm25s
            for placed, values in self._word_scores(token):
                np.add.at(scores, placed, values)
        return scores

    def _word_scores(self, token: str) -> list[tuple[np.ndarray, np.ndarray]]:
        """Where `token` occurs among the live passages, and its BM25 score there, per segment. The scores of
        common words (thousands of postings: 安全, 加强) are kept, within a budget, until the index changes: they are
        most of a question's work at 1,000×, and questions share them."""
        with self._lock:
            found = self._cache.get(token)
            if found is not None:
                self._cache.move_to_end(token)
                return found
        postings = []
        frequency = 0
        for counts, rows, norms in zip(self.segments, self._rows, self._norms, strict=True):
            word = counts.vocabulary.get(token)
            if word is None:
                continue
            start, end = counts.indptr[word], counts.indptr[word + 1]
            docs, terms = counts.docs[start:end], counts.terms[start:end]
            if isinstance(rows, int):
                placed = docs.astype(np.intp) + rows  # machine-size indices: np.add.at is a third faster with them
            else:
                placed = rows[docs]
                kept = placed >= 0
                docs, terms, placed = docs[kept], terms[kept], placed[kept]
            frequency += len(docs)
            postings.append((norms[docs], terms, placed))
        if not frequency:
            return []
        idf = np.float32(math.log(1 + (self.docs - frequency + 0.5) / (frequency + 0.5)))
        found = [
            (placed, (idf * (terms / (saturation + terms))).astype(np.float32))
            for saturation, terms, placed in postings
        ]
        if frequency >= _CACHED_FROM:
            with self._lock:
                self._cache[token] = found
                self._cached += frequency
                while self._cached > _CACHE_POSTINGS and len(self._cache) > 1:
                    _, dropped = self._cache.popitem(last=False)
                    self._cached -= sum(len(placed) for placed, _ in dropped)
        return found
