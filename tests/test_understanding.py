"""Plain-language questions: the semantic encoder, the answerability gate, question types, leads, follow-ups,
metadata answers and places without a notice, on the real corpus."""

from __future__ import annotations

import json
import marshal

import numpy as np
import pytest

from assistant.answer import detail_type, question_type, split_fragments, trim_quote
from assistant.context import asked_form
from assistant.gate import GATE_FILE, LEXICAL_ONLY, Signals, fit, gate_for
from assistant.metadata import NoticeField, asked_field
from assistant.retrieve import RetrievalMode
from assistant.slots import asked_unit, asks_payer, asks_person_or_contact
from assistant.types import QuestionType
from index.embed import DenseBackend, E5Embeddings, VectorCache
from index.normalize import normalize
from index.settings import Settings


def cited(answer) -> list[str]:
    return [c.clause_id for c in answer.citations]


# --- the semantic encoder -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def e5() -> E5Embeddings:
    return E5Embeddings(threads=2)


def test_e5_ranks_an_everyday_paraphrase_above_other_topics(e5) -> None:
    passages = [
        "紧盯商住混合体、餐饮等人员密集场所，推动安装燃气泄漏报警器。",
        "组织开展“百吨王”货车等专项整治。",
        "健全地震监测预警体系，拓展地震预警在矿山、能源等行业的应用。",
    ]
    vectors = np.asarray(e5.embed_documents(passages))
    for question, right in [
        ("饭馆里用煤气要装什么报警的东西", 0),
        ("路上超载的大卡车怎么管", 1),
        ("地震了咋提前知道", 2),
    ]:
        scores = vectors @ np.asarray(e5.embed_query(question))
        assert int(np.argmax(scores)) == right, question
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def test_default_dense_model_is_the_bundled_semantic_one(retriever) -> None:
    assert Settings().embedding_model == DenseBackend.E5_SMALL
    assert retriever.index.has_dense and isinstance(retriever.index.vectors.embeddings, E5Embeddings)


def test_dense_side_alone_finds_a_paraphrase_with_no_shared_words(retriever) -> None:
    result = retriever.search("骑摩托车的人要戴头盔，2023年省里提了没有", mode=RetrievalMode.DENSE, k=5)
    assert "山西省-2023/三.十三" in [hit.clause.clause_id for hit in result.hits]


class CountingEmbeddings:
    def __init__(self) -> None:
        self.encoded: list[str] = []

    def embed_documents(self, texts):
        self.encoded.extend(texts)
        return [[float(len(t)), 1.0] for t in texts]


def test_vector_cache_encodes_each_text_once_and_survives_damage(tmp_path) -> None:
    cache = VectorCache(tmp_path, "some-model")
    model = CountingEmbeddings()
    first = cache.embed(["甲", "乙乙"], model)
    second = cache.embed(["乙乙", "丙丙丙", "甲"], model)
    assert sorted(model.encoded) == sorted(["甲", "乙乙", "丙丙丙"])  # each text encoded once
    assert second[0].tolist() == first[1].tolist() and second[2].tolist() == first[0].tolist()
    cache.path.write_bytes(b"not an npz file")
    again = cache.embed(["甲"], model)
    assert again[0].tolist() == [1.0, 1.0] and model.encoded[-1] == "甲"


def test_dense_side_can_be_switched_off(tmp_path, notice_folder) -> None:
    from assistant.core import Assistant

    settings = Settings(source_dir=notice_folder, index_dir=tmp_path / "idx", embedding_model="none", current_year=2026)
    assistant = Assistant.open(settings)
    assert not assistant.retriever.index.has_dense
    assert assistant.retriever.gate == gate_for(LEXICAL_ONLY)
    answer = assistant.ask("朔州今年要再建几座智能化煤矿？")
    assert not answer.refused and "6座" in answer.answer and cited(answer)[0] == "朔州市-2026/三.十一.1"


# --- the answerability gate ---------------------------------------------------------------------------------


def test_gate_is_fitted_on_the_tuned_set_only() -> None:
    data = json.loads(GATE_FILE.read_text(encoding="utf-8"))
    assert set(data) >= {LEXICAL_ONLY, DenseBackend.E5_SMALL.value}
    assert {gate["fitted_on"] for gate in data.values()} == {"questions.jsonl"}


def test_gate_fit_separates_and_prefers_declining() -> None:
    answerable = [Signals(0.6 + i / 100, 8.0, 0.03) for i in range(20)]
    unanswerable = [Signals(0.1 + i / 100, 2.0, 0.01) for i in range(10)]
    gate = fit(answerable + unanswerable, [True] * 20 + [False] * 10, ("coverage", "lexical", "dense_gap"))
    assert all(gate.admits(s) for s in answerable) and not any(gate.admits(s) for s in unanswerable)
    assert gate.probability(Signals(0.9, 10.0, 0.04)) > gate.probability(Signals(0.3, 3.0, 0.01))


def test_an_unknown_framing_word_weighs_less_than_an_unknown_topic_word(retriever) -> None:
    question = "医保好几回没报销"
    weights = retriever.word_weights(retriever.tokenizer.query(question), question)
    assert "医保" not in retriever.idf and weights["医保"] == max(retriever.idf.values())
    assert "好几回" not in retriever.idf and weights["好几回"] < weights["医保"] / 2


def test_an_everyday_verb_with_a_complement_frames_where_a_verb_of_its_own_names_a_topic(retriever) -> None:
    question = "普查啥时候要弄完？看病能报销吗？"
    weights = retriever.word_weights(retriever.tokenizer.query(question), question)
    assert {"弄完", "报销"}.isdisjoint(retriever.idf)
    assert weights["弄完"] < weights["报销"] / 2 and weights["报销"] == max(retriever.idf.values())


def test_a_term_that_stands_for_itself_keeps_its_words(retriever) -> None:
    # 大模型 is listed as its own rewrite (so it stays one word); its words must still count towards coverage
    question = "那个大模型叫啥？"
    assert "大模型" in retriever.word_weights(retriever.tokenizer.query(question), question)
    answer_retrieval = retriever.search("朔州那个大模型叫啥？")
    assert answer_retrieval.covered and answer_retrieval.hits[0].clause.clause_id == "朔州市-2026/七.二十二"


def test_a_count_in_a_classifier_of_the_same_kind_or_written_before_the_thing_is_given(assistant) -> None:
    # 几条 is answered by 11项; 几个开车的 by 双驾驶员 (a figure straight before the notices' word for 司机)
    items = assistant.ask("大同的企业主要负责人安全生产职责一共几条？")
    assert not items.refused and "11项职责" in items.lead
    drivers = assistant.ask("大同跑旅游的客车得配几个开车的？")
    assert not drivers.refused and "双驾驶员" in drivers.lead


def test_the_lead_comes_from_the_clause_that_states_the_asked_figure(assistant) -> None:
    answer = assistant.ask("2018年负有监管职责的部门主要负责人一个月要去查几次安全？")
    assert cited(answer)[0] == "山西省-2018/一.二" and "两次" in answer.lead


def test_a_list_named_then_spelled_out_is_led_whole(assistant) -> None:
    answer = assistant.ask("2009年省里要求落实哪些安全生产制度？")
    assert cited(answer)[0] == "山西省-2009/六"
    assert "联合执法制度" in answer.lead and "专项督查制度" in answer.lead


def test_which_places_is_answered_by_the_fragment_naming_them(assistant) -> None:
    answer = assistant.ask("2022年省级危险化学品救援队伍在哪几个市建设？")
    assert cited(answer)[0] == "山西省-2022/五.19" and "晋中、临汾" in answer.lead


@pytest.mark.parametrize(
    "question",
    [
        "化工园区规划要占地多少亩？",
        "村里的安全网格员一个月补助多少钱？",
        "企业安全总监的年薪是多少？",
        "省里给每个村拨多少防汛救灾资金？",
    ],
)
def test_a_figure_in_a_unit_no_clause_states_is_not_given(assistant, question) -> None:
    assert assistant.ask(question).refused


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("补助多少钱", "元|万元|亿元|亿"),
        ("每个村拨多少防汛救灾资金", "元|万元|亿元|亿"),  # the money word a few words after 多少
        ("举报奖金最高给多少", "元|万元|亿元|亿"),
        ("这个工程一共投资多少亿", "元|万元|亿元|亿"),  # an amount of money written in 亿
        ("围栏要多高？", "米|厘米|毫米|平方米|公分"),  # a size
        ("站点离学校要多远", "米|厘米|毫米|平方米|公分"),  # a distance
        ("要多长时间", None),  # a time, not a length
        ("覆盖率百分之多少", "%|％|成"),
        ("要占地多少亩", "亩"),
        ("朔州防洪重点是哪几条河", None),
        ("安全职责一共几条", "条|项|款"),
    ],
)
def test_asked_unit(question, unit) -> None:
    assert asked_unit(question) == unit


