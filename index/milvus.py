"""The dense side in Milvus: passage vectors in a Milvus collection, searched by the engine with notice filters.

The default dense side keeps the vectors in process (FAISS, `index.search.DenseIndex`). This one keeps them in
Milvus, selected by ``ANQUAN_VECTOR_BACKEND=milvus``: Milvus Lite (embedded, a local ``.db`` folder, pure
Python) on one machine and in tests, or a Milvus standalone/cluster by ``ANQUAN_MILVUS_URI`` for a library too
large for one process. A question's scope goes to the engine as a filter on ``notice_id``, so a scoped question
is scored inside the engine over its own notices' passages only.

Row i of the collection is passage i of the search index (field ``row``), as in the FAISS index, so both
backends hand the retriever the same per-passage similarities and answer alike. The collection is named by the
search index folder and the corpus it was built from: a stale collection is never read, and the build drops the
older ones of the same index.

`as_vector_store` gives the same collection behind LangChain's `VectorStore` interface (`langchain-milvus`),
where ``expr=`` takes Milvus filter expressions (``notice_id == "朔州市-2026"``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from index.embed import VectorCache
from index.passages import Passage

# Milvus answers at most this many hits per search; a scope with more passages gets its best this many, and the
# rest the lowest score returned (they are below it), which leaves every candidate the fusion can pick unchanged.
MAX_HITS = 16_384
_INSERT_BATCH = 1_000
_PREFIX = "anquan_"


class MilvusError(RuntimeError):
    """Milvus cannot be reached or opened; the message says what to do."""


def _pymilvus():
    try:
        import pymilvus
    except ImportError as error:
        raise MilvusError("Milvus 后端需要 pymilvus 和 milvus-lite：pip install 'anquan[milvus]'") from error
    return pymilvus


def collection_name(index_folder: str, corpus_key: str) -> str:
    """A collection per search-index folder and corpus (Milvus names allow letters, digits and underscores)."""
    return re.sub(r"\W", "_", f"{_PREFIX}{index_folder}_{corpus_key}", flags=re.ASCII)


def connect(uri: str, token: str | None = None):
    """A client for `uri`: a local path ending in ``.db`` is Milvus Lite, ``http://host:19530`` a server."""
    pymilvus = _pymilvus()
    try:
        return pymilvus.MilvusClient(uri=uri, token=token or "")
    except Exception as error:  # pymilvus and milvus-lite raise their own exception types for the same failure
        hint = (
            "另一个进程正在使用这个 Milvus Lite 数据库（它只允许一个进程打开）；请关闭它，或改用 Milvus 服务器的 URI"
            if _held_elsewhere(uri)
            else "请检查 ANQUAN_MILVUS_URI"
        )
        raise MilvusError(f"无法打开 Milvus（{uri}）：{hint}。{type(error).__name__}: {error}") from error


def _held_elsewhere(uri: str) -> bool:
    """Whether another process holds a Milvus Lite database's lock (pymilvus reports only "open failed")."""
    lock = Path(uri) / "LOCK"
    if not uri.endswith(".db") or not lock.is_file():
        return False
    try:
        import fcntl
    except ImportError:  # not a Unix system: say nothing rather than guess
        return False
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


