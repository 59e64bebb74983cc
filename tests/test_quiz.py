"""Quiz generation on the bundled corpus: keys traceable to verbatim quotes, exports that reopen."""

from __future__ import annotations

import collections
import json
import re

import pytest

from assistant.export import BANK_COLUMNS, paper_order, to_json, write_docx, write_xlsx
from assistant.quiz import (
    Difficulty,
    QuizError,
    QuizMaker,
    QuizType,
    check_item,
    judge_statement,
    quiz_checks,
    sentences_of,
    without_leading_note,
)
from index.normalize import normalize


@pytest.fixture(scope="module")
def maker(assistant) -> QuizMaker:
    return QuizMaker(assistant.corpus, assistant.retriever)


def test_one_hundred_questions_are_sound_and_make_a_paper(maker, corpus) -> None:
    items = maker.make(count=100, seed=1)
    assert len(items) == 100
    counts = collections.Counter(i.type for i in items)
    assert set(counts) == set(QuizType) and min(counts.values()) >= 2
    checks = quiz_checks(items, corpus)
    assert checks["sound"] == 1.0 and checks["distractors_wrong"] == 1.0
    assert checks["unique_stems"] == 1.0
    # a paper: no clause twice, no item giving another away, varied multi-choice keys, single-change falsehoods
    assert checks["clauses_unique"] == 1.0 and checks["no_item_reveals_another"] == 1.0
    assert checks["multi_key_sizes"] >= 2
    assert checks["false_single_change"] == 1.0
    assert checks["distractors_same_category"] >= 0.95
    assert checks["written_points_cover"] >= 0.9
    for item in items:
        clause = normalize(corpus.clause(item.clause_id).text)
        assert normalize(item.quote) in clause
        assert set(item.tags) == {"topic", "notice_id", "year", "knowledge_point", "difficulty"}
        if item.type is QuizType.SINGLE:
            assert normalize(item.options[item.answer]) in normalize(item.quote)
            assert all(normalize(v) not in clause for k, v in item.options.items() if k != item.answer)
        if item.type is QuizType.BLANK:
            assert "____" in item.stem and normalize(item.answer) in normalize(item.quote)
        if item.type is QuizType.MULTI:
            assert 2 <= len(item.answer) <= 5 and len(item.answer) < len(item.options)
        if item.type in (QuizType.SHORT, QuizType.CASE):
            assert len(item.points) >= 2 and all(normalize(p.quote) in clause for p in item.points)
            assert item.marks == sum(p.marks for p in item.points) == 10


def test_json_shape(maker) -> None:
    data = json.loads(to_json(maker.make(count=30, seed=4)))
    assert {row["type"] for row in data} >= {"single", "multi", "judge", "blank", "short"}
    for row in data:
        written = row["type"] in ("short", "case")
        expected = {"type", "stem", "options", "answer", "explanation", "marks", "tags", "source"}
        assert set(row) == (expected | {"points"} if written else expected)
        assert set(row["source"]) == {"clause_id", "notice_id", "issuer", "year", "doc_number", "path", "quote"}
        assert set(row["tags"]) == {"topic", "notice_id", "year", "knowledge_point", "difficulty"}
        if row["type"] in ("blank", "short", "case"):
            assert row["options"] is None
        if row["type"] == "judge":
            assert isinstance(row["answer"], bool)
        if row["type"] == "multi":
            assert len(row["answer"]) >= 2 and set(row["answer"]) <= set(row["options"])
        if written:
            assert all(set(point) == {"text", "quote", "marks"} for point in row["points"])
            assert all(point["quote"] in row["source"]["quote"] for point in row["points"])


def _figure_gaps(maker, corpus, closeness: float) -> list[float]:
    """Per figure fact of the 2024–2026 notices: how far its three wrong values lie from it, on average."""
    import random

    from assistant.facts import FactKind, number_of

    gaps = []
    for clause in (c for c in corpus.clauses if corpus.notice(c.notice_id).year >= 2024):
        for fact in maker.finder.facts(clause):
            if fact.kind is FactKind.FIGURE and number_of(fact.text):
                value = number_of(fact.text)
                wrong = maker.finder.wrong_versions(fact, clause.text, closeness, random.Random(1))[:3]
                gaps.append(sum(abs(number_of(w) - value) / value for w in wrong) / max(1, len(wrong)))
    assert len(gaps) >= 30
    return gaps


