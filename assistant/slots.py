"""What a question asks for in figures: the unit of 多少个/几座/多少钱/百分之多少, and how a figure in it is written.

Shared by the not-covered decision (a figure asked in a unit no retrieved clause
states is declared not given) and by the lead (the fragment with the figure in the
asked unit is the answer, not a list number or another figure of the sentence).
"""

from __future__ import annotations

import re

from index.normalize import normalize

UNITS = (
    "亿元|万元|元|公里|千米|平方米|米|小时|分钟|天|周|个月|月|年|岁|倍|吨|亩|层|座|名|次|处|项|条|家|人|个|支|所|起"
    "|台|辆|套|件|批|户|间|张|本|块|级|队|站|种|类|道|轮|场|方|斤|公斤|千克|升|度"
)
# 哪几条河 asks which rivers, not how many
_ASKED_FIGURE = re.compile(rf"(?:多少|(?<!哪)几)({UNITS})")
_ASKED_MONEY = re.compile(
    r"多少钱|多少资金|多少经费|多少补助|多少补贴|补助.{0,4}多少|补贴.{0,4}多少|工资|费用.{0,4}多少"
)
_ASKED_SHARE = re.compile(r"百分之多少|多大比例|比例是多少|占比多少|百分比")
_FIGURE = r"[\d一二两三四五六七八九十百千万]+(?:\.\d+)?(?:[至—\-~][\d一二两三四五六七八九十]+)?(?:{unit})"


def asked_unit(question: str) -> str | None:
    """The unit a question asks a figure in (a regex alternative), or None when it asks for no figure in a unit."""
    text = normalize(question)
    if _ASKED_MONEY.search(text):
        return "元|万元|亿元"
    if _ASKED_SHARE.search(text):
        return "%|％|成"
    asked = _ASKED_FIGURE.search(text)
    return re.escape(asked.group(1)) if asked else None


def figure_in(unit: str) -> re.Pattern[str]:
    """A figure written in `unit`: 6座, 3—5名, 100%, 两个, 1.5万元."""
    return re.compile(_FIGURE.format(unit=unit))
