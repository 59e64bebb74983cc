"""Testable facts of a clause, as a safety trainer would pick them, and plausible wrong versions of each.

A fact is a figure with what it measures (60座, 90%, 1小时), a deadline (6月底前, 年底前), a frequency
(每季度), a named mechanism or slogan (“三管三必须”), a role (牵头/配合), a level (省级/市级) or a domain
term the notices use sparingly. Each comes with the short statement around it (`span`, verbatim in the
clause) so that stems and true/false statements are focused, not whole paragraphs.

Wrong versions (distractors, false statements) are of the fact's own category: a figure of the same unit
and magnitude, another month's deadline, another frequency, the other role, another level, a real slogan
of the same shape, a term that appears in the same lists as the fact (co-membership in the corpus's own
enumerations is what makes 烟花爆竹 a distractor for 非煤矿山 and 市应急局 one for 市住建局).
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from index.clauses import is_table_row, strip_marker, table_cells
from index.normalize import normalize, tidy_line
from index.passages import split_sentences
from index.records import Clause

_CHINESE_NUMERALS = "一二三四五六七八九十两"
# classifiers after which 2 is written 两
_COUNTED_BY = frozenset("项个条类名次种张支座家件批大")
FIGURE = re.compile(
    r"(?<![\d.])\d+(?:\.\d+)?\s*(?:%|％|座|个|名|次|处|项|家|人|公里|千米|米|万人|万元|亿元|万|小时|天|日|年|周|起|层|吨|台|支|所|辆|条|户|批)"
)
DEADLINE = re.compile(r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*(?:底|末|\d{1,2}\s*日)前|年底前|年内|\d+\s*(?:小时|日|天)内")
_RANGE_END = re.compile(r"\d\s*[—\-~至]\s*$")
_DURATIONS = frozenset(("小时", "天", "日", "年", "周"))
FREQUENCIES = ("每周", "每月", "每季度", "每半年", "每年")
FREQUENCY = re.compile("|".join(FREQUENCIES))
ROLES = {"牵头": "配合", "配合": "牵头"}
# adjectives only: 乡镇 is a noun in most sentences (乡镇（街道）) and would swap ungrammatically
LEVELS = ("省级", "市级", "县级")
SLOGAN = re.compile(r"“([^”]{3,14})”")
# a list of short items between punctuation: "党政同责、一岗双责、齐抓共管"
ENUMERATION = re.compile(
    r"(?:(?<=^)|(?<=[，。；：“（(]))((?:[\u4e00-\u9fff]{2,8}、){1,}[\u4e00-\u9fff]{2,8})(?=[等”，。；）)])"
)
# verbs that open a list's first item (严厉打击转包、违法分包): kept in the stem, never in an option
# a text's words with their parts of speech (jieba tags: v verb, n noun, vn verbal noun …)
Tagged = list[tuple[str, str]]
_LEADING_VERBS = re.compile(
    r"^(?:严厉打击|严格落实|全面推进|深入开展|持续开展|加快推进|开展|加强|强化|推进|推动|落实|深化|健全|完善|建立|实施|严格|推行|提升|做好|抓好|突出|聚焦|重点|加大|坚持|组织|督促|指导|排查|整治|打击|严防|实现|适时|编制|做到|实行|依托|严格管控|严格控制|从|制定|建设|修订|规范|优化|压实|构建|保障|确保|提高|防范|打造)"
)
_SEGMENT = re.compile(r"[^，；：,;:]+[，；：,;:]?")


class FactKind(StrEnum):
    FIGURE = "数字"
    DEADLINE = "时限"
    FREQUENCY = "频次"
    SLOGAN = "提法"
    ROLE = "分工"
    LEVEL = "层级"
    TERM = "术语"


@dataclass(frozen=True)
class Fact:
    kind: FactKind
    text: str  # as written in the sentence
    category: str  # what a distractor must share: the unit of a figure, the kind otherwise
    sentence: str  # the verbatim sentence
    span: str  # the focused statement around the fact, verbatim in the sentence


def tidy(text: str) -> str:
    """Display form of source text: PDF line breaks and spaces next to CJK or digits dropped (确保 2012 年 →
    确保2012年). Never applied to a quote, whose check goes through `normalize` anyway."""
    if is_table_row(text):  # a table row copied from a web page: its cells, not its bars
        text = "，".join(cell for cell in table_cells(text) if cell)
    joined = re.sub(r"\s*\n\s*", "", text)
    return re.sub(r"(?<=\d)\s+(?=[\u4e00-\u9fff%％])|(?<=[\u4e00-\u9fff])\s+(?=\d)", "", tidy_line(joined))


def unit_of(figure: str) -> str:
    return re.sub(r"[\d.\s]", "", figure).replace("％", "%")


def number_of(text: str) -> float | None:
    found = re.search(r"\d+(?:\.\d+)?", text)
    return float(found.group()) if found else None


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def focus_span(sentence: str, start: int, end: int, max_chars: int = 64) -> str:
    """The comma-delimited segments around sentence[start:end], widened left for the subject while short."""
    body = strip_marker(sentence)
    offset = sentence.find(body)
    if offset < 0 or offset > start:  # the marker cannot be stripped without touching the fact: keep the sentence
        body, offset = sentence, 0
    start, end = start - offset, end - offset
    segments, position = [], 0
    for match in _SEGMENT.finditer(body):
        segments.append((match.start(), match.end()))
        position = match.end()
    if not segments or position == 0:
        return body.strip()
    first = next(i for i, (a, b) in enumerate(segments) if b > start)
    last = next((i for i, (a, b) in enumerate(segments) if b >= end), len(segments) - 1)
    while (
        first > 0
        and segments[last][1] - segments[first - 1][0] <= max_chars
        and segments[last][1] - segments[first][0] < 24
    ):
        first -= 1
    # a statement that stops at a comma often stops mid-thought (…，对拍摄的隐患场景): finish it if it stays short
    while last + 1 < len(segments) and segments[last + 1][1] - segments[first][0] <= max_chars:
        last += 1
    span = body[segments[first][0] : segments[last][1]].strip()
    # a statement opening on a connective (并确保…, 同时…) reads as a fragment; the rest is still verbatim
    span = re.sub(r"^(?:并且|并|同时|以及|而且|还要|另外)", "", span)
    return span.rstrip("，；：,;:。").strip()


def sentences_of(text: str, heading: str | None = None) -> list[str]:
    """Whole sentences of a clause: `split_sentences`, with pieces that a PDF line break cut off (…, 严\n格落实…)
    joined back to the sentence they belong to. Each is still a verbatim stretch of `text`.

    A clause's `heading` on a line of its own without a full stop (三、加强企业安全生产管理，严格落实主体责任⏎企业是…)
    is a sentence of its own, not the start of the next one (…主体责任企业是安全生产的主体)."""
    whole: list[str] = []
    first_line, newline, rest = text.partition("\n")
    if (
        heading
        and newline
        and not re.search(r"[。！？；!?;]\s*$", first_line)
        and normalize(strip_marker(first_line)) == normalize(heading).rstrip("。")
    ):
        return [first_line + newline, *sentences_of(rest)]
    for piece in split_sentences(text):
        if whole and not re.search(r"[。！？；!?;]\s*$", whole[-1]):
            whole[-1] += piece
        else:
            whole.append(piece)
    return whole


# a responsibility note that ends the previous item and opens this sentence: （省应急厅负责）集中审批部门…
_LEADING_NOTE = re.compile(r"^(\s*[（(][^（）()]{1,80}[）)])(?=\s*[\u4e00-\u9fff“])")


def leading_note(sentence: str) -> str | None:
    """The responsibility note opening `sentence` (（省级…部门负责）集中审批部门…), if it opens with one: in notices
    that close each task with its units, the sentence splitter leaves the note at the head of the next task."""
    found = _LEADING_NOTE.match(sentence)
    return found.group(1) if found and is_note(found.group(1)) else None


def without_leading_note(sentence: str) -> str:
    note = leading_note(sentence)
    return sentence[len(note) :] if note else sentence


def slogan_halves(text: str, position: int, listed: Sequence[str]) -> bool:
    """“促一方发展、保一方平安”: a list inside quotes whose items end unlike is one slogan in halves, not a list of
    things (“班组日查、车间周查…” in quotes lists kinds of 查)."""
    before = text[:position]
    endings = {item.strip("“”\"'「」 ")[-1:] for item in listed}
    return before.count("“") > before.count("”") and len(endings - {""}) > 1


def is_note(sentence: str) -> bool:
    """A responsibility note (（省应急厅等部门负责）), not a requirement to test as a statement."""
    plain = normalize(strip_marker(sentence)).rstrip("。;；")
    if plain.startswith("("):
        return True
    # the tail of a note the sentence splitter cut at its inner 。: 以下均需乡〈镇〉政府负责，不再一一列出）
    return plain.endswith(")") and bool(re.search(r"负责|牵头|配合|列出|列明", plain)) and len(plain) <= 60


def is_heading_only(sentence: str, clause: Clause) -> bool:
    return normalize(strip_marker(sentence)).rstrip("。") == normalize(clause.heading).rstrip("。")


class FactFinder:
    """Finds facts in clauses and makes wrong versions of them from the corpus's own vocabulary."""

    def __init__(self, clauses: Sequence[Clause], terms: Sequence[str], tagged: Callable[[str], Tagged] | None = None):
        """`tagged` gives a text's words with their parts of speech (`Tokenizer.tagged`): with it, the verb that
        opens a list's first item (汇聚安全生产、自然灾害) is told from the item; without, a fixed verb list is."""
        self.clauses = clauses
        self.tagged = tagged
        self.figures: dict[str, set[str]] = defaultdict(set)
        # the values a requirement had in other notices, keyed by what follows the figure (座智能化煤矿): the most
        # plausible wrong options are the same requirement's figure in another year or another notice
        self.figure_contexts: dict[str, set[float]] = defaultdict(set)
        self.slogans: set[str] = set()
        self.slogan_frames: dict[str, set[str]] = defaultdict(set)
        self.enumerations: list[tuple[str, ...]] = []
        term_clauses: Counter[str] = Counter()
        for clause in clauses:
            text = clause.text
            for match in FIGURE.finditer(text):
                figure = tidy(match.group())
                self.figures[unit_of(figure)].add(figure)
                value = number_of(figure)
                if value:
                    self.figure_contexts[_figure_context(figure, text[match.end() :])].add(value)
            for match in SLOGAN.finditer(text):
                if _slogan_like(match.group(1)):
                    self.slogans.add(match.group(1))
                    # what the slogan names (“安康杯”竞赛, “打非治违”行动, “三同时”制度): the word after it
                    self.slogan_frames[match.group(1)].add(_frame_after(text, match.end()))
            for match in ENUMERATION.finditer(text):
                listed = list_items(match.group())
                if len(listed) >= 2 and not slogan_halves(text, match.start(), listed):
                    self.enumerations.append(tuple(split_leading_verb(listed, tagged)[1]))
            term_clauses.update({term for term in terms if term in text})
        # a term in more than 3% of clauses is the notices' common vocabulary (专项整治), not a fact to test
        common = max(3, len(clauses) * 0.03)
        self.terms = [t for t in terms if 0 < term_clauses[t] <= common]
        self._peers: dict[str, Counter[str]] = defaultdict(Counter)
        for items in self.enumerations:
            for item in items:
                for other in items:
                    if other != item:
                        self._peers[item][other] += 1

    def facts(self, clause: Clause) -> list[Fact]:
        return [
            fact
            for sentence in sentences_of(clause.text, clause.heading)
            if len(normalize(sentence)) >= 10 and not is_heading_only(sentence, clause)
            for fact in self._sentence_facts(sentence)
        ]

    def _sentence_facts(self, sentence: str) -> list[Fact]:
        found: list[Fact] = []
        taken: list[tuple[int, int]] = []

        def add(kind: FactKind, start: int, end: int, category: str) -> None:
            # the first reading of a stretch wins: 6月底前 is a deadline, not a figure
            if any(a < end and start < b for a, b in taken):
                return
            taken.append((start, end))
            found.append(Fact(kind, sentence[start:end], category, sentence, focus_span(sentence, start, end)))

        for match in DEADLINE.finditer(sentence):
            add(FactKind.DEADLINE, match.start(), match.end(), FactKind.DEADLINE)
        for match in FIGURE.finditer(sentence):
            # a year is a date, not a figure to test; the upper end of a range (1—2项, 3—5名) is not a figure of
            # its own: changed alone it gives 1—1项
            if not re.match(r"\d{4}\s*年$", match.group()) and not _RANGE_END.search(sentence[: match.start()]):
                add(FactKind.FIGURE, match.start(), match.end(), unit_of(match.group()))
        for match in FREQUENCY.finditer(sentence):
            add(FactKind.FREQUENCY, match.start(), match.end(), FactKind.FREQUENCY)
        for match in SLOGAN.finditer(sentence):
            if _slogan_like(match.group(1)):
                add(FactKind.SLOGAN, match.start(1), match.end(1), FactKind.SLOGAN)
        for word in (*ROLES, *LEVELS):
            kind = FactKind.ROLE if word in ROLES else FactKind.LEVEL
            for match in re.finditer(word, sentence):
                # a role is a fact only with the unit that holds it (省应急厅牵头), not a bare 牵头开展
                if kind is FactKind.ROLE and not re.search(r"[局厅委办队门府会]$", sentence[: match.start()]):
                    continue
                add(kind, match.start(), match.end(), kind)
        for term in self.terms:
            position = sentence.find(term)
            if position >= 0 and sentence.count(term) == 1:
                add(FactKind.TERM, position, position + len(term), FactKind.TERM)
        return found

    def wrong_versions(self, fact: Fact, clause_text: str, closeness: float, rng: random.Random) -> list[str]:
        """Wrong values for `fact`, best first; none occurs in the source clause. `closeness` in [0, 1]: 1 gives the
        nearest values (hard), 0 the farthest still plausible ones (easy)."""
        clause = normalize(clause_text)
        text = tidy(fact.text)
        if fact.kind is FactKind.FIGURE:
            following = fact.sentence[fact.sentence.find(fact.text) + len(fact.text) :]
            candidates = self._figures(text, fact.category, closeness, _figure_context(text, following))
        elif fact.kind is FactKind.DEADLINE:
            candidates = _deadlines(text, closeness)
        elif fact.kind is FactKind.FREQUENCY:
            candidates = _ordered_by_distance(FREQUENCIES, text, closeness)
        elif fact.kind is FactKind.ROLE:
            candidates = [ROLES[text]]
        elif fact.kind is FactKind.LEVEL:
            candidates = _ordered_by_distance(LEVELS, text, closeness)
        elif fact.kind is FactKind.SLOGAN:
            candidates = self._similar(text, self.slogans, closeness, rng)
            # slogans that name the same kind of thing first: another 竞赛 for a 竞赛, another 行动 for a 行动
            start = fact.sentence.find(fact.text)
            frame = _frame_after(fact.sentence, start + len(fact.text) + 1) if start >= 0 else ""
            if frame:
                candidates.sort(key=lambda c: frame not in self.slogan_frames.get(c, ()))
        else:
            candidates = self._term_peers(text, closeness, rng)
        seen: set[str] = set()
        wrong = []
        for candidate in candidates:
            key = normalize(candidate)
            if key and key != normalize(text) and key not in clause and key not in seen:
                seen.add(key)
                wrong.append(candidate)
        if fact.kind is FactKind.TERM and len(text) > 2:
            # a term that names its kind at the end (水旱灾害, 九小场所) is tested against others of that kind first:
            # 水利, 林业 share lists with 灾种 but are sectors, and give the key away
            alike = [w for w in wrong if w[-2:] == text[-2:]]
            return alike + [w for w in wrong if w not in alike]
        return wrong

    def _figures(self, text: str, unit: str, closeness: float, context: str = "") -> list[str]:
        value = number_of(text)
        if value is None or value <= 0:
            return []
        pool: set[float] = {n for f in self.figures.get(unit, ()) if (n := number_of(f))}
        # the same unit, within one order of magnitude: 60座 against 130座, never against 2座 or 6000座
        pool = {v for v in pool if v and 0.25 <= v / value <= 4 and v != value}
        step = 1 if value < 10 else 5 if value < 100 else 10 ** (len(_fmt(int(value))) - 2)
        if unit == "%":
            pool |= {v for v in (value - 10, value - 5, value + 5, value + 10, value - 2, value + 2) if 0 < v <= 100}
        elif unit in _DURATIONS:
            # durations come in customary values (24小时 → 12小时, 48小时; never 19小时): those the notices use, or
            # double and half
            pool |= {value * 2, value / 2}
        else:
            pool |= {value + step, value - step, value * 2, value + 2 * step, round(value / 2) or 1, value * 1.5}
        pool = {v for v in pool if v > 0 and v != value and (unit != "%" or v <= 100)}
        if float(value).is_integer():
            pool = {v for v in pool if float(v).is_integer()}

        def distance(v: float) -> float:
            return abs(v - value) / value

        ranked = sorted(pool, key=distance)
        if closeness >= 0.5:
            # the same requirement's figure elsewhere (130座 → 60座 智能化煤矿) before any other value
            elsewhere = {v for v in self.figure_contexts.get(context, ()) if v in pool}
            ranked = sorted(elsewhere, key=distance) + [v for v in ranked if v not in elsewhere]
        if closeness < 0.5:
            # easy: clearly different values first, still the same unit and magnitude
            ranked = sorted(pool, key=lambda v: -min(distance(v), 3))
        prefix_figure = re.match(r"[\d.]+", text.replace(" ", ""))
        written = prefix_figure.group() if prefix_figure else _fmt(value)
        return [text.replace(" ", "").replace(written, _fmt(v), 1) for v in ranked]

    def _similar(self, text: str, pool: Iterable[str], closeness: float, rng: random.Random) -> list[str]:
        """Slogans of the same kind: real ones of the same shape (numerals where the answer has them: 四不两直
        against 五到位, never the plan period 十二五 against it), sharing few characters; for a counted slogan also
        the same words with another count (五到位 → 三到位, 六到位), the distractor an exam setter writes."""
        numeral = text[:1] in _CHINESE_NUMERALS
        chars = set(text)
        candidates = [
            s
            for s in sorted(pool)  # a set's order changes from process to process: the same seed, the same paper
            if s != text
            and (s[:1] in _CHINESE_NUMERALS) == numeral
            and abs(len(s) - len(text)) <= 2
            and len(chars & set(s)) / len(chars) < 0.5
            and _all_numerals(s) == _all_numerals(text)
        ]
        rng.shuffle(candidates)
        # the same pattern of numerals and words first (N到位 ~ N不N直 less than N到位 ~ N个必须)
        candidates.sort(key=lambda s: (_shape(s) != _shape(text), abs(len(s) - len(text)) if closeness >= 0.5 else 0))
        recounted = _recounted(text, rng)
        if recounted:
            # a counted slogan: two other counts of the same words, then the real slogans
            return recounted[:2] + candidates + recounted[2:]
        return candidates

    def _term_peers(self, text: str, closeness: float, rng: random.Random) -> list[str]:
        """Terms that share a list with `text` somewhere in the corpus (the same category), or that end alike."""
        peers = [p for p, _ in self._peers.get(text, Counter()).most_common()]
        second = [q for p in peers for q, _ in self._peers[p].most_common() if q != text and q not in peers]
        # of the same ending: the named terms, then the corpus's list items (自然灾害, 洪涝灾害 for 水旱灾害)
        tail = [t for t in self.terms if t != text and t[-2:] == text[-2:] and abs(len(t) - len(text)) <= 2]
        tail += [
            t
            for t in self._peers
            if t != text and t not in self.terms and t[-2:] == text[-2:] and abs(len(t) - len(text)) <= 2
        ]
        rng.shuffle(tail)
        candidates = peers + second + tail
        chars = set(text)
        return [c for c in candidates if len(chars & set(c)) / len(chars) < 0.6 or c[-2:] == text[-2:]]

    def list_peers(self, items: Sequence[str]) -> list[str]:
        """Items of other lists that share members with `items`: the same category, most shared first."""
        votes: Counter[str] = Counter()
        for item in items:
            votes.update(self._peers.get(item, Counter()))
        return [peer for peer, _ in votes.most_common() if peer not in items]


