"""Quiz generation on the bundled corpus: keys traceable to verbatim quotes, exports that reopen."""

from __future__ import annotations

import collections
import json

import pytest

from assistant.export import to_json, write_docx, write_xlsx
from assistant.quiz import QuizError, QuizMaker, QuizType, check_item, quiz_checks
from index.normalize import normalize


@pytest.fixture(scope="module")
def maker(assistant) -> QuizMaker:
    return QuizMaker(assistant.corpus, assistant.retriever)


def test_one_hundred_questions_are_sound(maker, corpus) -> None:
    items = maker.make(count=100, seed=1)
    assert len(items) == 100
    assert collections.Counter(i.type for i in items) == {t: 20 for t in QuizType}
    checks = quiz_checks(items, corpus)
    assert checks["sound"] == 1.0 and checks["distractors_wrong"] == 1.0
    assert checks["unique_stems"] >= 0.95
    for item in items:
        clause = normalize(corpus.clause(item.clause_id).text)
        assert normalize(item.quote) in clause
        if item.type is QuizType.SINGLE:
            assert normalize(item.options[item.answer]) in normalize(item.quote)
            assert all(normalize(v) not in clause for k, v in item.options.items() if k != item.answer)
        if item.type is QuizType.BLANK:
            assert "____" in item.stem and normalize(item.answer) in normalize(item.quote)


def test_json_shape(maker) -> None:
    data = json.loads(to_json(maker.make(count=10, seed=4)))
    for row in data:
        assert set(row) == {"type", "stem", "options", "answer", "explanation", "source"}
        assert set(row["source"]) == {"clause_id", "notice_id", "issuer", "year", "doc_number", "path", "quote"}
        if row["type"] in ("blank", "short"):
            assert row["options"] is None
        if row["type"] == "judge":
            assert isinstance(row["answer"], bool)
        if row["type"] == "multi":
            assert len(row["answer"]) >= 2 and set(row["answer"]) <= set(row["options"])


def test_same_seed_same_quiz_other_seed_other_quiz(maker) -> None:
    first = [i.stem for i in maker.make(count=15, seed=7)]
    assert first == [i.stem for i in maker.make(count=15, seed=7)]
    assert first != [i.stem for i in maker.make(count=15, seed=8)]


def test_notice_and_topic_selection(maker) -> None:
    items = maker.make(count=10, notices=["朔州市-2026"], types=[QuizType.BLANK, QuizType.JUDGE], seed=2)
    assert {i.notice.notice_id for i in items} == {"朔州市-2026"}
    assert {i.type for i in items} <= {QuizType.BLANK, QuizType.JUDGE}
    gas = maker.make(count=6, topic="燃气", seed=2, types=[QuizType.SINGLE, QuizType.BLANK, QuizType.JUDGE])
    assert all("燃气" in i.quote or "气" in i.quote for i in gas)
    section = maker.make(count=5, sections=["朔州市-2026/三"], seed=2)
    assert all(i.clause_id.startswith("朔州市-2026/三") for i in section)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"topic": "高考志愿填报"}, "没有可以出题"),
        ({"notices": ["太原市-2026"]}, "没有这些通知"),
        ({"count": 0}, "数量"),
        ({"types": []}, "题型"),
    ],
)
def test_nothing_to_ask_about_is_a_clear_message(maker, kwargs, message) -> None:
    with pytest.raises(QuizError, match=message):
        maker.make(**kwargs)


def test_a_forged_item_fails_the_checks(maker, corpus) -> None:
    from dataclasses import replace

    item = next(i for i in maker.make(count=20, seed=3) if i.type is QuizType.SINGLE)
    wrong_letter = next(k for k in item.options if k != item.answer)
    forged = replace(item, options={**item.options, wrong_letter: item.options[item.answer] + " "})
    assert any("干扰项" in p for p in check_item(forged, corpus))
    assert check_item(replace(item, quote="凭空编造的一句话。"), corpus) == ["引文不是条款原文", "答案不在引文中"]


def test_docx_and_xlsx_reopen_with_their_content(maker, tmp_path) -> None:
    import docx
    from openpyxl import load_workbook

    items = maker.make(count=12, seed=5)
    paper = tmp_path / "测试.docx"
    key = write_docx(items, paper)
    paper_text = "\n".join(p.text for p in docx.Document(paper).paragraphs)
    key_text = "\n".join(p.text for p in docx.Document(key).paragraphs)
    assert all(i.stem in paper_text for i in items)
    assert "答案：" not in paper_text and "原文：" in key_text
    assert all(i.quote in key_text for i in items)
    book = tmp_path / "题库.xlsx"
    write_xlsx(items, book)
    sheet = load_workbook(book).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "题型", "题干") and len(rows) == 13
    assert [r[2] for r in rows[1:]] == [i.stem for i in items]
    assert all(r[12] for r in rows[1:])  # 原文 column filled


def test_llm_mode_keeps_supported_rewrites_and_drops_the_rest(maker, corpus) -> None:
    from assistant.quiz import llm_items
    from tests.conftest import fake_chat

    blank = next(i for i in maker.make(count=30, seed=11, types=[QuizType.BLANK]) if i.answer)
    good = json.dumps(
        {
            "stem": "根据通知填空：" + blank.quote.replace(blank.answer, "____", 1),
            "options": None,
            "answer": blank.answer,
            "explanation": "见原文",
        },
        ensure_ascii=False,
    )
    invented = json.dumps(
        {"stem": "凭空的问题____", "options": None, "answer": "原文没有的词语", "explanation": ""}, ensure_ascii=False
    )
    items, dropped = llm_items(fake_chat(good, invented, "不是 JSON"), [blank, blank, blank], corpus)
    assert dropped == 2
    assert items[0].stem.startswith("根据通知填空") and items[1] == blank and items[2] == blank
