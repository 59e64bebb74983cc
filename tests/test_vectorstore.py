"""`ClauseVectorStore` and `ClauseRetriever` under LangChain's own standard tests, and filters on notice metadata."""

from __future__ import annotations

from collections.abc import Generator

import pytest
from langchain_core.retrievers import BaseRetriever
from langchain_core.vectorstores import VectorStore
from langchain_tests.integration_tests.retrievers import RetrieversIntegrationTests
from langchain_tests.integration_tests.vectorstores import VectorStoreIntegrationTests

from assistant.documents import ClauseRetriever
from index.vectors import ClauseVectorStore


class TestClauseVectorStoreStandard(VectorStoreIntegrationTests):
    @pytest.fixture()
    def vectorstore(self) -> Generator[VectorStore, None, None]:  # type: ignore[override]
        yield ClauseVectorStore(self.get_embeddings())


def test_filter_on_notice_metadata_is_applied_inside_the_search(retriever) -> None:
    store = retriever.index.vectors
    question = "年底前再建成6座智能化煤矿"
    unfiltered = store.similarity_search(question, k=3)
    assert any(d.metadata["notice_id"] != "忻州市-2024" for d in unfiltered)
    only = store.similarity_search(question, k=3, filter={"notice_id": "忻州市-2024"})
    assert len(only) == 3 and {d.metadata["notice_id"] for d in only} == {"忻州市-2024"}
    either = store.similarity_search(question, k=5, filter={"notice_id": ["忻州市-2024", "沁水县-2025"]})
    assert {d.metadata["notice_id"] for d in either} <= {"忻州市-2024", "沁水县-2025"}
    by_callable = store.similarity_search(question, k=2, filter=lambda m: m["clause_id"].startswith("大同市-2025/"))
    assert len(by_callable) == 2 and all(d.metadata["clause_id"].startswith("大同市-2025/") for d in by_callable)


def test_corpus_passages_have_stable_ids_and_can_be_fetched(retriever) -> None:
    store = retriever.index.vectors
    found = store.similarity_search("年底前再建成6座智能化煤矿", k=1)[0]
    assert found.id == f"{found.metadata['clause_id']}#0" or found.id.startswith(found.metadata["clause_id"] + "#")
    assert store.get_by_ids([found.id]) == [found]


class TestClauseRetrieverStandard(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _bundled(self, assistant) -> None:
        type(self).bundled = assistant.retriever

    @property
    def retriever_constructor(self) -> type[BaseRetriever]:
        return ClauseRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"retriever": self.bundled}

    @property
    def retriever_query_example(self) -> str:
        return "朔州今年要再建几座智能化煤矿？"


def test_the_retriever_documents_carry_their_citation(assistant) -> None:
    documents = ClauseRetriever(retriever=assistant.retriever, k=2).invoke("朔州今年要再建几座智能化煤矿？")
    first = documents[0].metadata
    assert first["issuer"].startswith("朔州") and first["year"] == 2026 and first["path"]
    assert first["clause_id"].startswith("朔州市-2026/")