def _figure_context(figure: str, following: str) -> str:
    return unit_of(figure) + normalize(following)[:4]


def list_items(enumeration: str) -> list[str]:
    """The items of a list, or none when one is not a plain name (a phrase with 的/等, a 对…/在… opening)."""
    items = enumeration.split("、")
    if any(re.search(r"[的等]", item) or item[:1] in "对在由将把向为与" for item in items):
        return []
    return [item for item in items if 2 <= len(item) <= 8]


def plain_name(text: str) -> bool:
    """A name that can stand as an option: no leading verb, no 的/等."""
    return not _LEADING_VERBS.match(text) and not re.search(r"[的等]", text) and text[:1] not in _CLAUSE_OPENERS


def split_leading_verb(items: list[str], tagged: Callable[[str], Tagged] | None = None) -> tuple[str, list[str]]:
    """(严厉打击, [转包, 违法分包]) from [严厉打击转包, 违法分包]: the verbs opening a list's first item belong in the
    stem, not the option; so does a preposition after them (继续在|煤矿, 加强对|公路长下坡)."""
    if not items:
        return "", items
    first, verb = items[0], ""
    while True:
        rest = first[len(verb) :]
        match = _LEADING_VERBS.match(rest)
        step = match.group() if match and len(rest) - match.end() >= 2 else ""
        if not step and tagged is not None:
            step = _tagged_leading_verb(rest, tagged)
        if not step and verb and _names_after(rest[1:]) and rest[:1] in _PREPOSITIONS:
            step = rest[0]
        if not step:
            break
        verb += step
    return (verb, [first[len(verb) :], *items[1:]]) if verb else ("", items)


