"""Scale: look-alike notices, per-clause state built on demand, the token cache, the scale benchmark."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.core import Assistant
from eval.scale import synthetic_library
from index.settings import PROJECT_ROOT, Settings
from index.tokenize import TokenCache


@pytest.fixture(scope="module")
def doubled(tmp_path_factory) -> Assistant:
    """The bundled notices and one renamed copy of each (山西省 → another place, figures changed), no dense side."""
    root = tmp_path_factory.mktemp("scale")
    source = root / "notices"
    source.mkdir()
    synthetic_library(2, source)
    settings = Settings(
        source_dir=source,
        index_dir=root / "index",
        vector_cache_dir=root / "cache",
        embedding_model="none",
        current_year=2026,
    )
    return Assistant.open(settings)


def test_a_copy_of_the_provinces_requirement_does_not_take_its_place(doubled) -> None:
    # the 2014 requirement exists word for word in the province's notice and in a lower-level copy
    result = doubled.retriever.search("2014年抽查和督查要采取的“四不两直”是指什么？")
    assert result.hits[0].clause.clause_id == "山西省-2014/五"
    assert any(not d.notice_id.startswith("山西省") for d in result.hits[0].duplicates)


def test_a_question_builds_state_for_the_clauses_it_touches_only(doubled) -> None:
    retriever = doubled.retriever
    retriever._token_cache.clear()
    retriever.search("朔州今年要再建几座智能化煤矿？")
    assert 0 < len(retriever._token_cache) <= 10 < len(retriever.clauses)


def test_token_cache_tokenizes_each_text_once_and_skips_damage(tmp_path) -> None:
    calls: list[str] = []

    def tokenizer(text: str) -> list[str]:
        calls.append(text)
        return list(text)

    cache = TokenCache(tmp_path)
    assert cache.tokens(["甲乙", "丙丁", "甲乙"], tokenizer) == [["甲", "乙"], ["丙", "丁"], ["甲", "乙"]]
    with cache.path.open("a", encoding="utf-8") as out:
        out.write("{broken\n")
    assert TokenCache(tmp_path).tokens(["丙丁", "戊"], tokenizer) == [["丙", "丁"], ["戊"]]
    assert calls == ["甲乙", "丙丁", "戊"]


@pytest.mark.slow
def test_scale_bench_prints_one_json_object() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "eval", "bench", "--scale", "2", "--json"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["scale"] == 2 and figures["notices"] == 44
    assert figures["recall_at_1"] >= 0.95 and figures["query_p95_ms"] > 0
    assert set(figures) >= {"build_s", "add_one_s", "remove_one_s", "peak_rss_mb", "query_p50_ms", "query_p95_ms"}
