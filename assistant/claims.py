"""Claim-level verification of a chat model's answer: what it says, not only what it quotes.

Quotes are checked verbatim elsewhere (`assistant.verify`); a model can still wrap a true
quote in a false sentence (要再建成十座 around a quote that says 6座; 2小时内 around one that
says 1小时内; 由市公安局单独负责 around a quote on something else). Here each sentence of
the model's text, markup stripped, must be supported by the quotes it cites (or, for a
sentence without its own quote, by all the answer's quotes):

- every figure is a figure *token* of the evidence, in the same unit (十座 is 10座; 20 inside
  2026 is no match; 3—5 is a range);
- every negation or prohibition it states (不, 无需, 不得, 严禁, 停, 不再, 单独 …) is in the evidence;
- every unit it names (市公安局, 市应急管理局 …) is named in the cited clause, with its role
  (牵头/负责/配合) where it states one;
- most of its content words are the evidence's or the question's;
- each quote it rests on is a clause of meaning (at least `MIN_QUOTE_CHARS` characters) and
  shares words with the question.

Sentences that fail are dropped; if nothing is left the extractive answer is given, saying why.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.normalize import normalize
from index.tokenize import Tokenizer

MIN_QUOTE_CHARS = 6
# share of a sentence's content words that must come from its evidence or the question
MIN_CONTENT_SUPPORT = 0.6

_TAG = re.compile(r"<[^>]{0,200}>|&[a-z]{2,8};|[*_`#>]{1,3}")
# how a model marks a quote of clause n: 「…」[n]
QUOTE = re.compile(r"[「“]([^」”]{1,400})[」”]\s*\[(\d{1,2})\]")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUMBER = "零〇一二两三四五六七八九十百千万"
_FIGURE = re.compile(
    rf"(?P<value>\d+(?:\.\d+)?|[{_CN_NUMBER}]+)(?:\s*(?:[—\-~至到]\s*(?P<upper>\d+(?:\.\d+)?|[{_CN_NUMBER}]+)))?"
    r"\s*(?P<unit>%|％|倍|成|[\u4e00-\u9fff]{0,2})"
)
_UNITS = (
    "%",
    "％",
    "倍",
    "成",
    "座",
    "名",
    "次",
    "处",
    "项",
    "条",
    "家",
    "人",
    "个",
    "支",
    "所",
    "起",
    "台",
    "辆",
    "套",
    "件",
    "批",
    "户",
    "层",
    "级",
    "小时",
    "分钟",
    "天",
    "日",
    "周",
    "月",
    "年",
    "吨",
    "亩",
    "万元",
    "亿元",
    "元",
    "公里",
    "米",
    "岁",
    "类",
    "道",
    "轮",
    "场",
)
_NEGATIONS = (
    "不得",
    "严禁",
    "禁止",
    "无需",
    "不用",
    "不必",
    "不再",
    "不要",
    "没有",
    "不予",
    "停建",
    "停止",
    "取消",
    "单独",
    "全部",
    "一律",
    "不",
)
_ROLES = ("牵头", "负责", "配合", "参与", "单独")
_UNIT_NAME = re.compile(
    r"(?:[省市县区乡镇]|[\u4e00-\u9fff]{2,6}[省市县区])[\u4e00-\u9fff]{1,10}?(?:局|委员会|委|厅|办公室|办|中心|支队|大队|总队|分局|公司)"
)


@dataclass(frozen=True)
class Claim:
    """One sentence of a model's answer, its own quotes (clause number, text), and why it failed (if it did)."""

    text: str
    quotes: tuple[tuple[int, str], ...]
    problem: str | None = None


def plain(text: str) -> str:
    """Model text as plain text: markup and entities removed (it is escaped again wherever shown)."""
    return _TAG.sub("", html.unescape(text))


