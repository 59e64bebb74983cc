"""Hostile and broken files, and a damaged index: a clear message in bounded time, nothing lost, nothing trusted."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from index.notices import parse_notices
from index.read import ReadError, read_notice_bytes
from index.settings import Settings
from index.store import build
from tests.conftest import BUNDLED


def _docx(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_docx_is_refused_before_unpacking() -> None:
    bomb = _docx(b"<w:document/>", {"word/media/pad.bin": b"\0" * 30_000_000})
    assert len(bomb) < 200_000
    with pytest.raises(ReadError, match="压缩炸弹"):
        read_notice_bytes(bomb, "bomb.docx")


def test_xml_entity_expansion_is_refused() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<w:document>&lol2;</w:document>"
    )
    with pytest.raises(ReadError, match="XML 实体"):
        read_notice_bytes(_docx(laughs), "laughs.docx")


def _pdf(encrypt: bool = False) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if encrypt:
        writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_an_encrypted_pdf_says_so() -> None:
    with pytest.raises(ReadError, match="加密"):
        read_notice_bytes(_pdf(encrypt=True), "locked.pdf")


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_a_truncated_pdf_is_a_clear_error(cut) -> None:
    data = _pdf()
    with pytest.raises(ReadError):
        read_notice_bytes(data[: int(len(data) * cut)], "truncated.pdf")


def test_a_megabyte_line_parses_in_bounded_time() -> None:
    text = (
        "山西省人民政府关于做好2026年安全生产工作的通知\n一、总体要求\n"
        + "安全生产" * 250_000
        + "。\n二、重点任务\n加强监管。\n"
    )
    started = time.perf_counter()
    parsed = parse_notices(text, "long-line.txt")
    assert time.perf_counter() - started < 20
    assert len(parsed[0].clauses) >= 2


def test_ten_thousand_clauses_parse_in_bounded_time() -> None:
    lines = ["某某县人民政府关于做好2026年安全生产工作的通知"]
    for top in range(1, 11):
        lines.append(f"{'一二三四五六七八九十'[top - 1]}、第{top}部分")
        for item in range(1, 1000):
            lines.append(f"{item}. 第{top}部分第{item}项工作要落实到位。")
    started = time.perf_counter()
    clauses = parse_notices("\n".join(lines), "many.txt")[0].clauses
    assert time.perf_counter() - started < 60
    assert len(clauses) > 9_000


@pytest.fixture
def small_index(tmp_path: Path) -> Settings:
    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "qinshui.txt").write_bytes((BUNDLED / "004_3faadfceb6f19d28.txt").read_bytes())
    return Settings(source_dir=folder, index_dir=tmp_path / "index", embedding_model="none", current_year=2026)


def test_a_damaged_clause_file_is_parsed_again_not_trusted(small_index: Settings) -> None:
    first = build(small_index).corpus
    for path in (small_index.clause_index_dir / "files").glob("*.json"):
        path.write_text(path.read_text(encoding="utf-8")[:100], encoding="utf-8")  # a build killed mid-write
    again = build(small_index)
    assert again.parsed == ["qinshui.txt"] and len(again.corpus.clauses) == len(first.clauses)


@pytest.mark.parametrize("damaged", ["segments/*/counts.docs.npy", "segments/*/passages.marshal"])
def test_a_damaged_search_index_is_rebuilt(small_index: Settings, damaged: str) -> None:
    from assistant.core import Assistant
    from index.search import search_index_dir

    Assistant.open(small_index)
    path = next(search_index_dir(small_index).glob(damaged))
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2] if damaged.endswith("marshal") else b"garbage")
    answer = Assistant.open(small_index).ask("沁水县每年至少要解决几项制约安全发展的突出问题？")
    assert not answer.refused and "1—2项" in answer.answer


def test_no_staging_files_are_left_behind(small_index: Settings) -> None:
    from assistant.core import Assistant

    Assistant.open(small_index)
    leftovers = [p for p in small_index.index_dir.rglob("*") if p.name.startswith(".building-") or p.suffix == ".tmp"]
    assert leftovers == []


def test_an_unwritable_index_folder_is_a_clear_error(tmp_path: Path) -> None:
    from index.store import IndexNotReady

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")  # root ignores permissions, so a file stands in for a read-only disk
    settings = Settings(source_dir=BUNDLED, index_dir=blocker / "index", embedding_model="none")
    with pytest.raises(IndexNotReady, match="无法写入索引目录"):
        build(settings)