# --- question types and leads -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("普查最晚啥时候弄完？", QuestionType.DEADLINE),
        ("这个事哪天前要报上去？", QuestionType.DEADLINE),
        ("班组多久查一回隐患？", QuestionType.FREQUENCY),
        ("安委会多长时间至少开一次会？", QuestionType.FREQUENCY),
        ("隐患排查按啥频次？", QuestionType.FREQUENCY),
        ("发生事故后多长时间内必须报告？", QuestionType.DEADLINE),
        ("电动车充电的事归谁管？", QuestionType.RESPONSIBILITY),
        ("这事具体哪几个单位牵头？", QuestionType.RESPONSIBILITY),
        ("企业关了监控报警会咋样？", QuestionType.CONSEQUENCE),
        ("瞒报事故怎么处理？", QuestionType.CONSEQUENCE),
        ("没培训的工人能上岗不？", QuestionType.YES_NO),
        ("哪个文件提到了久安大模型？", QuestionType.WHICH_NOTICE),
        ("救援队要在哪几个地方建？", QuestionType.REQUIREMENT),
    ],
)
def test_question_types_as_cadres_ask(question, kind) -> None:
    assert question_type(question, 1, 1) is kind or detail_type(question) is kind


def test_count_lead_carries_the_figure_in_the_asked_unit(assistant) -> None:
    answer = assistant.ask("大同要求党委政府至少研究解决多少项具体问题？")
    assert cited(answer)[0] == "大同市-2025/二.七.16"
    assert "10项" in normalize(answer.lead) and "16" not in normalize(answer.lead).replace("2025", "")


def test_consequence_lead_states_the_outcome(assistant) -> None:
    answer = assistant.ask("大同的企业要是把监控报警设备关了会怎么样？")
    assert cited(answer)[0] == "大同市-2025/二.八.19"
    assert "刑事责任" in answer.lead


def test_a_consequence_in_several_fragments_is_led_whole(assistant) -> None:
    answer = assistant.ask("大同6个月内发生3起以上较大事故，会怎样？")
    assert cited(answer)[0] == "大同市-2025/二.八.21"
    assert "专项巡查" in answer.lead and "溯源追责" in answer.lead


@pytest.mark.parametrize(
    ("question", "clause_id", "in_lead"),
    [
        # a short fragment of a sentence can be the answer (only a bare heading sentence is penalized)
        ("2020年省里森林防火对野外用火怎么管？", "山西省-2020/三.十三", "严控野外用火"),
        # 几级 asks for the level itself: 二级 is then the figure, not an ordinal to skip
        ("2019年生产煤矿标准化要达到几级？", "山西省-2019/四.十九", "二级"),
        # 啥责任制 names the kind of thing asked for: the fragment naming one (林长责任制) leads
        ("2022年森林防火方面省里要求落实什么责任制？", "山西省-2022/三.11", "林长责任制"),
        # a list item whose first sentence is its heading: that sentence is a requirement like any other
        ("大同县级应急物资储备库覆盖率要达到多少？", "大同市-2025/六.十八.57", "100%"),
        # 纳入什么 asks for what the list is put into: the fragment where 纳入 takes its object, though the one
        # before it repeats more of the question's words
        ("大同乡镇的消防履职事项清单要纳入什么管理？", "大同市-2025/三.九.23", "网格化管理"),
    ],
)
def test_lead_answers_what_is_asked(assistant, question, clause_id, in_lead) -> None:
    answer = assistant.ask(question)
    assert cited(answer)[0] == clause_id
    assert in_lead in normalize(answer.lead)


@pytest.mark.parametrize(
    ("question", "in_lead"),
    [
        # the fragment matching the question names where (餐饮场所); what is required follows it in the sentence
        ("朔州的餐馆在用气上有什么要求？", "燃气泄漏报警器"),
        # the subject matches the question (乡镇、街道); the duty is the predicate after it
        ("2015年乡镇政府和街道办对本地企业要做什么？", "加强对属地企业的监督检查"),
        # a condition (…的，) is never the answer alone: what happens then comes with it
        ("2012年可能产生职业病危害的建设项目没有预评价报告能不能批准？", "一律不得批准建设"),
    ],
)
def test_a_short_sentence_leads_whole_for_what_is_required(assistant, question, in_lead) -> None:
    answer = assistant.ask(question)
    assert not answer.refused and in_lead in normalize(answer.lead)


@pytest.mark.parametrize(
    ("question", "in_lead"),
    [
        # a time that only sets the case (颁发相应许可证照后) takes what is done then; the responsibility note that
        # the sentence split left at its start is the previous sentence's and is not led with
        ("2024年省里集中审批部门颁发许可证照以后要做什么？", "推送相关审批信息和资料"),
        # every fragment after the condition (…的（不含道路交通事故）) is the outcome, not only those an outcome word marks
        ("沁水县1个月内连续发生2起一般生产安全事故会怎样处理？", "开展专项帮扶"),
    ],
)
def test_the_lead_states_what_follows_a_condition(assistant, question, in_lead) -> None:
    answer = assistant.ask(question)
    assert not answer.refused and in_lead in normalize(answer.lead)
    assert "负责）" not in answer.lead


def test_the_lead_drops_pdf_stray_spaces_but_the_quote_keeps_them(assistant) -> None:
    answer = assistant.ask("2022年每个乡镇最少得配几个安全和应急管理人员？")
    assert "3至5名" in answer.lead
    assert "3至 5名" in answer.citations[0].quote  # verbatim, as the notice prints it


def test_an_everyday_word_the_notices_never_use_is_matched_by_its_root(assistant) -> None:
    # 片子 is not a word of the notices; its root 片 picks the sentence about 警示教育片 over the 一厂出事故 one
    answer = assistant.ask("2015年省内出了重大事故以后要拍什么片子？")
    assert answer.citations[0].clause_id == "山西省-2015/八"
    assert "警示教育片" in answer.citations[0].quote


def test_a_synonym_counts_once_and_nested_everyday_terms_read_the_longest(retriever) -> None:
    groups = retriever.tokenizer.query_groups("朔州卖黑煤气罐的怎么打击？")
    rewrites = [members for members, rewrite in groups if rewrite]
    # 煤气 and 煤气罐 are inside 黑煤气罐: only its rewrite (黑气, 黑瓶, 黑窝点 …) is read, and read as one word
    assert len(rewrites) == 1 and {"黑气", "黑瓶"} <= rewrites[0] and "燃气" not in rewrites[0]
    parts = [members for members, rewrite in retriever.tokenizer.query_groups("井下瓦斯抽采咋要求") if not rewrite]
    assert {"瓦斯抽采", "瓦斯"} in [set(members) for members in parts]


def test_a_responsibility_note_is_not_a_requirement_lead(assistant) -> None:
    answer = assistant.ask("2024年省里对村里建的自建房有什么排查要求？")
    assert "负责" not in answer.lead and "自建房" in answer.lead


def test_a_long_sentence_is_trimmed_around_the_asked_fact() -> None:
    sentence = "，".join(f"第{i}项工作要认真落实到位并定期检查" for i in range(1, 20)) + "，年底前完成80%。"
    quote = trim_quote(sentence, "年底前完成80%。")
    assert len(quote) <= 220 and quote in sentence and quote.endswith("年底前完成80%。")


# --- follow-ups ---------------------------------------------------------------------------------------------


def test_a_long_follow_up_that_points_back_keeps_the_topic(assistant) -> None:
    answer = assistant.ask("这项工作具体归哪些部门管？", ["大同电动自行车飞线充电咋治理？"])
    assert cited(answer)[0] == "大同市-2025/四.十一.35" and "市住建局" in answer.answer


def test_last_year_without_that_notice_is_not_covered(assistant) -> None:
    answer = assistant.ask("去年呢？", ["朔州今年要再建几座智能化煤矿？"])
    assert answer.refused and "朔州市2025年" in answer.answer


