"""Dense embeddings through sentence-transformers, behind LangChain's `Embeddings` interface.

The default model, ``corpus-static``, needs no model hub: it is a sentence-transformers
`StaticEmbedding` (a bag of word vectors) trained at index-build time on the
notices themselves, with inverse-cloze pairs (a sentence against the rest of its
clause, a clause's headings against its text) and an in-batch-negatives loss.
Any other sentence-transformers model id or local folder can be configured
instead (e.g. a bge-zh model a user has on disk); it is loaded with the hub
switched off, so a missing model is an error that says so, never a download.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from index.normalize import normalize
from index.passages import split_sentences
from index.records import Clause
from index.tokenize import Tokenizer

CORPUS_STATIC = "corpus-static"
_PREPARE_FILE = "prepare.json"


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
        from sentence_transformers.models import StaticEmbedding

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


def load_embeddings(model_name: str, model_dir: Path, tokenizer: Tokenizer) -> SentenceEmbeddings:
    """The configured model as LangChain `Embeddings`; `model_dir` holds the trained corpus-static model."""
    st = _sentence_transformers()
    if model_name == CORPUS_STATIC:
        if not (model_dir / _PREPARE_FILE).exists():
            raise EmbeddingError(f"语料内训练的向量模型不存在：{model_dir}（请重新运行 python -m index build）")
        model = st.SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        return SentenceEmbeddings(model, CorpusFeatures(tokenizer))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        model = st.SentenceTransformer(model_name, device="cpu", local_files_only=True)
    except Exception as error:
        raise EmbeddingError(
            f"无法离线加载向量模型 {model_name}：请把模型放到本机目录并把 ANQUAN_EMBEDDING_MODEL 设为该目录，"
            f"或使用默认的 {CORPUS_STATIC}（{type(error).__name__}）"
        ) from None
    return SentenceEmbeddings(model)