def test_difficulty_changes_how_close_the_wrong_options_are(maker, corpus) -> None:
    # hard puts a figure's wrong options close to the key (60座 against 55座), easy clearly apart (30座)
    pairs = list(zip(_figure_gaps(maker, corpus, 1.0), _figure_gaps(maker, corpus, 0.0), strict=True))
    # small counts (3座) have only a few plausible neighbours, so some facts get the same three either way
    assert sum(hard < easy for hard, easy in pairs) >= 0.6 * len(pairs)
    assert all(hard <= easy for hard, easy in pairs)
    easy = maker.make(count=40, seed=2, types=[QuizType.SINGLE], difficulty=Difficulty.EASY)
    medium = maker.make(count=40, seed=2, types=[QuizType.SINGLE])
    hard = maker.make(count=40, seed=2, types=[QuizType.SINGLE], difficulty=Difficulty.HARD)
    assert len({tuple(i.stem for i in paper) for paper in (easy, medium, hard)}) == 3
    # and asks other facts: easy the figures and deadlines, hard the terms, roles and levels
    figures = [sum(bool(re.search(r"\d", i.options[i.answer])) for i in paper) for paper in (easy, hard)]
    assert figures[0] > figures[1]
    assert {i.tags["difficulty"] for i in hard} == {"hard"}


def test_false_statements_change_one_fact_and_stay_official(maker, corpus) -> None:
    from assistant.quiz import judge_statement

    judged = maker.make(count=40, seed=6, types=[QuizType.JUDGE])
    falses = [i for i in judged if i.answer is False]
    assert len(falses) >= 8 and len(falses) <= 32
    for item in falses:
        statement, source = judge_statement(item), item.source_span
        assert normalize(statement) not in normalize(corpus.clause(item.clause_id).text)
        assert len(statement) - 6 <= len(source) <= len(statement) + 6
        assert source in tidy_text(item.quote)
    assert all(len(judge_statement(i)) <= 72 for i in judged)


def tidy_text(text: str) -> str:
    from assistant.facts import tidy

    return tidy(text)


def test_recent_weight_favours_the_newest_and_local_notices(maker, corpus) -> None:
    weighted = quiz_checks(maker.make(count=60, seed=9), corpus)["newest_share"]
    even = quiz_checks(maker.make(count=60, seed=9, recent_weight=0), corpus)["newest_share"]
    assert weighted >= 0.6 and weighted > even + 0.15


def test_stems_show_pdf_text_without_stray_spaces() -> None:
    from assistant.facts import tidy

    assert tidy("确保 2012 年底前\n完成 90 % 的任务") == "确保2012年底前完成90%的任务"


def test_same_seed_same_quiz_other_seed_other_quiz(maker) -> None:
    first = [i.stem for i in maker.make(count=15, seed=7)]
    assert first == [i.stem for i in maker.make(count=15, seed=7)]
    assert first != [i.stem for i in maker.make(count=15, seed=8)]


