"""Answers: a plain-language lead, then numbered verbatim quotes with their citations.

The extractive answer (the default, offline) picks, from the best clauses, the
sentence that answers the question and the fragment of it that carries the
point (a figure for 多少, a date for 什么时候, the units for 谁负责), and writes a
one-line lead from that fragment: nothing in the answer comes from anywhere but
the clauses and their parsed metadata.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.context import follow_up_text
from assistant.facts import is_note, leading_note, tidy, without_leading_note
from assistant.retrieve import Hit, Retrieval, Retriever
from assistant.slots import (
    NAMED_YEAR,
    ORDINAL,
    asks_comparison,
    asks_payer,
    asks_span,
    asks_who_is_responsible,
    counted_spellings,
    figure_in,
    may_ask_places,
    names_funding,
    only_a_few,
    states_count,
)
from assistant.slots import asked_unit as unit_asked
from assistant.types import Answer, Citation, Mode, QuestionType
from index.clauses import strip_marker
from index.metadata import mentions_place
from index.normalize import normalize
from index.passages import split_sentences
from index.records import Clause, Notice, Responsibility
from index.tokenize import searchable

# How cadres ask, by the kind of fact they want (plain and colloquial forms alike).
_DEADLINE = re.compile(
    r"什么时候|啥时候|啥时|何时|哪天|哪一天|几号|几月|截止|期限|多长时间|多久|时限|最晚|最迟|哪年|什么时间|多少天|几天内|"
    r"多少小时|几个小时|几小时"
)
# how often, not by when: 多久查一回, 多长时间开一次会, 按啥频次, 隔几天
_FREQUENCY_ASKED = re.compile(
    r"(?:多久|多长时间|多少天|几天|几个月|多少时间)[\u4e00-\u9fff]{0,4}?[一1][次回趟遍]|频次|频率|隔多久|隔几天|多久一"
)
# what states how often: 每月, 每季度, 每年一次, 班组日查 / 车间周查, 定期, 至少…一次
_OFTEN = re.compile(r"每[日天周旬月季年]|每季度|每半年|每两年|[日周旬月季年]查|定期|常态化|[一1两2三3]次")
# 哪几个/哪几种 ask which, not how many; 那几个/这几个 point back at things named
_COUNT = re.compile(r"多少|(?<![哪那这])几|比例|百分|覆盖率|多大|多长|多高|多远")
_CONSEQUENCE = re.compile(
    r"会怎样|会怎么样|会咋|咋处理|怎么处理|如何处理|咋办|怎么办|后果|怎么处罚|咋处罚|怎么罚|咋罚|罚不罚|会被|"
    r"受什么|受啥|受到什么|受到啥|承担什么|追究什么|怎么追责|咋追责|什么处分|啥处分|怎么惩"
)
_YES_NO = re.compile(r"[吗不][？?]*$|是否|能不能|会不会|有没有|要不要|算不算|可不可以|能否|行不行|让不让|提了没|说了没")
# What a consequence clause says happens: the part of the sentence a lead quotes for 会怎样.
_OUTCOME = re.compile(
    r"追究|处罚|问责|约谈|通报|曝光|移送|刑事|停产|整顿|关闭取缔|取缔|惩戒|罚|吊销|挂牌督办|列入|失信|巡查|溯源|不予|一票否决"
    r"|(?:从重|从严|严肃|依法)处理"
)
# 举报查实了咋办 → 予以奖励: a good outcome answers what happens where the question is about doing well or reporting
# (not 查出重大隐患，对老板会咋样, where a reward scheme would read as the answer)
_REWARD = re.compile(r"奖励|奖金|表彰|表扬")
_ASKS_REWARD = re.compile(r"奖|好处|表扬|表彰|举报|先进|优秀|成绩|突出|做得好|立功")
_NUMBER = re.compile(r"\d|[一二两三四五六七八九十百千万]+[个座名次处项条家人起年级层周天小倍公米%％]|百分之")
_TIME = re.compile(r"\d+月|月底|年底|年内|年前|底前|日前|以前|之前|小时|每月|每季度|每年|每半年|每周|\d+日|期间")
# 多久 / 多长时间 ask how long, and a span answers (停用超过 3年的尾矿库, 为期一年): one or two digits or a numeral
# in characters, so that a year such as 2016年 is not one, nor 每半年 or 上半年; for 啥时候 a span is no answer (15年以上老旧电梯 is the lifts' age, not when)
_HOW_LONG = re.compile(r"多久|多长时间|多少天|几天|多少年|几个月|多少个月|多少小时|几个?小时")
_SPAN = re.compile(
    r"(?:(?<![\d.])\d{1,2}|(?<![每第今去明前后近当这同上下本该一二两三四五六七八九十])[一二两三四五六七八九十半]{1,2})\s*"
    r"(?:个月|年|天|周|个工作日|小时)"
)
# 救灾资金啥时候拨 → 及时下拨: no date, but the notice's answer to "when"; it keeps the best clause leading where a
# clause below it gives some unrelated date
_PROMPTLY = re.compile(r"及时|立即|第一时间|即时|迅速")
_FRAGMENT_END = frozenset("，,；;：:")
_AT_EVERY_MARK = re.compile(r"(?<=[，,；;：:])")
_OPENING = {"（": "）", "(": ")", "【": "】", "“": "”", "《": "》"}


def split_fragments(sentence: str) -> list[str]:
    """A sentence cut after each comma, semicolon and colon that stands outside brackets and quotes: “三个绝不能过高估计”
    （绝不能过高估计全省安全生产形势，绝不能…）spells out its name in one fragment, not in halves of a bracket."""
    fragments, start, closing = [], 0, []
    for position, char in enumerate(sentence):
        if char in _OPENING:
            closing.append(_OPENING[char])
        elif closing and char == closing[-1]:
            closing.pop()
        elif char in _FRAGMENT_END and not closing:
            fragments.append(sentence[start : position + 1])
            start = position + 1
    if closing:  # a bracket never closed (a PDF line break lost it): cut at every mark rather than nowhere
        return [f for f in _AT_EVERY_MARK.split(sentence) if f]
    if start < len(sentence):
        fragments.append(sentence[start:])
    return fragments


# a fragment opening a correlative pair (什么时间…，什么时间…; 谁…，谁…)
_CORRELATIVE = re.compile(r"什么[\u4e00-\u9fff]?|谁|哪里|哪儿|多少")
# a fragment that only sets the case: …的 (对发生重大事故的), …的（不含道路交通事故）, or a time (颁发许可证照后)
_CONDITION = re.compile(r"(的|的[（(][^）)]*[）)]|之后|以后|后)$")
# 按啥原则查处事故 asks for the frame itself
_ASKS_FRAME = re.compile(r"原则|要求|部署|精神|规定|方针|按|根据|依据|依照")
_MODAL_OPENING = re.compile(r"\s*(?:要|必须|应当|须|一律)")
# a fragment that only names what the requirement follows (按照…的要求，根据…原则，)
_FRAMING = re.compile(r"(?:按照|根据|依据|依照|遵照|对照)[^，,；;。]*(?:要求|原则|部署|精神|规定|方针)[，,]?$")
# what makes a fragment a requirement rather than a case or a topic: a modal or an action verb
_REQUIRES = re.compile(
    r"要|必须|应当|应|须|不得|严禁|禁止|确保|实现|开展|加强|推进|推动|落实|建立|健全|完善|制定|组织|严格|做到|达到|实行|"
    r"实施|强化|深化|提升|加快|督促|指导|配备|建成|完成|纳入|列入|予以|依法"
)
# 安全生产制度，即…制度、…制度: the fragment names a list that the next one spells out
_SPELLS_OUT = re.compile(r"\s*(即|包括|主要是|分别是|分别为|具体是|具体为)")
# a clause ranked below the first leads when it states the asked figure or date and scores at least this share
_FACT_OVER_RANK = 0.5
# a next clause's sentence that matches more of the question leads only from a clause retrieved nearly as well
_SENTENCE_OVER_RANK = 0.65
# a word tells which sentence answers when it weighs at least this share of the question's average known word
_TELLING_SHARE = 0.75
_ORDINAL = re.compile(r"[一两二三四五六七八九十]+级|[一二三四五六七八九十]+是|第[一二三四五六七八九十\d]+")
# A second clause is quoted too when its best sentence scores at least this share of the first's.
_SECOND_QUOTE = 0.8
_MAX_QUOTE_CHARS = 220
# For what is required, allowed or done (not a figure or a date), a sentence up to this long leads whole.
_WHOLE_LEAD_CHARS = 72
_WHOLE_SENTENCE_KINDS = frozenset({QuestionType.REQUIREMENT, QuestionType.YES_NO, QuestionType.CONSEQUENCE})
# A lead fragment with fewer words than this besides its figures and dates takes the fragment before it along.
_MIN_SUBSTANCE = 6


# 啥责任制 / 什么保险 / 哪些清单: the noun after the question word names the kind of thing asked for;
# 要不要公开 / 有没有奖: the word after a yes-no form names what is asked about; 对野外用火咋管: what 对 names
_HEAD = re.compile(
    r"(?:啥|什么|哪些|哪种|哪几种|哪类|哪几类|哪个|哪几个|要不要|能不能|会不会|有没有|是否|需不需要|用不用|让不让)("
    r"[\u4e00-\u9fff]{1,4}?)(?:[？?。，,吗呢呀啊]|$)"
    r"|对([\u4e00-\u9fff]{2,6}?)(?:怎么|咋|如何|有什么|有啥|有哪些|要求)"
    # 靠哪些活动来培育: the asked thing followed by what it is for
    r"|(?:哪些|哪几种|哪几类|哪几个)([\u4e00-\u9fff]{2,4}?)(?:来|去|用来|进行)"
)
# 用啥手段 / 靠啥 / 通过什么办法: the answer is a means, which a notice writes as 方式/手段 or with 使用, 采取…
_ASKS_MEANS = re.compile(
    r"(?:啥|什么|哪些|哪种|哪几种|哪样)(?:手段|办法|方法|方式|招|途径|技术)|靠啥|靠什么|通过啥|通过什么|借助啥|借助什么"
)
_NAMES_MEANS = re.compile(r"方式|手段|办法|方法|途径|使用|利用|运用|通过|采取|采用|借助|依托|应用")
# 向谁承诺 / 对谁公开 / 给谁报告: the party asked for follows the preposition in the notice's text too
_ASKS_PARTY = re.compile(r"([向对给跟与])谁")
# the text that writes a range (从主要负责人到一线从业人员) states what 从谁…到谁 asks
_FROM_TO = re.compile(r"从[^，,。；;]{1,20}?到")
# 针对哪些人 / 啥人员 / 什么对象: the answer names people, so of the sentence's fragments the one naming them leads
_ASKS_PEOPLE = re.compile(r"(?:哪些|什么|啥|哪类|哪种|哪几类|哪几种|哪部分)(?:人|人员|群体|对象)")
_NAMES_PEOPLE = re.compile(
    r"人员|负责人|干部|职工|工人|员工|群众|学生|居民|从业者|劳动者|驾驶人|司机|村民|业主|经营者|管理者"
)
_ASKED_CACHE = 1024
# how much more a follow-up's own words count than the earlier turn's in choosing the lead: the earlier turn's words
# are often rarer (攻坚克难, 重点县) and, counted alike, pick the sentence that answered the earlier question
_FOCUS_WEIGHT = 2.0
_EARLIER_SHARE = 0.25
# a verb in at most one clause of e² ≈ 7.4
_SLOT_VERB_MIN_IDF = 2.0
_REGARDED_AS = re.compile(r"(?:当成|当作|看成|看作|视为|视作|作为)(?:啥|什么)")
# 除了竞赛还做哪些工作 / 除了执法以外还得干啥: what the question sets aside
_EXCEPT = re.compile(r"除了([^，,。？?]{1,12}?)(?:以外|之外)?(?=还|，|,|[？?]|$)")
_HOW = frozenset(("咋", "怎么", "如何", "怎样", "怎么样"))
_WHAT = frozenset(("啥", "什么", "哪些", "哪个", "哪几个", "哪种", "哪类", "啥样", "什么样"))
# 都有哪些行动 / 包括啥: the answer names several things, and a sentence listing them as the asked kind
# (…、…等行动) holds it; a list of anything else (雨水管渠、低洼易涝区、地下空间…) does not
_ASKS_LIST = re.compile(r"哪些|哪几[个种类项条方样]|都有啥|都有什么|都是啥|都是什么|包括啥|包括什么|包括哪")
# 有几项安全生产工作制度: the thing counted (its last two characters, 制度), which a follow-up 具体是哪些 asks to list
_COUNTED_HEAD = re.compile(r"(?:几|多少)[项个种类条大][\u4e00-\u9fff]*?([\u4e00-\u9fff]{2})(?:[？?。，,吗呢呀啊]|$)")
_LISTED_AS = "、[^，,。；;]{1,40}?(?:等|和|及)[\u4e00-\u9fff]{0,6}?"
# 按哪个文件分工 asks for the document a clause names as its basis (《关于…的意见》), not which notice says it
_WHICH_NOTICE = re.compile(r"(?<![按据照])哪(个|份|一份|些|几份|一年的?|年的?)(文件|通知|意见)")


def question_type(question: str, scope_issuers: int, scope_years: int) -> QuestionType:
    text = normalize(question)
    if _WHICH_NOTICE.search(text):
        return QuestionType.WHICH_NOTICE
    if asks_who_is_responsible(text):
        return QuestionType.RESPONSIBILITY
    if asks_comparison(text) or scope_issuers > 1 or scope_years > 1:
        return QuestionType.COMPARISON
    return detail_type(text)


def detail_type(question: str) -> QuestionType:
    """What kind of fact is asked for, comparison or not: a date, a figure, a consequence, a yes/no, a requirement."""
    text = normalize(question)
    if unit_asked(text) == NAMED_YEAR:
        return QuestionType.COUNT  # the named year is read like a figure: the text that states it answers
    if _FREQUENCY_ASKED.search(text):
        return QuestionType.FREQUENCY
    if _DEADLINE.search(text):
        return QuestionType.DEADLINE
    if _COUNT.search(text) and not only_a_few(text):
        return QuestionType.COUNT
    if _CONSEQUENCE.search(text):
        return QuestionType.CONSEQUENCE
    if _YES_NO.search(text):
        return QuestionType.YES_NO
    return QuestionType.REQUIREMENT


@dataclass(frozen=True)
class Pick:
    """The sentence of a clause chosen to answer, and the fragment of it that carries the point."""

    hit: Hit
    clause: Clause
    notice: Notice
    sentence: str
    fragment: str
    score: float


@dataclass(frozen=True)
class Asked:
    """The question's words for choosing a sentence: groups of spellings of one word with their idf, the words
    the notices never use, and the groups naming what is asked for (责任制 in 落实啥责任制)."""

    groups: tuple[dict[str, float], ...]
    novel: frozenset[str]
    head: frozenset[int]
    rewrites: frozenset[int]  # groups whose spellings are alternatives (an everyday term and its rewrite)
    slot_verb: str | None = None  # the verb whose object is asked for (纳入 in 纳入啥管理, 推广 in 推广啥装置)
    lists: bool = False  # the question asks for several things (都有哪些行动)
    how_long: bool = False  # 多久 / 多长时间: a span (3年) states the time asked
    means: bool = False  # 用啥手段 / 靠啥: the fragment naming the means is quoted with the one that matched
    people: bool = False  # 针对哪些人: the fragment naming people (人员, 负责人, 干部…) is the answer
    party: str | None = None  # the preposition of 向谁 / 对谁 / 给谁: the fragment writing it names the party
    # two single-character words written together in the question (加层 of 往上加层, cut 加/层): found together
    # in a text they are one word the dictionary lacks, and earn in full what each earns by half alone
    joined: tuple[tuple[int, int, str], ...] = ()
    # a follow-up's own words (道路交通, 车 in 那道路交通重点查啥车 after a turn about 非煤矿山): the sentence they find
    # answers it, not the one the earlier turn's words find, so they count twice
    focus: tuple[dict[str, float], ...] = ()
    # the groups only the earlier turns name (攻坚克难, 重点县): they found the clause, but within it they point at
    # the sentence that answered the earlier question, so where the follow-up names words of its own they count less
    earlier: frozenset[int] = frozenset()
    # the groups only a 除了X phrase names (除了竞赛还做哪些工作): X is known, the answer is the rest
    excepted: frozenset[int] = frozenset()
    # the question is about doing well or reporting (举报查实了咋办): a reward is an outcome it asks about
    reward: bool = False
    span: bool = False  # 从谁…到谁: the text that writes a range from one to another answers

    @property
    def total(self) -> float:
        return sum(
            max(group.values()) if i in self.rewrites else _whole_and_parts(list(group.values()))
            for i, group in enumerate(self.groups)
        )


def _telling(group: dict[str, float]) -> list[str]:
    """The spellings of an asked thing that tell it in a text: where the group has words of two or more characters
    (会议, 召开 for 开啥会), a single character of one of them (开, found inside 开展) tells nothing."""
    longer = [spelling for spelling in group if len(spelling) >= 2 and not any(w in spelling for w in _WHAT)]
    return longer or list(group)


class Extractor:
    """Chooses sentences and fragments by the question's words (idf-weighted) and its type."""

    def __init__(self, retriever: Retriever):
        self.retriever = retriever
        self.tokenizer = retriever.tokenizer
        self._asked: dict[str, Asked] = {}

    def _weights(self, search_text: str) -> Asked:
        """The question's words, grouped by what they stand for (see `Tokenizer.query_groups`), with their idf.

        Remembered per question: every candidate sentence and fragment of an answer is scored against it.
        """
        found = self._asked.get(search_text)
        if found is None:
            found = self._asked_in(search_text)
            if len(self._asked) > _ASKED_CACHE:
                self._asked.clear()
            self._asked[search_text] = found
        return found

    def _asked_in(self, search_text: str) -> Asked:
        weights = self.retriever.word_weights(self.tokenizer.query(search_text), search_text, by_rewrite=False)
        plain = searchable(search_text).lower()

        def in_order(members: frozenset[str]) -> list[str]:
            # the question's own words first, as written: `_credit` reads a group's longest spelling, and which of
            # two equally long ones (规矩, its rewrite 规范) that is must not depend on string hashing
            return sorted(members, key=lambda t: (plain.find(t) if t in plain else len(plain), t))

        found = [
            ({t: weights[t] for t in in_order(members) if t in weights}, rewrite)
            for members, rewrite in self.tokenizer.query_groups(search_text)
        ]
        groups = [group for group, _ in found if group]
        rewrites = frozenset(i for i, (group, rewrite) in enumerate(g for g in found if g[0]) if rewrite)
        own_text = follow_up_text(search_text)
        own_words = set(self.tokenizer.query(own_text)) if own_text else set()
        # the follow-up's own spellings only: 重点 of 那道路交通重点查啥车, not the earlier turn's 重点县 in its group
        focus = tuple(
            {t: w for t, w in group.items() if t in own_words} for group in groups if own_words & group.keys()
        )
        # a follow-up that names words of its own besides the earlier turns' (not one that repeats them all)
        follows_up = bool(focus) and len(focus) < len(groups)
        head: set[str] = set()
        lists = bool(_ASKS_LIST.search(normalize(search_text)))
        heads = list(_HEAD.finditer(normalize(search_text)))
        if lists and not heads:
            # 具体是哪些？ after 有几项制度: the earlier turn's counted thing is what the list is of
            heads = list(_COUNTED_HEAD.finditer(normalize(search_text)))
        for match in heads:
            asked_text = next(group for group in match.groups() if group)
            # 开啥会: 会 alone is a stopword; the question holds it as 啥会, whose group has the notices' words for it
            head |= set(self.tokenizer(asked_text)) or {
                t for group in groups for t in group if len(t) > len(asked_text) and t.endswith(asked_text)
            }
        return Asked(
            groups=tuple(groups),
            joined=_joined_singles(groups, plain),
            focus=focus if follows_up else (),
            earlier=frozenset(i for i, group in enumerate(groups) if not own_words & group.keys())
            if follows_up
            else frozenset(),
            reward=bool(_ASKS_REWARD.search(normalize(own_text or search_text))),
            span=asks_span(own_text or search_text),
            excepted=_excepted(own_text or search_text, groups),
            novel=frozenset(t for t in weights if t not in self.retriever.idf),
            rewrites=rewrites,
            head=frozenset(i for i, group in enumerate(groups) if head & group.keys()),
            slot_verb=self._slot_verb(search_text, weights),
            lists=lists,
            how_long=asks_how_long(search_text),
            means=asks_means(search_text),
            people=bool(_ASKS_PEOPLE.search(normalize(search_text))),
            party=party.group(1) if (party := _ASKS_PARTY.search(normalize(search_text))) else None,
        )

    def _slot_verb(self, search_text: str, weights: dict[str, float]) -> str | None:
        """The verb right before 啥/什么/哪些 (纳入啥管理): the text where the notices use it names the asked thing.

        Only a verb of two or more characters that is not common in the notices: 开展, 加强, 落实 go with
        anything (idf ≈ 1.1), 纳入, 推广, 配备 with their own objects (≈ 2.6).
        """
        if not any(word in search_text for word in (*_WHAT, *_HOW)):
            return None  # no 啥 to fill: the part-of-speech tagger (0.6 s to load in a new process) is not needed
        if _REGARDED_AS.search(search_text):
            return "作为"  # 把安全生产当成啥 → 把安全生产作为最基本的民生: notices write 当成 as 作为
        tagged = self.tokenizer.tagged(search_text)
        for index, (word, _flag) in enumerate(tagged):
            # 体检完了咋处置: after 咋/怎么/如何 the verb is the asked action, and the fragment where it stands
            # (提出关闭、停产、限产或限人的处置意见) says how
            if word in _HOW and index + 1 < len(tagged):
                verb, flag = tagged[index + 1]
                if flag.startswith("v") and len(verb) >= 2 and weights.get(verb.lower(), 0.0) >= _SLOT_VERB_MIN_IDF:
                    return verb.lower()
            if word not in _WHAT or index == 0:
                continue
            before = index - 1
            if tagged[before][0] in ("个", "些", "点", "了") and before > 0:
                before -= 1
            verb, flag = tagged[before]
            # 明确哪些, 健全啥: jieba tags these as adjectives, but before the asked thing they take it as object
            if (
                (flag.startswith("v") or flag in ("a", "ad"))
                and len(verb) >= 2
                and weights.get(verb.lower(), 0.0) >= _SLOT_VERB_MIN_IDF
            ):
                return verb.lower()
        return None

    def _score(self, text: str, asked: Asked, kind: QuestionType, unit: str | None = None) -> float:
        normalized = searchable(text).lower()
        credits = [
            _credit(group, normalized, asked.novel, alternatives=i in asked.rewrites)
            for i, group in enumerate(asked.groups)
        ]
        score = sum(credits)
        # the kind of fact asked for weighs as much as a third of the question's words
        bonus = 0.35 * asked.total
        if kind is QuestionType.COUNT and _states_figure(normalized, unit):
            score += bonus
        if kind is QuestionType.DEADLINE and _states_time(normalized, asked.how_long):
            score += bonus
        if kind is QuestionType.FREQUENCY and _OFTEN.search(normalized):
            score += bonus
        if kind is QuestionType.CONSEQUENCE and _outcome(normalized, asked.reward):
            score += bonus
        elif kind is QuestionType.CONSEQUENCE and _REWARD.search(normalized):
            score -= bonus  # 查出重大隐患，负责人会咋样: a reward scheme that shares its words is the wrong outcome
        if asked.lists and kind is QuestionType.REQUIREMENT and self._lists_asked_kind(normalized, asked):
            score += bonus
        if asked.span and _FROM_TO.search(normalized):
            score += bonus
        # 啥责任制 asks for a 责任制 by name: the text that names one (林长责任制) holds the answer, so the
        # asked-for word counts twice, unless it is vaguer than the question's average word (搞什么活动)
        mean = asked.total / len(asked.groups) if asked.groups else 0.0
        score += sum(credits[i] for i in asked.head if max(asked.groups[i].values()) >= mean)
        focus = sum(_credit(group, normalized, asked.novel, alternatives=True) for group in asked.focus)
        score -= (1.0 - _EARLIER_SHARE) * sum(credits[i] for i in asked.earlier | asked.excepted)
        return score + _FOCUS_WEIGHT * focus

    def matched(self, text: str, search_text: str) -> frozenset[int]:
        """Which of the question's word groups `text` holds."""
        asked = self._weights(search_text)
        plain = searchable(text).lower()
        return frozenset(i for i, group in enumerate(asked.groups) if any(spelling in plain for spelling in group))

    def plain_question(self, search_text: str) -> bool:
        """Neither a follow-up, nor a question for a list (whose best sentence is judged by what it lists), nor one
        that names what it is not about (除了执法还得干啥: a sentence naming 执法 too matches more, and answers less)."""
        asked = self._weights(search_text)
        return not asked.lists and not asked.earlier and not asked.focus and not asked.excepted

    def telling(self, groups: frozenset[int], search_text: str) -> bool:
        """Whether one of the question's word `groups` weighs near its average known word (培训, not 安全 or 企业)."""
        asked = self._weights(search_text)
        # words the notices never use (加进) weigh the most and match nothing: the average is of the others
        known = [max(group.values()) for group in asked.groups if not group.keys() <= asked.novel]
        mean = sum(known) / len(known) if known else 0.0
        return any(max(asked.groups[i].values()) >= _TELLING_SHARE * mean for i in groups)

    def asks_span(self, search_text: str) -> bool:
        """Whether the question asks for a range (从谁…到谁)."""
        return self._weights(search_text).span

    def earlier(self, search_text: str) -> frozenset[int]:
        """The question's word groups that only the earlier turns of a follow-up name."""
        return self._weights(search_text).earlier

    def names_asked(self, text: str, search_text: str) -> bool:
        """Whether `text` names what 啥X / 哪些X asks for (X); True when the question names no such thing."""
        asked = self._weights(search_text)
        if not asked.head:
            return True
        plain = searchable(text).lower()
        return any(spelling in plain for i in asked.head for spelling in _telling(asked.groups[i]))

    @staticmethod
    def _lists_asked_kind(text: str, asked: Asked) -> bool:
        return any(
            re.search(_LISTED_AS + re.escape(spelling), text)
            if len(spelling) >= 2
            # 达哪几个标 → 岗位达标、专业达标和企业达标: one character asked is a kind where listed items end in it
            else re.search(f"{re.escape(spelling)}[、和及][^，,。；;]{{1,10}}?{re.escape(spelling)}", text)
            for i in asked.head
            for spelling in asked.groups[i]
        )

    @staticmethod
    def _governs(fragment: str, asked: Asked) -> float:
        # within the chosen sentence, the fragment where the asked verb takes its object (纳入基层网格化管理…) is
        # the answer, though another (建立应急管理及消防履职事项清单) shares more of the question's words: it is
        # preferred, or joined when it follows the best one. Across sentences it is no such sign (实行 an 一票否决
        # vs 执行 the asked 月通报 system), so sentences are not scored by it
        if asked.slot_verb and asked.slot_verb in searchable(fragment).lower():
            return 0.35 * asked.total
        return 0.0

    @staticmethod
    def _joined(sentence: str, asked: Asked) -> float:
        """What two one-character words written together in the question earn again where the sentence has them
        together too (加层 in 严禁违规加层加盖): in full, not by half each. Sentences only: within a sentence the
        fragment is chosen by what it states (停用超过3年 over 完成闭库治理 for 停用多久就必须闭库)."""
        plain = searchable(sentence).lower()
        return sum(
            0.5 * (max(asked.groups[first].values()) + max(asked.groups[second].values()))
            for first, second, word in asked.joined
            if word in plain
        )

    def sentence_scores(
        self, clause: Clause, search_text: str, kind: QuestionType, unit: str | None = None
    ) -> list[tuple[float, int, str]]:
        """(score, position, sentence) for each sentence of `clause`; a heading sentence counts half."""
        weights = self._weights(search_text)
        sentences = _notes_apart(split_sentences(clause.text) or [clause.text])
        heading = normalize(clause.heading)
        scored = []
        payer = asks_payer(search_text)
        for position, sentence in enumerate(sentences):
            score = self._score(sentence, weights, kind, unit) + self._joined(sentence, weights)
            if payer and names_funding(sentence):
                score += 0.35 * weights.total  # 钱从哪来: the sentence saying who pays (政府支持、企业自主、社会援助)
            if len(normalize(strip_marker(sentence))) < 8 or is_note(sentence):
                # a bare item heading ("1. 煤矿。") or a responsibility note answers nothing as a requirement
                # (a short fragment of a sentence may; who is responsible is read from notes elsewhere)
                score -= 0.35 * weights.total + 5.0
            body = normalize(strip_marker(sentence))
            if position == 0 and len(sentences) > 1 and len(body) <= len(heading) + 2 and _titles(body):
                # "（十八）高标准编制实施“十五五”规划。" names the topic; the next sentence says what to do
                score *= 0.5
            scored.append((score, position, sentence))
        return scored

    def pick(
        self, hit: Hit, clause: Clause, search_text: str, kind: QuestionType, asked_unit: str | None = None
    ) -> Pick:
        """The clause's best sentence and the fragment of it that carries the point."""
        return self._pick(
            hit, clause, search_text, kind, asked_unit, self.sentence_scores(clause, search_text, kind, asked_unit)
        )

    def pick_stating(
        self,
        hit: Hit,
        clause: Clause,
        search_text: str,
        kind: QuestionType,
        asked_unit: str | None = None,
        counted: Sequence[str] = (),
    ) -> Pick | None:
        """Like `pick`, among the sentences that state the asked figure (of the `counted` thing) or date; None when
        none does."""
        scored = [
            item
            for item in self.sentence_scores(clause, search_text, kind, asked_unit)
            if _states_asked(item[2], kind, asked_unit, counted, self._weights(search_text).how_long)
        ]
        return self._pick(hit, clause, search_text, kind, asked_unit, scored) if scored else None

    def _pick(
        self,
        hit: Hit,
        clause: Clause,
        search_text: str,
        kind: QuestionType,
        asked_unit: str | None,
        scored: list[tuple[float, int, str]],
    ) -> Pick:
        weights = self._weights(search_text)
        score, _, sentence = max(scored, key=lambda item: (item[0], -item[1]))
        fragments = [f for f in split_fragments(sentence) if f.strip()]
        # "森林草原火灾：" labels what follows; it is never the answer itself
        fragments = [f for f in fragments if not f.rstrip().endswith(("：", ":"))] or fragments
        factual = _factual(fragments, kind, asked_unit, weights.how_long, weights.reward)
        if kind is QuestionType.COUNT and weights.focus and not any(_holds(f, weights.focus) for f in factual):
            # 那机制呢？ after 健全几大体系: the earlier turn's unit counted its own subject (五大体系); the figure
            # about the follow-up's subject (十项机制) may be in another unit
            factual = [f for f in fragments if _NUMBER.search(_without_ordinals(f, None)) and _holds(f, weights.focus)]
        if not factual and may_ask_places(search_text):
            # 在哪几个地方建: the fragment that names the places
            factual = [f for f in fragments if mentions_place(normalize(f))]
        if not factual and weights.people:
            # 针对哪些人: the fragment that names them, though another holds more of the question's words
            factual = [f for f in fragments if _NAMES_PEOPLE.search(f)]
        # for 多少/什么时候/会怎样 the lead must carry the figure, the date or the outcome, whatever else scores higher
        if kind is QuestionType.CONSEQUENCE and factual:
            # "对…的，移送司法机关追究刑事责任": the outcome follows its condition, and may take several fragments
            # ("…的，市安委会对属地开展专项巡查，全链条溯源追责"): the run of outcomes that ends the sentence's last one
            position = fragments.index(factual[-1])
            first = position
            while first > 0 and fragments[first - 1] in factual:
                first -= 1
            # …的，县安委会对属地…开展专项帮扶，全链条溯源追责: every fragment after the condition is the outcome,
            # the ones no outcome word marks included
            condition = max((i for i in range(first) if _CONDITION.search(_plain(fragments[i]))), default=None)
            if condition is not None:
                first = condition + 1
            best_fragment = "".join(fragments[first : position + 1])
            position = first
        else:
            best_fragment = max(
                factual or fragments,
                key=lambda f: (
                    self._score(f, weights, kind, asked_unit)
                    + self._governs(f, weights)
                    # 向谁公开承诺: the fragment that writes 向… names the party asked for
                    + (0.35 * weights.total if weights.party and weights.party in f else 0.0),
                    -len(f),
                ),
            )
            position = fragments.index(best_fragment)
        if weights.means and not _NAMES_MEANS.search(best_fragment):
            # 发现非法采矿用啥手段 → "加快推进使用卫星遥感监测工作，及时发现和打击非法采矿行为": the fragment that
            # matches the question names the purpose; the means is written beside it
            if position > 0 and _NAMES_MEANS.search(fragments[position - 1]):
                best_fragment = fragments[position - 1] + best_fragment
                position -= 1
            elif position + 1 < len(fragments) and _NAMES_MEANS.search(fragments[position + 1]):
                best_fragment = best_fragment + fragments[position + 1]
        if (
            _FRAMING.match(re.sub(r"“[^”]*”", "", _plain(best_fragment)))
            and position + 1 < len(fragments)
            and not _ASKS_FRAME.search(follow_up_text(search_text) or search_text)
        ):
            # "按照“一厂出事故、万厂受教育…”的要求，" only frames what follows: the requirement is after it
            position += 1
            best_fragment = fragments[position]
        if position > 0 and (
            _says_little(best_fragment)
            or _SPELLS_OUT.match(best_fragment)
            # "对检查发现的隐患，要盯紧不放…": a requirement opening with its modal has its object in the fragment before
            or (_MODAL_OPENING.match(best_fragment) and _plain(fragments[position - 1]).startswith("对"))
        ):
            # "2016年年底前完成80%" says little without the fragment before it, which names what is to be done;
            # "即…制度、…制度" spells out the list the fragment before it names
            best_fragment = fragments[position - 1] + best_fragment
        elif position + 1 < len(fragments) and (
            self._governs(fragments[position + 1], weights) > self._governs(best_fragment, weights)
            or _SPELLS_OUT.match(fragments[position + 1])
            or (not _REQUIRES.search(best_fragment) and _REQUIRES.search(fragments[position + 1]))
            or _CONDITION.search(_plain(best_fragment))
        ):
            # "省内发生的重大以上事故，" only sets the case, and "安全生产制度，" names a list the next fragment spells
            # out ("即…制度、…制度"): the answer is the fragment after it
            best_fragment = best_fragment + fragments[position + 1]
        opening = _CORRELATIVE.match(fragments[position].strip())
        if (
            opening
            and position > 0
            and fragments[position - 1].strip().startswith(opening.group())
            and best_fragment.startswith(fragments[position])
        ):
            # "什么时间整顿好，什么时间恢复生产": a correlative pair is one statement, and its second half alone
            # reads as a question
            best_fragment = fragments[position - 1] + best_fragment
        first, last = _parallel_run(fragments, position)
        if last > first and best_fragment.startswith(fragments[position]):
            # "绝不能过高估计安全生产形势，绝不能过高估计…认识，绝不能过高估计…能力和水平": fragments opening alike are
            # one statement in parts, and one part alone answers 哪些 by a third
            best_fragment = "".join(fragments[first : last + 1])
        if kind in _WHOLE_SENTENCE_KINDS and len(normalize(strip_marker(sentence))) <= _WHOLE_LEAD_CHARS:
            # 饭店用气有啥要求 → "紧盯…餐饮等人员密集场所，推动安装燃气泄漏报警器": the fragment that matches the
            # question's words names who or where, and what is required, allowed or done follows it; a short
            # sentence is the answer whole
            best_fragment = sentence
        sentence = trim_quote(sentence, best_fragment)
        fragment = _plain(best_fragment)
        if len(normalize(fragment)) < 6:
            fragment = _plain(sentence)
        return Pick(hit, clause, self.retriever.corpus.notice(clause.notice_id), sentence, fragment, score)


