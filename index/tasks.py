"""The task-division table (重点任务分工) that some notices append.

In the text sources the table arrives flattened: one cell per line, each led by
a tab, rows separated by blank lines, merged cells left empty. Columns are
主要内容 (section) / 具体事项 (sub-section) / 工作任务 (task) / 责任单位 (units).
Each row is linked to the clause whose text contains the task, and the row's
units are added to that clause's responsibilities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from index.clauses import match_marker
from index.normalize import normalize, tidy_line
from index.records import Anomaly, AnomalyKind, Clause, Responsibility

_TABLE_TITLES = {"重点任务分工", "重点任务分工表", "任务分工", "任务分工表"}
_HEADER_CELLS = {"主要内容", "具体事项", "工作任务", "责任单位", "序号", "重点任务"}
# Enough of a task to find it in the body; table cells are sometimes cut shorter than the clause.
_LINK_PREFIX = 16


def find_table_start(lines: Sequence[str]) -> int | None:
    """Index of the line where a task table begins, or None."""
    for index, raw in enumerate(lines):
        line = tidy_line(raw)
        if line in _TABLE_TITLES:
            return index
        if raw.startswith("\t") and line in _HEADER_CELLS:
            return index
    return None


@dataclass(frozen=True)
class TaskRow:
    path: tuple[str, ...]  # marker labels tracked from the section cells, e.g. ("一、", "（二）", "1.")
    task: str
    units: str


def parse_task_rows(table_lines: Sequence[str]) -> list[TaskRow]:
    """Rows of a flattened task table; rows without a task or units are skipped."""
    blocks: list[list[str]] = [[]]
    for raw in table_lines:
        if raw == "" or (not raw.startswith("\t") and not raw.strip()):
            blocks.append([])
        elif raw.startswith("\t"):
            cell = raw[1:].strip()
            if cell:
                blocks[-1].append(cell)
    rows = []
    current: dict[int, str] = {}
    for cells in blocks:
        if not cells or all(cell in _HEADER_CELLS for cell in cells):
            continue
        task_cells = []
        for cell in cells[:-1]:
            marker = match_marker(cell)
            if marker is not None:
                current[marker.level] = marker.label
                for deeper in [level for level in current if level > marker.level]:
                    del current[deeper]
                rest = cell[marker.length :].strip()
                # "1.严格党政领导责任。坚持…" is a heading and a task in one cell
                if marker.level >= 3 and len(rest) > 20:
                    task_cells.append(cell)
            else:
                task_cells.append(cell)
        if not task_cells or len(cells) < 2:
            continue
        path = tuple(current[level] for level in sorted(current))
        rows.append(TaskRow(path=path, task="".join(task_cells), units=cells[-1]))
    return rows


def link_task_table(
    notice_id: str, clauses: list[Clause], table_lines: Sequence[str]
) -> tuple[list[Clause], list[Anomaly]]:
    """Attach each table row's units to the clause that contains its task."""
    added: dict[str, list[Responsibility]] = {}
    anomalies = []
    by_path = {clause.path: clause for clause in clauses}
    normalized_texts = [(clause, normalize(clause.text)) for clause in clauses]
    for row in parse_task_rows(table_lines):
        target = _find_clause(row, normalized_texts, by_path)
        if target is None:
            anomalies.append(Anomaly(AnomalyKind.UNLINKED_TASK, notice_id, None, row.task[:40]))
            continue
        added.setdefault(target.clause_id, []).append(Responsibility(units=row.units, task=row.task, origin="table"))
    linked = [
        replace(clause, units=clause.units + tuple(added[clause.clause_id])) if clause.clause_id in added else clause
        for clause in clauses
    ]
    return linked, anomalies


def _find_clause(
    row: TaskRow, normalized_texts: list[tuple[Clause, str]], by_path: dict[tuple[str, ...], Clause]
) -> Clause | None:
    needle = normalize(row.task)
    marker = match_marker(needle)
    if marker is not None:  # the body has the item number as a line of its own
        needle = needle[marker.length :]
    needle = needle[:_LINK_PREFIX]
    containing = [clause for clause, text in normalized_texts if needle and needle in text]
    if containing:
        # prefer the clause at the row's own path, then the deepest
        for clause in containing:
            if clause.path == row.path:
                return clause
        return max(containing, key=lambda clause: clause.depth)
    return None
