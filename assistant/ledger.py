"""The task ledger (任务清单/工作台账): what a unit or a level must do under a notice, by when, with what figure.

A row is one clause and one responsible unit, as the notice assigns it: inline (（责任单位：…）, （…等部门分工负责）),
from the task-division table, or carried forward by a note (以下均需市、县人民政府负责，不再一一列出). The task is the
clause's own text up to its responsibility note, verbatim. Unit names are matched the way notices write them:
市应急局 is 市应急管理局, 省应急厅 is the province's 应急管理 office, 各县（区）人民政府 is every county's government.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from assistant.facts import FIGURE, FREQUENCY, tidy
from index.clauses import parentheticals, strip_marker
from index.normalize import is_verbatim, normalize
from index.passages import is_heading_only
from index.records import Clause, Level, Notice, Responsibility
from index.store import Corpus


class Role(StrEnum):
    LEAD = "牵头"
    RESPONSIBLE = "负责"
    ASSIST = "配合"
    SUPERVISE = "指导督促"  # 指导督促落实 / 督促企业落实: the unit sees that others do it


class LedgerError(ValueError):
    """A notice that is not in the library, or a level that does not exist."""


# Abbreviations notices use for the same office (市应急局 = 市应急管理局); longest first when expanding.
_ABBREVIATIONS = {
    "应急局": "应急管理局",
    "应急厅": "应急管理厅",
    "住建局": "住房和城乡建设局",
    "住建厅": "住房和城乡建设厅",
    "住房和城乡建设管理局": "住房和城乡建设局",
    "交通局": "交通运输局",
    "交通厅": "交通运输厅",
    "市场监管局": "市场监督管理局",
    "文旅局": "文化和旅游局",
    "文旅厅": "文化和旅游厅",
    "卫健委": "卫生健康委员会",
    "卫健局": "卫生健康局",
    "工信局": "工业和信息化局",
    "工信厅": "工业和信息化厅",
    "发改委": "发展和改革委员会",
    "发展改革委": "发展和改革委员会",
    "发展改革局": "发展和改革局",
    "林草局": "林业和草原局",
    "城管局": "城市管理局",
    "消防局": "消防救援局",
    "审批局": "行政审批服务管理局",
    "人民政府": "政府",
}
_LEVEL_PREFIX = re.compile(
    r"^(?:各相关|各有关|各)?(?P<level>省级|省|市级|市|县级|县|区|乡镇|乡|镇)(?:（[^）]*）|\([^)]*\))?"
)
_LEVEL_WORDS = {"省": Level.PROVINCE, "市": Level.CITY, "县": Level.COUNTY, "区": Level.COUNTY, "乡": Level.TOWN}
_ROLE_WORDS = [
    ("指导督促落实", Role.SUPERVISE),
    ("督促企业落实", Role.SUPERVISE),
    ("督促落实", Role.SUPERVISE),
    ("分工负责", Role.RESPONSIBLE),
    ("负责落实", Role.RESPONSIBLE),
    ("牵头", Role.LEAD),
    ("配合", Role.ASSIST),
    ("协助", Role.ASSIST),
    ("负责", Role.RESPONSIBLE),
]
# 省安委办和各市、县人民政府 joins two units; 住房和城乡建设局, 规划和自然资源局 are one
_JOINED = re.compile(r"(?<=[局厅办委府会队部站心司处所院])[和及](?=[各省市县区乡镇国])")
_TRAILING = re.compile(r"(?:等有关部门|等相关部门|等部门|有关部门|等单位|等)$")
_CARRIED = re.compile(r"以下(?:均需|均由|均请)(?P<units>[^，。；）)]{2,40}?)负责")

# deadlines: 6月底前, 2025年6月底前, 9月30日前, 年底前, 年内, 上半年; frequencies stay as text
_MONTH_END = re.compile(r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?:底|末)(?:前|之前)?")
_DAY = re.compile(r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日\s*(?:前|之前|以前)")
# 年内 of 3年内 is a duration, not this year
_YEAR_END = re.compile(
    r"(?:(?P<year>\d{4})\s*年\s*)?(?<![\d一二三四五六七八九十两几])(?:年底前|年底|年内|年末|年底之前)"
)
_HALF = re.compile(r"上半年")
_STANDING = re.compile(r"长期坚持|常态化")


@dataclass(frozen=True)
class Assignment:
    unit: str  # as the notice writes it (市应急局), with a level word borrowed where the notice shares it
    role: Role
    carried: bool = False  # from a 以下均需…负责 note, not from the clause itself


@dataclass(frozen=True)
class LedgerRow:
    task: str  # verbatim from the clause
    unit: str
    role: Role
    deadline: date | None
    deadline_text: str
    figures: tuple[str, ...]
    notice_id: str
    clause_id: str
    path: str
    quote: str  # = task; kept apart so a reader of the JSON finds the field every other output has
    carried: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "unit": self.unit,
            "role": str(self.role),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_text": self.deadline_text,
            "figures": list(self.figures),
            "notice_id": self.notice_id,
            "clause_id": self.clause_id,
            "path": self.path,
            "quote": self.quote,
        }


def split_units(units: str) -> list[Assignment]:
    """The units of one responsibility note with their roles: "市自然资源局牵头，市应急局、各县（市、区）政府配合"."""
    segments = [s.strip() for s in _split_outside_brackets(units, "，,；;。") if s.strip()]
    found: list[tuple[str, Role | None]] = []
    for segment in segments:
        role = None
        for word, named in _ROLE_WORDS:
            if segment.endswith(word):
                segment, role = segment[: -len(word)], named
                break
        names = [
            _TRAILING.sub("", name.strip()).strip()
            for part in _split_outside_brackets(segment, "、")
            for name in _JOINED.split(part)
            if name.strip()
        ]
        found += [(name, role) for name in _share_organ(names) if name]
    # a segment that states no role takes the role of the next that does (各县（区）人民政府，…，市应急局等部门
    # 分工负责), unless that role singles a unit out (…，市自然资源局牵头，…配合): then it is simply responsible
    assigned: list[Assignment] = []
    pending: list[str] = []
    for name, role in found:
        if role is None:
            pending.append(name)
            continue
        shared = role if role in (Role.RESPONSIBLE, Role.SUPERVISE) else Role.RESPONSIBLE
        assigned += [Assignment(n, shared) for n in pending] + [Assignment(name, role)]
        pending = []
    assigned += [Assignment(n, Role.RESPONSIBLE) for n in pending]
    return assigned


def _split_outside_brackets(text: str, separators: str) -> list[str]:
    """`text` split at `separators` that are not inside brackets (各县（市、区）政府 is one unit)."""
    parts, start, depth = [], 0, 0
    for index, char in enumerate(text):
        if char in "（(":
            depth += 1
        elif char in "）)" and depth:
            depth -= 1
        elif char in separators and not depth:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _share_organ(names: list[str]) -> list[str]:
    """各市、县人民政府 names two governments: a bare level word borrows the organ named after it."""
    result = []
    for index, name in enumerate(names):
        if re.fullmatch(r"各?(?:省|市|县|区|乡镇|乡|镇)(?:级)?", name) and index + 1 < len(names):
            following = _LEVEL_PREFIX.sub("", names[index + 1])
            name = name + following
        result.append(name)
    return result


def unit_level(unit: str, notice: Notice) -> Level | None:
    """The level a unit belongs to (市应急局 → 市; 各县（区）人民政府 → 县), or the notice's own for units
    named without one (经开区管委会, 负有安全生产监管职责的部门 in a city notice)."""
    match = _LEVEL_PREFIX.match(unit)
    if match is not None and _core(unit):
        return _LEVEL_WORDS[match.group("level")[0]]
    if unit.startswith(("国家", "武警", "军分区")):
        return None
    return notice.level


def _core(unit: str) -> str:
    """The office a unit name stands for, without level, place, or the 厅/局 that differs by level."""
    name = normalize(unit)
    name = _LEVEL_PREFIX.sub("", name)
    for short, full in sorted(_ABBREVIATIONS.items(), key=lambda item: -len(item[0])):
        if name.endswith(short) and not name.endswith(full):
            name = name[: -len(short)] + full
    return re.sub(r"(?:厅|局|委员会|委)$", "", name)


def unit_matches(query: str, unit: str) -> bool:
    """Whether `unit` as a notice writes it is the office `query` asks for.

    The query may name a place (广灵县应急管理局) or a level (县应急局) or neither (应急管理局); a notice's
    各县（区）人民政府 is every county's government, so 广灵县人民政府 matches it."""
    asked = normalize(query)
    asked_level = None
    place = re.match(r"^[\u4e00-\u9fff]{1,6}?(?=[省市县区](?!级))", asked)
    if place and not _LEVEL_PREFIX.match(asked):
        asked = asked[len(place.group()) :]
    level_match = _LEVEL_PREFIX.match(asked)
    if level_match:
        asked_level = _LEVEL_WORDS[level_match.group("level")[0]]
    wanted, have = _core(asked), _core(unit)
    if not wanted or wanted not in have:
        return False
    if asked_level is None:
        return True
    match = _LEVEL_PREFIX.match(normalize(unit))
    return match is None or _LEVEL_WORDS[match.group("level")[0]] is asked_level