# --- questions about notices themselves ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("朔州今年那个文件的文号是多少？", NoticeField.DOC_NUMBER),
        ("大同的通知是哪天印发的？", NoticeField.DATE),
        ("沁水县的安全生产通知是哪个单位发的？", NoticeField.ISSUER),
        ("沁水县2025年的安全生产通知是谁印发的？", NoticeField.ISSUER),
        ("朔州今年要建几座智能化煤矿？", None),
        ("这个专项整治计划是哪天印发的？", NoticeField.DATE),  # a work plan or 工作要点 is a document too
        ("达拉特旗的工作要点是哪个单位发的？", NoticeField.ISSUER),
        ("监管部门的年度检查计划里要写明啥？", None),
        ("现在都有哪些通知？", None),
    ],
)
def test_asked_field(question, field) -> None:
    assert asked_field(question) is field


def test_doc_number_and_date_answered_from_the_index_with_a_citation(assistant) -> None:
    number = assistant.ask("朔州今年那个安全生产文件的文号是多少？")
    assert not number.refused and "朔政发〔2026〕1号" in number.lead
    assert cited(number) == ["朔州市-2026/导语"]
    assert normalize(number.citations[0].quote) in normalize(number.citations[0].clause_text)
    date = assistant.ask("大同2025年的安全生产通知是什么时候印发的？")
    assert "2025年3月6日" in date.lead and cited(date) == ["大同市-2025/导语"]


def test_a_notice_without_a_doc_number_says_so(assistant) -> None:
    answer = assistant.ask("2010年省里那份通知的文号是多少？")
    assert "没有写明文号" in answer.lead and "〔" not in answer.lead


def test_metadata_question_naming_no_notice_asks_which(assistant) -> None:
    answer = assistant.ask("安全生产通知的文号是多少？")
    assert answer.refused and "请说明是哪一份通知" in answer.answer


def test_which_notices_are_held_is_answered_from_the_index(assistant, corpus) -> None:
    answer = assistant.ask("现在收录了哪些文件？")
    assert not answer.refused and answer.lead.startswith(f"现有通知共{len(corpus.notices)}份")
    assert all(notice.display_title in answer.lead for notice in corpus.notices)
    named = assistant.ask("大同的通知有哪些？")
    assert named.lead.count("· ") == 1 and "同政发〔2025〕1号" in named.lead


def test_which_notice_lists_every_notice_saying_it(assistant) -> None:
    answer = assistant.ask("哪个文件提到了电焊机加芯赋码？")
    assert {c.notice_id for c in answer.citations} == {"朔州市-2026", "山西省-2026"}
    assert answer.lead.startswith("提到这项内容的通知有")


# --- places -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "太原市对电动自行车充电有啥规定？",
        "平遥县今年对燃气安全有啥要求？",
        "广州对燃气有啥要求？",
        "徐庄镇养老机构的专项整治哪个单位管？",
        "西城街道2025年消防咋管？",
    ],
)
def test_any_place_without_a_notice_is_recognized(retriever, question) -> None:
    result = retriever.search(question)
    assert result.scope.out_of_scope and not result.covered


@pytest.mark.parametrize(
    "question",
    [
        "楼道里堆放杂物怎么管？",
        "新建改造的燃气管网有啥要求？",
        "通信资源要怎么保障？",
        "建成安全的矿井有什么标准？",
        "乡镇安全员要干啥？",
        "城乡燃气咋管？",
        "咱们镇上小饭馆用气有啥要求？",
        "大同乡镇的专职消防队归谁管？",
    ],
)
def test_ordinary_words_are_not_read_as_places(retriever, question) -> None:
    assert retriever.search(question).scope.unknown_places == ()


# --- tokenization of colloquial questions and slots no notice fills -----------------------------------------------


def test_colloquial_fragments_are_not_glued_into_pseudo_words(retriever) -> None:
    tokens = retriever.tokenizer("忻州出了事故追责要追到谁头上？")
    assert "追责要" not in tokens and "追责" in tokens
    assert "时间" not in retriever.tokenizer("多长时间内要报告？")  # the parts of a dropped stop phrase go with it


@pytest.mark.parametrize("question", ["沁水县应急管理局局长是谁？", "朔州市应急管理局的办公电话是多少？"])
def test_persons_and_contacts_are_not_in_the_notices(assistant, question) -> None:
    assert asks_person_or_contact(question)
    assert assistant.ask(question).refused
    assert not asks_person_or_contact("2009年有没有举报电话？") and not asks_person_or_contact("谁负责电动车充电？")


def test_asking_whether_a_hotline_exists_is_still_answered(assistant) -> None:
    answer = assistant.ask("2009年老百姓想举报安全问题，有没有举报电话？")
    assert not answer.refused


def test_a_count_with_the_general_classifier_needs_the_thing_counted(assistant) -> None:
    assert assistant.ask("沁水县应急管理局有多少个行政编制？").refused
    answer = assistant.ask("沁水县每年至少要解决几个制约安全发展的突出问题？")
    assert not answer.refused and "1—2项" in answer.answer


def test_places_ages_and_clock_times_are_slots_a_clause_must_fill() -> None:
    from assistant.slots import asks_place
    from index.metadata import mentions_place

    assert (
        asks_place("培训基地建在哪个城市？") and asks_place("演练在什么地方搞？") and not asks_place("哪些部门负责？")
    )
    assert asked_unit("司机多大年纪不能开车？") == "岁|周岁" and asked_unit("几点开会？") == "时|点"
    assert mentions_place("支持保障太原消防救援机动支队建设") and not mentions_place("加强安全体验馆建设")


def test_which_item_is_not_a_place() -> None:
    from assistant.slots import asks_place

    assert not asks_place("这个要求是在哪一项里提的？") and not asks_place("在哪个文件里说的？")


