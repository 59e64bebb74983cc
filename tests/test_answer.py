"""Answers: lead, verified quotes, citations, refusals, bad input, follow-ups, comparisons."""

from __future__ import annotations

import pytest

from assistant.core import InputError
from assistant.scope import Filters
from assistant.types import Mode, QuestionType
from assistant.verify import problems
from index.normalize import is_verbatim


def _assert_verified(answer, corpus) -> None:
    assert answer.citations
    for citation in answer.citations:
        assert is_verbatim(citation.quote, corpus.clause(citation.clause_id).text)
        assert citation.clause_id in answer.retrieved
    assert problems(answer.citations, corpus, answer.retrieved) == []


def test_scoped_figure_leads_with_the_point(assistant, corpus) -> None:
    answer = assistant.ask("朔州今年要再建几座智能化煤矿？")
    assert answer.lead == "朔州市2026年通知要求：年底前再建成6座智能化煤矿。"
    first = answer.citations[0]
    assert (first.clause_id, first.path, first.doc_number, first.year) == (
        "朔州市-2026/三.十一.1",
        "三、（十一）1.",
        "朔政发〔2026〕1号",
        2026,
    )
    assert first.title == "朔州市人民政府关于做好2026年安全生产工作的通知"
    assert "[1] “加强煤矿智能化改造，年底前再建成6座智能化煤矿。”" in answer.answer
    assert answer.mode is Mode.EXTRACTIVE and not answer.refused
    _assert_verified(answer, corpus)


def test_deadline_question_puts_the_time_in_the_lead(assistant) -> None:
    answer = assistant.ask("2009年省里要求企业发生生产安全事故后多长时间内报告？")
    assert "1小时" in answer.lead.replace(" ", "")


def test_responsibility_from_inline_units(assistant, corpus) -> None:
    answer = assistant.ask("大同电动自行车进楼入户问题由哪些部门负责？")
    assert answer.question_type is QuestionType.RESPONSIBILITY
    assert "市住建局" in answer.lead
    assert "责任单位" in answer.citations[0].quote
    _assert_verified(answer, corpus)


def test_responsibility_from_the_task_table(assistant, corpus) -> None:
    answer = assistant.ask("忻州森林草原火灾防治是哪个部门牵头？")
    assert "市自然资源局牵头" in answer.lead and "重点任务分工表" in answer.lead
    assert answer.citations[0].clause_id == "忻州市-2024/四.十八.1"
    _assert_verified(answer, corpus)


def test_comparison_quotes_each_notice_side_by_side(assistant, corpus) -> None:
    answer = assistant.ask("2024年和2025年省里对智能化煤矿建设的要求有什么变化？")
    assert answer.question_type is QuestionType.COMPARISON
    assert [c.year for c in answer.citations] == [2024, 2025]
    text = answer.answer.replace(" ", "")
    assert "150座" in text and "130座" in text
    _assert_verified(answer, corpus)


def test_follow_up_answers_for_the_new_city(assistant) -> None:
    answer = assistant.ask("那大同呢？", history=[{"role": "user", "content": "朔州今年要再建几座智能化煤矿？"}])
    assert answer.citations[0].clause_id == "大同市-2025/五.十三.44"
    assert "1座" in answer.lead
    assert "2025年" in answer.lead  # 今年 (2026) has no 大同 notice: the answer says which year it used


def test_refusal_names_what_the_notices_cover(assistant) -> None:
    answer = assistant.ask("晋城市2025年要再建成几座智能化煤矿？")
    assert answer.refused and answer.citations == ()
    assert "晋城市" in answer.answer and "朔州市人民政府（2026年）" in answer.answer


def test_refusal_of_an_off_domain_question(assistant) -> None:
    answer = assistant.ask("怎么申请农村低保？")
    assert answer.refused and answer.citations == ()


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "请输入问题"),
        ("   \n ", "请输入问题"),
        ("安" * 5000, "问题太长"),
        ("How many smart coal mines?", "中文"),
        (None, "请输入问题"),
    ],
)
def test_bad_questions_get_a_clear_message(assistant, question, message) -> None:
    with pytest.raises(InputError, match=message):
        assistant.ask(question)


def test_explicit_filters(assistant) -> None:
    answer = assistant.ask("智能化煤矿要建几座？", filters=Filters(issuer="山西省人民政府", year=2024))
    assert {c.notice_id for c in answer.citations} == {"山西省-2024"}
    nothing = assistant.ask("智能化煤矿要建几座？", filters=Filters(issuer="山西省", year=2008))
    assert nothing.refused


def test_every_citation_is_verified_even_when_constructed_wrongly(assistant, corpus) -> None:
    from dataclasses import replace

    answer = assistant.ask("朔州今年要再建几座智能化煤矿？")
    forged = replace(answer.citations[0], quote="年底前再建成60座智能化煤矿。")
    foreign = replace(answer.citations[0], clause_id="山西省-2009/一", number=2)
    found = problems([forged, foreign], corpus, answer.retrieved)
    assert [p.reason for p in found] == ["引文不是该条款的原文", "引用的条款不在检索结果中"]
    cleaned = assistant._verified(replace(answer, citations=(forged,)), answer.retrieved)
    assert cleaned.refused and cleaned.citations == ()


