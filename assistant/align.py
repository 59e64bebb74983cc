"""What a lower level carries down: for a county's (or city's) notice, which requirements of the higher notice of
the same or the previous year it carries (matched sentence on each side), which it does not mention, and which
of its own requirements trace to the higher notice or are its own. Counted per section of each notice.

Matching is `assistant.diff.match_requirements`: the same requirement, figures masked, one to one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.diff import Side, match_requirements, requirements
from index.records import Level, Notice
from index.store import Corpus

_ORDER = {Level.NATIONAL: 0, Level.PROVINCE: 1, Level.CITY: 2, Level.COUNTY: 3, Level.TOWN: 4}


class AlignError(ValueError):
    """A notice that is not in the library, or no higher-level notice to compare it with."""


@dataclass(frozen=True)
class Alignment:
    lower_id: str
    higher_id: str
    carried: tuple[tuple[Side, Side], ...]  # (higher, lower)
    left_out: tuple[Side, ...]  # higher requirements the lower notice does not mention
    own: tuple[Side, ...]  # lower requirements that trace to nothing in the higher notice

    def sections(self) -> list[tuple[str, int, int]]:
        """Per top-level section of the higher notice: (section, carried, left out)."""
        carried = Counter(_section(higher) for higher, _ in self.carried)
        left = Counter(_section(side) for side in self.left_out)
        names = list(dict.fromkeys([*(_section(h) for h, _ in self.carried), *(_section(s) for s in self.left_out)]))
        return sorted(((name, carried[name], left[name]) for name in names), key=lambda row: _section_order(row[0]))

    def lower_sections(self) -> list[tuple[str, int, int]]:
        """Per top-level section of the lower notice: (section, traced to the higher notice, its own)."""
        traced = Counter(_section(lower) for _, lower in self.carried)
        own = Counter(_section(side) for side in self.own)
        names = list(dict.fromkeys([*(_section(low) for _, low in self.carried), *(_section(s) for s in self.own)]))
        return sorted(((name, traced[name], own[name]) for name in names), key=lambda row: _section_order(row[0]))

    def summary(self) -> str:
        total = len(self.carried) + len(self.left_out)
        share = len(self.carried) / total if total else 0.0
        return (
            f"{self.lower_id} 对照 {self.higher_id}：上级要求 {total} 条，下级承接 {len(self.carried)} 条（{share:.0%}），"
            f"未提及 {len(self.left_out)} 条；下级自有要求 {len(self.own)} 条"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "lower": self.lower_id,
            "higher": self.higher_id,
            "carried": [{"higher": h.to_dict(), "lower": low.to_dict()} for h, low in self.carried],
            "left_out": [side.to_dict() for side in self.left_out],
            "own": [side.to_dict() for side in self.own],
            "sections": [{"section": s, "carried": c, "left_out": n} for s, c, n in self.sections()],
            "lower_sections": [{"section": s, "traced": t, "own": o} for s, t, o in self.lower_sections()],
        }


def _section(side: Side) -> str:
    return side.path.split("、")[0] + "、" if "、" in side.path else (side.path or "导语")


_NUMERALS = "一二三四五六七八九十"


def _section_order(name: str) -> tuple[int, str]:
    head = name.rstrip("、")
    if head == "导语":
        return (0, head)
    value = 0
    for char in head:
        if char == "十":
            value = (value or 1) * 10
        elif char in _NUMERALS:
            value += _NUMERALS.index(char) + 1
    return (value or 99, head)


def higher_notice(corpus: Corpus, lower: Notice) -> Notice:
    """The notice one level up the lower notice answers to: the province's of the same year, else the year
    before; a county's city notice is preferred when the library has one that names the county."""
    candidates = [
        n
        for n in corpus.notices
        if _ORDER[n.level] < _ORDER[lower.level]
        and n.year in (lower.year, lower.year - 1)
        and (n.level is Level.PROVINCE or _names(n, lower))
    ]
    if not candidates:
        raise AlignError(f"没有 {lower.notice_id} 的上级通知（同年或上一年的省、市通知）")
    return max(candidates, key=lambda n: (_ORDER[n.level], n.year == lower.year, n.year))


def _names(higher: Notice, lower: Notice) -> bool:
    place = lower.issuer.replace("人民政府", "")
    return len(place) >= 2 and place in higher.normalized_text


def align(corpus: Corpus, lower_id: str, higher_id: str | None = None) -> Alignment:
    known = {notice.notice_id: notice for notice in corpus.notices}
    if lower_id not in known:
        raise AlignError(f"没有这份通知：{lower_id}（可用 python -m index stats 查看通知编号）")
    higher = known.get(higher_id) if higher_id else higher_notice(corpus, known[lower_id])
    if higher is None:
        raise AlignError(f"没有这份通知：{higher_id}")
    if higher.notice_id == lower_id:
        raise AlignError("请给出两份不同的通知")
    above, below = requirements(corpus, higher.notice_id), requirements(corpus, lower_id)
    matched = match_requirements(above, below)
    taken_above = {i for i, _, _, _ in matched}
    taken_below = {j for _, j, _, _ in matched}
    carried = tuple((above[i], below[j]) for i, j, _, _ in sorted(matched, key=lambda pair: pair[1]))
    return Alignment(
        lower_id=lower_id,
        higher_id=higher.notice_id,
        carried=carried,
        left_out=tuple(side for i, side in enumerate(above) if i not in taken_above),
        own=tuple(side for j, side in enumerate(below) if j not in taken_below),
    )


def alignment_rows(result: Alignment) -> list[list[str]]:
    """Rows for the app: requirements the lower notice leaves out first, then its own, then what it carries."""
    rows = [["未提及", side.path, side.quote, "", ""] for side in result.left_out]
    rows += [["下级自有", "", "", side.path, side.quote] for side in result.own]
    rows += [["承接", high.path, high.quote, low.path, low.quote] for high, low in result.carried]
    return rows


def render_alignment(result: Alignment, limit: int | None = 10) -> str:
    from assistant.facts import tidy

    def shown(items: Sequence[Any]) -> Sequence[Any]:
        return items if limit is None else items[:limit]

    lines = [result.summary(), "", f"按 {result.higher_id} 的章节：承接 / 未提及"]
    lines += [f"  {name}  {carried} / {left}" for name, carried, left in result.sections()]
    lines += ["", f"按 {result.lower_id} 的章节：来自上级 / 自有"]
    lines += [f"  {name}  {traced} / {own}" for name, traced, own in result.lower_sections()]
    lines += ["", "【未提及的上级要求】"]
    lines += [f"- {result.higher_id} {side.path}：{tidy(side.quote)}" for side in shown(result.left_out)]
    lines += ["", "【下级自有要求】"]
    lines += [f"- {result.lower_id} {side.path}：{tidy(side.quote)}" for side in shown(result.own)]
    if limit is not None:
        lines += ["", "（--all 列出全部，--json 输出全部，含承接的每一对原文）"]
    return "\n".join(lines)