_PARALLEL_HEAD = 4


def _excepted(text: str, groups: Sequence[dict[str, float]]) -> frozenset[int]:
    """The groups whose words stand only inside a 除了X phrase of `text`."""
    plain = normalize(text)
    inside = "".join(match.group(1) for match in _EXCEPT.finditer(plain))
    if not inside:
        return frozenset()
    outside = _EXCEPT.sub(" ", plain)
    return frozenset(
        i for i, group in enumerate(groups) if any(t in inside for t in group) and not any(t in outside for t in group)
    )


def _parallel_run(fragments: Sequence[str], position: int) -> tuple[int, int]:
    """The run of fragments around `position` that open with the same words as it (the first of the run may have its
    subject before them): (first, last) positions, equal where there is no such run."""
    opened = [normalize(fragment).strip() for fragment in fragments]
    head = opened[position][:_PARALLEL_HEAD]
    if len(head) < _PARALLEL_HEAD or not re.fullmatch(r"[\u4e00-\u9fff]+", head):
        return position, position
    first = last = position
    while last + 1 < len(opened) and opened[last + 1].startswith(head):
        last += 1
    while first > 0 and opened[first - 1].startswith(head):
        first -= 1
    if first > 0 and head in opened[first - 1]:
        first -= 1  # the run's first part, with its subject before the shared words
    return first, last


