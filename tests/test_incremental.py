"""Adding or removing a notice updates the search index by notices, and gives what a full build gives."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieve import open_retriever
from eval.schema import load_set
from index.search import search_index_dir
from index.settings import PROJECT_ROOT, Settings, bundled_notices_dir
from tests.conftest import FAKE_MODEL, BigramHashEmbeddings

QINSHUI = "004_3faadfceb6f19d28.txt"
SHUOZHOU = "000_6ceb901c686c9bad.txt"


def _settings(root: Path, source: Path) -> Settings:
    return Settings(
        source_dir=source,
        index_dir=root / "index",
        vector_cache_dir=root / "cache",
        embedding_model=FAKE_MODEL,
        current_year=2026,
    )


def _open(settings: Settings) -> tuple[object, list[str]]:
    said: list[str] = []
    return open_retriever(settings, said.append, BigramHashEmbeddings()), said


def _by_passage(retriever, values: np.ndarray) -> dict[tuple[str, str], float]:
    return {(p.clause_id, p.text): float(v) for p, v in zip(retriever.index.passages, values, strict=True)}


def _same_index(updated, fresh) -> None:
    """The same passages, BM25 scores, cosines, word frequencies and answers, whatever order the passages are in."""
    key = Counter((p.clause_id, p.text) for p in updated.index.passages)
    assert key == Counter((p.clause_id, p.text) for p in fresh.index.passages)
    assert updated.index.clause_count == fresh.index.clause_count
    assert Counter(updated.index.clause_frequencies) == Counter(fresh.index.clause_frequencies)
    questions = [item.question for item in load_set(PROJECT_ROOT / "eval" / "questions.jsonl")][::4]
    for question in questions:
        tokens = updated.tokenizer.query(question)
        ours, theirs = (_by_passage(r, r.index.lexical_scores(tokens)) for r in (updated, fresh))
        assert ours.keys() == theirs.keys()
        assert all(abs(ours[k] - theirs[k]) <= 1e-5 * max(1.0, abs(theirs[k])) for k in theirs), question
        ours, theirs = (_by_passage(r, r.index.dense_scores(question)) for r in (updated, fresh))
        assert all(abs(ours[k] - theirs[k]) <= 1e-5 for k in theirs), question
        assert [h.clause.clause_id for h in updated.search(question).hits] == [
            h.clause.clause_id for h in fresh.search(question).hits
        ], question


@pytest.fixture
def library(tmp_path: Path) -> Path:
    source = tmp_path / "notices"
    source.mkdir()
    for path in bundled_notices_dir().glob("*.txt"):
        if path.name != QINSHUI:
            shutil.copy(path, source / path.name)
    return source


def test_adding_and_removing_a_notice_updates_the_index_as_a_full_build_would(tmp_path: Path, library: Path) -> None:
    settings = _settings(tmp_path / "live", library)
    _open(settings)
    shutil.copy(bundled_notices_dir() / QINSHUI, library / QINSHUI)
    added, said = _open(settings)
    assert any("增量更新（移除 0 份、加入 1 份通知）" in line for line in said), said
    fresh = _open(_settings(tmp_path / "fresh-1", library))[0]
    _same_index(added, fresh)
    assert added.search("沁水县的无人机谁来保养？").hits  # the added notice answers
    reloaded, said = _open(settings)  # the updated index as the next start reads it from disk
    assert not any("检索索引" in line for line in said), said
    _same_index(reloaded, fresh)

    (library / SHUOZHOU).unlink()
    removed, said = _open(settings)
    assert any("增量更新（移除 1 份、加入 0 份通知）" in line for line in said), said
    assert not any(p.notice_id == "朔州市-2026" for p in removed.index.passages)
    _same_index(removed, _open(_settings(tmp_path / "fresh-2", library))[0])


def test_a_changed_notice_is_taken_out_and_put_back(tmp_path: Path, library: Path) -> None:
    settings = _settings(tmp_path / "live", library)
    _open(settings)
    path = library / SHUOZHOU
    path.write_text(path.read_text(encoding="utf-8").replace("6座智能化煤矿", "9座智能化煤矿"), encoding="utf-8")
    changed, said = _open(settings)
    assert any("移除 1 份、加入 1 份" in line for line in said), said
    assert any("9座智能化煤矿" in p.text for p in changed.index.passages)
    assert not any("6座智能化煤矿" in p.text for p in changed.index.passages)
    _same_index(changed, _open(_settings(tmp_path / "fresh", library))[0])
    root = search_index_dir(settings)
    meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
    # one word-count file per notice: the edited notice's old one is gone
    assert sorted(p.stem for p in (root / "notices").glob("*.json")) == sorted(meta["notices"].values())


def test_missing_per_notice_counts_mean_a_full_build(tmp_path: Path, library: Path) -> None:
    settings = _settings(tmp_path / "live", library)
    _open(settings)
    root = search_index_dir(settings)
    meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
    (root / "notices" / f"{meta['notices']['朔州市-2026']}.json").unlink()
    (library / SHUOZHOU).unlink()
    rebuilt, said = _open(settings)
    assert not any("增量更新" in line for line in said) and any("词法索引" in line for line in said)
    _same_index(rebuilt, _open(_settings(tmp_path / "fresh", library))[0])


def test_merged_and_masked_segments_score_as_bm25s_over_the_live_passages() -> None:
    import random

    import bm25s

    from index.bm25 import Counts, LexicalScores

    def postings(counts: Counts) -> dict[str, list[tuple[int, float]]]:
        return {
            word: list(zip(counts.docs[a:b].tolist(), counts.terms[a:b].tolist(), strict=True))
            for word, row in counts.vocabulary.items()
            if (a := counts.indptr[row]) < (b := counts.indptr[row + 1])
        }

    rng = random.Random(5)
    words = [f"w{i}" for i in range(40)]
    for _ in range(30):
        parts = [
            [[rng.choice(words) for _ in range(rng.randint(1, 12))] for _ in range(rng.randint(1, 20))]
            for _ in range(rng.randint(1, 4))
        ]
        masks = [np.array([rng.random() > 0.3 for _ in part]) if rng.random() < 0.6 else None for part in parts]
        live = [
            doc
            for part, mask in zip(parts, masks, strict=True)
            for i, doc in enumerate(part)
            if mask is None or mask[i]
        ]
        if not live:
            continue
        merged = Counts.merged([(Counts.of(part), mask) for part, mask in zip(parts, masks, strict=True)])
        assert postings(merged) == postings(Counts.of(live))
        assert np.array_equal(merged.lengths, Counts.of(live).lengths)
        reference = bm25s.BM25(k1=1.2, b=0.75)
        reference.index(live, show_progress=False)
        segmented = LexicalScores([Counts.of(part) for part in parts], masks, 1.2, 0.75)
        for _ in range(5):
            question = [rng.choice(words) for _ in range(rng.randint(1, 5))]
            known = [word for word in question if any(word in doc for doc in live)]
            if known:
                assert np.array_equal(segmented.get_scores(known), reference.get_scores(known))


def test_uploads_write_their_own_segments_and_small_ones_are_merged(tmp_path: Path, library: Path) -> None:
    settings = _settings(tmp_path / "live", library)
    retriever, _ = _open(settings)
    base = retriever.index.segments[0]
    shutil.copy(bundled_notices_dir() / QINSHUI, library / QINSHUI)
    added = open_retriever(settings, embeddings=BigramHashEmbeddings(), previous=retriever)
    assert added.index.segments[0] is base  # the library's segment is not rewritten by an upload
    assert len(added.index.segments) == 2 and {p.notice_id for p in added.index.segments[1].passages} == {"沁水县-2025"}
    # a second upload of the same size: its segment is merged with the first, not left beside it
    text = (library / QINSHUI).read_text(encoding="utf-8")
    (library / "yangcheng.txt").write_text(text.replace("沁水县", "阳城县").replace("沁水", "阳城"), encoding="utf-8")
    again = open_retriever(settings, embeddings=BigramHashEmbeddings(), previous=added)
    assert again.index.segments[0] is base and len(again.index.segments) == 2
    assert {p.notice_id for p in again.index.segments[1].passages} == {"沁水县-2025", "阳城县-2025"}
    (library / SHUOZHOU).unlink()
    removed = open_retriever(settings, embeddings=BigramHashEmbeddings(), previous=again)
    assert removed.index.segments[0].live is not None and not removed.index.segments[0].live.all()
    root = search_index_dir(settings)
    on_disk = sorted(p.name for p in (root / "segments").iterdir())
    assert on_disk == sorted(segment.name for segment in removed.index.segments)
    _same_index(removed, _open(_settings(tmp_path / "fresh", library))[0])


def test_an_update_in_the_same_process_starts_from_what_it_serves(tmp_path: Path, library: Path) -> None:
    # the app's upload: the assistant answering until now lends its parsed notices and its passage list, so
    # nothing unchanged is read back from disk (at 100× that reading was most of an upload's seconds)
    settings = _settings(tmp_path / "live", library)
    first, _ = _open(settings)
    for path in (search_index_dir(settings) / "segments").glob("*/passages.marshal"):
        path.unlink()  # only the served index holds the passages now
    shutil.copy(bundled_notices_dir() / QINSHUI, library / QINSHUI)
    said: list[str] = []
    added = open_retriever(settings, said.append, BigramHashEmbeddings(), previous=first)
    assert any("增量更新（移除 0 份、加入 1 份通知）" in line for line in said), said
    assert added.corpus.notice("朔州市-2026") is first.corpus.notice("朔州市-2026")  # the same parse, not re-read
    _same_index(added, _open(_settings(tmp_path / "fresh", library))[0])
    # a retriever over another index folder lends nothing (its parses and passages are not this index's)
    other = open_retriever(_settings(tmp_path / "other", library), said.append, BigramHashEmbeddings(), previous=first)
    assert other.corpus.notice("朔州市-2026") is not first.corpus.notice("朔州市-2026")
