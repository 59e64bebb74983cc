"""The search index on disk: BM25 over jieba tokens and FAISS over embeddings, per passage.

It lives beside the clause index, in a folder named by everything that shapes it
(clause index version, word lists, embedding model, passage size), and records
the corpus it was built from; when the corpus changes it is rebuilt (a few
seconds for the bundled notices), so it can never disagree with the clauses.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import VectorStore

from index.embed import CORPUS_STATIC, EmbeddingError, VectorCache, load_embeddings, train_corpus_static
from index.passages import PASSAGE_CHARS, Passage, clause_passages, is_heading_only
from index.settings import Settings
from index.store import Corpus
from index.tokenize import TokenCache, Tokenizer, lexicon_hash

Progress = Callable[[str], None]
SEARCH_VERSION = "search-4"  # bump when tokenization or passage code changes what is indexed


def _faiss():
    try:
        import faiss
    except ImportError as error:
        raise RuntimeError("向量检索需要 faiss-cpu：pip install faiss-cpu") from error
    return faiss


def _bm25s():
    try:
        import bm25s
    except ImportError as error:
        raise RuntimeError("词法检索需要 bm25s：pip install bm25s") from error
    return bm25s


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
    def from_passages(
        cls, passages: Sequence[Passage], embeddings: Embeddings, cache: VectorCache | None = None, progress=None
    ) -> ClauseVectorStore:
        texts = [p.search_text for p in passages]
        if cache is not None:
            vectors = cache.embed(texts, embeddings, progress or (lambda message: None))
        else:
            vectors = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
        store = cls(embeddings)
        store._add_vectors(vectors)
        store._register(passages, [_passage_metadata(p) for p in passages], _passage_ids(passages))
        return store

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
        query = _normalized(np.asarray([vector], dtype=np.float32))
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
        self.index.add(_normalized(vectors))

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


def _normalized(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


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


class SearchIndex:
    """Passages of the retrievable clauses, their BM25 index and their vector store."""

    def __init__(
        self,
        passages: list[Passage],
        bm25,
        vectors: ClauseVectorStore | None,
        tokenizer: Tokenizer,
        clause_frequencies: dict[str, int] | None = None,
        clause_count: int = 0,
    ):
        self.passages = passages
        self.bm25 = bm25
        self.vectors = vectors
        self.tokenizer = tokenizer
        # in how many retrievable clauses each word occurs: counted once at build, so a process answers its
        # first question without tokenizing the corpus
        self.clause_frequencies = clause_frequencies or {}
        self.clause_count = clause_count

    def lexical_scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every passage (vectorized; no Python loop over passages)."""
        if not tokens:
            return np.zeros(len(self.passages), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)

    @property
    def has_dense(self) -> bool:
        return self.vectors is not None

    def dense_scores(self, text: str) -> np.ndarray:
        """Cosine similarity of every passage to `text` (zeros when the dense side is switched off)."""
        if self.vectors is None:
            return np.zeros(len(self.passages), dtype=np.float32)
        ids, scores = self.vectors.scores_by_vector(self.vectors.embeddings.embed_query(text))
        full = np.zeros(len(self.passages), dtype=np.float32)
        full[ids] = scores
        return full


def search_index_dir(settings: Settings) -> Path:
    shape = "|".join(
        [SEARCH_VERSION, settings.shape_key(), lexicon_hash(), settings.embedding_model, str(PASSAGE_CHARS)]
    )
    return settings.corpus_dir / f"search-{hashlib.sha256(shape.encode()).hexdigest()[:12]}"


def corpus_key(corpus: Corpus) -> str:
    digest = hashlib.sha256()
    for clause in corpus.clauses:
        digest.update(f"{clause.clause_id}\x00{clause.text}\x00{'/'.join(clause.headings)}\x01".encode())
    return digest.hexdigest()[:16]


def retrievable(corpus: Corpus) -> list:
    """Clauses worth retrieving: everything but bare section titles."""
    return [clause for clause in corpus.clauses if not is_heading_only(clause)]


