"""What a government document says about itself, in the shapes it takes on real websites.

- Page debris (breadcrumbs, 扫描二维码, 字号 大 中 小, 浏览次数, 打印/关闭, 分享到, 概述 summaries,
  footers) is recognised line by line, so it is dropped before parsing and never quoted.
- A website's metadata block is read in any of its shapes: ``key: value`` (several on one line,
  spaces inside keys: ``索 引 号``), pipe-table rows, ``- key: value`` bullets, ``【key】value``, and a
  key with its value on the next line.
- Dates in the usual forms (2024年6月13日, 2024-06-13, 2024.6.13, 2024/6/13, 二〇二四年六月十三日);
  a damaged one (``2024613日``) is reported, not guessed.
- Issuers: 人民政府 and its 办公室/办公厅, 安全生产委员会 (and 办公室), 应急管理厅/局, 消防救援机构,
  other 委员会/局/厅, 党委与政府 jointly; the level (国家/省/市/县) comes from the place that heads the
  name, looked up in the gazetteer (旗, 区 and 县级市 are county level).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from index.records import Level
from index.tokenize import lexicon_lines

_DEBRIS = re.compile(
    r"^(您(当前)?的位置|当前位置|(网站)?首页\s*[>›»|｜丨]|.*[>›»]\s*(正文|政策文件|通知公告|公文通告|安全生产)\s*$)"
    r"|扫描二维码|扫码(关注|查看|阅读)|二维码|分享到|分享至|分享好友|朋友圈"
    r"|字号\s*[:：]?\s*(大\s*中\s*小|【?\s*大|打印)|【\s*字体|放大字体|缩小字体|^字体\s*[:：]|^\s*[大中小]\s*$"
    r"|浏览次数|浏览量|阅读次数|点击[数率次]|^点击\s*[:：]"
    r"|^【?\s*(打印|关闭|保存|收藏|纠错|我要纠错|下载法规|返回顶部|关闭窗口|打印本页)\s*】?(\s*【?\s*(打印|关闭|保存|收藏)\s*】?)*\s*$"
    r"|切换到繁体|无障碍浏览|繁體|^简体\s*$"
    r"|^概\s*述\s*[:：]|^核心提示\s*[:：]|^条款摘要$"
    r"|^(上一篇|下一篇|相关(文档|稿件|链接|阅读)|附件下载)\s*[:：]?"
    r"|版权所有|ICP备|公网安备|网站标识码|主办\s*[:：]|承办\s*[:：]|技术支持\s*[:：]|联系我们|网站地图"
    r"|^\d{1,2}px$|^-\s*\d{1,2}px$|微信订阅号|^网站编辑|^【?编辑\s*[:：]|^\(编辑[:：]|^责任编辑"
    r"|^来源\s*[:：].{0,40}(发布时间|发布日期|时间)\s*[:：]|^(发布|发表|更新)(时间|日期)\s*[:：]\s*[\d\-: ]+(\s*\|.*)?$"
    r"|^资料来自公开网络|^原文版权归|^试读结束|开通会员|^VIP|^侵权投诉|^朗读$|^收藏$|^\|$"
    # a page number left by a PDF or a printed copy: — 2 —, - 12 -, 第3页 共10页, 2/10
    r"|^[-—–－―]+\s*\d{1,3}\s*[-—–－―]+$|^第\s*\d{1,3}\s*页(\s*[,，/]?\s*共\s*\d{1,3}\s*页)?$|^\d{1,3}\s*/\s*\d{1,3}$"
    # a line of scrambled ASCII that a copy-protected page inserts (6 ^$ {- Q H& {. {) q7)
    r"|^(?=(?:.*[\^$\{\}`\\&*~@#;]){2})[\x21-\x7e\s]{6,}$"
)


_DEBRIS_MAX_CHARS = 300


def is_debris(line: str) -> bool:
    """A line of web page furniture around a document, not part of it (always short: a long line is text)."""
    text = line.strip()
    return bool(text) and len(text) <= _DEBRIS_MAX_CHARS and bool(_DEBRIS.search(text))


# Website metadata: each canonical field and the keys sites use for it.
_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("标题", "名称", "文件名称", "文章标题"),
    "doc_number": ("发文字号", "发布文号", "文号", "文件编号"),
    "written": ("成文日期", "成文时间", "印发日期", "签发日期", "发文日期", "发文时间"),
    "published": ("发布日期", "发布时间", "公开日期", "颁布日期", "颁发时间", "发表时间"),
    "issuer": ("发文机关", "发文单位", "发布机构", "发布单位", "颁布部门", "颁发部门", "制发机关", "发布机关"),
    "other": (
        "索引号",
        "主题分类",
        "信息分类",
        "体裁分类",
        "主题词",
        "关键词",
        "有效性",
        "有效性状态",
        "公文时效",
        "效力属性",
        "法律效力",
        "应用分类",
        "实施时间",
        "生效日期",
        "废止日期",
        "时效状态",
        "效力状态",
        "属性",
        "备注",
        "公开方式",
        "信息来源",
        "所属机构",
    ),
}
_FIELD_OF = {key: field for field, keys in _KEYS.items() for key in keys}
# a key may be written with spaces between its characters (标  题, 索 引 号) and in 【】
_KEY_PATTERN = "|".join(r"\s*".join(map(re.escape, key)) for key in sorted(_FIELD_OF, key=len, reverse=True))
_KEY = re.compile(rf"【?\s*(?P<key>{_KEY_PATTERN})\s*】?\s*(?:[:：]|(?=\s)|$|(?<=】))")
_LINE_START = re.compile(rf"^\s*(?:[-·•*]\s*)?【?\s*(?:{_KEY_PATTERN})\s*】?\s*(?:[:：|｜]|\s|$|(?<=】))")


# characters of the keys as a traditional-character site writes them (標題, 發布機構, 文號, 成文時間 …)
_TRADITIONAL_KEY_CHARS = frozenset("標題號發佈機構時間類單關稱鍵詞態狀屬備註開資訊來源檔頒實廢規")


def is_meta_line(line: str) -> bool:
    """A line of a website's metadata block (it starts with a known key, in simplified or traditional form)."""
    if len(line) > _DEBRIS_MAX_CHARS:
        return False
    if _LINE_START.match(line):
        return True
    head = line[:24]
    if not _TRADITIONAL_KEY_CHARS.intersection(head):
        return False
    import zhconv

    return bool(_LINE_START.match(zhconv.convert(head, "zh-cn")))


