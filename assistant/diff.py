"""What changed between two notices: requirements new, dropped, changed (same requirement, other figure or
deadline or wording) and unchanged, each side quoted verbatim with its clause path.

A requirement is a sentence of a clause (`assistant.facts.sentences_of`; headings and responsibility notes are
not requirements). Two sentences are the same requirement when their wording, with every figure masked, is
close (character-bigram Dice): 再建成150座智能化煤矿 and 再建成60座智能化煤矿 match exactly once figures are masked,
and then differ in their figures — a change. Pairs are assigned one to one, most similar first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from assistant.facts import DEADLINE, FIGURE, FREQUENCY, is_heading_only, is_note, sentences_of, tidy
from index.clauses import strip_marker
from index.normalize import is_verbatim, normalize
from index.store import Corpus

# same requirement: masked wording at least this close; identical text (after normalization) is unchanged
SAME = 0.51
# a segment that carries a figure or deadline (年底前再建成#座智能化煤矿) matches its counterpart this closely
SAME_SEGMENT = 0.8
# a short requirement carried whole inside a longer one: this share of its bigrams found there
CONTAINED = 0.85
_MASK = re.compile(r"\d+(?:\.\d+)?")


class DiffError(ValueError):
    """A notice that is not in the library, or the same notice twice."""


@dataclass(frozen=True)
class Side:
    clause_id: str
    path: str
    quote: str  # verbatim sentence of the clause

    def to_dict(self) -> dict[str, str]:
        return {"clause_id": self.clause_id, "path": self.path, "quote": self.quote}


@dataclass(frozen=True)
class Change:
    before: Side
    after: Side
    what: str  # 130座 → 60座; 6月底前 → 9月底前; 表述调整

    def to_dict(self) -> dict[str, Any]:
        return {"before": self.before.to_dict(), "after": self.after.to_dict(), "what": self.what}


@dataclass(frozen=True)
class NoticeDiff:
    before_id: str
    after_id: str
    new: tuple[Side, ...]
    dropped: tuple[Side, ...]
    changed: tuple[Change, ...]
    unchanged: tuple[tuple[Side, Side], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before_id,
            "after": self.after_id,
            "new": [side.to_dict() for side in self.new],
            "dropped": [side.to_dict() for side in self.dropped],
            "changed": [change.to_dict() for change in self.changed],
            "unchanged": [{"before": a.to_dict(), "after": b.to_dict()} for a, b in self.unchanged],
        }

    def summary(self) -> str:
        return (
            f"{self.before_id} → {self.after_id}：新增 {len(self.new)} 条，删去 {len(self.dropped)} 条，"
            f"调整 {len(self.changed)} 条，未变 {len(self.unchanged)} 条"
        )


def requirements(corpus: Corpus, notice_id: str) -> list[Side]:
    sides = []
    for clause in corpus.clauses_of(notice_id):
        for sentence in sentences_of(clause.text):
            plain = normalize(strip_marker(sentence))
            if len(plain) < 8 or is_heading_only(sentence, clause) or is_note(sentence):
                continue
            if not is_verbatim(sentence, clause.text):  # every side is shown as a quote: never one not in the clause
                continue
            sides.append(Side(clause.clause_id, clause.path_label, sentence))
    return sides


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _masked_bigrams(text: str) -> set[str]:
    return _bigrams(_MASK.sub("#", normalize(strip_marker(text))))


def similarity(first: str, second: str) -> float:
    """Dice of character bigrams of the two texts with figures masked (0 … 1)."""
    a, b = _masked_bigrams(first), _masked_bigrams(second)
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


# only 一 and 两 before a unit of time or count: 三项岗位人员, 五到位, 三个一批 are names, not figures
_CHINESE_FIGURE = re.compile(r"(?<![一二两三四五六七八九十第])([一两])(?=次|小时|天|周)")


def arabic_figures(text: str) -> str:
    """一次 → 1次, 两小时 → 2小时: the same figure written in words or digits is the same figure."""
    return _CHINESE_FIGURE.sub(lambda m: "1" if m.group(1) == "一" else "2", text)


def containment(first: str, second: str) -> float:
    """Share of the shorter text's bigrams (figures masked) found in the longer: 从业人员未经培训合格不得上岗 is
    carried whole inside next year's longer sentence. Texts under 8 characters count as unrelated (0)."""
    a, b = _masked_bigrams(first), _masked_bigrams(second)
    if min(len(a), len(b)) < 7:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def what_changed(before: str, after: str) -> str:
    """The figures, deadlines and frequencies that differ (130座 → 60座), or 表述调整 when only wording does."""
    changes = []
    before, after = arabic_figures(before), arabic_figures(after)
    for pattern in (DEADLINE, FIGURE, FREQUENCY):
        old = [tidy(m.group()) for m in pattern.finditer(before)]
        new = [tidy(m.group()) for m in pattern.finditer(after)]
        gone = [x for x in old if x not in new]
        came = [x for x in new if x not in old]
        changes += [f"{a} → {b}" for a, b in zip(gone, came, strict=False)]
        changes += [f"删去 {a}" for a in gone[len(came) :]] + [f"新增 {b}" for b in came[len(gone) :]]
    # a year in a figure's place (2025年 → 2026年) is the calendar moving on, not a change of requirement
    changes = [c for c in changes if not re.fullmatch(r"\d{4}年 → \d{4}年", c)]
    return "；".join(dict.fromkeys(changes)) or "表述调整"