_PREPOSITIONS = frozenset("对在由将把向为与")
# what opens a clause, not a name: a preposition, or 使/让/令 (使煤矿…)
_CLAUSE_OPENERS = _PREPOSITIONS | frozenset("使让令")
_MODALS = frozenset({"要", "应", "须", "需", "应当", "必须", "需要"})
# jieba's verb tags, less vn (a verbal noun names a thing: 救援, 监测); 紧盯 comes tagged z
_VERB_TAGS = frozenset({"v", "vd", "vg", "vi", "z"})


def _names_after(rest: str) -> bool:
    return len(rest) >= 2


def _tagged_leading_verb(item: str, tagged: Callable[[str], Tagged]) -> str:
    """The verbs (and a modal) opening a list's first item, by part of speech, where a phrase of four characters
    or more, or a preposition and a name, is left: 汇聚|安全生产, 要修订|防汛抗旱, 继续|在煤矿; not 抢险|救援, a
    pair of actions named as one."""
    words = tagged(item)
    # the tagger sees normalized text: trust it only where its words spell the item as written
    if "".join(word for word, _ in words) != item:
        return ""
    taken = 0
    for word, flag in words:
        rest = item[taken + len(word) :]
        if flag not in _VERB_TAGS and word not in _MODALS:
            break
        if not (len(rest) >= 4 or (rest[:1] in _PREPOSITIONS and _names_after(rest[1:]))):
            break
        taken += len(word)
    return item[:taken]


