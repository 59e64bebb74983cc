"""Reading notice files: encodings, formats, and clear errors for bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from index.notices import parse_notices
from index.read import ReadError, decode_text, read_notice_bytes, read_notice_file
from index.settings import PROJECT_ROOT

QINSHUI = PROJECT_ROOT / "data" / "notices" / "004_3faadfceb6f19d28.txt"


def _clause_texts(text: str, name: str) -> list[tuple[str, str]]:
    return [(c.clause_id, c.text) for item in parse_notices(text, name) for c in item.clauses]


def test_gbk_file_reads_like_its_utf8_original(tmp_path: Path) -> None:
    original = QINSHUI.read_text(encoding="utf-8")
    gbk = tmp_path / "qinshui-gbk.txt"
    gbk.write_bytes(original.encode("gb18030"))
    assert read_notice_file(gbk, 10**7) == original
    assert _clause_texts(read_notice_file(gbk, 10**7), "x.txt") == _clause_texts(original, "x.txt")


def test_utf8_bom_and_utf16_are_read() -> None:
    assert decode_text("一、总则".encode("utf-8-sig"), "a.txt") == "一、总则"
    assert decode_text("一、总则".encode("utf-16"), "a.txt") == "一、总则"


def test_docx_notice_parses_like_the_text(tmp_path: Path) -> None:
    import docx

    original = QINSHUI.read_text(encoding="utf-8")
    document = docx.Document()
    for line in original.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_notice_bytes(buffer.getvalue(), "沁水.docx")
    parsed = parse_notices(text, "沁水.docx")
    assert [p.notice.notice_id for p in parsed] == ["沁水县-2025"]
    assert _clause_texts(text, "x") == _clause_texts(original, "x")


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _numbered_list(document, restart_items: bool) -> None:
    """A Word list as notices use it: 一、 then （一） (straight through, or again under each part), then 1."""
    from docx.oxml import parse_xml

    restart = "" if restart_items else '<w:lvlRestart w:val="0"/>'
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {_W} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
            f'<w:lvl w:ilvl="1"><w:start w:val="1"/>{restart}<w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="（%2）"/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    numbering.append(parse_xml(f'<w:num {_W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))


def _list_paragraph(document, text: str, level: int) -> None:
    from docx.oxml import parse_xml

    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {_W}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
    )


def test_docx_with_word_list_numbering_keeps_the_clause_hierarchy() -> None:
    """沁水's notice typed with Word's automatic numbering (the paragraphs hold no 一、 or （一）) parses into
    the same clauses as the text, （一）…（二十二） numbered straight through its parts as the notice does."""
    import docx

    from index.clauses import match_marker, strip_marker

    original = QINSHUI.read_text(encoding="utf-8")
    document = docx.Document()
    _numbered_list(document, restart_items=False)
    for line in original.split("\n"):
        marker = match_marker(line)
        if marker is not None and marker.kind == "" and marker.level in (1, 2):  # 一、 and （一）
            _list_paragraph(document, strip_marker(line), marker.level - 1)
        else:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_notice_bytes(buffer.getvalue(), "沁水.docx")
    assert "\n（二十二）开展安全监管人员执法比武" in text

    def clauses(source: str) -> list[tuple[str, str]]:
        return [(clause_id, strip_marker(body).replace(" ", "")) for clause_id, body in _clause_texts(source, "x")]

    assert clauses(text) == clauses(original) and len(clauses(text)) > 20


def test_word_list_numbering_restarts_below_a_level_that_advances() -> None:
    import docx

    document = docx.Document()
    _numbered_list(document, restart_items=True)
    for text, level in [
        ("压实责任", 0),
        ("党政责任。", 1),
        ("煤矿。", 2),
        ("燃气。", 2),
        ("部门责任。", 1),
        ("治理", 0),
    ]:
        _list_paragraph(document, text, level)
    _list_paragraph(document, "专项整治。", 1)
    document.add_paragraph("（此件公开发布）")
    buffer = io.BytesIO()
    document.save(buffer)
    lines = read_notice_bytes(buffer.getvalue(), "list.docx").split("\n")
    assert lines == [
        "一、压实责任",
        "（一）党政责任。",
        "1.煤矿。",
        "2.燃气。",
        "（二）部门责任。",
        "二、治理",
        "（一）专项整治。",
        "（此件公开发布）",
    ]


def test_word_list_numbering_carried_by_heading_styles() -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    _numbered_list(document, restart_items=True)
    for style, level in (("Heading 1", 0), ("Heading 2", 1)):
        document.styles[style].element.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {_W}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
    document.add_paragraph("压实责任", style="Heading 1")
    document.add_paragraph("党政责任。", style="Heading 2")
    document.add_paragraph("各级党委政府要……")
    document.add_paragraph("强化治理", style="Heading 1")
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_notice_bytes(buffer.getvalue(), "styles.docx")
    assert text.split("\n") == ["一、压实责任", "（一）党政责任。", "各级党委政府要……", "二、强化治理"]


def test_docx_table_rows_become_tab_cells(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "开展专项整治"
    table.rows[0].cells[1].text = "市应急局"
    buffer = io.BytesIO()
    document.save(buffer)
    assert "\t开展专项整治\n\t市应急局" in read_notice_bytes(buffer.getvalue(), "t.docx")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "文件为空"),
        ("blank.txt", b"   \n\n ", "没有文字内容"),
        ("binary.txt", bytes(range(256)) * 4, "二进制"),
        ("cp1252.txt", "Café résumé naïve – “quotes” déjà vu ".encode("cp1252") * 20, "编码"),
        ("broken.docx", b"this is not a zip archive", "不是有效的 .docx"),
        ("zip.docx", b"PK\x03\x04" + b"\x00" * 40, "docx"),
        ("broken.pdf", b"<html>not a pdf</html>", "不是有效的 PDF"),
        ("truncated.pdf", b"%PDF-1.4\n1 0 obj\n<<", "PDF"),
        ("notes.xlsx", b"PK\x03\x04", "不支持的文件类型"),
    ],
)
def test_bad_input_gets_a_clear_error(name: str, data: bytes, message: str) -> None:
    with pytest.raises(ReadError, match=message) as error:
        read_notice_bytes(data, name)
    assert name in str(error.value) or "支持" in str(error.value)


def test_pdf_without_a_text_layer_is_explained() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ReadError, match="扫描件"):
        read_notice_bytes(buffer.getvalue(), "scan.pdf")


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes("一、总则\n".encode() * 1000)
    with pytest.raises(ReadError, match="文件过大"):
        read_notice_file(big, max_bytes=1000)


def test_text_that_is_not_a_notice_is_refused() -> None:
    with pytest.raises(ValueError, match="没有找到编号条款"):
        parse_notices("这是一段普通文字，没有任何编号。\n第二行。", "plain.txt")


def test_a_format_is_one_entry_in_the_reader_registry(monkeypatch) -> None:
    from index import read

    with pytest.raises(ReadError, match=r"不支持的文件类型 \.md"):
        read_notice_bytes("一、总体要求".encode(), "要点.md")
    monkeypatch.setitem(read.READERS, ".md", read.decode_text)
    assert read_notice_bytes("一、总体要求".encode(), "要点.md") == "一、总体要求"


def _government_page(body_lines: list[str], charset: str) -> str:
    """A notice as a government site serves it: head, navigation, a metadata table, the text in paragraphs
    indented with &nbsp;, scripts, a footer."""
    paragraphs = "\n".join(f"<p style='text-indent:2em'>&nbsp;&nbsp;{line}</p>" for line in body_lines)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>关于印发的通知_政务公开_兰州市人民政府</title>
<style>.nav {{ color: red }}</style><script>var _hmt = _hmt || []; document.write("广告");</script>
</head><body>
<div class="nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a href="/hdjl">互动交流</a></div>
<table class="meta"><tr><td>索引号：</td><td>620100/2025-00123</td><td>发布机构：</td><td>兰州市应急管理局</td></tr>
<tr><td>发文日期：</td><td>2025-03-28</td></tr></table>
<div class="content">
{paragraphs}
</div>
<script type="text/javascript">function share() {{ return "分享到微信"; }}</script>
<div class="footer">主办：兰州市人民政府办公室&nbsp;&nbsp;网站标识码：6201000001<br/>ICP备案号：陇ICP备05000216号</div>
</body></html>"""


