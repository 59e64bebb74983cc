"""Split a source file into notices and read each notice's metadata.

A file may hold one notice or a compilation (the provincial file holds 18).
Notices are separated where the top-level numbering restarts at 一、; the new
notice then begins at its earliest front-matter line (web metadata, header,
title, 文号, addressee) after the previous notice's last numbered line. A
restart with no front matter at all (the 2010 provincial notice starts at its
first heading) is a new notice when its body speaks of a different year.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from index.clauses import MarkerSequence, match_marker, segment_clauses, segment_paragraphs
from index.metadata import (
    ISSUER_NAME,
    find_date,
    is_damaged_date,
    is_date_line,
    is_debris,
    is_meta_line,
    issuer_line,
    level_of,
    places_in,
    read_meta,
    signed_line,
)
from index.normalize import normalize, tidy_line
from index.records import Anomaly, AnomalyKind, Clause, Notice
from index.tasks import find_table_start, link_task_table

_DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,10})\s*[〔\[［(（]\s*(?P<year>\d{4})\s*[〕\]］)）]\s*(?P<num>\d{1,4})\s*号"
)
# a 文号 whose brackets or number were lost (赣市发〔201737): its year is still readable, the rest is not
_DAMAGED_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,10}[〔\[［(（]\s*(?P<year>(?:19|20)\d{2})\d*\s*$")
_GENRES = r"(通知|意见|决定|方案|安排|要点|规划|办法|函|通报|报告|细则|措施)"
_TITLE = re.compile(rf"^(?P<issuer>{ISSUER_NAME})?(关于|转发|印发).{{0,120}}?{_GENRES}$")
# a document's own title without 关于, as an attached document states it: 绵竹市2025年安全生产工作要点
_DOC_TITLE = re.compile(
    r"^[\u4e00-\u9fff（）()“”《》—\-\d]{4,60}?(工作要点|实施方案|工作方案|行动方案|方案|规划|意见|通知|应急预案|实施办法|办法|计划)$"
)
_ADDRESSEE = re.compile(
    r"^(?:[^\u4e00-\u9fff]{0,40}?|[^\s:：]{0,20}?)各\S{0,120}[:：]$|^\S{0,40}(各成员单位|各企业|各单位|各村|各有关单位)\S{0,60}[:：]$"
)
_LEADING_ISSUER = re.compile(
    r"^([\u4e00-\u9fff]{2,30}?(?:人民政府|安全生产委员会|委员会|办公室|管理局|管委会))[“\u4e00-\u9fff]"
)
# a document's own title that opens with the place it is for and its year: 徐庄镇2017年度…, 绵竹市2025年…
_TITLE_JURISDICTION = re.compile(r"^([\u4e00-\u9fff]{1,12}?(?:镇|乡|街道|县|市|区|旗))(?:19|20)\d{2}\s*年")
_YEAR_RANGE = re.compile(r"[（(]\s*(19|20)\d{2}\s*[—\-–~至]\s*(19|20)\d{2}\s*年\s*[）)]")
_TRAILING_NUMBER = re.compile(r"\s*[（(](?P<number>[\u4e00-\u9fff]{1,10}[〔\[［]\d{4}[〕\]］]\d{1,4}号)[）)]$")
_DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_ATTACHMENT_TITLE = re.compile(r"^附件\s*[:：]\s*(?P<title>.+?关于.+?)\.(doc|docx|pdf|wps)$", re.IGNORECASE)
_BODY_YEAR = re.compile(
    r"(?:做好|抓好|加强)?\s*(?P<year>(?:19|20)\d{2})\s*年\s*(?:全省|全市|全县|全区)?\s*(?:的)?\s*安全生产"
)
_ANY_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年")
_TARGET_YEAR = re.compile(
    r"(?:到|至|截至|截止到?)\s*(?P<year>(?:19|20)\d{2})\s*年|(?P<year2>(?:19|20)\d{2})\s*年\s*(?:底|末|年底|年末)?\s*(?:前|以前)"
)


# Lines after a restarting 一、 in which a notice without front matter states its year.
_YEAR_WINDOW = 150


def is_noise(raw: str) -> bool:
    """Lines that are page furniture, not notice text: URLs, metadata, attachments, signatures, dates."""
    line = raw.strip()
    return bool(
        re.match(r"^https?://", line)
        or line.startswith(("附件：", "附件:", "抄送：", "抄送:", "主题词"))
        or re.match(r"^[（(]此件", line)
        or is_meta_line(line)
        or is_date_line(line)
        or is_debris(line)
        or (line.endswith("印发") and _DATE.search(line))
    )


def _is_signature(lines: Sequence[str], index: int) -> bool:
    """An issuer's name alone on a line, followed by a date or by nothing: the notice's signature.

    The date check keeps a short paragraph end such as ``安全生产委员会`` from ending the notice.
    """
    if signed_line(lines[index]):
        return True
    if issuer_line(tidy_line(lines[index])) is None:
        return False
    following = [tidy_line(line) for line in lines[index + 1 :] if line.strip()][:3]
    return not following or is_date_line(following[0])


@dataclass
class _Segment:
    lines: list[str]
    first_line: int  # 0-based line index in the file, for messages


def split_segments(lines: Sequence[str]) -> list[_Segment]:
    """Cut a file's lines into one segment per notice."""
    table_start = find_table_start(lines)
    limit = table_start if table_start is not None else len(lines)
    sequence = MarkerSequence()
    last_marker_line = -1
    last_top = 0
    cuts: list[int] = []
    for index in range(limit):
        raw = lines[index]
        if raw.startswith("\t"):
            continue
        marker = match_marker(raw.strip())
        if marker is None:
            continue
        if marker.level == 1 and marker.number == 1 and last_top >= 2:
            anchor = _earliest_anchor(lines, last_marker_line + 1, index)
            if anchor is not None:
                cuts.append(anchor)
            elif _body_year(lines[index : index + _YEAR_WINDOW]) != _body_year(
                lines[(cuts[-1] if cuts else 0) : index]
            ):
                cuts.append(index)
            sequence = MarkerSequence()
        if sequence.accept(marker):
            last_marker_line = index
            if marker.level == 1:
                last_top = marker.number
    bounds = [0, *cuts, len(lines)]
    return [_Segment(list(lines[a:b]), a) for a, b in itertools.pairwise(bounds) if a < b]