def deadline_of(text: str, year: int) -> tuple[date | None, str]:
    """The earliest date the clause sets (in the notice's year unless it names one) and every time phrase
    it uses, frequencies and 长期坚持 included, as written."""
    dates: list[tuple[int, date, str]] = []
    for match in _DAY.finditer(text):
        when = _safe_date(int(match["year"] or year), int(match["month"]), int(match["day"]))
        if when:
            dates.append((match.start(), when, match.group()))
    for match in _MONTH_END.finditer(text):
        y, m = int(match["year"] or year), int(match["month"])
        if 1 <= m <= 12:
            dates.append((match.start(), date(y, m, calendar.monthrange(y, m)[1]), match.group()))
    for match in _YEAR_END.finditer(text):
        dates.append((match.start(), date(int(match["year"] or year), 12, 31), match.group()))
    for match in _HALF.finditer(text):
        dates.append((match.start(), date(year, 6, 30), match.group()))
    phrases = [(m.start(), m.group()) for m in FREQUENCY.finditer(text)]
    phrases += [(m.start(), m.group()) for m in _STANDING.finditer(text)]
    phrases += [(start, phrase) for start, _, phrase in dates]
    written = "；".join(dict.fromkeys(tidy(p) for _, p in sorted(phrases)))
    earliest = min((when for _, when, _ in dates), default=None)
    return earliest, written


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def task_text(clause: Clause, responsibility: Responsibility | None = None) -> str:
    """The clause's own words for the task: a task-table cell when it is verbatim in the clause, otherwise the
    clause up to its responsibility note. Always a verbatim part of the clause."""
    if responsibility is not None and responsibility.task and is_verbatim(responsibility.task, clause.text):
        return tidy(strip_marker(responsibility.task))
    text = clause.text
    for note in parentheticals(text):
        if re.search(r"负责|牵头|配合|责任单位|督促", note):
            cut = text.find(note)
            if cut > 0:
                text = text[: cut - 1]
                break
    return tidy(strip_marker(text))


