"""The golden question set and the suite runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.report import markdown_summary, write_html
from eval.run import run_suite
from eval.schema import SetError, load_set
from index.normalize import normalize
from index.settings import PROJECT_ROOT

SET = PROJECT_ROOT / "eval" / "questions.jsonl"


def test_the_set_is_large_and_varied(corpus) -> None:
    items = load_set(SET)
    assert len(items) >= 150
    assert sum(not item.answerable for item in items) >= 25
    kinds = {item.kind for item in items}
    assert {
        "scoped_fact",
        "paraphrase",
        "responsibility",
        "comparison",
        "followup",
        "adversarial",
        "out_of_scope",
    } <= kinds
    notices = {gold.split("/")[0] for item in items for gold in item.gold_clauses}
    assert notices == {notice.notice_id for notice in corpus.notices}


def test_gold_labels_match_the_clause_index(corpus) -> None:
    """A renumbered clause or a changed text breaks this test, not the set silently."""
    for item in load_set(SET):
        for gold in item.gold_clauses:
            assert corpus.has_clause(gold), f"{item.id}: {gold} is not a clause"
        if item.gold_clauses:
            clauses = [corpus.clause(gold) for gold in item.gold_clauses]
            text = normalize("".join(c.text + "".join(u.units for u in c.units) for c in clauses))
            for fact in item.key_facts:
                assert normalize(fact) in text, f"{item.id}: key fact {fact} not in its gold clauses"


def test_a_set_written_by_someone_else_runs_unchanged(assistant, tmp_path: Path) -> None:
    foreign = tmp_path / "mine.jsonl"
    rows = [
        {
            "question": "沁水县全年至少开展几次综合性应急演练？",
            "gold_clauses": ["沁水县-2025/七.二十"],
            "key_facts": ["1次"],
        },
        {
            "question": "那大同呢？",
            "history": ["沁水县全年至少开展几次综合性应急演练？"],
            "gold_clauses": ["大同市-2025/七.十九.58"],
        },
        {"question": "太原市2026年燃气整治有什么要求？", "answerable": False, "custom_field": "kept"},
        {
            "question": "智能化煤矿要建几座？",
            "filters": {"issuer": "朔州市", "year": 2026},
            "gold_clauses": ["朔州市-2026/三.十一.1"],
            "key_facts": ["6座"],
        },
    ]
    foreign.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    report = run_suite(assistant, load_set(foreign))
    assert [r["id"] for r in report.records] == ["line1", "line2", "line3", "line4"]
    assert report.summary["recall@5"] == 1.0
    assert report.summary["quote_verbatim"] == 1.0
    assert report.summary["refusal_recall"] == 1.0
    html_path = tmp_path / "report.html"
    write_html(report, html_path)
    page = html_path.read_text(encoding="utf-8")
    assert "溯源评测报告" in page and "data:image/png;base64" in page
    assert "| 前5条含标准条款（Recall@5） | 1.000 | ≥ 0.95 |" in markdown_summary(report)
    # an evaluator reads plain words: Chinese question kinds and verdicts, no raw JSON
    assert "口语提问" in page or "限定通知的事实" in page or "其他" in page
    assert '{"citations"' not in page and "引用含标准条款：是" in page


def test_a_set_that_needs_a_missing_notice_says_so(corpus) -> None:
    from eval.run import missing_notices
    from eval.schema import EvalItem

    items = [
        EvalItem(id="a", question="朔州今年要再建几座智能化煤矿？", gold_clauses=("朔州市-2026/三.十一.1",)),
        EvalItem(id="b", question="太原今年燃气怎么整治？", gold_clauses=("太原市-2026/三.二",)),
        EvalItem(id="c", question="太原今年消防怎么抓？", gold_clauses=("太原市-2026/四.一", "太原市-2026/四.二")),
    ]
    assert missing_notices(items, corpus) == {"太原市-2026": 2}


def test_report_escapes_text_from_questions(assistant, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_text(
        json.dumps(
            {"question": "<script>alert(1)</script>朔州燃气有什么要求？", "answerable": False}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    report = run_suite(assistant, load_set(hostile))
    write_html(report, tmp_path / "r.html")
    assert "<script>alert(1)" not in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "空的"),
        ("{not json", "不是有效的 JSON"),
        ('{"question": "朔州?"}', "gold_clauses"),
        ('{"answer": 1}', "question"),
        ('["x"]', "JSON 对象"),
    ],
)
def test_malformed_sets_get_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SetError, match=message):
        load_set(path)
