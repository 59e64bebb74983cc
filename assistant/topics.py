"""行业领域: the industries and hazards a clause or a question is about.

Shared by the quiz (each item's topic tag) and by follow-up questions (那烟花爆竹呢？ after a question
about 危化品 asks about another industry, not about both).
"""

from __future__ import annotations

TOPICS: dict[str, tuple[str, ...]] = {
    "煤矿": ("煤矿", "煤炭", "瓦斯", "井下", "采煤"),
    "非煤矿山": ("非煤矿山", "尾矿库", "金属非金属", "露天矿"),
    "危险化学品": ("危险化学品", "危化品", "化工", "油气"),
    "燃气": ("燃气", "液化石油气", "天然气", "气瓶"),
    "消防": ("消防", "火灾", "电动自行车", "人员密集", "高层建筑"),
    "道路交通": ("道路交通", "交通运输", "客运", "货车", "车辆", "驾驶", "公路"),
    "建筑施工": ("建筑施工", "施工", "工程建设", "房屋", "自建房"),
    "特种设备": ("特种设备", "电梯", "锅炉", "压力容器"),
    "烟花爆竹与民爆": ("烟花爆竹", "民用爆炸"),
    "自然灾害防治": ("防汛", "地质灾害", "森林", "汛期", "自然灾害", "地震", "气象"),
    "应急救援": ("应急救援", "救援队伍", "应急预案", "演练", "应急处置"),
    "隐患排查治理": ("隐患", "排查", "整治", "执法", "检查"),
    "责任体系": ("责任", "考核", "党政同责", "一岗双责", "问责"),
}
GENERAL = "综合监管"
# Topics that are a way of working in any industry, not an industry: 多久检查一次？ after a question about
# 燃气 still asks about 燃气
_ASPECTS = frozenset({"应急救援", "隐患排查治理", "责任体系"})
# every topic word with its topic, longest first (see `_counts`)
_WORDS = sorted(((word, topic) for topic, words in TOPICS.items() for word in words), key=lambda pair: -len(pair[0]))


def topic_of(text: str) -> str:
    """The topic whose words the text uses most; GENERAL when it uses none."""
    counts = _counts(text)
    best = max(counts, key=lambda topic: counts[topic])
    return best if counts[best] else GENERAL


def industries_named(text: str) -> frozenset[str]:
    """The industries (not the ways of working) whose words the text uses."""
    return frozenset(topic for topic, count in _counts(text).items() if count and topic not in _ASPECTS)


def without_industries(text: str, industries: frozenset[str]) -> str:
    """The text with the words of these industries taken out (longest first: 非煤矿山 before 煤矿)."""
    words = sorted((word for topic in industries for word in TOPICS[topic]), key=len, reverse=True)
    for word in words:
        text = text.replace(word, "")
    return text


def _counts(text: str) -> dict[str, int]:
    """How often the text uses each topic's words. Longer words are counted first and blotted out, so that
    非煤矿山 is no 煤矿 and 城镇燃气 counts once."""
    counts = dict.fromkeys(TOPICS, 0)
    for word, topic in _WORDS:
        counts[topic] += text.count(word)
        text = text.replace(word, "\0")
    return counts