@pytest.mark.parametrize("charset", ["gb2312", "utf-8"])
def test_a_saved_government_web_page_reads_as_its_notice(charset: str) -> None:
    real = (PROJECT_ROOT / "tests" / "fixtures" / "real" / "lanzhou-saw-2025.txt").read_text(encoding="utf-8")
    lines = [line for line in real.split("\n") if line.strip()]
    page = _government_page(lines, charset).encode("gb18030" if charset == "gb2312" else "utf-8")
    text = read_notice_bytes(page, "t20250328_123.shtml")
    assert "var _hmt" not in text and "分享到微信" not in text and ".nav" not in text  # scripts and styles hidden
    assert "\u00a0" not in text and "\n一、全面落实各级安全生产责任\n" in text
    from_page = parse_notices(text, "page.shtml")
    from_text = parse_notices(real, "page.txt")
    assert [(p.notice.issuer, p.notice.year, p.notice.doc_number, p.notice.title) for p in from_page] == [
        (p.notice.issuer, p.notice.year, p.notice.doc_number, p.notice.title) for p in from_text
    ]
    assert [c.clause_id for p in from_page for c in p.clauses] == [c.clause_id for p in from_text for c in p.clauses]
    # the navigation, the metadata table and the footer are the page's, not the notice's
    assert not any(word in c.text for p in from_page for c in p.clauses for word in ("首页", "索引号", "主办"))


