"""Grounding metrics, computed without any LLM; Chinese-aware (normalized text, character matching).

Retrieval rankings are lists of *groups*: a retrieved clause together with the
near-identical clauses of other notices it stands for, so a gold clause found
as a grouped duplicate counts as found.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import numpy as np

from index.normalize import normalize

Ranking = Sequence[Sequence[str]]
_SENTENCE = re.compile(r"(?<=[。！？；!?;])")


def sentences(text: str) -> list[str]:
    """Chinese sentences: split after 。！？； (full or half width)."""
    return [part for part in _SENTENCE.split(text) if part.strip()]


def _rank_of(ranking: Ranking, clause_id: str) -> int | None:
    for position, group in enumerate(ranking, 1):
        if clause_id in group:
            return position
    return None


def recall_at_k(ranking: Ranking, gold: Sequence[str], k: int, match_all: bool = False) -> float:
    """`any`: 1 when a gold clause is in the top k; `all`: the share of gold clauses in the top k."""
    if not gold:
        return 0.0
    found = [(_rank_of(ranking, g) or math.inf) <= k for g in gold]
    return sum(found) / len(found) if match_all else float(any(found))


def reciprocal_rank(ranking: Ranking, gold: Sequence[str]) -> float:
    ranks = [r for r in (_rank_of(ranking, g) for g in gold) if r is not None]
    return 1.0 / min(ranks) if ranks else 0.0


def ndcg_at_k(ranking: Ranking, gold: Sequence[str], k: int = 10) -> float:
    """Binary relevance: a group is relevant once for each gold clause it holds that was not found higher."""
    remaining = set(gold)
    gain = 0.0
    for position, group in enumerate(ranking[:k], 1):
        hits = remaining & set(group)
        if hits:
            gain += 1.0 / math.log2(position + 1)
            remaining -= hits
    ideal = sum(1.0 / math.log2(position + 1) for position in range(1, min(len(gold), k) + 1))
    return gain / ideal if ideal else 0.0


def quote_is_verbatim(quote: str, clause_text: str) -> bool:
    needle = normalize(quote)
    return bool(needle) and needle in normalize(clause_text)


def citation_precision_recall(
    cited: Sequence[str], gold: Sequence[str], equivalents: dict[str, set[str]]
) -> tuple[float, float]:
    """Precision: cited clauses that are gold (or grouped with a gold clause); recall: gold clauses cited."""
    if not cited:
        return 0.0, 0.0
    accepted = set(gold)
    for g in gold:
        accepted |= equivalents.get(g, set())
    precision = sum(c in accepted for c in cited) / len(cited)
    cited_set = set(cited)
    recall = sum(bool(({g} | equivalents.get(g, set())) & cited_set) for g in gold) / len(gold) if gold else 0.0
    return precision, recall


def key_fact_coverage(answer_text: str, facts: Sequence[str]) -> float | None:
    """Share of key facts present in the answer (normalized); None when there are none to check."""
    if not facts:
        return None
    text = normalize(answer_text)
    return sum(normalize(fact) in text for fact in facts) / len(facts)


def crag_score(answerable: bool, refused: bool, correct: bool) -> int:
    """CRAG-style: +1 a correct answer or a rightful refusal, 0 a refusal of an answerable question, -1 wrong."""
    if not answerable:
        return 1 if refused else -1
    if refused:
        return 0
    return 1 if correct else -1


def refusal_rates(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float]:
    """From (answerable, refused) pairs: refusal precision and recall, and the false-refusal rate."""
    pairs = list(pairs)
    refused_unanswerable = sum(1 for a, r in pairs if not a and r)
    refused = sum(1 for _, r in pairs if r)
    unanswerable = sum(1 for a, _ in pairs if not a)
    answerable = sum(1 for a, _ in pairs if a)
    false_refusals = sum(1 for a, r in pairs if a and r)
    return {
        "refusal_precision": refused_unanswerable / refused if refused else 1.0,
        "refusal_recall": refused_unanswerable / unanswerable if unanswerable else 1.0,
        "false_refusal_rate": false_refusals / answerable if answerable else 0.0,
    }


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else 0.0


def mean(values: Iterable[float | None]) -> float:
    present = [v for v in values if v is not None]
    return float(sum(present) / len(present)) if present else 0.0
