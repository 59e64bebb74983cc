"""Run a question set through the assistant and score it: per-question records and a summary."""

from __future__ import annotations

import time
import tomllib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.core import Assistant, InputError, user_turns
from assistant.scope import Filters
from assistant.verify import check_citation
from eval import metrics
from eval.matching import ledger_metrics, pair_metrics
from eval.schema import EvalItem, GoldMatch

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.toml"
BASELINE_NAMES = ("bm25", "dense", "langchain")


@dataclass
class Report:
    records: list[dict[str, Any]]
    summary: dict[str, float]
    by_kind: dict[str, dict[str, float]]
    baselines: dict[str, dict[str, float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # thresholds missed, as sentences


def _retrieval_verdicts(ranking: Sequence[Sequence[str]], item: EvalItem) -> dict[str, float]:
    match_all = item.gold_match is GoldMatch.ALL
    return {
        "recall@1": metrics.recall_at_k(ranking, item.gold_clauses, 1, match_all),
        "recall@5": metrics.recall_at_k(ranking, item.gold_clauses, 5, match_all),
        "recall@10": metrics.recall_at_k(ranking, item.gold_clauses, 10, match_all),
        "rr": metrics.reciprocal_rank(ranking, item.gold_clauses),
        "ndcg@10": metrics.ndcg_at_k(ranking, item.gold_clauses, 10),
    }


def evaluate_item(assistant: Assistant, item: EvalItem, baselines=None) -> dict[str, Any]:
    corpus = assistant.corpus
    turns = user_turns(item.history)
    filters = Filters.from_json(item.filters)
    retrieval = assistant.retriever.search(item.question, turns, filters, k=10)
    ranking = [list(hit.clause_ids) for hit in retrieval.hits]
    started = time.perf_counter()
    try:
        answer = assistant.ask(item.question, item.history, filters)
        error = None
    except InputError as problem:
        answer, error = None, str(problem)
    latency = (time.perf_counter() - started) * 1000
    refused = answer is None or answer.refused
    citations = list(answer.citations) if answer else []
    record: dict[str, Any] = {
        "id": item.id,
        "question": item.question,
        "kind": item.kind,
        "answerable": item.answerable,
        "refused": refused,
        "error": error,
        "answer": answer.answer if answer else error,
        "mode": answer.mode.value if answer else None,
        "gold_clauses": list(item.gold_clauses),
        "key_facts": list(item.key_facts),
        "retrieved": [group[0] for group in ranking],
        "citations": [{"clause_id": c.clause_id, "path": c.path, "quote": c.quote} for c in citations],
        "latency_ms": round(latency, 2),
    }
    verdicts: dict[str, Any] = {}
    retrieved_ids = answer.retrieved if answer else ()
    valid = [check_citation(c, corpus, retrieved_ids) is None for c in citations]
    verbatim = [
        corpus.has_clause(c.clause_id) and metrics.quote_is_verbatim(c.quote, corpus.clause(c.clause_id).text)
        for c in citations
    ]
    verdicts["citations"] = len(citations)
    verdicts["citations_valid"] = sum(valid)
    verdicts["quotes_verbatim"] = sum(verbatim)
    if item.answerable:
        verdicts.update(_retrieval_verdicts(ranking, item))
        equivalents = {g: {cid for group in ranking if g in group for cid in group} for g in item.gold_clauses}
        cited = [c.clause_id for c in citations]
        precision, recall = metrics.citation_precision_recall(cited, item.gold_clauses, equivalents)
        gold_cited = recall == 1.0 if item.gold_match is GoldMatch.ALL else recall > 0
        facts = metrics.key_fact_coverage(record["answer"] or "", item.key_facts) if not refused else 0.0
        correct = not refused and gold_cited and (facts is None or facts == 1.0)
        verdicts.update(
            {
                "citation_precision": precision if citations else None,
                "citation_recall": recall,
                "gold_cited": float(gold_cited),
                "key_facts": facts if item.key_facts else None,
                "correct": correct,
            }
        )
    else:
        correct = refused
        verdicts["correct"] = correct
    verdicts["crag"] = metrics.crag_score(item.answerable, refused, correct)
    if baselines is not None and item.answerable:
        text = " ".join([*turns, item.question])
        verdicts["baselines"] = {name: _retrieval_verdicts(r, item) for name, r in baselines.rankings(text).items()}
    record["verdicts"] = verdicts
    record["failed"] = not correct or verdicts["quotes_verbatim"] < verdicts["citations"]
    return record


def summarize(records: Sequence[dict[str, Any]]) -> dict[str, float]:
    answerable = [r for r in records if r["answerable"]]
    v = [r["verdicts"] for r in answerable]
    citations = sum(r["verdicts"]["citations"] for r in records)
    summary = {
        "questions": float(len(records)),
        "answerable": float(len(answerable)),
        "recall@1": metrics.mean(x["recall@1"] for x in v),
        "recall@5": metrics.mean(x["recall@5"] for x in v),
        "recall@10": metrics.mean(x["recall@10"] for x in v),
        "mrr": metrics.mean(x["rr"] for x in v),
        "ndcg@10": metrics.mean(x["ndcg@10"] for x in v),
        "citation_validity": sum(r["verdicts"]["citations_valid"] for r in records) / citations if citations else 1.0,
        "quote_verbatim": sum(r["verdicts"]["quotes_verbatim"] for r in records) / citations if citations else 1.0,
        "gold_cited": metrics.mean(x["gold_cited"] for x in v),
        "citation_precision": metrics.mean(x["citation_precision"] for x in v),
        "citation_recall": metrics.mean(x["citation_recall"] for x in v),
        "key_facts": metrics.mean(x["key_facts"] for x in v),
        "crag": metrics.mean(r["verdicts"]["crag"] for r in records),
        "latency_p50_ms": metrics.percentile([r["latency_ms"] for r in records], 50),
        "latency_p95_ms": metrics.percentile([r["latency_ms"] for r in records], 95),
    }
    summary.update(metrics.refusal_rates((r["answerable"], r["refused"]) for r in records))
    return summary


_RANKING_COLUMNS = (
    ("recall@1", "recall@1"),
    ("recall@5", "recall@5"),
    ("recall@10", "recall@10"),
    ("mrr", "rr"),
    ("ndcg@10", "ndcg@10"),
)


def _ranking_means(verdicts: Sequence[dict[str, float]]) -> dict[str, float]:
    return {column: metrics.mean(v[name] for v in verdicts) for column, name in _RANKING_COLUMNS}


def baseline_summary(records: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    answerable = [r["verdicts"] for r in records if r["answerable"]]
    rows = {"project": _ranking_means(answerable)}
    for baseline in BASELINE_NAMES:
        scored = [v["baselines"][baseline] for v in answerable if "baselines" in v]
        if scored:
            rows[baseline] = _ranking_means(scored)
    return rows


QUIZ_COUNT = 100


def missing_notices(items, corpus) -> dict[str, int]:
    """Notices a question set's gold clauses come from that the library no longer holds (deleted, renamed), with
    how many questions need each: those questions fail for the library, not for the assistant."""
    missing: dict[str, int] = {}
    for item in items:
        gone = {cid.split("/", 1)[0] for cid in item.gold_clauses if not corpus.has_clause(cid)}
        for notice_id in gone:
            missing[notice_id] = missing.get(notice_id, 0) + 1
    return dict(sorted(missing.items()))


def quiz_summary(assistant: Assistant) -> dict[str, float]:
    """The quiz checks on a 100-item paper over the whole corpus: soundness and the structure of a paper."""
    from assistant.quiz import QuizMaker, quiz_checks

    items = QuizMaker(assistant.corpus, assistant.retriever).make(count=QUIZ_COUNT, seed=1)
    checks = quiz_checks(items, assistant.corpus)
    return {f"quiz_{name}": value for name, value in checks.items()}


def check_thresholds(summary: dict[str, float], path: Path = THRESHOLDS) -> list[str]:
    """Sentences naming each threshold the summary misses."""
    config = tomllib.loads(path.read_text(encoding="utf-8"))
    missed = []
    for name, bound in config.get("minimum", {}).items():
        if summary.get(name, 0.0) < bound:
            missed.append(f"{name} = {summary.get(name, 0.0):.3f}，低于要求的 {bound}")
    for name, bound in config.get("maximum", {}).items():
        if summary.get(name, 0.0) > bound:
            missed.append(f"{name} = {summary.get(name, 0.0):.3f}，高于允许的 {bound}")
    return missed


def run_suite(
    assistant: Assistant,
    items: Sequence[EvalItem],
    with_baselines: bool = False,
    thresholds: Path = THRESHOLDS,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Report:
    baselines = None
    if with_baselines:
        from eval.baselines import Baselines
        from index.embed import CORPUS_STATIC, VectorCache

        settings = assistant.settings
        # corpus-static is retrained per build, so its vectors are never reused
        cache = (
            None
            if settings.embedding_model == CORPUS_STATIC
            else VectorCache(settings.vector_cache_dir, settings.embedding_model)
        )
        baselines = Baselines(assistant.corpus, assistant.retriever.index, assistant.retriever.tokenizer, cache)
    records = []
    for done, item in enumerate(items, 1):
        records.append(evaluate_item(assistant, item, baselines))
        progress(done, len(items))
    summary = summarize(records)
    summary.update(quiz_summary(assistant))
    summary.update(ledger_metrics(assistant.corpus))
    summary.update(pair_metrics())
    kinds: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        kinds[record["kind"]].append(record)
    by_kind = {kind: summarize(rows) for kind, rows in sorted(kinds.items())}
    report = Report(records, summary, by_kind, failures=check_thresholds(summary, thresholds))
    if with_baselines:
        report.baselines = baseline_summary(records)
    return report