def read_meta(lines: Sequence[str]) -> dict[str, str]:
    """Canonical fields (title, doc_number, written, published, issuer) from a website's metadata lines."""
    found: dict[str, str] = {}
    pending: str | None = None  # a key alone on its line takes the next line as its value
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if pending is not None and not is_meta_line(line):
            found.setdefault(pending, line)
            pending = None
            continue
        if not is_meta_line(line):
            continue
        line = re.sub(r"^[-·•*]\s*", "", line)
        if "|" in line or "｜" in line:
            cells = [cell.strip() for cell in re.split(r"[|｜]", line)]
            pairs = _cell_pairs(cells)
        else:
            pairs = _inline_pairs(line)
        for key, value in pairs:
            field = _FIELD_OF[re.sub(r"[\s【】]", "", key)]
            if value:
                found.setdefault(field, value)
            elif field != "other":
                pending = field
    return {field: value for field, value in found.items() if field != "other"}


def _cell_pairs(cells: list[str]) -> list[tuple[str, str]]:
    pairs = []
    index = 0
    while index < len(cells):
        cell = re.sub(r"[\s【】:：]", "", cells[index])
        if cell in _FIELD_OF:
            value = cells[index + 1].strip() if index + 1 < len(cells) else ""
            if re.sub(r"[\s【】:：]", "", value) in _FIELD_OF:
                value = ""
            pairs.append((cell, value))
            index += 2 if value else 1
        else:
            index += 1
    return pairs


