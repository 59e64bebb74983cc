"""What changed between two notices, on the bundled corpus: the provincial 2025 → 2026 notices."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.diff import DiffError, Relation, diff, relation, similarity, what_changed
from index.normalize import normalize
from index.settings import PROJECT_ROOT


def test_the_same_requirement_with_another_figure_is_a_change(corpus) -> None:
    result = diff(corpus, "山西省-2025", "山西省-2026")
    smart_mines = [c for c in result.changed if "智能化煤矿" in c.after.quote]
    assert [c.what for c in smart_mines] == ["130座 → 60座"]
    # every side is quoted verbatim from the clause it names
    sides = [*result.new, *result.dropped, *(s for c in result.changed for s in (c.before, c.after))]
    assert sides and all(normalize(s.quote) in normalize(corpus.clause(s.clause_id).text) for s in sides)
    assert all(s.clause_id.startswith("山西省-2026") for s in result.new)
    assert all(s.clause_id.startswith("山西省-2025") for s in result.dropped)


def test_matching_ignores_figures_but_not_wording() -> None:
    assert similarity("年底前再建成 130座智能化煤矿", "年底前再建成60座智能化煤矿") == 1.0
    assert similarity("年底前再建成130座智能化煤矿", "严厉打击非法违法生产行为") < 0.2
    assert what_changed("每季度至少召开1次会议", "每月至少召开2次会议") == "1次 → 2次；每季度 → 每月"


def test_unknown_or_identical_notices_are_refused(corpus) -> None:
    with pytest.raises(DiffError, match="没有这些通知"):
        diff(corpus, "山西省-2025", "太原市-2026")
    with pytest.raises(DiffError, match="两份不同"):
        diff(corpus, "山西省-2025", "山西省-2025")


@pytest.mark.slow
def test_diff_command_prints_json(bundled_settings) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant",
            "diff",
            "山西省-2025",
            "山西省-2026",
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
    data = json.loads(result.stdout)
    assert set(data) == {"before", "after", "new", "dropped", "changed", "unchanged"}
    assert any(change["what"] == "130座 → 60座" for change in data["changed"])
    assert set(data["changed"][0]) == {"before", "after", "what"}
    assert set(data["changed"][0]["after"]) == {"clause_id", "path", "quote"}


def test_a_requirement_carried_whole_into_a_longer_one_is_the_same() -> None:
    before = "从业人员未经培训合格不得上岗。"
    after = "加强全员分工种、分岗位针对性培训，严格“三项岗位人员”考核，从业人员未经培训合格不得上岗。"
    assert relation(before, after) is Relation.SAME
    # 两小时 and 2小时 are one figure; a name such as 三项岗位人员 is not a figure
    assert relation("打造无人机两小时可抵达的服务圈。", "打造无人机2小时可抵达的服务圈。") is Relation.SAME
    assert relation("年底前再建成130座智能化煤矿。", "年底前再建成60座智能化煤矿。") is Relation.CHANGED
    assert relation("年底前再建成130座智能化煤矿。", "严厉打击非法违法生产经营建设行为。") is Relation.UNRELATED


def test_diff_pairs_a_short_requirement_with_the_longer_one_that_carries_it(corpus) -> None:
    result = diff(corpus, "山西省-2025", "山西省-2026")
    carried = [c for c in result.changed if c.after.quote.startswith("认真贯彻“三管三必须”实施细则")]
    assert carried and carried[0].before.quote.startswith("认真贯彻落实“三管三必须”实施细则")
