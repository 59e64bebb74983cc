"""Notice splitting and metadata, pinned against the bundled sources (read by hand)."""

from __future__ import annotations

import pytest

from index.notices import parse_notices
from index.records import Level
from index.store import Corpus

# notice_id: (issuer, level, year, 文号, title, date) as the sources state them; None where they do not
EXPECTED = {
    "朔州市-2026": (
        "朔州市人民政府",
        "市",
        2026,
        "朔政发〔2026〕1号",
        "朔州市人民政府关于做好2026年安全生产工作的通知",
        "2026-03-06",
    ),
    "山西省-2009": (
        "山西省人民政府",
        "省",
        2009,
        "晋政发〔2009〕1号",
        "山西省人民政府关于2009年安全生产工作的意见",
        None,
    ),
    "山西省-2010": ("山西省人民政府", "省", 2010, None, None, None),
    "山西省-2011": ("山西省人民政府", "省", 2011, "晋政发〔2011〕1号", None, None),
    "山西省-2012": ("山西省人民政府", "省", 2012, None, None, None),
    "山西省-2013": (
        "山西省人民政府",
        "省",
        2013,
        "晋政发〔2013〕1号",
        "山西省人民政府关于做好2013年安全生产工作的通知",
        "2013-01-31",
    ),
    "山西省-2014": ("山西省人民政府", "省", 2014, None, "山西省人民政府关于做好2014年安全生产工作的通知", "2014-01-02"),
    "山西省-2015": (
        "山西省人民政府",
        "省",
        2015,
        "晋政发〔2015〕1号",
        "山西省人民政府关于做好2015年安全生产工作的通知",
        "2015-01-01",
    ),
    "山西省-2016": (
        "山西省人民政府",
        "省",
        2016,
        "晋政发〔2016〕1号",
        "山西省人民政府关于做好2016年安全生产工作的通知",
        None,
    ),
    "山西省-2017": (
        "山西省人民政府",
        "省",
        2017,
        "晋政发〔2017〕1号",
        "山西省人民政府关于做好2017年安全生产工作的通知",
        None,
    ),
    "山西省-2018": (
        "山西省人民政府",
        "省",
        2018,
        "晋政发〔2018〕1号",
        "山西省人民政府关于做好2018年安全生产工作的通知",
        "2018-01-02",
    ),
    "山西省-2019": (
        "山西省人民政府",
        "省",
        2019,
        "晋政发〔2019〕1号",
        "山西省人民政府关于做好2019年安全生产工作的通知",
        None,
    ),
    "山西省-2020": (
        "山西省人民政府",
        "省",
        2020,
        "晋政发〔2020〕1号",
        "山西省人民政府关于做好2020年安全生产工作的通知",
        "2020-02-26",
    ),
    "山西省-2021": (
        "山西省人民政府",
        "省",
        2021,
        "晋政发〔2021〕1号",
        "山西省人民政府关于做好2021年安全生产工作的通知",
        "2021-01-28",
    ),
    "山西省-2022": (
        "山西省人民政府",
        "省",
        2022,
        "晋政发〔2022〕1号",
        "山西省人民政府关于做好2022年安全生产工作的通知",
        "2022-01-10",
    ),
    "山西省-2023": (
        "山西省人民政府",
        "省",
        2023,
        "晋政发〔2023〕1号",
        "山西省人民政府关于做好2023年安全生产工作的通知",
        None,
    ),
    "山西省-2024": (
        "山西省人民政府",
        "省",
        2024,
        "晋政发〔2024〕1号",
        "山西省人民政府关于做好2024年安全生产工作的通知",
        "2024-01-20",
    ),
    "山西省-2025": (
        "山西省人民政府",
        "省",
        2025,
        "晋政发〔2025〕1号",
        "山西省人民政府关于做好2025年安全生产工作的通知",
        "2025-01-16",
    ),
    "山西省-2026": (
        "山西省人民政府",
        "省",
        2026,
        "晋政发〔2026〕1号",
        "山西省人民政府关于做好2026年安全生产工作的通知",
        "2026-01-23",
    ),
    "忻州市-2024": (
        "忻州市人民政府",
        "市",
        2024,
        "忻政发〔2024〕1号",
        "忻州市人民政府关于做好2024年安全生产工作的通知",
        "2024-02-23",
    ),
    "大同市-2025": (
        "大同市人民政府",
        "市",
        2025,
        "同政发〔2025〕1号",
        "大同市人民政府关于做好2025年安全生产工作的通知",
        "2025-03-06",
    ),
    "沁水县-2025": (
        "沁水县人民政府",
        "县",
        2025,
        "沁政发〔2025〕1号",
        "沁水县人民政府关于做好2025年安全生产工作的通知",
        "2025-03-25",
    ),
}


