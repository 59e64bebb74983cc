"""The search index on disk: BM25 over jieba tokens and FAISS over embeddings, per passage.

It lives beside the clause index, in a folder named by everything that shapes it
(clause index version, word lists, embedding model, passage size), and records
the corpus it was built from; when the corpus changes it is rebuilt (a few
seconds for the bundled notices), so it can never disagree with the clauses.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from index.bm25 import Counts, LexicalScores
from index.embed import CORPUS_STATIC, EmbeddingError, VectorCache, load_embeddings, train_corpus_static
from index.milvus import MilvusDenseIndex, MilvusError, collection_name, connect
from index.passages import PASSAGE_CHARS, Passage, clause_passages
from index.settings import Settings, VectorBackend
from index.store import Corpus
from index.tokenize import TokenCache, Tokenizer, lexicon_hash

Progress = Callable[[str], None]
SEARCH_VERSION = "search-10"  # bump when tokenization or passage code changes what is indexed


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
        corpus_key: str = "",
        segments: Sequence[Segment] = (),
    ):
        self.passages = passages
        # what `passages` and `bm25` come from, as on disk: an update in the same process starts from them
        self.segments = tuple(segments)
        # the corpus this index was built for: an update in the same process starts from it instead of the files
        self.corpus_key = corpus_key
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
    """What the search index of `corpus` is built from: its notices, in order, with their keys."""
    digest = hashlib.sha256()
    for notice_id, notice_key in corpus.notice_keys.items():
        digest.update(f"{notice_id}\x00{notice_key}\x01".encode())
    return digest.hexdigest()[:16]


def ensure_search_index(
    settings: Settings,
    corpus: Corpus,
    tokenizer: Tokenizer,
    progress: Progress = lambda message: None,
    embeddings: Embeddings | None = None,
    previous: SearchIndex | None = None,
) -> SearchIndex:
    """Load the search index for `corpus`, building it first when missing or stale.

    `embeddings` replaces the configured model (tests pass a small deterministic one);
    `settings.embedding_model` should then name it, since it names the index folder. `previous`, the index this
    process serves now, spares an update reading the passage list back from disk.
    """
    root = search_index_dir(settings)
    key = corpus_key(corpus)
    meta_path = root / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        meta = {}
    if meta.get("corpus_key") != key:
        held = previous if previous is not None and previous.corpus_key == meta.get("corpus_key") else None
        updated = _update(settings, corpus, tokenizer, root, key, meta, progress, embeddings, held)
        if updated is not None:
            return updated
        _build(settings, corpus, tokenizer, root, key, progress, embeddings, meta.get("corpus_key"))
    try:
        return _load(settings, root, tokenizer, embeddings, key)
    except (OSError, ValueError, KeyError, RuntimeError, TypeError, EOFError) as error:
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
    clauses = corpus.retrievable
    passages = [passage for clause in clauses for passage in clause_passages(clause)]
    progress(f"检索索引：{len(clauses)} 个条款切分为 {len(passages)} 段，建立词法索引…")
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=".building-"))
    try:
        cache = TokenCache(settings.vector_cache_dir)
        segment = _write_segment(
            staging, "s0", passages, Counts.of(cache.tokens([p.search_text for p in passages], tokenizer))
        )
        model_dir = staging / "model"
        if embeddings is None and settings.embedding_model == CORPUS_STATIC:
            progress("检索索引：在语料上训练向量模型（corpus-static）…")
            train_corpus_static(clauses, tokenizer, model_dir)
        embeddings = embeddings or load_embeddings(
            settings.embedding_model, model_dir, tokenizer, settings.embedding_threads
        )
        vectors_file = None
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
                vectors_file = "vectors-0.faiss"
                _faiss().write_index(dense.index, str(staging / vectors_file))
        progress(f"检索索引：{len(clauses)} 个条款的词频…")
        frequencies: Counter[str] = Counter()
        words = cache.tokens([clause_search_text(clause) for clause in clauses], tokenizer)
        notice_keys = corpus.notice_keys
        by_notice: dict[str, Counter[str]] = {notice_id: Counter() for notice_id in notice_keys}
        for clause, tokens in zip(clauses, words, strict=True):
            by_notice[clause.notice_id].update(set(tokens))
        for notice_id, counted in by_notice.items():
            _write_notice_words(staging, notice_keys[notice_id], counted)
            frequencies.update(counted)
        _write_state(staging, key, settings, 0, [segment], len(clauses), frequencies, notice_keys, vectors_file)
        if root.exists():
            shutil.rmtree(root)
        staging.rename(root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    progress(f"检索索引完成 → {root}")


@dataclass(frozen=True, eq=False)  # compared by identity: its arrays have no single truth value
class Segment:
    """A run of passages with their term counts, written once (`segments/<name>/`); `live` masks the passages
    taken out since (None: none), kept in `live_file` there. The index serves the live passages of its
    segments in order."""

    name: str
    passages: list[Passage]
    counts: Counts
    live: np.ndarray | None = None
    live_file: str | None = None

    @property
    def size(self) -> int:
        return len(self.passages) if self.live is None else int(self.live.sum())

    def live_passages(self) -> list[Passage]:
        if self.live is None:
            return self.passages
        return [passage for passage, kept in zip(self.passages, self.live.tolist(), strict=True) if kept]


def _write_segment(root: Path, name: str, passages: list[Passage], counts: Counts) -> Segment:
    folder = root / "segments" / name
    if folder.exists():  # left by an update that died before it landed
        shutil.rmtree(folder)
    counts.save(folder)
    # marshal, not JSON: a library's hundred thousand passages load in a tenth of the time; it holds plain data
    # only, and a damaged file raises (ValueError, EOFError, TypeError) and is rebuilt
    (folder / "passages.marshal").write_bytes(marshal.dumps([tuple(passage) for passage in passages]))
    return Segment(name, passages, counts)


def _read_segments(root: Path, meta: dict, held: Sequence[Segment] = ()) -> list[Segment]:
    """The segments `meta` lists, from `held` (what this process serves) where it has them as listed."""
    have = {(segment.name, segment.live_file): segment for segment in held}
    segments = []
    for entry in meta["segments"]:
        name, live_file = entry["name"], entry["live"]
        if (name, live_file) in have:
            segments.append(have[(name, live_file)])
            continue
        folder = root / "segments" / name
        rows = marshal.loads((folder / "passages.marshal").read_bytes())
        if not isinstance(rows, list):
            raise ValueError("passage list damaged")
        counts = Counts.load(folder)
        live = None
        if live_file is not None:
            live = np.load(folder / live_file, allow_pickle=False)
            if live.dtype != bool or len(live) != len(rows):
                raise ValueError("passage mask damaged")
        if len(counts.lengths) != len(rows):
            raise ValueError("passages and BM25 counts disagree")
        segments.append(Segment(name, list(map(Passage._make, rows)), counts, live, live_file))
    return segments


def _served(segments: Sequence[Segment], settings: Settings) -> tuple[list[Passage], LexicalScores]:
    passages = [passage for segment in segments for passage in segment.live_passages()]
    lexical = LexicalScores(
        [segment.counts for segment in segments],
        [segment.live for segment in segments],
        settings.bm25_k1,
        settings.bm25_b,
    )
    return passages, lexical


def _write_notice_words(root: Path, notice_key: str, counted: Counter[str]) -> None:
    """In how many of one notice's clauses each word occurs: what removing the notice takes off the totals."""
    folder = root / "notices"
    folder.mkdir(exist_ok=True)
    (folder / f"{notice_key}.json").write_text(json.dumps(counted, ensure_ascii=False), encoding="utf-8")


