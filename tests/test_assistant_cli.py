"""`python -m assistant ask` as a user runs it, on the session's index (fake embedder, via environment)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from index.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    # the real default model, in a private index folder: this also proves the offline default path works
    return {**os.environ, "ANQUAN_INDEX_DIR": str(tmp_path_factory.mktemp("cli-index")), "ANQUAN_CURRENT_YEAR": "2026"}


def _ask(env, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "ask", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=300,
        input=stdin,
    )


@pytest.mark.slow
def test_json_answer_and_batch(env, tmp_path) -> None:
    result = _ask(env, "朔州今年要再建几座智能化煤矿？", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"question", "answer", "refused", "mode", "citations", "timings_ms"}
    citation = payload["citations"][0]
    assert set(citation) == {
        "clause_id",
        "notice_id",
        "issuer",
        "year",
        "doc_number",
        "title",
        "path",
        "quote",
        "clause_text",
    }
    assert citation["clause_id"] == "朔州市-2026/三.十一.1" and "6座" in payload["answer"]

    batch = tmp_path / "q.jsonl"
    batch.write_text(
        "\n".join(
            json.dumps(row, ensure_ascii=False)
            for row in [
                {"question": "朔州今年要再建几座智能化煤矿？"},
                {"question": "那大同呢？", "history": ["朔州今年要再建几座智能化煤矿？"]},
                {"question": ""},
                {"question": "智能化煤矿要建几座？", "filters": {"issuer": "山西省", "year": 2024}},
            ]
        ),
        encoding="utf-8",
    )
    result = _ask(env, "--batch", str(batch), "--json")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4 and result.returncode == 1  # one bad line, reported in place, order kept
    assert lines[1]["citations"][0]["notice_id"] == "大同市-2025"
    assert "请输入问题" in lines[2]["error"]
    assert lines[3]["citations"][0]["notice_id"] == "山西省-2024"

    filtered = _ask(env, "智能化煤矿要建几座？", "--issuer", "大同市", "--year", "2025")
    assert "1座" in filtered.stdout

    empty = _ask(env, "   ")
    assert empty.returncode == 2 and "请输入问题" in empty.stderr and "Traceback" not in empty.stderr


def test_the_same_question_gets_the_same_answer_in_every_process(env) -> None:
    # the lead once depended on the order of a set of strings, which changes with each process's string hashing
    # (出了事故考核是啥规矩: 规矩 or its rewrite 规范 read as the asked word, and another sentence led)
    question = "2018年省里出了事故考核是啥规矩？"
    answers = {_ask({**env, "PYTHONHASHSEED": seed}, question).stdout for seed in ("1", "4")}
    assert len(answers) == 1 and "2018" in answers.pop()
