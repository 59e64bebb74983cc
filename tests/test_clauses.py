"""Clause segmentation on real clauses of the bundled corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.clauses import MarkerSequence, chinese_to_int, match_marker
from index.normalize import normalize
from index.passages import split_sentences
from index.records import AnomalyKind
from index.settings import PROJECT_ROOT
from index.store import Corpus


def test_every_clause_is_verbatim_in_its_source_file(corpus: Corpus) -> None:
    sources = {
        path.name: normalize(path.read_text(encoding="utf-8"))
        for path in (PROJECT_ROOT / "data" / "notices").glob("*.txt")
    }
    missing = [
        c.clause_id for c in corpus.clauses if normalize(c.text) not in sources[corpus.notice(c.notice_id).source]
    ]
    assert missing == []
    assert len(corpus.clauses) > 500


def test_offsets_locate_each_clause_in_its_notice(corpus: Corpus) -> None:
    for clause in corpus.clauses:
        notice = corpus.notice(clause.notice_id)
        assert notice.normalized_text[clause.start : clause.end] == normalize(clause.text), clause.clause_id


def test_clause_ids_are_unique_and_parents_exist(corpus: Corpus) -> None:
    ids = [c.clause_id for c in corpus.clauses]
    assert len(ids) == len(set(ids))
    for clause in corpus.clauses:
        if clause.parent_id is not None:
            parent = corpus.clause(clause.parent_id)
            assert parent.path == clause.path[:-1]
            assert parent.headings == clause.headings[:-1]


def test_shuozhou_coal_mines_sit_under_section_three(corpus: Corpus) -> None:
    clause = corpus.clause("朔州市-2026/三.十一.1")
    assert clause.path == ("三、", "（十一）", "1.")
    assert clause.headings == ("聚焦治本攻坚，深化重点领域专项整治", "狠抓重点行业领域“靶向治理”", "煤矿")
    assert clause.path_label == "三、（十一）1."
    assert clause.parent_id == "朔州市-2026/三.十一"
    assert clause.text.startswith("1. 煤矿。持续抓好矿山安全“八条硬措施”硬落实")
    assert clause.text.endswith("年底前再建成6座智能化煤矿。")


def test_numbering_that_runs_on_across_sections(corpus: Corpus) -> None:
    # 大同 numbers its items 1.–61. straight through all seven sections
    items = [c for c in corpus.clauses_of("大同市-2025") if c.depth == 3]
    assert [int(c.path[-1].rstrip(".")) for c in items] == list(range(1, 62))
    assert corpus.clause("大同市-2025/四.十一.35").path == ("四、", "（十一）", "35.")
    # the 2018 provincial notice runs （一）–（二十） across its five sections
    assert corpus.clause("山西省-2018/五.二十").headings[-1] == "严肃责任追究"
    assert corpus.clause("山西省-2018/五.二十").parent_id == "山西省-2018/五"


def test_half_width_markers_are_clauses(corpus: Corpus) -> None:
    # 沁水 writes "(一) 强化学习贯彻。", the 2019 provincial notice "(一)强化责任落实。"
    assert corpus.clause("沁水县-2025/一.一").path == ("一、", "（一）")
    assert corpus.clause("沁水县-2025/一.一").headings[-1] == "强化学习贯彻"
    assert corpus.clause("山西省-2019/一.一").text.startswith("(一)强化责任落实。")


def test_broken_lines_are_joined_without_invented_characters(corpus: Corpus) -> None:
    # the 2009 source breaks "安全" across lines, with a blank line between
    clause = corpus.clause("山西省-2009/一")
    _heading, _, body = clause.text.partition("\n")
    assert "\n" not in body
    assert "牢固树立“发展经济是政绩、抓好安全生产也是政绩”的理念" in body


@pytest.mark.parametrize(
    ("clause_id", "heading"),
    [("山西省-2009/一", "一、牢固确立安全发展的理念"), ("山西省-2009/八", "八、加强安全生产应急管理")],
)
def test_a_heading_on_its_own_line_is_not_glued_to_the_sentence_below(corpus: Corpus, clause_id, heading) -> None:
    clause = corpus.clause(clause_id)
    assert clause.text.startswith(heading + "\n")
    assert split_sentences(clause.text)[0].strip() == heading
    assert clause.headings[-1] == heading.split("、", 1)[1]


@pytest.mark.parametrize(
    ("clause_id", "across_the_break"),
    [("大同市-2025/二.四.7", "承诺制度, 严格落实"), ("沁水县-2025/一.三", "活动，围绕复工复产")],
)
def test_a_numbered_line_broken_inside_a_word_is_not_a_heading(corpus: Corpus, clause_id, across_the_break) -> None:
    # the PDF breaks these items' first lines short, as a heading would end, but inside 严格 / 围绕
    clause = corpus.clause(clause_id)
    assert "\n" not in clause.text
    assert across_the_break in clause.text
    wanted = across_the_break.replace(" ", "")
    assert any(wanted in sentence.replace(" ", "") for sentence in split_sentences(clause.text))


def test_urls_inside_a_clause_are_not_clause_text(corpus: Corpus) -> None:
    clause = corpus.clause("山西省-2013/三")
    assert "http" not in clause.text
    assert "横向把所有行" in clause.text


def test_preamble_is_a_clause_of_its_own(corpus: Corpus) -> None:
    preamble = corpus.clause("朔州市-2026/导语")
    assert preamble.path == ()
    assert preamble.path_label == "导语"
    assert preamble.text.startswith("2026年是“十五五”开局之年")


def test_inline_units_are_read(corpus: Corpus) -> None:
    datong = corpus.clause("大同市-2025/一.二.3")
    assert [u.units for u in datong.units] == ["各县(区)人民政府, 经开区管委会, 市安委会有关成员单位"]
    qinshui = corpus.clause("沁水县-2025/六.十七")
    assert [u.units for u in qinshui.units] == ["县自然资源局、县应急管理局、县林业局、县消防救援大队等部门分工负责"]
    province = corpus.clause("山西省-2024/一.一")
    assert [u.units for u in province.units] == ["省安委办和各市、县人民政府负责"]


def test_xinzhou_table_rows_are_linked_to_their_clauses(corpus: Corpus) -> None:
    rows = [(c, u) for c in corpus.clauses_of("忻州市-2024") for u in c.units if u.origin == "table"]
    assert len(rows) == 45  # every row of 重点任务分工
    clause = corpus.clause("忻州市-2024/一.二.2")
    assert [(u.units, u.task[:7]) for u in clause.units] == [
        ("各县（市、区）政府、五台山风景名胜区管委会、各安全生产专业委员会", "要充分发挥市县"),
        (
            "各县（市、区）政府、忻州经济开发区管委会、五台山风景名胜区管委会、市级负有安全监管职责的部门",
            "动态完善监管部",
        ),
        ("各县（市、区）政府、忻州经济开发区管委会、五台山风景名胜区管委会，市行政审批局等有关部门", "集中审批部门颁"),
        (
            "各县（市、区）政府、忻州经济开发区管委会、五台山风景名胜区管委会，"
            "市住建局、市城管局、市交通局、市应急局、市市场监管局、市消防救援支队等部门",
            "坚持实行重点行",
        ),
    ]
    for clause, unit in rows:  # each task is text of the clause it is linked to
        assert normalize(unit.task.split(".", 1)[-1])[:16] in normalize(clause.text)
    assert not [a for a in corpus.anomalies if a.kind is AnomalyKind.UNLINKED_TASK]


def test_table_is_not_clause_text(corpus: Corpus) -> None:
    assert all("\t" not in c.text and "重点任务分工" not in c.text for c in corpus.clauses_of("忻州市-2024"))


def test_source_damage_is_reported_not_repaired(corpus: Corpus) -> None:
    found = {(a.kind, a.clause_id, a.detail) for a in corpus.anomalies}
    assert (AnomalyKind.LATIN_WORD, "朔州市-2026/七.二十一", "ability") in found
    assert (AnomalyKind.TRADITIONAL_CHAR, "大同市-2025/二.八.19", "爲") in found
    assert "提升应急管理 ability 培训班" in corpus.clause("朔州市-2026/七.二十一").text
    assert "爲" in corpus.clause("大同市-2025/二.八.19").text


@pytest.mark.parametrize(
    ("line", "level", "number"),
    [
        ("一、总体要求", 1, 1),
        ("（十一）狠抓", 2, 11),
        ("(二十三) 加强", 2, 23),
        ("1. 煤矿。", 3, 1),
        ("12．结合", 3, 12),
        ("3、开展", 3, 3),
        ("（2）严格", 4, 2),
        ("(10)完善", 4, 10),
    ],
)
def test_markers_in_full_and_half_width(line: str, level: int, number: int) -> None:
    marker = match_marker(line)
    assert (marker.level, marker.number) == (level, number)


@pytest.mark.parametrize("line", ["2013 年全省", "3.5米以上", "十分严峻", "“一件事”全链条"])
def test_text_that_only_looks_like_a_marker(line: str) -> None:
    assert match_marker(line) is None


def test_numbers_out_of_sequence_are_prose() -> None:
    sequence = MarkerSequence()
    assert sequence.accept(match_marker("1. 煤矿"))
    assert sequence.accept(match_marker("2. 交通"))
    assert not sequence.accept(match_marker("30. 一行被截断的数字"))
    assert sequence.accept(match_marker("3. 危化"))
    assert sequence.accept(match_marker("1. 森林"))  # restart under a new parent


def test_chinese_numerals() -> None:
    assert [chinese_to_int(n) for n in ("一", "九", "十", "十一", "二十", "二十九", "三十")] == [
        1,
        9,
        10,
        11,
        20,
        29,
        30,
    ]


def test_bundled_notice_files_are_in_the_repository() -> None:
    names = sorted(path.name for path in Path(PROJECT_ROOT / "data" / "notices").iterdir())
    assert names == [
        "000_6ceb901c686c9bad.txt",
        "001_5b1f32f4b5edf1e8.txt",
        "002_21558e30cd176ac4.txt",
        "003_274cda8d185c1074.txt",
        "004_3faadfceb6f19d28.txt",
    ]
