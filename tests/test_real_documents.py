"""Thirty-four real documents as published on government and mirror sites: each parses, with the metadata it states.

The manifest pins issuer, level, year, 文号, date (and title where the document states one) as read by hand;
a field the parser still gets wrong is listed under `known_gaps` with what it says instead, so that a fix
shows up as a failing pin to update, and a regression as a failing field.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.normalize import normalize
from index.notices import UNKNOWN_ISSUER, parse_notices
from index.records import AnomalyKind, Responsibility
from index.store import build

FIXTURES = Path(__file__).parent / "fixtures" / "real"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
FIELDS = ("issuer", "level", "year", "doc_number", "date")


def parsed(name: str):
    notices = parse_notices((FIXTURES / name).read_text(encoding="utf-8"), name)
    assert len(notices) == 1, [p.notice.notice_id for p in notices]
    return notices[0]


def test_the_corpus_is_large_and_varied() -> None:
    assert len(MANIFEST) >= 30
    assert {entry["level"] for entry in MANIFEST.values()} >= {"国家", "省", "市", "县", "乡镇"}
    assert sum(entry["unnumbered"] for entry in MANIFEST.values()) >= 5
    assert all(entry["url"].startswith("http") for entry in MANIFEST.values())


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_metadata_as_the_document_states_it(name: str) -> None:
    expected = MANIFEST[name]
    notice = parsed(name).notice
    got = {
        "issuer": None if notice.issuer == UNKNOWN_ISSUER else notice.issuer,
        "level": notice.level.value,
        "year": notice.year,
        "doc_number": notice.doc_number,
        "date": notice.date,
    }
    gaps = expected["known_gaps"]
    for field in FIELDS:
        if field in gaps:
            assert got[field] == gaps[field], f"{field}: known gap changed (now {got[field]!r}); update the manifest"
        elif field == "level" and expected["issuer"] is None:
            continue  # no issuer, so no level to read
        else:
            assert got[field] == expected[field], f"{field}: {got[field]!r} != {expected[field]!r}"
    if expected["title"]:
        assert notice.title == expected["title"]


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_what_is_missing_is_said(name: str) -> None:
    expected = MANIFEST[name]
    result = parsed(name)
    kinds = {(a.kind, a.detail) for a in result.notice.anomalies}
    for field in ("doc_number", "date"):
        assert ((AnomalyKind.MISSING_METADATA, field) in kinds) == (expected[field] is None), field
    assert ((AnomalyKind.MISSING_METADATA, "issuer") in kinds) == (expected["issuer"] is None)
    assert any(kind is AnomalyKind.NO_NUMBERING for kind, _ in kinds) == expected["unnumbered"]
    assert result.clauses, "a document is never dropped: without numbering it is indexed paragraph by paragraph"


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_no_page_debris_is_quoted(name: str) -> None:
    debris = ("扫描二维码", "浏览次数", "字号", "分享", "当前位置", "您的位置", "打印", "版权所有", "^$", "VIP")
    for clause in parsed(name).clauses:
        assert not any(word in clause.text for word in debris), (clause.clause_id, clause.text[:60])


def test_damaged_dates_are_reported_not_guessed() -> None:
    notice = parsed("dalate-saw-2024.txt").notice
    assert (AnomalyKind.DAMAGED_DATE, "2024613日") in {(a.kind, a.detail) for a in notice.anomalies}
    assert notice.date == "2024-06-13" and "date" in notice.inferred  # from the page's 成文日期, said to be inferred
    ganzhou = parsed("ganzhou-2017.txt").notice
    assert ganzhou.date is None and ganzhou.doc_number is None and ganzhou.year == 2017


def test_a_cover_notice_and_the_document_it_issues_are_one_notice() -> None:
    result = parsed("lanzhou-saw-2025.txt")
    assert result.notice.doc_number == "兰安委发〔2025〕3号"
    assert any("市委组织部" in clause.text for clause in result.clauses)  # the issued document's clauses
    assert [c.clause_id for c in result.clauses][:2] == [
        "兰州市安全生产委员会-2025/导语",
        "兰州市安全生产委员会-2025/导语~2",
    ]


def test_the_whole_folder_builds_as_a_user_would(tmp_path: Path) -> None:
    from index.settings import Settings

    settings = Settings(source_dir=FIXTURES, index_dir=tmp_path / "index")
    corpus = build(settings).corpus
    assert len(corpus.notices) == len(MANIFEST)
    for clause in corpus.clauses:
        notice = corpus.notice(clause.notice_id)
        assert notice.normalized_text[clause.start : clause.end] == normalize(clause.text), clause.clause_id


def test_the_file_name_is_the_last_source_and_is_said_to_be_one() -> None:
    text = "各乡镇人民政府：\n现将有关事项通知如下，请做好安全生产工作。\n请抓好落实。\n"
    notice = parse_notices(text, "2024年-平遥县安委会-通知.txt")[0].notice
    assert (notice.issuer, notice.year) == ("平遥县安委会", 2024)
    assert set(notice.inferred) == {"issuer", "year"}
    stated = parsed("lanzhou-saw-2025.txt").notice  # what the document says wins over any file name
    assert (
        parse_notices((FIXTURES / "lanzhou-saw-2025.txt").read_text(encoding="utf-8"), "大同市人民政府2020.txt")[
            0
        ].notice.issuer
        == stated.issuer
    )


def test_a_doc_number_quoted_in_the_text_is_not_the_notice_s_own() -> None:
    text = (
        "某某县人民政府关于做好2024年安全生产工作的通知\n各乡镇人民政府：\n"
        "根据《国务院办公厅关于继续深入开展“安全生产年”活动的通知》（国办发〔2010〕15号）要求，现通知如下。\n"
        "一、总体要求\n（一）加强领导。要抓好落实。\n"
    )
    assert parse_notices(text, "x.txt")[0].notice.doc_number is None


def test_a_page_flattened_to_one_line_is_read_paragraph_by_paragraph() -> None:
    from index.notices import unflatten

    text = (FIXTURES / "anhui-ban-2005.txt").read_text(encoding="utf-8")
    assert len([line for line in text.splitlines() if line.strip()]) == 1
    clauses = {clause.path_label: clause for clause in parsed("anhui-ban-2005.txt").clauses}
    assert clauses["一、"].headings == ("加强领导,严格落实安全生产责任制",)
    assert clauses["一、"].text.startswith("一、加强领导")
    # a line of ordinary length keeps its spaces: they are layout there, not lost breaks
    assert unflatten("确保 2012 年底前完成。 各地要加强领导") == ["确保 2012 年底前完成。 各地要加强领导"]
    # nor is a break read inside brackets: a long clause's responsibility note stays with it
    note = "57. 合理规划应急物资储备点布局。" * 12 + "(责任单位: 各县(区)人民政府，市应急管理局等部门分工负责)"
    assert unflatten(note) == [note]


def test_a_table_copied_from_a_web_page_keeps_its_rows() -> None:
    clause = next(c for c in parsed("xuzhuang-2017.txt").clauses if c.clause_id.endswith("/一"))
    rows = clause.text.split("\n")
    assert "烟花爆竹 | 1月份 | 安监站 安监所 |" in rows
    assert "交通运输 | 12月份 | 超限站 公路站 交警六中队 |" in rows


@pytest.mark.parametrize(
    ("name", "title_text"),
    [("xuzhuang-2017.txt", "工作计划按照"), ("quanxi-2013.txt", "实施方案2013年6月份")],
)
def test_the_issued_document_s_title_is_not_read_into_the_preamble(name: str, title_text: str) -> None:
    # the cover letter and the document it issues are cut apart at the title, a title broken over two lines too
    preambles = [c for c in parsed(name).clauses if not c.path]
    assert len(preambles) == 2
    assert not any(title_text in c.text for c in preambles)


def test_the_units_column_of_a_web_page_table_answers_who_is_responsible() -> None:
    from assistant.answer import responsibility_of

    clause = next(c for c in parsed("xuzhuang-2017.txt").clauses if c.clause_id.endswith("/一"))
    assert Responsibility(units="民政所", task="养老机构 | 4月份", origin="table") in clause.units
    unit = responsibility_of(clause, "交通运输 | 12月份 | 超限站 公路站 交警六中队 |", "交通运输整治归谁负责", None)
    assert unit is not None and unit.units == "超限站 公路站 交警六中队"


def test_a_traditional_character_mirror_is_found_by_a_question_in_simplified(tmp_path: Path) -> None:
    import shutil

    from assistant.retrieve import open_retriever
    from index.settings import Settings
    from index.tokenize import searchable

    source = tmp_path / "notices"
    source.mkdir()
    for name in ("jiangxi-yjt-2023.txt", "lanzhou-saw-2025.txt"):
        shutil.copy(FIXTURES / name, source / name)
    settings = Settings(
        source_dir=source, index_dir=tmp_path / "index", vector_cache_dir=tmp_path / "vectors", embedding_model="none"
    )
    retriever = open_retriever(settings)
    hit = retriever.search("江西要求怎么加强党的领导？").hits[0]
    assert hit.clause.text.startswith("(一)切實把加強黨的領導")  # quoted as published
    assert hit.lexical > 0  # matched by its words, 加強黨的領導 as 加强党的领导
    assert searchable("加強黨的領導") == "加强党的领导"
    assert searchable("显著提升，著力解决") == "显著提升,著力解决"  # simplified text keeps 著


def test_the_state_council_s_organs_are_reached_by_its_name() -> None:
    from assistant.scope import ScopeReader

    notices = [
        parsed(name).notice for name in ("guowuyuan-2010.txt", "guowuyuan-saw-2022.txt", "guowuyuan-awb-2023.txt")
    ]
    reader = ScopeReader(notices, 2026)
    by_id = {notice.issuer: notice.notice_id for notice in notices}
    assert reader.read("国务院安委会2022年对安全生产有啥要求？").notice_ids == (by_id["国务院安全生产委员会"],)
    assert reader.read("国务院安委办的通知文号是多少？").notice_ids == (by_id["国务院安委会办公室"],)
    assert set(reader.read("国务院的通知有哪些？").notice_ids or ()) == set(by_id.values())
