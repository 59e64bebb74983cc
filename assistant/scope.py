"""Which notices a question is about: issuer, year and level, named or implied.

``朔州今年…`` → the latest 朔州 notice; ``2013年省里…`` → 山西省 2013; ``晋城市2025年…``
names a place the corpus has no notice of, and ``2008年…`` a year it has none of:
both are out of scope however well the rest of the question matches, because a
score threshold alone cannot tell a missing notice from a present one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from index.metadata import place_names, places_in
from index.normalize import normalize
from index.records import Level, Notice
from index.tokenize import lexicon_lines

_YEAR = re.compile(r"((?:19|20)\d{2})年")
# 最新的文件 / 最新通知: the newest notice (of the place named, if any), whatever its year
_LATEST = re.compile(r"最新(?:的)?(?:一份|一年)?(?:的)?(?:文件|通知|规定|要求|精神)?")
_RELATIVE_YEARS = {"前年": -2, "去年": -1, "上一年": -1, "今年": 0, "本年度": 0, "当年": 0, "明年": 1}
_PROVINCE_WORDS = ("省里", "全省", "省政府", "省级", "省人民政府", "省委省政府")
# 市里 / 我们县 name a level, not a place: the user's own city or county, which the question does not name; the
# notices of that level answer (a province's notice does not answer 我们县燃气有啥要求). 市级/县级 are attributes
# of things (县级应急物资库), not such words
_LEVEL_WORDS = {
    Level.CITY: ("市里", "我们市", "咱们市", "咱市", "本市", "全市", "市政府"),
    Level.COUNTY: ("县里", "我们县", "咱们县", "咱县", "本县", "全县", "县政府", "区里", "我们区", "本区"),
}


@dataclass(frozen=True)
class Filters:
    """Explicit filters from the CLI or the UI; None means no restriction."""

    issuer: str | None = None
    year: int | None = None
    level: Level | None = None

    @classmethod
    def of(cls, issuer: str | None, year: int | None, level: str | None) -> Filters | None:
        """Filters from optional values (CLI flags, UI dropdowns); None when nothing is restricted."""
        if issuer is None and year is None and level is None:
            return None
        return cls(issuer=issuer, year=year, level=Level(level) if level else None)

    @classmethod
    def from_json(cls, data: object) -> Filters | None:
        """Filters as written in a question set (``{"issuer": …, "year": …, "level": …}``)."""
        if not isinstance(data, dict):
            return None
        year = data.get("year")
        return cls.of(data.get("issuer"), int(year) if year is not None else None, data.get("level"))

    def describe(self) -> str:
        parts = [
            f"发文机关：{self.issuer}" if self.issuer else "",
            f"年度：{self.year}" if self.year is not None else "",
            f"层级：{self.level.value}" if self.level else "",
        ]
        return "，".join(part for part in parts if part)

    def admits(self, notice: Notice) -> bool:
        return (
            (self.issuer is None or self.issuer in (notice.issuer, notice.issuer.removesuffix("人民政府")))
            and (self.year is None or notice.year == self.year)
            and (self.level is None or notice.level == self.level)
        )


@dataclass(frozen=True)
class Scope:
    """What a question restricts itself to, and the notices that satisfies.

    `notice_ids` is None when the question names no scope (every notice is
    eligible). `out_of_scope` explains why no notice can answer, e.g.
    ``语料中没有晋城市的通知``.
    """

    issuers: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    relative_year: bool = False
    unknown_places: tuple[str, ...] = ()
    level: Level | None = None  # the level named without a place (市里, 我们县)
    notice_ids: tuple[str, ...] | None = None
    out_of_scope: str | None = None
    mentions: tuple[str, ...] = field(default=())  # the words that carried the scope, removed before search
    # the years came from an earlier turn (大同呢？ after 忻州2024年…): they were the other issuer's, not asked
    years_carried: bool = False

    @property
    def restricted(self) -> bool:
        return self.notice_ids is not None


class ScopeReader:
    """Reads a question's scope against the notices of one corpus."""

    def __init__(self, notices: Sequence[Notice], current_year: int):
        self.notices = list(notices)
        self.current_year = current_year

    @cached_property
    def _issuer_names(self) -> list[tuple[str, tuple[str, ...]]]:
        """(name as written in questions, the issuers it names), longest first.

        An issuer is named by its full name, by its name without 人民政府, and by the place it
        governs (its innermost division: 陕西省 or 陕西 for 陕西省安全生产委员会), so a question
        naming a place reaches every issuer of that place.
        """
        names: dict[str, set[str]] = {}
        for issuer in {n.issuer for n in self.notices}:
            place = issuer.removesuffix("人民政府")
            divisions = places_in(issuer)
            if divisions:
                place = divisions[-1].name
            if issuer.startswith("国务院"):
                place = "国务院"  # 国务院安委会…: the State Council's organs are reached by its name, then narrowed
            for name in (issuer, issuer.removesuffix("人民政府"), place, re.sub(r"(省|市|县|区|自治区)$", "", place)):
                if len(name) >= 2:
                    names.setdefault(name, set()).add(issuer)
        return sorted(((name, tuple(sorted(found))) for name, found in names.items()), key=lambda item: -len(item[0]))

    @cached_property
    def _issuer_index(self) -> _NameIndex:
        return _NameIndex(self._issuer_names)

    @cached_property
    def _place_index(self) -> _NameIndex:
        return _NameIndex([(place, ()) for place in self._places])

    @cached_property
    def _by_issuer(self) -> dict[str, list[Notice]]:
        found: dict[str, list[Notice]] = {}
        for notice in self.notices:
            found.setdefault(notice.issuer, []).append(notice)
        return found

    @cached_property
    def positions(self) -> dict[str, int]:
        """Each notice's place among the notices, by id."""
        return {notice.notice_id: position for position, notice in enumerate(self.notices)}

    @cached_property
    def _places(self) -> list[str]:
        """Every place a question may name: each division's full name; short forms only of provinces and cities.

        A county's short form (成安, 资源, 新建) is an ordinary word too often (建成安全, 通信资源,
        新建改造); only the curated short forms of places.txt stand for counties.
        """
        names = set(place_names())
        for line in lexicon_lines("places.txt"):
            full, _, short = line.partition("\t")
            names.add(full.strip())
            names.update(s for s in short.split() if len(s) >= 2)
        return sorted(names, key=len, reverse=True)

    @cached_property
    def _province_issuers(self) -> tuple[str, ...]:
        """The issuers 省里/全省 refers to: those of the library's home province.

        With one province that is it; with several, the home province is the one most of the
        library's city and county notices lie in (a user collects the notices around them).
        """
        by_province: dict[str, set[str]] = {}
        local: dict[str, int] = {}
        for notice in self.notices:
            divisions = places_in(notice.issuer)
            if not divisions:
                continue
            if notice.level is Level.PROVINCE:
                by_province.setdefault(divisions[0].province, set()).add(notice.issuer)
            else:
                local[divisions[0].province] = local.get(divisions[0].province, 0) + 1
        if len(by_province) > 1:
            ranked = sorted(by_province, key=lambda province: -local.get(province, 0))
            if local.get(ranked[0], 0) == local.get(ranked[1], 0):
                return ()  # no home province to tell: 省里 names no notice
            by_province = {ranked[0]: by_province[ranked[0]]}
        return tuple(sorted(next(iter(by_province.values())))) if by_province else ()

    def read(self, question: str, filters: Filters | None = None) -> Scope:
        """The notices `question` is about, on its own (see `assistant.context` for follow-ups)."""
        return self.resolve(self.parse(question), filters)

    def parse(self, question: str) -> Scope:
        """Issuers, years and unknown places named in `question`, not yet matched to notices."""
        text = normalize(question)
        mentions: list[str] = []
        issuers: list[str] = []
        masked = text
        for name, named in self._issuer_index.within(text):
            if name in masked:
                issuers.extend(named)
                mentions.append(name)
                masked = masked.replace(name, "□")
        if self._province_issuers and any(word in masked for word in _PROVINCE_WORDS):
            issuers.extend(self._province_issuers)
            mentions.extend(word for word in _PROVINCE_WORDS if word in masked)
        level = None
        if not issuers:
            for named_level, words in _LEVEL_WORDS.items():
                own_level_words = [word for word in words if _names_own_level(masked, word)]
                if own_level_words:
                    level = named_level
                    mentions.extend(own_level_words)
                    break
        unknown = []
        for place, _ in self._place_index.within(text):
            if place in masked and _stands_alone(masked, place) and _names_an_issuer(masked, place):
                unknown.append(place)
                masked = masked.replace(place, "□")
        town = _TOWN.match(masked)
        if town and not unknown and town.group(1)[0] not in _NOT_A_TOWN_NAME:
            # 徐庄镇…: towns are in no gazetteer, so a question opening with one names a place of its own
            unknown.append(town.group(1))
        years = [int(y) for y in _YEAR.findall(text)]
        mentions.extend(f"{y}年" for y in years)
        relative = False
        for word, offset in _RELATIVE_YEARS.items():
            if word in text:
                years.append(self.current_year + offset)
                mentions.append(word)
                relative = True
        issuers = _narrowed_by_organ(list(dict.fromkeys(issuers)), text)
        latest = _LATEST.search(text)
        if latest and not years:
            candidates = [
                n for n in self.notices if (not issuers or n.issuer in issuers) and (not level or n.level is level)
            ]
            if candidates:
                years.append(max(n.year for n in candidates))
                mentions.append(latest.group(0))
        years = list(dict.fromkeys(years))
        return Scope(tuple(issuers), tuple(years), relative, tuple(unknown), level, mentions=tuple(mentions))

    def resolve(self, scope: Scope, filters: Filters | None = None) -> Scope:
        """Turn named issuers and years (and explicit filters) into the eligible notices."""
        filters = filters or Filters()
        if scope.unknown_places and not scope.issuers:
            places = "、".join(scope.unknown_places)
            return replace(scope, notice_ids=(), out_of_scope=f"现有通知中没有{places}的通知")
        pool = self.notices if filters == Filters() else [n for n in self.notices if filters.admits(n)]
        if filters != Filters() and not pool:
            return replace(scope, notice_ids=(), out_of_scope="没有符合筛选条件的通知")
        named_pool = self._named(scope, pool)
        if not named_pool and scope.level and not scope.issuers and scope.years:
            # 2009年县里多久给乡镇通报: with no notice of that level and year, 县里 names who acts in that year's
            # notices (every county), not a notice of the asker's own county
            unleveled = self._named(replace(scope, level=None), pool)
            if unleveled:
                scope, named_pool = replace(scope, level=None), unleveled
        if not named_pool and scope.years_carried and (scope.issuers or scope.level):
            # 大同呢？ after 忻州2024年理论学习多久一次: 2024 was 忻州's notice's year; 大同's latest notice answers
            any_year = self._named(replace(scope, years=()), pool)
            if any_year:
                latest = max(notice.year for notice in any_year)
                named_pool = [notice for notice in any_year if notice.year == latest]
                scope = replace(scope, years=(latest,), years_carried=False)
        pool = named_pool
        if not pool:
            named = (
                "".join(i.removesuffix("人民政府") for i in scope.issuers) or _level_name(scope.level)
            ) + "、".join(f"{y}年" for y in scope.years)
            if filters != Filters() and self._named(scope, list(self.notices)):
                # the notice exists; the filter set beside the question excludes it
                return replace(
                    scope,
                    notice_ids=(),
                    out_of_scope=(
                        f"问题问的是{named}的通知，但筛选条件（{filters.describe()}）把它排除了：要看{named}的规定，"
                        f"请清除筛选条件；要看筛选条件下的规定，请去掉问题里的地名或年份再问"
                    ),
                )
            return replace(scope, notice_ids=(), out_of_scope=f"现有通知中没有{named}的通知")
        restricted = bool(scope.issuers or scope.years or scope.level or filters != Filters())
        return replace(scope, notice_ids=tuple(n.notice_id for n in pool) if restricted else None)

    def _named(self, scope: Scope, pool: list[Notice]) -> list[Notice]:
        """The notices of `pool` that the issuers and years named in the question select."""
        if scope.issuers and pool is self.notices:
            # a library of thousands of notices: its issuers' own notices, not a pass over all of them
            pool = sorted(
                (n for issuer in set(scope.issuers) for n in self._by_issuer.get(issuer, ())),
                key=lambda notice: self.positions[notice.notice_id],
            )
        elif scope.issuers:
            pool = [n for n in pool if n.issuer in scope.issuers]
        elif scope.level:
            pool = [n for n in pool if n.level is scope.level]
        if scope.years:
            exact = [n for n in pool if n.year in scope.years]
            if (
                not exact
                and scope.relative_year
                and self.current_year in scope.years
                and (scope.issuers or scope.level)
                and pool
            ):
                # 朔州今年 with no notice of this calendar year: the issuer's latest notice is what 今年 refers to
                # (去年 still means the year before: without that notice the question is not covered)
                latest = max(n.year for n in pool)
                exact = [n for n in pool if n.year == latest]
            pool = exact
        return pool


