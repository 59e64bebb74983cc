"""Optional LLM answers through a LangChain chat model, verified like every other answer.

Nothing here runs unless ``llm_provider`` is configured. The model sees only the
retrieved clauses, must mark each quote as ``「…」[n]``, and its answer is kept
only if every quote is verbatim in clause n and every figure it states appears in
the clauses it cites; otherwise the extractive answer is returned, saying so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from assistant.answer import answered, notice_citation
from assistant.claims import QUOTE as _QUOTE
from assistant.claims import ClaimChecker, plain
from assistant.prompts import load_prompt
from assistant.retrieve import Retrieval
from assistant.types import Answer, Citation, Mode
from assistant.verify import problems
from index.settings import LLMProvider, Settings
from index.store import Corpus

if TYPE_CHECKING:  # LangChain's chat-model base imports its tracing stack: only a configured model pays for it
    from langchain_core.language_models import BaseChatModel

# a reply longer than this is cut before checking: no answer to a cadre needs more
_MAX_REPLY_CHARS = 4000
# what is left of a checked answer must still say something besides its quotes
_MIN_PROSE_CHARS = 4


def chat_model_from(settings: Settings) -> BaseChatModel | None:
    """The configured chat model, or None when the assistant is to stay offline."""
    if settings.llm_provider is LLMProvider.NONE:
        return None
    if not settings.llm_model:
        raise ValueError("已设置 llm_provider，但没有设置 llm_model（ANQUAN_LLM_MODEL）")
    return CHAT_PROVIDERS[settings.llm_provider](settings)


def _openai(settings: Settings) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr
    except ImportError as error:
        raise ImportError("使用 OpenAI 兼容接口需要安装 langchain-openai：pip install langchain-openai") from error
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=SecretStr(key),
        temperature=settings.llm_temperature,
        timeout=settings.llm_timeout_s,
        max_retries=0,  # a retry would double the wait a cadre sits through
    )


def _ollama(settings: Settings) -> BaseChatModel:
    try:
        from langchain_ollama import ChatOllama
    except ImportError as error:
        raise ImportError("使用 Ollama 需要安装 langchain-ollama：pip install langchain-ollama") from error
    return ChatOllama(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        temperature=settings.llm_temperature,
        client_kwargs={"timeout": settings.llm_timeout_s},
    )


# One factory per provider (LangChain chat models); a new provider is one function and one entry here and in
# `LLMProvider`. NONE has no entry: it means no chat model.
CHAT_PROVIDERS: dict[LLMProvider, Callable[[Settings], BaseChatModel]] = {
    LLMProvider.OPENAI: _openai,
    LLMProvider.OLLAMA: _ollama,
}


def clause_block(retrieval: Retrieval) -> str:
    lines = []
    for number, hit in enumerate(retrieval.hits, 1):
        notice = hit.notice
        lines.append(f"[{number}] {notice.reference(hit.clause.path_label)}")
        lines.append(hit.clause.text)
    return "\n".join(lines)


@cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=8, thread_name_prefix="chat-model")


def invoke_within(chat_model, prompt: str, seconds: float):
    """The model's reply, or TimeoutError after `seconds`: a hung endpoint never holds a cadre's answer."""
    return _pool().submit(chat_model.invoke, prompt).result(timeout=seconds)


def llm_answer(
    chat_model,
    question: str,
    retrieval: Retrieval,
    extractive: Answer,
    corpus: Corpus,
    checker: ClaimChecker,
    timeout_s: float = 8.0,
) -> Answer:
    template = load_prompt("answer", {"question", "clauses"})
    prompt = template.format(question=question, clauses=clause_block(retrieval))
    try:
        reply = invoke_within(chat_model, prompt, timeout_s)
    except TimeoutError:
        return _fallback(extractive, f"大模型在{timeout_s:g}秒内没有回答，已改用原文摘录回答")
    except Exception as error:  # the endpoint is optional; its failure must not lose the answer
        return _fallback(extractive, f"大模型调用失败（{type(error).__name__}），已改用原文摘录回答")
    text = reply.content if hasattr(reply, "content") else str(reply)
    text = plain(text if isinstance(text, str) else str(text))[:_MAX_REPLY_CHARS]
    quoted = _QUOTE.findall(text)
    if not quoted:
        return _fallback(extractive, "大模型的回答没有按要求标注原文引文，已改用原文摘录回答")
    for _, index in quoted:
        if not 1 <= int(index) <= len(retrieval.hits):
            return _fallback(extractive, f"大模型引用了不存在的条款编号 [{index}]，已改用原文摘录回答")
    retrieved = [clause_id for hit in retrieval.hits for clause_id in hit.clause_ids]
    if problems(_citations(quoted, retrieval), corpus, retrieved):
        return _fallback(extractive, "大模型的回答中有引文无法在原文中核实，已改用原文摘录回答")
    # every quote is verbatim; now what the sentences around them claim
    clause_texts = {n: hit.clause.text for n, hit in enumerate(retrieval.hits, 1)}
    metadata = "".join(
        f"{h.notice.issuer}{h.notice.year}年{h.notice.doc_number or ''}{h.notice.display_title}" for h in retrieval.hits
    )
    checked = checker.check(checker.split(text), clause_texts, question, metadata)
    kept = [claim for claim in checked if claim.problem is None]
    dropped = [claim for claim in checked if claim.problem is not None]
    kept_quotes = [quote for claim in kept for quote in _QUOTE.findall(claim.text)]
    prose = re.sub(r"依据|根据|原文|如下|[^\u4e00-\u9fff\d]", "", _QUOTE.sub("", "".join(c.text for c in kept)))
    if not kept or len(prose) < _MIN_PROSE_CHARS or (not kept_quotes and len(kept) < len(checked)):
        reason = dropped[0].problem if dropped else "没有可核实的内容"
        return _fallback(extractive, f"大模型的回答未通过逐句核对（{reason}），已改用原文摘录回答")
    citations = _citations(kept_quotes or quoted, retrieval)
    lead = _QUOTE.sub(lambda m: f"“{m.group(1)}”", "".join(claim.text for claim in kept)).strip()
    answer = answered(question, lead, citations, Mode.LLM, extractive.question_type)
    if dropped:
        note = "已删去大模型回答中无法由原文核实的句子：" + "；".join(c.problem or "" for c in dropped)
        answer = replace(answer, notes=(*answer.notes, note))
    return answer


def _citations(quoted: list[tuple[str, str]], retrieval: Retrieval) -> list[Citation]:
    citations = []
    for number, (quote, index) in enumerate(quoted, 1):
        hit = retrieval.hits[int(index) - 1]
        citations.append(notice_citation(number, hit.notice, hit.clause, quote.strip()))
    return citations


def _fallback(extractive: Answer, note: str) -> Answer:
    return replace(
        extractive,
        lead=f"{extractive.lead}\n（{note}）",
        answer=f"{extractive.answer}\n\n（{note}）",
        notes=(*extractive.notes, note),
    )
