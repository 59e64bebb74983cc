"""`python -m index` as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from index.settings import PROJECT_ROOT


def _run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "index", *args], capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, timeout=120
    )


def test_build_stats_show_through_environment_variable(tmp_path: Path) -> None:
    env = {"ANQUAN_INDEX_DIR": str(tmp_path / "idx")}
    built = _run("build", env_extra=env)
    assert built.returncode == 0, built.stderr
    assert "[5/5]" in built.stderr and "22 份通知" in built.stderr

    stats = _run("stats", "--json", env_extra=env)
    payload = json.loads(stats.stdout)
    assert payload["notices"] == 22
    assert payload["clauses"] == sum(row["clauses"] for row in payload["by_notice"])
    first = payload["by_notice"][0]
    assert set(first) == {"notice_id", "issuer", "level", "year", "doc_number", "title", "date", "source", "clauses"}
    assert first["doc_number"] == "朔政发〔2026〕1号"

    shown = _run("show", "朔州市-2026/三.十一.1", env_extra=env)
    assert shown.returncode == 0
    assert "三、（十一）1." in shown.stdout and "年底前再建成6座智能化煤矿" in shown.stdout

    missing = _run("show", "朔州市-2026/九.九", env_extra=env)
    assert missing.returncode == 2 and "没有条款" in missing.stderr


def test_index_dir_option_and_bad_source(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "bad.docx").write_bytes(b"not a zip")
    result = _run("build", "--source", str(source), "--index-dir", str(tmp_path / "idx"))
    assert result.returncode == 2
    assert "bad.docx" in result.stderr and "不是有效的 .docx" in result.stderr
    assert "Traceback" not in result.stderr
    stats = _run("stats", "--source", str(source), "--index-dir", str(tmp_path / "idx"))
    assert stats.returncode == 2 and "python -m index build" in stats.stderr