def _notes_apart(sentences: list[str]) -> list[str]:
    """Sentences with a leading responsibility note split off: in notices that close each task with its units
    (…工作。（省应急厅负责）集中审批部门…), the splitter leaves the note at the head of the next task, where it
    would make that task read as a note."""
    apart: list[str] = []
    for sentence in sentences:
        note = leading_note(sentence)
        apart.extend((note, sentence[len(note) :]) if note else (sentence,))
    return apart


def _titles(sentence: str) -> bool:
    """A title rather than a requirement: short, or one phrase. A list item without a title of its own
    (57. 合理规划…布局，县级…覆盖率达到100%。) has its first sentence as its heading, and that sentence counts."""
    return len(sentence) <= 16 or not re.search(r"[，,：:]", sentence.rstrip("。；;"))


def _credit(group: dict[str, float], text: str, novel: frozenset[str], alternatives: bool) -> float:
    """What one asked word earns in `text`: the best of its alternative spellings (山火 → 森林草原火灾, 防灭火),
    or the sum of its parts present (瓦斯抽采 and 瓦斯: the whole word found counts more than a part). A single
    character is found by chance in a long sentence far more often than a word, so it earns half. An everyday
    word the notices never use (片子, 仓库) earns half when most of its root's characters are there (教育片,
    储备库): colloquial and official words share roots; a word the notices do use is absent when not found."""
    word = max(group, key=len)
    found = [w * (0.5 if len(t) == 1 else 1.0) for t, w in group.items() if t in text]
    if found and not alternatives and _split_in(word, group, text):
        found.append(group[word])
    if found:
        return max(found) if alternatives else _whole_and_parts(found)
    root = word.rstrip("子儿头")
    if word not in novel or len(word) < 2 or not root:
        return 0.0
    share = sum(char in text for char in root) / len(root)
    return 0.5 * group[word] * share if share >= 0.5 else 0.0


