"""Questions about a notice itself: its 文号, 印发日期, 标题 or 发文机关, answered from the index with a citation.

The facts come from the parsed notice record (title, 文号 line, signature date), not
from any clause text; the citation quotes the notice's opening sentence, verbatim,
so the card shows which notice the facts belong to. A field the notice does not
state is said to be missing, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from index.passages import split_sentences
from index.records import Clause, Notice


class NoticeField(StrEnum):
    DOC_NUMBER = "doc_number"
    DATE = "date"
    TITLE = "title"
    ISSUER = "issuer"


_ASKS = (
    (NoticeField.DOC_NUMBER, re.compile(r"文号|发文字号|发文号|文件号|字号是|几号文")),
    (
        NoticeField.DATE,
        re.compile(
            r"(什么时候|啥时候|哪天|何时|哪一天|几月几号|几号|日期|时间).{0,4}(印发|发布|下发|发的|出的|发文|成文|签发|出台)|"
            r"(印发|发布|下发|成文|签发|出台)(日期|时间)"
        ),
    ),
    (
        NoticeField.ISSUER,
        re.compile(
            r"(哪个|哪家|什么|啥)(单位|部门|机关|政府).{0,3}(发的|印发|发布|下发|出的)|发文机关|谁(发的|印发|下发|发布|出的)"
        ),
    ),
    (NoticeField.TITLE, re.compile(r"(标题|题目|全称|名称)(是|叫)|叫(什么|啥)(名字)?(的)?(文件|通知)|文件(名|的名字)")),
)
# "这份通知要求什么" is about the contents; a metadata question names the document it asks about.
_DOCUMENT = re.compile(r"通知|文件|意见|文|方案|计划|要点|规划|办法")


_LIBRARY = re.compile(
    r"(有|收录了?|包括|包含|存了|都有|能查)(哪些|哪几份|几份|多少份?|啥|什么)(通知|文件|政策)|"
    r"(通知|文件)(有哪些|都有啥|都有哪些|有几份|有多少|清单|目录|列表)"
)


def asks_for_library(question: str) -> bool:
    """Whether the question asks which notices the assistant holds (有哪些通知, 收录了什么文件)."""
    return bool(_LIBRARY.search(question))


def describe(notice: Notice) -> str:
    """One line naming a notice: issuer, year, title and 文号 as the index holds them."""
    number = f"（{notice.doc_number}）" if notice.doc_number else ""
    return f"{notice.issuer}{notice.year}年《{notice.display_title}》{number}"


def asked_field(question: str) -> NoticeField | None:
    """The notice field a question asks for, or None for a question about what notices say."""
    if not _DOCUMENT.search(question):
        return None
    for field, pattern in _ASKS:
        if pattern.search(question):
            return field
    return None


def _date_text(iso: str | None) -> str | None:
    if not iso:
        return None
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


def statement(notice: Notice, field: NoticeField) -> str:
    """One sentence stating `field` of `notice`, or saying that the notice does not state it."""
    name = f"{notice.issuer.removesuffix('人民政府')}{notice.year}年的《{notice.display_title}》"
    inferred = field.value in notice.inferred
    note = "（由文件内容推定）" if inferred else ""
    if field is NoticeField.DOC_NUMBER:
        return f"{name}的文号是{notice.doc_number}{note}" if notice.doc_number else f"{name}原文没有写明文号"
    if field is NoticeField.DATE:
        date = _date_text(notice.date)
        return f"{name}的成文（印发）日期是{date}{note}" if date else f"{name}原文没有写明印发日期"
    if field is NoticeField.ISSUER:
        return f"{name}的发文机关是{notice.issuer}{note}"
    return (
        f"{notice.issuer}{notice.year}年这份文件的标题是《{notice.title}》" if notice.title else f"{name}原文没有标题"
    )


def opening(clauses: Sequence[Clause]) -> tuple[Clause, str] | None:
    """The notice's first clause and its first sentence: what the citation of a metadata answer quotes."""
    for clause in clauses:
        sentences = split_sentences(clause.text)
        if sentences:
            return clause, sentences[0].strip()
    return None
