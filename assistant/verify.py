"""Verification of every answer, in every mode: quotes verbatim, citations retrieved.

A quote passes when, normalized (`index.normalize`), it is a non-empty substring
of its cited clause's text, normalized; a citation passes when it points at a
clause that exists and that retrieval returned for this question.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.types import Citation
from index.normalize import is_verbatim
from index.store import Corpus


@dataclass(frozen=True)
class Problem:
    citation: Citation
    reason: str


def check_citation(citation: Citation, corpus: Corpus, retrieved: Iterable[str]) -> Problem | None:
    if not corpus.has_clause(citation.clause_id):
        return Problem(citation, "引用的条款不存在")
    if citation.clause_id not in set(retrieved):
        return Problem(citation, "引用的条款不在检索结果中")
    clause = corpus.clause(citation.clause_id)
    if citation.clause_text != clause.text:
        return Problem(citation, "条款原文与索引不一致")
    if not is_verbatim(citation.quote, clause.text):
        return Problem(citation, "引文不是该条款的原文")
    return None


def problems(citations: Iterable[Citation], corpus: Corpus, retrieved: Iterable[str]) -> list[Problem]:
    retrieved = list(retrieved)
    found = (check_citation(citation, corpus, retrieved) for citation in citations)
    return [problem for problem in found if problem is not None]
