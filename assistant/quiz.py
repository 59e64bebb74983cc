"""Quiz papers for trainers: items built from the testable facts of clauses, every key traceable to its quote.

Offline and without an LLM. `assistant.facts` finds the facts a trainer would test (figures with what they
measure, deadlines, frequencies, named mechanisms, roles, levels, sparingly used terms) and wrong versions
of the same category. From them:

- blank: the focused statement with the fact cut out.
- single: the same stem; three wrong values of the fact's category (closeness set by the difficulty).
- multi: a list in the clause (same-category wrong options from lists that share members with it);
  2–5 correct options, varied across a paper; a list's leading verb stays in the stem.
- judge: a short verbatim statement (true) or the same statement with one fact changed (false).
- short: the clause's requirements as scoring points (得分要点), each a verbatim sentence with marks.
- case: a township scenario built on a prohibition (严禁/不得…): which rule applies and what must be done,
  with scoring points.

A paper uses no clause twice, never asks a requirement whose wording another item shows, and draws clauses
with a weight toward the newest and the local notices. Every item is checked by `check_item` before it is kept.
"""

from __future__ import annotations

import collections
import functools
import math
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any

from assistant.diff import Change, figure_changes
from assistant.facts import (
    ENUMERATION,
    FIGURE,
    FactFinder,
    FactKind,
    focus_span,
    is_heading_only,
    is_note,
    list_items,
    plain_name,
    sentences_of,
    slogan_halves,
    split_leading_verb,
    tidy,
    unit_of,
    without_leading_note,
)
from assistant.topics import industries_named
from assistant.topics import topic_of as topic_of_text
from index.clauses import strip_marker
from index.normalize import normalize
from index.records import Clause, Level, Notice
from index.store import Corpus

LETTERS = "ABCDEFG"
# a prohibition with its subject in the same segment: 培训考核不合格人员一律不得上岗作业
_PROHIBITION = re.compile(
    r"([^，。；：、,;:（）()]{0,16}?)(?:一律)?(?:严禁|禁止|不得|不准)(?![和与及类的])([^，。；：,;:（）()]{3,24})"
)
# an obligation with its subject: 企业……必须在1小时内向……报告 → a unit that did not (未在1小时内向……报告); the
# 应当 of 适应当地 is no obligation
_OBLIGATION = re.compile(r"([^，。；：、,;:（）()]{0,16}?)(?:必须|务必|(?<![适相])应当)([^，。；：,;:（）()]{4,28})")
# the newer notices write a duty as 要 after the one who owes it (企业主要负责人要认真履行安全生产法定职责): a unit
# that did not (企业主要负责人未认真履行…) is a breach a township inspector meets
_DUTY = re.compile(
    r"([^，。；：、,;:（）()]{0,14}?(?:企业|单位|负责人|经营者|从业人员|场所|学校|医院|村|社区))要([^，。；：,;:（）()]{4,28})"
)
# the newest notices urge rather than oblige (推动高危行业领域企业实行“无监控不作业”): a unit that did not is a breach too
_URGED = re.compile(
    r"(?:推动|督促|指导|要求)(?![和及与并])([^，。；：、,;:（）()]{0,14}?(?:企业|单位|经营者|场所|学校|医院))"
    r"((?:实行|落实|建立|开展|配备|安装|完成|执行|制定|设立|签订)[^，。；：,;:（）()]{2,24})"
)
_ACTION = re.compile(r"必须|要|应当|严格|依法|责令|落实|建立|开展|督促|加强|确保")


# The inspection a case's township finds the breach in, by the clause's topic: a trainer's cases read as
# different visits, not one template
_OCCASION = {
    "煤矿": "煤矿安全检查",
    "非煤矿山": "非煤矿山安全检查",
    "危险化学品": "危险化学品安全检查",
    "燃气": "燃气安全专项检查",
    "消防": "消防安全检查",
    "道路交通": "道路交通安全检查",
    "建筑施工": "建筑施工和自建房安全检查",
    "特种设备": "特种设备安全检查",
    "烟花爆竹与民爆": "节前烟花爆竹安全检查",
    "自然灾害防治": "汛前和防灾隐患排查",
    "应急救援": "应急准备情况检查",
    "隐患排查治理": "隐患排查",
    "责任体系": "安全生产责任落实情况检查",
}


class QuizType(StrEnum):
    SINGLE = "single"
    MULTI = "multi"
    JUDGE = "judge"
    BLANK = "blank"
    SHORT = "short"
    CASE = "case"


