"""The question-set schema (JSONL, one object per line), read with clear errors.

Fields:
- ``id`` (str, optional: line number otherwise), ``question`` (str, required)
- ``answerable`` (bool, default true): false for questions the notices do not cover
- ``gold_clauses`` (list of clause ids such as ``朔州市-2026/三.十一.1``): required when answerable
- ``gold_match`` (``any`` | ``all``, default ``any``): one of the gold clauses suffices, or all are needed
  (comparisons across notices)
- ``key_facts`` (list of str): figures, dates, units the answer text must contain (compared normalized)
- ``kind`` (str, default ``other``): for breakdowns, e.g. scoped_fact, paraphrase, responsibility,
  comparison, followup, adversarial, out_of_scope
- ``history`` (list of str or of ``{"role", "content"}``): earlier turns of the conversation
- ``filters`` (``{"issuer", "year", "level"}``): explicit filters, as in the CLI
- ``note`` (str): free text
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class GoldMatch(StrEnum):
    ANY = "any"
    ALL = "all"


class SetError(ValueError):
    """A question set that does not follow the schema; the message names the line."""


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    answerable: bool = True
    gold_clauses: tuple[str, ...] = ()
    gold_match: GoldMatch = GoldMatch.ANY
    key_facts: tuple[str, ...] = ()
    kind: str = "other"
    history: tuple[Any, ...] = ()
    filters: dict[str, Any] | None = None
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_KNOWN = {
    "id",
    "question",
    "answerable",
    "gold_clauses",
    "gold_match",
    "key_facts",
    "kind",
    "history",
    "filters",
    "note",
}


def parse_item(data: object, line: int) -> EvalItem:
    if not isinstance(data, dict):
        raise SetError(f"第{line}行：应为 JSON 对象")
    question = data.get("question")
    if not isinstance(question, str) or not question.strip():
        raise SetError(f"第{line}行：缺少 question")
    answerable = data.get("answerable", True)
    if not isinstance(answerable, bool):
        raise SetError(f"第{line}行：answerable 应为 true/false")
    gold = data.get("gold_clauses", [])
    facts = data.get("key_facts", [])
    history = data.get("history", [])
    if not isinstance(gold, list) or not all(isinstance(g, str) for g in gold):
        raise SetError(f"第{line}行：gold_clauses 应为字符串列表")
    if answerable and not gold:
        raise SetError(f"第{line}行：可回答的问题需要 gold_clauses")
    if not isinstance(facts, list) or not all(isinstance(f, str) for f in facts):
        raise SetError(f"第{line}行：key_facts 应为字符串列表")
    if not isinstance(history, list):
        raise SetError(f"第{line}行：history 应为列表")
    try:
        match = GoldMatch(data.get("gold_match", "any"))
    except ValueError:
        raise SetError(f"第{line}行：gold_match 应为 any 或 all") from None
    filters = data.get("filters")
    if filters is not None and not isinstance(filters, dict):
        raise SetError(f"第{line}行：filters 应为对象")
    return EvalItem(
        id=str(data.get("id") or f"line{line}"),
        question=question,
        answerable=answerable,
        gold_clauses=tuple(gold),
        gold_match=match,
        key_facts=tuple(facts),
        kind=str(data.get("kind", "other")),
        history=tuple(history),
        filters=filters,
        note=data.get("note"),
        extra={k: v for k, v in data.items() if k not in _KNOWN},
    )


def load_set(path: Path) -> list[EvalItem]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SetError(f"无法读取问题集 {path}：{error}") from None
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise SetError(f"第{number}行：不是有效的 JSON（{error.msg}）") from None
        items.append(parse_item(data, number))
    if not items:
        raise SetError(f"问题集 {path} 是空的")
    ids = [item.id for item in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SetError(f"问题集中 id 重复：{'、'.join(duplicates)}")
    return items
