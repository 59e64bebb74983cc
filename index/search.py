"""The search index on disk: BM25 over jieba tokens and FAISS over embeddings, per passage.

It lives beside the clause index, in a folder named by everything that shapes it
(clause index version, word lists, embedding model, passage size), and records
the corpus it was built from; when the corpus changes it is rebuilt (a few
seconds for the bundled notices), so it can never disagree with the clauses.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from index.embed import CORPUS_STATIC, EmbeddingError, VectorCache, load_embeddings, train_corpus_static
from index.milvus import MilvusDenseIndex, MilvusError, collection_name, connect
from index.passages import PASSAGE_CHARS, Passage, clause_passages, is_heading_only
from index.settings import Settings, VectorBackend
from index.store import Corpus
from index.tokenize import TokenCache, Tokenizer, lexicon_hash

Progress = Callable[[str], None]
SEARCH_VERSION = "search-5"  # bump when tokenization or passage code changes what is indexed


def _faiss():
    try:
        import faiss
    except ImportError as error:
        raise RuntimeError("向量检索需要 faiss-cpu：pip install faiss-cpu") from error
    return faiss


def encode_passages(
    passages: Sequence[Passage], embeddings: Embeddings, cache: VectorCache | None = None, progress=None
) -> np.ndarray:
    """The passages' vectors (from `cache` where it has them), normalized so that inner product is cosine."""
    texts = [p.search_text for p in passages]
    if cache is not None:
        vectors = cache.embed(texts, embeddings, progress or (lambda message: None))
    else:
        vectors = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
    return normalized(vectors)


def normalized(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)


class DenseIndex:
    """The passages' normalized vectors in a FAISS inner-product index (row i is passage i) and the model that
    encodes questions; `as_vector_store` gives the same rows behind LangChain's `VectorStore` interface."""

    def __init__(self, embeddings: Embeddings, index, passages: Sequence[Passage]):
        self.embeddings = embeddings
        self.index = index
        self.passages = passages

    @classmethod
    def build(
        cls, passages: Sequence[Passage], embeddings: Embeddings, cache: VectorCache | None = None, progress=None
    ) -> DenseIndex:
        vectors = encode_passages(passages, embeddings, cache, progress)
        index = _faiss().IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        return cls(embeddings, index, passages)

    def similarities(self, text: str, rows: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity of each passage to the question `text`: all of them, or only `rows` (the passages in
        the question's scope; the others stay 0). One matrix-vector product over the stored vectors, with no
        ranking: the caller fuses scores, so sorting every passage (FAISS search with k = all) would be wasted."""
        query = normalized(np.asarray([self.embeddings.embed_query(text)], dtype=np.float32))[0]
        full = np.zeros(self.index.ntotal, dtype=np.float32)
        matrix = self._matrix
        if matrix is None:  # not a flat index: ask FAISS for every row
            found_scores, found_ids = self.index.search(query[None, :], self.index.ntotal)
            keep = found_ids[0] >= 0
            full[found_ids[0][keep]] = found_scores[0][keep]
        elif rows is None:
            full[:] = matrix @ query
        else:
            full[rows] = matrix[rows] @ query
        return full

    @cached_property
    def _matrix(self) -> np.ndarray | None:
        """The flat index's vectors as an array (a view, not a copy; valid while `index` lives)."""
        faiss = _faiss()
        if not isinstance(self.index, faiss.IndexFlat) or self.index.ntotal == 0:
            return None
        return faiss.rev_swig_ptr(self.index.get_xb(), self.index.ntotal * self.index.d).reshape(
            self.index.ntotal, self.index.d
        )

    def as_vector_store(self):
        from index.vectors import ClauseVectorStore

        return ClauseVectorStore(self.embeddings, self.index, self.passages)


def write_bm25(tokens: Sequence[Sequence[str]], folder: Path, k1: float, b: float) -> None:
    """The BM25 score of every (word, passage) pair, computed once, written where `LexicalScores` reads it.

    The scores are bm25s's (Lucene variant: idf = ln(1 + (N − df + 0.5)/(df + 0.5)), tf / (tf + k1·(1 − b +
    b·dl/avgdl)), in the same floating-point order, so identical to the last bit) and so is the file layout; but
    they are computed over all pairs at once (a sparse word × passage count matrix, numpy) instead of document by
    document in Python, which was most of the cost of a rebuild after an upload to a large library.
    """
    from scipy import sparse  # at build time only: answering a question never imports it

    lengths = np.fromiter((len(doc) for doc in tokens), dtype=np.int64, count=len(tokens))
    flat = list(itertools.chain.from_iterable(tokens))
    # word ids in order of first use, by C-level loops (a Python loop over every token is seconds at 100×)
    vocabulary = {token: i for i, token in enumerate(dict.fromkeys(flat))}
    words = np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat))
    documents = len(tokens)
    docs = np.repeat(np.arange(documents, dtype=np.int64), lengths)
    # a word × passage matrix of term counts: its rows are the postings, passages ascending, in C
    counts_matrix = sparse.csr_matrix(
        (np.ones(len(words), dtype=np.float32), (words, docs)), shape=(len(vocabulary), documents)
    )
    counts_matrix.sum_duplicates()
    counts_matrix.sort_indices()
    indptr = counts_matrix.indptr.astype(np.int32)
    pair_docs = counts_matrix.indices.astype(np.int64)
    frequencies = np.diff(indptr)
    pair_words = np.repeat(np.arange(len(vocabulary), dtype=np.int64), frequencies)
    idf = np.array([math.log(1 + (documents - df + 0.5) / (df + 0.5)) for df in frequencies.tolist()], dtype=np.float32)
    average = lengths.mean() if documents else np.float64(1.0)
    saturation = k1 * ((1 - b) + b * lengths[pair_docs] / average)
    term = counts_matrix.data.astype(np.float32)
    scores = (idf[pair_words] * (term / (saturation + term))).astype(np.float32)
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / "data.csc.index.npy", scores)
    np.save(folder / "indices.csc.index.npy", pair_docs.astype(np.int32))
    np.save(folder / "indptr.csc.index.npy", indptr)
    (folder / "vocab.index.json").write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")
    params = {"k1": k1, "b": b, "method": "lucene", "idf_method": "lucene", "num_docs": documents, "backend": "numpy"}
    (folder / "params.index.json").write_text(json.dumps(params), encoding="utf-8")


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