def _write_state(
    folder: Path,
    key: str,
    settings: Settings,
    generation: int,
    segments: Sequence[Segment],
    clause_count: int,
    frequencies: Counter[str],
    notice_keys: dict[str, str],
    vectors_file: str | None,
) -> None:
    """Write the word frequencies, then `meta.json`, which names every file of the index: replacing it is the
    moment an update lands, so an update that dies before leaves the index as it was."""
    frequencies_file = _frequencies_file(generation)
    (folder / frequencies_file).write_text(
        json.dumps({"clauses": clause_count, "frequencies": frequencies}, ensure_ascii=False), encoding="utf-8"
    )
    meta = {
        "corpus_key": key,
        "model": settings.embedding_model,
        "generation": generation,
        "passages": sum(segment.size for segment in segments),
        "segments": [{"name": segment.name, "live": segment.live_file} for segment in segments],
        "frequencies": frequencies_file,
        "vectors": vectors_file,
        "notices": notice_keys,
    }
    pending = folder / "meta.json.tmp"
    pending.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    pending.replace(folder / "meta.json")


def _frequencies_file(generation: int) -> str:
    return f"frequencies-{generation}.json"


def _compacted(root: Path, segments: list[Segment], generation: int) -> list[Segment]:
    """The segments with those mostly taken out rewritten, and the newest merged into the one before while it
    holds at least half as many live passages: segment sizes halve from the oldest, so there are a few dozen at
    most and each passage is rewritten a logarithmic number of times over all uploads (a flat cost per upload)."""
    kept: list[Segment] = []
    for segment in segments:
        if segment.size == 0:
            continue
        if segment.size * 2 < len(segment.passages):
            segment = _merged(root, [segment], f"s{generation}-r{len(kept)}")
        kept.append(segment)
    merges = 0
    while len(kept) > 1 and kept[-1].size * 2 >= kept[-2].size:
        merges += 1
        kept[-2:] = [_merged(root, kept[-2:], f"s{generation}-m{merges}")]
    return kept