def _joined_singles(groups: Sequence[dict[str, float]], question: str) -> tuple[tuple[int, int, str], ...]:
    """Pairs of groups whose one-character spellings stand side by side in the question (加, 层 in 加层)."""
    singles = [(i, t) for i, group in enumerate(groups) for t in group if len(t) == 1]
    return tuple((i, j, a + b) for i, a in singles for j, b in singles if i != j and a + b in question)


def _split_in(word: str, group: dict[str, float], text: str) -> bool:
    """`word` written with words between its parts (重大事故 in 发生重大及以上生产安全事故): the parts are
    spellings of the group, both in `text`, in order."""
    if word in text:
        return False
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if head in group and tail in group and head in text and tail in text[text.index(head) + len(head) :]:
            return True
    return False


def _whole_and_parts(weights: list[float]) -> float:
    """A word found whole (瓦斯抽采) counts more than its part alone (瓦斯), but its parts (执法人员 → 执法, 人员,
    and jieba's 法人) must not outweigh a second asked word."""
    return max(weights) + 0.25 * (sum(weights) - max(weights))


def _without_ordinals(text: str, unit: str | None) -> str:
    """`text` without list numbers and ordinals (两级, 一是), which are not figures; but 二级 answers 几级."""
    body = normalize(strip_marker(text))
    return body if unit in ("级", ORDINAL) else _ORDINAL.sub("", body)


