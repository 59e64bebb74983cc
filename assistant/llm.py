"""Optional LLM answers through a LangChain chat model, verified like every other answer.

Nothing here runs unless ``llm_provider`` is configured. The model sees only the
retrieved clauses, must mark each quote as ``「…」[n]``, and its answer is kept
only if every quote is verbatim in clause n and every figure it states appears in
the clauses it cites; otherwise the extractive answer is returned, saying so.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer import answered
from assistant.prompts import load_prompt
from assistant.retrieve import Retrieval
from assistant.types import Answer, Citation, Mode
from assistant.verify import problems
from index.normalize import normalize
from index.settings import LLMProvider, Settings
from index.store import Corpus

_QUOTE = re.compile(r"[「“]([^」”]{2,400})[」”]\s*\[(\d{1,2})\]")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")


def chat_model_from(settings: Settings):
    """The configured chat model, or None when the assistant is to stay offline."""
    if settings.llm_provider is LLMProvider.NONE:
        return None
    if not settings.llm_model:
        raise ValueError("已设置 llm_provider，但没有设置 llm_model（ANQUAN_LLM_MODEL）")
    if settings.llm_provider is LLMProvider.OPENAI:
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as error:
            raise ImportError("使用 OpenAI 兼容接口需要安装 langchain-openai：pip install langchain-openai") from error
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
        return ChatOpenAI(
            model=settings.llm_model, base_url=settings.llm_base_url, api_key=key, temperature=settings.llm_temperature
        )
    try:
        from langchain_ollama import ChatOllama
    except ImportError as error:
        raise ImportError("使用 Ollama 需要安装 langchain-ollama：pip install langchain-ollama") from error
    return ChatOllama(model=settings.llm_model, base_url=settings.llm_base_url, temperature=settings.llm_temperature)


def clause_block(retrieval: Retrieval) -> str:
    lines = []
    for number, hit in enumerate(retrieval.hits, 1):
        notice = hit.notice
        lines.append(f"[{number}] {notice.issuer}{notice.year}年《{notice.display_title}》{hit.clause.path_label}")
        lines.append(hit.clause.text)
    return "\n".join(lines)


def llm_answer(chat_model, question: str, retrieval: Retrieval, extractive: Answer, corpus: Corpus) -> Answer:
    template = load_prompt("answer", {"question", "clauses"})
    prompt = template.format(question=question, clauses=clause_block(retrieval))
    try:
        reply = chat_model.invoke(prompt)
    except Exception as error:  # the endpoint is optional; its failure must not lose the answer
        return _fallback(extractive, f"大模型调用失败（{type(error).__name__}），已改用原文摘录回答")
    text = reply.content if hasattr(reply, "content") else str(reply)
    text = text if isinstance(text, str) else str(text)
    citations = []
    for number, (quote, index) in enumerate(_QUOTE.findall(text), 1):
        position = int(index) - 1
        if not 0 <= position < len(retrieval.hits):
            return _fallback(extractive, f"大模型引用了不存在的条款编号 [{index}]，已改用原文摘录回答")
        hit = retrieval.hits[position]
        citations.append(
            Citation(
                number=number,
                clause_id=hit.clause.clause_id,
                notice_id=hit.notice.notice_id,
                issuer=hit.notice.issuer,
                year=hit.notice.year,
                doc_number=hit.notice.doc_number,
                title=hit.notice.display_title,
                path=hit.clause.path_label,
                quote=quote.strip(),
                clause_text=hit.clause.text,
            )
        )
    if not citations:
        return _fallback(extractive, "大模型的回答没有按要求标注原文引文，已改用原文摘录回答")
    retrieved = [clause_id for hit in retrieval.hits for clause_id in hit.clause_ids]
    failed = problems(citations, corpus, retrieved)
    if failed:
        return _fallback(extractive, "大模型的回答中有引文无法在原文中核实，已改用原文摘录回答")
    # figures may come from the cited clauses or from their notices' own metadata (year, 文号, title)
    cited_text = normalize("".join(f"{c.clause_text}{c.year}{c.doc_number or ''}{c.title}{c.path}" for c in citations))
    prose = normalize(_QUOTE.sub("", text))
    unsupported = [figure for figure in _FIGURE.findall(prose) if figure not in cited_text]
    if unsupported:
        return _fallback(
            extractive, f"大模型回答中的数字 {'、'.join(unsupported)} 在所引条款中找不到，已改用原文摘录回答"
        )
    lead = _QUOTE.sub(lambda m: f"“{m.group(1)}”", text.strip().split("\n")[0]).strip()
    return answered(question, lead, citations, Mode.LLM, extractive.question_type)


def _fallback(extractive: Answer, note: str) -> Answer:
    return replace(
        extractive,
        lead=f"{extractive.lead}\n（{note}）",
        answer=f"{extractive.answer}\n\n（{note}）",
        notes=(*extractive.notes, note),
    )
