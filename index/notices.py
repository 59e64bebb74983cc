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

from index.clauses import MarkerSequence, match_marker, segment_clauses
from index.normalize import normalize, tidy_line
from index.records import Anomaly, AnomalyKind, Clause, Level, Notice
from index.tasks import find_table_start, link_task_table

_DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,8}[发函字])\s*[〔\[［(（]\s*(?P<year>\d{4})\s*[〕\]］)）]\s*(?P<num>\d{1,4})\s*号"
)
_TITLE = re.compile(r"^(?P<issuer>\S{2,20}?人民政府)?关于.{0,40}?(通知|意见|决定|方案|安排)$")
_ISSUER_LINE = re.compile(r"^(?P<issuer>\S{2,20}?(人民政府|委员会))$")
_HEADER_LINE = re.compile(r"^(?P<issuer>\S{2,20}?人民政府)文件$")
_ADDRESSEE = re.compile(r"^各\S{0,80}[:：]$")
_META = re.compile(
    r"^(?P<key>索引号|主题分类|发文机关|成文日期|标题|发文字号|发布日期|主题词)\s*[:：]?\s*(?P<value>.*)$"
)
_DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_ISO_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")
_ATTACHMENT_TITLE = re.compile(r"^附件\s*[:：]\s*(?P<title>.+?关于.+?)\.(doc|docx|pdf|wps)$", re.IGNORECASE)
_BODY_YEAR = re.compile(
    r"(?:做好|抓好|加强)?\s*(?P<year>(?:19|20)\d{2})\s*年\s*(?:全省|全市|全县|全区)?\s*(?:的)?\s*安全生产"
)
_ANY_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年")


# Lines after a restarting 一、 in which a notice without front matter states its year.
_YEAR_WINDOW = 150


def is_noise(raw: str) -> bool:
    """Lines that are page furniture, not notice text: URLs, metadata, attachments, signatures."""
    line = raw.strip()
    return bool(
        re.match(r"^https?://", line)
        or line.startswith(("附件：", "附件:", "抄送：", "抄送:", "主题词"))
        or re.match(r"^[（(]此件", line)
        or _META.match(line)
        or _DATE_LINE.match(line)
        or (line.endswith("印发") and _DATE.search(line))
    )


def _is_signature(lines: Sequence[str], index: int) -> bool:
    """An issuer's name alone on a line, followed by a date or by nothing: the notice's signature.

    The date check keeps a short paragraph end such as ``安全生产委员会`` from ending the notice.
    """
    if not re.match(r"^\S{2,20}?人民政府$", tidy_line(lines[index])):
        return False
    following = [tidy_line(line) for line in lines[index + 1 :] if line.strip()][:3]
    return not following or any(_DATE.search(line) for line in following)


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
            _META.match(line)
            or _HEADER_LINE.match(line)
            or _TITLE.match(line)
            or _DOC_NUMBER.fullmatch(line)
            or _ADDRESSEE.match(line)
            or (_ISSUER_LINE.match(line) and following.startswith("关于"))
        ):
            return index
    return None


def _body_year(lines: Sequence[str]) -> int | None:
    text = "".join(line.strip() for line in lines)
    stated = Counter(int(m.group("year")) for m in _BODY_YEAR.finditer(text))
    if stated:
        return max(stated.items(), key=lambda item: (item[1], item[0]))[0]
    years = [int(m.group("year")) for m in _ANY_YEAR.finditer(text)]
    return max(years) if years else None


@dataclass
class _Front:
    """What a notice's own front and end matter state."""

    title: str | None = None
    title_issuer: str | None = None
    header_issuer: str | None = None
    signature_issuer: str | None = None
    doc_number: str | None = None
    doc_prefix: str | None = None
    date: str | None = None
    meta: dict[str, str] | None = None


def canonical_doc_number(text: str) -> tuple[str, str] | None:
    """``晋政发[2009]1号`` -> (``晋政发〔2009〕1号``, ``晋政发``)."""
    found = _DOC_NUMBER.search(text)
    if not found:
        return None
    return f"{found.group('prefix')}〔{found.group('year')}〕{int(found.group('num'))}号", found.group("prefix")


def _iso(found: re.Match[str]) -> str:
    return f"{int(found.group('y')):04d}-{int(found.group('m')):02d}-{int(found.group('d')):02d}"


def level_of(issuer: str) -> Level:
    name = issuer.removesuffix("人民政府")
    if name.endswith(("省", "自治区")) or name in {"北京市", "天津市", "上海市", "重庆市"}:
        return Level.PROVINCE
    if name.endswith(("县", "旗", "区")):
        return Level.COUNTY
    return Level.CITY


@dataclass
class ParsedNotice:
    notice: Notice
    clauses: list[Clause]


