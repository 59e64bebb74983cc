"""Quiz export: JSON, a DOCX exam paper with a separate answer key, an XLSX question bank."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from assistant.quiz import QuizItem, QuizType

TYPE_NAMES = {
    QuizType.SINGLE: "单选题",
    QuizType.MULTI: "多选题",
    QuizType.JUDGE: "判断题",
    QuizType.BLANK: "填空题",
    QuizType.SHORT: "简答题",
}
BANK_COLUMNS = [
    "序号",
    "题型",
    "题干",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "选项E",
    "答案",
    "解析",
    "出处",
    "条款",
    "原文",
]


def answer_text(item: QuizItem) -> str:
    if item.type is QuizType.JUDGE:
        return "正确" if item.answer else "错误"
    return str(item.answer)


def source_text(item: QuizItem) -> str:
    number = f"（{item.notice.doc_number}）" if item.notice.doc_number else ""
    return f"{item.notice.issuer}{item.notice.year}年《{item.notice.display_title}》{number}"


def to_json(items: Sequence[QuizItem]) -> str:
    return json.dumps([item.to_dict() for item in items], ensure_ascii=False, indent=1)


def _ordered(items: Sequence[QuizItem]) -> list[tuple[QuizType, list[QuizItem]]]:
    return [(t, [i for i in items if i.type is t]) for t in QuizType if any(i.type is t for i in items)]


def write_docx(items: Sequence[QuizItem], paper: Path, title: str = "安全生产工作通知学习测试") -> Path:
    """Write the paper to `paper` and the answer key beside it (``…-答案.docx``); returns the key's path."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph("姓名：__________    单位：__________    得分：__________")
    number = 0
    for quiz_type, group in _ordered(items):
        document.add_heading(TYPE_NAMES[quiz_type], level=2)
        for item in group:
            number += 1
            document.add_paragraph(f"{number}. {item.stem}")
            for letter, option in (item.options or {}).items():
                document.add_paragraph(f"    {letter}. {option}")
            if quiz_type is QuizType.SHORT:
                document.add_paragraph("答：" + "_" * 40)
    document.save(paper)
    key_path = paper.with_name(f"{paper.stem}-答案{paper.suffix}")
    key = docx.Document()
    key.add_heading(f"{title}（答案与出处）", level=1)
    number = 0
    for quiz_type, group in _ordered(items):
        key.add_heading(TYPE_NAMES[quiz_type], level=2)
        for item in group:
            number += 1
            key.add_paragraph(f"{number}. 答案：{answer_text(item)}")
            key.add_paragraph(f"    出处：{source_text(item)}{item.path}")
            key.add_paragraph(f"    原文：{item.quote}")
    key.save(key_path)
    return key_path


def write_xlsx(items: Sequence[QuizItem], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "题库"
    sheet.append(BANK_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, item in enumerate(items, 1):
        options = [(item.options or {}).get(letter, "") for letter in "ABCDE"]
        sheet.append(
            [
                number,
                TYPE_NAMES[item.type],
                item.stem,
                *options,
                answer_text(item),
                item.explanation,
                source_text(item),
                item.path,
                item.quote,
            ]
        )
    for column, width in zip("ABCDEFGHIJKLM", (6, 8, 60, 16, 16, 16, 16, 16, 20, 40, 40, 14, 60), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(path)