def _inline_pairs(line: str) -> list[tuple[str, str]]:
    matches = list(_KEY.finditer(line))
    pairs = []
    for position, match in enumerate(matches):
        end = matches[position + 1].start() if position + 1 < len(matches) else len(line)
        pairs.append((match.group("key"), line[match.end() : end].strip(" :：\u3000")))
    return pairs


# --- dates ---------------------------------------------------------------------------------------------------

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGIT.update({"七": 7, "八": 8, "九": 9})
_CN = "〇○零ＯO一二三四五六七八九十"
_DATE_FORMS = (
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-./]\s*(?P<m>\d{1,2})\s*[-./]\s*(?P<d>\d{1,2})(?!\d)"),
    re.compile(rf"(?P<y>[{_CN}]{{4}})\s*年\s*(?P<m>[{_CN}]{{1,3}})\s*月\s*(?P<d>[{_CN}]{{1,3}})\s*日"),
)
# a signature date whose 年/月 were lost: 2024613日, 2024123
_DAMAGED_DATE = re.compile(r"^(?:19|20)\d{2}\d{1,4}日?$")


def _cn_number(text: str) -> int:
    if len(text) == 4 and "十" not in text:  # a year written digit by digit: 二〇二四
        return int("".join(str(_CN_DIGIT[ch]) for ch in text))
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)
    return _CN_DIGIT[text]


def find_date(text: str) -> str | None:
    """The first well-formed date in `text`, as ISO ``YYYY-MM-DD``."""
    best: tuple[int, str] | None = None
    for form in _DATE_FORMS:
        found = form.search(text)
        if not found:
            continue
        try:
            parts = [int(p) if p.isdigit() else _cn_number(p) for p in (found["y"], found["m"], found["d"])]
        except KeyError:
            continue
        year, month, day = parts
        if 1 <= month <= 12 and 1 <= day <= 31 and (best is None or found.start() < best[0]):
            best = (found.start(), f"{year:04d}-{month:02d}-{day:02d}")
    return best[1] if best else None


def is_date_line(line: str) -> bool:
    """A line that is only a date (a signature's date), well formed or not."""
    text = re.sub(r"\s", "", line)
    if not text:
        return False
    date = find_date(text)
    if date is not None:
        stripped = text
        for form in _DATE_FORMS:
            stripped = form.sub("", stripped)
        return stripped.strip("（）()") in ("", "印发")
    return is_damaged_date(text)


def is_damaged_date(line: str) -> bool:
    """``2024613日``: a date line that lost its 年 and 月, which no reading can safely restore."""
    return bool(_DAMAGED_DATE.match(re.sub(r"\s", "", line)))


# --- issuers and places ----------------------------------------------------------------------------------------

_ISSUER_SUFFIX = (
    r"(?:人民政府办公厅|人民政府办公室|人民政府|政府办公室|政府办公厅|安全生产委员会办公室|安全生产委员会|安委会办公室|安委会"
    r"|防灾减灾救灾委员会|减灾委员会|应急管理厅|应急管理局|应急管理部|消防救援总队|消防救援支队|消防救援大队|消防救援局"
    r"|管理委员会|管委会|委员会办公室|委员会|办公厅|办公室|行政公署|国务院|监督管理局|管理局|局|厅|司)"
)
ISSUER_NAME = rf"[\u4e00-\u9fff（）()]{{0,30}}?{_ISSUER_SUFFIX}"
_ISSUER = re.compile(rf"^(?:中共[\u4e00-\u9fff]{{1,20}}?(?:委员会|委)(?:办公室|办公厅)?\s*)?(?P<name>{ISSUER_NAME})$")
_NATIONAL = ("国务院", "中共中央", "中央", "国家", "应急管理部", "国务院安委会", "国务院安全生产委员会")