def _states_figure(text: str, unit: str | None) -> bool:
    """A figure (in `unit`, when one is asked), not a list number or an ordinal such as 两级."""
    body = _without_ordinals(text, unit)
    return bool(figure_in(unit).search(body) if unit else _NUMBER.search(body))


def _outcome(text: str, reward: bool) -> bool:
    return bool(_OUTCOME.search(text) or (reward and _REWARD.search(text)))


def _factual(
    fragments: Sequence[str], kind: QuestionType, asked_unit: str | None, how_long: bool = False, reward: bool = False
) -> list[str]:
    """The fragments that state what `kind` asks for: a figure (in the asked unit, when there is one), a date, an outcome.

    A list item's own number (``16.``) and ordinal words such as 两级 are not figures.
    """
    if kind is QuestionType.CONSEQUENCE:
        return [f for f in fragments if _outcome(normalize(f), reward)]
    if kind is QuestionType.DEADLINE:
        return [f for f in fragments if _states_time(normalize(f), how_long)] or [
            f for f in fragments if _PROMPTLY.search(normalize(f))
        ]
    if kind is QuestionType.FREQUENCY:
        return [f for f in fragments if _OFTEN.search(normalize(f))]
    if kind is not QuestionType.COUNT:
        return []
    bodies = {f: _without_ordinals(f, asked_unit) for f in fragments}
    if asked_unit:
        in_unit = figure_in(asked_unit)
        with_unit = [f for f, body in bodies.items() if in_unit.search(body)]
        if with_unit:
            return with_unit
    return [f for f, body in bodies.items() if _NUMBER.search(body)]


