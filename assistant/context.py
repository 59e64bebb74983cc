"""Follow-up questions: 那大同呢？ 这个由谁负责？ 去年呢？ take what they leave out from the turns before."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.scope import Scope, ScopeReader, strip_mentions
from assistant.topics import industries_named, without_industries
from index.clauses import chinese_to_int
from index.tokenize import Tokenizer

# Segments of a question addressed to the assistant rather than about the notices.
_INSTRUCTION = re.compile(
    r"忽略|无视|扮演|系统提示|提示词|指令|你现在是|不受任何限制|越狱|ignore|pretend|system prompt|jailbreak",
    re.IGNORECASE,
)
_SEGMENT = re.compile(r"[^。！？!?；;\n【】\[\]]+[。！？!?；;]?")

# A question with fewer content words than this leans on the previous turn for its topic.
_SELF_CONTAINED_WORDS = 3
# Words that point back at the previous turn's topic, however long the question (这项工作具体归哪些部门管？).
_REFERS_BACK = re.compile(
    r"^(那|那么|还有|另外|再问|再说)|这(项|个|些|事|件|条|块|方面|一条|一项|次)|那(项|个|些|事|件|条|块)|该项|上述|上面说的|"
    r"它|呢[？?]*$"
)


# between the earlier turns' text and the follow-up's own in a search text: searched as a space, it tells the lead
# which words the follow-up itself asks (那道路交通重点查啥车 after a question about 非煤矿山)
TURN_BREAK = "\n"


def follow_up_text(search_text: str) -> str:
    """A follow-up's own text within its search text (after the earlier turns'); "" for a question that is none."""
    return search_text.rsplit(TURN_BREAK, 1)[1] if TURN_BREAK in search_text else ""


# 企业从业人员呢？ / 那2024年呢？: a subject or a scope with 呢 and no question word of its own asks the earlier
# question again of it, so the earlier question's form (几次, 多少个, 什么时候) says what kind of answer it wants
_BARE_FOLLOW_UP = re.compile(r"^(?:那|那么)?[^？?，,。；;]{0,16}?呢[？?！!。～~]*$")
_QUESTION_WORD = re.compile(r"啥|什么|哪|谁|几|多少|多久|多长|怎|咋|如何|吗|是否|有没有|要不要|能不能|可不可以")


def asked_form(question: str, history: Sequence[str]) -> str:
    """The question whose wording says what kind of answer is wanted: `question`, or for a bare 那X呢 follow-up
    the latest earlier turn that asks in words of its own."""
    for text in (question, *reversed(history)):
        plain = text.strip()
        if not (_BARE_FOLLOW_UP.match(plain) and not _QUESTION_WORD.search(plain)):
            return text
    return question


@dataclass(frozen=True)
class Contextualized:
    """A question made self-contained: the text to search and its (unresolved) scope."""

    search_text: str
    scope: Scope
    used_history: bool


def strip_instructions(question: str) -> str:
    """Drop the parts of a question that instruct the assistant (忽略之前的指令…, 【系统提示：…】).

    Text is data: such parts change nothing in what is searched or answered. If
    nothing else is left, the question is kept as it is (and will find nothing).
    """
    kept = [part for part in _SEGMENT.findall(question) if not _INSTRUCTION.search(part)]
    return "".join(kept).strip() or question


# Courtesy around a question (你好, 想问一下, 麻烦问下, 谢谢): it names nothing the notices could hold, but weighed
# as words (谢谢, 问问 are the rarest words of all to the notices) it buried the question's topic
_COURTESY = re.compile(
    r"(?:你好|您好|老师好|谢谢(?:你|您|了|啦)?|多谢|感谢|辛苦了?|打扰(?:一下|了)?|麻烦(?:你|您)(?:问(?:一下|下|问))?|麻烦问(?:一下|下|问)?|"
    r"想(?:请教|问)(?:一下|下|问)?|请教(?:一下|下)?|请问(?:一下|下)?|问(?:一下|下|问))[，,。！!～~\s]*"
)
# 我是村干部，…: who is asking, not what; dropped unless it names a place (我是沁水的), which scopes the question
_SELF_INTRODUCTION = re.compile(r"^(?:我|本人)(?:是|在)[^，,。！!？?]{1,12}[，,。！!]+")


def strip_courtesy(question: str, names_place: Callable[[str], bool]) -> str:
    """The question without greetings, thanks, "may I ask" and an opening self-introduction that names no place;
    unchanged when nothing else would be left."""
    text = _COURTESY.sub("", question).strip("，,。！!～~ ")
    introduction = _SELF_INTRODUCTION.match(text)
    if introduction and not names_place(introduction.group(0)):
        text = text[introduction.end() :]
    return text.strip() or question


# 三个月内出两起: the notices write such spans and counts in digits (3个月之内发生2起以上), and 两起 is no word of
# theirs; 每一起事故 ("every accident") and 三项, 两次, 八条 (names and habits the notices write in characters) stay
_NUMERAL_FIGURE = re.compile(r"(?<![每第])([一二两三四五六七八九十]{1,3})(个月|个小时|小时|个工作日|天|周|座|名|家|起)")
# 一个月 / 一起 mostly mean "a month" (每月) and "an accident": a 1 would match dates (7月1日) and list numbers


def figures_in_digits(question: str) -> str:
    """三个月内出两起 → 3个月内出2起: counts and spans in the way the notices write them."""

    def digits(match: re.Match[str]) -> str:
        try:
            number = chinese_to_int(match.group(1).replace("两", "二"))
        except KeyError:  # not a numeral up to 99 (十一二)
            return match.group(0)
        return match.group(0) if number == 1 else f"{number}{match.group(2)}"

    return _NUMERAL_FIGURE.sub(digits, question)


def contextualize(question: str, history: Sequence[str], reader: ScopeReader, tokenizer: Tokenizer) -> Contextualized:
    """Fold the earlier user turns into `question`: scope parts it does not name, and its topic when it has none."""
    previous: Contextualized | None = None
    for turn in history:
        previous = _step(turn, previous, reader, tokenizer)
    return _step(question, previous, reader, tokenizer)


def _step(question: str, previous: Contextualized | None, reader: ScopeReader, tokenizer: Tokenizer) -> Contextualized:
    scope = reader.parse(question)
    own_text = strip_mentions(question, scope.mentions)
    if previous is None:
        return Contextualized(own_text, scope, False)
    before = previous.scope
    years = scope.years
    if scope.relative_year and before.years and not before.relative_year and "今年" not in question:
        # 去年呢？ after a question about 2026 means 2025, whatever today's date
        offset = scope.years[0] - reader.current_year
        years = (max(before.years) + offset,)
    merged = replace(
        scope,
        issuers=scope.issuers or (() if scope.level else before.issuers),
        level=scope.level if scope.issuers or scope.level else before.level,
        years=years or before.years,
        relative_year=scope.relative_year if years else before.relative_year,
        years_carried=not years and bool(before.years),
    )
    # words, not search tokens: 监管部门 is cut as 监管, 部门 and 监管部门 too, and counted thrice it made
    # 监管部门要做啥？ look self-contained
    tokens = tokenizer(own_text)
    content = [t for t in tokens if not any(t != longer and t in longer for longer in tokens)]
    named = industries_named(own_text)
    # 我们县今年燃气有啥要求 after turns about 应急局's tasks names its own topic: short as it is, it leans on nothing
    if (len(content) >= _SELF_CONTAINED_WORDS or named) and not _REFERS_BACK.search(question.strip()):
        return Contextualized(own_text, merged, True)
    earlier = previous.search_text
    named_before = industries_named(earlier)
    if named and named_before and not named & named_before:
        # 烟花爆竹呢？ after 危化品有啥要求？ asks the same of another industry, not of both
        earlier = without_industries(earlier, named_before)
    return Contextualized(f"{earlier}{TURN_BREAK}{own_text}", merged, True)
