"""Hybrid, scope-aware retrieval of clauses, and the decision that a question is not covered.

For a question: its scope (issuer/year named, implied or carried over from the
conversation; explicit filters) selects the eligible notices; BM25 over jieba
tokens and dense similarity are computed for every passage, reduced to the best
passage of each clause, z-scored over the eligible clauses and fused; clauses
that say the same thing in several notices are grouped under the best one, every
source kept. A question whose named place or year has no notice, or whose words
the best clauses do not cover, is declared not covered.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import cached_property

import numpy as np

from assistant.context import (
    asked_form,
    contextualize,
    figures_in_digits,
    follow_up_text,
    strip_courtesy,
    strip_instructions,
)
from assistant.gate import Gate, Signals, gate_for
from assistant.scope import Filters, Scope, ScopeReader
from assistant.slots import (
    NAMED_YEAR,
    asked_unit,
    asks_date,
    asks_document,
    asks_payer,
    asks_person_or_contact,
    asks_place,
    counted_spellings,
    figure_in,
    framing_words,
    names_date,
    names_document,
    names_funding,
    states_count,
)
from index.normalize import normalize
from index.records import Clause, Level, Notice
from index.search import SearchIndex, clause_search_text
from index.settings import Settings
from index.store import Corpus
from index.tokenize import Tokenizer, searchable

# Two clauses whose character 4-grams overlap this much (relative to the smaller) say the same thing.
_DUPLICATE_OVERLAP = 0.7
_CANDIDATES = 50
_CLAUSE_CACHE = 50_000
# fused scores (z units) this close count as a tie between near-identical clauses
_TIE = 0.1
_LEVEL_RANK = {Level.NATIONAL: 0, Level.PROVINCE: 1, Level.CITY: 2, Level.COUNTY: 3, Level.TOWN: 4}
_FRAME_SHARE = 0.2
# resultative and directional complements of everyday verbs (弄完, 拿来, 摆在, 搞好, 查出)
_COMPLEMENTS = frozenset("完好来去在到上下出起掉住成")
# verbs of intention (省里打算修哪个条例) frame what the notices plan, which they write without them
_INTENT = frozenset(("打算", "寻思", "想要", "预备", "准备要"))
# a word jieba cuts with a question word in it (怎么弄, 咋整, 啥样) asks; it names nothing
_INTERROGATIVES = ("怎么", "怎样", "咋", "如何", "啥", "什么", "哪")


class RetrievalMode(StrEnum):
    HYBRID = "hybrid"
    LEXICAL = "lexical"
    DENSE = "dense"


@dataclass(frozen=True)
class Hit:
    """A retrieved clause with its scores; `duplicates` are near-identical clauses of other notices."""

    clause: Clause
    notice: Notice
    score: float
    lexical: float
    dense: float
    coverage: float
    duplicates: tuple[Clause, ...] = ()

    @property
    def clause_ids(self) -> tuple[str, ...]:
        return (self.clause.clause_id, *(d.clause_id for d in self.duplicates))


@dataclass(frozen=True)
class Retrieval:
    question: str
    search_text: str
    scope: Scope
    hits: tuple[Hit, ...]
    covered: bool
    reason: str | None
    timings_ms: dict[str, float] = field(default_factory=dict)
    signals: Signals | None = None
    ruled_out: str | None = None  # why a rule declared the question not covered, whatever the gate says
    # the question whose wording says what kind of answer is wanted: for 企业从业人员呢？ the earlier 要轮训几次
    asked: str = ""

    @property
    def form(self) -> str:
        return self.asked or self.question

    @property
    def coverage(self) -> float:
        return max((hit.coverage for hit in self.hits[:3]), default=0.0)


class Retriever:
    """Searches one corpus; load once, then call `search` per question (thread-safe for reading)."""

    def __init__(
        self, corpus: Corpus, index: SearchIndex, settings: Settings, tokenizer: Tokenizer, gate: Gate | None = None
    ):
        self.corpus = corpus
        self.gate = gate or gate_for(settings.embedding_model if index.has_dense else "none")
        self.index = index
        self.settings = settings
        self.tokenizer = tokenizer
        self.clauses = corpus.retrievable
        position = {clause.clause_id: i for i, clause in enumerate(self.clauses)}
        self.passage_clause = np.array([position[p.clause_id] for p in index.passages], dtype=np.int64)
        year = settings.current_year or date.today().year
        self.scope_reader = ScopeReader(corpus.notices, year)
        # each clause's notice by its place among the notices: a scope becomes a mask by an integer gather, not a
        # string comparison of every clause (np.isin over 600,000 notice ids was milliseconds per question)
        self._clause_notice_place = np.array(
            [self.scope_reader.positions[clause.notice_id] for clause in self.clauses], dtype=np.int64
        )
        # per-clause state is built on demand for the clauses a question touches, never for the whole corpus
        self._level_rank = np.array(
            [_LEVEL_RANK[corpus.notice(clause.notice_id).level] for clause in self.clauses], dtype=np.float32
        )
        self._token_cache: dict[int, frozenset[str]] = {}
        self._shingle_cache: dict[int, frozenset[str]] = {}

    def _clause_tokens(self, index: int) -> frozenset[str]:
        """The words of one clause, tokenized when a question first needs them (only the top hits' are)."""
        found = self._token_cache.get(index)
        if found is None:
            found = frozenset(self.tokenizer(clause_search_text(self.clauses[index])))
            if len(self._token_cache) > _CLAUSE_CACHE:
                self._token_cache.clear()
            self._token_cache[index] = found
        return found

    def _clause_text(self, index: int) -> str:
        return _searchable_clause(self.clauses[index])

    @cached_property
    def idf(self) -> dict[str, float]:
        """idf of each word over the retrievable clauses, from the frequencies counted at build."""
        total = self.index.clause_count or len(self.clauses)
        return {token: math.log(1 + total / count) for token, count in self.index.clause_frequencies.items()}

    def _shingles(self, index: int) -> frozenset[str]:
        """Character 4-grams of one clause, built when a duplicate check first needs them."""
        found = self._shingle_cache.get(index)
        if found is None:
            text = normalize(self.clauses[index].text)
            found = frozenset(text[i : i + 4] for i in range(max(len(text) - 3, 1)))
            if len(self._shingle_cache) > _CLAUSE_CACHE:
                self._shingle_cache.clear()
            self._shingle_cache[index] = found
        return found

    def search(
        self,
        question: str,
        history: Sequence[str] = (),
        filters: Filters | None = None,
        k: int = 5,
        mode: RetrievalMode = RetrievalMode.HYBRID,
    ) -> Retrieval:
        started = time.perf_counter()
        simplified = figures_in_digits(strip_courtesy(strip_instructions(_simplified(question)), self._names_place))
        context = contextualize(
            simplified, [strip_instructions(_simplified(h)) for h in history], self.scope_reader, self.tokenizer
        )
        scope = self.scope_reader.resolve(context.scope, filters)
        timings = {"scope": _ms(started)}
        if scope.out_of_scope:
            return Retrieval(question, context.search_text, scope, (), False, scope.out_of_scope, timings)
        eligible = np.ones(len(self.clauses), dtype=bool)
        if scope.notice_ids is not None:
            positions = self.scope_reader.positions
            in_scope = np.zeros(len(positions), dtype=bool)
            in_scope[[positions[notice_id] for notice_id in scope.notice_ids]] = True
            eligible = in_scope[self._clause_notice_place]
        query_tokens = self._with_negations(self.tokenizer.query(context.search_text), context.search_text)
        lap = time.perf_counter()
        lexical = self._per_clause(self.index.lexical_scores(query_tokens))
        timings["lexical"] = _ms(lap)
        lap = time.perf_counter()
        # a scoped question scores only the passages of the notices in scope
        rows = None if scope.notice_ids is None else np.flatnonzero(eligible[self.passage_clause])
        dense = (
            self._per_clause(self.index.dense_scores(context.search_text, rows))
            if mode is not RetrievalMode.LEXICAL and self.index.has_dense
            else np.zeros(len(self.clauses), dtype=np.float32)
        )
        timings["dense"] = _ms(lap)
        fused = self._fuse(lexical, dense, eligible, mode)
        # among look-alikes (a requirement repeated by 100 cities and counties) the candidates must include the
        # source: scores within a tie's width rank the higher level first
        ranked = fused - _TIE * self._level_rank
        order = _best(ranked, eligible, _CANDIDATES)
        hits = self._group(order, fused, lexical, dense, query_tokens, context.search_text, k)
        timings["total"] = _ms(started)
        signals = (
            _signals(hits, dense[eligible], self._novel_share(query_tokens, context.search_text, hits))
            if hits
            else None
        )
        own_text = follow_up_text(context.search_text)
        if signals is not None and own_text:
            # a follow-up's own words judged apart too: 值班有加班费吗 after a turn about 值班制度 asks about 加班费
            # alone (novel, whatever the earlier turn's words find); 还搞啥竞赛 after one about 举报奖励 is covered
            # by the clause naming 竞赛, though no clause names both
            own_tokens = self._with_negations(self.tokenizer.query(own_text), own_text)
            signals = replace(
                signals,
                novel=max(signals.novel, self._novel_share(own_tokens, own_text, hits)),
                coverage=max(signals.coverage, self._own_coverage(own_tokens, own_text, order, hits)),
            )
        form = asked_form(simplified, [_simplified(h) for h in history])
        ruled_out = _ruled_out(form, hits, self.tokenizer.synonyms, self._topic_words(query_tokens))
        covered = (
            signals is not None and ruled_out is None and (self.gate.admits(signals) or _names_the_year(form, hits))
        )
        reason = None if covered else ruled_out or "现有通知中没有与问题相符的内容"
        return Retrieval(
            question,
            context.search_text,
            scope,
            tuple(hits),
            covered,
            reason,
            timings,
            signals,
            ruled_out,
            form if form != simplified else "",
        )

    def _names_place(self, text: str) -> bool:
        return bool(self.scope_reader.parse(text).mentions)

    def _per_clause(self, passage_scores: np.ndarray) -> np.ndarray:
        best = np.full(len(self.clauses), -np.inf, dtype=np.float32)
        np.maximum.at(best, self.passage_clause, passage_scores)
        return best

    def _fuse(self, lexical: np.ndarray, dense: np.ndarray, eligible: np.ndarray, mode: RetrievalMode) -> np.ndarray:
        def zscore(values: np.ndarray) -> np.ndarray:
            pool = values[eligible]
            spread = pool.std() or 1.0
            return (values - pool.mean()) / spread

        if mode is RetrievalMode.LEXICAL or not self.index.has_dense:
            return lexical.copy()
        if mode is RetrievalMode.DENSE:
            return dense.copy()
        weight = self.settings.dense_weight
        return (1 - weight) * zscore(lexical) + weight * zscore(dense)

    def coverage(self, query_tokens: Sequence[str], search_text: str, clause_index: int) -> float:
        """Share of the question's idf mass that the clause's words cover.

        Colloquial words that the synonym table rewrote (电瓶车 → 电动自行车) are
        judged by their rewrite, not by themselves.
        """
        weights = self.word_weights(query_tokens, search_text)
        if not weights:
            return 0.0
        have = self._clause_tokens(clause_index)
        text = self._clause_text(clause_index)
        # a word jieba cut differently (河 in 桑干河) still counts when the clause contains it
        found = sum(weight for token, weight in weights.items() if token in have or token in text)
        return found / sum(weights.values())

    def word_weights(self, query_tokens: Sequence[str], search_text: str, by_rewrite: bool = True) -> dict[str, float]:
        """How much each word of the question counts towards coverage: its idf in the notices.

        A word the notices never use counts as the rarest word when it names a thing (工资,
        医保: the question is likely about something else), but only as an ordinary word
        when it merely frames the question (好几年, 头上, 咋整). Colloquial words that the
        synonym table rewrote (电瓶车 → 电动自行车) are judged by their rewrite (`by_rewrite`).
        """
        normalized = searchable(search_text)
        sources = [term for term in self.tokenizer.synonyms if term in normalized] if by_rewrite else []
        # a term that also stands for itself (大模型 → 大模型) keeps its own words where the notices use them
        rewrites = {
            t
            for term in sources
            for word in self.tokenizer.synonyms[term]
            for t in self.tokenizer(word)
            if t in self.idf
        }
        framing = framing_words(search_text, query_tokens)
        wanted = {
            t for t in query_tokens if (t in rewrites or not any(t in term for term in sources)) and t not in framing
        }
        frame = self.tokenizer.frame_words(search_text) if any(t not in self.idf for t in wanted) else frozenset()
        return {t: self.idf[t] if t in self.idf else self._unknown_idf(self._frames(t, frame)) for t in wanted}

    @staticmethod
    def _frames(token: str, frame: frozenset[str]) -> bool:
        # the search cut may split a tagged word (什儿 → 什, 儿); a verb with a result or direction (弄完, 拿来,
        # 摆在) describes the asked action in everyday words, where a verb of its own (讨薪, 报销) names a topic
        return (
            token in frame
            or token in _INTENT
            or token.startswith(_INTERROGATIVES)
            or any(token in word for word in frame)
            or (len(token) == 2 and token[1] in _COMPLEMENTS)
        )

    def _with_negations(self, tokens: list[str], search_text: str) -> list[str]:
        """没证 / 没有证 are the notices' 无证 (没人 → 无人): the everyday negation of a word the notices write
        with 无, where they have that word; the bare word (证) goes, or it would match its opposite (有证)."""
        for match in _EVERYDAY_NEGATION.finditer(searchable(search_text)):
            for length in (2, 1):
                negated = match.group(1)[:length]
                if len(match.group(1)) >= length and "无" + negated in self.idf:
                    tokens = [t for t in tokens if t != negated] + ["无" + negated]
                    break
        return tokens

    def _topic_words(self, query_tokens: Sequence[str]) -> frozenset[str]:
        """The question's words of two or more characters that the notices use but not everywhere (not 安全,
        要求): what a figure's sentence must name to be the figure asked for."""
        common = math.log(1 + 1 / _FRAME_SHARE)
        return frozenset(
            t for t in query_tokens if len(t) >= 2 and self.idf.get(t, 0.0) > common and t not in _FIGURE_WORDS
        )

    def _own_coverage(
        self, own_tokens: Sequence[str], own_text: str, order: Sequence[int], hits: Sequence[Hit]
    ) -> float:
        """How well the best clauses cover a follow-up's own words (0 where it has none that count)."""
        if not self.word_weights(own_tokens, own_text):
            return 0.0
        shown = {hit.clause.clause_id for hit in hits[:3]}
        return max(
            (self.coverage(own_tokens, own_text, i) for i in order if self.clauses[i].clause_id in shown), default=0.0
        )

    def _novel_share(self, query_tokens: Sequence[str], search_text: str, hits: Sequence[Hit]) -> float:
        """Share of the question's word weight in words the notices never use that name a thing (工资, 医保).

        A single character that a best clause writes inside a word of its own (修 in 修订, 拍 in 随手拍) is the
        everyday short form of that word; 买 in 新能源汽车买了有补贴吗 stays novel where no best clause writes it."""
        weights = self.word_weights(query_tokens, search_text)
        total = sum(weights.values())
        best_texts = [_searchable_clause(hit.clause) for hit in hits[:3]]
        novel = sum(
            w
            for t, w in weights.items()
            if t not in self.idf and w >= self._top_idf and not (len(t) == 1 and any(t in text for text in best_texts))
        )
        return novel / total if total else 0.0

    def _unknown_idf(self, frames: bool) -> float:
        # an unknown framing word weighs like a word in a fifth of the clauses (开展, 加强 are about that
        # common); an unknown topic word like the rarest word of the notices
        return math.log(1 + 1 / _FRAME_SHARE) if frames else self._top_idf

    @cached_property
    def _top_idf(self) -> float:
        return max(self.idf.values())

    def _group(self, order, fused, lexical, dense, query_tokens, search_text, k) -> list[Hit]:
        hits: list[Hit] = []
        kept: list[int] = []
        duplicates: dict[int, list[Clause]] = {}
        duplicate_ids: dict[int, list[int]] = {}
        for i in order:
            twin = next((j for j in kept if self._same_text(i, j)), None)
            if twin is not None:
                duplicates.setdefault(twin, []).append(self.clauses[i])
                duplicate_ids.setdefault(twin, []).append(i)
                continue
            if len(kept) < k:
                kept.append(i)
        for position, i in enumerate(kept):
            group_key = i
            # of near-identical clauses scored alike, the higher level's is shown: a city or county notice that
            # repeats the province's requirement is its copy, not its source (and 省里 questions stay with 省)
            group = [i, *(j for j in duplicate_ids.get(i, ()) if fused[j] >= fused[i] - _TIE)]
            best = min(
                group, key=lambda j: (_LEVEL_RANK[self.corpus.notice(self.clauses[j].notice_id).level], group.index(j))
            )
            if best != i:
                duplicates[i] = [self.clauses[i], *(c for c in duplicates[i] if c is not self.clauses[best])]
                kept[position] = i = best
            clause = self.clauses[i]
            hits.append(
                Hit(
                    clause=clause,
                    notice=self.corpus.notice(clause.notice_id),
                    score=float(fused[i]),
                    lexical=float(lexical[i]),
                    dense=float(dense[i]),
                    coverage=self.coverage(query_tokens, search_text, i),
                    duplicates=tuple(duplicates.get(group_key, ())),
                )
            )
        return hits

    def _same_text(self, a: int, b: int) -> bool:
        first, second = self._shingles(a), self._shingles(b)
        smaller = min(len(first), len(second))
        return smaller > 0 and len(first & second) / smaller >= _DUPLICATE_OVERLAP


# words that go with the asked figure, not with what it measures
_FIGURE_WORDS = frozenset(
    {"至少", "最多", "最少", "不少于", "不低于", "不超过", "以上", "以下", "以内", "左右", "一共", "总共"}
)
_EVERYDAY_NEGATION = re.compile(r"没有?([\u4e00-\u9fff]{1,2})")


def _best(scores: np.ndarray, eligible: np.ndarray, count: int) -> list[int]:
    """The `count` eligible indices of highest score, best first, ties in index order: what a stable sort of every
    score gives, without sorting every clause of a large library (only those at or above the count-th score)."""
    pool = np.flatnonzero(eligible)
    if len(pool) > count:
        cutoff = np.partition(scores[pool], len(pool) - count)[len(pool) - count]
        pool = pool[scores[pool] >= cutoff]
    return [int(i) for i in pool[np.argsort(-scores[pool], kind="stable")][:count]]


def _ruled_out(
    question: str, hits: Sequence[Hit], synonyms: Mapping[str, Sequence[str]], topic: frozenset[str] = frozenset()
) -> str | None:
    """What the notices cannot say however well the question's words match: a figure in the asked unit, a person."""
    if hits and _missing_figure(question, hits, synonyms, topic):
        return "通知中没有给这一年定名" if asked_unit(question) == NAMED_YEAR else "通知中没有给出这个数字"
    if asks_person_or_contact(question):
        return "通知中不写具体人员和联系方式"
    if hits and asks_place(question) and not any(_names_a_place(hit.clause.text) for hit in hits[:3]):
        return "通知中没有写明地点"
    if hits and asks_date(question) and not any(names_date(s) for s in _sentences_about(hits, topic)):
        return "通知中没有写明具体日期"
    if hits and asks_document(question) and not _names_document(hits, topic):
        return "通知中没有写明要办的证件、手续或材料"
    if hits and asks_payer(question) and not any(names_funding(s) for s in _sentences_about(hits[:1], frozenset())):
        return "通知中没有写明这笔钱由谁出"
    return None


def _names_the_year(question: str, hits: Sequence[Hit]) -> bool:
    """把今年叫啥年: the best clauses give the year's name (“安全生产责任落实年”), the one thing asked, however few
    of the question's other words (这一年, 叫) they hold."""
    return asked_unit(question) == NAMED_YEAR and any(figure_in(NAMED_YEAR).search(hit.clause.text) for hit in hits[:3])


def _names_document(hits: Sequence[Hit], topic: frozenset[str]) -> bool:
    """Whether a sentence of the best clauses names a document about what the question is about (自建房…必须依法办理
    审批手续); a long clause's 持证上岗 about something else does not answer 塔吊要考啥证."""
    return any(names_document(sentence) for sentence in _sentences_about(hits, topic))


# 公示栏设在哪 is answered by where on a site (在醒目位置设置…), which names no division of China
# 在哪放 / 在哪通报: a meeting is where a notice has things shown or announced (在安委会会议…上播放曝光)
_POSITION = re.compile(r"(?:醒目|显著|明显|显眼)(?:位置|处|地方)|出入口|门口|在[^，,。；;]{1,24}?会议?上")


def _names_a_place(text: str) -> bool:
    from index.metadata import mentions_place

    plain = normalize(text)
    return mentions_place(plain) or bool(_POSITION.search(plain))


def _missing_figure(
    question: str, hits: Sequence[Hit], synonyms: Mapping[str, Sequence[str]], topic: frozenset[str] = frozenset()
) -> bool:
    """``多少个编制``: no retrieved clause states a figure in the asked unit, so the notices do not give it. A
    figure counts where its sentence names something the question is about (化工厂离居民区多少米 is not answered
    by 700米以上隧道); `topic` holds the question's words that do (empty: any figure counts)."""
    unit = asked_unit(question)
    if unit is None:
        return False
    spellings = counted_spellings(question, synonyms)
    return not any(
        any(states_count(fragment, unit, spellings) for fragment in re.split(r"[，,；;]", sentence))
        for sentence in _sentences_about(hits, topic)
    )


def _sentences_about(hits: Sequence[Hit], topic: frozenset[str]) -> Iterator[str]:
    """The sentences of the best clauses (normalized) that name a word of `topic`; all of them when it is empty."""
    for hit in hits[:3]:
        for sentence in re.split(r"[。！？；;]", normalize(hit.clause.text)):
            if not topic or any(word in sentence for word in topic):
                yield sentence


def _signals(hits: Sequence[Hit], eligible_dense: np.ndarray, novel: float) -> Signals:
    ranked = np.sort(eligible_dense)[::-1]
    gap = float(ranked[0] - ranked[min(9, len(ranked) - 1)]) if ranked.size else 0.0
    return Signals(
        coverage=max(hit.coverage for hit in hits[:3]),
        lexical=max(hit.lexical for hit in hits[:3]),
        dense_gap=gap,
        novel=novel,
    )


def _searchable_clause(clause: Clause) -> str:
    """A clause's text as questions are matched against it (searchable, lowercased)."""
    return searchable(clause_search_text(clause)).lower()


def _simplified(text: str) -> str:
    """Traditional characters in a question are read as their simplified forms."""
    import zhconv

    return zhconv.convert(text, "zh-cn")


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def open_retriever(
    settings: Settings, progress=lambda message: None, embeddings=None, previous: Retriever | None = None
) -> Retriever:
    """Build (incrementally) or load the clause and search indexes of `settings`, and return a `Retriever`.
    `previous`, the retriever this process serves now (the app's, before an upload or a deletion), lends its
    parsed notices, passages and tokenizer, so only what changed is read or computed."""
    from index.search import ensure_search_index, search_index_dir
    from index.store import build, collection_paused

    same = previous is not None and (
        previous.settings.clause_index_dir == settings.clause_index_dir
        and search_index_dir(previous.settings) == search_index_dir(settings)
        and previous.settings.vector_cache_dir == settings.vector_cache_dir
    )
    held = previous if same else None
    tokenizer = held.tokenizer if held is not None else Tokenizer(settings.vector_cache_dir)
    with collection_paused():
        corpus = build(settings, progress, loaded=held.corpus if held is not None else None).corpus
        index = ensure_search_index(
            settings, corpus, tokenizer, progress, embeddings, previous=held.index if held is not None else None
        )
        return Retriever(corpus, index, settings, tokenizer)