def _holds(fragment: str, groups: Sequence[dict[str, float]]) -> bool:
    plain = searchable(fragment).lower()
    return any(spelling in plain for group in groups for spelling in group)


def _says_little(fragment: str) -> bool:
    residue = _TIME.sub("", _NUMBER.sub("", re.sub(r"\d{4}年|\d+(\.\d+)?", "", normalize(fragment))))
    return len(re.findall(r"[\u4e00-\u9fff]", residue)) < _MIN_SUBSTANCE


def trim_quote(sentence: str, keep: str | None = None) -> str:
    """A quote is one sentence; a very long one is cut at commas around `keep` (the asked fact), still verbatim."""
    sentence = sentence.strip()
    if len(sentence) <= _MAX_QUOTE_CHARS:
        return sentence
    parts = [f for f in split_fragments(sentence) if f]
    anchor = next((i for i, part in enumerate(parts) if keep and keep.strip() and keep.strip() in part), 0)
    start = end = anchor
    length = len(parts[anchor])
    # grow the window one fragment at a time, the preceding one first: it usually names what the figure is about
    while True:
        grown = False
        if start > 0 and length + len(parts[start - 1]) <= _MAX_QUOTE_CHARS:
            start -= 1
            length += len(parts[start])
            grown = True
        if end + 1 < len(parts) and length + len(parts[end + 1]) <= _MAX_QUOTE_CHARS:
            end += 1
            length += len(parts[end])
            grown = True
        if not grown:
            break
    window = "".join(parts[start : end + 1]).strip()
    return window if len(window) <= _MAX_QUOTE_CHARS else window[:_MAX_QUOTE_CHARS]


