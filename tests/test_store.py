"""The on-disk clause index: incremental builds, failed builds that change nothing, corpora side by side."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.settings import Settings
from index.store import BuildError, IndexNotReady, build, load
from tests.conftest import BUNDLED


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_adding_a_notice_parses_only_that_notice(notice_folder: Path, tmp_path: Path) -> None:
    settings = Settings(source_dir=notice_folder, index_dir=tmp_path / "idx")
    first = build(settings)
    assert sorted(first.parsed) == ["000_6ceb901c686c9bad.txt", "004_3faadfceb6f19d28.txt"]
    assert [n.notice_id for n in first.corpus.notices] == ["朔州市-2026", "沁水县-2025"]

    shutil.copy(BUNDLED / "003_274cda8d185c1074.txt", notice_folder)
    second = build(settings)
    assert second.parsed == ["003_274cda8d185c1074.txt"]
    assert sorted(second.reused) == ["000_6ceb901c686c9bad.txt", "004_3faadfceb6f19d28.txt"]
    assert [n.notice_id for n in second.corpus.notices] == ["朔州市-2026", "大同市-2025", "沁水县-2025"]


def test_removing_and_changing_files(notice_folder: Path, tmp_path: Path) -> None:
    settings = Settings(source_dir=notice_folder, index_dir=tmp_path / "idx")
    build(settings)
    (notice_folder / "000_6ceb901c686c9bad.txt").unlink()
    report = build(settings)
    assert report.removed == ["000_6ceb901c686c9bad.txt"]
    assert [n.notice_id for n in report.corpus.notices] == ["沁水县-2025"]
    assert len(list((settings.clause_index_dir / "files").glob("*.json"))) == 1

    path = notice_folder / "004_3faadfceb6f19d28.txt"
    text = path.read_text(encoding="utf-8")
    assert "（四）完善管理体制" in text
    path.write_text(text.replace("（四）完善管理体制", "(四) 完善管理体制"), encoding="utf-8")
    assert build(settings).parsed == ["004_3faadfceb6f19d28.txt"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.txt", b""),
        ("binary.txt", b"\x00\x01\x02\x89PNG" * 100),
        ("latin1.txt", "Übersicht über die Maßnahmen - Größe".encode("latin-1") * 30),
        ("fake.docx", b"not a zip at all"),
        ("fake.pdf", b"%PDF-1.7 garbage"),
        ("prose.txt", "这份文件没有任何编号条款。".encode()),
    ],
)
def test_a_bad_file_fails_the_build_and_changes_nothing(
    notice_folder: Path, tmp_path: Path, name: str, data: bytes
) -> None:
    settings = Settings(source_dir=notice_folder, index_dir=tmp_path / "idx")
    build(settings)
    before = _snapshot(settings.index_dir)
    (notice_folder / name).write_bytes(data)
    with pytest.raises(BuildError) as error:
        build(settings)
    assert name in str(error.value)
    assert _snapshot(settings.index_dir) == before
    assert [n.notice_id for n in load(settings).notices] == ["朔州市-2026", "沁水县-2025"]


def test_skip_bad_indexes_the_rest(notice_folder: Path, tmp_path: Path) -> None:
    (notice_folder / "empty.txt").write_bytes(b"")
    settings = Settings(source_dir=notice_folder, index_dir=tmp_path / "idx")
    report = build(settings, skip_bad=True)
    assert [n.notice_id for n in report.corpus.notices] == ["朔州市-2026", "沁水县-2025"]
    assert any("empty.txt" in message for message in report.skipped)


def test_second_corpus_is_indexed_beside_the_first(notice_folder: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "idx"
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(BUNDLED / "002_21558e30cd176ac4.txt", other)
    first = Settings(source_dir=notice_folder, index_dir=index_dir)
    second = Settings(source_dir=other, index_dir=index_dir)
    build(first)
    before = _snapshot(first.corpus_dir)
    build(second)
    assert first.corpus_dir != second.corpus_dir
    assert _snapshot(first.corpus_dir) == before
    assert [n.notice_id for n in load(second).notices] == ["忻州市-2024"]


def test_same_notice_twice_gets_distinct_ids(notice_folder: Path, tmp_path: Path) -> None:
    shutil.copy(notice_folder / "004_3faadfceb6f19d28.txt", notice_folder / "005_copy.txt")
    corpus = build(Settings(source_dir=notice_folder, index_dir=tmp_path / "idx")).corpus
    assert [n.notice_id for n in corpus.notices] == ["朔州市-2026", "沁水县-2025", "沁水县-2025-2"]
    assert corpus.clause("沁水县-2025-2/一.一").parent_id == "沁水县-2025-2/一"


def test_index_folder_is_named_by_what_shapes_it(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path)
    assert settings.clause_index_dir.name == f"clauses-{settings.shape_key()}"


def test_loading_before_building_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(IndexNotReady, match="python -m index build"):
        load(Settings(index_dir=tmp_path / "none"))


def test_missing_source_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IndexNotReady, match="找不到通知文件夹"):
        build(Settings(source_dir=tmp_path / "nowhere", index_dir=tmp_path / "idx"))
