"""Frozen value types of the assistant's answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Mode(StrEnum):
    EXTRACTIVE = "extractive"  # offline default: sentences quoted from the clauses
    LLM = "llm"  # a configured chat model wrote the answer; its quotes were verified


class QuestionType(StrEnum):
    COUNT = "count"  # 多少 / 几座
    DEADLINE = "deadline"  # 什么时候 / 多长时间
    FREQUENCY = "frequency"  # 多久查一回 / 多长时间开一次 / 按啥频次
    RESPONSIBILITY = "responsibility"  # 谁负责 / 哪个部门
    YES_NO = "yes_no"  # 吗 / 能不能 / 有没有
    CONSEQUENCE = "consequence"  # 会怎样 / 怎么处理 / 有什么后果
    METADATA = "metadata"  # 文号 / 印发日期 / 标题 / 发文机关 of a notice
    WHICH_NOTICE = "which_notice"  # 哪个文件提到了…
    COMPARISON = "comparison"  # 2024年和2025年 / 朔州和大同
    REQUIREMENT = "requirement"  # 怎么 / 有什么要求 (the default)


@dataclass(frozen=True)
class Citation:
    """One quote and where it stands: the quote is verbatim (normalized) in `clause_text`."""

    number: int
    clause_id: str
    notice_id: str
    issuer: str
    year: int
    doc_number: str | None
    title: str
    path: str
    quote: str
    clause_text: str
    units: str | None = None  # responsible units the answer names for this clause, as the notice words them

    def to_dict(self) -> dict[str, Any]:
        return {
            "clause_id": self.clause_id,
            "notice_id": self.notice_id,
            "issuer": self.issuer,
            "year": self.year,
            "doc_number": self.doc_number,
            "title": self.title,
            "path": self.path,
            "quote": self.quote,
            "clause_text": self.clause_text,
        }

    @property
    def label(self) -> str:
        """``《title》（文号）三、（十一）1.`` for the answer text."""
        number = f"（{self.doc_number}）" if self.doc_number else ""
        return f"《{self.title}》{number}{self.path}"


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    refused: bool
    mode: Mode
    citations: tuple[Citation, ...] = ()
    lead: str = ""
    question_type: QuestionType = QuestionType.REQUIREMENT
    notes: tuple[str, ...] = ()  # e.g. that an LLM answer was replaced by the extractive one
    retrieved: tuple[str, ...] = ()  # clause ids retrieval returned (citations must be among them)
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "mode": self.mode.value,
            "citations": [citation.to_dict() for citation in self.citations],
            "timings_ms": self.timings_ms,
        }