def test_the_prepared_dictionary_segments_exactly_as_jieba_built_afresh(tmp_path) -> None:
    from index.tokenize import Tokenizer

    questions = [
        "出了事故多长时间内要上报？",
        "朔州卖黑煤气罐的怎么打击？",
        "沁水应急队的家伙什儿不够咋办？",
        "大模型叫啥",
    ]
    fresh = Tokenizer()
    Tokenizer(tmp_path).frame_words("咋整")  # prepares both tables
    prepared = sorted(tmp_path.glob("jieba-*.marshal"))
    assert [p.name.split("-")[1] for p in prepared] == ["tags", "words"]
    loaded = Tokenizer(tmp_path)
    for question in questions:
        assert loaded.query(question) == fresh.query(question)
        assert loaded.frame_words(question) == fresh.frame_words(question)
    whole = prepared[1].read_bytes()
    prepared[1].write_bytes(whole[: len(whole) // 2])  # a damaged table is built again, never trusted
    assert Tokenizer(tmp_path).query(questions[0]) == fresh.query(questions[0])
    prepared[1].write_bytes(marshal.dumps({"freq": {}}))  # so is one of the wrong shape
    assert Tokenizer(tmp_path).query(questions[0]) == fresh.query(questions[0])
    assert len(marshal.loads(prepared[1].read_bytes())["freq"]) > 100_000  # and written again whole


def test_how_often_is_led_by_how_often_not_by_a_deadline(assistant) -> None:
    # 多久查一回 asks a frequency: the deadline sentence of the same clause (2016年年底前…80%) does not answer it
    for question in ("2016年重点企业的班组多久查一回隐患？", "2016年厂矿隔多久查一次隐患？"):
        answer = assistant.ask(question)
        assert answer.question_type is QuestionType.FREQUENCY
        assert "班组日查" in answer.answer.split("\n")[0], answer.answer


def test_everyday_negation_is_read_as_the_notices_word(retriever) -> None:
    # 没证 / 没有证照 is the notices' 无证, not a match for 有证 (有证小矿山)
    result = retriever.search("2009年省里对没有证照的企业怎么办？")
    assert result.hits[0].clause.clause_id == "山西省-2009/七"


def test_a_list_question_is_led_by_the_sentence_listing_the_asked_kind(assistant) -> None:
    # the heading restates the question (开展治本攻坚三年行动); the answer is the sentence listing them (…等行动)
    answer = assistant.ask("2024年省里治本攻坚三年行动都有哪些行动？")
    assert cited(answer)[0] == "山西省-2024/三.九"
    assert "企业主要负责人教育培训" in answer.lead and "全民安全素质提升" in answer.lead


def test_a_compound_split_by_modifiers_still_matches(assistant) -> None:
    # 重大事故 is written 发生重大及以上生产安全事故 in the sentence that says what the assessment does
    answer = assistant.ask("2020年省里出了重大事故考核咋算？")
    assert "一票否决" in answer.lead


def test_a_task_after_the_previous_tasks_note_can_lead(assistant) -> None:
    # （省级…部门负责）集中审批部门颁发…后: the note closes the task before; the task after it answers
    answer = assistant.ask("2024年省里审批部门发了证以后要干啥？")
    assert "推送相关审批信息和资料" in answer.lead
    assert not answer.lead.split("：", 1)[1].startswith("（")


def test_relying_on_whom_is_not_asking_who_is_responsible(assistant) -> None:
    answer = assistant.ask("2016年省里专业救援队靠谁来建？")
    assert "没有写明责任单位" not in answer.answer
    assert "大型企业和消防队伍" in answer.lead


def test_which_ordinal_is_answered_by_the_ordinal(assistant) -> None:
    # 第几 asks for 第一议题, where elsewhere an ordinal (第一, 两级) is never the asked figure
    answer = assistant.ask("沁水把总书记安全生产讲话当作第几议题学？")
    assert not answer.refused and "第一议题" in answer.lead


def test_how_many_levels_is_answered_by_the_levels_named(assistant) -> None:
    answer = assistant.ask("朔州应急物资储备网络分几级？")
    assert not answer.refused and "市、县、乡、村" in answer.lead
    assert "省市县三级" in assistant.ask("今年省里地质灾害应急技术支撑队伍要建几级？").lead


def test_a_figure_about_something_else_does_not_answer(assistant) -> None:
    # 700米以上隧道 is a figure in 米, but not of how far a chemical plant keeps from homes
    answer = assistant.ask("化工厂离居民区至少要多少米？")
    assert answer.refused and "没有给出这个数字" in answer.answer
    assert "6座" in assistant.ask("朔州今年要再建几座智能化煤矿？").lead


def test_the_clause_naming_the_asked_thing_leads(assistant) -> None:
    # the first clause is all about 尾矿库 and names no 监测; the next names both
    answer = assistant.ask("2024年省里尾矿库要上啥监测？")
    assert cited(answer)[0] == "山西省-2024/二.六" and "在线监测" in answer.lead


def test_the_years_name_is_asked_and_answered_like_a_figure(assistant) -> None:
    # 叫啥年 asks for the name the notice gives the year in quotes; the clause giving it answers however few of
    # the question's other words it holds, and a notice that names no year is refused for that reason
    answer = assistant.ask("忻州把这一年叫啥年？")
    assert not answer.refused and "安全生产责任落实年" in answer.lead
    assert "责任落实年" in assistant.ask("2013年山西省把安全生产工作定为什么年？").lead
    refused = assistant.ask("今年是啥年？")
    assert refused.refused and "没有给这一年定名" in refused.answer


def test_when_is_answered_by_promptly_where_the_clause_gives_no_date(assistant) -> None:
    # 根据灾情及时启动…应急响应 is the notice's answer to 啥时候; a clause below with an unrelated date
    # (年内…演练观摩) does not lead in its place
    answer = assistant.ask("2019年省里受了灾啥时候启动应急响应？")
    assert cited(answer)[0] == "山西省-2019/三.十六"
    assert "及时启动预警响应和应急响应" in answer.lead


def test_how_long_is_answered_by_the_span_in_the_condition(assistant) -> None:
    # 多长时间 asks for 3年 (停用超过 3年的尾矿库), which sits in the condition before the requirement
    answer = assistant.ask("2024年省里停用的尾矿库多长时间就得闭库？")
    assert "停用超过3年" in answer.lead and "年内完成闭库治理" in answer.lead


@pytest.mark.parametrize(
    "question", ["燃气归哪些部门管？", "燃气安全谁来管？", "燃气谁说了算？", "燃气安全找哪个部门？"]
)
def test_asking_who_is_in_charge_in_everyday_words_is_answered(assistant, question) -> None:
    # 归…管 / 谁来管 / 说了算 / 找 only ask who is in charge; weighed as unknown topic words, they outweighed 燃气
    answer = assistant.ask(question)
    assert not answer.refused, answer.answer
    assert answer.question_type is QuestionType.RESPONSIBILITY
    assert "燃气" in answer.citations[0].quote


def test_a_follow_up_asking_who_is_in_charge_keeps_the_topic(assistant) -> None:
    history = ["朔州今年对燃气有啥要求？", "那大同呢？", "去年省里呢？"]
    answer = assistant.ask("归哪些部门管？", history=history)
    assert not answer.refused, answer.answer
    assert cited(answer)[0].startswith("山西省-2025/") and "责任单位" in answer.lead


def test_a_follow_up_naming_another_industry_asks_about_it_alone(assistant) -> None:
    # 尾矿库 carried into 森林防火呢？ outweighed it, and the 尾矿库 clause was quoted again
    answer = assistant.ask("森林防火呢？", history=["忻州对尾矿库有啥要求？"])
    assert not answer.refused, answer.answer
    assert cited(answer)[0].startswith("忻州市-2024/") and "森林" in answer.citations[0].quote
    assert "尾矿库" not in answer.citations[0].quote
    # a way of working (演练, 检查) is no other industry: the topic stays
    answer = assistant.ask("多长时间演练一次？", history=["沁水对应急预案有啥要求？"])
    assert cited(answer)[0].startswith("沁水县-2025/") and "1次综合性应急演练" in answer.lead


def test_out_of_scope_questions_asking_who_is_in_charge_are_still_refused(assistant) -> None:
    for question in ("村里低保归哪个部门管？", "医保报销归谁管？", "小学招生谁说了算？"):
        assert assistant.ask(question).refused, question


def test_a_date_for_another_task_does_not_answer_when(assistant) -> None:
    # 啥时候建成 (the 2座智能化矿井): the clause below dates 煤矿隐蔽致灾因素普查, which names 煤矿 and 建成
    # but not 智能化; the clause asked about is quoted, and the lead says it sets no deadline
    answer = assistant.ask("啥时候建成？", history=["沁水的煤矿智能化要建几座？"])
    assert cited(answer)[0] == "沁水县-2025/五.十三"
    assert "2座智能化矿井" in answer.lead and "没有写明时限" in answer.lead
    assert "没有写明" not in assistant.ask("2020年安委会成员单位多久开一回会？").lead


def test_a_not_a_forms_ask_yes_or_no_and_weigh_nothing(retriever) -> None:
    # 需不需要 / 用不用 / 该不该 were weighed as the rarest words of the notices, as much as the topic
    for question, topic in (
        ("企业需不需要备案？", "备案"),
        ("用不用审批？", "审批"),
        ("乡镇要不要配安全员？", "安全员"),
    ):
        weights = retriever.word_weights(retriever.tokenizer.query(question), question)
        assert topic in weights and not any("不" in word for word in weights), weights
    # a plain negation is a word of the question
    assert "不要" in retriever.word_weights(retriever.tokenizer.query("企业不要搞培训吗？"), "企业不要搞培训吗？")


def test_courtesy_and_a_self_introduction_are_not_searched() -> None:
    from assistant.context import strip_courtesy

    def names_place(text: str) -> bool:
        return "沁水" in text

    assert strip_courtesy("你好，我是村干部，想问一下燃气要查哪些地方？谢谢", names_place) == "燃气要查哪些地方？"
    assert strip_courtesy("请问一下，忻州对道路交通有啥安排？", names_place) == "忻州对道路交通有啥安排？"
    # a self-introduction naming a place scopes the question; 麻烦 that is not "may I ask" is a word of it
    assert strip_courtesy("我是沁水的，今年要做啥？", names_place) == "我是沁水的，今年要做啥？"
    assert strip_courtesy("办手续麻烦吗？", names_place) == "办手续麻烦吗？"
    assert strip_courtesy("谢谢", names_place) == "谢谢"


def test_a_question_wrapped_in_greetings_and_context_is_answered(assistant) -> None:
    # 谢谢, 问问 and the rewrites of 村干部 outweighed the topic; 最近, 上面, 具体 only frame the question
    answer = assistant.ask("我是村干部，最近上面让我们排查燃气隐患，想问一下具体要查哪些地方？")
    assert not answer.refused, answer.answer
    assert "燃气" in answer.citations[0].quote
    assert not assistant.ask("谢谢你！再问问：2024年省里要求企业主要负责人干啥？").refused
    assert assistant.ask("你好，想问一下村里低保怎么申请？谢谢").refused


def test_counts_and_spans_in_characters_are_read_as_the_notices_write_them(assistant) -> None:
    from assistant.context import figures_in_digits

    assert figures_in_digits("三个月内出两起较大事故") == "3个月内出2起较大事故"
    assert figures_in_digits("二十四小时值守") == "24小时值守"
    # "every accident", names written in characters, and 一 (a month, an accident) stay as they are
    for kept in ("每一起事故", "三项制度", "八条硬措施", "一个月查几次"):
        assert figures_in_digits(kept) == kept
    answer = assistant.ask("大同三个月内出两起较大事故会咋样？")
    assert not answer.refused and "专项巡查" in answer.lead


def test_our_county_or_the_city_is_answered_from_notices_of_that_level(assistant) -> None:
    # 我们县 / 市里 name a level, not a place: a province's notice does not answer them
    answer = assistant.ask("我们县今年燃气有啥要求？")
    assert not answer.refused and cited(answer)[0].startswith("沁水县-")
    assert "问题没有说是哪个县" in answer.answer
    answer = assistant.ask("市里今年燃气有啥要求？")
    assert not answer.refused and cited(answer)[0].split("-")[0] in ("朔州市", "大同市", "忻州市")
    # a named place still decides, and 县级 describes a thing, not the asker's county
    assert cited(assistant.ask("全省今年燃气有啥要求？"))[0].startswith("山西省-")
    assert "问题没有说" not in assistant.ask("大同县级应急物资库要建到啥程度？").answer


def test_the_newest_notice_is_what_zuixin_refers_to(assistant) -> None:
    answer = assistant.ask("最新的文件对燃气有啥要求？")
    assert not answer.refused and all(c.year == 2026 for c in answer.citations)
    assert cited(assistant.ask("大同最新的通知对燃气有啥要求？"))[0].startswith("大同市-2025")


def test_a_word_negated_by_fei_does_not_yield_what_it_excludes(assistant, retriever) -> None:
    # 非煤矿山 are the mines that are not coal mines: its part 煤矿 made it match 煤矿 questions
    tokens = retriever.tokenizer("制定辖区内非煤矿山淘汰退出")
    assert "非煤矿山" in tokens and "矿山" in tokens and "煤矿" not in tokens
    assert "非法" in retriever.tokenizer("严厉打击非法违法行为")
    assert cited(assistant.ask("今年省里对煤矿有啥新要求？"))[0] == "山西省-2026/三.十一.1"


@pytest.mark.parametrize("question", ["朔州和大同对燃气的要求有啥区别？", "朔州和大同对燃气的要求有啥不同？"])
def test_the_words_asking_for_a_comparison_weigh_nothing(assistant, question) -> None:
    # 区别 is a word the notices never use: it weighed as much as 燃气 and the comparison was refused
    answer = assistant.ask(question)
    assert not answer.refused, answer.answer
    assert {c.clause_id.split("-")[0] for c in answer.citations} == {"朔州市", "大同市"}


def test_an_everyday_term_the_notices_use_keeps_its_own_word(assistant) -> None:
    # 加油站 was read only as its category (油气, 危险化学品): a province notice that never names a 加油站 answered
    # from a clause about 危险化学品 enterprises
    assert assistant.ask("去年省里对加油站有啥要求？").refused
    answer = assistant.ask("沁水对加油站有啥要求？")
    assert not answer.refused and "加油站" in answer.citations[0].quote


def test_a_units_tasks_are_listed_from_the_responsibility_notes(assistant, corpus) -> None:
    from assistant.ledger import ledger
    from index.normalize import is_verbatim

    # 省应急厅要牵头哪些工作: every task the notice assigns it, each quoted, not the one clause matching the words
    answer = assistant.ask("2024年省应急厅要牵头哪些工作？")
    assert not answer.refused and answer.lead.startswith("山西省2024年通知中，写明由省应急厅承担的工作共")
    tasks = {(row.clause_id, row.task) for row in ledger(corpus, "省应急厅", "山西省-2024")}
    assert f"共 {len(tasks)} 项" in answer.lead and len(answer.citations) == min(len(tasks), 8)
    assert all(is_verbatim(c.quote, corpus.clause(c.clause_id).text) for c in answer.citations)
    answer = assistant.ask("沁水县消防救援大队今年有哪些任务？")
    assert {c.notice_id for c in answer.citations} == {"沁水县-2025"} and "消防救援大队" in answer.lead
    assert "承担的工作" not in assistant.ask("省里今年对燃气有啥要求？").lead


def test_a_follow_up_naming_another_unit_lists_its_tasks(assistant) -> None:
    answer = assistant.ask("那住建局呢？", history=["大同应急局今年负责哪些工作？"])
    assert answer.lead.startswith("大同市2025年通知中，写明由住建局承担的工作共")
    assert "承担的工作" not in assistant.ask("住建局呢？").lead  # no task question before it


def test_a_sentence_naming_its_own_doer_answers_who_before_the_tasks_note(assistant) -> None:
    # the note at the end of 大同's item 6 covers 设立曝光台; the 现场警示会 sentence names who convenes it
    answer = assistant.ask("大同出了较大事故，现场警示会谁来组织开？")
    assert cited(answer)[0] == "大同市-2025/一.三.6"
    assert "市级行业领域安全监管部门要会同属地政府组织召开现场警示会" in answer.lead
    assert "各县(区)人民政府" in answer.lead or "各县（区）人民政府" in answer.lead
    # the task the note covers is still answered by the note
    assert "这项工作的责任单位是" in assistant.ask("大同设立曝光台谁负责？").lead


def test_how_long_is_answered_by_a_span_in_characters(assistant) -> None:
    # 为期一年: the notices write spans in characters too
    assert "为期一年" in assistant.ask("2009年省里那次安全生产专项整治搞多长时间？").lead


def test_shi_zhi_frames_the_question(assistant) -> None:
    # 是指 weighed as the rarest word (指), and a sentence with 指导 led
    assert "“五到位”" in assistant.ask("沁水企业的“五到位”是指哪五样？").lead


def test_asking_which_papers_needs_a_clause_that_names_papers(assistant) -> None:
    # 电动车 and 驾驶人 match, but no clause says which 证件 or 驾照: the notices set the government's work
    for question in ("电动车上牌要带啥证件？", "校车司机要考啥驾照？", "开农家乐要办哪些证？"):
        answer = assistant.ask(question)
        assert answer.refused and "证件、手续或材料" in answer.answer, question
    # where the clause does name the procedure, it answers
    answer = assistant.ask("忻州自建房改成开店用要办啥手续？")
    assert not answer.refused and "审批手续" in answer.lead


def test_asking_which_meeting_searches_for_meetings(assistant) -> None:
    # 开啥会: 会 alone is a stopword (会 = will), so the meeting was not searched for at all
    assert "现场警示会" in assistant.ask("沁水出了较大事故县里会开啥会？").lead
    assert "安委会会议" in assistant.ask("今年检查时拍到的隐患视频要在啥会上放？").lead


def test_everyday_names_of_fireworks_and_illegal_mining_are_understood(assistant) -> None:
    # 放鞭炮 and 偷着挖 were weighed as the rarest words of all: the questions were refused
    answer = assistant.ask("过年放鞭炮有啥规定？")
    assert not answer.refused and "烟花爆竹" in answer.lead
    answer = assistant.ask("镇上的小煤窑偷着挖咋处理？")
    assert not answer.refused and "非法盗采" in answer.citations[0].quote
    # 做 frames a question (要做哪些, 咋做): it names nothing
    retriever = assistant.retriever
    assert "做" not in retriever.word_weights(retriever.tokenizer.query("村里要做哪些准备？"), "村里要做哪些准备？")


def test_heavy_rain_in_everyday_words_finds_the_notices_strong_rainfall(assistant) -> None:
    # 下大雨 was read as 防汛/暴雨 only, and the notices write 强降雨: "加强防汛抗旱准备" led, not the evacuation
    answer = assistant.ask("下大雨山体滑坡前村里咋转移人？")
    assert "遇强降雨坚决果断撤避转移" in answer.lead


def test_a_short_question_naming_its_own_industry_leans_on_no_earlier_turn(assistant) -> None:
    # after turns about 应急局's and 住建局's tasks, 燃气有啥要求 was searched with them and quoted 应急物资储备
    history = ["大同应急局今年负责哪些工作？", "那住建局呢？"]
    answer = assistant.ask("我们县今年燃气有啥要求", history=history)
    assert cited(answer)[0].startswith("沁水县-2025/") and "燃气" in answer.citations[0].quote
    # 那消防呢？ after 自建房 asks about 消防 (自建房 is 建筑施工's), and 谁负责？ then follows it
    history = ["2024年省里对自建房有啥要求？"]
    answer = assistant.ask("那消防呢？", history=history)
    assert cited(answer)[0] == "山西省-2024/三.十七"
    answer = assistant.ask("谁负责？", history=[*history, "那消防呢？"])
    assert "消防领域专项整治" in answer.lead


def test_weihuapin_is_the_notices_dangerous_chemicals(assistant) -> None:
    # 危化品 is how everyone says 危险化学品; without the rewrite 忻州危化品有啥要求 was refused
    answer = assistant.ask("忻州危化品有啥要求？")
    assert not answer.refused and "危险化学品" in answer.citations[0].quote
    answer = assistant.ask("危化品呢？", history=["忻州对尾矿库有啥要求？"])
    assert not answer.refused and "危险化学品" in answer.citations[0].quote


def test_two_single_characters_written_together_lead_where_the_notice_writes_them_together(assistant) -> None:
    # 往上加层 is cut 加/层 (the dictionary lacks 加层), each earning half; 自建房 in every sentence of the clause
    # outweighed them, and the 审批手续 sentence led instead of 严禁违规加层加盖
    answer = assistant.ask("忻州自建房能不能随便往上加层？")
    assert answer.lead.endswith("严禁违规加层加盖。"), answer.lead
    # within a sentence the fragment is still chosen by what it states: 停用超过3年, not 完成闭库治理
    assert "停用超过3年" in assistant.ask("2024年尾矿库停用多久就必须闭库？").lead


def test_drawing_a_table_is_the_notices_drawing_one(assistant) -> None:
    # 画个啥表: the notices write 绘制 (绘制各行业领域安全监管“一张表”)
    answer = assistant.ask("2021年省里要求各部门画个啥表把监管责任弄明白？")
    assert "一张表" in answer.lead, answer.lead


def test_who_pays_is_answered_only_where_the_best_clause_says_how_it_is_funded(assistant) -> None:
    # 充电桩的安装费谁出 matched 充电费用未落实居民电价政策: a fee named, nothing of who pays it
    assert assistant.ask("电动车充电桩的安装费谁出？").refused
    # where the clause says it, that sentence leads
    answer = assistant.ask("2025年救援队的装备钱从哪来？")
    assert not answer.refused and "政府支持、企业自主、社会援助" in answer.lead, answer.lead
    answer = assistant.ask("2016年出了事故救援花的钱谁出？")
    assert not answer.refused and "事故单位承担抢险救援费用" in answer.lead, answer.lead
    answer = assistant.ask("2018年执法经费从哪出？")
    assert not answer.refused and "同级财政" in answer.lead, answer.lead


def test_tagging_in_a_new_process_tags_with_the_project_table_and_leaves_jieba_as_it_was():
    # posseg is imported with an empty default dictionary lent for the import (it would read all of jieba's for a
    # tagger nothing uses): the project's tags must still be jieba's, and jieba's own cut keep its dictionary
    import subprocess
    import sys

    script = (
        "import json, jieba\n"
        "from index.tokenize import Tokenizer\n"
        "default = jieba.dt\n"
        "tags = Tokenizer(None).tagged('2024年忻州要建哪些救援队伍')\n"
        "print(json.dumps([tags, jieba.dt is default, jieba.lcut('严禁违规加层加盖', HMM=False)]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    tags, same_default, words = json.loads(done.stdout)
    assert ["哪些", "r"] in tags and ["队伍", "n"] in tags and ["忻州", "ns"] in tags
    assert same_default
    assert "严禁" in words and "违规" in words  # read with jieba's dictionary, not character by character


def test_a_meeting_asked_for_leads_with_the_sentence_that_convenes_one(assistant) -> None:
    # 开啥会: 会 alone is a stopword, so nothing was read as the asked thing, and 开 (of 召开) matched 开展 in the
    # first clause's 专项巡查 sentence; the asked thing is now 啥会 with the notices' 会议/召开
    answer = assistant.ask("大同发生较大事故后开个什么会？")
    assert "现场警示会" in answer.lead, answer.lead


def test_a_correlative_pair_is_quoted_whole(assistant) -> None:
    # "什么时间整顿好，什么时间恢复生产": the second half alone (什么时间恢复生产) reads as a question
    answer = assistant.ask("2009年要求停产整顿的企业什么时候才能恢复生产？")
    assert "什么时间整顿好,什么时间恢复生产" in answer.lead, answer.lead


def test_who_does_it_comes_from_the_sentence_where_no_note_names_units(assistant) -> None:
    # 朔州's clause has no （责任单位：…）; its sentence names who draws up the list
    answer = assistant.ask("朔州乡镇的隐患排查事项清单由哪个部门制定？")
    assert "应急管理部门会同相关部门制定乡镇（街道）隐患排查事项清单" in answer.lead, answer.lead


def test_a_cadres_word_for_duties_is_the_notices_duties(assistant) -> None:
    # 活儿 (what someone has to do) is 职责 / 工作 / 任务; unknown, it weighed like the rarest word and the gate refused
    answer = assistant.ask("大同企业主要负责人在安全上要干的活儿有几项？")
    assert not answer.refused and "11项职责" in answer.lead, answer.lead


def test_a_verb_jieba_tags_as_an_adjective_still_takes_the_asked_thing(assistant) -> None:
    # 明确哪些: 明确 is tagged ad; the fragment where it takes its object is the answer, not the plan's title
    answer = assistant.ask("朔州十五五规划要明确哪些内容？")
    assert "时间表、路线图、责任单位" in answer.lead, answer.lead


def test_a_numbered_name_is_asked_by_the_character_after_ji(assistant) -> None:
    # 搞几进 asks for 七进; with no unit read, a clause stating any figure (治本攻坚三年行动) took the lead and the
    # citation from the clause ranked first
    answer = assistant.ask("忻州安全宣传要搞几进？")
    assert "“七进”" in answer.lead and cited(answer)[0] == "忻州市-2024/五.二十二", answer.answer


def test_a_means_is_quoted_with_the_purpose_it_serves(assistant) -> None:
    # 用啥手段: the fragment matching the question (及时发现和打击非法采矿行为) is the purpose; the means precedes it
    answer = assistant.ask("2012年发现非法采矿用啥手段？")
    assert "使用卫星遥感监测工作，及时发现和打击非法采矿行为" in answer.lead, answer.lead


def test_xiqu_a_lesson_is_the_notices_jiqu(assistant) -> None:
    # 吸取教训 and 汲取教训 are one phrase; unknown, 吸取 weighed like the rarest word and the gate refused
    answer = assistant.ask("朔州今年要吸取哪几起事故的教训？")
    assert not answer.refused and "山阴县“2·7”爆炸事故" in answer.lead, answer.answer


def test_who_is_hired_is_no_question_of_who_is_in_charge(assistant) -> None:
    # 请谁来做: the notice names who is engaged (聘请第三方专家团队), not a responsibility note's units
    answer = assistant.ask("2024年危化品企业请谁来做安全体检？")
    assert "聘请第三方专家团队" in answer.lead and "责任单位" not in answer.lead, answer.lead


def test_nei_ji_ge_points_back_and_asks_no_count(assistant) -> None:
    # 那几个不伤害: a demonstrative, not 几个; read as a count, the question was refused for want of a figure
    answer = assistant.ask("2023年说的不伤害自己那几个不伤害是哪几句？")
    assert not answer.refused and "不伤害他人" in answer.lead, answer.answer


def test_where_on_a_site_answers_where(assistant) -> None:
    # 设在哪: 在醒目位置 is the place asked for though it names no division of China
    answer = assistant.ask("企业的安全风险公示栏和告知卡要设在哪？")
    assert not answer.refused and "醒目位置" in answer.lead, answer.answer


def test_to_whom_leads_with_the_fragment_that_names_the_party(assistant) -> None:
    answer = assistant.ask("2010年企业法定代表人要向谁公开承诺？")
    assert "向政府、社会和职工进行公开承诺" in answer.lead, answer.lead


def test_an_intention_verb_frames_what_the_notice_plans(assistant) -> None:
    # the notices write what is planned without 打算; unknown, it weighed like the rarest word and the gate refused
    answer = assistant.ask("2021年打算修哪部条例？")
    assert not answer.refused and "《山西省安全生产条例》" in answer.lead, answer.answer


def test_a_single_character_is_novel_only_where_no_best_clause_writes_it(assistant) -> None:
    # 修 is written in the answering clause's 修订; 买 in no best clause of a question about buying a car
    assert not assistant.ask("2021年省里要修哪个条例").refused
    assert assistant.ask("买新能源汽车政府给补贴吗？").refused


def test_being_dealt_with_severely_is_an_outcome(assistant) -> None:
    # 依法从重处理 is what happens to those who hide an accident; 瞒着不报 is the notices' 瞒报
    answer = assistant.ask("2012年事故瞒着不报要怎么处理")
    assert "依法从重处理" in answer.lead, answer.lead


def test_asking_which_day_needs_a_clause_that_names_one(assistant) -> None:
    answer = assistant.ask("春节期间烟花爆竹哪天能放？")
    assert answer.refused and "没有写明具体日期" in answer.answer, answer.answer


def test_a_level_word_names_who_acts_where_that_level_has_no_notice_that_year(assistant) -> None:
    # no county notice of 2009: 县里 is who the provincial notice tells to act, not the asker's own county's notice
    answer = assistant.ask("2009年县里每隔多久要向乡镇通报小矿山名单？")
    assert not answer.refused and "每季度" in answer.lead, answer.answer


def test_to_which_departments_a_result_goes_is_no_question_of_who_is_in_charge(assistant) -> None:
    answer = assistant.ask("2012年企业标准化的评价结果报给哪些部门？")
    assert "银行" in answer.lead and "责任单位" not in answer.lead, answer.lead


def test_a_government_that_will_convene_is_the_named_doer(assistant) -> None:
    # 县政府将组织…召开现场警示会 answers who, before the note closing the task (县安委会有关成员单位负责)
    answer = assistant.ask("沁水县出了较大事故谁来组织开现场警示会？")
    assert "县政府将组织" in answer.lead, answer.lead


def test_money_and_how_to_do_it_in_everyday_words(assistant) -> None:
    # 钱 is the notices' 资金; 咋整 asks what to do and names nothing
    answer = assistant.ask("2021年救灾的钱咋整")
    assert not answer.refused and "救灾资金" in answer.lead, answer.answer


def test_a_follow_up_s_own_words_choose_the_sentence(assistant) -> None:
    # the earlier turn's rarer words (攻坚, 重点县) chose the sentence that answered it; the follow-up asks another
    answer = assistant.ask("那道路交通方面重点管哪些车？", ["2015年非煤矿山要在多少个重点县搞攻坚？"])
    assert "道路交通" in answer.lead or "客车" in answer.lead, answer.lead


def test_a_follow_up_naming_its_own_subject_leads_with_it(assistant) -> None:
    # 安全乡村创建 chose the clause; 应急管理 is what the follow-up asks about within it
    answer = assistant.ask("那应急管理这块呢？", ["2013年安全乡村创建要完成啥？"])
    assert answer.citations[0].clause_id == "山西省-2013/七"
    assert "应急" in answer.lead and "安全乡村" not in answer.lead, answer.lead


def test_which_places_asks_for_places_not_the_word_difang(assistant) -> None:
    # 哪些地方 asks where; the notices' 地方 (地方标准体系) is another word
    answer = assistant.ask("2010年区域性应急救援基地建在哪些地方？")
    assert "阳泉" in answer.lead, answer.lead


def test_a_follow_up_asking_for_the_list_gets_the_counted_things(assistant) -> None:
    answer = assistant.ask("都有哪些？", ["2010年省政府有几项安全生产工作制度？"])
    assert "联席会议制度" in answer.lead and answer.lead.count("制度") >= 5, answer.lead


def test_asking_which_people_leads_with_the_people(assistant) -> None:
    answer = assistant.ask("2017年安全生产专题培训班培训哪些人？")
    assert "监管执法人员" in answer.lead, answer.lead


def test_a_bracket_spelling_out_a_name_stays_whole(assistant) -> None:
    # “三个绝不能过高估计”（…，…，…）: cut at its inner commas the lead began inside the bracket
    answer = assistant.ask("2014年三个绝不能过高估计指的是啥？")
    assert "绝不能过高估计全省安全生产形势" in answer.lead, answer.lead


def test_a_follow_up_to_another_city_uses_its_own_notice_year(assistant) -> None:
    # 2024 was 忻州's notice's year; 大同's notice is of 2025, and says so
    answer = assistant.ask("那大同的呢？", ["忻州2024年理论学习多久搞一次？"])
    assert not answer.refused, answer.answer
    assert answer.citations[0].clause_id.startswith("大同市-2025") and "2025" in answer.lead, answer.lead


def test_an_amount_in_yi_is_a_figure_the_notices_do_not_give(assistant) -> None:
    answer = assistant.ask("2021年九大重点工程省里投资多少亿？")
    assert answer.refused and "没有给出这个数字" in answer.answer, answer.answer


def test_a_bare_follow_up_asks_the_earlier_question_of_its_subject(assistant) -> None:
    # 那…的呢？ asks 轮训几次 again, of 企业从业人员: the sentence with their count leads
    answer = assistant.ask("那企业从业人员的呢？", ["2020年安监干部年底前轮训几次？"])
    assert "一次大考核" in answer.lead, answer.lead
    # counted in another unit (五种能力 after 几大体系), the follow-up's own subject still decides
    answer = assistant.ask("那能力呢？", ["2020年应急管理要健全几大体系？"])
    assert "五种能力" in answer.lead, answer.lead


def test_fragments_are_cut_outside_brackets_only() -> None:
    assert split_fragments("按照“三个”（甲，乙）的要求，始终把人放第一。") == [
        "按照“三个”（甲，乙）的要求，",
        "始终把人放第一。",
    ]
    # a bracket a PDF lost the end of: cut at every comma rather than keep the sentence whole
    assert split_fragments("甲（乙，丙，丁。") == ["甲（乙，", "丙，", "丁。"]


def test_a_bare_follow_up_takes_the_earlier_question_s_form() -> None:
    assert asked_form("企业从业人员呢？", ["2020年安监干部年底前要轮训几次？"]) == "2020年安监干部年底前要轮训几次？"
    assert asked_form("那2025年呢？", ["2023年建几座？", "那2024年呢？"]) == "2023年建几座？"
    # a follow-up that asks in words of its own keeps its own form
    assert asked_form("那谁负责呢？", ["2023年建几座？"]) == "那谁负责呢？"


def test_a_short_follow_up_is_counted_in_words_not_cuts(assistant) -> None:
    # 监管部门 is cut as 监管, 部门 and 监管部门: one word, so the follow-up leans on the earlier turn's topic
    answer = assistant.ask("监管部门要干啥？", ["2023年隐患企业要向谁报告？"])
    assert answer.citations[0].clause_id == "山西省-2023/二.八", answer.answer
    assert "挂牌督办" in answer.lead, answer.lead


def test_a_follow_up_about_what_the_notices_never_name_is_refused(assistant) -> None:
    # the earlier turn's words (值班制度) match a clause; the follow-up's own (加班费) are in no notice
    answer = assistant.ask("值班能领加班费不？", ["2023年领导干部要执行啥值班制度？"])
    assert answer.refused, answer.answer
    # the same follow-up about what the clause does say is answered
    answer = assistant.ask("值班要几个小时？", ["2023年领导干部要执行啥值班制度？"])
    assert not answer.refused and "24" in answer.lead, answer.answer


def test_who_reimburses_asks_who_pays() -> None:
    assert asks_payer("培训费谁报销？") and asks_payer("这笔费用谁给报")
    assert not asks_payer("谁负责报送隐患信息？")


def test_asking_for_another_item_names_no_topic(assistant) -> None:
    # 另外 / 还得 ask for one more of the kind; weighed as words (还有 is in no notice) they refused the question
    answer = assistant.ask("另外还得出台啥规章？", ["2021年省里准备修订哪个条例？"])
    assert not answer.refused and "政府规章" in answer.lead, answer.answer


def test_a_follow_up_for_another_kind_of_item_finds_the_clause_naming_it(assistant) -> None:
    # no clause names both the earlier 举报奖励 and the follow-up's 竞赛: the one naming 竞赛 answers
    answer = assistant.ask("还搞啥竞赛？", ["2026年隐患举报有奖励吗？"])
    assert not answer.refused and "安康杯" in answer.lead, answer.answer


def test_a_size_needs_a_figure_in_metres(assistant) -> None:
    # 多大尺寸 asks a size: a clause about the 责任牌 that states none does not answer it (it led with 创建百家…)
    answer = assistant.ask("牌子要做多大尺寸？", ["2017年企业安全责任牌挂哪里？"])
    assert answer.refused and "没有给出这个数字" in answer.answer, answer.answer
    answer = assistant.ask("2023年农村公路路堤多高的险要路段要装护栏？")
    assert not answer.refused and "30米" in answer.lead, answer.answer


def test_who_holds_a_duty_is_read_from_the_verb_the_question_names(assistant) -> None:
    # no note names units, but 分管 stands in the sentence with who does it: not "没有写明责任单位"
    answer = assistant.ask("2019年市县两级政府安全生产归谁分管？")
    assert not answer.refused and "常务副职分管" in answer.lead, answer.answer
    assert "没有写明" not in answer.lead


def test_a_fragment_that_only_frames_the_requirement_gives_way_to_it(assistant) -> None:
    # 按照“一厂出事故、万厂受教育…”的要求， says only what the requirement follows; the requirement is after it
    answer = assistant.ask("2015年国内外发生的典型事故各级要怎么对待？")
    assert not answer.refused and "警示教育内容" in answer.lead, answer.answer
    # asked for the frame itself (按啥原则), the frame is the answer
    answer = assistant.ask("2025年省里事故调查处理按啥原则？")
    assert not answer.refused and "四不放过" in answer.lead, answer.answer


def test_fragments_opening_alike_are_one_statement(assistant) -> None:
    answer = assistant.ask("2013年文件里的“三个绝不能过高估计”指的是啥？")
    assert not answer.refused, answer.answer
    for part in ("安全生产形势", "重要性的认识", "能力和水平"):
        assert part in answer.lead, answer.answer


def test_the_verb_after_how_is_the_asked_action(assistant) -> None:
    # 咋处置: the fragment where 处置 stands says how, not the one naming the six kinds of mine
    answer = assistant.ask("2019年高风险煤矿做完安全体检后咋处置？")
    assert not answer.refused and "限产或限人" in answer.lead, answer.answer


def test_a_reward_is_the_outcome_of_reporting_but_not_of_a_breach(assistant) -> None:
    answer = assistant.ask("2026年群众举报的隐患核查属实会怎样？")
    assert not answer.refused and "予以奖励" in answer.lead, answer.answer
    # a company found with a major hazard: a reward scheme is no outcome of that
    answer = assistant.ask("大同企业被查出重大事故隐患，企业负责人会咋样？")
    assert "奖励" not in answer.lead, answer.answer


def test_urban_waterlogging_is_the_notices_flood_prevention(assistant) -> None:
    answer = assistant.ask("2024年省里对城市内涝点要怎么监控？")
    assert not answer.refused and "易涝点" in answer.lead, answer.answer


def test_a_requirement_opening_with_its_modal_keeps_its_object(assistant) -> None:
    answer = assistant.ask("朔州2026年建筑工地检查出来的隐患要咋整改？")
    assert not answer.refused and "对检查发现的隐患，要盯紧不放" in answer.lead, answer.answer


def test_how_many_colours_is_read_as_the_notices_count_of_colours(assistant) -> None:
    # 几种颜色 asks a figure the notices write as 四色: not "没有给出这个数字"
    answer = assistant.ask("2019年省里风险电子分布图用几种颜色区分？")
    assert not answer.refused and "四色" in answer.lead, answer.answer


def test_which_things_for_a_purpose_leads_with_the_list_of_them(assistant) -> None:
    answer = assistant.ask("2022年要开展哪些活动来培育安全文化？")
    assert not answer.refused and "等活动" in answer.lead, answer.answer
    # one character asked (哪些标) is the kind of a list whose items end in it
    answer = assistant.ask("2011年标准化建设要求企业达到哪些标？")
    assert not answer.refused and "岗位达标" in answer.lead, answer.answer


def test_what_the_question_sets_aside_does_not_choose_the_lead(assistant) -> None:
    answer = assistant.ask("除了安康杯竞赛以外，沁水县还要做好哪些工作？")
    assert not answer.refused and "典型经验总结" in answer.lead, answer.answer


def test_a_long_list_of_departments_names_who_acts(assistant) -> None:
    answer = assistant.ask("2016年及时发布预警信息是哪些部门的事？")
    assert not answer.refused and "气象等部门" in answer.lead, answer.answer


def test_regarded_as_is_the_notices_zuowei(assistant) -> None:
    answer = assistant.ask("2015年领导干部应该把安全生产看作什么？")
    assert not answer.refused and "最基本的民生" in answer.lead, answer.answer


def test_a_few_in_a_yes_no_question_asks_no_figure(assistant) -> None:
    # 能少几次吗: 几 is "a few" here; the answer is whether, not a count the notice never gives
    answer = assistant.ask("2019年对基础条件好的企业，执法检查能少几次吗？")
    assert not answer.refused and "减少执法检查频次" in answer.lead, answer.answer
    # a real count question is still one
    answer = assistant.ask("2023年各级政府一年至少组织几次综合性演练？")
    assert not answer.refused and "一次" in answer.lead, answer.answer


def test_from_whom_to_whom_is_answered_by_the_range_the_notice_writes(assistant) -> None:
    answer = assistant.ask("2022年安全生产责任清单是从谁到谁？")
    assert not answer.refused and "从主要负责人到一线从业人员" in answer.lead, answer.answer


def test_a_next_clause_leads_when_its_sentence_matches_all_the_first_does_and_more(assistant) -> None:
    # the best clause's best sentence names 领导班子…考核述职内容; the next clause's names 领导干部培训内容
    answer = assistant.ask("忻州的领导干部培训里要纳入什么？")
    assert not answer.refused and "领导干部培训内容" in answer.lead, answer.answer
    # a sentence of a clause retrieved far lower, matching 三零 besides, does not displace the answer
    answer = assistant.ask("2021年三零单位创建是以啥为抓手？")
    assert not answer.refused and "零事故" in answer.lead, answer.answer


def test_everyday_words_for_fuel_and_forest_edges(assistant) -> None:
    answer = assistant.ask("2024年林边的杂草要清理吗？")
    assert not answer.refused and "林缘部位可燃物" in answer.lead, answer.answer
    answer = assistant.ask("2024年自建房改成经营用的要啥证明？")
    assert not answer.refused and "房屋安全鉴定合格证明" in answer.lead, answer.answer


def test_whose_job_and_nobody_in_charge_in_cadres_words(assistant) -> None:
    # 是哪些部门的活: 活 is the job, not a word the notices lack; 没人管 is the notices' 监管盲区
    answer = assistant.ask("2025年省里安全工程治理是哪些部门的活？")
    assert not answer.refused and "省住建厅" in answer.lead, answer.answer
    answer = assistant.ask("2021年职责交叉的领域咋防止没人管？")
    assert not answer.refused and "监管盲区" in answer.lead, answer.answer


def test_what_comes_first_and_what_one_suffers_in_cadres_words(assistant) -> None:
    # 最要紧 is the notices' 重中之重; 会受啥处理 asks the consequence, which the lead quotes
    answer = assistant.ask("2013年全省安全工作最要紧的是哪一块？")
    assert not answer.refused and "重中之重" in answer.lead, answer.answer
    answer = assistant.ask("2018年部门负责人不履行监管职责会受啥处理？")
    assert not answer.refused and "党纪政纪处分" in answer.lead, answer.answer


def test_wages_are_an_amount_unless_asked_whether_tied_to_safety(assistant) -> None:
    answer = assistant.ask("2018年安全生产跟工资挂钩吗？")
    assert not answer.refused and "与工资收入挂钩" in answer.lead, answer.answer
    assert assistant.ask("村干部的工资由谁发？").refused


def test_by_which_document_asks_the_basis_a_clause_names(assistant) -> None:
    answer = assistant.ask("2020年应急管理体制机制建设按哪个文件分工？")
    assert not answer.refused and "晋应急总指发〔2019〕1号" in answer.lead, answer.answer


def test_trips_are_times_and_a_meeting_is_where_things_are_shown(assistant) -> None:
    answer = assistant.ask("2023年省里要求市县领导一个月最少去基层几趟？")
    assert not answer.refused and "每月至少深入一线调研指导一次" in answer.lead, answer.answer
    answer = assistant.ask("2026年督查时拍的隐患视频要在哪放？")
    assert not answer.refused and "安委会会议" in answer.lead, answer.answer
