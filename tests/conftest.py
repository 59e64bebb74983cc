"""Shared fixtures: the bundled corpus indexed once per session, a fake embedder, fake chat models."""

from __future__ import annotations

import hashlib
import itertools
import shutil
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from index.normalize import normalize
from index.settings import PROJECT_ROOT, Settings
from index.store import Corpus, build

BUNDLED = PROJECT_ROOT / "data" / "notices"
FAKE_MODEL = "test-bigram-hash"


class BigramHashEmbeddings(Embeddings):
    """A small, deterministic embedder: hashed CJK character bigrams, L2-normalized.

    It is a real (if crude) bag-of-bigrams model, so similar texts get similar
    vectors; it needs no training and no download, which keeps tests fast.
    """

    dimensions = 256

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(self.dimensions, dtype=np.float32)
        chars = normalize(text)
        for a, b in itertools.pairwise(chars):
            bucket = int(hashlib.md5((a + b).encode()).hexdigest()[:8], 16) % self.dimensions
            vector[bucket] += 1.0
        norm = np.linalg.norm(vector)
        return (vector / norm if norm else vector).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def fake_chat(*replies: str) -> FakeListChatModel:
    """A chat model that answers with `replies` in turn."""
    return FakeListChatModel(responses=list(replies))


@pytest.fixture(scope="session")
def bundled_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The bundled corpus with the default dense model (e5-small): tests see what users see."""
    return Settings(source_dir=BUNDLED, index_dir=tmp_path_factory.mktemp("index"), current_year=2026)


@pytest.fixture(scope="session")
def corpus(bundled_settings: Settings) -> Corpus:
    return build(bundled_settings).corpus


@pytest.fixture(scope="session")
def assistant(bundled_settings: Settings, corpus: Corpus):
    from assistant.core import Assistant

    return Assistant.open(bundled_settings)


@pytest.fixture(scope="session")
def retriever(assistant):
    return assistant.retriever


@pytest.fixture
def notice_folder(tmp_path: Path) -> Path:
    """A writable folder holding two of the bundled notices (朔州 2026, 沁水 2025)."""
    folder = tmp_path / "notices"
    folder.mkdir()
    for name in ("000_6ceb901c686c9bad.txt", "004_3faadfceb6f19d28.txt"):
        shutil.copy(BUNDLED / name, folder / name)
    return folder