def test_corpus_has_the_22_notices(corpus: Corpus) -> None:
    assert [n.notice_id for n in corpus.notices] == list(EXPECTED)


def test_provincial_years_2009_to_2026_each_once(corpus: Corpus) -> None:
    years = [n.year for n in corpus.notices if n.level is Level.PROVINCE]
    assert sorted(years) == list(range(2009, 2027))


@pytest.mark.parametrize("notice_id", list(EXPECTED))
def test_metadata_matches_the_source(corpus: Corpus, notice_id: str) -> None:
    notice = corpus.notice(notice_id)
    issuer, level, year, doc_number, title, date = EXPECTED[notice_id]
    assert (notice.issuer, notice.level.value, notice.year) == (issuer, level, year)
    assert notice.doc_number == doc_number
    assert notice.title == title
    assert notice.date == date


def test_notices_without_front_matter_say_what_was_inferred(corpus: Corpus) -> None:
    # 2010 starts at its first heading: both its year and its issuer come from elsewhere
    assert set(corpus.notice("山西省-2010").inferred) == {"year", "issuer"}
    # 2012 starts at the addressee line; its signature names the issuer, the body the year
    assert corpus.notice("山西省-2012").inferred == ("year",)
    assert corpus.notice("朔州市-2026").inferred == ()


def test_notice_boundaries_keep_each_notice_to_itself(corpus: Corpus) -> None:
    # the first words after each notice's addressee line, and the last sentence of the one before
    assert corpus.clause("山西省-2012/导语").text.startswith("为深入贯彻落实科学发展观")
    assert corpus.clause("山西省-2011/十").text.endswith("为我省转型跨越发展创造良好的安全生产环境。")
    assert corpus.clause("山西省-2010/一").text.startswith("一、进一步提高认识，牢固确立科学的政绩观")
    assert corpus.clause("山西省-2009/十一").text.endswith("安全发展、和谐发展做出不懈的努力。")


def test_display_title_marks_a_missing_title(corpus: Corpus) -> None:
    assert corpus.notice("山西省-2011").display_title == "山西省人民政府2011年安全生产工作文件（原文无标题）"
    assert corpus.notice("沁水县-2025").display_title == corpus.notice("沁水县-2025").title


def test_an_issued_measure_numbered_by_chapter_and_article_is_indexed_whole() -> None:
    # a 实施办法 issued by a cover notice: the cover's 文号 and date, then 第一章 … 第五条, all of it searchable
    text = "\n".join(
        [
            "某某县人民政府办公室关于印发某某县安全生产“党政同责、一岗双责”实施办法的通知",
            "某政办发〔2024〕12号",
            "各乡镇人民政府，县直各部门：",
            "《某某县安全生产“党政同责、一岗双责”实施办法》已经县政府同意，现印发给你们，请认真贯彻执行。",
            "某某县人民政府办公室",
            "2024年3月5日",
            "某某县安全生产“党政同责、一岗双责”实施办法",
            "第一章 总则",
            "第一条 为进一步落实安全生产责任，根据《中华人民共和国安全生产法》等法律法规，制定本办法。",
            "第二条 本办法适用于全县各级党委、政府及其工作部门。",
            "第二章 党委政府责任",
            "第三条 乡镇党委和政府主要负责人是本地区安全生产第一责任人，每季度至少召开一次安全生产专题会议。",
            "第四条 乡镇政府应当配备不少于2名专职安全生产监管人员。",
        ]
    )
    (parsed,) = parse_notices(text, "banfa.txt")
    assert parsed.notice.doc_number == "某政办发〔2024〕12号" and parsed.notice.date == "2024-03-05"
    clauses = {clause.clause_id.split("/", 1)[1]: clause for clause in parsed.clauses}
    assert "第二章.第三条" in clauses and "第二章.第四条" in clauses
    article = clauses["第二章.第四条"]
    assert article.path == ("第二章", "第四条") and article.headings[0] == "党委政府责任"
    assert "不少于2名专职安全生产监管人员" in article.text


