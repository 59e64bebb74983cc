"""Clause segmentation: the numbering hierarchy 一、 → （一） → 1. → （1）.

Markers are recognised in full- and half-width forms (``（四）``/``(四)``,
``1.``/``1．``/``1、``) and checked against the running number of their level,
so a line that merely starts with a number is not taken for a new clause, and
numbering that runs on across sections (（十）… under 二、, （十一） under 三、) is
accepted as well as numbering that restarts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from index.normalize import normalize
from index.records import Anomaly, AnomalyKind, Clause, Responsibility

CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    # an 办法/规定/细则 issued with a notice is numbered by chapter and article: 第一章 总则 / 第三条 …
    (0, re.compile(r"^第(?P<num>[一二三四五六七八九十]{1,3})(?P<kind>章)(?=\s|$|[\u4e00-\u9fff])")),
    (1, re.compile(r"^第(?P<num>[一二三四五六七八九十]{1,3})(?P<kind>条)(?=\s|[\u4e00-\u9fff（(“])")),
    # 一、 and, as web copies often write it, 一. or 一．
    (1, re.compile(r"^(?P<num>[一二三四五六七八九十]{1,3})\s*(?:、|[.．](?!\d))")),
    (2, re.compile(r"^[（(]\s*(?P<num>[一二三四五六七八九十]{1,4})\s*[）)]")),
    (3, re.compile(r"^(?P<num>\d{1,3})\s*[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\s*(?P<num>\d{1,3})\s*[）)]")),
)

# How far a number may jump ahead of its predecessor and still be a marker: the
# sources occasionally skip an item, but a long jump is a number inside prose.
_MAX_STEP = 3

SENTENCE_END = "。；;！!？?）)”’…：:"


def chinese_to_int(numeral: str) -> int:
    """Convert a Chinese numeral up to 99 (一, 十, 十一, 二十, 二十三)."""
    if "十" not in numeral:
        return CHINESE_DIGITS[numeral]
    tens, _, ones = numeral.partition("十")
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[ones] if ones else 0)


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三, 20 → 二十, 99 → 九十九 (the inverse of `chinese_to_int`)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(number, 10)
    if tens == 0:
        return digits[ones]
    return f"{'' if tens == 1 else digits[tens]}十{digits[ones] if ones else ''}"


@dataclass(frozen=True)
class Marker:
    level: int
    number: int
    numeral: str  # as written: 十一 or 11
    length: int  # characters of the line the marker occupies
    kind: str = ""  # 章 or 条 for chapter and article numbering (第一章, 第三条)

    @property
    def label(self) -> str:
        """Canonical full-width display form."""
        if self.kind:
            return f"第{self.numeral}{self.kind}"
        return {1: f"{self.numeral}、", 2: f"（{self.numeral}）", 3: f"{self.numeral}.", 4: f"（{self.numeral}）"}[
            self.level
        ]


def match_marker(line: str) -> Marker | None:
    """The numbering marker at the start of `line` (already stripped), if any."""
    for level, pattern in _MARKERS:
        found = pattern.match(line)
        if found:
            numeral = found.group("num")
            number = int(numeral) if numeral.isdigit() else chinese_to_int(numeral)
            return Marker(level, number, numeral, found.end(), found.groupdict().get("kind") or "")
    return None


_LEADING_MARKER = re.compile(
    r"^\s*(第[一二三四五六七八九十]+[章条]|[一二三四五六七八九十]+(?:、|[.．](?!\d))|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])\s*"
)


def strip_marker(text: str) -> str:
    """`text` without a leading item number (``1. 煤矿。`` -> ``煤矿。``), for stems and leads, never for quotes."""
    return _LEADING_MARKER.sub("", text)


class MarkerSequence:
    """Accepts a marker only when its number follows the last one of its level."""

    def __init__(self) -> None:
        self.last: dict[int, int] = {}

    def accept(self, marker: Marker) -> bool:
        last = self.last.get(marker.level, 0)
        ok = marker.number == 1 or last < marker.number <= last + _MAX_STEP
        if ok:
            # no reset of deeper levels: a number that runs on across sections is as valid as one that restarts at 1
            self.last[marker.level] = marker.number
        return ok


def heading_of(line_after_marker: str) -> str:
    """The short heading at the start of a clause line (up to the first 。 when it is short)."""
    text = line_after_marker.strip().lstrip("：: ")
    for stop in ("。", "：", ":"):
        position = text.find(stop)
        if 0 < position <= 40:
            return text[:position].strip()
    if len(text) <= 40:
        return text.rstrip("。；;，,").strip()
    return text[:20] + "…"


@dataclass
class _OpenClause:
    marker: Marker | None
    clause_id: str
    path: tuple[str, ...]
    headings: tuple[str, ...]
    parent_id: str | None
    lines: list[str] = field(default_factory=list)
    has_children: bool = False


def segment_clauses(
    notice_id: str,
    preamble: Sequence[str | None],
    body: Sequence[str],
    normalized_notice: str,
    is_noise: Callable[[str], bool],
) -> tuple[list[Clause], list[Anomaly]]:
    """Split a notice's preamble and numbered body lines into clauses.

    `body` starts at the first top-level marker. Lines for which `is_noise`
    is true (URLs, page furniture) are skipped; `normalized_notice` is the
    notice's normalized text (without those lines), into which the clause
    offsets point. A None in `preamble` marks a gap (a signature, a title):
    the preamble is cut there, 导语 then 导语~2.
    """
    opened: list[_OpenClause] = []
    used_ids: set[str] = set()
    for run in _runs(preamble, is_noise):
        opened.append(_OpenClause(None, _unique(f"{notice_id}/导语", used_ids), (), (), None, run))

    wrap = _wrap_width(body)
    sequence = MarkerSequence()
    stack: list[_OpenClause] = []
    for raw in body:
        line = raw.strip()
        if not line or is_noise(raw):
            continue
        marker = match_marker(line)
        if marker is not None and sequence.accept(marker):
            while stack and stack[-1].marker is not None and stack[-1].marker.level >= marker.level:
                stack.pop()
            parent = stack[-1] if stack else None
            if parent is not None:
                parent.has_children = True
            path = (parent.path if parent else ()) + (marker.label,)
            numerals = [_numeral_of(label) for label in path]
            clause_id = _unique(f"{notice_id}/{'.'.join(numerals)}", used_ids)
            headings = (parent.headings if parent else ()) + (heading_of(line[marker.length :]),)
            current = _OpenClause(marker, clause_id, path, headings, parent.clause_id if parent else None, [line])
            opened.append(current)
            stack.append(current)
        elif opened:
            current = opened[-1]
            if (
                len(current.lines) == 1
                and current.marker is not None
                and _stands_as_heading(current.lines[0], wrap)
                and not _wraps_into(current.lines[0], line)
            ):
                # "八、加强安全生产应急管理" on its own line: a heading, not the start of the sentence below
                line = "\n" + line
            elif is_table_row(line) or is_table_row(current.lines[-1]):
                line = "\n" + line  # a table copied from a web page keeps one row per line
            current.lines.append(line)
    return _located(notice_id, opened, normalized_notice)


def _runs(preamble: Sequence[str | None], is_noise: Callable[[str], bool]) -> list[list[str]]:
    runs: list[list[str]] = [[]]
    for raw in preamble:
        if raw is None:
            runs.append([])
        elif raw.strip() and not is_noise(raw):
            runs[-1].append(raw.strip())
    return [run for run in runs if run]


def _wrap_width(lines: Sequence[str]) -> int:
    """The width at which the source wraps its lines (0 when it does not wrap): the 90th percentile length."""
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    return lengths[int(len(lengths) * 0.9)] if len(lengths) >= 10 else 0


def _stands_as_heading(line: str, wrap: int) -> bool:
    """A marker line that ends without punctuation well before the wrap width is a heading of its own."""
    text = line.strip()
    if not text or text[-1] in SENTENCE_END + "，,、":
        return False
    return len(text) <= 40 and (wrap == 0 or len(text) < 0.75 * wrap)


def is_table_row(line: str) -> bool:
    """A row of a table as web pages are copied: cells between | bars (烟花爆竹 | 1月份 | 安监站 |)."""
    return line.count("|") >= 2


def table_cells(row: str) -> list[str]:
    """The cells of a table row (`is_table_row`), stripped, empty ones kept (a merged cell)."""
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _wraps_into(line: str, next_line: str) -> bool:
    """Whether a word runs across the break between `line` and `next_line` (承诺制度，严 | 格落实: 严格).

    A PDF can break a numbered item's first line where a heading would end; a heading ends
    at a word boundary, so a word spanning the break shows the line was wrapped.
    """
    import jieba

    tail, head = line.strip()[-4:], next_line.strip()[:4]
    if not tail or not head or not _is_han(tail[-1]) or not _is_han(head[0]):
        return False
    boundary = len(tail)
    position = 0
    for word in jieba.cut(tail + head, HMM=False):
        if position < boundary < position + len(word):
            return True
        position += len(word)
    return False


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def segment_paragraphs(notice_id: str, paragraphs: Sequence[str], normalized_notice: str):
    """A document without numbering: each paragraph a clause (第1段, 第2段, …)."""
    opened = []
    for number, paragraph in enumerate((p.strip() for p in paragraphs if p.strip()), 1):
        label = f"第{number}段"
        opened.append(_OpenClause(None, f"{notice_id}/{label}", (label,), (), None, [paragraph]))
    return _located(notice_id, opened, normalized_notice)


def _located(notice_id: str, opened, normalized_notice: str) -> tuple[list[Clause], list[Anomaly]]:
    clauses: list[Clause] = []
    anomalies: list[Anomaly] = []
    cursor = 0
    for item in opened:
        text = "".join(item.lines)
        needle = normalize(text)
        start = normalized_notice.find(needle, cursor)
        if start < 0:  # cannot happen: clause lines are consecutive kept lines of the same text (a bug if it does)
            raise AssertionError(f"{item.clause_id}: 条款不在通知正文中（解析器内部错误）")
        cursor = start + len(needle)
        clause = Clause(
            clause_id=item.clause_id,
            notice_id=notice_id,
            path=item.path,
            headings=item.headings,
            text=text,
            start=start,
            end=cursor,
            parent_id=item.parent_id,
            units=tuple(inline_responsibilities(text) + table_responsibilities(text)),
        )
        clauses.append(clause)
        anomalies.extend(find_anomalies(clause, leaf=not item.has_children))
    return clauses, anomalies


def _numeral_of(label: str) -> str:
    return label.strip("（）、.")


def _unique(candidate: str, used: set[str]) -> str:
    clause_id, suffix = candidate, 2
    while clause_id in used:
        clause_id = f"{candidate}~{suffix}"
        suffix += 1
    used.add(clause_id)
    return clause_id


_OPEN = "（("
_CLOSE = "）)"


def parentheticals(text: str) -> Iterable[str]:
    """Top-level parenthesised passages of `text` (full or half width, nesting allowed)."""
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char in _OPEN:
            if depth == 0:
                start = index + 1
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                yield text[start:index]


_UNITS_PREFIX = re.compile(r"^\s*责任单位\s*[:：]\s*")
_UNITS_SUFFIX = re.compile(r"(负责|负责落实|分工负责|牵头|指导督促落实|督促落实)\s*$")


_UNITS_COLUMN = re.compile(r"^(责任单位|责任部门|牵头单位|负责单位|责任主体|牵头部门)")


def table_responsibilities(text: str) -> list[Responsibility]:
    """The units of each row of a table in the clause (cells between | bars) whose header names a 责任单位 column."""
    rows = [table_cells(line) for line in text.split("\n") if is_table_row(line)]
    column = next((i for i, cell in enumerate(rows[0]) if _UNITS_COLUMN.match(cell)), None) if rows else None
    if column is None:
        return []
    found = []
    for row in rows[1:]:
        if column < len(row) and row[column]:
            task = " | ".join(cell for i, cell in enumerate(row) if i != column and cell)
            found.append(Responsibility(units=row[column], task=task, origin="table"))
    return found


def inline_responsibilities(text: str) -> list[Responsibility]:
    """Responsible units named inline: ``（责任单位：…）`` or ``（…负责）``."""
    found = []
    for passage in parentheticals(text):
        if _UNITS_PREFIX.match(passage):
            found.append(Responsibility(units=_UNITS_PREFIX.sub("", passage).strip()))
        else:
            # "（省安委办和各市、县人民政府负责。以下均需市、县人民政府负责，不再一一列出）": the first sentence names the units
            first = passage.split("。")[0].strip()
            if _UNITS_SUFFIX.search(first) and len(first) <= 200:
                found.append(Responsibility(units=first))
    return found


_LATIN_WORD = re.compile(r"(?<![A-Za-z])[a-z]{3,}(?![A-Za-z])")
# 矽 is still in everyday mainland use (矽肺); reporting it would be noise.
_TRADITIONAL_ALLOWED = frozenset("矽")


def find_anomalies(clause: Clause, leaf: bool) -> list[Anomaly]:
    """Report source damage in one clause; the text itself is never changed."""
    found = []
    text = normalize(clause.text)
    if leaf and clause.path and text and text[-1] not in SENTENCE_END and len(text) > 30:
        found.append(Anomaly(AnomalyKind.TRUNCATED, clause.notice_id, clause.clause_id, f"…{text[-12:]}"))
    for word in _LATIN_WORD.findall(text):
        found.append(Anomaly(AnomalyKind.LATIN_WORD, clause.notice_id, clause.clause_id, word))
    for char in traditional_characters(text):
        found.append(Anomaly(AnomalyKind.TRADITIONAL_CHAR, clause.notice_id, clause.clause_id, char))
    return found


def traditional_characters(text: str) -> list[str]:
    """Characters that a traditional-to-simplified conversion would change."""
    import zhconv

    simplified = zhconv.convert(text, "zh-cn")
    if len(simplified) != len(text):  # a phrase mapping changed the length; compare per character
        simplified = "".join(zhconv.convert(char, "zh-cn") for char in text)
    return sorted({a for a, b in zip(text, simplified, strict=False) if a != b and a not in _TRADITIONAL_ALLOWED})
