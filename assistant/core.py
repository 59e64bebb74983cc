"""The assistant: ``ask(question, history, filters) -> Answer``, verified in every mode."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import replace

from assistant.answer import (
    Extractor,
    answered,
    citation_for,
    compose,
    detail_type,
    document_kind,
    duty_fragment,
    first_picks,
    named_doer,
    notice_citation,
    own_agent,
    place_and_year,
    question_type,
    responsibility_of,
    trim_quote,
    units_sentence,
    unstated,
)
from assistant.claims import ClaimChecker
from assistant.facts import tidy
from assistant.metadata import NoticeField, asked_field, asks_for_library, describe, opening, statement
from assistant.retrieve import Retrieval, Retriever, open_retriever
from assistant.scope import Filters, strip_mentions
from assistant.types import Answer, Citation, Mode, QuestionType
from assistant.verify import problems
from index.clauses import chinese_numeral, table_cells
from index.normalize import normalize
from index.records import Notice
from index.settings import Settings

_CJK = re.compile(r"[\u4e00-\u9fff]")
# A refusal offers the nearest topics when the best clauses hold at least this share of the question's words.
_NEAREST_COVERAGE = 0.2
_MAX_NOTICES_DESCRIBED = 3
# a library listing longer than this is given by issuer and years, one line each
_MAX_LIBRARY_LINES = 30
_MAX_NOTICES_LISTED = 6
# 应急局今年要负责哪些工作 / 住建局有哪些任务: a unit's tasks, read from the notices' responsibility notes (the
# task ledger), not from the one clause that best matches the words
_UNIT_TASKS = re.compile(
    r"([\u4e00-\u9fff（）()]{2,24}?(?:局|厅|委员会|委|办公室|大队|支队|总队|中心|人民政府|管委会))"
    r"(?:今年|去年|前年|\d{4}年)?(?:都|主要|具体|一共)?(?:要|需要|得|应该)?"
    r"(?:(?:负责|承担|牵头|干|做|抓)(?:了)?(?:哪些|什么|啥|哪几项|几项|些什么|些啥)(?:工作|任务|事情|事|活儿?)?"
    r"|有(?:哪些|什么|啥|几项)(?:工作|任务))"
)
_MAX_TASKS_LISTED = 8
# 那住建局呢？ after a unit's tasks were asked: the same question about another unit
_ANOTHER_UNIT = re.compile(
    r"^(?:那|那么|还有|再看看?)?([\u4e00-\u9fff（）()]{2,24}?(?:局|厅|委员会|委|办公室|大队|支队|总队|中心|人民政府|管委会))(?:的)?呢?[？?。]*$"
)
_MAX_CHANGES_SHOWN = 6
# 今年比去年新增了哪些要求 / 有什么变化 / 有何不同: asks what changed between two notices, not one fact in both
_ASKS_CHANGES = re.compile(
    r"新增|新加|新提|多了|增加了|加了哪|变化|变了|有何不同|有什么不同|有啥不同|不一样|改了|区别|新要求"
)


# words that name no topic in a question about everything that changed
_GENERIC = frozenset(
    [
        "要求",
        "通知",
        "内容",
        "工作",
        "文件",
        "安全生产",
        "安全",
        "规定",
        "任务",
        "部署",
        "哪些",
        "哪",
        "些",
        "什么",
        "啥",
        "相比",
        "比",
        "对比",
        "比较",
        "和",
        "与",
        "跟",
        "同",
        "去年",
        "今年",
        "前年",
        "上一年",
        "省里",
        "市里",
        "县里",
        "政府",
        "人民政府",
        "省",
        "市",
        "县",
        "年",
        "的",
        "有",
        "了",
        "呢",
        "吗",
        "方面",
        "地方",
    ]
)


def _first_words(quote: str, limit: int = 40) -> str:
    text = tidy(quote).rstrip("。；;")
    return text if len(text) <= limit else text[:limit] + "…"


class InputError(ValueError):
    """A question the assistant cannot take; the message says what to change."""


History = Sequence[str | dict]


def user_turns(history: History | None) -> list[str]:
    """Prior user questions from a history of strings or ``{"role", "content"}`` messages."""
    turns = []
    for item in history or ():
        if isinstance(item, str):
            turns.append(item)
        elif isinstance(item, dict) and item.get("role", "user") == "user" and isinstance(item.get("content"), str):
            turns.append(item["content"])
    return turns


def check_question(question: object, max_chars: int) -> str:
    if not isinstance(question, str) or not question.strip():
        raise InputError("请输入问题，例如：朔州今年要再建几座智能化煤矿？")
    question = question.strip()
    if len(question) > max_chars:
        raise InputError(f"问题太长（{len(question)} 字），请精简到 {max_chars} 字以内，一次问一件事。")
    if not _CJK.search(question):
        raise InputError("目前只支持用中文提问（通知都是中文），例如：大同对电动自行车进楼入户有什么要求？")
    return question


def _topic(clause) -> str:
    return "导语" if not clause.path else f"{clause.path_label}{clause.heading}"


# 第三条 / 第二章 of a measure issued with a notice (numbered by chapter and article), asked by its number
# (not an article of a law or regulation the question names: 安全生产法第三条, 《…条例》第三条; 办法第三条 is)
_ASKED_NUMBER = re.compile(
    r"(?<!例)(?<!(?<!办)法)(?<!例》)(?<!(?<!办)法》)第([一二三四五六七八九十]{1,3}|\d{1,2})([条章])"
)
_MAX_NUMBERED_QUOTES = 6


class Assistant:
    """Loads the indexes once; `ask` is then safe to call from several threads."""

    def __init__(self, retriever: Retriever, settings: Settings, chat_model=None):
        self.retriever = retriever
        self.settings = settings
        self.extractor = Extractor(retriever)
        self.chat_model = chat_model
        self.claims = ClaimChecker(retriever.tokenizer)

    @classmethod
    def open(
        cls,
        settings: Settings,
        progress=lambda message: None,
        embeddings=None,
        chat_model=None,
        previous: Assistant | None = None,
    ) -> Assistant:
        """Build or load the indexes; `embeddings` and `chat_model` override the configured ones (tests);
        `previous`, the assistant this process serves now, lends what an update leaves unchanged."""
        from assistant.llm import chat_model_from

        chat_model = chat_model if chat_model is not None else chat_model_from(settings)
        retriever = open_retriever(settings, progress, embeddings, previous.retriever if previous else None)
        return cls(retriever, settings, chat_model)

    @property
    def corpus(self):
        return self.retriever.corpus

    def ask(self, question: str, history: History | None = None, filters: Filters | None = None) -> Answer:
        started = time.perf_counter()
        question = check_question(question, self.settings.max_question_chars)
        turns = user_turns(history)
        retrieval = self.retriever.search(question, turns, filters, k=self.settings.top_k)
        retrieved = tuple(clause_id for hit in retrieval.hits for clause_id in hit.clause_ids)
        field = asked_field(question)
        pair = self._compared_notices(question, retrieval)
        if pair is not None and len(pair) == 2:
            answer = self._changes(question, *pair)
            retrieved += tuple(c.clause_id for c in answer.citations)
        elif pair is not None:
            answer = self._nothing_to_compare(question, retrieval, pair[0])
        elif asks_for_library(question) and not retrieval.scope.out_of_scope:
            answer = self._library(question, retrieval)
        elif field is not None and not retrieval.scope.out_of_scope:
            answer = self._about_notices(question, retrieval, field)
            retrieved += tuple(c.clause_id for c in answer.citations)
        elif (tasks := self._unit_tasks(question, retrieval)) is not None:
            answer = tasks
            retrieved += tuple(c.clause_id for c in answer.citations)
        elif (numbered := self._numbered(question, retrieval)) is not None:
            answer = numbered
            retrieved += tuple(c.clause_id for c in answer.citations)
        elif not retrieval.covered:
            answer = self._refusal(question, retrieval)
        else:
            answer = self._extractive(question, retrieval)
            if self.chat_model is not None:
                from assistant.llm import llm_answer

                answer = llm_answer(
                    self.chat_model,
                    question,
                    retrieval,
                    answer,
                    self.corpus,
                    self.claims,
                    self.settings.llm_timeout_s,
                )
        answer = self._verified(answer, retrieved)
        timings = {**retrieval.timings_ms, "total": round((time.perf_counter() - started) * 1000, 2)}
        return replace(answer, retrieved=retrieved, timings_ms=timings)

    def _compared_notices(self, question: str, retrieval: Retrieval) -> tuple[str, ...] | None:
        """今年比去年新增了哪些要求？: the two notices of one issuer the question compares, older first; the one
        notice there is when the library lacks the other year's."""
        scope = retrieval.scope
        if not _ASKS_CHANGES.search(question) or scope.out_of_scope or not scope.notice_ids:
            return None
        # 对智能化煤矿的要求有什么变化 asks about one topic in both years: that is a comparison, not the whole diff
        topic = _ASKS_CHANGES.sub("", retrieval.search_text)
        if any(word not in _GENERIC for word in self.retriever.tokenizer(topic)):
            return None
        notices = [self.corpus.notice(n) for n in scope.notice_ids]
        if len(notices) == 1 and len(set(scope.years)) == 2:
            return (notices[0].notice_id,)
        if len(notices) != 2 or notices[0].issuer != notices[1].issuer or notices[0].year == notices[1].year:
            return None
        older, newer = sorted(notices, key=lambda n: n.year)
        return older.notice_id, newer.notice_id

    def _changes(self, question: str, before_id: str, after_id: str) -> Answer:
        """What a notice adds and changes against the same issuer's earlier one, from `assistant.diff`."""
        from assistant.diff import diff

        result = diff(self.corpus, before_id, after_id)
        before, after = self.corpus.notice(before_id), self.corpus.notice(after_id)
        lead = (
            f"{place_and_year(after)}通知与{before.year}年相比：新增要求 {len(result.new)} 条，"
            f"删去 {len(result.dropped)} 条，调整 {len(result.changed)} 条。"
        )
        citations: list[Citation] = []
        figures = [change for change in result.changed if change.what != "表述调整"]
        for change in figures[:_MAX_CHANGES_SHOWN]:
            citations.append(self._side_citation(len(citations) + 1, after, change.after))
            lead += f"\n· 调整：{change.what}[{len(citations)}]"
        requirements = [side for side in result.new if self.corpus.clause(side.clause_id).path]  # not the preamble
        for side in requirements[: _MAX_CHANGES_SHOWN - len(citations) + 2]:
            citations.append(self._side_citation(len(citations) + 1, after, side))
            lead += f"\n· 新增：{_first_words(side.quote)}[{len(citations)}]"
        lead += f"\n完整对比：python -m assistant diff {before_id} {after_id}，或在“台账与对比”页查看。"
        return answered(question, lead, citations, Mode.EXTRACTIVE, QuestionType.COMPARISON)

    def _nothing_to_compare(self, question: str, retrieval: Retrieval, notice_id: str) -> Answer:
        notice = self.corpus.notice(notice_id)
        missing = [str(year) for year in sorted(set(retrieval.scope.years)) if year != notice.year]
        years = "、".join(str(n.year) for n in self.corpus.notices if n.issuer == notice.issuer)
        lead = (
            f"现有通知中没有{notice.issuer}{'、'.join(missing)}年的通知，无法比较变化"
            f"（{notice.issuer}现有 {years} 年的通知）。可以上传那一年的通知后再问，或直接问某项要求。"
        )
        return Answer(question=question, answer=lead, refused=True, mode=Mode.EXTRACTIVE, lead=lead)

    def _side_citation(self, number: int, notice, side) -> Citation:
        return notice_citation(number, notice, self.corpus.clause(side.clause_id), trim_quote(side.quote))

    def _verified(self, answer: Answer, retrieved: Sequence[str]) -> Answer:
        """The last gate: a citation that fails verification never reaches the user."""
        failed = problems(answer.citations, self.corpus, retrieved)
        if not failed:
            return answer
        bad = {problem.citation.number for problem in failed}
        kept = tuple(c for c in answer.citations if c.number not in bad)
        note = "有引文未能在原文中核实，已删除：" + "；".join(p.reason for p in failed)
        if not kept:
            return Answer(
                question=answer.question,
                answer="未能从通知原文中核实可引用的内容，为避免误导，本次不作回答。",
                refused=True,
                mode=answer.mode,
                notes=(*answer.notes, note),
            )
        renumbered = tuple(replace(c, number=i) for i, c in enumerate(kept, 1))
        return replace(
            answer, citations=renumbered, answer=compose(answer.lead, renumbered), notes=(*answer.notes, note)
        )

    def _extractive(self, question: str, retrieval: Retrieval) -> Answer:
        scope = retrieval.scope
        kind = question_type(retrieval.form, len(scope.issuers), len(scope.years))
        detail = detail_type(retrieval.form) if kind in (QuestionType.COMPARISON, QuestionType.WHICH_NOTICE) else kind
        picks = first_picks(self.extractor, retrieval, detail, per_notice=kind is QuestionType.COMPARISON)
        if kind is QuestionType.COMPARISON and len(picks) == 1:
            # the place named two issuers (兰州市人民政府, 兰州市安全生产委员会) or 省里 two provinces, and one
            # notice answers: a plain answer, not a list of one
            kind = detail
        citations: list[Citation] = []
        if kind is QuestionType.WHICH_NOTICE:
            lead = self._which_notices(retrieval, detail, citations)
        elif kind is QuestionType.RESPONSIBILITY:
            lead = self._responsibility(picks[0], retrieval, citations)
        elif kind is QuestionType.COMPARISON:
            lines = []
            for pick in picks:
                citations.append(citation_for(len(citations) + 1, pick, pick.sentence))
                lines.append(f"· {place_and_year(pick.notice)}：{pick.fragment}[{len(citations)}]")
            lead = "各通知的要求如下：\n" + "\n".join(lines)
        else:
            first = picks[0]
            verb = "规定" if kind is QuestionType.CONSEQUENCE else "要求"
            where = f"{place_and_year(first.notice)}{document_kind(first.notice)}"
            missing = unstated(picks, kind, retrieval.search_text)
            lead = f"{where}{verb}：{first.fragment}{f'（所引条款没有写明{missing}）' if missing else ''}。"
            for pick in picks:
                citations.append(citation_for(len(citations) + 1, pick, pick.sentence))
        lead += self._fallback_note(retrieval, citations)
        return answered(question, lead, citations, Mode.EXTRACTIVE, kind)

    def _which_notices(self, retrieval: Retrieval, detail: QuestionType, citations: list[Citation]) -> str:
        """哪个文件提到了…: every notice holding the best clause or a near-identical one, each quoted."""
        best = retrieval.hits[0]
        lines = []
        for clause in (best.clause, *best.duplicates)[:_MAX_NOTICES_LISTED]:
            pick = self.extractor.pick(best, clause, retrieval.search_text, detail)
            citations.append(citation_for(len(citations) + 1, pick, pick.sentence))
            lines.append(
                f"· {place_and_year(pick.notice)}《{pick.notice.display_title}》{clause.path_label}[{len(citations)}]"
            )
        return "提到这项内容的通知有：\n" + "\n".join(lines)

    def _unit_tasks(self, question: str, retrieval: Retrieval) -> Answer | None:
        """应急局今年负责哪些工作: the tasks the notices in scope assign to that unit (newest notice first), each
        quoted from its clause; None when the question names no unit or no notice assigns it anything."""
        from assistant.ledger import LedgerRow, ledger

        if retrieval.scope.out_of_scope:
            return None
        # the place and year go first (2024年省应急厅 → 省应急厅): they scope the notices, the rest names the unit
        own = strip_mentions(question, retrieval.scope.mentions).replace(" ", "")
        match = _UNIT_TASKS.search(own)
        if match is None:
            # a follow-up naming another unit takes the question from the turn before (folded into the search text)
            match = _ANOTHER_UNIT.search(own)
            if match is None or not _UNIT_TASKS.search(retrieval.search_text.replace(" ", "")):
                return None
        unit = match.group(1)
        if len(unit) < 2:
            return None
        ids = retrieval.scope.notice_ids or [n.notice_id for n in self.corpus.notices]
        notices = sorted((self.corpus.notice(i) for i in ids), key=lambda n: -n.year)
        for notice in notices:
            rows = ledger(self.corpus, unit, notice.notice_id)
            if not rows:
                continue
            # one line per task: a unit both 负责 and 指导督促 in one clause is listed once, with both roles
            first: dict[tuple[str, str], LedgerRow] = {}
            roles: dict[tuple[str, str], list[str]] = {}
            for row in rows:
                first.setdefault((row.clause_id, row.task), row)
                roles.setdefault((row.clause_id, row.task), []).append(f"{row.unit}{row.role}")
            ordered = list(first.values())
            citations: list[Citation] = []
            lines = []
            for row in ordered[:_MAX_TASKS_LISTED]:
                clause = self.corpus.clause(row.clause_id)
                citations.append(notice_citation(len(citations) + 1, notice, clause, row.task, units=row.unit))
                when = f"，{row.deadline_text}" if row.deadline_text else ""
                held = "、".join(dict.fromkeys(roles[(row.clause_id, row.task)]))
                lines.append(f"· {_first_words(row.task)}（{held}{when}）[{len(citations)}]")
            more = (
                f"，以下列出前 {_MAX_TASKS_LISTED} 项（完整台账：python -m assistant tasks --unit {unit} "
                f"--notice {notice.notice_id}）"
                if len(ordered) > _MAX_TASKS_LISTED
                else ""
            )
            where = f"{place_and_year(notice)}{document_kind(notice)}"
            lead = f"{where}中，写明由{unit}承担的工作共 {len(ordered)} 项{more}：\n" + "\n".join(lines)
            return answered(question, lead, citations, Mode.EXTRACTIVE, QuestionType.RESPONSIBILITY)
        return None

    def _numbered(self, question: str, retrieval: Retrieval) -> Answer | None:
        """第三条怎么规定的 / 第二章讲了什么: the article or chapter of a measure the question names, quoted from the
        notice in scope (or the best-ranked notice that has it); None when no notice has it, or several do and
        retrieval prefers none of them."""
        match = _ASKED_NUMBER.search(normalize(question))
        if match is None or retrieval.scope.out_of_scope:
            return None
        numeral = match.group(1)
        label = f"第{chinese_numeral(int(numeral)) if numeral.isdigit() else numeral}{match.group(2)}"
        ids = retrieval.scope.notice_ids
        found = [c for c in self.corpus.clauses if label in c.path and (ids is None or c.notice_id in ids)]
        notices = list(dict.fromkeys(clause.notice_id for clause in found))
        ranked = [hit.clause.notice_id for hit in retrieval.hits if hit.clause.notice_id in notices]
        if not notices or (len(notices) > 1 and not ranked):
            return None
        notice = self.corpus.notice(ranked[0] if ranked else notices[0])
        # the article itself, or a chapter's title line and its articles; sub-items come with their article
        quoted = [c for c in found if c.notice_id == notice.notice_id and c.text.strip()][:_MAX_NUMBERED_QUOTES]
        citations = [
            notice_citation(number, notice, clause, trim_quote(clause.text)) for number, clause in enumerate(quoted, 1)
        ]
        lead = f"{place_and_year(notice)}《{notice.display_title}》{label}的原文如下。"
        return answered(question, lead, citations, Mode.EXTRACTIVE, QuestionType.REQUIREMENT)

    def _about_notices(self, question: str, retrieval: Retrieval, field: NoticeField) -> Answer:
        """文号, 印发日期, 标题, 发文机关 of the notices the question names, from the index, each cited."""
        ids = retrieval.scope.notice_ids
        notices = [n for n in self.corpus.notices if ids is None or n.notice_id in ids]
        if len(notices) > _MAX_NOTICES_DESCRIBED:
            lead = "请说明是哪一份通知（发文机关和年份），例如“朔州2026年的通知文号是多少？”。"
            text = lead + "\n现有通知包括：" + self._corpus_summary() + "。"
            return Answer(question=question, answer=text, refused=True, mode=Mode.EXTRACTIVE, lead=lead)
        lines: list[str] = []
        citations: list[Citation] = []
        for notice in notices:
            found = opening(self.corpus.clauses_of(notice.notice_id))
            if found is None:
                continue
            clause, sentence = found
            citations.append(notice_citation(len(citations) + 1, notice, clause, trim_quote(sentence)))
            lines.append(f"{statement(notice, field)}[{len(citations)}]。")
        return answered(question, "\n".join(lines), citations, Mode.EXTRACTIVE, QuestionType.METADATA)

    def _responsibility(self, pick, retrieval: Retrieval, citations: list[Citation]) -> str:
        parent = self.corpus.clause(pick.clause.parent_id) if pick.clause.parent_id else None
        unit = responsibility_of(pick.clause, pick.sentence, retrieval.search_text, parent)
        where = f"{place_and_year(pick.notice)}{document_kind(pick.notice)}"
        if unit is None:
            citations.append(citation_for(1, pick, pick.sentence))
            doer = named_doer(pick.sentence) or duty_fragment(pick.sentence, retrieval.search_text)
            if doer is not None:
                # no note names units, but the sentence says who does the task
                return f"{where}规定：{doer}。"
            return f"{where}对“{pick.clause.heading}”没有写明责任单位，原文规定如下。"
        quote = pick.sentence
        doer = own_agent(pick.clause, pick.sentence) if unit.origin == "inline" else None
        if unit.origin == "inline" and doer is None:
            quote = units_sentence(pick.clause, unit) or pick.sentence
        citations.append(citation_for(1, pick, quote, units=unit.units))
        if doer is not None:
            return f"{where}规定：{doer}（本项工作的责任单位：{unit.units}）。"
        source = ""
        task = pick.clause.heading
        if unit.origin == "table" and unit.units in pick.clause.text:
            # a row of a table in the clause itself names its task in its first cell (养老机构 | 4月份 | 民政所)
            source, task = "（见条款中的表格）", table_cells(unit.task or task)[0]
        elif unit.origin == "table":
            source = "（见通知所附重点任务分工表）"
        return f"{where}中，“{task}”这项工作的责任单位是：{unit.units}{source}。"

    def _fallback_note(self, retrieval: Retrieval, citations: Sequence[Citation]) -> str:
        scope = retrieval.scope
        if not citations:
            return ""
        note = ""
        if scope.level and not scope.issuers:
            # 我们县…: the question names its level, not its place; say which notices of that level there are
            issuers = sorted({n.issuer for n in self.corpus.notices if n.level is scope.level})
            places = "、".join(i.removesuffix("人民政府") for i in issuers)
            note += (
                f"\n（问题没有说是哪个{scope.level.value}，以上按现有{scope.level.value}级通知作答，现有：{places}。）"
            )
        asked = max(scope.years) if scope.years else None
        years = {c.year for c in citations}
        if scope.relative_year and asked is not None and asked not in years:
            note += f"\n（现有通知中没有{asked}年的这份通知，以上是最新的{max(years)}年通知。）"
        return note

    def _refusal(self, question: str, retrieval: Retrieval) -> Answer:
        reason = retrieval.reason or "现有通知中没有与问题相符的内容"
        lines = [f"现有通知中没有找到能回答这个问题的规定（{reason}）。"]
        if retrieval.scope.out_of_scope:
            lines.append("现有通知包括：" + self._corpus_summary() + "。")
        elif retrieval.hits and retrieval.coverage >= _NEAREST_COVERAGE:
            nearest = "；".join(f"{place_and_year(hit.notice)}{_topic(hit.clause)}" for hit in retrieval.hits[:3])
            lines.append(f"通知中相近的内容有：{nearest}。可以换个问法，或直接问这些内容。")
        return Answer(question=question, answer="\n".join(lines), refused=True, mode=Mode.EXTRACTIVE, lead=lines[0])

    def _library(self, question: str, retrieval: Retrieval) -> Answer:
        """The notices held (those the question names, else all): from the index, one line each, or by issuer."""
        ids = retrieval.scope.notice_ids
        notices = sorted(
            (n for n in self.corpus.notices if ids is None or n.notice_id in ids), key=lambda n: (n.issuer, n.year)
        )
        if len(notices) <= _MAX_LIBRARY_LINES:
            listing = "\n".join(f"· {describe(notice)}" for notice in notices)
        else:
            listing = self._corpus_summary(notices)
        lead = f"现有通知共{len(notices)}份：\n{listing}"
        return Answer(
            question=question,
            answer=lead,
            refused=False,
            mode=Mode.EXTRACTIVE,
            lead=lead,
            question_type=QuestionType.METADATA,
        )

    def _corpus_summary(self, notices: Sequence[Notice] | None = None) -> str:
        years: dict[str, list[int]] = {}
        for notice in self.corpus.notices if notices is None else notices:
            years.setdefault(notice.issuer, []).append(notice.year)
        parts = []
        for issuer, values in years.items():
            span = f"{min(values)}—{max(values)}年" if len(values) > 1 else f"{values[0]}年"
            parts.append(f"{issuer}（{span}）")
        return "，".join(parts)