# what a quoted slogan can name, by the word after it: an event, a rule or mechanism, a programme, a principle
_FRAME_KINDS = {
    **dict.fromkeys(("活动", "行动", "竞赛", "比武", "大赛", "宣传", "月活"), "event"),
    **dict.fromkeys(("制度", "机制", "体系", "模式", "办法", "规定", "细则", "清单"), "rule"),
    **dict.fromkeys(("工程", "建设", "项目", "战略", "计划", "平台", "系统"), "programme"),
    **dict.fromkeys(("原则", "要求", "理念", "方针", "措施", "标准"), "principle"),
}


def _frame_after(text: str, position: int) -> str:
    """What the quoted slogan whose closing quote is at `position` − 1 names, from the two characters after it
    (“安康杯”竞赛 and “打非治违”行动 are events; “三同时”制度 a rule); the two characters themselves when unlisted."""
    following = text[position : position + 2]
    if not re.fullmatch(r"[\u4e00-\u9fff]{2}", following):
        return ""
    return _FRAME_KINDS.get(following, following)


def _all_numerals(text: str) -> bool:
    return all(char in _CHINESE_NUMERALS for char in text)


def _shape(text: str) -> str:
    return "".join("N" if char in _CHINESE_NUMERALS else "W" for char in text)


def _recounted(text: str, rng: random.Random) -> list[str]:
    """五到位 → 三到位, 四到位, 六到位 …: one numeral of a slogan otherwise made of words, changed (nearest first)."""
    if _all_numerals(text) or sum(char in _CHINESE_NUMERALS for char in text) != 1 or "两" in text:
        return []
    position = next(i for i, char in enumerate(text) if char in _CHINESE_NUMERALS)
    digits = "一二三四五六七八九十"
    value = digits.find(text[position]) + 1
    if value <= 1:
        return []  # 一岗双责, 一案双罚: 一 is "one and the same", not a count
    others = sorted((n for n in range(2, 11) if n != value), key=lambda n: (abs(n - value), rng.random()))
    # a count of things says 两 (两项岗位人员, 两个责任), never 二项; a rank keeps 二 (二级)
    two = "两" if text[position + 1 : position + 2] in _COUNTED_BY else "二"
    return [text[:position] + (two if n == 2 else digits[n - 1]) + text[position + 1 :] for n in others[:4]]


