"""The Milvus backend (Milvus Lite, embedded): same answers as the in-process FAISS index, scope as an engine filter."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from assistant.scope import Filters
from eval.schema import load_set
from index.milvus import MilvusDenseIndex
from index.settings import PROJECT_ROOT, Settings, VectorBackend

pytest.importorskip("pymilvus", reason="the milvus extra is part of the test install")


@pytest.fixture(scope="module")
def on_milvus(bundled_settings: Settings, tmp_path_factory: pytest.TempPathFactory):
    """The bundled corpus with its vectors in a Milvus Lite database (vectors come from the shared vector cache)."""
    from assistant.core import Assistant

    settings = bundled_settings.model_copy(
        update={"vector_backend": VectorBackend.MILVUS, "index_dir": tmp_path_factory.mktemp("milvus-index")}
    )
    return Assistant.open(settings)


@pytest.mark.slow
def test_both_backends_give_the_same_answers_on_the_tuned_set(assistant, on_milvus) -> None:
    assert isinstance(on_milvus.retriever.index.dense, MilvusDenseIndex)
    assert not isinstance(assistant.retriever.index.dense, MilvusDenseIndex)
    items = load_set(PROJECT_ROOT / "eval" / "questions.jsonl")
    assert len(items) > 200
    differ = []
    for item in items:
        on_faiss_answer = assistant.ask(item.question, list(item.history))
        on_milvus_answer = on_milvus.ask(item.question, list(item.history))
        if (on_faiss_answer.answer, on_faiss_answer.retrieved) != (on_milvus_answer.answer, on_milvus_answer.retrieved):
            differ.append(item.question)
    assert differ == []


@pytest.mark.slow
def test_scope_is_a_filter_inside_the_engine(assistant, on_milvus) -> None:
    faiss_index, milvus_index = assistant.retriever.index, on_milvus.retriever.index
    question = "年底前再建成6座智能化煤矿"
    everywhere = milvus_index.dense_scores(question)
    assert np.allclose(everywhere, faiss_index.dense_scores(question), atol=1e-5)
    rows = np.array([i for i, p in enumerate(milvus_index.passages) if p.notice_id == "忻州市-2024"])
    scoped = milvus_index.dense_scores(question, rows)
    assert np.allclose(scoped[rows], everywhere[rows], atol=1e-5)
    outside = np.setdiff1d(np.arange(len(milvus_index.passages)), rows)
    assert not scoped[outside].any()
    # a scoped question is answered from its notice on both backends
    scoped_answer = on_milvus.ask(
        "企业每年至少开展几次全员安全警示教育活动？", filters=Filters(issuer="忻州市", year=2024)
    )
    assert {c.notice_id for c in scoped_answer.citations} == {"忻州市-2024"}


@pytest.mark.slow
def test_the_collection_is_a_langchain_vector_store_with_engine_filters(on_milvus) -> None:
    store = on_milvus.retriever.index.vectors
    question = "年底前再建成6座智能化煤矿"
    only = store.similarity_search(question, k=3, expr='notice_id == "忻州市-2024"')
    assert len(only) == 3 and {d.metadata["notice_id"] for d in only} == {"忻州市-2024"}
    unfiltered = store.similarity_search(question, k=5)
    assert {d.metadata["notice_id"] for d in unfiltered} != {"忻州市-2024"}


@pytest.mark.slow
def test_a_database_held_by_another_process_gives_a_clear_error(on_milvus) -> None:
    location = on_milvus.retriever.index.dense.uri
    probe = (
        "import sys\n"
        "from index.milvus import MilvusError, connect\n"
        "try:\n"
        f"    connect({location!r}).list_collections()\n"
        "except MilvusError as error:\n"
        "    print(error); sys.exit(3)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 3, result.stderr[-2000:]
    assert "另一个进程" in result.stdout
