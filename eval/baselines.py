"""Baselines measured in the same run as the project's retriever.

- ``bm25``: BM25 over whole clauses, plain jieba tokens, no scope, no synonyms, no passages.
- ``dense``: the project's embedding model over whole clauses, no scope.
- ``langchain``: LangChain's default recipe: each notice cut into 250-character chunks with 50 of
  overlap (RecursiveCharacterTextSplitter), embedded into FAISS, top 3 chunks; a chunk counts for
  every clause it overlaps.
All return rankings of clause-id groups, like the project's retriever.
"""

from __future__ import annotations

import numpy as np

from index.embed import VectorCache
from index.passages import Passage
from index.search import DenseIndex, SearchIndex
from index.store import Corpus
from index.tokenize import Tokenizer

CHUNK_SIZE = 250
CHUNK_OVERLAP = 50
LANGCHAIN_TOP = 3


class Baselines:
    """`cache` (for a model whose vectors do not change between builds) keeps reruns from re-encoding every clause."""

    def __init__(self, corpus: Corpus, index: SearchIndex, tokenizer: Tokenizer, cache: VectorCache | None = None):
        import bm25s

        self.corpus = corpus
        self.tokenizer = tokenizer
        self.cache = cache
        self.embeddings = index.dense.embeddings if index.dense is not None else None
        self.clauses = list(corpus.clauses)
        self.ids = [clause.clause_id for clause in self.clauses]
        self.bm25 = bm25s.BM25()
        self.bm25.index([tokenizer(clause.text) or ["∅"] for clause in self.clauses], show_progress=False)
        if self.embeddings is not None:
            self.clause_vectors = self._vectors([c.text for c in self.clauses])
            self._chunk_store, self._chunk_clauses = self._chunks()

    def _vectors(self, texts: list[str]) -> np.ndarray:
        assert self.embeddings is not None  # only called when there is a dense model
        if self.cache is not None:
            return self.cache.embed(texts, self.embeddings)
        return np.asarray(self.embeddings.embed_documents(texts), dtype=np.float32)

    def _chunks(self):
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(
            chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
        )
        texts, metadatas, covers = [], [], []
        for notice in self.corpus.notices:
            own = self.corpus.clauses_of(notice.notice_id)
            for document in splitter.create_documents([notice.normalized_text]):
                start = document.metadata["start_index"]
                end = start + len(document.page_content)
                texts.append(document.page_content)
                metadatas.append({"notice_id": notice.notice_id})
                covers.append([c.clause_id for c in own if c.start < end and c.end > start])
        passages = [Passage("", m["notice_id"], text, "") for text, m in zip(texts, metadatas, strict=True)]
        store = DenseIndex.build(passages, self.embeddings, self.cache).as_vector_store()
        return store, covers

    def bm25_ranking(self, question: str, k: int = 10) -> list[tuple[str, ...]]:
        scores = self.bm25.get_scores(self.tokenizer(question) or ["∅"])
        return [(self.ids[i],) for i in np.argsort(-scores)[:k]]

    def dense_ranking(self, question: str, k: int = 10) -> list[tuple[str, ...]]:
        assert self.embeddings is not None
        query = np.asarray(self.embeddings.embed_query(question), dtype=np.float32)
        scores = self.clause_vectors @ query
        return [(self.ids[i],) for i in np.argsort(-scores)[:k]]

    def langchain_ranking(self, question: str, k: int = LANGCHAIN_TOP) -> list[tuple[str, ...]]:
        assert self.embeddings is not None
        ids, _ = self._chunk_store.scores_by_vector(self.embeddings.embed_query(question), k)
        return [tuple(self._chunk_clauses[int(i)]) for i in ids]

    def rankings(self, question: str) -> dict[str, list[tuple[str, ...]]]:
        if self.embeddings is None:  # the dense side is switched off: only the lexical baseline applies
            return {"bm25": self.bm25_ranking(question)}
        return {
            "bm25": self.bm25_ranking(question),
            "dense": self.dense_ranking(question),
            "langchain": self.langchain_ranking(question),
        }