class Difficulty(StrEnum):
    """How close the wrong options are to the key, and which facts are asked (see `_FACT_ORDER`)."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


TYPE_LABELS = {
    QuizType.SINGLE: "单选题",
    QuizType.MULTI: "多选题",
    QuizType.JUDGE: "判断题",
    QuizType.BLANK: "填空题",
    QuizType.SHORT: "简答题",
    QuizType.CASE: "案例分析题",
}
DIFFICULTY_LABELS = {Difficulty.EASY: "容易", Difficulty.MEDIUM: "中等", Difficulty.HARD: "较难"}
MARKS = {
    QuizType.SINGLE: 1,
    QuizType.MULTI: 2,
    QuizType.JUDGE: 1,
    QuizType.BLANK: 1,
    QuizType.SHORT: 10,
    QuizType.CASE: 10,
}
_CLOSENESS = {Difficulty.EASY: 0.0, Difficulty.MEDIUM: 0.5, Difficulty.HARD: 1.0}
# easy asks the salient facts (figures, deadlines); hard the ones a careless reader passes over
_FACT_ORDER = {
    Difficulty.EASY: (FactKind.FIGURE, FactKind.DEADLINE, FactKind.FREQUENCY, FactKind.SLOGAN, FactKind.LEVEL),
    Difficulty.MEDIUM: (
        FactKind.FIGURE,
        FactKind.DEADLINE,
        FactKind.SLOGAN,
        FactKind.FREQUENCY,
        FactKind.ROLE,
        FactKind.LEVEL,
        FactKind.TERM,
    ),
    Difficulty.HARD: (
        FactKind.TERM,
        FactKind.ROLE,
        FactKind.LEVEL,
        FactKind.SLOGAN,
        FactKind.FREQUENCY,
        FactKind.DEADLINE,
        FactKind.FIGURE,
    ),
}


_JUDGE_KINDS = (FactKind.FIGURE, FactKind.DEADLINE, FactKind.FREQUENCY, FactKind.ROLE, FactKind.LEVEL)
_SCARCITY = (QuizType.CASE, QuizType.SHORT, QuizType.MULTI, QuizType.SINGLE, QuizType.JUDGE, QuizType.BLANK)


class QuizError(ValueError):
    """Nothing to ask about, or options that cannot be met; the message says what to change."""


@dataclass(frozen=True)
class Point:
    """One scoring point (得分要点) of a short-answer or case item: `quote` is verbatim in the clause."""

    text: str
    quote: str
    marks: int


@dataclass(frozen=True)
class QuizItem:
    type: QuizType
    stem: str
    options: dict[str, str] | None
    answer: Any  # letter(s) for single/multi, bool for judge, the missing words for blank, reference text otherwise
    explanation: str
    clause_id: str
    notice: Notice
    path: str
    quote: str
    tags: dict[str, Any] = field(default_factory=dict)
    points: tuple[Point, ...] = ()
    # the words that give this item's answer away: no other item of a paper may show them with the same context
    key: tuple[str, ...] = ()
    # a false statement's source span (what it was changed from), for the single-change check
    source_span: str = ""

    @property
    def marks(self) -> int:
        return sum(p.marks for p in self.points) if self.points else MARKS[self.type]

    def to_dict(self) -> dict[str, Any]:
        data = {
            "type": self.type.value,
            "stem": self.stem,
            "options": self.options,
            "answer": self.answer,
            "explanation": self.explanation,
            "marks": self.marks,
            "tags": self.tags,
            "source": {
                "clause_id": self.clause_id,
                "notice_id": self.notice.notice_id,
                "issuer": self.notice.issuer,
                "year": self.notice.year,
                "doc_number": self.notice.doc_number,
                "path": self.path,
                "quote": self.quote,
            },
        }
        if self.type in (QuizType.SHORT, QuizType.CASE):
            data["points"] = [{"text": p.text, "quote": p.quote, "marks": p.marks} for p in self.points]
        return data


def domain_terms() -> list[str]:
    """Named measures and objects of the domain: the policy words of the jieba dictionary, longest first."""
    from index.tokenize import lexicon_lines

    words = [line.split()[0] for line in lexicon_lines("userdict.txt")]
    # by length, then by the word itself: a set's order changes from process to process, a paper must not
    return sorted({w for w in words if len(w) >= 3}, key=lambda w: (-len(w), w))


def topic_of(clause: Clause) -> str:
    return topic_of_text(clause.text + "".join(clause.headings))


def _short_issuer(notice: Notice) -> str:
    return notice.issuer.removesuffix("人民政府")


def _marks_for(count: int, total: int = 10) -> list[int]:
    base, extra = divmod(total, count)
    return [base + (1 if n < extra else 0) for n in range(count)]


@dataclass
class _Verdicts:
    """A paper's judge items, true and false in turn: a coin per item gave a 20-item paper 16 true. Each statement
    with a wrong version is built both ways (`other`, by the id of the version drawn); the paper takes the one that
    evens the count, the coin deciding only when it is even."""

    counted: dict[bool, int] = field(default_factory=lambda: {True: 0, False: 0})
    other: dict[int, QuizItem] = field(default_factory=dict)

    def evened(self, item: QuizItem) -> QuizItem:
        wanted = None if self.counted[True] == self.counted[False] else self.counted[True] < self.counted[False]
        alternative = self.other.get(id(item))
        if wanted is not None and item.answer is not wanted and alternative is not None:
            return alternative
        return item

    def take(self, item: QuizItem) -> None:
        if item.type is QuizType.JUDGE:
            self.counted[bool(item.answer)] += 1


class QuizMaker:
    def __init__(self, corpus: Corpus, retriever=None):
        self.corpus = corpus
        self.retriever = retriever
        self.finder = FactFinder(
            corpus.clauses, domain_terms(), retriever.tokenizer.tagged if retriever is not None else None
        )
        self._agency_cache: dict[str, list[str]] = {}
        self._change_cache: dict[str, list[Change]] = {}

    def select(
        self, notices: Sequence[str] = (), sections: Sequence[str] = (), topic: str | None = None
    ) -> list[Clause]:
        """The clauses to ask about: of the chosen notices/sections, or the ones retrieval finds for a topic."""
        known = {n.notice_id for n in self.corpus.notices}
        unknown = [n for n in notices if n not in known]
        if unknown:
            raise QuizError(f"没有这些通知：{'、'.join(unknown)}（可用 python -m index stats 查看通知编号）")
        clauses = [c for c in self.corpus.clauses if c.path and (not notices or c.notice_id in notices)]
        if sections:
            clauses = [c for c in clauses if any(c.clause_id == s or c.clause_id.startswith(s + ".") for s in sections)]
        if topic:
            if self.retriever is None:
                raise QuizError("按主题出题需要检索索引")
            result = self.retriever.search(topic, k=40)
            allowed = {c.clause_id for c in clauses}
            ranked = [cid for hit in result.hits for cid in hit.clause_ids if cid in allowed]
            clauses = [self.corpus.clause(cid) for cid in dict.fromkeys(ranked)]
            if not result.covered:
                clauses = []
        if not clauses:
            where = f"主题“{topic}”" if topic else "所选通知/条款"
            raise QuizError(f"{where}下没有可以出题的条款内容，请换一个主题或通知")
        return clauses

    def make(
        self,
        count: int = 20,
        types: Sequence[QuizType] = tuple(QuizType),
        notices: Sequence[str] = (),
        sections: Sequence[str] = (),
        topic: str | None = None,
        difficulty: Difficulty = Difficulty.MEDIUM,
        seed: int = 1,
        recent_weight: float = 1.0,
    ) -> list[QuizItem]:
        """A paper of up to `count` items, types in turn. `recent_weight` 0 draws clauses evenly; at 1 a notice's
        weight halves every three years before the newest, and city/county notices count double."""
        if count < 1 or count > 200:
            raise QuizError("题目数量应在 1 到 200 之间")
        if not types:
            raise QuizError("请至少选择一种题型")
        if recent_weight < 0:
            raise QuizError("新近通知权重不能为负")
        rng = random.Random(seed)
        clauses = self.select(notices, sections, topic)
        focus = self._focus(topic)
        ordered = clauses if topic else self._weighted_order(clauses, recent_weight, rng)
        chosen: list[QuizItem] = []
        used_clauses: set[str] = set()
        pending: dict[QuizType, list[QuizItem]] = {t: [] for t in types}
        clause_cursor = 0
        turn = 0
        stalled = 0
        # within each round the scarcer types choose first, so a clause that can carry a case goes to the case
        rounds = sorted(types, key=_SCARCITY.index)
        verdicts = _Verdicts()
        # "which units" items held back by the cap, asked only when the scope has nothing else to ask
        held_back: list[QuizItem] = []
        while len(chosen) < count and stalled < len(rounds):
            quiz_type = rounds[turn % len(rounds)]
            turn += 1
            item = None
            while item is None:
                if not pending[quiz_type]:
                    if clause_cursor >= len(ordered):
                        if quiz_type is QuizType.MULTI and held_back:
                            pending[quiz_type], held_back = held_back, []
                            continue
                        break
                    clause = ordered[clause_cursor]
                    clause_cursor += 1
                    # every clause offers one candidate per type; the first type to take it uses the clause up
                    for candidate_type in types:
                        built = self._item(clause, candidate_type, difficulty, rng, focus, verdicts)
                        if built is not None:
                            pending[candidate_type].append(built)
                    continue
                candidate = verdicts.evened(pending[quiz_type].pop(0))
                if _asks_units(candidate) and not _room_for_units(chosen) and clause_cursor < len(ordered):
                    # the same clause asked for a list instead: a paper of mostly "which units" items reads as one
                    # template repeated (the 2024 provincial notice notes units under almost every clause)
                    relisted = self._item(
                        self.corpus.clause(candidate.clause_id), quiz_type, difficulty, rng, focus, verdicts, False
                    )
                    if relisted is None:
                        held_back.append(candidate)
                        continue
                    candidate = relisted
                if (
                    candidate.clause_id not in used_clauses
                    and not check_item(candidate, self.corpus)
                    and not any(
                        _reveals(candidate, other) or _same_key(candidate, other) or _same_options(candidate, other)
                        for other in chosen
                    )
                ):
                    item = candidate
            if item is None:
                stalled += 1
                continue
            stalled = 0
            used_clauses.add(item.clause_id)
            chosen.append(item)
            verdicts.take(item)
        if not chosen:
            raise QuizError("所选内容中找不到能出这些题型的关键事实（数字、时限、提法），请换题型或范围")
        return chosen

    def _weighted_order(self, clauses: list[Clause], recent_weight: float, rng: random.Random) -> list[Clause]:
        """Clauses in a random order where heavier notices come earlier (Efraimidis–Spirakis keys)."""
        newest = max(self.corpus.notice(c.notice_id).year for c in clauses)

        def weight(clause: Clause) -> float:
            notice = self.corpus.notice(clause.notice_id)
            local = notice.level in (Level.CITY, Level.COUNTY, Level.TOWN)
            return (0.5 ** ((newest - notice.year) / 3) * (2.0 if local else 1.0)) ** recent_weight

        keyed = [(rng.random() ** (1.0 / weight(c)), n, c) for n, c in enumerate(clauses)]
        return [c for _, _, c in sorted(keyed, key=lambda k: (-k[0], k[1]))]

    def _focus(self, topic: str | None) -> tuple[str, ...]:
        """Words a topic quiz's sentences must contain (the topic's words and their official synonyms)."""
        if not topic or self.retriever is None:
            return ()
        return tuple(dict.fromkeys(self.retriever.tokenizer.query(topic)))

    def _item(
        self,
        clause: Clause,
        quiz_type: QuizType,
        difficulty: Difficulty,
        rng: random.Random,
        focus: tuple[str, ...],
        verdicts: _Verdicts | None = None,
        units: bool = True,
    ) -> QuizItem | None:
        """One item of `quiz_type` from `clause`, or None; `units` False keeps a multiple choice to the clause's lists."""
        notice = self.corpus.notice(clause.notice_id)
        where = notice.reference(clause.path_label)
        tags = {
            "topic": topic_of(clause),
            "notice_id": notice.notice_id,
            "year": notice.year,
            "knowledge_point": tidy(clause.heading).rstrip("。；"),
            "difficulty": difficulty.value,
        }

        def make(**fields: Any) -> QuizItem:
            # tags are the clause's; an item about one fact passes its own (with the fact as knowledge point)
            return QuizItem(
                clause_id=clause.clause_id, notice=notice, path=clause.path_label, **{"tags": tags, **fields}
            )

        prefix = _according_to(notice)
        if quiz_type is QuizType.SHORT:
            return self._short(clause, notice, where, make, focus)
        if quiz_type is QuizType.CASE:
            return self._case(clause, notice, where, make, focus, rng)
        if quiz_type is QuizType.MULTI:
            # who is responsible is as testable as what is listed: mix both kinds where a clause names its units
            first, second = self._units_multi, self._multi
            if rng.random() < 0.5:
                first, second = second, first
            if not units:
                return self._multi(clause, prefix, where, make, difficulty, rng, focus)
            return first(clause, prefix, where, make, difficulty, rng, focus) or second(
                clause, prefix, where, make, difficulty, rng, focus
            )
        if quiz_type is QuizType.SINGLE:
            changed = self._change_item(clause, notice, prefix, where, make, difficulty, rng, focus)
            if changed is not None:
                return changed
        about = bool(focus) and _about(clause, focus)
        facts = [f for f in self.finder.facts(clause) if _on_topic(f.sentence, (f.text,), focus, about)]
        order = _FACT_ORDER[difficulty]
        facts = [
            f
            for f in facts
            if f.kind in order
            and f.span.count(f.text) == 1
            and len(f.span) >= 12
            and not is_note(f.span)
            and balanced(tidy(f.span))
        ]
        # a fact inside a document title (《省级救灾物资……办法》) tests the title, not the requirement
        facts = [f for f in facts if not re.search(rf"《[^》]*{re.escape(f.text)}[^《]*》", f.span)]
        if quiz_type is QuizType.JUDGE:
            # a false statement is one real change a careless reader would accept: a figure, deadline, frequency,
            # role or level; a swapped slogan or term reads as nonsense (定期约谈“一盔一带”)
            # and a statement says something: not only the case a requirement applies to (对…超过3年的尾矿库…的)
            facts = [
                f
                for f in facts
                if f.kind in _JUDGE_KINDS and len(tidy(f.span)) <= 70 and not _only_a_condition(tidy(f.span))
            ]
        if quiz_type in (QuizType.BLANK, QuizType.SINGLE):
            facts = [f for f in facts if f.kind not in (FactKind.ROLE, FactKind.LEVEL) or quiz_type is QuizType.SINGLE]
        rng.shuffle(facts)
        facts.sort(key=lambda f: order.index(f.kind))
        closeness = _CLOSENESS[difficulty]
        for fact in facts:
            wrong = self.finder.wrong_versions(fact, clause.text, closeness, rng)
            shown = tidy(fact.span)
            answer = tidy(fact.text)
            knowledge = {**tags, "knowledge_point": f"{tags['knowledge_point']}（{fact.kind.value}：{answer}）"}

            common = {
                "type": quiz_type,
                "explanation": f"原文：{tidy(fact.sentence)}（见{where}）",
                "quote": fact.sentence,
                "key": (answer,),
                "tags": knowledge,
            }
            if quiz_type in (QuizType.BLANK, QuizType.SINGLE) and _label_gives_away(shown, answer):
                continue
            framed = _framed(notice, clause.heading, shown, (answer, *wrong[:3]))
            if quiz_type is QuizType.BLANK and len(shown) - len(answer) >= 12 and self._whole_words(shown, answer):
                return make(**common, stem=framed + shown.replace(answer, "____", 1), options=None, answer=answer)
            if quiz_type is QuizType.SINGLE and fact.kind is FactKind.TERM:
                # a wrong option alike to the key or to what the stem already lists beside it (地震灾害 where the stem
                # lists 地震, 森林防火 beside 森林草原火灾) makes the item arguable
                listed = [item for item in _STEM_ITEMS.split(shown.replace(answer, "", 1)) if len(item) >= 2]
                wrong = [w for w in wrong if not _alike(w, answer) and not any(_alike(w, item) for item in listed)]
            if quiz_type is QuizType.SINGLE and len(wrong) >= 3:
                options_list = [answer, *wrong[:3]]
                rng.shuffle(options_list)
                options = dict(zip(LETTERS, options_list, strict=False))
                letter = next(k for k, v in options.items() if v == answer)
                return make(
                    **common, stem=framed + shown.replace(answer, "（　　）", 1), options=options, answer=letter
                )
            if quiz_type is QuizType.JUDGE:
                truth = not wrong or rng.random() < 0.5
                # the statement both ways where a wrong version exists: the paper takes the one that evens its count
                statements = {True: shown, False: shown.replace(answer, wrong[0], 1) if wrong else shown}
                drawn, *other = [
                    make(
                        **common,
                        stem=f"判断：{framed}{statements[true]}。",
                        options=None,
                        answer=true,
                        source_span=shown,
                    )
                    for true in ((truth, not truth) if wrong else (truth,))
                ]
                if other and verdicts is not None:
                    verdicts.other[id(drawn)] = other[0]
                return drawn
        return None

    def _changes_into(self, notice: Notice) -> list[Change]:
        """Figures and deadlines this notice changed against the same issuer's previous notice (150座 → 130座)."""
        if notice.notice_id not in self._change_cache:
            earlier = [n for n in self.corpus.notices if n.issuer == notice.issuer and n.year < notice.year]
            previous = max(earlier, key=lambda n: n.year, default=None)
            self._change_cache[notice.notice_id] = (
                figure_changes(self.corpus, previous.notice_id, notice.notice_id) if previous else []
            )
        return self._change_cache[notice.notice_id]

    def _change_item(self, clause, notice, prefix, where, make, difficulty, rng, focus) -> QuizItem | None:
        """A figure that changed from last year's notice, with last year's figure among the options: the trap a
        trainer sets for someone who learned last year's notice (智能化煤矿 150 → 130 → 60)."""
        for change in self._changes_into(notice):
            if change.after.clause_id != clause.clause_id or (focus and not _mentions(change.after.quote, focus)):
                continue
            pairs = re.findall(r"(\S+) → (\S+)", change.what)
            old, new = next(((a, b) for a, b in pairs if FIGURE.fullmatch(a) and FIGURE.fullmatch(b)), (None, None))
            fact = next(
                (f for f in self.finder.facts(clause) if tidy(f.text) == new and f.kind is FactKind.FIGURE), None
            )
            if fact is None or old is None or new is None:
                continue
            others = [w for w in self.finder.wrong_versions(fact, clause.text, _CLOSENESS[difficulty], rng) if w != old]
            if len(others) < 2:
                continue
            options_list = [new, old, *others[:2]]
            rng.shuffle(options_list)
            options = dict(zip(LETTERS, options_list, strict=False))
            before = self.corpus.notice(change.before.clause_id.split("/")[0])
            shown = tidy(change.after.quote)
            stem = (
                f"根据{_short_issuer(notice)}{notice.year}年通知（与{before.year}年通知相比有调整）："
                f"{shown.replace(new, '（　　）', 1)}"
            )
            return make(
                type=QuizType.SINGLE,
                stem=stem,
                options=options,
                answer=next(k for k, v in options.items() if v == new),
                explanation=(
                    f"原文：{shown}（见{where}）。{before.year}年通知为：{tidy(change.before.quote)}"
                    f"（见{before.issuer}{before.year}年通知{change.before.path}），本年调整为{new}。"
                ),
                quote=change.after.quote,
                key=(new,),
                tags={
                    "topic": topic_of(clause),
                    "notice_id": notice.notice_id,
                    "year": notice.year,
                    "knowledge_point": f"跨年变化（{change.what}）",
                    "difficulty": difficulty.value,
                },
            )
        return None

    def _multi(self, clause, prefix, where, make, difficulty, rng, focus) -> QuizItem | None:
        clause_text = normalize(clause.text)
        # every sentence of a clause headed 燃气 is about 燃气, named or not (天然气置换人工煤气)
        about = bool(focus) and _about(clause, focus)
        for sentence in sentences_of(clause.text, clause.heading):
            if focus and not _mentions(sentence, focus) and not about:
                continue
            for match in ENUMERATION.finditer(sentence):
                listed = list_items(match.group())
                if slogan_halves(sentence, match.start(), listed):
                    continue
                if len(listed) < 2 or len(set(listed)) != len(listed) or len(listed) != match.group().count("、") + 1:
                    continue
                verb, listed = split_leading_verb(listed, self.finder.tagged)
                if not all(plain_name(item) for item in listed):
                    continue  # an item that reads as a verb (组织 of 从组织、制度、技术…) is no option
                longest = max(len(item) for item in listed)
                shortest = min(len(item) for item in listed)
                # a wrong option much shorter than every right one (技术 among 工程治理、避险搬迁) stands out
                peers = [
                    p
                    for p in self.finder.list_peers(listed)
                    if normalize(p) not in clause_text
                    and shortest - 1 <= len(p) <= longest + 2
                    and plain_name(p)
                    and not any(_alike(p, item) for item in listed)
                ]
                peers = self._of_the_same_kind(listed, peers, clause_text, longest)
                if len({len(item) for item in listed}) == 1 and longest <= 4:
                    # 活动不停、力度不减: a list of set phrases of one length takes wrong options of that length
                    # (消防水源不足 among them stands out as another kind of thing)
                    peers = [peer for peer in peers if len(peer) == longest]
                if not peers:
                    continue
                total = 5 if difficulty is Difficulty.HARD or len(listed) >= 4 else 4
                most = min(len(listed), total - 1, 5)
                if most < 2:
                    continue
                correct_count = rng.randint(2, most)
                wrong_needed = total - correct_count
                if len(peers) < wrong_needed:
                    continue
                correct = rng.sample(listed, k=correct_count)
                if focus and _only_listed(sentence, focus):
                    # a 燃气 paper asks this list only for its 燃气 item: 燃气 must be among the right options
                    on_topic = [item for item in listed if _mentions(item, focus)]
                    if not on_topic:
                        continue
                    if not any(item in on_topic for item in correct):
                        correct = [
                            on_topic[0],
                            *rng.sample([i for i in listed if i != on_topic[0]], k=correct_count - 1),
                        ]
                # the closest category members first for hard papers, random ones of the category otherwise
                distinct: list[str] = []
                for peer in peers:  # two wrong options that say the same (诫勉约谈, 约谈或者诫勉) read as one
                    if not any(_alike(peer, kept) for kept in distinct):
                        distinct.append(peer)
                if len(distinct) < wrong_needed:
                    continue
                pool = distinct[: max(wrong_needed, 4)] if difficulty is Difficulty.HARD else distinct[:12]
                wrong = rng.sample(pool, k=wrong_needed)
                options_list = correct + wrong
                rng.shuffle(options_list)
                options = dict(zip(LETTERS, options_list, strict=False))
                answer = "".join(k for k, v in options.items() if v in correct)
                start = match.start() + len(verb)
                span = focus_span(sentence, match.start(), match.end(), max_chars=80)
                context = tidy(span.replace(sentence[start : match.end()], "……", 1))
                if (
                    "……" not in context
                    or len(context.replace("……", "")) < 8
                    or is_note(sentence)
                    or not balanced(context)
                ):
                    continue
                return make(
                    type=QuizType.MULTI,
                    stem=f"{prefix}“{context}”，省略处包括下列哪些内容？",
                    options=options,
                    answer=answer,
                    explanation=f"原文：{tidy(sentence)}（见{where}）",
                    quote=sentence,
                    key=tuple(correct),
                )
        return None

    def _units_multi(self, clause, prefix, where, make, difficulty, rng, focus) -> QuizItem | None:
        """Which units the notice makes responsible for this clause's work; wrong options are other units
        the same notice names elsewhere (same level, same naming)."""
        heading = tidy(clause.heading).rstrip("。；：")
        if not _stem_heading(heading) or re.search(r"[，,…]", heading) or (focus and not _about(clause, focus)):
            return None
        clause_text = normalize(clause.text)
        for responsibility in clause.units:
            if responsibility.origin != "inline" or normalize(responsibility.units) not in clause_text:
                continue
            listed = agencies(responsibility.units)
            if len(listed) < 2:
                continue
            level = collections.Counter(name[:1] for name in listed).most_common(1)[0][0]
            # a provincial department against provincial departments (省住建厅 / 省水利厅), not a county government
            others = [a for a in self._agencies(clause.notice_id) if normalize(a) not in clause_text and a[:1] == level]
            total = 5 if difficulty is Difficulty.HARD or len(listed) >= 4 else 4
            correct_count = rng.randint(2, min(len(listed), total - 1))
            if len(others) < total - correct_count:
                continue
            correct = rng.sample(listed, k=correct_count)
            options_list = correct + rng.sample(others, k=total - correct_count)
            rng.shuffle(options_list)
            options = dict(zip(LETTERS, options_list, strict=False))
            sentence = next(
                s for s in sentences_of(clause.text, clause.heading) if normalize(responsibility.units) in normalize(s)
            )
            return make(
                type=QuizType.MULTI,
                stem=f"{prefix}“{heading}”这项工作，{_UNITS_ASKED}",
                options=options,
                answer="".join(k for k, v in options.items() if v in correct),
                explanation=f"原文：{tidy(sentence)}（见{where}）",
                quote=sentence,
                key=tuple(correct),
            )
        return None

    def _of_the_same_kind(self, listed: list[str], peers: list[str], clause_text: str, longest: int) -> list[str]:
        """A list whose items mostly end alike (…灾害, …火灾, …日查) is of one kind: its wrong options are of that
        kind (the co-listed ones, then the corpus's other list items, 低温雨雪冰冻灾害), never the departments or
        industries that share other lists with them (水利, 林业 among 灾种), however few of the kind there are."""
        endings = collections.Counter(item[-2:] for item in listed if len(item) > 2).most_common(1)
        tail, alike = endings[0] if endings else ("", 0)
        heads: frozenset[str] | None = None
        if alike < 2 or 2 * alike < len(listed):
            tail, alike = collections.Counter(item[-1] for item in listed).most_common(1)[0]
            # one shared character is a weak kind (会 of 推进会 and of 工会, 改 of 水改 and of 整改): the option must
            # end in one of the list's own last words
            heads = frozenset(self._last_word(item) for item in listed)
        if alike < 2 or 2 * alike < len(listed):
            return self._sharing_a_character(listed, peers, clause_text, longest)

        def of_kind(text: str) -> bool:
            return text.endswith(tail) and (heads is None or self._last_word(text) in heads)

        # too few of the kind: the list gives no item, rather than one with 林业 among 灾害
        return self._options_of_kind(of_kind, listed, peers, clause_text, longest, nominal_peers=True)

    def _sectors_among(self, listed: list[str], peers: list[str], clause_text: str, longest: int) -> list[str]:
        """A list of 行业领域 (消防、城镇燃气、民爆物品) takes other sectors as its wrong options, not what is listed
        with one of them elsewhere (照明, 通风 beside 消防 among a mine's systems): a sector is what the corpus lists
        before 等行业领域 / 等重点行业. Other lists keep their peers."""
        sectors = self._sectors
        if sum(item in sectors for item in listed) * 2 < len(listed):
            return peers
        return self._options_of_kind(sectors.__contains__, listed, peers, clause_text, longest, nominal_peers=False)

    @functools.cached_property
    def _sectors(self) -> frozenset[str]:
        found: set[str] = set()
        for clause in self.corpus.clauses:
            text = normalize(clause.text)
            for match in ENUMERATION.finditer(text):
                if _SECTOR_LIST_END.match(text, match.end()):
                    found.update(list_items(match.group()))
        return frozenset(found)

    def _last_word(self, text: str) -> str:
        if self.finder.tagged is None:
            return text[-1:]
        tagged = self.finder.tagged(text)
        return tagged[-1][0] if tagged else text[-1:]

    def _sharing_a_character(self, listed: list[str], peers: list[str], clause_text: str, longest: int) -> list[str]:
        """森林草原火灾、地质灾害 end unlike but share 灾: its wrong options are other items with 灾 (地震灾害),
        not the sectors listed with them elsewhere (水利, 林业); `peers` when the items share no character or
        fewer than two such options exist."""
        # the kind is named at the end (火灾, 灾害): a character shared elsewhere (以岗位大练兵, 业务大比武) is not it
        common = set(listed[0][-2:]).intersection(*(set(item[-2:]) for item in listed[1:])) - _EVERY_LIST_CHARACTERS
        if not common:
            return self._sectors_among(listed, peers, clause_text, longest)
        kind = self._options_of_kind(
            lambda text: bool(common & set(text[-2:])), listed, peers, clause_text, longest, nominal_peers=False
        )
        return kind if len(kind) >= 2 else peers

    def _options_of_kind(
        self,
        belongs: Callable[[str], bool],
        listed: list[str],
        peers: list[str],
        clause_text: str,
        longest: int,
        nominal_peers: bool,
    ) -> list[str]:
        """Wrong options of a list's kind (`belongs`): the co-listed peers of it, then the corpus's other list items
        of it that are names opening with a noun, not in the clause, of the list's length and not alike to an item."""
        shortest = min(map(len, listed))
        kind = [p for p in peers if belongs(p) and (not nominal_peers or self._nominal(p))] + [
            t
            for t in self._list_items
            if belongs(t)
            and plain_name(t)
            and self._nominal(t)
            and normalize(t) not in clause_text
            and shortest - 1 <= len(t) <= longest + 2
            and not any(_alike(t, item) for item in listed)
        ]
        return list(dict.fromkeys(kind))

    @functools.cached_property
    def _bigram_clauses(self) -> collections.Counter[str]:
        """In how many clauses each character pair occurs."""
        counted: collections.Counter[str] = collections.Counter()
        for clause in self.corpus.clauses:
            counted.update(_bigrams(clause.text))
        return counted

    def _related(self, other: str, duty: str) -> bool:
        """Whether requirement `other` is about what the breached `duty` names (建立健全事故隐患排查治理制度 →
        事故, 隐患 in 对重大事故隐患…双报告; 上岗作业 is in no sentence about 中小学 drills): it holds two of the
        duty's words that at most 30% of clauses use (not 安全, 加强, 落实, a date), or one that at most 10% use;
        without a tokenizer, three such character pairs."""
        common = max(3, len(self.corpus.clauses) * _DUTY_WORD_SHARE)
        if self.retriever is None:
            shared = _bigrams(other) & _bigrams(duty)
            return sum(1 for pair in shared if self._bigram_clauses[pair] <= common) >= _RELATED_BIGRAMS
        frequencies = self.retriever.index.clause_frequencies
        plain = normalize(other)
        shared = {
            word
            for word in self.retriever.tokenizer(duty)
            if len(word) >= 2
            and 0 < frequencies.get(word, 0) <= common
            and not _DATE_WORD.search(word)
            and word in plain
        }
        # two such words, or one that few clauses use (起重机, 网格员)
        rare = max(3, len(self.corpus.clauses) * _DUTY_WORD_SHARE / 3)
        return len(shared) >= 2 or any(frequencies[word] <= rare for word in shared)

    @functools.cached_property
    def _list_items(self) -> list[str]:
        """Every item of every list in the corpus, most listed first."""
        counted = collections.Counter(item for items in self.finder.enumerations for item in items)
        return [item for item, _ in counted.most_common()]

    def _whole_words(self, text: str, part: str) -> bool:
        """Whether `part` of `text` does not cut a word at its ends: 专职消防队 in 政府专职消防队伍 does (its blank
        would read 政府____伍, 队伍 being a word across the cut)."""
        if self.retriever is None or part not in text:
            return True
        start = text.find(part)
        end = start + len(part)
        is_word = self.retriever.tokenizer.is_word
        return not (
            (end < len(text) and is_word(text[end - 1 : end + 1]))
            or (start > 0 and is_word(text[start - 1 : start + 1]))
        )

    def _nominal(self, text: str) -> bool:
        """Opens with a noun, not a verb, adverb or adjective (有效治理重大灾害 is an action, not a kind of 灾害)."""
        if self.finder.tagged is None:
            return True
        tagged = self.finder.tagged(text)
        return bool(tagged) and not tagged[0][1].startswith(("v", "d", "a", "p", "c"))

    def _agencies(self, notice_id: str) -> list[str]:
        if notice_id not in self._agency_cache:
            names = {a for c in self.corpus.clauses_of(notice_id) for r in c.units for a in agencies(r.units)}
            self._agency_cache[notice_id] = sorted(names)
        return self._agency_cache[notice_id]

    def _short(self, clause, notice, where, make, focus) -> QuizItem | None:
        heading = tidy(clause.heading).rstrip("。；：")
        first_line, newline, _ = clause.text.partition("\n")
        # a two-part title on a line of its own (加强组织领导，切实守牢安全生产底线) is a title, comma and all
        titled = bool(newline) and normalize(strip_marker(first_line)) == normalize(clause.heading)
        # a heading that is the clause's first long sentence, not a title, makes no stem (…推进缓…)
        if not _stem_heading(heading) or (re.search(r"[，,…]", heading) and not titled) or clause.heading == "导语":
            return None
        if focus and not _about(clause, focus):
            return None
        sentences = [
            s
            for s in sentences_of(clause.text, clause.heading)
            if len(normalize(s)) >= 8 and not is_heading_only(s, clause) and not is_note(s)
        ]
        sentences = [s for s in sentences if normalize(s) != normalize(clause.heading)]
        if industries_named(clause.heading):
            # 其他重点行业领域都要采取针对性措施深化整治 closes a 建筑施工 clause: no requirement on 建筑施工
            sentences = [s for s in sentences if not _OTHER_SECTORS.match(normalize(strip_marker(s)))]
        if len(sentences) < 2 or max(len(normalize(s)) for s in sentences) > 160:
            return None
        # at most five points: neighbouring sentences merged, so the whole clause is covered
        groups = _grouped(sentences, 5)
        marks = _marks_for(len(groups))
        points = tuple(
            Point(text=tidy(strip_marker("".join(group))), quote="".join(group), marks=mark)
            for group, mark in zip(groups, marks, strict=True)
        )
        if any(normalize(p.quote) not in normalize(clause.text) for p in points):
            return None
        return make(
            type=QuizType.SHORT,
            stem=f"简述{_short_issuer(notice)}{notice.year}年通知在“{heading}”方面提出的主要要求。",
            options=None,
            answer="\n".join(f"{n}. {p.text}（{p.marks}分）" for n, p in enumerate(points, 1)),
            explanation=f"见{where}",
            quote="".join(p.quote for p in points),
            points=points,
            key=(heading,),
        )

    def _case(self, clause, notice, where, make, focus, rng: random.Random | None = None) -> QuizItem | None:
        """A township case from one of the clause's breaches (drawn by `rng` where the clause holds several, so
        papers of other seeds ask other cases), or None."""
        if focus and not _mentions(clause.text, focus):
            return None
        # a task after the previous task's note ((省住建厅…负责）企业要…) is read without the note
        sentences = [without_leading_note(s) for s in sentences_of(clause.text, clause.heading)]
        candidates = [
            built
            for index, sentence in enumerate(sentences)
            if (built := self._breach_case(clause, notice, where, make, focus, sentences, index)) is not None
        ]
        if not candidates:
            return None
        return rng.choice(candidates) if rng is not None else candidates[0]

    def _breach_case(self, clause, notice, where, make, focus, sentences, index) -> QuizItem | None:
        sentence = sentences[index]
        if is_heading_only(sentence, clause) or len(normalize(sentence)) > 150:
            return None
        if focus and not _mentions(sentence, focus) and not _mentions(clause.heading, focus):
            return None  # a 燃气 paper's case is about 燃气, not another sentence of a clause that names it once
        match = _PROHIBITION.search(sentence)
        obligation = (
            None if match else (_OBLIGATION.search(sentence) or _DUTY.search(sentence) or _URGED.search(sentence))
        )
        found = match or obligation
        if found is None or not _a_breach(sentence, found):
            return None
        subject = re.sub(r"^(?:要|并|同时|坚决|对|凡)", "", tidy(found.group(1)))
        if (
            re.search(r"负责人$", subject)
            and not re.search(r"企业|单位|经营", subject + sentence[: found.start()])
            and re.search(r"政府|部门", clause.heading + _before(clause.text, sentence, 80) + sentence)
        ):
            return None  # 其他负责人要抓好分管行业领域的安全生产工作: a government's leaders, not an inspected unit's
        doer = ""
        if match:
            # 非煤矿山和尾矿库要…，严禁超能力、超定员组织生产: who is forbidden opens the sentence
            doer = "" if subject.strip() else _sentence_doer(sentence[: found.start()])
            situation = (f"某{doer}" if doer else "") + (subject + tidy(match.group(2))).strip("，、")
        else:
            situation = f"{subject or '有单位'}未{tidy(found.group(2))}".strip("，、")
            if found.group(2).startswith(("是", "为", "作为", "由")):
                return None
        # a slogan's quotes inside the stem's own quotes read as a second quotation: its words are enough
        situation = situation.replace("“", "").replace("”", "")
        if re.search(r"[《》]", situation) or len(situation) < 4:
            return None
        others = [
            s
            for n, s in enumerate(sentences)
            if n != index
            and _ACTION.search(s)
            and 10 <= len(normalize(s)) <= 120
            and not is_note(s)
            and not is_heading_only(s, clause)
            and not s.lstrip().startswith("其他")  # 其他高危行业企业要…: another's duty, no measure for this one
        ]
        # what the township must then see to: the clause's requirements about the same matter (the breach's
        # own words, not the words every requirement uses), not whatever the clause says next (中小学安全教育
        # after 培训考核不合格人员上岗; 危险路段 after 瓦斯抽采 in a clause that runs through every industry)
        related = [other for other in others if self._related(other, found.group(2))]
        # a government's or department's own duty (各级政府及有关部门要建立…机制) is a measure only where nothing else is
        others = [other for other in related if not _a_government_duty(other)]
        breached = sentence
        if not others and _names_inspected(subject.strip() or doer):
            # else the measures its own sentence names beside the breach (完善地下矿山机械通风系统，合理控制下井人数，
            # 严禁超能力、超定员组织生产): the sentence is cut at its commas, the breach's part the rule broken; only
            # where the one in breach is named as a kind a township inspects (not 有单位, 完成责任目标的单位, 一把手)
            breached, others = _beside_the_breach(sentence, found)
        if not others:
            breached, others = sentence, related
        if not others:
            return None
        chosen = [breached, *others[:2]]
        marks = [4, 3, 3] if len(chosen) == 3 else [6, 4]
        points = (
            Point(text=f"该做法违反通知要求：{tidy(strip_marker(breached))}", quote=breached, marks=marks[0]),
            *(
                Point(text=f"应当落实：{tidy(strip_marker(s))}", quote=s, marks=mark)
                for s, mark in zip(chosen[1:], marks[1:], strict=True)
            ),
        )
        stem = (
            f"案例分析：某乡镇在{_OCCASION.get(topic_of_text(sentence), '安全检查')}中发现，辖区内存在“{situation}”的情况。"
            f"请根据{_short_issuer(notice)}{notice.year}年通知，指出这种做法是否允许、依据哪一项要求，"
            "乡镇应当督促落实哪些措施。"
        )
        return make(
            type=QuizType.CASE,
            stem=stem,
            options=None,
            answer="\n".join(f"{n}. {p.text}（{p.marks}分）" for n, p in enumerate(points, 1)),
            explanation=f"依据：{where}",
            quote=_span_of(clause.text, chosen),
            points=points,
            key=(situation,),
        )