def _plain(fragment: str) -> str:
    """A fragment for the lead: without its item number, trailing punctuation, or a responsibility note that
    opens it (the previous sentence's: （省级…部门负责）集中审批部门…)."""
    return without_leading_note(tidy(strip_marker(fragment)).strip()).rstrip("，,；;：:。").strip()


def place_and_year(notice: Notice) -> str:
    return f"{notice.issuer.removesuffix('人民政府')}{notice.year}年"


def document_kind(notice: Notice) -> str:
    return "意见" if (notice.title or "").endswith("意见") else "通知"


def citation_for(number: int, pick: Pick, quote: str, units: str | None = None) -> Citation:
    return notice_citation(number, pick.notice, pick.clause, quote, units)


def notice_citation(number: int, notice: Notice, clause: Clause, quote: str, units: str | None = None) -> Citation:
    return Citation(
        number=number,
        clause_id=clause.clause_id,
        notice_id=notice.notice_id,
        issuer=notice.issuer,
        year=notice.year,
        doc_number=notice.doc_number,
        title=notice.display_title,
        path=clause.path_label,
        quote=quote,
        clause_text=clause.text,
        units=units,
    )


def responsibility_of(clause: Clause, sentence: str, weights_text: str, parent: Clause | None) -> Responsibility | None:
    """The units answering 谁负责 for `sentence` of `clause`: the table row whose task fits, else the inline units."""
    table = [unit for unit in clause.units if unit.origin == "table"]
    if table:
        wanted = normalize(weights_text)
        return max(table, key=lambda unit: _overlap(normalize(unit.task or ""), wanted, normalize(sentence)))
    inline = [unit for unit in clause.units if unit.origin == "inline"]
    if inline:
        position = clause.text.find(sentence)
        after = [unit for unit in inline if clause.text.find(unit.units) >= position]
        return after[0] if after else inline[-1]
    if parent is not None and parent.units:
        return parent.units[0]
    return None


# 现场警示会谁来组织开: a sentence inside a task may name its own doer (…的, 市级行业领域安全监管部门要会同属地政府组织召开
# 现场警示会; 县政府将组织…), which answers better than the note that closes the task as a whole
_OWN_AGENT = re.compile(
    r"(?:^|[，,；;：:])\s*((?:由)?([\u4e00-\u9fff（）()、]{1,40}?(?:部门|政府|管委会|局|厅|委|办|总队|支队|大队|中心))"
    r"(?:将|须|必须)?(?:要|负责|牵头|会同|组织|应当|统筹)[^，,；;。]*)"
)
_ANY_AGENT = frozenset({"各级各部门", "各部门", "有关部门", "相关部门", "各级政府", "各级党委政府", "各有关部门"})


def own_agent(clause: Clause, sentence: str) -> str | None:
    """The fragment of `sentence` where a named unit does the task, when the sentence is not the clause's first (the
    task a closing note covers); None for 各级各部门要… (a note names the units better)."""
    if not sentence.strip() or clause.text.strip().startswith(sentence.strip()):
        return None
    return named_doer(sentence)


def named_doer(sentence: str) -> str | None:
    """The fragment of `sentence` where a named unit does the task (县（市、区）应急管理部门会同相关部门制定…清单);
    None where none is named or the doer is anyone (各级各部门要…)."""
    match = _OWN_AGENT.search(sentence)
    return None if match is None or match.group(2) in _ANY_AGENT else _plain(match.group(1))


# the verb of a who-question that names the duty itself (由谁分管, 谁来主抓): the fragment of the sentence where it stands
# says who (市县政府全部落实常务副职分管安全生产工作) when no note or named unit does
_DUTY_VERB = re.compile(r"分管|主管|主抓|牵头|主持|统筹|督办|负责")


def duty_fragment(sentence: str, question: str) -> str | None:
    """The fragment of `sentence` holding the duty verb the question asks about (分管), or None."""
    verbs = {match.group() for match in _DUTY_VERB.finditer(question)}
    for fragment in split_fragments(sentence):
        if any(verb in fragment for verb in verbs):
            return _plain(fragment.rstrip("，,；;：:。"))
    return None


def _overlap(task: str, question: str, sentence: str) -> float:
    bigrams = {task[i : i + 2] for i in range(len(task) - 1)}
    return sum(question[i : i + 2] in bigrams for i in range(len(question) - 1)) + 3 * (sentence[:12] in task)


def units_sentence(clause: Clause, unit: Responsibility) -> str | None:
    """The sentence of `clause` that carries an inline units parenthetical, verbatim."""
    sentences = split_sentences(clause.text)
    for index, sentence in enumerate(sentences):
        if unit.units in sentence:
            if sentence.lstrip()[:1] in "（(" and index > 0:
                # "…等问题。(责任单位:…)": quote the task with its units
                sentence = sentences[index - 1] + sentence
            return sentence.strip() if len(sentence) <= _MAX_QUOTE_CHARS else None
    return None


def _led_by(options: Sequence[Pick], first: Pick, candidates: list[Pick]) -> tuple[Pick, list[Pick]]:
    """The best of `options` (if any) as the lead, its clause first among the candidates."""
    if not options:
        return first, candidates
    lead = max(options, key=lambda p: p.score)
    return lead, [lead, *(c for c in candidates if c.clause is not lead.clause)]


