"""Prompt templates live as files in ``prompts/``; their placeholders are checked when loaded."""

from __future__ import annotations

import string
from importlib import resources
from pathlib import Path


class PromptError(ValueError):
    """A prompt file is missing or its placeholders are not the ones the code fills."""


def load_prompt(name: str, placeholders: set[str], folder: Path | None = None) -> str:
    # `prompts/` is a package of its own so that an installed wheel carries the files
    path = (folder or Path(str(resources.files("prompts")))) / f"{name}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PromptError(f"找不到提示词文件 {path}") from error
    found = {field for _, field, _, _ in string.Formatter().parse(text) if field}
    if found != placeholders:
        raise PromptError(f"提示词 {path.name} 的占位符应为 {sorted(placeholders)}，实际为 {sorted(found)}")
    return text