# who opens a sentence whose prohibition has no subject of its own: a kind a township inspects, before its 要
_OPENING_DOER = re.compile(r"^([^，。；：,;:（）()“”]{2,10}?)(?:要|必须|应当|须)")
_INSPECTED_KIND = re.compile(
    r"(?:企业|单位|经营者|场所|学校|医院|煤矿|矿山|尾矿库|工地|客车|货车|车辆|自建房|厂|店|站)$"
)


# who a requirement names before its modal (各级政府及有关部门要…, 监管部门要…)
_REQUIRED_OF = re.compile(r"^([^，。；：,;:“”]{2,14}?)(?:要|必须|应当|须|将)")


def _a_government_duty(sentence: str) -> bool:
    """Whether `sentence` is a duty of a government or department (各级政府及有关部门要建立…会商研判机制): no measure
    a township sees to at the enterprise it found in breach."""
    found = _REQUIRED_OF.match(normalize(strip_marker(sentence)))
    return found is not None and bool(_NOT_INSPECTED.search(found.group(1)))


def _before(text: str, part: str, chars: int) -> str:
    """Up to `chars` characters of `text` before `part` (what a sentence cut at ；continues)."""
    at = text.find(part)
    return text[max(0, at - chars) : at] if at > 0 else ""


def _names_inspected(subject: str) -> bool:
    """Whether `subject` names a kind of unit or person a township inspects, plainly (企业, 生产煤矿, 特种作业人员), not
    by what it did (完成责任目标的单位) or through a verb (深入企业)."""
    return bool(_INSPECTED_KIND.search(subject) or re.search(r"(?:人员|负责人)$", subject)) and not (
        "的" in subject or subject.startswith(("深入", "完成", "推动", "督促", "指导"))
    )