def test_a_table_of_data_on_a_web_page_reads_one_row_per_line() -> None:
    real = (PROJECT_ROOT / "tests" / "fixtures" / "real" / "xuzhuang-2017.txt").read_text(encoding="utf-8")
    rows = [line for line in real.split("\n") if line.count("|") >= 2]
    table = "".join(
        "<tr>" + "".join(f"<td>{cell.strip()}</td>" for cell in row.strip().strip("|").split("|")) + "</tr>"
        for row in rows
    )
    before, after = real.split(rows[0])[0], real.split(rows[-1])[1]
    # the page itself is laid out in a table: one big cell is layout, not data
    page = (
        "<html><body><table><tr><td>"
        + "".join(f"<p>{line}</p>" for line in before.split("\n") if line.strip())
        + f"<table>{table}</table>"
        + "".join(f"<p>{line}</p>" for line in after.split("\n") if line.strip())
        + "</td></tr></table></body></html>"
    )
    text = read_notice_bytes(page.encode("utf-8"), "2044017.jhtml.html")
    assert "烟花爆竹 | 1月份 | 安监站 安监所 |" in text.split("\n")
    [parsed] = parse_notices(text, "page.html")
    from_text = parse_notices(real, "page.txt")[0]
    assert [c.text for c in parsed.clauses] == [c.text for c in from_text.clauses]
    assert any(unit.units == "民政所" for c in parsed.clauses for unit in c.units)


def test_what_stands_above_the_title_of_a_notice_without_addressee_is_not_its_text() -> None:
    text = "网站首页 | 政务公开 | 互动交流\n晋城市欢迎您\n晋城市人民政府关于做好2026年安全生产工作的通知\n为做好全年工作，现通知如下。\n一、狠抓矿山安全\n（一）推进煤矿智能化。年底前再建成8座智能化煤矿。\n"
    (parsed,) = parse_notices(text, "page.txt")
    first = parsed.clauses[0]
    assert (first.clause_id, first.text) == ("晋城市-2026/导语", "为做好全年工作，现通知如下。")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "二进制"),
        ("只是一段文字，没有任何网页标记。".encode(), "不是 HTML"),
        (b"<html><body><script>alert(1)</script></body></html>", "没有文字内容"),
    ],
)
def test_a_bad_web_page_gets_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        read_notice_bytes(data, "page.html")
