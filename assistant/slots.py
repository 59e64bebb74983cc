"""What a question asks for in figures: the unit of 多少个/几座/多少钱/百分之多少, and how a figure in it is written.

Shared by the not-covered decision (a figure asked in a unit no retrieved clause
states is declared not given) and by the lead (the fragment with the figure in the
asked unit is the answer, not a list number or another figure of the sentence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from index.normalize import normalize

UNITS = (
    "亿元|万元|元|公里|千米|平方米|米|小时|分钟|天|周|个月|月|年|岁|倍|吨|亩|层|座|名|次|处|项|条|家|人|个|支|所|起"
    "|台|辆|套|件|批|户|间|张|本|块|级|队|站|种|类|道|轮|场|方|斤|公斤|千克|升|度"
)
# How cadres ask who is in charge: 谁负责, 归哪个部门管, 谁来抓, 找谁, 谁说了算
_RESPONSIBILITY = re.compile(
    r"谁负责|由谁|谁管|归谁|归哪|哪个部门|哪些部门|哪几个部门|哪家|哪个单位|哪些单位|哪几个单位|责任单位|谁牵头|"
    r"牵头部门|(?<![靠托凭请])谁来|谁督促|谁抓|负责部门|主管部门|找谁|哪个局|谁说了算|谁主管|负总责|归口"
)
# The words that ask who is in charge rather than name a topic: a clause answers with its units, not with them
# (燃气归哪些部门管 is about 燃气; weighed as an unknown word, 归 alone outweighed it and the question was refused)
_IN_CHARGE_WORDS = frozenset(
    (
        "归",
        "管",
        "抓",
        "找",
        "谁来管",
        "谁来抓",
        "来管",
        "来抓",
        "说了算",
        "主管",
        "牵头",
        "负责",
        "负总责",
        "总责",
        "负",
        "归口",
    )
)


# 有啥区别 / 有什么变化 / 一样吗: a comparison, answered by the notices' texts side by side, never by these words
_COMPARISON = re.compile(r"比较|对比|相比|变化|不同|区别|一样吗|一样不|不一样|异同|差别|差异|分别|各要|各自")
_COMPARISON_WORDS = frozenset(
    ("比较", "对比", "相比", "变化", "不同", "区别", "一样", "不一样", "异同", "差别", "差异", "变")
)


# 通报给哪些部门 / 向哪个单位报告 ask to whom something goes, answered by the sentence, not by who is in charge
_RECIPIENT = re.compile(r"(?:[给向]|报送|抄送|通报|告知)(?:哪些|哪个|哪几个|哪家)(?:部门|单位)")


# 从谁列到谁 / 从哪到哪: a range is asked (从主要负责人到一线从业人员), not who is in charge (从谁管到谁)
_ASKS_SPAN = re.compile(r"从(?:谁|哪|什么|啥)[^，,。？?]{0,6}到(?:谁|哪|什么|啥)")


def asks_span(question: str) -> bool:
    return bool(_ASKS_SPAN.search(normalize(question)))


def asks_who_is_responsible(question: str) -> bool:
    text = normalize(question)
    return not asks_span(text) and bool(_RESPONSIBILITY.search(_RECIPIENT.sub("", text)))


def asks_comparison(question: str) -> bool:
    return bool(_COMPARISON.search(normalize(question)))


# 要不要 / 能不能 / 需不需要 / 有没有: the A-not-A form only asks yes or no
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")


# 咋整 / 怎么弄 / 如何搞: a light verb after a question word asks what to do; the notices answer with the deed
_HOW_TO_DO = re.compile(r"(?:咋|怎么|怎样|如何)([整弄搞干办做])")


# 还有啥竞赛 / 还要出台啥规章 / 另外呢: asks for another item of the kind, and names no topic (还有 is in no notice,
# so it weighed as the rarest word of all)
_ANOTHER_ONE = frozenset(("还有", "还要", "还得", "还需", "还需要", "另外", "此外", "除此之外", "别的", "其余"))
# 建在哪几个地方 / 啥地方: 地方 asks for places, it is not the notices' 地方 (哪些地方标准, 地方政府)
_PLACE_ASKED_AS_WORD = re.compile(
    r"(?:哪(?:几个|些|个|几处)?|什么|啥)地方(?!性|标准|安全|政府|法|规|特色|病|财政|党委|各级)"
)


def framing_words(question: str, words: Iterable[str]) -> frozenset[str]:
    """The words of `words` that only say what kind of answer `question` wants, not what it is about: who is in
    charge (归, 谁来管, 牵头 in 谁牵头), how texts differ (区别, 变化 in 有啥区别), yes or no (不要, 需不需要 of an
    A-not-A form: 要不要, 需不需要, 该不该; a plain negation, 企业不要搞培训, is a word of the question). The clauses
    answer with their units, their texts or a requirement, never with these words."""
    text = normalize(question)
    framing: set[str] = set()
    if asks_who_is_responsible(text):
        framing |= _IN_CHARGE_WORDS
    if asks_comparison(text):
        framing |= _COMPARISON_WORDS
    # an A-not-A form with a character either side (乡镇要不要配 → 镇要不要配): the words jieba cuts from it
    yes_no = [text[max(0, m.start() - 1) : m.end() + 1] for m in _A_NOT_A.finditer(text)]
    framing |= set(_HOW_TO_DO.findall(text))
    if _PLACE_ASKED_AS_WORD.search(text):
        framing.add("地方")
    framing |= _ANOTHER_ONE
    return frozenset(
        word
        for word in words
        if word in framing or any(("不" in word or "没" in word) and word in frame for frame in yes_no)
    )


# 哪几条河 asks which rivers, not how many
_ASKED_FIGURE = re.compile(rf"(?:多少|(?<![哪那这])几)({UNITS})")
# 多少应急救援经费: the money word may come a few words after 多少
_ASKED_MONEY = re.compile(
    r"多少[\u4e00-\u9fff]{0,6}?(?:钱|资金|经费|补助|补贴|奖金|工资)|"
    r"(?:补助|补贴|经费|资金|奖金|费用|投资|工资).{0,4}(?:多少|几)(?!比例|百分|成)|多少亿"
)
# 工资 is an amount the notices never give (村干部的工资由谁发), unless asked whether it is tied to safety (跟工资挂钩吗)
_ENDS_YES_NO = re.compile(r"[吗不][？?]*$")
_ASKED_SHARE = re.compile(r"百分之多少|多大比例|比例是多少|占比多少|百分比")
# 几类 is answered by 四类 or 四个类别: the general classifier 个 may stand between figure and unit; a four-digit
# year (2026年) is a date, not a count of years
_FIGURE = r"(?<!\d)(?!(?:19|20)\d{{2}}年)[\d一二两双三四五六七八九十百千万]+(?:\.\d+)?(?:[至—\-~][\d一二两三四五六七八九十]+)?个?(?:{unit})"


# 几个/多少个 uses the general classifier: 1—2项 or 6座 answers it as well as 3个 does.
_COUNTED = "项|座|名|次|处|条|家|人|个|支|所|起|台|辆|套|件|批|户|间|张|本|块|级|队|站|种|类|道|轮|场"
_NUMERAL = r"(?<![\d一二两双三四五六七八九十])[\d一二两双三四五六七八九十]+"
# Classifiers that count the same things: 几条职责 is answered by 11项职责, 几个人 by 3名.
_SAME_COUNT = ("条|项|款", "名|人|位", "次|回|遍|趟", "座|处|个", "支|队")
# Notices name units, never persons, and give no telephone numbers or addresses.
_PERSON_OR_CONTACT = re.compile(
    r"(局长|县长|市长|省长|书记|主任|科长|站长|队长|所长|负责人)(是谁|叫什么|叫啥|姓什么|姓啥|是哪位)|"
    r"(电话|手机)(号码?)?(是|是多少|多少)|联系方式|办公地址|在哪办公|邮箱|微信号"
)


_ASKED_AGE = re.compile(r"多大年纪|多大岁数|多少岁|几岁|年龄")
# 责任牌做多大尺寸 / 围栏要多高 / 离学校多远: a size or a distance, which a notice states in metres (or does not)
_ASKED_SIZE = re.compile(
    r"(?:尺寸|规格|面积|尺码)(?:是|要|有|得)?(?:多大|多少)|(?:多大|多高|多宽|多厚)的?(?:尺寸|规格|面积|尺码)"
    r"|多(?:高|宽|厚|深)(?:[？?吗呢啊]|$)|多远"
)
_ASKED_CLOCK = re.compile(r"几点钟?|什么时辰")
_WHICH_PLACES = re.compile(r"哪(?:几个|些)(城市|县|市|地方|地市|市县)")
# 在哪一项/在哪个文件 ask which item or document, not where
_ASKED_PLACE = re.compile(
    r"在哪(?:里|儿)?(?![一些个项条款份篇])|哪个(城市|县|市|地方|位置|地点)|什么(地方|位置|地点)|地址|地点在"
)

# 要考啥证 / 带啥证件 / 要哪些材料 / 办啥手续: the answer is a document, which the clause must then name. The notices set
# the government's work; the papers a person brings for a licence or a plate are rarely theirs to list
_ASKED_DOCUMENT = re.compile(
    r"(?:啥|什么|哪些|哪个|哪种|哪几种?|几个|几种)(?:样的)?(?:证件?|驾照|执照|资质|证书|手续|材料|资料|许可)"
)
_NAMES_DOCUMENT = re.compile(r"证明|证书|证照|执照|许可|手续|驾驶证|驾照|资格证|操作证|上岗证|持证|资质")
# 钱谁出 / 安装费谁出 / 钱从哪来: the answer is who pays, which a clause says with a word of funding (事故单位承担抢险救援
# 费用, 纳入同级财政全额保障, 政府支持、企业自主、社会援助); a sentence naming a fee (充电费用未落实居民电价政策) says
# nothing of who pays it
_ASKED_PAYER = re.compile(
    r"(?:钱|费|经费|资金)[^，。？?]{0,4}(?:谁出|谁掏|谁付|谁承担|谁买单|谁报销?|谁给报|从哪(?:儿|里)?(?:来|出))"
    r"|谁(?:出钱|掏钱|付钱|买单)"
)
_NAMES_FUNDING = re.compile(r"承担|财政|资金|经费|出资|补助|补贴|支持|保障|预算|投入|筹措|购买|列支")

# 搞几进 / 几到位 ask the figure of a numbered name (七进, 五到位), written with whatever character follows it; 几乎 and
# 几时 are words of their own
_ASKED_NUMBERED_NAME = re.compile(r"(?<![哪那这])几(?!乎|时|个|种|样|多)([\u4e00-\u9fff])")
_ASKED_COLOURS = re.compile(r"(?:几|多少)(?:种|个)?(?:颜色|色)")
# 第几议题 asks for an ordinal: 第一议题 answers it, where elsewhere an ordinal is no figure
ORDINAL = "第"
# 把今年叫啥年 / 定为什么年 asks for the year's name, which notices give in quotes: “安全生产责任落实年”
NAMED_YEAR = "“…年”"
_ASKED_YEAR_NAME = re.compile(r"(?:什么|啥)年(?![份度底初前内以后里])")
# 分几级 is answered by the levels named (“市、县、乡、村”) as well as by 四级
_LEVELS = "[省市县区乡镇村组](?:[、，,]?[省市县区乡镇村组]){2,}"


# 几 in a yes/no question is "a few", not a figure asked for: 检查能少查几回不？ asks whether, not how many
_A_FEW = re.compile(r"(?<![哪那这第])几[^，,。；;？?]{0,3}[吗不没][？?]*$")


def only_a_few(question: str) -> bool:
    """Whether the question's only 几 means "a few" (a yes/no question) rather than asking a figure."""
    text = normalize(question)
    return bool(_A_FEW.search(text)) and not re.search(r"多少|比例|百分|覆盖率|多[大长高远]", text)