def _sentence_doer(opening: str) -> str:
    """The first inspected kind the sentence opens with (非煤矿山和尾矿库要… → 非煤矿山), or ''."""
    found = _OPENING_DOER.match(opening.strip())
    if found is None or _NOT_INSPECTED.search(found.group(1)):
        return ""
    first = re.split(r"[和及与、]", found.group(1))[0]
    return first if _INSPECTED_KIND.search(first) else ""


def _beside_the_breach(sentence: str, found: re.Match) -> tuple[str, list[str]]:
    """The comma-separated part of `sentence` holding the breach, and the parts beside it that require something
    (nearest first; parts of 6 characters or more): the measures one sentence lists around its prohibition."""
    parts, start = [], 0
    for piece in re.split(r"(?<=[，；,;])", sentence):
        parts.append((start, piece))
        start += len(piece)
    breach = next(n for n, (begin, piece) in enumerate(parts) if begin <= found.start(2) < begin + len(piece))
    own = parts[breach][1].rstrip("，；,;。")
    beside = [
        piece.rstrip("，；,;。")
        for n, (begin, piece) in sorted(enumerate(parts), key=lambda pair: abs(pair[0] - breach))
        if n != breach
    ]
    measures = [piece for piece in beside if len(normalize(piece)) >= 6 and _ACTION_PART.search(piece)]
    return own, measures


