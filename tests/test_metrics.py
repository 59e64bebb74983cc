"""The evaluation metrics on hand-made cases."""

from __future__ import annotations

import pytest

from eval import metrics


def test_recall_mrr_ndcg() -> None:
    ranking = [["a"], ["b", "b2"], ["c"]]
    assert metrics.recall_at_k(ranking, ["b2"], 1) == 0.0
    assert metrics.recall_at_k(ranking, ["b2"], 2) == 1.0
    assert metrics.recall_at_k(ranking, ["a", "z"], 3, match_all=True) == 0.5
    assert metrics.reciprocal_rank(ranking, ["c", "b"]) == 0.5
    assert metrics.reciprocal_rank(ranking, ["z"]) == 0.0
    assert metrics.ndcg_at_k(ranking, ["a"], 10) == 1.0
    assert metrics.ndcg_at_k(ranking, ["c"], 10) == pytest.approx(0.5)


def test_a_wrong_citation_lowers_citation_precision() -> None:
    right, _ = metrics.citation_precision_recall(["g"], ["g"], {})
    wrong, recall = metrics.citation_precision_recall(["g", "x"], ["g"], {})
    assert right == 1.0 and wrong == 0.5 and recall == 1.0
    # a grouped duplicate of the gold clause (the same sentence in another notice) is not wrong
    assert metrics.citation_precision_recall(["g2"], ["g"], {"g": {"g", "g2"}}) == (1.0, 1.0)


def test_an_invented_quote_fails_the_verbatim_check() -> None:
    clause = "加强煤矿智能化改造，年底前再建成6座智能化煤矿。"
    assert metrics.quote_is_verbatim("年底前再建成 6 座智能化煤矿", clause)
    assert metrics.quote_is_verbatim("加强煤矿智能化改造,年底前", clause)  # half-width comma: same after normalization
    assert not metrics.quote_is_verbatim("年底前再建成60座智能化煤矿", clause)
    assert not metrics.quote_is_verbatim("", clause)


def test_refusing_an_answerable_question_is_a_false_refusal() -> None:
    rates = metrics.refusal_rates([(True, True), (True, False), (False, True), (False, False)])
    assert rates == {"refusal_precision": 0.5, "refusal_recall": 0.5, "false_refusal_rate": 0.5}
    assert metrics.crag_score(answerable=True, refused=True, correct=False) == 0
    assert metrics.crag_score(answerable=True, refused=False, correct=False) == -1
    assert metrics.crag_score(answerable=True, refused=False, correct=True) == 1
    assert metrics.crag_score(answerable=False, refused=True, correct=True) == 1
    assert metrics.crag_score(answerable=False, refused=False, correct=False) == -1


def test_key_facts_and_sentences_are_chinese_aware() -> None:
    assert metrics.key_fact_coverage("年底前再建成 130 座", ["130座", "6座"]) == 0.5
    assert metrics.key_fact_coverage("任何回答", []) is None
    assert metrics.sentences("第一句。第二句；第三句！") == ["第一句。", "第二句；", "第三句！"]


def test_a_run_is_compared_with_the_previous_one_metric_by_metric() -> None:
    from eval.report import compare_summaries, markdown_comparison

    before = {"gold_cited": 0.95, "false_refusal_rate": 0.05, "latency_p95_ms": 30.0, "mrr": 0.9}
    now = {"gold_cited": 0.97, "false_refusal_rate": 0.08, "latency_p95_ms": 31.0, "mrr": 0.9}
    verdicts = {label: verdict for label, _, _, verdict in compare_summaries(before, now)}
    assert verdicts["引用含标准条款"] == "更好" and verdicts["误拒率"] == "更差"
    assert verdicts["时延 p95 (ms)"] == "不变" and "标准条款平均排位得分（MRR）" in verdicts  # within noise / equal
    table = markdown_comparison(before, now)
    assert "误拒率 | 0.050 | 0.080 | 更差" in table and "MRR" not in table