def assignments(corpus: Corpus, notice_id: str) -> list[tuple[Clause, Assignment, Responsibility | None]]:
    """Every (clause, unit) assignment of a notice in source order, carried-forward notes included."""
    found: list[tuple[Clause, Assignment, Responsibility | None]] = []
    carried: list[Assignment] = []
    for clause in corpus.clauses_of(notice_id):
        own = [(a, r) for r in clause.units for a in split_units(r.units)]
        found += [(clause, a, r) for a, r in own]
        # 以下均需市、县人民政府负责，不再一一列出: every later item is theirs too, whoever else it names
        if clause.path and not is_heading_only(clause):
            named = {a.unit for a, _ in own}
            found += [(clause, a, None) for a in carried if a.unit not in named]
        for note in parentheticals(clause.text):
            match = _CARRIED.search(note)
            if match:
                carried = [Assignment(a.unit, a.role, carried=True) for a in split_units(match["units"])]
    return found


def ledger(
    corpus: Corpus,
    unit: str | None = None,
    notice_id: str | None = None,
    level: Level | None = None,
) -> list[LedgerRow]:
    """Rows for `unit` (any unit when None) under one notice or every notice, sorted by deadline (rows
    without a date last, in source order)."""
    notices = _notices(corpus, notice_id)
    rows = []
    for notice in notices:
        for clause, assignment, responsibility in assignments(corpus, notice.notice_id):
            if unit is not None and not unit_matches(unit, assignment.unit):
                continue
            if level is not None and unit_level(assignment.unit, notice) is not level:
                continue
            task = task_text(clause, responsibility)
            if not is_verbatim(task, clause.text):  # the task is shown as a quote: never one not in the clause
                continue
            deadline, deadline_text = deadline_of(task, notice.year)
            # a year (2025年) dates the task; it is not a target figure
            figures = tuple(
                dict.fromkeys(f for m in FIGURE.finditer(task) if not re.fullmatch(r"\d{4}年", f := tidy(m.group())))
            )
            rows.append(
                LedgerRow(
                    task=task,
                    unit=assignment.unit,
                    role=assignment.role,
                    deadline=deadline,
                    deadline_text=deadline_text,
                    figures=figures,
                    notice_id=notice.notice_id,
                    clause_id=clause.clause_id,
                    path=clause.path_label,
                    quote=task,
                    carried=assignment.carried,
                )
            )
    order = {id(row): index for index, row in enumerate(rows)}
    return sorted(rows, key=lambda row: (row.deadline is None, row.deadline or date.max, order[id(row)]))


