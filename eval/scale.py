"""``python -m eval bench --scale N``: the project on N× the bundled notices, printed, not asserted.

The synthetic library keeps the bundled files (copy 0, which the eval questions are about) and adds N−1 copies of
each, every copy under other real place names from the gazetteer (山西省 → 鄂州市, 朔州 → …) with some figures
changed (seeded), so the copies look like the real thing to parser, scope and search: the same wording, other
issuers. Measured: the index build from nothing, adding and removing one notice file, peak memory, the first
question of a process, query p50/p95 over the tuned set's answerable single-clause questions, and Recall@1 on them
(the gold clause first): look-alike notices must not push the asked notice's clause down.
"""

from __future__ import annotations

import functools
import json
import random
import re
import resource
import tempfile
import time
from pathlib import Path

from eval import metrics
from eval.schema import load_set
from index.settings import Settings, VectorBackend, bundled_notices_dir
from index.tokenize import lexicon_lines

# the names the bundled files use for their issuers, longest first so 朔州市 goes before 朔州
_ISSUERS = [("山西省", "山西"), ("朔州市", "朔州"), ("忻州市", "忻州"), ("大同市", "大同"), ("沁水县", "沁水")]
_YEAR = re.compile(r"(?<!\d)20[0-2]\d(?!\d)")
_FIGURE = re.compile(r"(?<![\d.年])(\d{1,3})(?=\s*(?:座|个|名|处|项|家|辆|条|所|支|台|人|%|％))")


def _place_names() -> list[tuple[str, str]]:
    """(full name, short name) of prefecture and county divisions whose short name is two or three characters."""
    names = []
    for line in lexicon_lines("gazetteer.tsv"):
        if line.startswith("#") or "\t" not in line:
            continue
        full, level, _ = line.split("\t")
        short = re.sub(r"(?:市|县|区|自治县|旗)$", "", full)
        if level in ("市", "县") and 2 <= len(short) <= 3 and full.endswith(("市", "县")):
            names.append((full, short))
    return names


def _moved_back(match: re.Match, years: int) -> str:
    return str(int(match.group()) - years)


def synthetic_library(scale: int, folder: Path, seed: int = 7) -> list[Path]:
    """Write the bundled files and `scale` − 1 renamed, perturbed copies of each into `folder`."""
    rng = random.Random(seed)
    sources = sorted(bundled_notices_dir().glob("*.txt"))
    taken = {short for _, short in _ISSUERS}
    pool = [name for name in _place_names() if name[1] not in taken and not any(name[1] in s for s in taken)]
    rng.shuffle(pool)
    rounds = len(pool) // len(_ISSUERS)  # copies per round of place names
    written = []
    for path in sources:
        target = folder / path.name
        target.write_bytes(path.read_bytes())
        written.append(target)
    for copy in range(1, scale):
        # past the gazetteer's names (~380×), the names come round again with every year moved back 30 more
        # years, so each copy is still its own issuer-and-year
        turn, place = divmod(copy - 1, rounds)
        names = {old: pool[-1 - place * len(_ISSUERS) - i] for i, old in enumerate(_ISSUERS)}  # as popped
        for path in sources:
            text = path.read_text(encoding="utf-8")
            for (full, short), (new_full, new_short) in names.items():
                text = text.replace(full, new_full).replace(short, new_short)
            if turn:
                text = _YEAR.sub(functools.partial(_moved_back, years=30 * turn), text)
            text = _FIGURE.sub(lambda m: str(max(1, int(m.group(1)) + rng.choice((-2, -1, 1, 2)))), text)
            target = folder / f"{path.stem}-x{copy:04d}.txt"
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


def run_scale(
    scale: int, dense: str, set_path: Path, as_json: bool, backend: VectorBackend = VectorBackend.FAISS
) -> int:
    from assistant.core import Assistant

    items = [
        item
        for item in load_set(set_path)
        if item.answerable and item.gold_clauses and not item.history and len(item.gold_clauses) == 1
    ]
    with tempfile.TemporaryDirectory() as root:
        source = Path(root) / "notices"
        source.mkdir()
        synthetic_library(scale, source)
        settings = Settings(
            source_dir=source,
            index_dir=Path(root) / "index",
            vector_cache_dir=Path(root) / "vectors",
            embedding_model=dense,
            vector_backend=backend,
            current_year=2026,
        )
        started = time.perf_counter()
        assistant = Assistant.open(settings)
        build_s = time.perf_counter() - started
        corpus = assistant.corpus
        started = time.perf_counter()
        assistant.retriever.search(items[0].question)
        first_question_s = time.perf_counter() - started
        latencies, first = [], 0
        for item in items:
            lap = time.perf_counter()
            result = assistant.retriever.search(item.question)
            latencies.append((time.perf_counter() - lap) * 1000)
            first += bool(result.hits) and result.hits[0].clause.clause_id in item.gold_clauses
        # one more notice file, then without it again: what an upload and a delete cost
        extra = source / "zz-added.txt"
        extra.write_text(
            (bundled_notices_dir() / "004_3faadfceb6f19d28.txt")
            .read_text(encoding="utf-8")
            .replace("沁水县", "阳城县")
            .replace("沁水", "阳城"),
            encoding="utf-8",
        )
        # as the app's upload does: one open, which brings the clause index up to date and then the search index,
        # lent what the assistant answering until then holds
        started = time.perf_counter()
        added = Assistant.open(settings, previous=assistant)
        added.retriever.search(items[0].question)
        add_one_s = time.perf_counter() - started
        extra.unlink()
        started = time.perf_counter()
        Assistant.open(settings, previous=added).retriever.search(items[0].question)
        remove_one_s = time.perf_counter() - started
    figures = {
        "scale": scale,
        "backend": str(backend),
        "dense": dense,
        "notices": len(corpus.notices),
        "clauses": len(corpus.clauses),
        "build_s": round(build_s, 1),
        "first_question_s": round(first_question_s, 2),
        "add_one_s": round(add_one_s, 1),
        "remove_one_s": round(remove_one_s, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "query_p50_ms": round(metrics.percentile(latencies, 50), 1),
        "query_p95_ms": round(metrics.percentile(latencies, 95), 1),
        "recall_at_1": round(first / len(items), 3),
        "questions": len(items),
    }
    if as_json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        for name, value in figures.items():
            print(f"{name:<18} {value}")
    return 0