def parse_notices(text: str, source: str) -> list[ParsedNotice]:
    """Parse one source file's text into its notices and their clauses."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    segments = split_segments(lines)
    drafts = [_draft(segment, source) for segment in segments]
    drafts = [draft for draft in drafts if draft is not None]
    if not drafts:
        raise ValueError(f"{source}: 没有找到编号条款（一、（一）1.），不像是一份安全生产工作通知")
    _fill_from_siblings(drafts)
    used: set[str] = set()
    parsed = []
    for draft in drafts:
        parsed.append(_finish(draft, source, used))
    return parsed


@dataclass
class _Draft:
    segment: _Segment
    front: _Front
    preamble: list[str]
    body: list[str]
    table: list[str]
    year: int | None
    issuer: str | None
    inferred: list[str]


def _draft(segment: _Segment, source: str) -> _Draft | None:
    lines = segment.lines
    table_start = find_table_start(lines)
    region_end = table_start if table_start is not None else len(lines)
    first_heading = next(
        (i for i in range(region_end) if not lines[i].startswith("\t") and _top_level_one(lines[i])),
        None,
    )
    if first_heading is None:
        return None
    front_lines = lines[:first_heading]
    body_end = region_end
    for index in range(first_heading + 1, region_end):
        if _is_signature(lines, index) or lines[index].strip().startswith("抄送"):
            body_end = index
            break
    front = _read_front(front_lines, lines[body_end:])
    preamble = _preamble(front_lines)
    body = lines[first_heading:body_end]
    table = lines[table_start:] if table_start is not None else []
    inferred: list[str] = []
    year = _year_from_title(front.title)
    if year is None:
        year = _body_year(preamble + body)
        if year is not None:
            inferred.append("year")
    if year is None and front.doc_number:
        year = int(_DOC_NUMBER.search(front.doc_number).group("year"))
        inferred.append("year")
    issuer = front.title_issuer or front.header_issuer or (front.meta or {}).get("发文机关") or front.signature_issuer
    return _Draft(segment, front, preamble, body, table, year, issuer, inferred)


def _top_level_one(raw: str) -> bool:
    marker = match_marker(raw.strip())
    return marker is not None and marker.level == 1 and marker.number == 1


def _read_front(front_lines: Sequence[str], end_lines: Sequence[str]) -> _Front:
    front = _Front(meta={})
    tidy = [tidy_line(line) for line in front_lines]
    nonblank = [line for line in tidy if line]
    titles: list[tuple[str, str | None]] = []
    for position, line in enumerate(nonblank):
        meta = _META.match(line)
        if meta:
            front.meta[meta.group("key")] = meta.group("value").strip()
            continue
        header = _HEADER_LINE.match(line)
        if header:
            front.header_issuer = header.group("issuer")
            continue
        if _DOC_NUMBER.fullmatch(line) and front.doc_number is None:
            front.doc_number, front.doc_prefix = canonical_doc_number(line)
            continue
        title = _TITLE.match(line)
        if title:
            issuer = title.group("issuer")
            previous = nonblank[position - 1] if position else ""
            if issuer is None and _ISSUER_LINE.match(previous):
                issuer = previous
                line = previous + line
            titles.append((line, issuer))
    if titles:
        # the last title stated is the notice's own; an earlier one is a compilation's label
        front.title, front.title_issuer = titles[-1]
    if front.doc_number is None and front.meta.get("发文字号"):
        parsed = canonical_doc_number(front.meta["发文字号"])
        if parsed:
            front.doc_number, front.doc_prefix = parsed
    for raw in end_lines:
        line = tidy_line(raw)
        if front.signature_issuer is None and _ISSUER_LINE.match(line):
            front.signature_issuer = line
        attachment = _ATTACHMENT_TITLE.match(line)
        if attachment and front.title is None:
            front.title = attachment.group("title")
            front.title_issuer = _TITLE.match(front.title).group("issuer") if _TITLE.match(front.title) else None
        if front.date is None and _DATE_LINE.match(line):
            front.date = _iso(_DATE.search(line))
    if front.date is None and front.meta.get("成文日期") and _ISO_DATE.search(front.meta["成文日期"]):
        front.date = _iso(_ISO_DATE.search(front.meta["成文日期"]))
    if front.date is None:
        for raw in end_lines:
            line = tidy_line(raw)
            if line.endswith("印发") and _DATE.search(line):
                front.date = _iso(_DATE.search(line))
                break
    return front


def _preamble(front_lines: Sequence[str]) -> list[str]:
    """Body text before 一、: what follows the addressee line (or all non-front-matter text)."""
    tidy = [tidy_line(line) for line in front_lines]
    addressee = max((i for i, line in enumerate(tidy) if _ADDRESSEE.match(line)), default=None)
    candidates = front_lines[addressee + 1 :] if addressee is not None else front_lines
    kept = []
    for raw in candidates:
        line = tidy_line(raw)
        if not line or is_noise(raw) or _TITLE.match(line) or _DOC_NUMBER.fullmatch(line):
            continue
        if _ISSUER_LINE.match(line) or _HEADER_LINE.match(line) or _ADDRESSEE.match(line):
            continue
        kept.append(raw)
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


def _finish(draft: _Draft, source: str, used_ids: set[str]) -> ParsedNotice:
    where = f"{source} 第{draft.segment.first_line + 1}行起"
    if draft.issuer is None:
        raise ValueError(f"{where}: 找不到发文机关（标题、文头或落款）")
    if draft.year is None:
        raise ValueError(f"{where}: 找不到通知所针对的年份")
    base_id = f"{draft.issuer.removesuffix('人民政府')}-{draft.year}"
    notice_id, suffix = base_id, 2
    while notice_id in used_ids:
        notice_id, suffix = f"{base_id}-{suffix}", suffix + 1
    used_ids.add(notice_id)
    normalized_text = normalize("\n".join(draft.segment.lines))
    clauses, anomalies = segment_clauses(notice_id, draft.preamble, draft.body, normalized_text, is_noise)
    if draft.table:
        clauses, table_anomalies = link_task_table(notice_id, clauses, draft.table)
        anomalies.extend(table_anomalies)
    for field_name in draft.inferred:
        anomalies.append(Anomaly(AnomalyKind.INFERRED_METADATA, notice_id, None, field_name))
    notice = Notice(
        notice_id=notice_id,
        issuer=draft.issuer,
        level=level_of(draft.issuer),
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