def _notices(corpus: Corpus, notice_id: str | None) -> list[Notice]:
    if notice_id is None:
        return list(corpus.notices)
    known = {notice.notice_id: notice for notice in corpus.notices}
    if notice_id not in known:
        raise LedgerError(f"没有这份通知：{notice_id}（可用 python -m index stats 查看通知编号）")
    return [known[notice_id]]


def notices_without_units(corpus: Corpus, notice_ids: Iterable[str] | None = None) -> list[str]:
    """Notices that name no responsible unit anywhere: their ledger is empty, and a reader should be told why."""
    wanted = set(notice_ids) if notice_ids is not None else None
    with_units = {clause.notice_id for clause in corpus.clauses if clause.units}
    return [
        n.notice_id
        for n in corpus.notices
        if n.notice_id not in with_units and (wanted is None or n.notice_id in wanted)
    ]


def level_from(text: str | None) -> Level | None:
    if text is None:
        return None
    for level in Level:
        if text in (level.value, level.name.lower()):
            return level
    raise LedgerError(f"没有这个层级：{text}（可选：{'、'.join(level.value for level in Level)}）")


LEDGER_COLUMNS = (
    "序号",
    "工作任务（通知原文）",
    "责任单位",
    "角色",
    "完成时限",
    "时限原文",
    "数字指标",
    "通知",
    "条款",
)
_WIDTHS = (6, 70, 24, 8, 12, 18, 16, 16, 14)


def ledger_table(rows: Sequence[LedgerRow]) -> list[list[str]]:
    return [
        [
            str(number),
            row.task,
            row.unit + ("（以下均需）" if row.carried else ""),
            str(row.role),
            row.deadline.isoformat() if row.deadline else "",
            row.deadline_text,
            "、".join(row.figures),
            row.notice_id,
            row.path,
        ]
        for number, row in enumerate(rows, 1)
    ]


def write_ledger_xlsx(rows: Sequence[LedgerRow], path: Path) -> None:
    """A workbook a cadre keeps working in: one row per task, the deadline as a real date, filters on."""
    from assistant.export import write_sheet

    values = [[*shown[:4], row.deadline, *shown[5:]] for row, shown in zip(rows, ledger_table(rows), strict=True)]
    write_sheet(path, "任务台账", LEDGER_COLUMNS, values, _WIDTHS, date_column=4)
