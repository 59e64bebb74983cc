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


def test_updated_counts_equal_counts_of_the_new_passage_list() -> None:
    import random

    from index.bm25 import Counts

    rng = random.Random(5)
    words = [f"w{i}" for i in range(40)]
    for _ in range(50):
        old = [[rng.choice(words) for _ in range(rng.randint(0, 12))] for _ in range(rng.randint(1, 30))]
        removed = np.array([rng.random() < 0.3 for _ in old])
        added = [[rng.choice([*words, "新词", "另一个"]) for _ in range(rng.randint(0, 12))] for _ in range(4)]
        expected = Counts.of([doc for doc, out in zip(old, removed, strict=True) if not out] + added)
        got = Counts.of(old).updated(removed, added)
        assert np.array_equal(got.lengths, expected.lengths)

        def postings(counts: Counts) -> dict[str, list[tuple[int, float]]]:
            return {
                word: list(zip(counts.docs[a:b].tolist(), counts.terms[a:b].tolist(), strict=True))
                for word, row in counts.vocabulary.items()
                if (a := counts.indptr[row]) < (b := counts.indptr[row + 1])
            }

        assert postings(got) == postings(expected)


def test_an_update_in_the_same_process_starts_from_what_it_serves(tmp_path: Path, library: Path) -> None:
    # the app's upload: the assistant answering until now lends its parsed notices and its passage list, so
    # nothing unchanged is read back from disk (at 100× that reading was most of an upload's seconds)
    settings = _settings(tmp_path / "live", library)
    first, _ = _open(settings)
    (search_index_dir(settings) / "passages.marshal").unlink()  # only the served index holds the passages now
    shutil.copy(bundled_notices_dir() / QINSHUI, library / QINSHUI)
    said: list[str] = []
    added = open_retriever(settings, said.append, BigramHashEmbeddings(), previous=first)
    assert any("增量更新（移除 0 份、加入 1 份通知）" in line for line in said), said
    assert added.corpus.notice("朔州市-2026") is first.corpus.notice("朔州市-2026")  # the same parse, not re-read
    _same_index(added, _open(_settings(tmp_path / "fresh", library))[0])
    # a retriever over another index folder lends nothing (its parses and passages are not this index's)
    other = open_retriever(_settings(tmp_path / "other", library), said.append, BigramHashEmbeddings(), previous=first)
    assert other.corpus.notice("朔州市-2026") is not first.corpus.notice("朔州市-2026")