def _merged(root: Path, parts: Sequence[Segment], name: str) -> Segment:
    passages = [passage for segment in parts for passage in segment.live_passages()]
    return _write_segment(root, name, passages, Counts.merged([(part.counts, part.live) for part in parts]))


def _update(
    settings: Settings,
    corpus: Corpus,
    tokenizer: Tokenizer,
    root: Path,
    key: str,
    meta: dict,
    progress: Progress,
    embeddings: Embeddings | None,
    held: SearchIndex | None = None,
) -> SearchIndex | None:
    """Bring the index in `root` up to `corpus` by notices: mask the passages of the notices removed or changed,
    write those of the notices new or changed as a segment of their own, update the word frequencies from the
    notices' own (nothing else is tokenized or encoded again), and return it loaded. None, with nothing
    changed, when a full build is due: no index yet, a large change, a model trained on the whole corpus, vectors
    in Milvus, a missing or damaged file. `held`, the index in `root` as this process loaded it, gives the
    segments without reading them."""
    previous = meta.get("notices")
    if (
        not isinstance(previous, dict)
        or settings.vector_backend is not VectorBackend.FAISS
        or (embeddings is None and settings.embedding_model == CORPUS_STATIC)
    ):
        return None
    clauses = corpus.retrievable
    notice_keys = corpus.notice_keys
    removed = {notice_id for notice_id, notice_key in previous.items() if notice_keys.get(notice_id) != notice_key}
    added = {notice_id for notice_id, notice_key in notice_keys.items() if previous.get(notice_id) != notice_key}
    if (not removed and not added) or len(removed) + len(added) > max(4, len(notice_keys) // 4):
        return None
    try:
        generation = int(meta["generation"]) + 1
        segments = _read_segments(root, meta, held.segments if held is not None else ())
        counted = json.loads((root / meta["frequencies"]).read_text(encoding="utf-8"))
        frequencies: Counter[str] = Counter(counted["frequencies"])
        for notice_id in removed:
            frequencies.subtract(json.loads((root / "notices" / f"{previous[notice_id]}.json").read_text("utf-8")))
        dense = None
        embeddings = embeddings or load_embeddings(
            settings.embedding_model, root / "model", tokenizer, settings.embedding_threads
        )
        if embeddings is not None:
            dense = _faiss().read_index(str(root / meta["vectors"]))
            if dense.ntotal != sum(segment.size for segment in segments):
                return None
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, EOFError) as error:
        if isinstance(error, EmbeddingError):
            raise
        return None  # missing or damaged files: build afresh
    progress(f"检索索引：增量更新（移除 {len(removed)} 份、加入 {len(added)} 份通知）…")
    gone: list[np.ndarray] = []  # per segment, which of its live passages go (the dense rows to remove)
    masked = []
    for segment in segments:
        if not removed:
            gone.append(np.zeros(segment.size, dtype=bool))
            masked.append(segment)
            continue
        out = np.fromiter((p.notice_id in removed for p in segment.passages), dtype=bool, count=len(segment.passages))
        live = np.ones(len(segment.passages), dtype=bool) if segment.live is None else segment.live
        gone.append(out[live])
        if gone[-1].any():
            live_file = f"live-{generation}.npy"
            kept = live & ~out
            np.save(root / "segments" / segment.name / live_file, kept)
            segment = Segment(segment.name, segment.passages, segment.counts, kept, live_file)
        masked.append(segment)
    fresh_clauses = [clause for clause in clauses if clause.notice_id in added]
    fresh = [passage for clause in fresh_clauses for passage in clause_passages(clause)]
    if fresh:
        counts = Counts.of([tokenizer(p.search_text) for p in fresh])
        masked.append(_write_segment(root, f"s{generation}", fresh, counts))
    segments = _compacted(root, masked, generation)
    by_notice: dict[str, Counter[str]] = {notice_id: Counter() for notice_id in added}
    for clause in fresh_clauses:
        by_notice[clause.notice_id].update(set(tokenizer(clause_search_text(clause))))
    for notice_id, words in by_notice.items():
        _write_notice_words(root, notice_keys[notice_id], words)
        frequencies.update(words)
    frequencies = +frequencies
    vectors_file = None
    if dense is not None:
        dense.remove_ids(np.flatnonzero(np.concatenate(gone)).astype(np.int64))
        cache = VectorCache(settings.vector_cache_dir, settings.embedding_model)
        if fresh and embeddings is not None:
            dense.add(encode_passages(fresh, embeddings, cache, progress))
        vectors_file = f"vectors-{generation}.faiss"
        _faiss().write_index(dense, str(root / vectors_file))
    _write_state(root, key, settings, generation, segments, len(clauses), frequencies, notice_keys, vectors_file)
    _remove_unlisted(root, segments, set(notice_keys.values()), {_frequencies_file(generation), vectors_file})
    progress(f"检索索引完成 → {root}")
    passages, lexical = _served(segments, settings)
    dense_index = DenseIndex(embeddings, dense, passages) if dense is not None and embeddings is not None else None
    return SearchIndex(passages, lexical, dense_index, tokenizer, dict(frequencies), len(clauses), key, segments)


