"""The task ledger on the bundled corpus: units as notices write them, roles, deadlines, carried-forward notes,
verbatim tasks, the CLI's JSON and the Excel file."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from assistant.ledger import (
    LedgerError,
    Role,
    deadline_of,
    ledger,
    notices_without_units,
    split_units,
    unit_matches,
    write_ledger_xlsx,
)
from index.normalize import is_verbatim
from index.records import Level
from index.settings import PROJECT_ROOT


def test_units_and_roles_as_the_notice_states_them() -> None:
    found = split_units("各县（市、区）政府、五台山风景名胜区管委会，市自然资源局牵头，市应急局、市公安局等部门配合")
    assert [(a.unit, a.role) for a in found] == [
        ("各县（市、区）政府", Role.RESPONSIBLE),  # the bracket's 、 does not split it
        ("五台山风景名胜区管委会", Role.RESPONSIBLE),
        ("市自然资源局", Role.LEAD),
        ("市应急局", Role.ASSIST),
        ("市公安局", Role.ASSIST),
    ]
    # 各市、县人民政府 names two governments; a role at the end covers every unit before it
    assert [a.unit for a in split_units("省安委办和各市、县人民政府负责")] == ["省安委办", "各市人民政府", "县人民政府"]
    assert {a.role for a in split_units("各县（区）人民政府，市级负有安全生产监管职责的部门指导督促落实")} == {
        Role.SUPERVISE
    }


@pytest.mark.parametrize(
    ("query", "unit", "same"),
    [
        ("应急管理局", "市应急局", True),
        ("市应急管理局", "市应急局", True),
        ("应急管理局", "省应急厅", True),  # the province's office of the same name
        ("县应急管理局", "市应急局", False),  # another level
        ("市卫生健康委员会", "市卫健委", True),
        ("住建局", "县住房和城乡建设管理局", True),
        ("自然资源局", "市规划和自然资源局", True),
        ("广灵县人民政府", "各县（区）人民政府", True),  # every county's government
        ("应急管理局", "市公安局", False),
    ],
)
def test_unit_names_match_the_way_notices_write_them(query, unit, same) -> None:
    assert unit_matches(query, unit) is same


def test_deadlines_become_dates_and_frequencies_stay_text() -> None:
    assert deadline_of("2025年6月底前完成煤矿区域性隐蔽致灾因素普查。", 2025) == (date(2025, 6, 30), "2025年6月底前")
    assert deadline_of("年底前力争每个村至少建立1处应急避难场所。", 2024)[0] == date(2024, 12, 31)
    assert deadline_of("9月30日前完成，每季度通报一次。", 2026) == (date(2026, 9, 30), "9月30日前；每季度")
    # 3年内 is a duration, not this year's end
    assert deadline_of("停用时间超过3年内未闭库的尾矿库。", 2025) == (None, "")
    assert deadline_of("长期坚持，常态化开展检查。", 2025) == (None, "长期坚持；常态化")


def test_a_county_bureau_ledger_is_sorted_verbatim_and_dated(corpus) -> None:
    rows = ledger(corpus, "应急管理局", "沁水县-2025")
    assert len(rows) >= 5 and all(row.unit == "县应急管理局" for row in rows)
    assert all(is_verbatim(row.quote, corpus.clause(row.clause_id).text) for row in rows)
    # responsibility notes are not part of the task
    assert all("分工负责" not in row.task for row in rows)
    dated = [row.deadline for row in rows if row.deadline]
    assert dated == sorted(dated) and rows[0].deadline == date(2025, 6, 30)
    assert rows[0].clause_id == "沁水县-2025/五.十四" and rows[0].path == "五、（十四）"
    assert all(row.deadline is None for row in rows[len(dated) :])


def test_a_note_that_carries_forward_applies_to_every_later_item(corpus) -> None:
    # 山西省-2024: （省安委办和各市、县人民政府负责。以下均需市、县人民政府负责，不再一一列出）
    rows = ledger(corpus, "县人民政府", "山西省-2024")
    carried = [row for row in rows if row.carried]
    assert len(carried) >= 20
    assert {row.clause_id for row in carried} >= {"山西省-2024/四.二十一", "山西省-2024/三.十五"}


def test_level_selects_units_of_that_level(corpus) -> None:
    rows = ledger(corpus, None, "大同市-2025", Level.COUNTY)
    assert rows and {row.unit.replace("(", "（").replace(")", "）") for row in rows} == {"各县（区）人民政府"}


def test_notices_without_units_are_named_and_unknown_notices_refused(corpus) -> None:
    assert "朔州市-2026" in notices_without_units(corpus)
    assert "大同市-2025" not in notices_without_units(corpus)
    with pytest.raises(LedgerError, match="没有这份通知"):
        ledger(corpus, "应急管理局", "太原市-2026")


def test_ledger_xlsx_has_a_date_column(corpus, tmp_path) -> None:
    from openpyxl import load_workbook

    rows = ledger(corpus, "应急管理局", "沁水县-2025")
    path = tmp_path / "台账.xlsx"
    write_ledger_xlsx(rows, path)
    sheet = load_workbook(path).active
    assert sheet["B1"].value.startswith("工作任务") and sheet.max_row == len(rows) + 1
    assert sheet["E2"].value.date() == date(2025, 6, 30)


@pytest.mark.slow
def test_tasks_command_prints_json_rows(bundled_settings) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant",
            "tasks",
            "--unit",
            "市应急局",
            "--notice",
            "大同市-2025",
            "--json",
            "--index-dir",
            str(bundled_settings.index_dir),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    keys = {"task", "unit", "role", "deadline", "deadline_text", "figures", "notice_id", "clause_id", "path", "quote"}
    assert rows and all(set(row) == keys for row in rows)
    assert rows[0]["deadline"] == "2025-06-30" and rows[0]["unit"] == "市应急管理局"


def test_names_with_he_stay_whole() -> None:
    units = [
        a.unit for a in split_units("县住房和城乡建设管理局、市规划和自然资源局、省安委办和各市人民政府等部门分工负责")
    ]
    assert units == ["县住房和城乡建设管理局", "市规划和自然资源局", "省安委办", "各市人民政府"]