def _number(text: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char in "十百千万":
            scale = {"十": 10, "百": 100, "千": 1000, "万": 10000}[char]
            total += (current or 1) * scale
            current = 0
        else:
            return None
    return float(total + current)


def figures(text: str) -> set[tuple[float, float | None, str]]:
    """(value, upper bound, unit) of each figure token in `text`; the unit is '' when none follows."""
    found = set()
    for match in _FIGURE.finditer(normalize(text)):
        value = _number(match.group("value"))
        if value is None:
            continue
        raw_unit = match.group("unit") or ""
        unit = next((u for u in sorted(_UNITS, key=len, reverse=True) if raw_unit.startswith(u)), "")
        if not re.search(r"\d", match.group("value")) and not unit:
            continue  # 一些, 三管三必须: a Chinese numeral without a unit is a word, not a figure
        upper = _number(match.group("upper")) if match.group("upper") else None
        found.add((value, upper, "%" if unit == "％" else unit))
    return found


def _negations(text: str) -> set[str]:
    found = set()
    remaining = normalize(text)
    for word in _NEGATIONS:  # longest forms first, so 不得 is not also counted as 不
        if word in remaining:
            found.add(word)
            remaining = remaining.replace(word, "□")
    return found


class ClaimChecker:
    """Checks a model answer's sentences against the clauses they cite."""

    def __init__(self, tokenizer: Tokenizer):
        self.tokenizer = tokenizer

    def split(self, text: str) -> list[Claim]:
        claims = []
        for sentence in _SENTENCE.findall(plain(text)):
            if not re.search(r"[\u4e00-\u9fff\d]", sentence):
                continue
            quotes = tuple((int(n), q.strip()) for q, n in QUOTE.findall(sentence))
            claims.append(Claim(sentence.strip(), quotes))
        return claims

    def check(
        self, claims: Sequence[Claim], clause_texts: dict[int, str], question: str, metadata: str = ""
    ) -> list[Claim]:
        """Each claim with `problem` set when its evidence does not support it.

        `metadata` (the cited notices' years, 文号, titles) may support figures too: 2026年 is the notice's year.
        """
        all_quotes = [q for claim in claims for q in claim.quotes]
        checked = []
        for claim in claims:
            quotes = claim.quotes or tuple(all_quotes)
            problem = self._problem(claim, quotes, clause_texts, question, metadata)
            checked.append(Claim(claim.text, claim.quotes, problem))
        return checked

    def _problem(
        self,
        claim: Claim,
        quotes: Sequence[tuple[int, str]],
        clause_texts: dict[int, str],
        question: str,
        metadata: str,
    ) -> str | None:
        if not quotes:
            return "没有依据的原文"
        for number, quote in quotes:
            if len(re.findall(r"[\u4e00-\u9fff\d]", normalize(quote))) < MIN_QUOTE_CHARS:
                return f"引文“{quote}”太短，不足以为依据"
            if not set(self.tokenizer(quote)) & set(self.tokenizer.query(question)) and number in clause_texts:
                return f"引文“{quote}”与问题无关"
        evidence = "".join(q for _, q in quotes)
        cited = "".join(clause_texts.get(n, "") for n, _ in quotes)
        statement = normalize(QUOTE.sub("", claim.text))
        claimed, supported = figures(statement), figures(evidence) | figures(metadata) | figures(question)
        for value, upper, unit in claimed:
            if not any(v == value and u == upper and (unit == w or not unit) for v, u, w in supported):
                shown = f"{value:g}" + (f"—{upper:g}" if upper is not None else "") + unit
                return f"数字 {shown} 与所引原文不符"
        missing = _negations(statement) - _negations(evidence)
        if missing:
            return f"“{'、'.join(sorted(missing))}”在所引原文中没有"
        for unit_name in _UNIT_NAME.findall(statement):
            if unit_name not in normalize(cited):
                return f"所引条款没有写{unit_name}"
        roles = {role for role in _ROLES if role in statement} - {role for role in _ROLES if role in normalize(cited)}
        if roles:
            return f"所引条款没有写“{'、'.join(sorted(roles))}”"
        words = [w for w in self.tokenizer(statement) if len(w) > 1 and not w.isdigit()]
        if len(words) >= 3:  # 依据：「…」 says nothing of its own
            support = normalize(evidence + cited + question + metadata)
            covered = sum(1 for w in words if w in support)
            if covered / len(words) < MIN_CONTENT_SUPPORT:
                return "所述内容大多不在所引原文中"
        return None