class _NameIndex:
    """Names (with what each stands for) in their order, found in a text without testing every one: a name of two
    or more characters is in a text only if its first two characters are, so only the names opening with one of
    the text's character pairs are tested (at 22,000 notices, testing every issuer's names was most of a question's
    scope reading)."""

    def __init__(self, names: Sequence[tuple[str, tuple[str, ...]]]):
        self.names = list(names)
        self.by_opening: dict[str, list[int]] = {}
        self.short = [position for position, (name, _) in enumerate(self.names) if len(name) < 2]
        for position, (name, _) in enumerate(self.names):
            if len(name) >= 2:
                self.by_opening.setdefault(name[:2], []).append(position)

    def within(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """The names that may occur in `text`, in their order (a superset of those that do)."""
        positions = {p for i in range(len(text) - 1) for p in self.by_opening.get(text[i : i + 2], ())}
        return [self.names[p] for p in sorted(positions.union(self.short))]


def _level_name(level: Level | None) -> str:
    return f"{level.value}级" if level else ""


# Words for the organ that issued a notice, and how issuers' names write it.
_ORGANS = (
    (("安委办", "安委会办公室", "安全生产委员会办公室"), ("安全生产委员会办公室", "安委会办公室")),
    (("安委会", "安全生产委员会"), ("安全生产委员会", "安委会")),
    (("应急局", "应急管理局", "应急厅", "应急管理厅"), ("应急管理局", "应急管理厅")),
    (("政府办", "办公室", "办公厅"), ("办公室", "办公厅")),
    (("人民政府", "市政府", "县政府", "省政府", "区政府"), ("人民政府",)),
)


def _narrowed_by_organ(issuers: list[str], text: str) -> list[str]:
    """陕西省安委会…: of the issuers a place names, those of the organ the question names, if any."""
    if len(issuers) < 2:
        return issuers
    for words, forms in _ORGANS:
        if any(word in text for word in words):
            chosen = [i for i in issuers if any(form in i for form in forms)]
            if forms in (("人民政府",), ("安全生产委员会", "安委会")):
                chosen = [i for i in chosen if not i.endswith(("办公室", "办公厅"))]  # the organ itself, not its office
            if chosen:
                return chosen
    return issuers


# a town or township opening a question (徐庄镇, 郑村乡, 西城街道), not 乡镇, 城乡, 小城镇 or 各乡
_TOWN = re.compile(r"^((?![\u4e00-\u9fff]*(?:城镇|城乡|村镇|小镇|集镇))[\u4e00-\u9fff]{2,3}?(?:镇|乡|街道))(?![镇村])")
# a level character before 县政府 / 市里 makes a list of levels (市县政府, 省市县里), not the asker's own
_LEVEL_CHARACTERS = "省市县区乡镇"
_NOT_A_TOWN_NAME = "我咱本这那该哪某各每全其有在到去回"  # the first character of 我们镇, 各乡, 在乡…


def _names_own_level(text: str, word: str) -> bool:
    """县政府 names the asker's county; inside 市县政府 or 省市县政府 it is every government of those levels."""
    start = text.find(word)
    while start != -1:
        if start == 0 or text[start - 1] not in _LEVEL_CHARACTERS:
            return True
        start = text.find(word, start + 1)
    return False


def _stands_alone(text: str, place: str) -> bool:
    """A two-character place name (应县, 代县, 东区) inside a longer word (相应县级) is not a place."""
    if len(place) > 2 or not place.endswith(("县", "区", "旗", "市")):
        return True
    index = text.find(place)
    return index == 0 or not ("\u4e00" <= text[index - 1] <= "\u9fff")


_ISSUER_USE = re.compile(
    r"^(市|县|区|省)?((19|20)\d{2}年|今年|去年|前年|明年|对|关于|的?(安全生产|通知|文件|要求|规定|政府|应急))"
)


def _names_an_issuer(text: str, place: str) -> bool:
    """``晋城市2025年…`` asks for 晋城's notice; ``2009年襄汾那次溃坝`` only mentions a place named in a notice."""
    index = text.find(place)
    return index == 0 or bool(_ISSUER_USE.match(text[index + len(place) :]))


def strip_mentions(question: str, mentions: Iterable[str]) -> str:
    """The question without the words that only named its scope."""
    text = normalize(question)
    for mention in sorted(set(mentions), key=len, reverse=True):
        text = text.replace(mention, " ")
    return text