class SearchIndex:
    """Passages of the retrievable clauses, their BM25 index and their vector store."""

    def __init__(
        self,
        passages: list[Passage],
        bm25,
        dense: DenseIndex | MilvusDenseIndex | None,
        tokenizer: Tokenizer,
        clause_frequencies: dict[str, int] | None = None,
        clause_count: int = 0,
    ):
        self.passages = passages
        self.bm25 = bm25
        self.dense = dense
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
        return self.dense is not None

    @cached_property
    def vectors(self):
        """The passages as a LangChain `VectorStore` (`index.vectors.ClauseVectorStore`), or None without a dense
        side."""
        return self.dense.as_vector_store() if self.dense is not None else None

    def dense_scores(self, text: str, rows: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity of every passage (or of `rows`, the rest 0) to `text`; zeros without a dense side."""
        if self.dense is None:
            return np.zeros(len(self.passages), dtype=np.float32)
        return self.dense.similarities(text, rows)


def search_index_dir(settings: Settings) -> Path:
    parts = [SEARCH_VERSION, settings.shape_key(), lexicon_hash(), settings.embedding_model, str(PASSAGE_CHARS)]
    if settings.vector_backend is not VectorBackend.FAISS:
        # vectors in another store: its own folder, so switching back and forth never reads the other's files
        parts.append(f"{settings.vector_backend}:{settings.milvus_location}")
    shape = "|".join(parts)
    return settings.corpus_dir / f"search-{hashlib.sha256(shape.encode()).hexdigest()[:12]}"


def corpus_key(corpus: Corpus) -> str:
    digest = hashlib.sha256()
    for clause in corpus.clauses:
        digest.update(f"{clause.clause_id}\x00{clause.text}\x00{'/'.join(clause.headings)}\x01".encode())
    return digest.hexdigest()[:16]


def retrievable(corpus: Corpus) -> list:
    """Clauses worth retrieving: everything but bare section titles. A title heads sub-clauses; a short clause
    with none is a requirement of one sentence (第四条 乡镇政府应当配备不少于2名专职安全生产监管人员。)."""
    parents = {clause.parent_id for clause in corpus.clauses if clause.parent_id}
    return [clause for clause in corpus.clauses if not (is_heading_only(clause) and clause.clause_id in parents)]


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
        _build(settings, corpus, tokenizer, root, key, progress, embeddings, meta.get("corpus_key"))
    try:
        return _load(settings, root, tokenizer, embeddings, key)
    except (OSError, ValueError, KeyError, RuntimeError, TypeError) as error:
        # a damaged index file (a killed build, a full disk): rebuild once rather than answer from it
        if isinstance(error, EmbeddingError | MilvusError):
            raise  # a missing model or an unreachable Milvus is not damage a rebuild would repair
        progress(f"检索索引文件损坏（{type(error).__name__}），正在重建…")
        _build(settings, corpus, tokenizer, root, key, progress, embeddings, meta.get("corpus_key"))
        return _load(settings, root, tokenizer, embeddings, key)


def _build(
    settings: Settings,
    corpus: Corpus,
    tokenizer: Tokenizer,
    root: Path,
    key: str,
    progress: Progress,
    embeddings: Embeddings | None,
    serving: str | None = None,
) -> None:
    """Build the search index of `corpus` (key `key`) in `root`; `serving` is the corpus key of the index there
    now, whose Milvus collection a running app may still be answering from."""
    clauses = retrievable(corpus)
    passages = [passage for clause in clauses for passage in clause_passages(clause)]
    progress(f"检索索引：{len(clauses)} 个条款切分为 {len(passages)} 段，建立词法索引…")
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=".building-"))
    try:
        cache = TokenCache(settings.vector_cache_dir)
        write_bm25(
            cache.tokens([p.search_text for p in passages], tokenizer),
            staging / "bm25",
            settings.bm25_k1,
            settings.bm25_b,
        )
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
            if settings.vector_backend is VectorBackend.MILVUS:
                MilvusDenseIndex.build(
                    passages,
                    embeddings,
                    _milvus_client(settings),
                    collection_name(root.name, key),
                    settings.milvus_location,
                    vector_cache,
                    progress,
                    keep=frozenset({collection_name(root.name, serving)} if serving else ()),
                )
            else:
                dense = DenseIndex.build(passages, embeddings, vector_cache, progress)
                _faiss().write_index(dense.index, str(staging / "vectors.faiss"))
        progress(f"检索索引：{len(clauses)} 个条款的词频…")
        frequencies: Counter[str] = Counter()
        for tokens in cache.tokens([clause_search_text(clause) for clause in clauses], tokenizer):
            frequencies.update(set(tokens))
        (staging / "clause_frequencies.json").write_text(
            json.dumps({"clauses": len(clauses), "frequencies": frequencies}, ensure_ascii=False), encoding="utf-8"
        )
        (staging / "passages.json").write_text(
            json.dumps([vars(p) for p in passages], ensure_ascii=False), encoding="utf-8"
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


def _load(settings: Settings, root: Path, tokenizer: Tokenizer, embeddings: Embeddings | None, key: str) -> SearchIndex:
    passages = [Passage(**item) for item in json.loads((root / "passages.json").read_text(encoding="utf-8"))]
    counted = json.loads((root / "clause_frequencies.json").read_text(encoding="utf-8"))
    bm25 = LexicalScores.load(root / "bm25")
    embeddings = embeddings or load_embeddings(
        settings.embedding_model, root / "model", tokenizer, settings.embedding_threads
    )
    dense: DenseIndex | MilvusDenseIndex | None = None
    if embeddings is not None and settings.vector_backend is VectorBackend.MILVUS:
        dense = MilvusDenseIndex.open(
            embeddings,
            _milvus_client(settings),
            collection_name(root.name, key),
            passages,
            settings.milvus_location,
        )
    elif embeddings is not None:
        dense = DenseIndex(embeddings, _faiss().read_index(str(root / "vectors.faiss")), passages)
    return SearchIndex(passages, bm25, dense, tokenizer, counted["frequencies"], counted["clauses"])


def _milvus_client(settings: Settings):
    if settings.milvus_uri is None:
        settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    token = settings.milvus_token.get_secret_value() if settings.milvus_token else None
    return connect(settings.milvus_location, token)


def clause_search_text(clause) -> str:
    """What a clause's words are counted from: its headings and its text."""
    return " ".join(clause.headings) + clause.text
