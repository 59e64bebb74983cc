"""Word's automatic list numbering, rendered as the text a reader sees.

A notice typed in Word often numbers its parts with list numbering (一、 （一） 1.) instead of typed
characters: the paragraph then holds only "压实安全生产责任", and the number lives in numbering.xml. Without
it the clause hierarchy is lost, so each numbered paragraph gets its label back, rendered as Word renders it
(format per level, %1…%9 placeholders, counters that restart below a level that advances).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.clauses import chinese_numeral

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PLACEHOLDER = re.compile(r"%([1-9])")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
# numFmt values that write a number in Chinese characters (Word's names; the counting ones cover 1–99 here)
_CHINESE = {
    "chineseCounting",
    "chineseCountingThousand",
    "chineseLegalSimplified",
    "japaneseCounting",
    "taiwaneseCounting",
}


@dataclass(frozen=True)
class Level:
    number_format: str
    text: str  # lvlText, e.g. "%1、" or "（%2）"
    start: int
    # the shallowest level whose advance starts this one again (0-based); None: never (lvlRestart 0, as in
    # notices that number （一）…（十七） straight through their 一、 二、 parts)
    restart_below: int | None


def _attribute(element, name: str) -> str | None:
    return element.get(f"{_W}{name}") if element is not None else None


def _value(parent, tag: str) -> str | None:
    return _attribute(parent.find(f"{_W}{tag}") if parent is not None else None, "val")


def format_number(value: int, number_format: str) -> str:
    """`value` as Word writes it in `number_format` (decimal when the format is one a notice does not use)."""
    if number_format in _CHINESE and 0 < value < 100:
        return chinese_numeral(value)
    if number_format == "decimalEnclosedCircle" and 0 < value <= len(_CIRCLED):
        return _CIRCLED[value - 1]
    if number_format == "ideographTraditional" and 0 < value <= len(_HEAVENLY_STEMS):
        return _HEAVENLY_STEMS[value - 1]
    if number_format == "decimalFullWidth":
        return str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if number_format in {"lowerLetter", "upperLetter"} and 0 < value <= 26:
        letter = chr(ord("a") + value - 1)
        return letter.upper() if number_format == "upperLetter" else letter
    return str(value)


class ListNumbering:
    """The labels of a document's numbered paragraphs, in reading order (call `label` once per paragraph)."""

    def __init__(self, document) -> None:
        self._levels: dict[str, dict[int, Level]] = {}  # numId → its levels
        self._counters: dict[str, dict[int, int]] = {}
        numbering = self._numbering_element(document)
        if numbering is not None:
            abstract = {
                _attribute(node, "abstractNumId"): self._read_levels(node)
                for node in numbering.findall(f"{_W}abstractNum")
            }
            for num in numbering.findall(f"{_W}num"):
                levels = dict(abstract.get(_value(num, "abstractNumId"), {}))
                for override in num.findall(f"{_W}lvlOverride"):
                    level = int(_attribute(override, "ilvl") or 0)
                    start = _value(override, "startOverride")
                    if level in levels and start is not None and start.isdigit():
                        old = levels[level]
                        levels[level] = Level(old.number_format, old.text, int(start), old.restart_below)
                    if override.find(f"{_W}lvl") is not None:
                        levels.update(self._read_levels(override))
                self._levels[_attribute(num, "numId") or ""] = levels
        self._style_numbering = self._read_styles(document)

    @staticmethod
    def _numbering_element(document):
        try:
            return document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return None  # a document without lists

    @staticmethod
    def _read_levels(node) -> dict[int, Level]:
        levels = {}
        for lvl in node.findall(f"{_W}lvl"):
            start = _value(lvl, "start")
            level = int(_attribute(lvl, "ilvl") or 0)
            restart = _value(lvl, "lvlRestart")
            levels[level] = Level(
                number_format=_value(lvl, "numFmt") or "decimal",
                text=_value(lvl, "lvlText") or "",
                start=int(start) if start and start.isdigit() else 1,
                restart_below=(None if restart == "0" else int(restart) - 1)
                if restart and restart.isdigit()
                else level - 1,
            )
        return levels

    @staticmethod
    def _read_styles(document) -> dict[str, tuple[str, int]]:
        """Styles that number their paragraphs (a heading style linked to a list), following basedOn."""
        try:
            styles = document.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            return {}
        own: dict[str, tuple[str | None, int | None]] = {}
        based_on: dict[str, str] = {}
        for style in styles.findall(f"{_W}style"):
            style_id = _attribute(style, "styleId") or ""
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                written = _value(num_pr, "ilvl")
                own[style_id] = (_value(num_pr, "numId"), int(written) if written and written.isdigit() else None)
            parent = _value(style, "basedOn")
            if parent:
                based_on[style_id] = parent
        resolved: dict[str, tuple[str, int]] = {}
        for style_id in set(own) | set(based_on):
            seen: set[str] = set()
            current: str | None = style_id
            num_id: str | None = None
            level: int | None = None
            while current and current not in seen:
                seen.add(current)
                found_id, found_level = own.get(current, (None, None))
                num_id = num_id or found_id
                level = level if level is not None else found_level
                current = based_on.get(current)
            if num_id:
                resolved[style_id] = (num_id, level or 0)
        return resolved

    def label(self, paragraph) -> str:
        """The label Word shows before `paragraph` ("一、", "（二）", "3."), or "" when it is not numbered."""
        num_id, level = self._numbering_of(paragraph)
        levels = self._levels.get(num_id or "")
        if not levels or level not in levels:
            return ""
        counters = self._counters.setdefault(num_id or "", {})
        counters[level] = counters.get(level, levels[level].start - 1) + 1
        for deeper in [key for key in counters if key > level]:
            restart = levels[deeper].restart_below if deeper in levels else level
            if restart is not None and level <= restart:
                del counters[deeper]  # a lower level starts again under each new item of this one
        definition = levels[level]
        if definition.number_format in {"bullet", "none"}:
            return ""

        def rendered(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            shown = levels.get(index)
            value = counters.get(index, shown.start if shown else 1)
            return format_number(value, shown.number_format if shown else "decimal")

        return _PLACEHOLDER.sub(rendered, definition.text)

    def _numbering_of(self, paragraph) -> tuple[str | None, int]:
        properties = paragraph._p.pPr
        num_pr = properties.find(f"{_W}numPr") if properties is not None else None
        style_id = _value(properties, "pStyle") if properties is not None else None
        style_num, style_level = self._style_numbering.get(style_id or "", (None, 0))
        if num_pr is None:
            return style_num, style_level
        num_id = _value(num_pr, "numId") or style_num
        level = _value(num_pr, "ilvl")
        if num_id == "0":
            return None, 0  # numbering switched off for this paragraph
        return num_id, int(level) if level and level.isdigit() else style_level
