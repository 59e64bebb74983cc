"""``python -m eval bench``: speed figures printed, not asserted (machines are noisy).

- index build for the bundled corpus from nothing (parse + BM25 + encoding every passage with the dense model),
  in a temporary folder with an empty vector cache, so neither the real index nor the cache is touched;
- retrieval latency per question after warm-up (p50/p95), one question at a time;
- end-to-end extractive answer latency after warm-up (p50/p95);
- resident memory after loading.
"""

from __future__ import annotations

import contextlib
import resource
import sys
import tempfile
import time
from pathlib import Path

from eval import metrics
from eval.schema import load_set
from index.settings import Settings


def _user_turns(item) -> list[str]:
    from assistant.core import user_turns

    return user_turns(item.history)


def _one_shot(folder: Path, question: str) -> tuple[float, float]:
    """Wall seconds of ``python -m assistant ask`` on the index in `folder` (imports included), and the load time
    the answer reports."""
    import json
    import os
    import subprocess

    env = {**os.environ, "ANQUAN_VECTOR_CACHE_DIR": str(folder / "vectors"), "ANQUAN_CURRENT_YEAR": "2026"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", question, "--json", "--index-dir", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    wall = time.perf_counter() - started
    return wall, float(json.loads(done.stdout)["timings_ms"]["load"])


def run_bench(set_path: Path, repeat: int) -> int:
    from assistant.core import Assistant, InputError

    items = load_set(set_path)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        settings = Settings(index_dir=Path(folder), vector_cache_dir=Path(folder) / "vectors", current_year=2026)
        assistant = Assistant.open(settings)
        build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        Assistant.open(settings)
        load_seconds = time.perf_counter() - started
        one_shot_s, one_shot_load_ms = _one_shot(Path(folder), items[0].question)
        for item in items[:20]:  # warm-up: lazy structures, caches, first BLAS calls
            assistant.retriever.search(item.question, _user_turns(item))
        retrieval, answers = [], []
        for _ in range(repeat):
            for item in items:
                turns = _user_turns(item)
                lap = time.perf_counter()
                assistant.retriever.search(item.question, turns)
                retrieval.append((time.perf_counter() - lap) * 1000)
                lap = time.perf_counter()
                with contextlib.suppress(InputError):
                    assistant.ask(item.question, item.history)
                answers.append((time.perf_counter() - lap) * 1000)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = [
        ("index build, bundled corpus, from nothing", f"{build_seconds:.1f} s", "≤ 60 s"),
        ("index load (already built)", f"{load_seconds:.1f} s", ""),
        ("one-shot `ask` in a new process, wall", f"{one_shot_s:.1f} s", "< 2 s"),
        ("  of which opening indexes and models", f"{one_shot_load_ms / 1000:.1f} s", ""),
        ("retrieval p50", f"{metrics.percentile(retrieval, 50):.1f} ms", ""),
        ("retrieval p95", f"{metrics.percentile(retrieval, 95):.1f} ms", "≤ 50 ms"),
        ("extractive answer p50", f"{metrics.percentile(answers, 50):.1f} ms", ""),
        ("extractive answer p95", f"{metrics.percentile(answers, 95):.1f} ms", "≤ 300 ms"),
        ("peak resident memory", f"{rss_mb:.0f} MB", ""),
    ]
    print(f"{len(items)} questions × {repeat}, one at a time, {sys.platform}")
    for name, value, target in rows:
        print(f"{name:<42} {value:>10}   {target}")
    return 0
