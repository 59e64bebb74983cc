"""``python -m eval fit-gate``: fit the answerability gate on one question set and write ``assistant/gate.json``.

Fit on the tuned set (eval/questions.jsonl) only; the blind and colloquial sets
measure what it does on questions it never saw.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.core import Assistant, user_turns
from assistant.gate import LEXICAL_ONLY, Gate, Signals, fit
from assistant.retrieve import RetrievalMode
from assistant.scope import Filters
from eval.schema import EvalItem

SEMANTIC_FEATURES = ("coverage", "lexical", "dense_gap", "novel")
LEXICAL_FEATURES = ("coverage", "lexical", "novel")


def gate_rows(assistant: Assistant, items: Sequence[EvalItem], mode: RetrievalMode) -> list[tuple[Signals, bool]]:
    """(signals, answerable) for each item that reaches the gate (a scope without notices is refused before it)."""
    rows = []
    for item in items:
        retrieval = assistant.retriever.search(
            item.question, user_turns(item.history), Filters.from_json(item.filters), mode=mode
        )
        # rows a rule decides (no notice for the place, a figure in a unit no clause states) never reach the gate
        if retrieval.signals is not None and not retrieval.scope.out_of_scope and retrieval.ruled_out is None:
            rows.append((retrieval.signals, item.answerable))
    return rows


def fit_gates(assistant: Assistant, items: Sequence[EvalItem], set_name: str) -> dict[str, Gate]:
    """The gate for the configured dense model (if any) and the lexical-only gate, both fitted on `items`."""
    gates = {}
    lexical = gate_rows(assistant, items, RetrievalMode.LEXICAL)
    gates[LEXICAL_ONLY] = fit([s for s, _ in lexical], [a for _, a in lexical], LEXICAL_FEATURES, fitted_on=set_name)
    if assistant.retriever.index.has_dense:
        hybrid = gate_rows(assistant, items, RetrievalMode.HYBRID)
        gates[assistant.settings.embedding_model] = fit(
            [s for s, _ in hybrid], [a for _, a in hybrid], SEMANTIC_FEATURES, fitted_on=set_name
        )
    return gates


def describe(gate: Gate, rows: Sequence[tuple[Signals, bool]]) -> str:
    admitted = [(gate.admits(s), a) for s, a in rows]
    false_refusals = sum(1 for ok, a in admitted if a and not ok)
    answered_unanswerable = sum(1 for ok, a in admitted if ok and not a)
    weights = ", ".join(f"{n}={w:+.2f}" for n, w in zip(gate.features, gate.weights, strict=True))
    return (
        f"{weights}, bias={gate.bias:+.2f}, threshold={gate.threshold:.3f}; on {len(rows)} rows: "
        f"{false_refusals} answerable refused, {answered_unanswerable} unanswerable admitted"
    )