def ensure_search_index(
    settings: Settings,
    corpus: Corpus,
    tokenizer: Tokenizer,
    progress: Progress = lambda message: None,
    embeddings: Embeddings | None = None,
) -> SearchIndex:
    """Load the search index for `corpus`, building it first when missing or stale.

    `embeddings` replaces the configured model (tests pass a small deterministic one);
    `settings.embedding_model` should then name it, since it names the index folder.
    """
    root = search_index_dir(settings)
    key = corpus_key(corpus)
    meta_path = root / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        meta = {}
    if meta.get("corpus_key") != key:
        _build(settings, corpus, tokenizer, root, key, progress, embeddings)
    try:
        return _load(settings, root, tokenizer, embeddings)
    except (OSError, ValueError, KeyError, RuntimeError, TypeError) as error:
        # a damaged index file (a killed build, a full disk): rebuild once rather than answer from it
        if isinstance(error, EmbeddingError):
            raise
        progress(f"检索索引文件损坏（{type(error).__name__}），正在重建…")
        _build(settings, corpus, tokenizer, root, key, progress, embeddings)
        return _load(settings, root, tokenizer, embeddings)


def _build(
    settings: Settings,
    corpus: Corpus,
    tokenizer: Tokenizer,
    root: Path,
    key: str,
    progress: Progress,
    embeddings: Embeddings | None,
) -> None:
    clauses = retrievable(corpus)
    passages = [passage for clause in clauses for passage in clause_passages(clause)]
    progress(f"检索索引：{len(clauses)} 个条款切分为 {len(passages)} 段，建立词法索引…")
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=".building-"))
    try:
        cache = TokenCache(settings.vector_cache_dir)
        bm25 = _bm25s().BM25(k1=settings.bm25_k1, b=settings.bm25_b)
        bm25.index(cache.tokens([p.search_text for p in passages], tokenizer), show_progress=False)
        bm25.save(str(staging / "bm25"))
        model_dir = staging / "model"
        if embeddings is None and settings.embedding_model == CORPUS_STATIC:
            progress("检索索引：在语料上训练向量模型（corpus-static）…")
            train_corpus_static(clauses, tokenizer, model_dir)
        embeddings = embeddings or load_embeddings(
            settings.embedding_model, model_dir, tokenizer, settings.embedding_threads
        )
        if embeddings is not None:
            progress(f"检索索引：{len(passages)} 段的向量（{settings.embedding_model}）…")
            # a corpus-static model is retrained per build, so its vectors are never reused
            vector_cache = (
                None
                if settings.embedding_model == CORPUS_STATIC
                else VectorCache(settings.vector_cache_dir, settings.embedding_model)
            )
            store = ClauseVectorStore.from_passages(passages, embeddings, vector_cache, progress)
            _faiss().write_index(store.index, str(staging / "vectors.faiss"))
        progress(f"检索索引：{len(clauses)} 个条款的词频…")
        frequencies: dict[str, int] = {}
        for tokens in cache.tokens([clause_search_text(clause) for clause in clauses], tokenizer):
            for token in set(tokens):
                frequencies[token] = frequencies.get(token, 0) + 1
        (staging / "clause_frequencies.json").write_text(
            json.dumps({"clauses": len(clauses), "frequencies": frequencies}, ensure_ascii=False), encoding="utf-8"
        )
        (staging / "passages.json").write_text(
            json.dumps([asdict(p) for p in passages], ensure_ascii=False), encoding="utf-8"
        )
        (staging / "meta.json").write_text(
            json.dumps({"corpus_key": key, "model": settings.embedding_model, "passages": len(passages)}),
            encoding="utf-8",
        )
        if root.exists():
            shutil.rmtree(root)
        staging.rename(root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    progress(f"检索索引完成 → {root}")


def _load(settings: Settings, root: Path, tokenizer: Tokenizer, embeddings: Embeddings | None) -> SearchIndex:
    passages = [Passage(**item) for item in json.loads((root / "passages.json").read_text(encoding="utf-8"))]
    counted = json.loads((root / "clause_frequencies.json").read_text(encoding="utf-8"))
    bm25 = _bm25s().BM25.load(str(root / "bm25"))
    embeddings = embeddings or load_embeddings(
        settings.embedding_model, root / "model", tokenizer, settings.embedding_threads
    )
    vectors = None
    if embeddings is not None:
        index = _faiss().read_index(str(root / "vectors.faiss"))
        vectors = ClauseVectorStore(embeddings, index, passages)
    return SearchIndex(passages, bm25, vectors, tokenizer, counted["frequencies"], counted["clauses"])


def clause_search_text(clause) -> str:
    """What a clause's words are counted from: its headings and its text."""
    return " ".join(clause.headings) + clause.text
