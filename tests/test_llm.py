"""The optional LLM mode with fake chat models: verified quotes kept, anything unverifiable replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core import Assistant
from assistant.prompts import PromptError, load_prompt
from assistant.types import Mode
from tests.conftest import fake_chat

QUESTION = "朔州今年要再建几座智能化煤矿？"


def _with(assistant, chat) -> Assistant:
    return Assistant(assistant.retriever, assistant.settings, chat)


def test_a_faithful_model_answer_is_kept(assistant) -> None:
    chat = fake_chat("朔州市2026年要求年底前再建成6座智能化煤矿。依据：「年底前再建成6座智能化煤矿」[1]")
    answer = _with(assistant, chat).ask(QUESTION)
    assert answer.mode is Mode.LLM
    assert answer.citations[0].clause_id == "朔州市-2026/三.十一.1"
    assert answer.citations[0].quote == "年底前再建成6座智能化煤矿"


def test_an_invented_quote_is_replaced_by_the_extractive_answer(assistant) -> None:
    chat = fake_chat("朔州要建10座。依据：「年底前再建成10座智能化煤矿」[1]")
    answer = _with(assistant, chat).ask(QUESTION)
    assert answer.mode is Mode.EXTRACTIVE
    assert "无法在原文中核实" in answer.answer
    assert "6座" in answer.lead and "10座" not in answer.answer.split("（大模型")[0]


def test_a_figure_outside_the_quotes_must_be_in_the_cited_clause(assistant) -> None:
    chat = fake_chat("朔州今年共要建成16座智能化煤矿。「加强煤矿智能化改造」[1]")
    answer = _with(assistant, chat).ask(QUESTION)
    assert answer.mode is Mode.EXTRACTIVE and "16" in answer.notes[0]


def test_a_citation_number_that_does_not_exist(assistant) -> None:
    answer = _with(assistant, fake_chat("见「年底前再建成6座智能化煤矿」[9]")).ask(QUESTION)
    assert answer.mode is Mode.EXTRACTIVE and "[9]" in answer.notes[0]


def test_an_answer_without_marked_quotes(assistant) -> None:
    answer = _with(assistant, fake_chat("要建6座。")).ask(QUESTION)
    assert answer.mode is Mode.EXTRACTIVE and "没有按要求标注" in answer.notes[0]


def test_refusals_never_reach_the_model(assistant) -> None:
    chat = fake_chat("这句话不应出现")
    answer = _with(assistant, chat).ask("怎么申请农村低保？")
    assert answer.refused and "这句话不应出现" not in answer.answer


def test_prompt_placeholders_are_checked(tmp_path) -> None:
    assert "{question}" in load_prompt("answer", {"question", "clauses"})
    (tmp_path / "broken.txt").write_text("只有 {question}", encoding="utf-8")
    with pytest.raises(PromptError, match="占位符"):
        load_prompt("broken", {"question", "clauses"}, folder=tmp_path)


def test_every_provider_and_dense_backend_has_one_registry_entry() -> None:
    from assistant.llm import CHAT_PROVIDERS
    from index.embed import DENSE_BACKENDS, DenseBackend, load_embeddings
    from index.settings import LLMProvider

    assert set(CHAT_PROVIDERS) == set(LLMProvider) - {LLMProvider.NONE}
    assert set(DENSE_BACKENDS) == set(DenseBackend)
    assert load_embeddings(DenseBackend.NONE, Path("unused"), tokenizer=None, threads=1) is None  # type: ignore[arg-type]
