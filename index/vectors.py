"""The passages' vectors as a LangChain `VectorStore`: add, upsert, delete, get by id, and `filter=` on metadata.

The search index scores passages through `index.search.DenseIndex` directly; this class is the same FAISS rows
behind LangChain's interface (and what LangChain's standard vector-store tests run against). It lives apart because
LangChain's `VectorStore` base imports its tracing stack, about a second that a one-shot question need not pay.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import VectorStore

from index.passages import Passage
from index.search import _faiss, normalized


class ClauseVectorStore(VectorStore):
    """A LangChain `VectorStore` over passages in a FAISS inner-product index of normalized vectors (cosine).

    Row i of the FAISS index is passage i, so the search index maps scores to clauses by position. Documents
    added through the `VectorStore` API get rows of their own; replacing or deleting one retires its row
    (excluded from every search) rather than renumbering the others. `filter=` (metadata equality, a list of
    accepted values, or a callable on the metadata) is applied inside the FAISS search by row selection.
    """

    def __init__(self, embeddings: Embeddings, index=None, passages: Sequence[Passage] = ()):
        self._embeddings = embeddings
        self.index = index
        self.passages: list[Passage] = []
        self._row_ids: list[str | None] = []  # None: a retired row
        self._row_metadata: list[dict[str, Any]] = []
        self._rows: dict[str, int] = {}
        self._register(passages, [_passage_metadata(p) for p in passages], _passage_ids(passages))

    @property
    def embeddings(self) -> Embeddings:
        return self._embeddings

    @classmethod
    def from_texts(
        cls,
        texts: list[str],
        embedding: Embeddings,
        metadatas: list[dict] | None = None,
        *,
        ids: list[str] | None = None,
        **kwargs: Any,
    ) -> ClauseVectorStore:
        store = cls(embedding)
        store.add_texts(texts, metadatas, ids=ids)
        return store

    def add_texts(
        self,
        texts: Iterable[str],
        metadatas: list[dict] | None = None,
        *,
        ids: list[str] | None = None,
        **kwargs: Any,
    ) -> list[str]:
        texts = list(texts)
        metadatas = [dict(m) for m in metadatas] if metadatas is not None else [{} for _ in texts]
        # add_documents passes None for documents without an id of their own
        given: list[str | None] = list(ids) if ids else [None] * len(texts)
        ids = [i if i is not None else uuid.uuid4().hex for i in given]
        if not (len(texts) == len(metadatas) == len(ids)):
            raise ValueError("texts, metadatas and ids must have the same length")
        if not texts:
            return []
        self._add_vectors(np.asarray(self._embeddings.embed_documents(texts), dtype=np.float32))
        passages = [
            Passage(m.get("clause_id", ""), m.get("notice_id", ""), text, "")
            for text, m in zip(texts, metadatas, strict=True)
        ]
        self._register(passages, metadatas, ids)
        return ids

    def delete(self, ids: list[str] | None = None, **kwargs: Any) -> bool:
        for document_id in ids or []:
            row = self._rows.pop(document_id, None)
            if row is not None:
                self._row_ids[row] = None
        return True

    def get_by_ids(self, ids: Sequence[str], /) -> list[Document]:
        return [self._document(self._rows[i]) for i in ids if i in self._rows]

    def scores_by_vector(
        self, vector: Sequence[float], k: int | None = None, rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cosine scores) of the `k` nearest rows (all when k is None), among `rows` when given."""
        if self.index is None or self.index.ntotal == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = normalized(np.asarray([vector], dtype=np.float32))
        if rows is None:
            found_scores, found_ids = self.index.search(query, k or self.index.ntotal)
        else:
            if len(rows) == 0:
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
            faiss = _faiss()
            selector = faiss.IDSelectorBatch(np.asarray(rows, dtype=np.int64))
            found_scores, found_ids = self.index.search(
                query, min(k or len(rows), len(rows)), params=faiss.SearchParameters(sel=selector)
            )
        keep = found_ids[0] >= 0
        return found_ids[0][keep], found_scores[0][keep]

    def similarity_search_with_score(
        self, query: str, k: int = 4, filter: Filter | None = None, **kwargs: Any
    ) -> list[tuple[Document, float]]:
        return self.similarity_search_with_score_by_vector(self._embeddings.embed_query(query), k, filter)

    def similarity_search_with_score_by_vector(
        self, embedding: list[float], k: int = 4, filter: Filter | None = None
    ) -> list[tuple[Document, float]]:
        rows = self._eligible(filter)
        ids, scores = self.scores_by_vector(embedding, k, rows)
        return [(self._document(int(i)), float(s)) for i, s in zip(ids, scores, strict=True)]

    def similarity_search(self, query: str, k: int = 4, filter: Filter | None = None, **kwargs: Any) -> list[Document]:
        return [document for document, _ in self.similarity_search_with_score(query, k, filter)]

    def similarity_search_by_vector(
        self, embedding: list[float], k: int = 4, filter: Filter | None = None, **kwargs: Any
    ) -> list[Document]:
        return [document for document, _ in self.similarity_search_with_score_by_vector(embedding, k, filter)]

    def _select_relevance_score_fn(self) -> Callable[[float], float]:
        return self._cosine_relevance_score_fn

    def _eligible(self, filter: Filter | None) -> np.ndarray | None:
        """Rows a search may return: None (all) when nothing is retired or filtered out."""
        if filter is None and len(self._rows) == len(self._row_ids):
            return None
        admits = _metadata_filter(filter)
        return np.asarray([row for row in self._rows.values() if admits(self._row_metadata[row])], dtype=np.int64)

    def _add_vectors(self, vectors: np.ndarray) -> None:
        if self.index is None:
            self.index = _faiss().IndexFlatIP(vectors.shape[1])
        self.index.add(normalized(vectors))

    def _register(self, passages: Sequence[Passage], metadatas: Sequence[dict], ids: Sequence[str]) -> None:
        for passage, metadata, document_id in zip(passages, metadatas, ids, strict=True):
            if document_id in self._rows:  # an id added again replaces its document
                self._row_ids[self._rows[document_id]] = None
            self._rows[document_id] = len(self.passages)
            self.passages.append(passage)
            self._row_ids.append(document_id)
            self._row_metadata.append(metadata)

    def _document(self, row: int) -> Document:
        return Document(
            id=self._row_ids[row], page_content=self.passages[row].text, metadata=dict(self._row_metadata[row])
        )


# a metadata filter: {"notice_id": "朔州市-2026"}, {"notice_id": ["朔州市-2026", "忻州市-2024"]}, or a callable
Filter = dict[str, Any] | Callable[[dict[str, Any]], bool]


def _metadata_filter(filter: Filter | None) -> Callable[[dict[str, Any]], bool]:
    if filter is None:
        return lambda metadata: True
    if callable(filter):
        return filter

    def admits(metadata: dict[str, Any]) -> bool:
        return all(
            metadata.get(key) in value
            if isinstance(value, list | tuple | set | frozenset)
            else metadata.get(key) == value
            for key, value in filter.items()
        )

    return admits


def _passage_metadata(passage: Passage) -> dict[str, Any]:
    return {"clause_id": passage.clause_id, "notice_id": passage.notice_id}


def _passage_ids(passages: Sequence[Passage]) -> list[str]:
    """``山西省-2026/三.十一#0``: a passage's id is its clause's id and its place among that clause's passages."""
    seen: dict[str, int] = {}
    ids = []
    for passage in passages:
        n = seen.get(passage.clause_id, 0)
        seen[passage.clause_id] = n + 1
        ids.append(f"{passage.clause_id}#{n}")
    return ids