class Relation(StrEnum):
    SAME = "same"  # the same requirement; wording may differ, figures and deadlines do not
    CHANGED = "changed"  # the same requirement with another figure, deadline or frequency (130座 → 60座)
    UNRELATED = "unrelated"


def relation(before: str, after: str) -> Relation:
    """How two requirement sentences relate, by the rules `diff` pairs them with."""
    segments = [
        (a, b)
        for a in _SEGMENT.findall(before)
        for b in _SEGMENT.findall(after)
        if len(normalize(a)) >= 8 and (FIGURE.search(a) or DEADLINE.search(a))
    ]
    related = (
        similarity(before, after) >= SAME
        or containment(before, after) >= CONTAINED
        or any(similarity(a, b) >= SAME_SEGMENT for a, b in segments)
    )
    if not related:
        return Relation.UNRELATED
    return Relation.SAME if what_changed(before, after) == "表述调整" else Relation.CHANGED


def diff(corpus: Corpus, before_id: str, after_id: str) -> NoticeDiff:
    known = {notice.notice_id for notice in corpus.notices}
    missing = [n for n in (before_id, after_id) if n not in known]
    if missing:
        raise DiffError(f"没有这些通知：{'、'.join(missing)}（可用 python -m index stats 查看通知编号）")
    if before_id == after_id:
        raise DiffError("请给出两份不同的通知")
    before, after = requirements(corpus, before_id), requirements(corpus, after_id)
    changed: list[Change] = []
    unchanged: list[tuple[Side, Side]] = []
    taken_before: set[int] = set()
    taken_after: set[int] = set()
    for i, j, old, new in match_requirements(before, after):
        taken_before.add(i)
        taken_after.add(j)
        what = what_changed(old.quote, new.quote)
        if normalize(strip_marker(old.quote)) == normalize(strip_marker(new.quote)) or (
            what == "表述调整" and _same_but_years(old.quote, new.quote)
        ):
            unchanged.append((old, new))
        else:
            changed.append(Change(old, new, what))
    order = {side.clause_id: n for n, side in enumerate(after)}
    changed.sort(key=lambda change: order.get(change.after.clause_id, 0))
    return NoticeDiff(
        before_id,
        after_id,
        new=tuple(side for j, side in enumerate(after) if j not in taken_after),
        dropped=tuple(side for i, side in enumerate(before) if i not in taken_before),
        changed=tuple(changed),
        unchanged=tuple(unchanged),
    )


def match_requirements(before: Sequence[Side], after: Sequence[Side]) -> list[tuple[int, int, Side, Side]]:
    """Pairs of the same requirement, one to one, most similar first: (index before, index after, and the two
    sides, which are the figure-bearing phrases when only those match, 年底前再建成130座智能化煤矿 inside two
    otherwise rewritten sentences)."""
    grams_before = [_masked_bigrams(side.quote) for side in before]
    grams_after = [_masked_bigrams(side.quote) for side in after]
    pairs = []
    for i, a in enumerate(grams_before):
        for j, b in enumerate(grams_after):
            if not a or not b:
                continue
            shared = len(a & b)
            dice = 2 * shared / (len(a) + len(b))
            # carried whole inside a longer sentence counts as the same requirement, ranked after close matches
            contained = shared / min(len(a), len(b)) if min(len(a), len(b)) >= 7 else 0.0
            if dice >= SAME or contained >= CONTAINED:
                pairs.append((max(dice, SAME * contained), i, j))
    pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
    taken_before: set[int] = set()
    taken_after: set[int] = set()
    matched = []
    for _, i, j in pairs:
        if i in taken_before or j in taken_after:
            continue
        taken_before.add(i)
        taken_after.add(j)
        matched.append((i, j, before[i], after[j]))
    matched += list(_segment_pairs(before, after, taken_before, taken_after))
    return matched