# a part of a sentence that asks something done (完善…系统, 合理控制…人数), not a case or a goal (对重大事故隐患),
# nor another's duty (其他高危行业企业要达到三级及以上标准 is no measure for a 生产煤矿 below 二级)
_ACTION_PART = re.compile(
    r"^(?:要|并|同时)?(?:完善|控制|合理|加强|建立|健全|开展|落实|严格|实行|执行|配备|安装|设置|制定|组织|督促|定期|及时|"
    r"坚决|依法|确保|强化|规范|推行|推进|做好|挂牌|责令|严肃|加大|提高|监管部门)"
)


# what follows a list of sectors: 消防、城镇燃气、民爆物品等重点行业领域
_SECTOR_LIST_END = re.compile(r"等(?:重点|其他|高危)?(?:行业|领域)")
# a sentence on the sectors a clause is not about: 其他重点行业领域都要…, 其他高危行业企业要…
_OTHER_SECTORS = re.compile(r"其他(?:重点|高危)?(?:行业|领域)")
# a requirement shares at least this many character pairs with the breach to be a point of the same case
_RELATED_BIGRAMS = 3
# a statement that is only the case a requirement applies to, or its requirement without who or what: it ends in 的
# (…连续发生3起…事故的), opens with 对 and says nothing done (对…没有生产经营主体的尾矿库。), or opens with the modal
_ONLY_A_CONDITION = re.compile(r"的(?:[（(][^）)]*[）)])?$")
_DONE = re.compile(r"要|必须|应当|应|须|不得|严禁|实施|实行|开展|落实|进行|予以|严格|加强|推进|完成|建立|组织|督促")