def _slogan_like(text: str) -> bool:
    # a named mechanism, not a quoted sentence or a title: short, no punctuation inside
    return 3 <= len(text) <= 12 and not re.search(r"[，。；：、《》\s\d]", text)


def _deadlines(text: str, closeness: float) -> list[str]:
    month = re.search(r"(\d{1,2})\s*月", text)
    if month:
        value = int(month.group(1))
        others = sorted((m for m in range(3, 13) if m != value), key=lambda m: abs(m - value))
        if closeness < 0.5:
            others.reverse()
        return [text[: month.start(1)] + str(m) + text[month.end(1) :] for m in others]
    hours = re.search(r"(\d+)\s*(小时|日|天)内", text)
    if hours:
        value = int(hours.group(1))
        choices = (
            [v for v in (1, 2, 3, 6, 12, 24, 48, 72) if v != value]
            if hours.group(2) == "小时"
            else [v for v in (3, 5, 7, 10, 15, 30) if v != value]
        )
        choices.sort(key=lambda v: abs(v - value) if closeness >= 0.5 else -abs(v - value))
        return [text[: hours.start(1)] + str(v) + text[hours.end(1) :] for v in choices]
    if text == "年底前":
        return ["6月底前", "9月底前", "3月底前"]
    if text == "年内":
        return ["两年内", "三年内"]
    return []


def _ordered_by_distance(scale: Sequence[str], text: str, closeness: float) -> list[str]:
    if text not in scale:
        return []
    position = scale.index(text)
    others = sorted((s for s in scale if s != text), key=lambda s: abs(scale.index(s) - position))
    return others if closeness >= 0.5 else others[::-1]