def test_a_lead_that_is_only_a_date_and_a_figure_takes_its_subject_along(assistant) -> None:
    from assistant.answer import _says_little

    assert _says_little("2016年年底前完成 80%；")
    assert not _says_little("年底前再建成6座智能化煤矿。")
    retrieval = assistant.retriever.search("2016年锅炉这些特种设备怎么整治？")
    hit = next(h for h in retrieval.hits if h.clause.clause_id == "山西省-2016/四")
    pick = assistant.extractor.pick(hit, hit.clause, "特种设备 老旧电梯 年底前完成", QuestionType.DEADLINE)
    assert pick.fragment.replace(" ", "") == "集中开展15年以上老旧电梯主要零部件报废综合治理，2016年年底前完成80%"


def test_a_citation_showing_other_text_than_the_index_is_rejected(assistant, corpus) -> None:
    from dataclasses import replace

    answer = assistant.ask("朔州今年要再建几座智能化煤矿？")
    citation = answer.citations[0]
    # the quote is still verbatim, but the clause text shown beside it was altered (a stale index, a tampered card)
    altered = replace(citation, clause_text=citation.clause_text.replace("智能化", "机械化") + "另加一句。")
    assert is_verbatim(citation.quote, corpus.clause(citation.clause_id).text)
    assert [p.reason for p in problems([altered], corpus, answer.retrieved)] == ["条款原文与索引不一致"]
    shown = assistant._verified(replace(answer, citations=(altered,)), answer.retrieved)
    assert shown.refused and shown.citations == ()


def test_a_filter_that_excludes_the_asked_notice_says_so(assistant) -> None:
    answer = assistant.ask("朔州今年要再建几座智能化煤矿？", filters=Filters(issuer="忻州市"))
    assert answer.refused and not answer.citations
    # not "there is no 朔州 notice" (there is one): the filter is what excludes it
    assert "筛选条件（发文机关：忻州市）把它排除了" in answer.answer
    assert "现有通知中没有朔州" not in answer.answer


def test_what_is_new_this_year_is_answered_from_the_diff(assistant, corpus) -> None:
    answer = assistant.ask("今年省里的通知比去年新增了哪些要求？")
    assert answer.question_type is QuestionType.COMPARISON and not answer.refused
    assert "新增要求" in answer.lead and "调整：130座 → 60座" in answer.lead
    assert all(c.clause_id.startswith("山西省-2026/") for c in answer.citations)
    _assert_verified(answer, corpus)


def test_a_topic_change_stays_a_side_by_side_comparison(assistant) -> None:
    answer = assistant.ask("2024年和2025年省里对智能化煤矿建设的要求有什么变化？")
    assert answer.lead.startswith("各通知的要求如下")


def test_changes_without_last_years_notice_say_so(assistant) -> None:
    answer = assistant.ask("沁水今年比去年多了啥要求？")
    assert answer.refused and "没有沁水县人民政府2026年的通知" in answer.answer and not answer.citations


_MEASURE = [
    "某某县人民政府办公室关于印发某某县安全生产“党政同责、一岗双责”实施办法的通知",
    "某政办发〔2024〕12号",
    "各乡镇人民政府，县直各部门：",
    "《某某县安全生产“党政同责、一岗双责”实施办法》已经县政府同意，现印发给你们，请认真贯彻执行。",
    "某某县人民政府办公室",
    "2024年3月5日",
    "某某县安全生产“党政同责、一岗双责”实施办法",
    "第一章 总则",
    "第一条 为进一步落实安全生产责任，根据《中华人民共和国安全生产法》等法律法规，制定本办法。",
    "第二章 党委政府责任",
    "第二条 乡镇党委和政府主要负责人是本地区安全生产第一责任人，每季度至少召开一次安全生产专题会议。",
    "第三条 乡镇政府应当配备不少于2名专职安全生产监管人员。",
]


@pytest.fixture(scope="module")
def measure_library(tmp_path_factory):
    """A library of one measure issued by a cover notice, numbered by chapter and article (lexical search only)."""
    from assistant.core import Assistant
    from index.settings import Settings

    root = tmp_path_factory.mktemp("measure")
    source = root / "notices"
    source.mkdir()
    (source / "banfa.txt").write_text("\n".join(_MEASURE), encoding="utf-8")
    return Assistant.open(
        Settings(source_dir=source, index_dir=root / "index", embedding_model="none", current_year=2026)
    )


def test_a_one_sentence_article_of_an_issued_measure_answers(measure_library) -> None:
    answer = measure_library.ask("乡镇要配几名专职安全监管人员？")
    # a short article with no sub-clauses is a requirement, not a section title to leave out of the search
    assert not answer.refused and "不少于2名" in answer.answer.split("\n")[0]
    assert answer.citations[0].path == "第二章第三条"


def test_an_article_or_chapter_asked_by_its_number_is_quoted(measure_library, assistant) -> None:
    for question in ("实施办法第二条是怎么规定的？", "第2条说的啥"):
        answer = measure_library.ask(question)
        assert not answer.refused and [c.path for c in answer.citations] == ["第二章第二条"], answer.answer
        assert "每季度至少召开一次" in answer.citations[0].quote
    chapter = measure_library.ask("第二章讲了什么？")
    assert [c.path for c in chapter.citations] == ["第二章", "第二章第二条", "第二章第三条"]
    # an article of a law the question names is not the measure's article
    assert "第二条的原文如下" not in measure_library.ask("安全生产法第二条是怎么规定的？").answer
    # the bundled notices have no articles: such a question goes the usual way
    assert assistant.ask("2013年的通知第三条是什么？").refused