def test_an_unnumbered_document_issued_after_the_cover_signature_is_kept() -> None:
    text = "\n".join(
        [
            "某某镇人民政府关于印发2025年安全生产工作方案的通知",
            "各村（社区）、镇直各单位：",
            "现将《某某镇2025年安全生产工作方案》印发给你们，请认真贯彻执行。",
            "某某镇人民政府",
            "2025年2月10日",
            "某某镇2025年安全生产工作方案",
            "为切实做好全镇安全生产工作，制定本方案。",
            "各村要每月开展一次安全隐患排查，发现问题及时整改。",
        ]
    )
    (parsed,) = parse_notices(text, "fangan.txt")
    texts = [clause.text for clause in parsed.clauses]
    # the cover's text, then the issued plan's paragraphs; its title, the signature and the date are not clauses
    assert texts == [
        "现将《某某镇2025年安全生产工作方案》印发给你们，请认真贯彻执行。",
        "为切实做好全镇安全生产工作，制定本方案。",
        "各村要每月开展一次安全隐患排查，发现问题及时整改。",
    ]
    assert parsed.notice.date == "2025-02-10" and parsed.notice.issuer == "某某镇人民政府"


@pytest.mark.parametrize("dot", ["、", ".", "．"])
def test_top_level_numbering_as_web_copies_write_it(dot: str) -> None:
    text = "\n".join(
        [
            "某某县人民政府关于做好2025年安全生产工作的通知",
            "各乡镇人民政府，县直各部门：",
            "为做好2025年安全生产工作，现通知如下：",
            f"一{dot}加强组织领导。各乡镇要每月研究一次安全生产工作。",
            f"二{dot}强化隐患排查。企业要每季度开展一次全面排查。",
            "某某县人民政府",
            "2025年1月5日",
        ]
    )
    (parsed,) = parse_notices(text, "x.txt")
    numbered = [c for c in parsed.clauses if c.path]
    assert [c.path for c in numbered] == [("一、",), ("二、",)]
    assert [c.headings for c in numbered] == [("加强组织领导",), ("强化隐患排查",)]


def test_a_document_numbered_1_2_3_at_the_top_keeps_its_numbering() -> None:
    text = "\n".join(
        [
            "某某县安全生产委员会关于印发2025年安全生产工作要点的通知",
            "各乡镇人民政府，县直各部门：",
            "为做好2025年安全生产工作，现将工作要点印发如下：",
            "1.加强组织领导。各乡镇要每月研究一次安全生产工作。",
            "（1）健全责任体系。落实三管三必须。",
            "2.强化隐患排查。企业要每季度开展一次全面排查。",
            "某某县安全生产委员会",
            "2025年1月5日",
        ]
    )
    (parsed,) = parse_notices(text, "x.txt")
    assert [c.path for c in parsed.clauses if c.path] == [("1.",), ("1.", "（1）"), ("2.",)]
    assert parsed.notice.date == "2025-01-05"


def test_a_page_number_between_wrapped_lines_is_not_quoted() -> None:
    text = "\n".join(
        [
            "某某市人民政府关于做好2025年安全生产工作的通知",
            "各县（区）人民政府，市直各部门：",
            "一、压实安全生产责任",
            "（一）落实党政领导责任。各县（区）党委和政",
            "— 2 —",
            "府主要负责人每季度至少召开一次安全生产专",
            "题会议。",
            "第3页 共10页",
            "（二）落实部门监管责任。明确监管职责。",
            "某某市人民政府",
            "2025年1月10日",
        ]
    )
    (parsed,) = parse_notices(text, "x.txt")
    first = next(c for c in parsed.clauses if c.path == ("一、", "（一）"))
    # (whether the short first line stands as a heading, kept on a line of its own, is not what is tested here)
    assert (
        first.text.replace("\n", "")
        == "（一）落实党政领导责任。各县（区）党委和政府主要负责人每季度至少召开一次安全生产专题会议。"
    )
    assert all("页" not in c.text and "—" not in c.text for c in parsed.clauses)


# an 意见 that names no issuer, date or 文号, whose only years are the ones it works towards
_TARGETS_ONLY = """为深入贯彻落实《中共中央 国务院关于推进安全生产领域改革发展的意见》精神,现就推进我市安全生产领域改革发展提出以下意见。
一、总体要求
1.目标任务
到2020年,安全生产责任基本明晰,依法监管能力明显加强。到2030年,实现安全生产治理体系和治理能力现代化。
二、强化落实
各地要在2019年底前完成安全生产权力和责任清单编制。
"""


def test_a_year_the_notice_works_towards_is_not_its_year() -> None:
    with pytest.raises(ValueError, match="文件名里写上发文机关和年份"):
        parse_notices(_TARGETS_ONLY, "意见.txt")
    [parsed] = parse_notices(_TARGETS_ONLY, "潮州市人民政府2018年安全生产意见.txt")
    assert (parsed.notice.issuer, parsed.notice.year) == ("潮州市人民政府", 2018)
    with_its_year = _TARGETS_ONLY.replace("现就推进", "现就2018年推进")
    assert parse_notices(with_its_year, "意见.txt")[0].notice.year == 2018