def figure_changes(corpus: Corpus, before_id: str, after_id: str) -> list[Change]:
    """Only the requirements whose figure or deadline changed (130座 → 60座), matched among the sentences that
    carry one: a fraction of a full `diff`'s cost, for quiz items about what changed."""

    def carrying(notice_id: str) -> list[Side]:
        return [
            side for side in requirements(corpus, notice_id) if FIGURE.search(side.quote) or DEADLINE.search(side.quote)
        ]

    found = []
    for _, _, old, new in match_requirements(carrying(before_id), carrying(after_id)):
        what = what_changed(old.quote, new.quote)
        if "→" in what:
            found.append(Change(old, new, what))
    return found


_SEGMENT = re.compile(r"[^，；,;。]+")


def _segments(side: Side) -> list[Side]:
    """The comma-delimited phrases of a requirement that state a figure or deadline, each still verbatim."""
    found = []
    for match in _SEGMENT.finditer(side.quote):
        phrase = match.group().strip()
        if len(normalize(phrase)) >= 8 and (FIGURE.search(phrase) or DEADLINE.search(phrase)):
            found.append(Side(side.clause_id, side.path, phrase))
    return found


def _segment_pairs(before, after, taken_before, taken_after):
    candidates = []
    for i, old in enumerate(before):
        if i in taken_before:
            continue
        for j, new in enumerate(after):
            if j in taken_after:
                continue
            for a in _segments(old):
                for b in _segments(new):
                    score = similarity(a.quote, b.quote)
                    if score >= SAME_SEGMENT:
                        candidates.append((score, i, j, a, b))
    used_before: set[int] = set()
    used_after: set[int] = set()
    for _score, i, j, a, b in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_before and j not in used_after:
            used_before.add(i)
            used_after.add(j)
            yield i, j, a, b


def _same_but_years(before: str, after: str) -> bool:
    years = re.compile(r"\d{4}(?=\s*年)")
    return normalize(years.sub("#", before)) == normalize(years.sub("#", after))


def render(result: NoticeDiff, limit: int | None = 20) -> str:
    """Plain text for the CLI: the summary, then each group with its quotes and paths."""

    def shown(items: Sequence[Any]) -> Sequence[Any]:
        return items if limit is None else items[:limit]

    def more(items: Sequence[Any]) -> list[str]:
        return (
            [f"  ……另有 {len(items) - limit} 条（--all 显示全部，--json 输出全部）"]
            if limit and len(items) > limit
            else []
        )

    lines = [result.summary(), "", "【调整】"]
    for change in shown(result.changed):
        lines += [
            f"- {change.what}",
            f"  原（{result.before_id} {change.before.path}）：{tidy(change.before.quote)}",
            f"  新（{result.after_id} {change.after.path}）：{tidy(change.after.quote)}",
        ]
    lines += [*more(result.changed), "", "【新增】"]
    lines += [f"- {result.after_id} {side.path}：{tidy(side.quote)}" for side in shown(result.new)]
    lines += [*more(result.new), "", "【删去】"]
    lines += [f"- {result.before_id} {side.path}：{tidy(side.quote)}" for side in shown(result.dropped)]
    lines += more(result.dropped)
    return "\n".join(lines)


DIFF_COLUMNS = ("类别", "原通知条款", "原通知原文", "新通知条款", "新通知原文", "变化")


def side_by_side(result: NoticeDiff, unchanged: bool = False) -> list[list[str]]:
    """Rows for a two-column view: changed first, then new and dropped (and unchanged when asked)."""
    rows = [["调整", c.before.path, c.before.quote, c.after.path, c.after.quote, c.what] for c in result.changed]
    rows += [["新增", "", "", side.path, side.quote, ""] for side in result.new]
    rows += [["删去", side.path, side.quote, "", "", ""] for side in result.dropped]
    if unchanged:
        rows += [["未变", a.path, a.quote, b.path, b.quote, ""] for a, b in result.unchanged]
    return rows