def asked_unit(question: str) -> str | None:
    """The unit a question asks a figure in (a regex alternative), or None when it asks for no figure in a unit."""
    text = normalize(question)
    if only_a_few(text):
        return None
    if "第几" in text:
        return ORDINAL
    if _ASKED_YEAR_NAME.search(text):
        return NAMED_YEAR
    if _ASKED_MONEY.search(text) or ("工资" in text and not _ENDS_YES_NO.search(text)):
        return "元|万元|亿元|亿"
    if _ASKED_SIZE.search(text):
        return "米|厘米|毫米|平方米|公分"
    if _ASKED_AGE.search(text):
        return "岁|周岁"
    if _ASKED_CLOCK.search(text):
        return "时|点"
    if _ASKED_SHARE.search(text):
        return "%|％|成"
    if _ASKED_COLOURS.search(text):
        return "色"  # 几种颜色: notices write the count of colours as 四色 (四色电子分布图)
    asked = _ASKED_FIGURE.search(text) or _ASKED_NUMBERED_NAME.search(text)
    if not asked:
        return None
    unit = asked.group(1)
    if unit == "个":
        return _COUNTED
    return next((group for group in _SAME_COUNT if unit in group.split("|")), re.escape(unit))


def counted_thing(question: str) -> str | None:
    """What 几个/多少个 counts: written after the classifier (多少个行政编制 → 行政编制) or, when nothing follows,
    before it (忻州的化工园区一共有几个 → 化工园区)."""
    text = normalize(question)
    after = re.search(r"(?:多少|(?<![哪那这])几)个([\u4e00-\u9fff]{2,10})", text)
    if after:
        thing = re.sub(r"^(的|是|要|有)|(的|呢|吗|啊|了)$", "", after.group(1))
        return thing if len(thing) >= 2 else None
    before = re.search(
        r"([\u4e00-\u9fff]{2,8}?)(?:一共|总共|共)?(?:有|是|要建|建)?(?:多少|(?<![哪那这])几)个[？?。]*$", text
    )
    if before:
        thing = re.sub(r"^.*?的", "", before.group(1))
        return thing if len(thing) >= 2 else None
    return None