def _only_a_condition(statement: str) -> bool:
    plain = statement.rstrip("。；;，,")
    if re.match(r"(?:必须|务必|应当|要|须|并)", plain):
        return True  # 必须在两年内完成闭库治理并销号: what must be closed is in the sentence before
    # what is done comes after the case's last 的 (对…的尾矿库，必须…; 不再进行排尾作业的 is part of the case)
    return bool(_ONLY_A_CONDITION.search(plain)) or (
        plain.startswith("对") and not _DONE.search(plain[plain.rfind("的") + 1 :])
    )


_DUTY_WORD_SHARE = 0.3
# dates every task has (2016年年底前) are no shared matter
_DATE_WORD = re.compile(r"\d|年底|年内|月底|年前|底前|年初")
# characters in items of every kind (安全生产, 监管部门, 工作机制): sharing one says nothing about the kind
_EVERY_LIST_CHARACTERS = frozenset("安全生产工作管理建设的和与及")
# pairs that every requirement shares (安全, 生产…) say nothing about being on the same matter
_COMMON_BIGRAMS = frozenset(
    {"安全", "全生", "生产", "加强", "落实", "严格", "开展", "推进", "建立", "健全", "完善", "工作"}
)


def _span_of(text: str, parts: Sequence[str]) -> str:
    """The run of `text` from the first of `parts` to the last (the points of a case are not one run of text, but
    each lies within the span they cover); the first part alone when one is not found as written."""
    places = [(text.find(part), part) for part in parts]
    if any(start < 0 for start, _ in places):
        return parts[0]
    return text[min(start for start, _ in places) : max(start + len(part) for start, part in places)]


def _bigrams(value: str) -> set[str]:
    plain = re.sub(r"[^\u4e00-\u9fff]", " ", normalize(value))  # a year's digits are no shared matter
    return {plain[i : i + 2] for i in range(len(plain) - 1) if " " not in plain[i : i + 2]} - _COMMON_BIGRAMS


# who a township inspection finds in breach: a unit or person it oversees, not a government body (各部门各单位要充分
# 利用新媒体), and a breach of a duty to act, not of a frame of mind (未始终坚持安全发展理念)
# (nor the inspectors themselves: 执法人员必须配备使用执法记录仪 is no breach found in a township's companies)
_NOT_INSPECTED = re.compile(
    r"部门|政府|党委|各地|各级|机关|委员会|安委会|安委办|新闻|媒体|^[省市县]|有关单位|执法|监管人员|干部"
)
_TALLY = re.compile(r"\d+\s*(?:家|座|个|所|处|户|台|条|辆)")
_STATE_OF_MIND = re.compile(r"理念|意识|重要性|精神|观念|认识|导向")
_PREPOSITION = re.compile(r"(?:根据|按照|结合|围绕|通过|依照|对照|针对|以|在|对|把|将|从)")


def _a_breach(sentence: str, found: re.Match) -> bool:
    """Whether the duty or prohibition `found` in `sentence` makes a breach a township finds on inspection: its
    subject one it oversees, its object whole (not cut off at 、 or by the length limit, not only an adverbial such
    as 根据新情况新变化), not a frame of mind, not the modal inside a slogan (“三管三必须”), and not a prohibition
    that holds only under a condition stated before it (不符合安全生产条件的，一律不得复工复产)."""
    subject, duty = found.group(1), found.group(2)
    before_duty = sentence[: found.start(2)]
    if before_duty.count("“") > before_duty.count("”"):
        return False  # the 必须 of “三管三必须” is a slogan's, not an obligation
    after = sentence[found.end(2) : found.end(2) + 1]
    if after and not re.match(r"[，。；：,;:）)\s]", after):
        return False
    if _NOT_INSPECTED.search(subject) or _STATE_OF_MIND.search(duty) or _PREPOSITION.match(duty):
        return False
    if _TALLY.search(subject):
        return False  # 推动2家工业气体充装企业完成…: a county's target counted over its units, not one unit's duty
    before = sentence[: found.start()].rstrip()
    return not (not subject.strip() and re.search(r"的[，,]$", before))


