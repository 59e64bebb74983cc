"""Shared fixtures: the bundled corpus, indexed once per test session into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.settings import PROJECT_ROOT, Settings
from index.store import Corpus, build

BUNDLED = PROJECT_ROOT / "data" / "notices"


@pytest.fixture(scope="session")
def bundled_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(source_dir=BUNDLED, index_dir=tmp_path_factory.mktemp("index"))


@pytest.fixture(scope="session")
def corpus(bundled_settings: Settings) -> Corpus:
    return build(bundled_settings).corpus


@pytest.fixture
def notice_folder(tmp_path: Path) -> Path:
    """A writable folder holding two of the bundled notices (朔州 2026, 沁水 2025)."""
    folder = tmp_path / "notices"
    folder.mkdir()
    for name in ("000_6ceb901c686c9bad.txt", "004_3faadfceb6f19d28.txt"):
        shutil.copy(BUNDLED / name, folder / name)
    return folder
