"""Read a notice file (.txt in UTF-8/UTF-16/GB18030, .docx, .pdf, a saved web page) into text.

Every failure is a `ReadError` with a message a user can act on; nothing here
writes anywhere, so a bad file can never damage an index.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

# Bounds on what a file may unpack to: a notice's .docx is a few MB at most, a PDF a few hundred pages.
MAX_UNPACKED_BYTES = 100_000_000
MAX_COMPRESSION_RATIO = 200
MAX_PDF_PAGES = 500


class ReadError(ValueError):
    """A file that cannot be read as a notice; the message says why."""


def read_notice_file(path: Path, max_bytes: int) -> str:
    """Return the text of the notice file at `path`."""
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise ReadError(unsupported_message(path.name, suffix))
    size = path.stat().st_size
    if size == 0:
        raise ReadError(f"{path.name}: 文件为空")
    if size > max_bytes:
        raise ReadError(f"{path.name}: 文件过大（{size / 1e6:.1f} MB，上限 {max_bytes / 1e6:.1f} MB）")
    return read_notice_bytes(path.read_bytes(), path.name)


def read_notice_bytes(data: bytes, name: str) -> str:
    """Return the text of a notice given as bytes; `name` picks the format."""
    suffix = Path(name).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise ReadError(unsupported_message(name, suffix))
    if not data:
        raise ReadError(f"{name}: 文件为空")
    text = reader(data, name)
    if not text.strip():
        raise ReadError(f"{name}: 文件中没有文字内容")
    return text


def decode_text(data: bytes, name: str) -> str:
    """Decode plain text: BOMs first, then strict UTF-8, then GB18030 (covers GBK/GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", name)
    if _looks_binary(data):
        raise ReadError(f"{name}: 这是二进制文件，不是文本（含有控制字符）")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise ReadError(f"{name}: 无法识别的文字编码（既不是 UTF-8 也不是 GBK/GB18030）") from None
    if not _plausible_chinese(text):
        raise ReadError(f"{name}: 无法识别的文字编码（按 GB18030 解码后不是正常中文）")
    return text


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ReadError(f"{name}: 文件声明为 {encoding} 但内容损坏") from None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(sample) * 0.02


def _plausible_chinese(text: str) -> bool:
    """Bytes in another encoding decode as GB18030 into rare characters; real GBK text is mostly GB2312."""
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return sum(ch.isprintable() or ch.isspace() for ch in text) > len(text) * 0.95
    common = 0
    for ch in cjk:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= len(cjk) * 0.9


def _check_archive(data: bytes, name: str) -> None:
    """Refuse a zip bomb and XML entity declarations before any XML is parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            unpacked = sum(member.file_size for member in members)
            if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_COMPRESSION_RATIO * max(len(data), 1):
                raise ReadError(f"{name}: .docx 解压后异常巨大（{unpacked / 1e6:.0f} MB），疑似压缩炸弹，已拒绝")
            for member in members:
                if member.filename.endswith(".xml") or member.filename.endswith(".rels"):
                    with archive.open(member) as stream:
                        head = stream.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise ReadError(f"{name}: .docx 含有 XML 实体声明（正常文档不会有），已拒绝")
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        raise ReadError(f"{name}: .docx 压缩包已损坏或加密，无法打开（{type(error).__name__}）") from None


def _read_docx(data: bytes, name: str) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError(f"{name}: 不是有效的 .docx 文件（.docx 应为 zip 压缩包，可能已损坏或扩展名错误）")
    _check_archive(data, name)
    try:
        import docx
    except ImportError as error:  # pragma: no cover - declared dependency
        raise ReadError("读取 .docx 需要 python-docx：pip install python-docx") from error
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:
        raise ReadError(f"{name}: .docx 文件已损坏，无法打开（{type(error).__name__}）") from None
    from docx.table import Table

    from index.wordlists import ListNumbering

    numbering = ListNumbering(document)
    lines: list[str] = []
    # paragraphs and tables in reading order: a task table sits where the notice puts it
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            # tables become tab-separated rows, the same shape as the task table in the bundled .txt notices
            lines.append("")
            for row in block.rows:
                lines.extend("\t" + cell.text.replace("\n", "") for cell in row.cells)
                lines.append("")
            continue
        text = block.text
        label = numbering.label(block)  # Word's automatic 一、 （一） 1. numbering is not in the paragraph's text
        lines.append(text if not label or text.lstrip().startswith(label) else label + text.lstrip())
    return "\n".join(lines)


def _read_pdf(data: bytes, name: str) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as error:  # pragma: no cover - declared dependency
        raise ReadError("读取 .pdf 需要 pypdf：pip install pypdf") from error
    if not data.startswith(b"%PDF"):
        raise ReadError(f"{name}: 不是有效的 PDF 文件（缺少 %PDF 文件头）")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ReadError(f"{name}: PDF 已加密，请先去掉密码保护再上传")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ReadError(f"{name}: PDF 页数过多（{len(reader.pages)} 页，上限 {MAX_PDF_PAGES} 页）")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        raise ReadError(f"{name}: PDF 文件已损坏，无法读取（{type(error).__name__}）") from None
    except Exception as error:  # a malformed PDF can fail anywhere inside the library; never a crash
        raise ReadError(f"{name}: PDF 文件无法读取（{type(error).__name__}）") from None
    text = "\n".join(pages)
    if not text.strip():
        raise ReadError(f"{name}: PDF 中没有可提取的文字（可能是扫描件，需要先做文字识别）")
    return text


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
# tags whose end (or start) is a line break in the page as shown
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "ul",
        "ol",
        "dd",
        "dt",
        "blockquote",
        "pre",
        "hr",
        "title",
        "center",
        "form",
    ]
)
_HIDDEN_TAGS = frozenset(
    ["script", "style", "noscript", "template", "head", "select", "option", "iframe", "object", "svg"]
)


class _Table:
    """A <table> being read: where its text starts in the page, its rows of cells, whether it holds a table."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.nested = False

    def is_data(self) -> bool:
        # a table of data (a schedule, a task division): rows of several short cells; a page laid out in tables
        # has its article in one big cell, or tables inside tables
        rows = [row for row in self.rows if len(row) >= 2]
        return not self.nested and len(rows) >= 2 and all(len(cell) <= _CELL_CHARS for row in rows for cell in row)


_CELL_CHARS = 200


class _PageText(HTMLParser):
    """The text a browser shows of a page: hidden parts dropped, block elements on lines of their own, a table of
    data one row per line with its cells between | bars (as a table copied from the page reads)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.tables: list[_Table] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "body":
            self.hidden = 0  # a page that never closes its <head> (browsers close it here)
        elif tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if self.hidden:
            return
        if tag == "table":
            if self.tables:
                self.tables[-1].nested = True
            self.tables.append(_Table(len(self.parts)))
        elif tag == "tr" and self.tables:
            self._end_row(self.tables[-1])
            self.tables[-1].row = []
        elif tag in ("td", "th") and self.tables:
            self._end_cell(self.tables[-1])
            self.tables[-1].cell = []

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if self.hidden or not self.tables:
            return
        table = self.tables[-1]
        if tag in ("td", "th"):
            self._end_cell(table)
        elif tag == "tr":
            self._end_row(table)
        elif tag == "table":
            self._end_row(table)
            self.tables.pop()
            if table.is_data():
                rows = [" | ".join(row) + " |" for row in table.rows if any(row)]
                self.parts[table.start :] = ["\n" + "\n".join(rows) + "\n"]

    def _end_cell(self, table: _Table) -> None:
        if table.cell is not None:
            if table.row is None:
                table.row = []
            table.row.append(re.sub(r"\s+", " ", "".join(table.cell)).strip())
            table.cell = None

    def _end_row(self, table: _Table) -> None:
        self._end_cell(table)
        if table.row is not None:
            table.rows.append(table.row)
            table.row = None

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            # HTML collapses layout whitespace; a no-break space (&nbsp; indentation) is layout too
            text = re.sub(r"[\s\u00a0\u3000]+", " ", data)
            self.parts.append(text)
            if self.tables and self.tables[-1].cell is not None:
                self.tables[-1].cell.append(text)

    def text(self) -> str:
        lines = (line.strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def _read_html(data: bytes, name: str) -> str:
    """A web page saved from a government site (.html/.htm/.shtml): its visible text, one block per line."""
    declared = _CHARSET.search(data[:4096])
    encoding = declared.group(1).decode("ascii").lower() if declared else None
    if encoding in {"gb2312", "gbk", "gb18030", "x-gbk", "cp936"}:
        encoding = "gb18030"
    try:
        markup = data.decode(encoding) if encoding and not data.startswith(b"\xef\xbb\xbf") else None
    except (LookupError, UnicodeDecodeError):
        markup = None  # a wrong declaration: read it as any text file
    if markup is None:
        markup = decode_text(data, name)
    if not re.search(r"<\s*(html|body|p|div|br|table|meta)\b", markup[:200_000], re.IGNORECASE):
        raise ReadError(f"{name}: 扩展名是网页，但内容不是 HTML")
    parser = _PageText()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError) as error:  # html.parser gives up only on the most broken markup
        raise ReadError(f"{name}: 网页无法解析（{type(error).__name__}）") from None
    return parser.text()


def unsupported_message(name: str, suffix: str) -> str:
    hint = "（请在 Word 或 WPS 中“另存为” .docx 后上传）" if suffix in {".doc", ".wps", ".rtf"} else ""
    return f"{name}: 不支持的文件类型 {suffix or '(无扩展名)'}，仅支持 {'、'.join(READERS)}{hint}"


# One reader per file type: (bytes, file name) → text, raising `ReadError`. A new format is one function and one entry.
READERS: dict[str, Callable[[bytes, str], str]] = {
    ".txt": decode_text,
    ".docx": _read_docx,
    ".pdf": _read_pdf,
    ".html": _read_html,
    ".htm": _read_html,
    ".shtml": _read_html,
}
SUPPORTED_SUFFIXES = tuple(READERS)