_AGENCY = re.compile(r"(?:局|厅|委|办|队|院|部|中心|公司|政府|管委会|集团|站|所|会|社|行)$")


def agencies(units: str) -> list[str]:
    """The named units of a responsibility note (省工信厅、省商务厅、省应急厅等部门督促落实 → the three)."""
    body = re.sub(
        r"(?:等)?(?:有关)?(?:部门|单位)?(?:按职责)?(?:分工)?(?:负责|督促落实|牵头|配合|参与|落实)+$", "", units
    )
    body = re.sub(r"^(?:牵头|责任)单位[:：]", "", body)
    names = [part.strip() for part in re.split(r"[、，,；;]|(?<=[局厅委办队])和", body) if part.strip()]
    return [name for name in names if 3 <= len(name) <= 14 and _AGENCY.search(name) and "等" not in name]


_PAIRS = (("（", "）"), ("(", ")"), ("“", "”"), ("《", "》"), ("【", "】"))


def balanced(text: str) -> bool:
    """Every bracket and quote opened in `text` is closed in it: a statement cut from a sentence's tail (…部门指导
    督促落实）) or head reads as a fragment, not a requirement."""
    for opening, closing in _PAIRS:
        depth = 0
        for char in text:
            depth += (char == opening) - (char == closing)
            if depth < 0:
                return False
        if depth:
            return False
    return True


# the items a stem lists beside its blank: 森林草原火灾、（　　）、地质灾害、地震、气象灾害等
_STEM_ITEMS = re.compile(r"[、，,；;：:。“”（）()]|等|和|及")


def _alike(first: str, second: str) -> bool:
    """Near-synonyms that would make a wrong option arguable (森林火灾 / 森林草原火灾, 不被他人伤害 / 不被别人伤害)."""
    if first in second or second in first:
        return True
    shared = len(set(first) & set(second))
    return shared / min(len(set(first)), len(set(second))) >= 0.6


def _same_options(item: QuizItem, other: QuizItem) -> bool:
    """Two items offering (nearly) the same options (约谈问责、通报批评、公开曝光、约谈或者诫勉 under two notices'
    sanctions): the second reads as the first asked again."""
    if not item.options or not other.options:
        return False
    mine = {normalize(v) for v in item.options.values()}
    theirs = {normalize(v) for v in other.options.values()}
    shared = len(mine & theirs)
    return shared >= 3 and shared >= min(len(mine), len(theirs)) - 1


def _same_key(item: QuizItem, other: QuizItem) -> bool:
    """Two single, blank or judge items asking for the same thing (重大事故隐患 three times in one paper)."""
    one_fact = (QuizType.SINGLE, QuizType.BLANK, QuizType.JUDGE)
    if item.type not in one_fact or other.type not in one_fact:
        return False
    return {normalize(k) for k in item.key} == {normalize(k) for k in other.key}


def _framed(notice: Notice, heading: str, shown: str, options: Sequence[str]) -> str:
    """根据山西省2020年通知关于“压实部门监管责任”的要求： where the clause has a title of its own. A statement cut
    from a clause often has no subject (每月至少召开一次会议…): the title says whose task it is. Left out where the
    title would name an option or repeats the statement."""
    title = tidy(heading).rstrip("。；")
    plain = _according_to(notice)
    if not 2 <= len(title) <= 16 or title == "导语" or re.search(r"…|：|:", title) or title in shown:
        return plain
    if any(option and (option in title or title in option) for option in options):
        return plain
    # “燃气领域专项整治” above 强化（　　）企业运行安全: a word the title shares with the key alone points at it
    answer, *wrong = [normalize(option) for option in options]
    shared = {answer[i : i + 2] for i in range(len(answer) - 1)} & {title[i : i + 2] for i in range(len(title) - 1)}
    if any(not any(pair in other for other in wrong) for pair in shared):
        return plain
    return _according_to(notice, title)


def _according_to(notice: Notice, title: str = "") -> str:
    """根据山西省2020年通知： or, with the clause's title, 根据山西省2020年通知关于“压实部门监管责任”的要求："""
    about = f"关于“{title}”的要求" if title else ""
    return f"根据{_short_issuer(notice)}{notice.year}年通知{about}："


def _label_gives_away(shown: str, answer: str) -> bool:
    """A label that names what the blank hides: "燃气：持续推进____管网更新改造" (城镇燃气)."""
    label = re.match(r"\s*([\u4e00-\u9fff]{2,8})[：:]", shown)
    return label is not None and label.group(1) in answer


_UNITS_ASKED = "下列哪些单位在责任单位之列？"
# at most about a third of a paper's multiple choice asks which units are responsible
_UNITS_SHARE = 1 / 3


def _asks_units(item: QuizItem) -> bool:
    return item.type is QuizType.MULTI and item.stem.endswith(_UNITS_ASKED)


def _room_for_units(chosen: Sequence[QuizItem]) -> bool:
    multi = [item for item in chosen if item.type is QuizType.MULTI]
    return sum(map(_asks_units, multi)) + 1 <= max(1, math.ceil((len(multi) + 1) * _UNITS_SHARE))


def _stem_heading(heading: str) -> bool:
    """Whether a clause heading can name what a short-answer or unit item asks about: a title of 4–24 characters,
    or a sector's own short name (（十六）燃气。, 消防, 煤矿), which reads as well in 在“燃气”方面."""
    return 4 <= len(heading) <= 24 or (2 <= len(heading) < 4 and bool(industries_named(heading)))


def _about(clause: Clause, focus: tuple[str, ...]) -> bool:
    """Whether a whole clause is about the topic: its heading names it, or most of its sentences do. A clause that
    names 燃气 once among twenty industries (着力从根本上解决重大问题) makes no 燃气 short-answer item."""
    if _mentions(clause.heading, focus):
        return True
    sentences = [s for s in sentences_of(clause.text, clause.heading) if not is_note(s)]
    return bool(sentences) and sum(_mentions(s, focus) for s in sentences) >= len(sentences) / 2


def shortfall_note(asked: int, made: int) -> str:
    """What a trainer is told when the chosen notices, sections or topic hold fewer items than asked for."""
    if made >= asked:
        return ""
    return f"（所选范围内不重复使用条款、不互相泄露答案的题只有 {made} 道；可放宽范围或增加题型）"


def _on_topic(sentence: str, keys: Sequence[str], focus: tuple[str, ...], clause_about: bool = False) -> bool:
    """Whether an item with these keys, cut from `sentence`, tests the topic: a sentence that names 燃气 only as one
    item of a list (对危险化学品、燃气、道路运输、电动自行车等…) is about the list, so the key must name the topic.
    In a clause about the topic (`clause_about`, headed 燃气) a sentence need not name it again."""
    if not focus:
        return True
    # in a 燃气 paper, 城镇燃气 as the key gives itself away
    names_topic = [_mentions(key, focus) and len(normalize(key)) <= max(map(len, focus)) + 2 for key in keys]
    if any(names_topic):
        return False
    if not _mentions(sentence, focus):
        return clause_about
    return not _only_listed(sentence, focus) or any(_mentions(key, focus) for key in keys)


def _only_listed(sentence: str, focus: tuple[str, ...]) -> bool:
    """Whether every mention of the topic in `sentence` is an item of an enumeration (、 before or after it)."""
    plain = normalize(sentence).lower()
    mentions = [m for word in focus for m in re.finditer(re.escape(word), plain)]
    if not mentions:
        return False

    def listed(match: re.Match[str]) -> bool:
        before = re.findall(r"[、，,；;。：:（）()“”]", plain[max(0, match.start() - 12) : match.start()])
        after = re.search(r"[、，,；;。：:（）()“”]", plain[match.end() : match.end() + 12])
        return (bool(before) and before[-1] == "、") or (after is not None and after.group() == "、")

    return all(listed(match) for match in mentions)


def _mentions(text: str, focus: tuple[str, ...]) -> bool:
    plain = normalize(text).lower()
    return any(word in plain for word in focus)


