"""Reading what a document says about itself: web metadata shapes, dates, issuers and levels, page debris;
and scope over a library that mixes provinces and issuers (人民政府, 安委会, 安委办, 办公室)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.metadata import find_date, is_damaged_date, is_debris, issuer_line, level_of, read_meta, signed_line
from index.records import Level
from tests.conftest import BUNDLED
from tests.test_real_documents import FIXTURES


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["标  题: 某某通知", "索 引 号: 1/2024 发文字号: 达安委会发〔2024〕8号 成文日期: 2024-06-13"],
            {"title": "某某通知", "doc_number": "达安委会发〔2024〕8号", "written": "2024-06-13"},
        ),
        (
            ["发布机构 | 省应急管理厅 | 发文时间 | 2025-03-12 | 公文时效 | 有效 |"],
            {"issuer": "省应急管理厅", "written": "2025-03-12"},
        ),
        (
            ["- 发文字号:长政发〔2025〕1号", "- 成文时间:2025年02月14日"],
            {"doc_number": "长政发〔2025〕1号", "written": "2025年02月14日"},
        ),
        (
            ["【发文字号】 乌政办[2010]111号", "【颁发时间】 1970-08-21"],
            {"doc_number": "乌政办[2010]111号", "published": "1970-08-21"},
        ),
        (
            ["发布单位", "安徽省安全生产委员会", "发布文号 皖安〔2024〕1号"],
            {"issuer": "安徽省安全生产委员会", "doc_number": "皖安〔2024〕1号"},
        ),
    ],
)
def test_web_metadata_in_every_shape(lines, expected) -> None:
    assert read_meta(lines) == expected


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024年6月13日", "2024-06-13"),
        ("2024-06-13", "2024-06-13"),
        ("2024.6.13", "2024-06-13"),
        ("2024/6/13", "2024-06-13"),
        ("二〇二四年六月十三日", "2024-06-13"),
        ("二○一○年四月九日", "2010-04-09"),
        ("2024年13月40日", None),
    ],
)
def test_dates_in_the_usual_forms(text, iso) -> None:
    assert find_date(text) == iso


def test_a_damaged_date_is_recognized_not_read() -> None:
    assert is_damaged_date("2024613日") and is_damaged_date("20171228")
    assert find_date("2024613日") is None and not is_damaged_date("2024年6月13日")


@pytest.mark.parametrize(
    ("line", "issuer", "level"),
    [
        ("陕西省安全生产委员会", "陕西省安全生产委员会", Level.PROVINCE),
        ("于都县人民政府办公室", "于都县人民政府办公室", Level.COUNTY),
        ("达拉特旗安全生产委员会", "达拉特旗安全生产委员会", Level.COUNTY),
        ("绵竹市安全生产委员会", "绵竹市安全生产委员会", Level.COUNTY),  # a county-level city
        ("菏泽市定陶区人民政府安全生产委员会", "菏泽市定陶区人民政府安全生产委员会", Level.COUNTY),
        ("朔州市应急管理局", "朔州市应急管理局", Level.CITY),
        ("大同市消防救援支队", "大同市消防救援支队", Level.CITY),
        ("泉溪镇人民政府", "泉溪镇人民政府", Level.TOWN),
        ("国务院安全生产委员会", "国务院安全生产委员会", Level.NATIONAL),
        ("中共赣州市委      赣州市人民政府", "中共赣州市委 赣州市人民政府", Level.CITY),
        ("山西省人民政府文件", "山西省人民政府", Level.PROVINCE),
    ],
)
def test_issuers_and_their_levels(line, issuer, level) -> None:
    assert issuer_line(line) == issuer
    assert level_of(issuer) is level


@pytest.mark.parametrize(
    "line",
    ["一、加强组织领导", "各乡镇人民政府：", "年底前再建成6座智能化煤矿。", "安全生产委员会要每季度开会研判形势"],
)
def test_sentences_are_not_issuers(line) -> None:
    assert issuer_line(line) is None


def test_a_signature_and_its_date_on_one_line() -> None:
    assert signed_line("新乡市人民政府安全生产委员会办公室 2017年10月4日") == (
        "新乡市人民政府安全生产委员会办公室",
        "2017-10-04",
    )
    assert signed_line("要在2017年10月4日前完成") is None


@pytest.mark.parametrize(
    "line",
    [
        "扫描二维码 分享好友和朋友圈",
        "字号: 打印 保存 分享至:",
        "【打印】 【字体: 】 浏览次数:",
        "您当前的位置:首页 > 政策法规",
        "主办:某某县人民政府 © 版权所有 2018",
        "6 ^$ {- Q H& {. {) q7 `' ?",
        "概  述:   各苏木镇人民政府…",
    ],
)
def test_page_debris(line) -> None:
    assert is_debris(line)


@pytest.mark.parametrize(
    "line", ["一、强化安全生产责任落实", "InSAR卫星监测", "2024年工作要点", "（一）牢固树立安全发展理念。"]
)
def test_document_text_is_not_debris(line) -> None:
    assert not is_debris(line)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """A library mixing the bundled Shanxi notices with other provinces' 安委会, 安委办 and 办公室 documents."""
    from assistant.core import Assistant
    from index.settings import Settings

    folder = tmp_path_factory.mktemp("mixed")
    for name in ("000_6ceb901c686c9bad.txt", "001_5b1f32f4b5edf1e8.txt", "003_274cda8d185c1074.txt"):
        shutil.copy(BUNDLED / name, folder / name)
    for name in ("shaanxi-saw-2025.txt", "shaanxi-awb-2023.txt", "lanzhou-saw-2025.txt", "lanzhou-ban-2021.txt"):
        shutil.copy(FIXTURES / name, folder / name)
    settings = Settings(
        source_dir=Path(folder), index_dir=Path(folder) / "idx", embedding_model="none", current_year=2026
    )
    return Assistant.open(settings)


@pytest.mark.parametrize(
    ("question", "issuers"),
    [
        ("陕西2025年安委会工作要点的总体目标是啥？", ("陕西省安全生产委员会",)),
        ("陕西省安委办2024年元旦有啥要求？", ("陕西省安全生产委员会办公室",)),
        ("兰州市安委会2025年要求把什么作为第一议题？", ("兰州市安全生产委员会",)),
        ("省里2025年县级应急物资库覆盖率要到多少？", ("山西省人民政府",)),  # home province: Shanxi's cities are here
    ],
)
def test_places_reach_every_issuer_there_and_organs_narrow_them(mixed, question, issuers) -> None:
    assert mixed.retriever.scope_reader.read(question).issuers == issuers


def test_a_question_about_an_ingested_notice_is_answered_from_it(mixed) -> None:
    answer = mixed.ask("兰州市安委会2025年要求把什么作为第一议题？")
    assert not answer.refused and answer.citations[0].notice_id == "兰州市安全生产委员会-2025"
    number = mixed.ask("兰州市安委会2025年那个文件的文号是多少？")
    assert "兰安委发〔2025〕3号" in number.lead