def issuer_line(line: str) -> str | None:
    """The issuer named by a line that holds only an issuer's name (a signature or a header), else None."""
    text = re.sub(r"\s+", " ", line.strip()).removesuffix("文件").strip()
    if len(text) > 40 or not text:
        return None
    found = _ISSUER.match(text.replace(" ", "")) or _ISSUER.match(text)
    if not found:
        return None
    if text.startswith("中共"):  # 中共X县委 X县人民政府: a joint issue, both named, one space between
        joint = re.match(r"^(中共\S+?委(?:员会)?(?:办公室|办公厅)?)\s*(\S+)$", text.replace(" ", ""))
        return f"{joint.group(1)} {joint.group(2)}" if joint else text.replace(" ", "")
    return found.group("name")


_SIGNED = re.compile(r"^(?P<issuer>\S.{1,38}?)\s+(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)$")


def signed_line(line: str) -> tuple[str, str] | None:
    """(issuer, ISO date) of a signature and its date on one line: ``新乡市人民政府安全生产委员会办公室 2017年10月4日``."""
    found = _SIGNED.match(line.strip())
    if not found:
        return None
    issuer = issuer_line(found.group("issuer"))
    date = find_date(found.group("date"))
    return (issuer, date) if issuer and date else None


@dataclass(frozen=True)
class Division:
    name: str
    level: Level
    province: str


@cache
def _gazetteer() -> dict[str, Division]:
    names: dict[str, Division] = {}
    levels = {"省": Level.PROVINCE, "市": Level.CITY, "县": Level.COUNTY}
    for line in lexicon_lines("gazetteer.tsv"):
        full, level, province = [*line.split("\t"), "", ""][:3]
        names[full] = Division(full, levels[level.strip()], province.strip() or full)
    return names


def places_in(name: str) -> list[Division]:
    """The divisions that head an issuer's name, outermost first: 菏泽市定陶区人民政府 → 菏泽市, 定陶区."""
    gazetteer = _gazetteer()
    found: list[Division] = []
    rest = name.removeprefix("中共")
    while rest:
        match = next((rest[:n] for n in range(min(len(rest), 12), 1, -1) if rest[:n] in gazetteer), None)
        if match is None:
            break
        found.append(gazetteer[match])
        rest = rest[len(match) :]
    return found


def level_of(issuer: str) -> Level:
    """The administrative level of an issuer, from the innermost place its name starts with."""
    if issuer.startswith(_NATIONAL):
        return Level.NATIONAL
    places = places_in(issuer)
    rest = issuer.removeprefix("中共")[sum(len(p.name) for p in places) :]
    if re.match(r"^[\u4e00-\u9fff]{1,8}?(镇|乡|街道|苏木)(人民政府|党委|政府|办事处|安全生产委员会|$)", rest):
        return Level.TOWN
    if places:
        return places[-1].level
    name = re.sub(_ISSUER_SUFFIX + "$", "", issuer)
    if name.endswith(("省", "自治区")) or name in {"北京市", "天津市", "上海市", "重庆市"}:
        return Level.PROVINCE
    if name.endswith(("县", "旗", "区")):
        return Level.COUNTY
    return Level.CITY


def first_issuer(candidates: Iterable[str | None]) -> str | None:
    return next((c for c in candidates if c), None)


# The suffix of a province's or city's full name; what is left is how people say it (晋城市 → 晋城).
_PLACE_SUFFIX = re.compile(
    r"(省|市|地区|盟|特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|(?:[\u4e00-\u9fff]{1,6}族)+自治州|自治州)$"
)


@cache
def place_names() -> frozenset[str]:
    """Every division's full name, and the short form of each province and city (a county's short form — 成安,
    资源, 新建 — is an ordinary word too often to stand for it)."""
    names = set()
    for division in _gazetteer().values():
        names.add(division.name)
        if division.level in (Level.PROVINCE, Level.CITY):
            short = _PLACE_SUFFIX.sub("", division.name)
            if len(short) >= 2:
                names.add(short)
    return frozenset(names)


@cache
def _place_pattern() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, place_names()), key=len, reverse=True)))


def mentions_place(text: str) -> bool:
    """Whether `text` names any division of China (太原, 晋中市, 沁水县)."""
    return bool(_place_pattern().search(text))