def _earliest_anchor(lines: Sequence[str], start: int, stop: int) -> int | None:
    for index in range(start, stop):
        line = tidy_line(lines[index])
        if not line:
            continue
        following = next((tidy_line(x) for x in lines[index + 1 : stop] if x.strip()), "")
        if (
            is_meta_line(line)
            or (line.endswith("文件") and issuer_line(line))
            or _TITLE.match(line)
            or _DOC_NUMBER.fullmatch(line)
            or _ADDRESSEE.match(line)
            or (issuer_line(line) and following.startswith("关于"))
        ):
            return index
    return None


def _body_year(lines: Sequence[str]) -> int | None:
    text = "".join(line.strip() for line in lines)
    stated = Counter(int(m.group("year")) for m in _BODY_YEAR.finditer(text))
    if stated:
        return max(stated.items(), key=lambda item: (item[1], item[0]))[0]
    # a year the text works towards (到2030年, 2025年底前) is a target, not the year the notice is for
    targets = {m.start("year") if m.group("year") else m.start("year2") for m in _TARGET_YEAR.finditer(text)}
    years = [int(m.group("year")) for m in _ANY_YEAR.finditer(text) if m.start("year") not in targets]
    return max(years) if years else None


@dataclass
class _Front:
    """What a notice's own front and end matter state, and what its web page's metadata block says."""

    title: str | None = None
    title_issuer: str | None = None
    header_issuer: str | None = None
    signature_issuer: str | None = None
    doc_number: str | None = None
    doc_prefix: str | None = None
    date: str | None = None
    meta: dict[str, str] | None = None
    damaged_dates: tuple[str, ...] = ()
    damaged_numbers: tuple[str, ...] = ()