def counted_spellings(question: str, synonyms: Mapping[str, Sequence[str]]) -> list[str]:
    """What 几个/多少个 counts (`counted_thing`) and the notices' words for it (开车的 → 驾驶员); empty when the
    question counts nothing named."""
    thing = counted_thing(question)
    if thing is None:
        return []
    return [thing, *(word for term, words in synonyms.items() if term in thing or thing in term for word in words)]


def states_count(fragment: str, unit: str, spellings: Sequence[str]) -> bool:
    """Whether `fragment` states a figure in `unit` of the thing counted: 6座 for 几座; for 几个司机 a figure with
    司机 named (3名驾驶员) or written straight before it (双驾驶员)."""
    if spellings and re.search(f"{_NUMERAL}(?:{'|'.join(map(re.escape, spellings))})", fragment):
        return True
    return bool(figure_in(unit).search(fragment)) and (not spellings or mentions(fragment, spellings[0]))


def mentions(fragment: str, thing: str) -> bool:
    """Whether `fragment` names `thing` (any two characters of it in a row: 县里的专业指挥人员 ~ 县级专业指挥人员)."""
    return any(thing[i : i + 2] in fragment for i in range(len(thing) - 1))


def asks_person_or_contact(question: str) -> bool:
    """局长是谁, 办公电话: facts no notice states, however well the rest of the question matches."""
    return bool(_PERSON_OR_CONTACT.search(normalize(question)))