def _remove_unlisted(root: Path, segments: Sequence[Segment], notice_keys: set[str], listed: set[str | None]) -> None:
    """Delete what `meta.json` no longer names (`listed`: its frequencies and vectors files): merged segments, old
    masks, frequencies and vectors, and the word counts of notices gone (what an update that died before landing
    left is cleared here too)."""
    for path in root.iterdir():
        if path.name not in listed and path.name.startswith(("frequencies-", "vectors-", "meta.json.")):
            path.unlink(missing_ok=True)
    live_files = {segment.name: segment.live_file for segment in segments}
    for folder in (root / "segments").iterdir():
        if folder.name not in live_files:
            shutil.rmtree(folder, ignore_errors=True)
            continue
        for mask in folder.glob("live-*.npy"):
            if mask.name != live_files[folder.name]:
                mask.unlink(missing_ok=True)
    for counted in (root / "notices").glob("*.json"):
        if counted.stem not in notice_keys:
            counted.unlink(missing_ok=True)


def _load(settings: Settings, root: Path, tokenizer: Tokenizer, embeddings: Embeddings | None, key: str) -> SearchIndex:
    meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
    segments = _read_segments(root, meta)
    passages, lexical = _served(segments, settings)
    counted = json.loads((root / meta["frequencies"]).read_text(encoding="utf-8"))
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
        dense = DenseIndex(embeddings, _faiss().read_index(str(root / meta["vectors"])), passages)
    return SearchIndex(
        passages, lexical, dense, tokenizer, counted["frequencies"], counted["clauses"], key, tuple(segments)
    )


def _milvus_client(settings: Settings):
    if settings.milvus_uri is None:
        settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    token = settings.milvus_token.get_secret_value() if settings.milvus_token else None
    return connect(settings.milvus_location, token)


def clause_search_text(clause) -> str:
    """What a clause's words are counted from: its headings and its text."""
    return " ".join(clause.headings) + clause.text
