"""Quiz generation for trainers: every question built from a clause sentence, its key traceable to the quote.

Offline and without an LLM. From the chosen clauses' sentences it takes key
facts: figures with their units (6座, 90%, 1小时), deadlines (年底前, 6月底前),
quoted slogans (“三管三必须”), enumerations (A、B、C) and responsible units.

- blank: the sentence with the fact cut out; the answer is the fact.
- single: the same stem; distractors are facts of the same kind from elsewhere in the corpus
  that do not occur in the source clause.
- multi: items of an enumeration in the sentence against items of other enumerations.
- judge: the sentence itself (true) or with its figure swapped for a distractor (false; the
  changed statement is checked not to occur in the clause).
- short: the clause's requirement; the reference answer is its verbatim text.

Every item is checked by `check_item` before it is kept: quote verbatim in the clause, answer
supported by the quote, no distractor present in the clause.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from index.clauses import strip_marker
from index.normalize import normalize
from index.passages import split_sentences
from index.records import Clause, Notice
from index.store import Corpus

LETTERS = "ABCDEFG"
_FIGURE = re.compile(
    r"(?:\d{4}年)?\d+(?:\.\d+)?\s*(?:%|％|座|个|名|次|处|项|家|人|公里|千米|米|万人|万|亿元|小时|年|周|起|层|吨|级|条|台|支|所)"
)
_DEADLINE = re.compile(r"(?:\d{4}年)?\d{1,2}月底前|年底前|年内|\d+小时内|每季度|每月|每半年|每年")
_SLOGAN = re.compile(r"“([^”]{2,14})”")
# A list of short items that starts after punctuation and ends at 等 or punctuation: "党政同责、一岗双责、齐抓共管"
_ENUMERATION = re.compile(
    r"(?:(?<=^)|(?<=[，。；：“（(]))((?:[\u4e00-\u9fff]{2,6}、){2,}[\u4e00-\u9fff]{2,6})(?=[等”，。；）)])"
)


class QuizType(StrEnum):
    SINGLE = "single"
    MULTI = "multi"
    JUDGE = "judge"
    BLANK = "blank"
    SHORT = "short"


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class QuizError(ValueError):
    """Nothing to ask about, or options that cannot be met; the message says what to change."""


@dataclass(frozen=True)
class QuizItem:
    type: QuizType
    stem: str
    options: dict[str, str] | None
    answer: Any  # letter(s) for single/multi, bool for judge, the missing words for blank, reference text for short
    explanation: str
    clause_id: str
    notice: Notice
    path: str
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type.value,
            "stem": self.stem,
            "options": self.options,
            "answer": self.answer,
            "explanation": self.explanation,
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


@dataclass(frozen=True)
class _Fact:
    kind: str  # figure, deadline, slogan
    text: str
    unit: str


def _unit(text: str) -> str:
    return re.sub(r"[\d.\s]|^\d{4}年", "", text)


def facts_in(sentence: str, terms: Sequence[str] = ()) -> list[_Fact]:
    """Figures, deadlines, quoted slogans, and the domain terms (jieba's policy dictionary) a sentence states."""
    found = [_Fact("figure", m.group().strip(), _unit(m.group())) for m in _FIGURE.finditer(sentence)]
    found += [_Fact("deadline", m.group(), "deadline") for m in _DEADLINE.finditer(sentence)]
    found += [_Fact("slogan", f"“{m.group(1)}”", "slogan") for m in _SLOGAN.finditer(sentence)]
    taken = "".join(f.text for f in found)
    found += [_Fact("term", term, "term") for term in terms if term in sentence and term not in taken]
    return found


def domain_terms() -> list[str]:
    """Named measures and objects of the domain: the policy words of the jieba dictionary, longest first."""
    from index.tokenize import LEXICON

    words = [
        line.split()[0] for line in (LEXICON / "userdict.txt").read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return sorted({w for w in words if len(w) >= 3}, key=len, reverse=True)


class QuizMaker:
    def __init__(self, corpus: Corpus, retriever=None):
        self.corpus = corpus
        self.retriever = retriever
        self.terms = domain_terms()
        self._pool = self._fact_pool()

    def _fact_pool(self) -> dict[str, list[str]]:
        pool: dict[str, set[str]] = {}
        for clause in self.corpus.clauses:
            for sentence in split_sentences(clause.text):
                for fact in facts_in(sentence, self.terms):
                    pool.setdefault(fact.unit, set()).add(fact.text)
        pool["enumeration"] = {
            item
            for clause in self.corpus.clauses
            for m in _ENUMERATION.finditer(clause.text)
            for item in _items_of(m.group())
        }
        return {unit: sorted(values) for unit, values in pool.items()}

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
            result = self.retriever.search(topic, k=20)
            allowed = {c.clause_id for c in clauses}
            ranked = [cid for hit in result.hits for cid in hit.clause_ids if cid in allowed]
            clauses = [self.corpus.clause(cid) for cid in ranked]
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
    ) -> list[QuizItem]:
        if count < 1 or count > 200:
            raise QuizError("题目数量应在 1 到 200 之间")
        if not types:
            raise QuizError("请至少选择一种题型")
        rng = random.Random(seed)
        clauses = self.select(notices, sections, topic)
        focus = self._focus(topic)
        candidates: dict[QuizType, list[QuizItem]] = {t: [] for t in types}
        for clause in clauses:
            for quiz_type in types:
                candidates[quiz_type].extend(self._items(clause, quiz_type, difficulty, rng, focus))
        for items in candidates.values():
            rng.shuffle(items)
        chosen: list[QuizItem] = []
        stems: set[str] = set()
        cursor = {t: 0 for t in types}
        while len(chosen) < count and any(cursor[t] < len(candidates[t]) for t in types):
            for quiz_type in types:
                while cursor[quiz_type] < len(candidates[quiz_type]):
                    item = candidates[quiz_type][cursor[quiz_type]]
                    cursor[quiz_type] += 1
                    if item.stem not in stems and not check_item(item, self.corpus):
                        stems.add(item.stem)
                        chosen.append(item)
                        break
                if len(chosen) >= count:
                    break
        if not chosen:
            raise QuizError("所选内容中找不到能出这些题型的关键事实（数字、时限、提法），请换题型或范围")
        return chosen

    def _focus(self, topic: str | None) -> tuple[str, ...]:
        """Words a topic quiz's sentences must contain (the topic's words and their official synonyms)."""
        if not topic or self.retriever is None:
            return ()
        return tuple(dict.fromkeys(self.retriever.tokenizer.query(topic)))

    def _items(
        self,
        clause: Clause,
        quiz_type: QuizType,
        difficulty: Difficulty,
        rng: random.Random,
        focus: tuple[str, ...] = (),
    ) -> list[QuizItem]:
        notice = self.corpus.notice(clause.notice_id)
        items = []
        clause_text = normalize(clause.text)
        sentences = [s.strip() for s in split_sentences(clause.text) if 12 <= len(s.strip()) <= 160]
        if focus:
            sentences = [s for s in sentences if any(word in normalize(s).lower() for word in focus)]
            if quiz_type is QuizType.SHORT and not any(word in normalize(clause.heading) for word in focus):
                return []
        where = f"{notice.issuer}{notice.year}年《{notice.display_title}》{clause.path_label}"
        make = lambda **kw: QuizItem(clause_id=clause.clause_id, notice=notice, path=clause.path_label, **kw)  # noqa: E731
        if quiz_type is QuizType.SHORT:
            if len(clause.text) >= 40 and clause.headings:
                quote = "".join(split_sentences(clause.text)[:3]).strip()
                stem = f"简述{notice.issuer.removesuffix('人民政府')}{notice.year}年通知对“{clause.heading}”提出了哪些要求。"
                items.append(
                    make(type=quiz_type, stem=stem, options=None, answer=quote, explanation=f"见{where}", quote=quote)
                )
            return items
        for sentence in sentences:
            if quiz_type is QuizType.MULTI:
                items.extend(self._multi(sentence, clause_text, where, make, rng))
                continue
            for fact in facts_in(sentence, self.terms):
                if sentence.count(fact.text) != 1:
                    continue
                blanked = strip_marker(sentence).replace(fact.text, "____", 1)
                prefix = f"根据{notice.issuer.removesuffix('人民政府')}{notice.year}年通知："
                distractors = self._distractors(fact, clause_text, difficulty, rng)
                if quiz_type is QuizType.BLANK:
                    items.append(
                        make(
                            type=quiz_type,
                            stem=prefix + blanked,
                            options=None,
                            answer=fact.text,
                            explanation=f"见{where}",
                            quote=sentence,
                        )
                    )
                elif quiz_type is QuizType.SINGLE and len(distractors) >= 3:
                    options_list = [fact.text, *distractors[:3]]
                    rng.shuffle(options_list)
                    options = dict(zip(LETTERS, options_list, strict=False))
                    letter = next(k for k, v in options.items() if v == fact.text)
                    items.append(
                        make(
                            type=quiz_type,
                            stem=prefix + blanked.replace("____", "（　　）"),
                            options=options,
                            answer=letter,
                            explanation=f"见{where}",
                            quote=sentence,
                        )
                    )
                elif quiz_type is QuizType.JUDGE:
                    truth = rng.random() < 0.5 or not distractors
                    statement = strip_marker(sentence)
                    statement = statement if truth else statement.replace(fact.text, distractors[0], 1)
                    items.append(
                        make(
                            type=quiz_type,
                            stem=f"判断：{prefix}{statement}",
                            options=None,
                            answer=truth,
                            explanation=f"原文：{sentence}（{where}）",
                            quote=sentence,
                        )
                    )
        return items

    def _multi(self, sentence: str, clause_text: str, where: str, make, rng: random.Random) -> list[QuizItem]:
        items = []
        for match in _ENUMERATION.finditer(sentence):
            listed = _items_of(match.group())
            if len(listed) < 3 or len(set(listed)) != len(listed):
                continue
            others = [
                item for item in self._pool["enumeration"] if normalize(item) not in clause_text and len(item) <= 8
            ]
            if len(others) < 2:
                continue
            correct = rng.sample(listed, k=min(3, len(listed)))
            wrong = rng.sample(others, k=2)
            options_list = correct + wrong
            rng.shuffle(options_list)
            options = dict(zip(LETTERS, options_list, strict=False))
            answer = "".join(k for k, v in options.items() if v in correct)
            context = strip_marker(sentence.replace(match.group(), "……", 1))
            stem = f"根据{where}：“{context}”省略处列举了下列哪些内容？"
            items.append(
                make(
                    type=QuizType.MULTI,
                    stem=stem,
                    options=options,
                    answer=answer,
                    explanation=f"原文：{sentence}",
                    quote=sentence,
                )
            )
        return items

    def _distractors(self, fact: _Fact, clause_text: str, difficulty: Difficulty, rng: random.Random) -> list[str]:
        """Facts of the same kind from elsewhere in the corpus that the source clause does not contain."""
        pool = [v for v in self._pool.get(fact.unit, []) if v != fact.text and normalize(v) not in clause_text]
        if fact.kind in ("term", "slogan"):
            # 重大隐患 against 重大事故隐患 would be a second right answer: keep only clearly different words
            chars = set(fact.text.strip("“”"))
            pool = [v for v in pool if len(chars & set(v.strip("“”"))) / len(chars) < 0.5]
        if fact.kind == "figure":
            value = _number(fact.text)
            if difficulty is Difficulty.HARD and value:
                pool.sort(key=lambda v: abs((_number(v) or 0) - value))
                return pool[:3]
            synthetic = [fact.text.replace(str(_fmt(value)), str(_fmt(value * k)), 1) for k in (2, 3, 0.5) if value]
            pool += [s for s in synthetic if s != fact.text and normalize(s) not in clause_text]
        rng.shuffle(pool)
        return list(dict.fromkeys(pool))[:3]


def _items_of(enumeration: str) -> list[str]:
    return [item for item in enumeration.split("、") if "的" not in item]


def _number(text: str) -> float | None:
    found = re.search(r"\d+(?:\.\d+)?", re.sub(r"^\d{4}年", "", text))
    return float(found.group()) if found else None


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


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
        source = f"{item.notice.issuer}{item.notice.year}年《{item.notice.display_title}》{item.path}"
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
        return bool(item.options) and item.answer in item.options
    if item.type is QuizType.MULTI:
        return bool(item.options) and isinstance(item.answer, str) and set(item.answer) <= set(item.options)
    if item.type is QuizType.JUDGE:
        return isinstance(item.answer, bool)
    return isinstance(item.answer, str) and bool(item.answer)


def check_item(item: QuizItem, corpus: Corpus) -> list[str]:
    """Problems of one item (empty when sound): the checks the evaluation suite also runs."""
    problems = []
    if not corpus.has_clause(item.clause_id):
        return ["出处条款不存在"]
    clause = normalize(corpus.clause(item.clause_id).text)
    quote = normalize(item.quote)
    if not quote or quote not in clause:
        problems.append("引文不是条款原文")
    if item.type in (QuizType.BLANK,) and normalize(str(item.answer)) not in quote:
        problems.append("答案不在引文中")
    if item.type is QuizType.SINGLE:
        right = item.options[item.answer]
        if normalize(right) not in quote:
            problems.append("答案不在引文中")
        for letter, option in item.options.items():
            if letter != item.answer and normalize(option) in clause:
                problems.append(f"干扰项 {letter} 也出现在原条款中")
    if item.type is QuizType.MULTI:
        for letter, option in item.options.items():
            if letter in item.answer and normalize(option) not in quote:
                problems.append(f"答案 {letter} 不在引文中")
            if letter not in item.answer and normalize(option) in clause:
                problems.append(f"干扰项 {letter} 也出现在原条款中")
    if item.type is QuizType.JUDGE:
        statement = normalize(item.stem.split("：", 2)[-1])
        if item.answer is True and statement not in clause:
            problems.append("判断为对的陈述不是原文")
        if item.answer is False and statement in clause:
            problems.append("判断为错的陈述其实是原文")
    if item.type is QuizType.SHORT and normalize(str(item.answer)) not in clause:
        problems.append("参考答案不是条款原文")
    return problems


def quiz_checks(items: Iterable[QuizItem], corpus: Corpus) -> dict[str, float]:
    """Share of items whose key is supported and quote verbatim, distractors never correct, stems unique."""
    items = list(items)
    if not items:
        return {"items": 0.0}
    problems = [check_item(item, corpus) for item in items]
    return {
        "items": float(len(items)),
        "sound": sum(not p for p in problems) / len(items),
        "quote_verbatim": sum(not any("引文" in x for x in p) for p in problems) / len(items),
        "distractors_wrong": sum(not any("干扰项" in x for x in p) for p in problems) / len(items),
        "unique_stems": len({item.stem for item in items}) / len(items),
    }