def test_the_same_seed_gives_the_same_paper_in_another_process(assistant, bundled_settings) -> None:
    """A trainer prints the paper today and the key tomorrow: string hashing differs between processes, so no set's
    order may reach the paper."""
    import os
    import subprocess
    import sys

    from index.settings import PROJECT_ROOT

    papers = []
    for hash_seed in ("1", "2"):
        env = {
            **os.environ,
            "PYTHONHASHSEED": hash_seed,
            "ANQUAN_INDEX_DIR": str(bundled_settings.index_dir),
            "ANQUAN_CURRENT_YEAR": "2026",
        }
        done = subprocess.run(
            [sys.executable, "-m", "assistant", "quiz", "--count", "40", "--seed", "3", "--json"],
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
            env=env,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        papers.append(done.stdout)
    assert papers[0] == papers[1]


def test_notice_and_topic_selection(maker) -> None:
    items = maker.make(count=10, notices=["朔州市-2026"], types=[QuizType.BLANK, QuizType.JUDGE], seed=2)
    assert {i.notice.notice_id for i in items} == {"朔州市-2026"}
    assert {i.type for i in items} <= {QuizType.BLANK, QuizType.JUDGE}
    gas = maker.make(count=6, topic="燃气", seed=2, types=[QuizType.SINGLE, QuizType.BLANK, QuizType.JUDGE])
    assert all("燃气" in i.quote or "气" in i.quote for i in gas)
    # a topic's short answers come from clauses about it, not from a clause naming it once among twenty industries
    for seed in (2, 7):
        short = maker.make(count=4, topic="燃气", seed=seed, types=[QuizType.SHORT])
        assert short and all("燃气" in i.stem or i.quote.count("燃气") * 2 >= len(i.points) for i in short)
    # a blank never hides what the statement's own label names (燃气：持续推进____管网更新改造 → 城镇燃气)
    for seed in range(1, 9):
        for item in maker.make(count=6, topic="燃气", seed=seed, types=[QuizType.BLANK, QuizType.SINGLE]):
            label = re.match(r"根据.+?(?:通知|的要求)：([\u4e00-\u9fff]{2,8})[：:]", item.stem)
            hidden = str(item.answer if item.type is QuizType.BLANK else item.options[item.answer])
            assert label is None or label.group(1) not in hidden, item.stem
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
    assert list(rows[0]) == BANK_COLUMNS
    # one numbering everywhere: the bank's row n is the paper's item n
    assert [r[2] for r in rows[1:]] == [i.stem for i in paper_order(items)]
    assert all(r[-1] and r[10] and r[11] for r in rows[1:])  # 原文, 分值, 难度 filled
    numbered = [line for line in paper_text.splitlines() if line[:1].isdigit()]
    assert [line.split(". ", 1)[1] for line in numbered] == [f"{i.stem}（{i.marks}分）" for i in paper_order(items)]
    section = docx.Document(paper).sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


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


def test_a_figure_is_tested_against_the_same_requirement_in_other_years(maker, corpus) -> None:
    import random

    from assistant.facts import FactKind

    clause = corpus.clause("山西省-2026/三.十一.1")
    fact = next(f for f in maker.finder.facts(clause) if f.kind is FactKind.FIGURE and "智能化煤矿" in f.span)
    assert fact.text.strip() == "60座"
    # 2024: 150座, 2025: 130座 智能化煤矿 — what a trainer would offer as the wrong options
    wrong = maker.finder.wrong_versions(fact, clause.text, 1.0, random.Random(1))[:3]
    assert {"130座", "150座"} <= set(wrong)


def test_a_counted_slogan_is_tested_against_other_counts_and_slogans_of_its_shape(maker, corpus) -> None:
    import random

    from assistant.facts import FactKind

    clause = next(c for c in corpus.clauses_of("大同市-2025") if "“五到位”" in c.text)
    fact = next(f for f in maker.finder.facts(clause) if f.kind is FactKind.SLOGAN and f.text == "五到位")
    for closeness in (0.0, 0.5, 1.0):
        wrong = maker.finder.wrong_versions(fact, clause.text, closeness, random.Random(2))[:3]
        # 四到位 / 六到位 as an exam setter writes them; never a plan period (十二五), which is all numerals
        assert {"四到位", "六到位"} <= set(wrong), wrong
        assert not any(all(char in "一二三四五六七八九十两" for char in option) for option in wrong)


def test_a_term_naming_its_kind_is_tested_against_others_of_that_kind(maker, corpus) -> None:
    import random

    from assistant.facts import FactKind

    # 水旱灾害 among 灾种: 水利, 林业 share lists with it elsewhere but are sectors, and give the key away
    clause = corpus.clause("大同市-2025/三.九.22")
    fact = next(f for f in maker.finder.facts(clause) if f.kind is FactKind.TERM and f.text == "水旱灾害")
    for closeness in (0.0, 1.0):
        wrong = maker.finder.wrong_versions(fact, clause.text, closeness, random.Random(3))[:3]
        assert len(wrong) == 3 and sum(option.endswith("灾害") for option in wrong) >= 2, wrong
        assert not {"水利", "林业"} & set(wrong), wrong


def test_a_counted_term_changed_to_two_says_liang(maker, corpus) -> None:
    import random

    from assistant.facts import FactKind

    # “三项岗位人员” → 两项岗位人员 as anyone writes it, never 二项岗位人员
    clause = next(c for c in corpus.clauses_of("大同市-2025") if "“三项岗位人员”" in c.text)
    fact = next(f for f in maker.finder.facts(clause) if f.kind is FactKind.SLOGAN and f.text == "三项岗位人员")
    wrong = maker.finder.wrong_versions(fact, clause.text, 1.0, random.Random(2))
    assert "两项岗位人员" in wrong and not any(option.startswith("二项") for option in wrong), wrong


def test_a_slogan_naming_an_event_is_tested_against_other_events(maker, corpus) -> None:
    import random

    from assistant.facts import FactKind

    # 开展“安康杯”竞赛: the wrong options are other campaigns and activities (“反三违”行动, “警示教育月”活动),
    # not what a campaign targets (“走过场”专项整治, “百吨王”)
    clause = next(c for c in corpus.clauses_of("朔州市-2026") if "“安康杯”竞赛" in c.text)
    fact = next(f for f in maker.finder.facts(clause) if f.kind is FactKind.SLOGAN and f.text == "安康杯")
    wrong = maker.finder.wrong_versions(fact, clause.text, 0.5, random.Random(1))[:3]
    assert all("event" in maker.finder.slogan_frames[option] for option in wrong), wrong
    assert not {"走过场", "百吨王"} & set(wrong)


def test_a_changed_figure_is_asked_with_last_years_figure_as_the_trap(maker, corpus) -> None:
    items = maker.make(count=40, types=[QuizType.SINGLE], notices=["山西省-2026"], seed=3)
    changed = [i for i in items if i.clause_id == "山西省-2026/三.十一.1"]
    assert changed, "the 130座 → 60座 change should be asked"
    item = changed[0]
    assert "与2025年通知相比有调整" in item.stem and item.options[item.answer] == "60座"
    assert "130座" in item.options.values() and "130座" in item.explanation
    assert check_item(item, corpus) == []


def test_options_are_names_and_statements_are_whole(maker, assistant) -> None:
    from assistant.facts import plain_name, split_leading_verb
    from assistant.quiz import balanced

    tagged = assistant.retriever.tokenizer.tagged
    # the verbs (and a preposition) opening a list's first item go to the stem; a pair of actions stays whole
    assert split_leading_verb(["汇聚安全生产", "自然灾害"], tagged) == ("汇聚", ["安全生产", "自然灾害"])
    assert split_leading_verb(["要修订防汛抗旱", "森林草原防灭火"], tagged)[0] == "要修订"
    assert split_leading_verb(["继续在煤矿", "非煤矿山"], tagged) == ("继续在", ["煤矿", "非煤矿山"])
    assert split_leading_verb(["构建完善风险防控", "会商研判"], tagged)[1][0] == "风险防控"
    assert split_leading_verb(["抢险救援", "事故预防"], tagged) == ("", ["抢险救援", "事故预防"])
    assert not balanced("经开区管委会，省级负有安全生产监管职责的部门指导督促落实）") and balanced("实施“一栋一策”治理")
    items = maker.make(count=60, seed=2311, types=(QuizType.MULTI, QuizType.JUDGE, QuizType.BLANK, QuizType.SINGLE))
    for item in items:
        assert balanced(item.stem), item.stem
        if item.type is QuizType.MULTI and "省略处" in item.stem:
            for option in item.options.values():
                assert plain_name(option) and split_leading_verb([option], tagged)[0] == "", item.options


def test_a_two_part_title_on_its_own_line_makes_a_short_answer_item(maker) -> None:
    # 三、加强企业安全生产管理，严格落实主体责任 ⏎ 企业是…: a title with a comma, not a first sentence cut short
    items = maker.make(count=6, notices=["山西省-2010"], types=[QuizType.SHORT])
    stems = [item.stem for item in items]
    assert any("“加强企业安全生产管理，严格落实主体责任”" in stem for stem in stems), stems
    assert all(len(item.points) >= 2 for item in items)


def test_a_changed_figure_stays_plausible(maker) -> None:
    from assistant.facts import FactKind

    # a range's upper end is not a figure of its own: changing it alone gives 每年至少解决1—1项
    clause = maker.corpus.clause("沁水县-2025/四.十一")
    assert "1—2项" in clause.text
    figures = [fact.text for fact in maker.finder.facts(clause) if fact.kind is FactKind.FIGURE]
    assert "2项" not in figures
    # a duration changes to a customary one: 24小时 → 12小时 or 48小时, never 19小时 or 29小时
    changed = maker.finder._figures("24小时", "小时", closeness=0.7)
    assert {"12小时", "48小时"} <= set(changed) and not {"19小时", "29小时", "34小时"} & set(changed)


def test_no_wrong_option_is_alike_to_what_the_stem_lists(maker) -> None:
    # 抓好森林草原火灾、（　　）、地质灾害、地震…: 地震灾害 or 森林防火 would be arguable answers
    from assistant.quiz import _STEM_ITEMS, _alike

    items = [
        item
        for difficulty in Difficulty
        for item in maker.make(count=60, seed=11, types=[QuizType.SINGLE], difficulty=difficulty)
    ]
    terms = [item for item in items if item.tags["knowledge_point"].endswith(f"（术语：{item.options[item.answer]}）")]
    assert len(terms) >= 8
    for item in terms:
        listed = [part for part in _STEM_ITEMS.split(item.stem.replace("（　　）", "")) if len(part) >= 2]
        key = item.options[item.answer]
        for letter, option in item.options.items():
            if letter != item.answer:
                assert not _alike(option, key), item.stem
                assert not any(_alike(option, part) for part in listed), (item.stem, option)


def test_the_newest_notices_give_case_items_from_duties_written_with_yao(maker) -> None:
    # 企业要建立健全事故隐患排查治理制度: the newer notices write duties with 要, not 必须; a unit that did not is a case
    newest = ["朔州市-2026", "山西省-2026", "大同市-2025", "沁水县-2025", "忻州市-2024"]
    items = maker.make(count=10, seed=5, types=[QuizType.CASE], notices=newest)
    assert items and all(item.type is QuizType.CASE for item in items)
    assert any("企业未建立健全事故隐患排查治理制度" in item.stem for item in items)
    assert all(len(item.points) >= 2 for item in items)


def test_wrong_options_of_a_list_never_come_from_another_kind(maker) -> None:
    # 森林草原火灾、水旱灾害、地质灾害、地震、气象灾害 are 灾害: too few other 灾害 gives no item, never 林业 or 水利
    # among them; 森林草原火灾、地质灾害 end unlike but share 灾, the kind named at their ends
    checks = ["班组日查", "车间周查", "厂矿月查", "集团公司季查"]
    # their one shared character 查 is a weak kind: an option must end in one of their own last words (月查, not 巡查)
    assert maker._of_the_same_kind(checks, ["煤矿", "非煤矿山", "矿井巡查", "部门月查"], "", 6) == ["部门月查"]
    assert maker._of_the_same_kind(["路改", "水改", "电改", "乡村房改"], ["假整改", "气改"], "", 4) == ["气改"]
    assert maker._of_the_same_kind(["现场会", "及时召开推进会"], ["充分发挥工会", "各级工会"], "", 7) == []
    # 谁检查 is half of “谁检查、谁签字、谁负责”, not a kind of 查
    assert "谁检查" not in maker._list_items and "班组日查" in maker._list_items
    hazards = ["森林草原火灾", "水旱灾害", "地质灾害", "地震", "气象灾害"]
    kind = maker._of_the_same_kind(hazards, ["林业", "水利", "洪涝灾害"], "", 6)
    assert "林业" not in kind and "水利" not in kind and "洪涝灾害" in kind
    pair = maker._of_the_same_kind(["森林草原火灾", "地质灾害"], ["林业", "水利", "洪涝灾害", "低温冰冻灾害"], "", 6)
    assert pair and all("灾" in option[-2:] for option in pair), pair
    # 消防、城镇燃气 are sectors (the corpus lists them before 等重点行业领域): 照明 and 通风, listed with 消防 among
    # a mine's systems, are no wrong options for them; other sectors are
    sectors = maker._of_the_same_kind(["消防", "城镇燃气"], ["照明", "通风", "民航"], "", 4)
    assert "照明" not in sectors and "通风" not in sectors and "民航" in sectors and len(sectors) >= 4, sectors


def test_a_slogan_in_two_halves_is_not_a_list(maker) -> None:
    # “一厂出事故、万厂受教育” is one slogan; “班组日查、车间周查…” in quotes still lists kinds of 查
    halves = {"一厂出事故", "万厂受教育", "一方发展", "保一方平安"}
    for seed in (4, 5):  # seed 4 asked for the missing half of “促一方发展、保一方平安”
        for item in maker.make(count=60, seed=seed):
            assert not halves & set((item.options or {}).values()), item.options


def test_case_items_are_breaches_a_township_finds_with_measures_on_the_same_matter(maker, corpus) -> None:
    items = maker.make(count=40, seed=7, types=[QuizType.CASE])
    # every sound case counts: before, a case's quote joined its points out of order and failed its own check
    assert len(items) >= 20 and all(check_item(item, corpus) == [] for item in items)
    assert sum(item.notice.year >= 2024 for item in items) >= 4
    for item in items:
        situation = item.stem.split("“", 1)[1].split("”", 1)[0]
        # who is inspected: not a department, a government or the press; a duty to act, not a frame of mind
        assert not re.search(r"部门|政府|党委|新闻|理念|意识|重要性", situation), situation
        assert "适未" not in situation  # the 应当 of 适应当地 is no obligation
        assert "三管三未" not in situation  # nor the 必须 of “三管三必须”
        assert not situation.startswith(("和", "及")), situation  # 指导和督促各类学校…: the subject is 各类学校
        measures = " ".join(point.quote for point in item.points[1:])
        assert "中小学" not in measures, item.answer  # not whatever the clause says next


def test_statements_say_something_and_blanks_do_not_cut_a_word(maker) -> None:
    from assistant.facts import tidy

    assert not maker._whole_words("建强特勤力量、灭火救援专业队以及政府专职消防队伍", "专职消防队")  # 政府____伍
    assert maker._whole_words("严防扩大为重大森林草原火灾", "森林草原")
    for seed in (1, 2, 3):
        for item in maker.make(count=60, seed=seed, types=[QuizType.JUDGE, QuizType.BLANK]):
            if item.type is QuizType.JUDGE:
                # not only the case a requirement applies to (对…没有生产经营主体的尾矿库。)
                statement = tidy(judge_statement(item))
                assert not statement.endswith("的") and "没有生产经营主体的尾矿库" not in statement, item.stem
                assert not statement.startswith(("必须", "要", "应当")), item.stem  # no subject
            else:
                assert "____伍" not in item.stem, item.stem


def test_a_statement_cut_from_a_titled_clause_says_whose_requirement_it_is(maker, corpus) -> None:
    # 每月至少召开一次会议… has no subject: the clause's title (压实部门监管责任) says what it is about
    items = maker.make(count=40, seed=11, types=[QuizType.JUDGE, QuizType.BLANK, QuizType.SINGLE])
    framed = [(item, re.search(r"通知关于“(.+?)”的要求：", item.stem)) for item in items]
    framed = [(item, match.group(1)) for item, match in framed if match]
    assert len(framed) >= len(items) / 3
    for item, title in framed:
        assert title == corpus.clause(item.clause_id).heading.rstrip("。；")
        shown = [str(item.answer) if item.type is not QuizType.SINGLE else "", *(item.options or {}).values()]
        assert not any(text and (text in title or title in text) for text in shown), item.stem
    # the frame is no part of the statement a judge item asks about
    for item, title in framed:
        if item.type is QuizType.JUDGE:
            assert title not in judge_statement(item)
            assert judge_statement(item) == item.source_span or item.answer is False


def test_a_topic_paper_tests_the_topic_and_never_asks_for_its_name(maker) -> None:
    # a 燃气 paper asked 对危险化学品、燃气、道路运输、____等 (电动自行车) and 强化（　　）管网 (城镇燃气)
    for seed in range(1, 6):
        items = maker.make(count=12, topic="燃气", seed=seed, types=[QuizType.SINGLE, QuizType.BLANK, QuizType.MULTI])
        for item in items:
            keys = [str(item.answer)] if item.type is QuizType.BLANK else [item.options[k] for k in str(item.answer)]
            assert not any("燃气" in key and len(key) <= 4 for key in keys if item.type is not QuizType.MULTI), (
                item.stem
            )
            listed_only = re.search(
                r"、[^、，。；]*燃气[^、，。；]*、|、[^、，。；]*燃气|燃气[^、，。；]*、", item.quote
            )
            if (
                listed_only
                and item.type is not QuizType.MULTI
                and "燃气" not in normalize(item.quote).replace(listed_only.group(), "")
            ):
                assert any("燃气" in key for key in keys), item.stem
            if item.type is QuizType.MULTI and "省略处" in item.stem:
                assert any("燃气" in key for key in keys) or "燃气" in item.stem, item.stem


def test_a_paper_asks_for_the_same_fact_once(maker, corpus) -> None:
    # a 40-item hard paper asked 重大事故隐患 in three blanks
    items = maker.make(count=40, seed=2026, difficulty=Difficulty.HARD)
    asked = [
        normalize(item.options[item.answer] if item.type is QuizType.SINGLE else str(item.answer))
        for item in items
        if item.type in (QuizType.SINGLE, QuizType.BLANK)
    ]
    assert len(asked) >= 8 and len(asked) == len(set(asked))
    # a title above the statement never shares a word with the key alone (“燃气领域专项整治” over 强化（　　）企业运行安全)
    for item in items:
        title = re.search(r"通知关于“(.+?)”的要求：", item.stem)
        if title and item.type is QuizType.SINGLE:
            key, wrong = item.options[item.answer], [v for k, v in item.options.items() if k != item.answer]
            pairs = {key[i : i + 2] for i in range(len(key) - 1)} & {
                title.group(1)[i : i + 2] for i in range(len(title.group(1)) - 1)
            }
            assert all(any(pair in other for other in wrong) for pair in pairs), item.stem


def test_a_case_happens_at_an_inspection_of_its_own_topic(maker) -> None:
    # every case was found "在安全检查中"; a 尾矿库 breach was tagged 煤矿 (非煤矿山 holds 煤矿)
    from assistant.topics import topic_of

    assert topic_of("三等以上尾矿库及配套选矿厂，非煤矿山") == "非煤矿山"
    cases = maker.make(count=12, seed=5, types=[QuizType.CASE])
    occasions = {re.search(r"某乡镇在(.+?)中发现", item.stem).group(1) for item in cases}
    assert len(occasions) >= 4
    for item in cases:
        if "尾矿库" in item.stem:
            assert "非煤矿山安全检查" in item.stem


def test_a_case_names_who_breaks_a_prohibition_and_the_measures_of_its_own_sentence(maker, corpus) -> None:
    # 非煤矿山和尾矿库要…，完善地下矿山机械通风系统，合理控制下井人数，严禁超能力、超定员组织生产: the clause has no
    # other sentence on the matter, so the case was dropped; its own sentence names who and what must be done
    clause = corpus.clause("山西省-2010/七")
    sentences = [without_leading_note(s) for s in sentences_of(clause.text, clause.heading)]
    cases = [
        case
        for index in range(len(sentences))
        if (case := maker._breach_case(clause, corpus.notice(clause.notice_id), "", dict, (), sentences, index))
    ]
    mine = next(case for case in cases if "超定员" in case["key"][0])
    assert mine["key"][0] == "某非煤矿山超能力、超定员组织生产"
    measures = [point.quote for point in mine["points"][1:]]
    assert "合理控制下井人数" in measures and all(quote in clause.text for quote in measures)


def test_no_case_from_a_target_counted_over_units_or_from_a_governments_leaders(maker) -> None:
    # 推动2家工业气体充装企业完成三级标准化创建: the county's tally, not a unit a township finds in breach;
    # 其他负责人要抓好分管行业领域的安全生产工作 follows 各级人民政府…主要负责人: a government's leaders
    stems = [item.stem for seed in (1, 2, 3) for item in maker.make(count=30, seed=seed, types=[QuizType.CASE])]
    assert len(set(stems)) >= 35  # each paper draws among a clause's breaches: papers of other seeds differ
    for stem in stems:
        assert not re.search(r"“\d+家", stem), stem
        assert "其他负责人" not in stem and "分管安全生产的负责人" not in stem, stem


def test_a_papers_statements_are_true_and_false_by_halves(maker, corpus) -> None:
    # a coin per statement gave a 20-item paper 16 true; each statement is built both ways and the paper takes the
    # one that evens the count
    for seed in (1, 2, 3):
        for difficulty in (Difficulty.EASY, Difficulty.HARD):
            items = maker.make(count=20, seed=seed, types=[QuizType.JUDGE], difficulty=difficulty)
            true = sum(item.answer is True for item in items)
            assert len(items) == 20 and abs(2 * true - len(items)) <= 2, (seed, difficulty, true)
            assert all(check_item(item, corpus) == [] for item in items)


def test_a_paper_offers_no_option_set_twice_and_a_sector_answer_keeps_to_its_sector(maker, corpus) -> None:
    # two notices' sanctions (约谈问责、通报批评、公开曝光、约谈或者诫勉) offered as the options of two items of one
    # paper read as one question asked twice
    for seed in (1, 1124):
        items = maker.make(count=60, seed=seed)
        offered = [{normalize(v) for v in item.options.values()} for item in items if item.options]
        for n, mine in enumerate(offered):
            for theirs in offered[n + 1 :]:
                shared = len(mine & theirs)
                assert shared < 3 or shared < min(len(mine), len(theirs)) - 1, (mine, theirs)
    # 其他重点行业领域都要采取针对性措施深化整治 closes the 2020 建筑施工 clause: no point of a 建筑施工 short answer
    clause = corpus.clause("山西省-2020/二.九")
    item = maker._short(clause, corpus.notice(clause.notice_id), "", lambda **fields: fields, ())
    assert item is not None and len(item["points"]) >= 2
    assert not any("其他重点行业领域" in point.quote for point in item["points"])


def test_a_clause_headed_by_its_sector_is_asked_in_that_sectors_paper(maker) -> None:
    # （十六）燃气。 heads a clause whose sentences say 天然气, 液化石油气, 管网 without 燃气: all of it is about 燃气,
    # and the sector's short name makes a short-answer stem of its own
    items = maker.make(count=15, seed=77, topic="燃气")
    from_the_clause = [item for item in items if item.clause_id == "山西省-2023/三.十六"]
    assert from_the_clause, [item.clause_id for item in items]
    short = maker.make(count=5, types=[QuizType.SHORT], sections=["山西省-2023/三.十六"])
    assert short[0].stem == "简述山西省2023年通知在“燃气”方面提出的主要要求。"
    assert len(short[0].points) >= 3


def test_which_units_items_are_at_most_a_third_of_the_multiple_choice(maker) -> None:
    # the 2024 provincial notice notes the responsible units under almost every clause: a paper of "which units"
    # items reads as one template repeated, so the clause's own lists are asked instead
    asks_units = "下列哪些单位在责任单位之列？"
    items = maker.make(count=40, types=[QuizType.MULTI], seed=4)
    units = [item for item in items if item.stem.endswith(asks_units)]
    assert len(items) == 40 and 1 <= len(units) <= 40 // 3 + 1, [item.stem for item in items]
    # where the scope has nothing else to ask, the held-back units items are asked rather than a shorter paper
    one_notice = maker.make(count=40, types=[QuizType.MULTI], notices=["山西省-2024"], seed=4)
    assert len(one_notice) >= 12 and sum(item.stem.endswith(asks_units) for item in one_notice) > len(one_notice) // 2


def test_a_case_measure_is_not_a_governments_own_duty_where_the_unit_has_its_own(maker) -> None:
    # 企业要建立完善安全风险防控体系，加强安全风险评估…: the measures are the company's, not 各级政府及有关部门要建立…
    # 会商研判机制, the sentence before it in the clause
    items = maker.make(count=5, types=[QuizType.CASE], sections=["山西省-2023/二.七"], seed=1)
    cases = [item for item in items if "安全风险防控体系" in item.stem]
    assert cases and all("各级政府" not in point.text for point in cases[0].points), [p.text for p in cases[0].points]
    assert len(cases[0].points) >= 2


def test_a_list_of_set_phrases_of_one_length_takes_wrong_options_of_that_length(maker) -> None:
    # 确保活动不停、力度不减: 消防水源不足 as a wrong option stands out by its length and its kind
    items = maker.make(count=40, types=[QuizType.MULTI], notices=["山西省-2010", "山西省-2022"], seed=9)
    checked = 0
    for item in items:
        if "省略处" not in item.stem:
            continue
        lengths = {len(option) for key, option in item.options.items() if key in item.answer}
        if len(lengths) == 1 and max(lengths) <= 4:
            checked += 1
            assert {len(option) for option in item.options.values()} == lengths, item.options
    assert checked >= 1


def test_no_case_of_the_inspectors_themselves(maker) -> None:
    # 执法人员必须配备使用执法记录仪和执法终端 binds the enforcement staff, not a unit a township inspects
    items = maker.make(count=30, types=[QuizType.CASE], notices=["山西省-2018"], seed=2026)
    assert items and not any("执法人员未" in item.stem for item in items), [item.stem for item in items]
