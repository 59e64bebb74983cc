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
