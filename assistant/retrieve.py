"""Hybrid, scope-aware retrieval of clauses, and the decision that a question is not covered.

For a question: its scope (issuer/year named, implied or carried over from the
conversation; explicit filters) selects the eligible notices; BM25 over jieba
tokens and dense similarity are computed for every passage, reduced to the best
passage of each clause, z-scored over the eligible clauses and fused; clauses
that say the same thing in several notices are grouped under the best one, every
source kept. A question whose named place or year has no notice, or whose words
the best clauses do not cover, is declared not covered.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.context import contextualize, strip_instructions
from assistant.scope import Filters, Scope, ScopeReader
from index.normalize import normalize
from index.records import Clause, Notice
from index.search import SearchIndex, retrievable
from index.settings import Settings
from index.store import Corpus
from index.tokenize import Tokenizer

# Two clauses whose character 4-grams overlap this much (relative to the smaller) say the same thing.
_DUPLICATE_OVERLAP = 0.7
_CANDIDATES = 50


class RetrievalMode(StrEnum):
    HYBRID = "hybrid"
    LEXICAL = "lexical"
    DENSE = "dense"


@dataclass(frozen=True)
class Hit:
    """A retrieved clause with its scores; `duplicates` are near-identical clauses of other notices."""

    clause: Clause
    notice: Notice
    score: float
    lexical: float
    dense: float
    coverage: float
    duplicates: tuple[Clause, ...] = ()

    @property
    def clause_ids(self) -> tuple[str, ...]:
        return (self.clause.clause_id, *(d.clause_id for d in self.duplicates))


@dataclass(frozen=True)
class Retrieval:
    question: str
    search_text: str
    scope: Scope
    hits: tuple[Hit, ...]
    covered: bool
    reason: str | None
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def coverage(self) -> float:
        return max((hit.coverage for hit in self.hits[:3]), default=0.0)


class Retriever:
    """Searches one corpus; load once, then call `search` per question (thread-safe for reading)."""

    def __init__(self, corpus: Corpus, index: SearchIndex, settings: Settings, tokenizer: Tokenizer):
        self.corpus = corpus
        self.index = index
        self.settings = settings
        self.tokenizer = tokenizer
        self.clauses = retrievable(corpus)
        position = {clause.clause_id: i for i, clause in enumerate(self.clauses)}
        self.passage_clause = np.array([position[p.clause_id] for p in index.passages], dtype=np.int64)
        self.clause_notice = np.array([clause.notice_id for clause in self.clauses])
        year = settings.current_year or date.today().year
        self.scope_reader = ScopeReader(corpus.notices, year)

    @cached_property
    def _clause_tokens(self) -> list[frozenset[str]]:
        return [frozenset(self.tokenizer(" ".join(c.headings) + c.text)) for c in self.clauses]

    @cached_property
    def _clause_texts(self) -> list[str]:
        return [normalize(" ".join(c.headings) + c.text).lower() for c in self.clauses]

    @cached_property
    def idf(self) -> dict[str, float]:
        counts: dict[str, int] = {}
        for tokens in self._clause_tokens:
            for token in tokens:
                counts[token] = counts.get(token, 0) + 1
        total = len(self._clause_tokens)
        return {token: math.log(1 + total / count) for token, count in counts.items()}

    @cached_property
    def _shingles(self) -> list[frozenset[str]]:
        grams = []
        for clause in self.clauses:
            text = normalize(clause.text)
            grams.append(frozenset(text[i : i + 4] for i in range(max(len(text) - 3, 1))))
        return grams

    def search(
        self,
        question: str,
        history: Sequence[str] = (),
        filters: Filters | None = None,
        k: int = 5,
        mode: RetrievalMode = RetrievalMode.HYBRID,
    ) -> Retrieval:
        started = time.perf_counter()
        simplified = strip_instructions(_simplified(question))
        context = contextualize(
            simplified, [strip_instructions(_simplified(h)) for h in history], self.scope_reader, self.tokenizer
        )
        scope = self.scope_reader.resolve(context.scope, filters)
        timings = {"scope": _ms(started)}
        if scope.out_of_scope:
            return Retrieval(question, context.search_text, scope, (), False, scope.out_of_scope, timings)
        eligible = np.ones(len(self.clauses), dtype=bool)
        if scope.notice_ids is not None:
            eligible = np.isin(self.clause_notice, list(scope.notice_ids))
        query_tokens = self.tokenizer.query(context.search_text)
        lap = time.perf_counter()
        lexical = self._per_clause(self.index.lexical_scores(query_tokens))
        timings["lexical"] = _ms(lap)
        lap = time.perf_counter()
        dense = (
            self._per_clause(self.index.dense_scores(context.search_text))
            if mode is not RetrievalMode.LEXICAL
            else np.zeros(len(self.clauses), dtype=np.float32)
        )
        timings["dense"] = _ms(lap)
        fused = self._fuse(lexical, dense, eligible, mode)
        order = [i for i in np.argsort(-fused) if eligible[i]][:_CANDIDATES]
        hits = self._group(order, fused, lexical, dense, query_tokens, context.search_text, k)
        timings["total"] = _ms(started)
        covered = self._covered(hits)
        reason = None if covered else "现有通知中没有与问题相符的内容"
        if covered and _missing_figure(simplified, hits):
            covered, reason = False, "通知中没有给出这个数字"
        return Retrieval(question, context.search_text, scope, tuple(hits), covered, reason, timings)

    def _covered(self, hits: Sequence[Hit]) -> bool:
        if not hits:
            return False
        coverage = max(hit.coverage for hit in hits[:3])
        lexical = max(hit.lexical for hit in hits[:3])
        settings = self.settings
        return coverage >= settings.min_coverage or (
            lexical >= settings.strong_lexical and coverage >= settings.min_coverage_strong
        )

    def _per_clause(self, passage_scores: np.ndarray) -> np.ndarray:
        best = np.full(len(self.clauses), -np.inf, dtype=np.float32)
        np.maximum.at(best, self.passage_clause, passage_scores)
        return best

    def _fuse(self, lexical: np.ndarray, dense: np.ndarray, eligible: np.ndarray, mode: RetrievalMode) -> np.ndarray:
        def zscore(values: np.ndarray) -> np.ndarray:
            pool = values[eligible]
            spread = pool.std() or 1.0
            return (values - pool.mean()) / spread

        if mode is RetrievalMode.LEXICAL:
            return lexical.copy()
        if mode is RetrievalMode.DENSE:
            return dense.copy()
        weight = self.settings.dense_weight
        return (1 - weight) * zscore(lexical) + weight * zscore(dense)

    def coverage(self, query_tokens: Sequence[str], search_text: str, clause_index: int) -> float:
        """Share of the question's idf mass that the clause's words cover.

        Colloquial words that the synonym table rewrote (电瓶车 → 电动自行车) are
        judged by their rewrite, not by themselves.
        """
        normalized = normalize(search_text)
        sources = [term for term in self.tokenizer.synonyms if term in normalized]
        wanted = {t for t in query_tokens if not any(t in term for term in sources)}
        if not wanted:
            return 0.0
        top_idf = max(self.idf.values())
        have = self._clause_tokens[clause_index]
        text = self._clause_texts[clause_index]
        total = sum(self.idf.get(t, top_idf) for t in wanted)
        # a word jieba cut differently (河 in 桑干河) still counts when the clause contains it
        found = sum(self.idf.get(t, top_idf) for t in wanted if t in have or t in text)
        return found / total

    def _group(self, order, fused, lexical, dense, query_tokens, search_text, k) -> list[Hit]:
        hits: list[Hit] = []
        kept: list[int] = []
        duplicates: dict[int, list[Clause]] = {}
        for i in order:
            twin = next((j for j in kept if self._same_text(i, j)), None)
            if twin is not None:
                duplicates.setdefault(twin, []).append(self.clauses[i])
                continue
            if len(kept) < k:
                kept.append(i)
        for i in kept:
            clause = self.clauses[i]
            hits.append(
                Hit(
                    clause=clause,
                    notice=self.corpus.notice(clause.notice_id),
                    score=float(fused[i]),
                    lexical=float(lexical[i]),
                    dense=float(dense[i]),
                    coverage=self.coverage(query_tokens, search_text, i),
                    duplicates=tuple(duplicates.get(i, ())),
                )
            )
        return hits

    def _same_text(self, a: int, b: int) -> bool:
        first, second = self._shingles[a], self._shingles[b]
        smaller = min(len(first), len(second))
        return smaller > 0 and len(first & second) / smaller >= _DUPLICATE_OVERLAP


# "多少个编制" asks for a figure with a unit; if no retrieved clause states any figure in that unit, the
# notices do not give it, however well the other words match. ("哪几条河" asks which, not how many.)
_ASKED_FIGURE = re.compile(r"多少(个|座|名|次|处|项|条|家|人|亿元|万元|元|公里|米|小时|天|倍|吨|层|周|支|所|起)")
_FIGURE_WITH = r"[\d一二两三四五六七八九十百千万]+(?:[至—\-~][\d一二两三四五六七八九十]+)?{unit}"


def _missing_figure(question: str, hits: Sequence[Hit]) -> bool:
    asked = _ASKED_FIGURE.search(normalize(question))
    if not asked:
        return False
    pattern = re.compile(_FIGURE_WITH.format(unit=re.escape(asked.group(1))))
    return not any(pattern.search(normalize(hit.clause.text)) for hit in hits[:3])


def _simplified(text: str) -> str:
    """Traditional characters in a question are read as their simplified forms."""
    import zhconv

    return zhconv.convert(text, "zh-cn")


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


class ClauseRetriever(BaseRetriever):
    """LangChain `BaseRetriever` over `Retriever`: documents are clauses, with citation metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: Retriever
    k: int = 5
    filters: Filters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        result = self.retriever.search(query, filters=self.filters, k=self.k)
        return [
            Document(
                page_content=hit.clause.text,
                metadata={
                    "clause_id": hit.clause.clause_id,
                    "notice_id": hit.notice.notice_id,
                    "issuer": hit.notice.issuer,
                    "year": hit.notice.year,
                    "doc_number": hit.notice.doc_number,
                    "title": hit.notice.display_title,
                    "path": hit.clause.path_label,
                    "score": hit.score,
                    "also_in": [d.clause_id for d in hit.duplicates],
                },
            )
            for hit in result.hits
        ]


def open_retriever(settings: Settings, progress=lambda message: None, embeddings=None) -> Retriever:
    """Build (incrementally) or load the clause and search indexes of `settings`, and return a `Retriever`."""
    from index.search import ensure_search_index
    from index.store import build

    tokenizer = Tokenizer()
    corpus = build(settings, progress).corpus
    index = ensure_search_index(settings, corpus, tokenizer, progress, embeddings)
    return Retriever(corpus, index, settings, tokenizer)