def figure_in(unit: str) -> re.Pattern[str]:
    """A figure written in `unit`: 6座, 3—5名, 100%, 两个, 1.5万元; 第一 for `ORDINAL`; for 级 the levels
    named one by one (市、县、乡、村) too."""
    if unit == ORDINAL:
        return re.compile(r"第[\d一二三四五六七八九十]+")
    if unit == NAMED_YEAR:
        return re.compile(r"“[^“”]{2,14}年”")
    figure = _FIGURE.format(unit=unit)
    return re.compile(f"{figure}|{_LEVELS}" if unit == "级" else figure)


def may_ask_places(question: str) -> bool:
    """在哪几个地方建/哪些市: a place may be the answer (or a kind of site: 重点盯哪些地方), so a fragment naming one
    is preferred for the lead; unlike `asks_place` this never declares the question unanswered."""
    return asks_place(question) or bool(_WHICH_PLACES.search(normalize(question)))


def asks_document(question: str) -> bool:
    """要考啥证 / 带啥证件 / 办啥手续: the answer is a document, which the clause must then name."""
    return bool(_ASKED_DOCUMENT.search(normalize(question)))


def names_document(text: str) -> bool:
    """Whether a clause names a document, a licence or a procedure (审批手续, 房屋安全鉴定合格证明, 持证上岗)."""
    return bool(_NAMES_DOCUMENT.search(normalize(text)))


def asks_payer(question: str) -> bool:
    """安装费谁出 / 钱从哪来: the answer is who pays, which the clause must then say."""
    return bool(_ASKED_PAYER.search(normalize(question)))


def names_funding(text: str) -> bool:
    """Whether a sentence says who pays or how a thing is funded (承担, 财政, 资金, 支持…)."""
    return bool(_NAMES_FUNDING.search(normalize(text)))


# 哪几天能放 / 几号开始 / 几月份: the answer is a day or a month, which the clause must then name
_ASKED_DATE = re.compile(r"哪(?:几|一)?天|几号|几月几[号日]|(?:什么|啥)日子|哪个月|几月份?")
_NAMES_DATE = re.compile(
    r"[\d一二三四五六七八九十]+月|[\d一二三四五六七八九十]+[日号]|除夕|元旦|春节|清明|五一|国庆|中秋|端午|节日|节假日"
    r"|星期|周[一二三四五六日末]|月底|年底|月初|年初|期间|汛期|冬季|夏季|春季|秋季"
)


def asks_date(question: str) -> bool:
    """哪几天 / 几号 / 几月份: the answer is a day or a month, which the clause must then name."""
    return bool(_ASKED_DATE.search(normalize(question)))


def names_date(text: str) -> bool:
    """Whether a sentence names a day, a month, a festival or a season (6月, 春节期间, 汛期)."""
    return bool(_NAMES_DATE.search(normalize(text)))


def asks_place(question: str) -> bool:
    """建在哪/哪个城市/什么地方: the answer is a place, which the clause must then name."""
    return bool(_ASKED_PLACE.search(normalize(question)))