def first_picks(extractor: Extractor, retrieval: Retrieval, kind: QuestionType, per_notice: bool) -> list[Pick]:
    """The clauses to quote: the best one (and a close second), or the best of each notice for a comparison."""
    picks: list[Pick] = []
    if per_notice:
        best: dict[str, Pick] = {}
        for hit in retrieval.hits:
            for clause in (hit.clause, *hit.duplicates):
                pick = extractor.pick(hit, clause, retrieval.search_text, kind, unit_asked(retrieval.form))
                if clause.notice_id not in best or pick.score > best[clause.notice_id].score:
                    best[clause.notice_id] = pick
        order = {notice.notice_id: i for i, notice in enumerate(extractor.retriever.corpus.notices)}
        chosen = sorted(best.values(), key=lambda p: -p.score)[:4]
        return sorted(chosen, key=lambda p: (p.notice.year, order[p.notice.notice_id]))
    unit = unit_asked(retrieval.form)
    hits = retrieval.hits[:3]
    candidates = [extractor.pick(hit, hit.clause, retrieval.search_text, kind, unit) for hit in hits]
    if not candidates:
        return []
    first = candidates[0]
    counted = counted_spellings(retrieval.form, extractor.tokenizer.synonyms)
    how_long = asks_how_long(retrieval.search_text)
    if not _states_asked(first.fragment, kind, unit, counted, how_long):
        # 一个月查几次: the best clause's best sentence states no count; the best sentence that does, in the first
        # clauses, leads when it scores near enough ("每月至少检查两次" in the second clause)
        stating = [extractor.pick_stating(hit, hit.clause, retrieval.search_text, kind, unit, counted) for hit in hits]
        # another clause's figure or date answers only where that clause names all that the best sentence matched
        # (啥时候建成 the 智能化矿井: a clause dating 煤矿隐蔽致灾因素普查 names 煤矿 and 建成 but not 智能化)
        matched = extractor.matched(first.sentence, retrieval.search_text)
        options = [
            p
            for p in stating
            if p is not None
            and p.score >= _FACT_OVER_RANK * first.score
            and (p.clause is first.clause or matched <= extractor.matched(p.clause.text, retrieval.search_text))
        ]
        first, candidates = _led_by(options, first, candidates)
    elif kind is QuestionType.REQUIREMENT and not extractor.names_asked(first.sentence, retrieval.search_text):
        # 尾矿库要上啥监测: the best clause is all about 尾矿库 but its best sentence names no 监测; a next clause's
        # sentence that does (尾矿库在线监测), and names all the first one matched besides, is the answer; of a
        # follow-up (还有啥竞赛 after a turn about 随手拍 rewards) only what its own words matched must be named again
        matched = extractor.matched(first.sentence, retrieval.search_text) - extractor.earlier(retrieval.search_text)
        options = [
            c
            for c in candidates[1:]
            if extractor.names_asked(c.sentence, retrieval.search_text)
            and c.score > first.score
            and matched <= extractor.matched(c.sentence, retrieval.search_text)
        ]
        first, candidates = _led_by(options, first, candidates)
    elif kind in (QuestionType.REQUIREMENT, QuestionType.YES_NO) and extractor.plain_question(retrieval.search_text):
        # 领导干部培训要加进去啥内容: the best clause's best sentence (…领导班子…考核述职内容) matches fewer of the
        # question's words than a next clause's (…纳入…领导干部培训内容), which matches all it does and a telling
        # word more, scores higher, and comes from a clause retrieved nearly as well: that sentence answers
        matched = extractor.matched(first.sentence, retrieval.search_text)
        options = [
            c
            for c in candidates[1:]
            if c.score > first.score
            and c.hit.score >= _SENTENCE_OVER_RANK * first.hit.score
            and matched < (more := extractor.matched(c.sentence, retrieval.search_text))
            and extractor.telling(more - matched, retrieval.search_text)
        ]
        first, candidates = _led_by(options, first, candidates)
    if extractor.asks_span(retrieval.search_text) and not _FROM_TO.search(normalize(first.sentence)):
        # 责任清单要从谁列到谁: the best clause's 责任清单 writes no range; a next clause's sentence that does
        # (从主要负责人到一线从业人员的安全生产责任清单), naming all the first one matched, answers
        matched = extractor.matched(first.sentence, retrieval.search_text)
        options = [
            c
            for c in candidates[1:]
            if _FROM_TO.search(normalize(c.sentence))
            and c.score > first.score
            and matched <= extractor.matched(c.sentence, retrieval.search_text)
        ]
        first, candidates = _led_by(options, first, candidates)
    picks.append(first)
    # a second sentence of the same clause that scores nearly as well often holds the rest of the answer
    ranked = sorted(
        extractor.sentence_scores(first.clause, retrieval.search_text, kind, unit), key=lambda x: (-x[0], x[1])
    )
    for score, _, sentence in ranked[1:2]:
        if first.score > 0 and score >= _SECOND_QUOTE * first.score and trim_quote(sentence) != first.sentence:
            picks.append(Pick(first.hit, first.clause, first.notice, trim_quote(sentence), first.fragment, score))
    for other in candidates[1:2]:
        if first.score > 0 and other.score >= _SECOND_QUOTE * first.score and len(picks) < 3:
            picks.append(other)
    return picks


def unstated(picks: Sequence[Pick], kind: QuestionType, question: str) -> str | None:
    """What a 啥时候 / 多久一次 question asked that none of the quoted sentences states (the clause sets no
    deadline or frequency): said in the lead, so that the quote is not taken for the answer."""
    how_long = asks_how_long(question)
    if not picks or any(_states_asked(pick.sentence, kind, None, (), how_long) for pick in picks):
        return None
    return {QuestionType.DEADLINE: "时限", QuestionType.FREQUENCY: "频次"}.get(kind)


def asks_means(question: str) -> bool:
    return bool(_ASKS_MEANS.search(normalize(question)))


def asks_how_long(question: str) -> bool:
    return bool(_HOW_LONG.search(normalize(question)))


def _states_time(text: str, how_long: bool) -> bool:
    return bool(_TIME.search(text) or (how_long and _SPAN.search(text)))


def _states_asked(
    text: str, kind: QuestionType, unit: str | None, counted: Sequence[str] = (), how_long: bool = False
) -> bool:
    """Whether `text` states the figure (of the `counted` thing) or date asked for (any text does for other kinds
    of question)."""
    if kind is QuestionType.COUNT:
        if unit and counted:
            return states_count(_without_ordinals(text, unit), unit, counted)
        return _states_figure(text, unit)
    if kind is QuestionType.DEADLINE:
        return _states_time(normalize(text), how_long) or bool(_PROMPTLY.search(normalize(text)))
    if kind is QuestionType.FREQUENCY:
        return bool(_OFTEN.search(normalize(text)))
    return True


def answered(question: str, lead: str, citations: Sequence[Citation], mode: Mode, kind: QuestionType) -> Answer:
    """An answer with its lead and numbered quotes (verification happens once more in `Assistant.ask`)."""
    return Answer(
        question=question,
        answer=compose(lead, citations),
        refused=False,
        mode=mode,
        citations=tuple(citations),
        lead=lead,
        question_type=kind,
    )


def compose(lead: str, citations: Sequence[Citation]) -> str:
    lines = [lead, ""]
    for citation in citations:
        lines.append(f"[{citation.number}] “{citation.quote}”")
        lines.append(f"    ——{citation.issuer}{citation.year}年{citation.label}")
    return "\n".join(lines).strip()