def canonical_doc_number(text: str) -> tuple[str, str] | None:
    """``晋政发[2009]1号`` -> (``晋政发〔2009〕1号``, ``晋政发``)."""
    found = _DOC_NUMBER.search(text)
    if not found:
        return None
    return f"{found.group('prefix')}〔{found.group('year')}〕{int(found.group('num'))}号", found.group("prefix")


@dataclass
class ParsedNotice:
    notice: Notice
    clauses: list[Clause]


def parse_notices(text: str, source: str) -> list[ParsedNotice]:
    """Parse one source file's text into its notices and their clauses.

    Web page debris is blanked first (its lines stay, empty, so line numbers hold). A file
    with no 一、（一）1. numbering at all is one notice indexed paragraph by paragraph.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [part for line in lines for part in unflatten(line)]
    lines = ["" if is_debris(line) else line for line in lines]
    segments = split_segments(lines)
    drafts = [draft for draft in (_draft(segment) for segment in segments) if draft is not None]
    if not drafts:
        drafts = [_unnumbered_draft(_Segment(lines, 0))]
    _fill_from_siblings(drafts)
    for draft in drafts:
        _fill_from_file_name(draft, source)
    used: set[str] = set()
    return [_finish(draft, source, used) for draft in drafts]


# A page copied from a website sometimes arrives as one line, its paragraph breaks turned into spaces
# (…通知 各市、县人民政府,…: 经省政府同意,…。 一、加强领导,严格落实安全生产责任制 各地、各部门…).
_FLAT_LINE_CHARS = 300
_GAP = re.compile(r"(?<=[\u4e00-\u9fff。：:；;！？”）)])[ \t\u3000\xa0]+(?=[\u4e00-\u9fff（(“\d])")
_HEADING_CHARS = 40


def unflatten(line: str) -> list[str]:
    """A long line cut back into its paragraphs where a space stands for a lost line break: before a numbering
    marker, after a sentence, after the title, and after a numbered heading (一、加强领导 | 各地、各部门…).
    Lines of ordinary length are left alone: a space inside them is layout (确保 2012 年), not a break."""
    if len(line) < _FLAT_LINE_CHARS:
        return [line]
    parts: list[str] = []
    start = 0
    for gap in _GAP.finditer(line):
        left, right = line[start : gap.start()], line[gap.end() :]
        if left.count("(") + left.count("（") > left.count(")") + left.count("）"):
            continue  # a paragraph never breaks inside brackets (责任单位: 各县(区)人民政府…)
        heading = match_marker(left) is not None and len(left) <= _HEADING_CHARS and not re.search(r"[。；;]", left)
        title = not parts and len(left) <= 120 and re.search(rf"{_GENRES}$", left) is not None
        if match_marker(right) is not None or left.endswith(("。", "：", ":", "；", "！", "？")) or heading or title:
            parts.append(left)
            start = gap.end()
    parts.append(line[start:])
    return parts


def _fill_from_file_name(draft: _Draft, source: str) -> None:
    """The weakest source: a file named 大同市人民政府2025年安全生产工作通知.docx names its issuer and year."""
    stem = _simplified(source.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    if draft.issuer is None:
        compact = re.sub(r"[\s_\-]", "", stem)
        # only a name that starts with a place: a bare 安委会 or 通知 in a file name says nothing
        for start in range(len(compact)):
            named = re.match(ISSUER_NAME, compact[start:])
            if named and places_in(named.group()) and issuer_line(named.group()):
                draft.issuer = issuer_line(named.group())
                draft.inferred.append("issuer")
                break
    if draft.year is None:
        year = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", stem)
        if year:
            draft.year = int(year.group(1))
            draft.inferred.append("year")


@dataclass
class _Draft:
    segment: _Segment
    front: _Front
    preamble: list[str | None]
    body: list[str]
    table: list[str]
    year: int | None
    issuer: str | None
    inferred: list[str]
    numbered: bool = True


def _draft(segment: _Segment) -> _Draft | None:
    lines = segment.lines
    table_start = find_table_start(lines)
    region_end = table_start if table_start is not None else len(lines)
    first_heading = next(
        (i for i in range(region_end) if not lines[i].startswith("\t") and _top_level_one(lines[i])),
        None,
    )
    if first_heading is None:
        first_heading = _arabic_top(lines[:region_end])
    if first_heading is None:
        return None
    front_lines = lines[:first_heading]
    body_end = region_end
    for index in range(first_heading + 1, region_end):
        if _is_signature(lines, index) or lines[index].strip().startswith("抄送"):
            body_end = index
            break
    front = _read_front(front_lines, lines[body_end:])
    body = lines[first_heading:body_end]
    table = lines[table_start:] if table_start is not None else []
    return _with_year_and_issuer(segment, front, _preamble(front_lines), body, table)


def _arabic_top(lines: Sequence[str]) -> int | None:
    """Where a document numbered 1. 2. 3. at the top (a county's 工作要点, no 一、 anywhere) starts: its line 1.,
    when a 2. follows and no line carries a chapter, article or 一、 marker."""
    found = [
        (i, marker)
        for i, line in enumerate(lines)
        if not line.startswith("\t") and (marker := match_marker(line.strip())) is not None
    ]
    if any(marker.level <= 1 for _, marker in found):
        return None
    first = next((i for i, marker in found if marker.level == 3 and marker.number == 1), None)
    if first is None or not any(marker.level == 3 and marker.number == 2 for i, marker in found if i > first):
        return None
    return first


def _unnumbered_draft(segment: _Segment) -> _Draft:
    """A document with no numbering (a transmittal, a 提醒函): its front matter, then its paragraphs."""
    lines = segment.lines
    tidy = [tidy_line(line) for line in lines]
    start = max((i + 1 for i, line in enumerate(tidy) if _ADDRESSEE.match(line)), default=0)
    end = next((i for i in range(start, len(lines)) if _is_signature(lines, i)), len(lines))
    front = _read_front(lines[:start], lines[end:])
    paragraphs = [line for line in lines[start:end] if line.strip() and not is_noise(line)]
    if start == 0:  # no addressee: skip the title block at the top
        paragraphs = [p for p in paragraphs if not _is_front_matter(tidy_line(p))]
    # a cover notice's signature may be followed by the document it issues (印发…方案), unnumbered too: its
    # paragraphs are the notice's requirements, not page furniture (its title, the signature and dates are)
    issued = [
        line for line in lines[end:] if line.strip() and not is_noise(line) and not _is_front_matter(tidy_line(line))
    ]
    if start > 0 and end < len(lines) and issued:
        paragraphs += issued
    draft = _with_year_and_issuer(segment, front, [], paragraphs, [])
    draft.numbered = False
    return draft


def _with_year_and_issuer(
    segment: _Segment, front: _Front, preamble: list[str | None], body: list[str], table: list[str]
) -> _Draft:
    inferred: list[str] = []
    year = _year_from_title(front.title)
    # then the 文号's year, then the date's: a body names many years (到2035年, 比2008年下降)
    numbered = _DOC_NUMBER.search(front.doc_number) if year is None and front.doc_number else None
    if numbered is not None:
        year = int(numbered.group("year"))
        inferred.append("year")
    meta = front.meta or {}
    if front.date is None and meta.get("written") and find_date(meta["written"]):
        # the document's own date is missing or damaged; the page's 成文日期 is the next best source
        front.date = find_date(meta["written"])
        inferred.append("date")
    if year is None and front.date:
        year = int(front.date[:4])
        inferred.append("year")
    for damaged in (*front.damaged_dates, *front.damaged_numbers):
        leading = re.search(r"(?:19|20)\d{2}", damaged)
        if year is None and leading:  # 20171228: the day is lost, the year is not
            year = int(leading.group())
            inferred.append("year")
    if year is None:
        year = _body_year([line for line in preamble if line] + body)
        if year is not None:
            inferred.append("year")
    # the document's own words first (title, header, signature); the web page's block only after them
    issuer = front.title_issuer or front.header_issuer or front.signature_issuer
    if issuer and front.signature_issuer and front.signature_issuer.replace(" ", "") == issuer.replace(" ", ""):
        issuer = front.signature_issuer  # a joint issue as signed: 中共赣州市委 赣州市人民政府
    if issuer is None and meta.get("issuer") and issuer_line(meta["issuer"]):
        issuer = issuer_line(meta["issuer"])
        inferred.append("issuer")
    jurisdiction = _TITLE_JURISDICTION.match(front.title or "")
    if issuer is None and jurisdiction:
        # 徐庄镇2017年度安全生产专项整治工作计划 with no issuer stated: the place it is for, not a body it names
        issuer = jurisdiction.group(1)
        inferred.append("issuer")
    return _Draft(segment, front, preamble, body, table, year, issuer, inferred)


def _top_level_one(raw: str) -> bool:
    """一、 or 第一条 — or 第一章, which comes before its first article."""
    marker = match_marker(raw.strip())
    return marker is not None and marker.level <= 1 and marker.number == 1


def _is_front_matter(line: str) -> bool:
    return bool(
        _TITLE.match(line)
        or _DOC_NUMBER.fullmatch(line)
        or issuer_line(line)
        or _ADDRESSEE.match(line)
        or _DOC_TITLE.match(line)
        or is_noise(line)
    )


def _titles(lines: Sequence[str]) -> list[tuple[str, str | None, int]]:
    """(title, issuer it names, index of its last line) for each title stated in `lines`.

    A title broken over two or three lines is joined back (关于印发…的 / 通    知), with an
    issuer line just above it (于都县人民政府办公室 / 关于印发…); a document's own title
    without 关于 (绵竹市2025年安全生产工作要点) counts when it names a year.
    """
    found: list[tuple[str, str | None, int]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        for span in (1, 2, 3):
            part = lines[index : index + span]
            joined = "".join(re.sub(r"\s", "", x) for x in part)
            title = _TITLE.match(joined)
            # a header line (政府文件, an issuer) is not the start of the title below it
            if len(part) < span:
                continue
            if span > 1 and (issuer_line(line) or line.endswith("文件") or _TITLE.match(re.sub(r"\s", "", part[1]))):
                continue
            if title and len(part) == span:
                issuer = issuer_line(title.group("issuer") or "") or title.group("issuer")
                previous = lines[index - 1] if index else ""
                if issuer is None and issuer_line(previous):
                    issuer = issuer_line(previous)
                    joined = re.sub(r"\s", "", previous) + joined
                found.append((joined, issuer, index + span - 1))
                index += span - 1
                break
        else:
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if _DOC_TITLE.match(line) and _YEAR_RANGE.fullmatch(following):
                found.append((line + following, None, index + 1))  # 治本攻坚三年行动方案 / (2024—2026年)
                index += 1
            elif (
                not _DOC_TITLE.match(line)
                and 0 < len(following) <= 12
                and _DOC_TITLE.match(line + following)
                and re.search(r"(19|20)\d{2}", line)
            ):
                found.append((line + following, None, index + 1))  # 徐庄镇2017年度安全生产专项整治 / 工作计划
                index += 1
            elif _DOC_TITLE.match(line) and (re.search(r"(19|20)\d{2}", line) or _LEADING_ISSUER.match(line)):
                # 绵竹市2025年安全生产工作要点; 温州市鹿城区双屿镇人民政府“上海世博会”期间安全生产工作实施方案
                leading = _LEADING_ISSUER.match(line)
                found.append((line, issuer_line(leading.group(1)) if leading else None, index))
        index += 1
    return found


def _own_title(titles: list[tuple[str, str | None, int]], lines: Sequence[str]) -> tuple[str, str | None] | None:
    """The notice's own title: the last one followed by its 文号 or addressee (a cover notice's, a compilation
    member's), else the last 关于… title, else the first."""
    if not titles:
        return None

    def introduces(end: int) -> bool:
        after = [line for line in lines[end + 1 : end + 3]]
        return any(_ADDRESSEE.match(x) or _DOC_NUMBER.match(x.strip("（）()")) for x in after)

    heading = [t for t in titles if introduces(t[2])]
    about = [t for t in titles if "关于" in t[0] or t[0].startswith(("转发", "印发"))]
    title, issuer, _ = (heading or about or titles[:1])[-1]
    return title, issuer


def _simplified(line: str) -> str:
    """A line in simplified characters, for reading metadata (a mirror site may serve 國務院關于…)."""
    import zhconv

    return zhconv.convert(line, "zh-cn")


def _read_front(front_lines: Sequence[str], end_lines: Sequence[str]) -> _Front:
    front = _Front()
    raw = [_simplified(line.strip()) for line in front_lines if line.strip()]
    front.meta = read_meta(raw)
    nonblank = [tidy_line(line) for line in raw if not is_meta_line(line)]
    nonblank = [line.strip("《》") if line.startswith("《") and line.endswith("》") else line for line in nonblank]
    own = []
    for line in nonblank:
        trailing = _TRAILING_NUMBER.search(line)
        if trailing and len(line) > trailing.end() - trailing.start() + 4:
            # 安徽省安全生产委员会关于印发…的通知 (皖安〔2024〕1号): the title and its 文号 on one line
            parsed = canonical_doc_number(trailing.group("number"))
            if parsed and front.doc_number is None:
                front.doc_number, front.doc_prefix = parsed
            line = line[: trailing.start()]
        own.append(line)
    for line in own:
        if line.endswith("文件") and issuer_line(line) and front.header_issuer is None:
            front.header_issuer = issuer_line(line)
            continue
        at_start = _DOC_NUMBER.match(line.strip("（）()"))
        if (
            at_start
            and front.doc_number is None
            and (at_start.end() == len(line.strip("（）()")) or "：" in line or ":" in line)
        ):
            # alone on its line, or at the head of the addressee line (卫城管函发〔2018〕27号局机关各科室：)
            canonical = canonical_doc_number(at_start.group())
            if canonical is not None:
                front.doc_number, front.doc_prefix = canonical
        damaged = _DAMAGED_DOC_NUMBER.match(line)
        if damaged and front.doc_number is None:
            front.damaged_numbers += (line,)
    chosen = _own_title(_titles(own), own)
    if chosen:
        front.title, front.title_issuer = chosen
        if front.title_issuer is None:
            front.title_issuer = issuer_line(re.split(r"关于|转发|印发|\d{4}年", front.title)[0] or "-")
    # a signature in the front matter: a cover notice signed before the document it issues
    dates = []
    for position, line in enumerate(own):
        if is_date_line(line):
            if is_damaged_date(line):
                front.damaged_dates += (line.strip(),)
            elif find_date(line):
                dates.append(find_date(line))
            if position and issuer_line(own[position - 1]) and front.signature_issuer is None:
                front.signature_issuer = issuer_line(own[position - 1])
    for raw_line in (*front_lines, *end_lines):
        signed = signed_line(_simplified(raw_line))
        if signed:
            front.signature_issuer = front.signature_issuer or signed[0]
            dates.append(signed[1])
    end = [_simplified(tidy_line(raw)) for raw in end_lines if raw.strip()]
    for line in end:
        if front.signature_issuer is None and issuer_line(line):
            front.signature_issuer = issuer_line(line)
        attachment = _ATTACHMENT_TITLE.match(line)
        if attachment and front.title is None:
            front.title = attachment.group("title")
            title = _TITLE.match(front.title)
            front.title_issuer = title.group("issuer") if title else None
        if is_date_line(line):
            if is_damaged_date(line):
                front.damaged_dates += (line,)
            elif find_date(line):
                dates.append(find_date(line))
    for line in end:
        if line.endswith("印发") and find_date(line):
            dates.append(find_date(line))
    front.date = dates[0] if dates else None
    if front.doc_number is None and front.meta.get("doc_number"):
        # only the page's own field: a 文号 quoted in the text (根据…（国办发〔2010〕15号）) is another document's
        parsed = canonical_doc_number(front.meta["doc_number"])
        if parsed:
            front.doc_number, front.doc_prefix = parsed
    return front


def _title_line_indices(lines: Sequence[str]) -> set[int]:
    """Indices of the lines that make up a title, a title broken over lines included (…专项整治 / 工作计划)."""
    indices: set[int] = set()
    for joined, _issuer, last in _titles(lines):
        length, index = len(joined), last
        while index >= 0 and length > 0:
            length -= len(re.sub(r"\s", "", lines[index]))
            indices.add(index)
            index -= 1
    return indices


def _preamble(front_lines: Sequence[str]) -> list[str | None]:
    """Body text before 一、: what follows the addressee line (without one, what follows the title; without that,
    all non-front-matter text).

    A skipped line (a signature, the issued document's title) between two kept ones is a
    None, so the preamble is cut there: each run is contiguous in the notice's text.
    """
    tidy = [tidy_line(line) for line in front_lines]
    after = max((i for i, line in enumerate(tidy) if _ADDRESSEE.match(line)), default=None)
    if after is None:
        # no addressee: the text starts after the title; what stands above it is the page's or the letterhead's
        # (首页 | 政务公开, a site banner), never the notice's own words
        titles = _titles(tidy)
        after = titles[0][2] if titles else None
    start = after + 1 if after is not None else 0
    title_lines = _title_line_indices(tidy[start:])
    kept: list[str | None] = []
    for position, raw in enumerate(front_lines[start:]):
        line = tidy_line(raw)
        if not line:
            continue
        if is_noise(raw):
            continue  # noise is not in the notice's text at all, so it is no gap
        if _is_front_matter(line) or position in title_lines:
            if kept and kept[-1] is not None:
                kept.append(None)
            continue
        kept.append(raw)
    while kept and kept[-1] is None:
        kept.pop()
    return kept


def _year_from_title(title: str | None) -> int | None:
    if not title:
        return None
    found = re.search(r"(?:19|20)\d{2}", title)
    return int(found.group()) if found else None


def _fill_from_siblings(drafts: list[_Draft]) -> None:
    """A notice that names no issuer takes it from its 文号 prefix or from the other notices in its file."""
    by_prefix = {d.front.doc_prefix: d.issuer for d in drafts if d.front.doc_prefix and d.issuer}
    issuers = Counter(d.issuer for d in drafts if d.issuer)
    for draft in drafts:
        if draft.issuer is None:
            if draft.front.doc_prefix in by_prefix:
                draft.issuer = by_prefix[draft.front.doc_prefix]
            elif issuers:
                draft.issuer = issuers.most_common(1)[0][0]
            if draft.issuer is not None:
                draft.inferred.append("issuer")


UNKNOWN_ISSUER = "发文机关不详"
_ON_SAFETY = re.compile(r"安全|应急|消防|灾害|事故|隐患")


def _finish(draft: _Draft, source: str, used_ids: set[str]) -> ParsedNotice:
    where = f"{source} 第{draft.segment.first_line + 1}行起"
    if not draft.numbered and (draft.year is None or not _ON_SAFETY.search("".join(draft.segment.lines))):
        raise ValueError(
            f"{source}: 没有找到编号条款（一、（一）1.），也没有写明年份或安全生产、应急、消防的内容，不像是一份安全生产工作文件"
        )
    if draft.year is None:
        raise ValueError(
            f"{where}: 找不到通知所针对的年份（标题、正文、文号和日期都没有写明年份）；在文件名里写上发文机关和年份（如 某某市人民政府2018年安全生产工作意见.docx）即可导入"
        )
    missing = []
    issuer = draft.issuer
    if issuer is None:
        issuer = UNKNOWN_ISSUER
        missing.append("issuer")
    base_id = f"{issuer.removesuffix('人民政府').replace(' ', '')}-{draft.year}"
    notice_id, suffix = base_id, 2
    while notice_id in used_ids:
        notice_id, suffix = f"{base_id}-{suffix}", suffix + 1
    used_ids.add(notice_id)
    kept = [line for line in draft.segment.lines if not is_noise(line)]
    normalized_text = normalize("\n".join(kept))
    if draft.numbered:
        clauses, anomalies = segment_clauses(notice_id, draft.preamble, draft.body, normalized_text, is_noise)
    else:
        clauses, anomalies = segment_paragraphs(notice_id, draft.body, normalized_text)
        anomalies.append(Anomaly(AnomalyKind.NO_NUMBERING, notice_id, None, "没有一、（一）1.编号，按段落索引"))
    if draft.table:
        clauses, table_anomalies = link_task_table(notice_id, clauses, draft.table)
        anomalies.extend(table_anomalies)
    for field_name in draft.inferred:
        anomalies.append(Anomaly(AnomalyKind.INFERRED_METADATA, notice_id, None, field_name))
    if draft.front.doc_number is None:
        missing.append("doc_number")
    if draft.front.date is None:
        missing.append("date")
    for field_name in missing:
        anomalies.append(Anomaly(AnomalyKind.MISSING_METADATA, notice_id, None, field_name))
    for text in (*draft.front.damaged_dates, *draft.front.damaged_numbers):
        anomalies.append(Anomaly(AnomalyKind.DAMAGED_DATE, notice_id, None, text))
    notice = Notice(
        notice_id=notice_id,
        issuer=issuer,
        level=level_of(issuer),
        year=draft.year,
        doc_number=draft.front.doc_number,
        title=draft.front.title,
        date=draft.front.date,
        source=source,
        normalized_text=normalized_text,
        inferred=tuple(draft.inferred),
        anomalies=tuple(anomalies),
    )
    return ParsedNotice(notice, clauses)


_FIELD_NAMES = {"issuer": "发文机关", "year": "年份", "doc_number": "文号", "date": "成文日期"}


def recognition_summary(notice: Notice) -> str:
    """In Chinese, what was recognized in a notice and what was not: for the person who uploaded it."""
    inferred = set(notice.inferred)
    missing = {a.detail for a in notice.anomalies if a.kind is AnomalyKind.MISSING_METADATA}
    parts = []
    values = {"issuer": notice.issuer, "year": f"{notice.year}年", "doc_number": notice.doc_number, "date": notice.date}
    for field, name in _FIELD_NAMES.items():
        if field in missing:
            parts.append(f"{name}：未找到")
        else:
            parts.append(f"{name}：{values[field]}" + ("（推定）" if field in inferred else ""))
    if any(a.kind is AnomalyKind.NO_NUMBERING for a in notice.anomalies):
        parts.append("没有一、（一）1.编号，已按段落索引")
    damaged = [a.detail for a in notice.anomalies if a.kind is AnomalyKind.DAMAGED_DATE]
    if damaged:
        parts.append("原文日期或文号有损坏：" + "、".join(damaged))
    return "；".join(parts)
