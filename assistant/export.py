"""Quiz export: JSON, a DOCX exam paper (A4) with a separate answer key, an XLSX question bank.

Every export numbers the items in one order, `paper_order` (grouped by type as on the paper), so item 7 of the
preview is item 7 of the paper, the key and the bank.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.quiz import DIFFICULTY_LABELS, TYPE_LABELS, Difficulty, QuizItem, QuizType

# the columns exam platforms import, then where the item comes from
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
    "分值",
    "难度",
    "知识点",
    "出处",
    "主题",
    "条款",
    "原文",
]
_WIDTHS = (6, 10, 60, 16, 16, 16, 16, 16, 24, 50, 6, 6, 30, 40, 12, 14, 60)


def answer_text(item: QuizItem) -> str:
    if item.type is QuizType.JUDGE:
        return "正确" if item.answer else "错误"
    return str(item.answer)


def source_text(item: QuizItem) -> str:
    return item.notice.reference(with_number=True)


def paper_order(items: Sequence[QuizItem]) -> list[QuizItem]:
    """The items as the paper prints them: by type (single, multi, judge, blank, short, case), stable within."""
    return [item for quiz_type in QuizType for item in items if item.type is quiz_type]


def to_json(items: Sequence[QuizItem]) -> str:
    return json.dumps([item.to_dict() for item in paper_order(items)], ensure_ascii=False, indent=1)


def _sections(items: Sequence[QuizItem]) -> list[tuple[QuizType, list[QuizItem]]]:
    ordered = paper_order(items)
    return [(t, [i for i in ordered if i.type is t]) for t in QuizType if any(i.type is t for i in ordered)]


def _a4(document) -> None:
    from docx.shared import Mm

    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)


def key_path_for(paper: Path) -> Path:
    return paper.with_name(f"{paper.stem}-答案{paper.suffix}")


def write_docx(items: Sequence[QuizItem], paper: Path, title: str = "安全生产工作通知学习测试") -> Path:
    """Write the paper to `paper` and the answer key beside it (``…-答案.docx``); returns the key's path."""
    import docx

    document = docx.Document()
    _a4(document)
    document.add_heading(title, level=1)
    total = sum(item.marks for item in items)
    document.add_paragraph(f"姓名：__________    单位：__________    得分：__________    （满分 {total} 分）")
    number = 0
    for quiz_type, group in _sections(items):
        marks = sum(item.marks for item in group)
        document.add_heading(f"{TYPE_LABELS[quiz_type]}（共 {len(group)} 题，{marks} 分）", level=2)
        for item in group:
            number += 1
            document.add_paragraph(f"{number}. {item.stem}（{item.marks}分）")
            for letter, option in (item.options or {}).items():
                document.add_paragraph(f"    {letter}. {option}")
            if quiz_type in (QuizType.SHORT, QuizType.CASE):
                for _ in range(4):
                    document.add_paragraph("_" * 48)
    document.save(str(paper))
    key_path = key_path_for(paper)
    key = docx.Document()
    _a4(key)
    key.add_heading(f"{title}（答案与出处）", level=1)
    number = 0
    for quiz_type, group in _sections(items):
        key.add_heading(TYPE_LABELS[quiz_type], level=2)
        for item in group:
            number += 1
            if item.points:
                key.add_paragraph(f"{number}. 得分要点（共 {item.marks} 分）：")
                for n, point in enumerate(item.points, 1):
                    key.add_paragraph(f"    （{n}）{point.text}（{point.marks}分）")
            else:
                key.add_paragraph(f"{number}. 答案：{answer_text(item)}")
            key.add_paragraph(f"    出处：{source_text(item)}{item.path}")
            key.add_paragraph(f"    原文：{item.quote}")
    key.save(str(key_path))
    return key_path


def bank_rows(items: Sequence[QuizItem]) -> list[list[object]]:
    """One row per item in `BANK_COLUMNS` order, numbered as on the paper."""
    rows = []
    for number, item in enumerate(paper_order(items), 1):
        options = [(item.options or {}).get(letter, "") for letter in "ABCDE"]
        difficulty = item.tags.get("difficulty")
        rows.append(
            [
                number,
                TYPE_LABELS[item.type],
                item.stem,
                *options,
                answer_text(item),
                item.explanation,
                item.marks,
                DIFFICULTY_LABELS[Difficulty(difficulty)] if difficulty else "",
                item.tags.get("knowledge_point", ""),
                f"{source_text(item)}{item.path}",
                item.tags.get("topic", ""),
                item.clause_id,
                item.quote,
            ]
        )
    return rows


def write_xlsx(items: Sequence[QuizItem], path: Path) -> None:
    write_sheet(path, "题库", BANK_COLUMNS, bank_rows(items), _WIDTHS)


def write_sheet(
    path: Path,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[int],
    date_column: int | None = None,
) -> None:
    """One sheet people keep working in: bold frozen header, wrapped text, column widths, an optional date column
    (0-based) formatted as a date, and filters when it has one."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if date_column is not None:
            line[date_column].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    if date_column is not None:
        sheet.auto_filter.ref = sheet.dimensions
    book.save(path)