class MilvusDenseIndex:
    """The passages' normalized vectors in a Milvus collection (inner product = cosine) and the question
    encoder; the same interface as `index.search.DenseIndex`."""

    def __init__(self, embeddings: Embeddings, client, collection: str, passages: Sequence[Passage], uri: str):
        self.embeddings = embeddings
        self.client = client
        self.collection = collection
        self.passages = passages
        self.uri = uri

    @classmethod
    def build(
        cls,
        passages: Sequence[Passage],
        embeddings: Embeddings,
        client,
        collection: str,
        uri: str,
        cache: VectorCache | None = None,
        progress=None,
        keep: frozenset[str] = frozenset(),
    ) -> MilvusDenseIndex:
        """Encode and insert `passages` into a new `collection`; the same index's older collections are dropped,
        except those in `keep` (the one the running app still answers from until it switches to this one)."""
        from index.search import encode_passages

        vectors = encode_passages(passages, embeddings, cache, progress)
        pymilvus = _pymilvus()
        stem = collection.rsplit("_", 1)[0]
        for name in client.list_collections():
            # the same index's collections of older corpora are stale: never read again
            if name == collection or (name.startswith(stem + "_") and name not in keep):
                client.drop_collection(name)
        schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
        # pk/text/vector are the field names langchain-milvus expects, so its VectorStore reads this collection
        schema.add_field("pk", pymilvus.DataType.VARCHAR, is_primary=True, max_length=64)
        schema.add_field("row", pymilvus.DataType.INT64)
        schema.add_field("notice_id", pymilvus.DataType.VARCHAR, max_length=512)
        schema.add_field("clause_id", pymilvus.DataType.VARCHAR, max_length=1024)
        schema.add_field("text", pymilvus.DataType.VARCHAR, max_length=65_535)
        schema.add_field("vector", pymilvus.DataType.FLOAT_VECTOR, dim=int(vectors.shape[1]))
        index_params = client.prepare_index_params()
        # exact search: the same scores as the in-process index; a large deployment may rebuild it as HNSW
        index_params.add_index(field_name="vector", index_type="FLAT", metric_type="IP")
        client.create_collection(collection, schema=schema, index_params=index_params)
        for start in range(0, len(passages), _INSERT_BATCH):
            client.insert(
                collection,
                [
                    {
                        "pk": str(row),
                        "row": row,
                        "notice_id": passage.notice_id,
                        "clause_id": passage.clause_id,
                        "text": passage.text,
                        "vector": vectors[row].tolist(),
                    }
                    for row, passage in enumerate(passages[start : start + _INSERT_BATCH], start=start)
                ],
            )
        client.flush(collection)
        return cls(embeddings, client, collection, passages, uri)

    @classmethod
    def open(
        cls, embeddings: Embeddings, client, collection: str, passages: Sequence[Passage], uri: str
    ) -> MilvusDenseIndex:
        if not client.has_collection(collection):
            # a KeyError makes the search index rebuild itself, as for a missing FAISS file
            raise KeyError(f"Milvus collection {collection} is missing")
        client.load_collection(collection)
        return cls(embeddings, client, collection, passages, uri)

    def similarities(self, text: str, rows: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity of each passage to `text`, as `DenseIndex.similarities`: all passages, or the
        `rows` in the question's scope (sent to the engine as a filter on their notices; the others stay 0)."""
        from index.search import normalized

        query = normalized(np.asarray([self.embeddings.embed_query(text)], dtype=np.float32))[0]
        full = np.zeros(len(self.passages), dtype=np.float32)
        if rows is not None and len(rows) == 0:
            return full
        expression = ""
        wanted = len(self.passages)
        if rows is not None:
            notices = sorted({self.passages[row].notice_id for row in rows})
            expression = f"notice_id in {json.dumps(notices, ensure_ascii=False)}"
            wanted = len(rows)
        found = self.client.search(
            self.collection,
            [query.tolist()],
            limit=min(wanted, MAX_HITS),
            filter=expression,
            output_fields=["row"],
            search_params={"metric_type": "IP"},
        )[0]
        hit_rows = np.array([hit["entity"]["row"] for hit in found], dtype=np.int64)
        scores = np.array([hit["distance"] for hit in found], dtype=np.float32)
        if wanted > len(found) and len(found):
            floor = scores.min()
            if rows is None:
                full[:] = floor
            else:
                full[rows] = floor
        full[hit_rows] = scores
        return full

    def as_vector_store(self):
        """The collection as a LangChain `VectorStore` (langchain-milvus); ``expr=`` filters on metadata."""
        return self._vector_store

    @cached_property
    def _vector_store(self):
        try:
            from langchain_milvus import Milvus
        except ImportError as error:
            raise MilvusError("Milvus 的 LangChain 接口需要 langchain-milvus：pip install langchain-milvus") from error
        return Milvus(
            embedding_function=self.embeddings,
            collection_name=self.collection,
            connection_args={"uri": self.uri},
            primary_field="pk",
            text_field="text",
            vector_field="vector",
            auto_id=False,
        )
