"""A wheel built from the repository works on its own: package data, console scripts, the bundled corpus.

The wheel goes into a fresh virtual environment that sees the already installed dependencies but not the
checkout, and the commands run from an unrelated folder with an empty home, as on a user's machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from index.settings import PROJECT_ROOT, Settings


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(root / "dist"),
            ".",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    wheel = next((root / "dist").glob("anquan_notices-*.whl"))
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(root / "venv")
    bin_dir = root / "venv" / "bin"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(bin_dir / "python"), "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    home = root / "home"
    home.mkdir()
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(home),
        # passage vectors are keyed by model and text: reusing the checkout's cache only saves encoding time
        "ANQUAN_VECTOR_CACHE_DIR": str(Settings().vector_cache_dir),
    }
    return root, env


def run(installed: tuple[Path, dict[str, str]], *command: str) -> subprocess.CompletedProcess[str]:
    root, env = installed
    return subprocess.run(list(command), cwd=root, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_installed_modules_come_from_the_wheel_not_the_checkout(installed):
    result = run(installed, "python", "-c", "import index, assistant, prompts, anquan_data; print(index.__file__)")
    assert result.returncode == 0, result.stderr
    assert "site-packages" in result.stdout
    assert str(PROJECT_ROOT) not in result.stdout


@pytest.mark.slow
def test_installed_ask_answers_from_the_bundled_corpus_with_a_verified_quote(installed):
    root, _ = installed
    result = run(installed, "anquan", "ask", "--json", "朔州今年要再建几座智能化煤矿？")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert not answer["refused"]
    citation = answer["citations"][0]
    assert citation["notice_id"] == "朔州市-2026"
    assert citation["quote"] in citation["clause_text"]
    # the index lives in the user's cache folder, never inside the installed package
    assert list((root / "home" / ".cache" / "anquan" / "index").iterdir())


@pytest.mark.slow
def test_installed_prompts_and_console_scripts_load(installed):
    result = run(
        installed,
        "python",
        "-c",
        "from assistant.prompts import load_prompt; print(len(load_prompt('answer', {'question', 'clauses'})))",
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 100
    for script in ("anquan-index", "anquan-eval", "anquan-app"):
        helped = run(installed, script, "--help")
        assert helped.returncode == 0, (script, helped.stderr)
        assert "usage" in helped.stdout