def _grouped(sentences: list[str], most: int) -> list[list[str]]:
    size = -(-len(sentences) // most)
    return [sentences[n : n + size] for n in range(0, len(sentences), size)]


def _reveals(candidate: QuizItem, other: QuizItem) -> bool:
    """One item shows what the other asks: the same requirement (a long shared wording, as in two years'
    near-identical sentences) or one's key words in the other's stem or options."""
    a, b = normalize(candidate.quote), normalize(other.quote)
    if SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size >= 16:
        return True
    for first, second in ((candidate, other), (other, candidate)):
        shown = normalize(second.stem + "".join((second.options or {}).values()))
        if any(len(normalize(word)) >= 3 and normalize(word) in shown for word in first.key):
            context = normalize(first.quote)
            if (
                SequenceMatcher(None, context, shown, autojunk=False)
                .find_longest_match(0, len(context), 0, len(shown))
                .size
                >= 8
            ):
                return True
    return False


def llm_items(chat_model, items: Sequence[QuizItem], corpus: Corpus, checker=None) -> tuple[list[QuizItem], int]:
    """Optional LLM mode: the model rewrites each item from the same source quote; a rewrite that fails
    `check_item`, or whose stem, key or explanation claims what the quote does not say (`ClaimChecker`),
    is dropped (the offline item is kept in its place). Returns the items and how many were dropped."""
    import json as json_module

    from assistant.claims import ClaimChecker, plain
    from assistant.prompts import load_prompt
    from index.tokenize import Tokenizer

    checker = checker or ClaimChecker(Tokenizer())

    template = load_prompt("quiz", {"quiz_type", "source", "quote"})
    result, dropped = [], 0
    for item in items:
        source = item.notice.reference(item.path)
        try:
            reply = chat_model.invoke(template.format(quiz_type=item.type.value, source=source, quote=item.quote))
            text = reply.content if hasattr(reply, "content") else str(reply)
            data = json_module.loads(text[text.find("{") : text.rfind("}") + 1])
            options = data.get("options")
            candidate = QuizItem(
                type=item.type,
                stem=plain(str(data["stem"])),
                options={str(k): plain(str(v)) for k, v in options.items()} if isinstance(options, dict) else None,
                answer=data["answer"],
                explanation=plain(str(data.get("explanation", ""))),
                clause_id=item.clause_id,
                notice=item.notice,
                path=item.path,
                quote=item.quote,
            )
            sound = (
                _shape_ok(candidate) and not check_item(candidate, corpus) and _claims_hold(candidate, corpus, checker)
            )
        except Exception:  # a malformed or failed reply is dropped like an unsupported one
            sound = False
        if sound:
            result.append(candidate)
        else:
            dropped += 1
            result.append(item)
    return result, dropped


def _claims_hold(item: QuizItem, corpus: Corpus, checker) -> bool:
    """What a rewritten item asserts as true — a true statement, the keyed options, the explanation — is what
    its quote says (a false statement is meant to be false, so only its explanation is held to the quote)."""
    from assistant.claims import Claim

    asserted = [item.explanation]
    if item.type is QuizType.JUDGE and item.answer is True:
        asserted.append(item.stem)
    if item.options and isinstance(item.answer, str):
        asserted.extend(item.options.get(key, "") for key in item.answer)
    clause = corpus.clause(item.clause_id).text
    claims = [Claim(text, ((1, item.quote),)) for text in asserted if text and text.strip()]
    meta = f"{item.notice.issuer}{item.notice.year}年{item.notice.doc_number or ''}{item.notice.display_title}"
    return all(claim.problem is None for claim in checker.check(claims, {1: clause}, item.quote, meta))


def _shape_ok(item: QuizItem) -> bool:
    if item.type is QuizType.SINGLE:
        return item.options is not None and item.answer in item.options
    if item.type is QuizType.MULTI:
        return item.options is not None and isinstance(item.answer, str) and set(item.answer) <= set(item.options)
    if item.type is QuizType.JUDGE:
        return isinstance(item.answer, bool)
    return isinstance(item.answer, str) and bool(item.answer)


def judge_statement(item: QuizItem) -> str:
    """The statement a judge item asks about, without its 判断/根据…通知 prefix and its full stop."""
    return item.stem.split("：", 2)[-1].removesuffix("。")


def check_item(item: QuizItem, corpus: Corpus) -> list[str]:
    """Problems of one item (empty when sound): the checks the evaluation suite also runs."""
    problems = []
    if not corpus.has_clause(item.clause_id):
        return ["出处条款不存在"]
    clause = normalize(corpus.clause(item.clause_id).text)
    quote = normalize(item.quote)
    if not quote or quote not in clause:
        problems.append("引文不是条款原文")
    if item.type is QuizType.BLANK and normalize(str(item.answer)) not in quote:
        problems.append("答案不在引文中")
    options = item.options or {}
    if item.type is QuizType.SINGLE:
        right = options.get(item.answer, "")
        if normalize(right) not in quote:
            problems.append("答案不在引文中")
        for letter, option in options.items():
            if letter != item.answer and normalize(option) in clause:
                problems.append(f"干扰项 {letter} 也出现在原条款中")
    if item.type is QuizType.MULTI:
        for letter, option in options.items():
            if letter in item.answer and normalize(option) not in quote:
                problems.append(f"答案 {letter} 不在引文中")
            if letter not in item.answer and normalize(option) in clause:
                problems.append(f"干扰项 {letter} 也出现在原条款中")
    if item.type is QuizType.JUDGE:
        statement = normalize(judge_statement(item))
        if item.answer is True and statement not in clause:
            problems.append("判断为对的陈述不是原文")
        if item.answer is False and statement in clause:
            problems.append("判断为错的陈述其实是原文")
    if item.type in (QuizType.SHORT, QuizType.CASE):
        if len(item.points) < 2:
            problems.append("得分要点少于两条")
        if any(normalize(point.quote) not in clause for point in item.points):
            problems.append("得分要点不是条款原文")
    return problems


def single_change(item: QuizItem) -> bool:
    """A false statement differs from its source span in one place only (one swapped figure, term or role)."""
    if item.type is not QuizType.JUDGE or item.answer is not False:
        return True
    before, after = normalize(item.source_span), normalize(judge_statement(item))
    changes = [op for op in SequenceMatcher(None, before, after, autojunk=False).get_opcodes() if op[0] != "equal"]
    return len(changes) >= 1 and max(op[2] - op[1] for op in changes) <= 12 and _one_region(changes)


def _one_region(changes: Sequence[tuple[str, int, int, int, int]]) -> bool:
    # a figure 60 → 45 diffs as two touching edits; one region means all edits lie within a few characters
    return changes[-1][2] - changes[0][1] <= 12


def same_category(answer: str, option: str) -> bool:
    """A wrong option of the key's category: a figure of the same unit, a deadline for a deadline, a frequency
    for a frequency; other words of a similar length and without a figure when the key has none."""
    from assistant.facts import DEADLINE, FIGURE, FREQUENCY

    for pattern in (DEADLINE, FREQUENCY):
        if pattern.fullmatch(answer):
            return bool(pattern.fullmatch(option))
    if FIGURE.fullmatch(answer):
        return bool(FIGURE.fullmatch(option)) and unit_of(answer) == unit_of(option)
    return not re.search(r"\d", option) and abs(len(option) - len(answer)) <= 4


def quiz_checks(items: Iterable[QuizItem], corpus: Corpus, newest_years: int = 3) -> dict[str, float]:
    """Soundness (keys supported, quotes verbatim, distractors never correct) and the structure of a paper: no
    clause twice, varied multi-choice keys, distractors of the key's category, false statements with a single
    change, short answers with scoring points over the clause, the share of items from the newest notices."""
    items = list(items)
    if not items:
        return {"items": 0.0}
    problems = [check_item(item, corpus) for item in items]
    singles = [item for item in items if item.type is QuizType.SINGLE]
    distractors = [
        same_category(options[item.answer], option)
        for item in singles
        if (options := item.options or {}) and item.answer in options
        for letter, option in options.items()
        if letter != item.answer
    ]
    multi_counts = {len(item.answer) for item in items if item.type is QuizType.MULTI}
    falses = [item for item in items if item.type is QuizType.JUDGE and item.answer is False]
    written = [item for item in items if item.type in (QuizType.SHORT, QuizType.CASE)]
    newest = max(n.year for n in corpus.notices)
    return {
        "items": float(len(items)),
        "sound": sum(not p for p in problems) / len(items),
        "quote_verbatim": sum(not any("引文" in x for x in p) for p in problems) / len(items),
        "distractors_wrong": sum(not any("干扰项" in x for x in p) for p in problems) / len(items),
        "unique_stems": len({item.stem for item in items}) / len(items),
        "clauses_unique": len({item.clause_id for item in items}) / len(items),
        "no_item_reveals_another": 1.0
        - sum(any(_reveals(a, b) for b in items[:n]) for n, a in enumerate(items)) / len(items),
        "multi_key_sizes": float(len(multi_counts)),
        "distractors_same_category": sum(distractors) / len(distractors) if distractors else 1.0,
        "false_single_change": sum(single_change(item) for item in falses) / len(falses) if falses else 1.0,
        "written_points_cover": (
            # a short answer's points cover its clause; a case's are the breached rule and the measures about the
            # same matter, which need not be most of a long clause
            sum(
                len(item.points) >= 2 and (item.type is QuizType.CASE or _coverage(item, corpus) >= 0.5)
                for item in written
            )
            / len(written)
            if written
            else 1.0
        ),
        "newest_share": sum(item.notice.year > newest - newest_years for item in items) / len(items),
    }


def _coverage(item: QuizItem, corpus: Corpus) -> float:
    clause = corpus.clause(item.clause_id)
    body = normalize(clause.text).replace(normalize(clause.heading), "", 1)
    return min(1.0, sum(len(normalize(p.quote)) for p in item.points) / max(1, len(body)))
