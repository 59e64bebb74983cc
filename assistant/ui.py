"""The Gradio interface: 问答, 出题, 评测, 文件库.

The app works on a *library* folder (outside git), seeded from the bundled notices on
first start: uploads and deletions change the library, never the bundled corpus.
Text from notices and questions is always HTML-escaped or shown as plain text, so
nothing a document says runs in the page. Conversation state is per browser
session (`gr.State`); requests queue.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from assistant.core import InputError
from assistant.diff import DIFF_COLUMNS
from assistant.ledger import LEDGER_COLUMNS
from assistant.library import ACTION_LABELS, Library
from assistant.quiz import DIFFICULTY_LABELS, TYPE_LABELS
from assistant.scope import Filters
from assistant.types import Answer
from index.normalize import normalize
from index.read import SUPPORTED_SUFFIXES, ReadError
from index.records import Level
from index.store import Corpus

ALL = "全部"
EXAMPLES = [
    "朔州今年要再建几座智能化煤矿？",
    "楼道里给电瓶车充电，大同怎么管？",
    "忻州森林草原火灾防治是哪个部门牵头？",
    "2024年和2025年省里对智能化煤矿的要求有什么变化？",
    "2009年企业发生事故后多长时间内必须报告？",
]
_CARD_STYLE = """
<style>
.cards{display:flex;flex-direction:column;gap:10px}
.card{border:1px solid #d0d7de;border-radius:8px;padding:10px 12px;background:#fbfcfd}
.card .meta{font-size:13px;color:#444;margin-bottom:6px}
.card .quote{font-size:15px;line-height:1.6}
.card mark{background:#fff3a3;padding:0 1px}
.card details{margin-top:6px;font-size:13px;line-height:1.6}
</style>
"""


def library_rows(corpus: Corpus) -> list[list[object]]:
    counts = corpus.clause_counts()
    return [
        [
            n.notice_id,
            n.issuer,
            n.level.value,
            n.year,
            n.doc_number or "（无文号）",
            n.display_title,
            n.date or "",
            counts.get(n.notice_id, 0),
            n.source,
        ]
        for n in corpus.notices
    ]


def clause_tree(corpus: Corpus, notice_id: str | None) -> str:
    """A notice as an indented outline: number, heading, responsible units."""
    if not notice_id or notice_id not in {n.notice_id for n in corpus.notices}:
        return ""
    lines = []
    for clause in corpus.clauses_of(notice_id):
        indent = "    " * max(clause.depth - 1, 0)
        units = "；".join(unit.units for unit in clause.units)
        label = f"{clause.path[-1]} {clause.heading}" if clause.path else "导语"
        lines.append(f"{indent}{label}" + (f"  〔责任单位：{units}〕" if units else ""))
    return "\n".join(lines)


def _highlighted(clause_text: str, quote: str) -> str:
    """The clause, escaped, with the quote marked (found verbatim, or through the normalization)."""
    start = clause_text.find(quote)
    if start < 0:
        start, end = _locate(clause_text, quote)
    else:
        end = start + len(quote)
    if start < 0:
        return html.escape(clause_text)
    return (
        html.escape(clause_text[:start])
        + "<mark>"
        + html.escape(clause_text[start:end])
        + "</mark>"
        + html.escape(clause_text[end:])
    )


def _locate(text: str, quote: str) -> tuple[int, int]:
    """Raw character span of `quote` in `text` where they match only after normalization."""
    target = normalize(quote)
    mapping = [(i, normalize(ch)) for i, ch in enumerate(text)]
    flat = "".join(part for _, part in mapping)
    position = flat.find(target) if target else -1
    if position < 0:
        return -1, -1
    consumed, start, end = 0, -1, -1
    for index, part in mapping:
        if start < 0 and consumed + len(part) > position:
            start = index
        consumed += len(part)
        if consumed >= position + len(target):
            end = index + 1
            break
    return start, end


def citation_cards(answer: Answer | None) -> str:
    if answer is None or not answer.citations:
        return ""
    cards = []
    for c in answer.citations:
        meta = f"[{c.number}] {c.issuer} · {c.year}年 · {c.doc_number or '无文号'} · {c.path}"
        cards.append(
            f'<div class="card"><div class="meta"><b>{html.escape(c.title)}</b><br>{html.escape(meta)}</div>'
            f'<div class="quote">“{html.escape(c.quote)}”</div>'
            f"<details><summary>查看条款全文</summary>{_highlighted(c.clause_text, c.quote)}</details></div>"
        )
    return _CARD_STYLE + '<div class="cards">' + "".join(cards) + "</div>"


def _filters(issuer: str | None, level: str | None, year: str | None) -> Filters | None:
    def chosen(value: str | None) -> str | None:
        return None if not value or value == ALL else value

    year_value = chosen(year)
    return Filters.of(chosen(issuer), int(year_value) if year_value else None, chosen(level))


def build_ui(library: Library):
    import gradio as gr

    def corpus() -> Corpus:
        return library.corpus

    def choices():
        c = corpus()
        return (
            [ALL, *sorted({n.issuer for n in c.notices})],
            [ALL, *[level.value for level in Level]],
            [ALL, *[str(y) for y in sorted({n.year for n in c.notices}, reverse=True)]],
        )

    def startup_state():
        """The start-up banner while the search index is built, and whether to keep polling."""
        building = not library.ready and library.failure is None
        text = "" if library.ready else f"{'⏳' if building else '⚠'} {library.waiting_message()}"
        return gr.update(value=text, visible=not library.ready), gr.Timer(active=building)

    def respond(message, chat, turns, issuer, level, year) -> Iterator:
        chat = list(chat or [])
        turns = list(turns or [])
        # the chatbot renders HTML: every text it shows is escaped first, so it is displayed, never run
        chat.append({"role": "user", "content": html.escape(message or "")})
        if not library.ready:
            chat.append({"role": "assistant", "content": html.escape(f"⏳ {library.waiting_message()}")})
            yield chat, turns, "", "", gr.skip()
            return
        try:
            answer = library.assistant.ask(message, history=turns, filters=_filters(issuer, level, year))
        except InputError as error:
            chat.append({"role": "assistant", "content": html.escape(f"⚠ {error}")})
            yield chat, turns, "", "", ""
            return
        turns.append(message)
        chat.append({"role": "assistant", "content": ""})
        text = answer.answer
        step = max(len(text) // 8, 12)
        for end in range(step, len(text) + step, step):  # stream the verified answer in pieces
            chat[-1] = {"role": "assistant", "content": html.escape(text[:end])}
            yield chat, turns, gr.skip(), gr.skip(), ""
        yield chat, turns, citation_cards(answer), text, ""

    def ask_api(question: str) -> str:
        """One question, no history: the answer as the CLI's JSON."""
        if not library.ready:
            return json.dumps({"question": question, "error": library.waiting_message()}, ensure_ascii=False)
        try:
            return json.dumps(library.assistant.ask(question).to_dict(), ensure_ascii=False)
        except InputError as error:
            return json.dumps({"question": question, "error": str(error)}, ensure_ascii=False)

    def make_quiz(notices, sections, topic, count, types, difficulty, seed):
        from assistant.export import answer_text, paper_order, to_json, write_docx, write_xlsx
        from assistant.quiz import Difficulty, QuizError, QuizMaker, QuizType, shortfall_note

        if not library.ready:
            return f"⚠ {library.waiting_message()}", [], None
        try:
            items = QuizMaker(corpus(), library.assistant.retriever).make(
                count=int(count),
                types=[QuizType(t) for t in types or []],
                notices=notices or [],
                sections=[s.strip() for s in re.split(r"[,，\s]+", sections or "") if s.strip()],
                topic=(topic or "").strip() or None,
                difficulty=Difficulty(difficulty),
                seed=int(seed or 1),
            )
        except QuizError as error:
            return f"⚠ {error}", [], None
        folder = Path(tempfile.mkdtemp(prefix="quiz-"))
        paper = folder / "安全生产测试试卷.docx"
        key = write_docx(items, paper)
        write_xlsx(items, folder / "安全生产题库.xlsx")
        (folder / "安全生产测试.json").write_text(to_json(items), encoding="utf-8")
        rows = [
            [
                n,
                TYPE_LABELS[i.type],
                i.stem,
                "\n".join(f"{k}. {v}" for k, v in (i.options or {}).items()),
                answer_text(i),
                f"{i.notice.issuer}{i.notice.year}年 {i.path}",
                i.quote,
            ]
            for n, i in enumerate(paper_order(items), 1)
        ]
        files = [str(paper), str(key), str(folder / "安全生产题库.xlsx"), str(folder / "安全生产测试.json")]
        note = shortfall_note(int(count), len(items))
        return f"已生成 {len(items)} 题，共 {sum(i.marks for i in items)} 分。{note}", rows, files

    def make_ledger(unit, notice_id, level):
        from assistant.ledger import LedgerError, ledger, ledger_table, level_from, write_ledger_xlsx

        try:
            rows = ledger(
                corpus(),
                (unit or "").strip() or None,
                None if notice_id in (None, ALL) else notice_id,
                None if level in (None, ALL) else level_from(level),
            )
        except LedgerError as error:
            return f"⚠ {error}", [], None
        if not rows:
            return "没有找到该单位的任务。可以换一种写法（如 应急管理局、市应急局），或不限通知、层级再试。", [], None
        path = Path(tempfile.mkdtemp(prefix="ledger-")) / "任务台账.xlsx"
        write_ledger_xlsx(rows, path)
        dated = sum(row.deadline is not None for row in rows)
        return f"共 {len(rows)} 项任务，其中 {dated} 项写明了完成日期（按时限排序）。", ledger_table(rows), str(path)

    def compare(before_id, after_id):
        from assistant.diff import DiffError, diff, side_by_side

        if not before_id or not after_id:
            return "请选择两份通知。", []
        try:
            result = diff(corpus(), before_id, after_id)
        except DiffError as error:
            return f"⚠ {error}", []
        return result.summary(), side_by_side(result)

    def carry_down(lower_id):
        from assistant.align import AlignError, align, alignment_rows

        if not lower_id:
            return "请选择下级通知。", []
        try:
            result = align(corpus(), lower_id)
        except AlignError as error:
            return f"⚠ {error}", []
        sections = "；".join(f"{name} 承接 {c} / 未提及 {n}" for name, c, n in result.sections())
        return f"{result.summary()}。按上级章节：{sections}", alignment_rows(result)

    def run_eval(progress=gr.Progress()):  # noqa: B008 (Gradio injects progress through the default)
        from eval.cli import DEFAULT_SET
        from eval.report import kind_label, markdown_comparison, markdown_summary, verdict_text, write_html
        from eval.run import missing_notices, run_suite
        from eval.schema import load_set

        if not library.ready:
            raise gr.Error(library.waiting_message())
        items = load_set(DEFAULT_SET)
        progress(0, desc="评测中")
        report = run_suite(
            library.assistant, items, progress=lambda done, total: progress(done / total, desc=f"评测 {done}/{total}")
        )
        folder = Path(tempfile.mkdtemp(prefix="eval-"))
        path = folder / "评测报告.html"
        write_html(report, path)
        failing = [
            [r["id"], kind_label(r["kind"]), r["question"], (r["answer"] or "")[:120], verdict_text(r["verdicts"])]
            for r in report.records
            if r["failed"]
        ]
        status = "全部达标" if not report.failures else "未达标：" + "；".join(report.failures)
        missing = missing_notices(items, corpus())
        if missing:
            named = "、".join(f"{notice}（{count} 题）" for notice, count in missing.items())
            status += (
                f"\n\n⚠ 评测集用到的通知不在当前文件库中：{named}。这些题因文件库缺少原文而记为未通过，"
                "并非助手答错；恢复这些通知后再评测。"
            )
        # the previous run of this library, to say what got better or worse
        last = library.folder / ".eval-summary.json"
        try:
            comparison = "\n\n" + markdown_comparison(json.loads(last.read_text(encoding="utf-8")), report.summary)
        except (OSError, ValueError):
            comparison = "\n\n（首次评测，下次评测时将与本次比较各项指标。）"
        with contextlib.suppress(OSError):
            last.write_text(json.dumps(report.summary, ensure_ascii=False), encoding="utf-8")
        return markdown_summary(report) + f"\n\n**{status}**" + comparison, failing, str(path)

    def who(request: gr.Request | None) -> str:
        client = getattr(request, "client", None)
        return f"网页 {getattr(client, 'host', '')}".strip()

    def change_rows() -> list[list[str]]:
        return [
            [c.time.replace("T", " "), c.who, ACTION_LABELS.get(c.action, c.action), c.file, "、".join(c.notices)]
            for c in reversed(library.changes())
        ]

    def after_change(message: str):
        issuer_choices, _, year_choices = choices()
        return (
            message,
            library_rows(corpus()),
            gr.update(choices=[n.notice_id for n in corpus().notices], value=None),
            change_rows(),
            gr.update(choices=issuer_choices),
            gr.update(choices=year_choices),
        )

    def library_action(action, request, progress):
        try:
            message = action(progress=lambda m: progress(0.5, desc="更新索引"), who=who(request))
        except (ReadError, ValueError, OSError) as error:
            message = f"⚠ {error}"
        return after_change(message)

    def undo(request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return library_action(library.undo, request, progress)

    def restore(request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return library_action(library.restore_bundled, request, progress)

    def upload(file, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        if file is None:
            return "⚠ 请先选择文件", library_rows(corpus()), gr.skip(), None, gr.skip(), gr.skip()
        path = Path(file if isinstance(file, str) else file.name)
        name = getattr(file, "orig_name", None) or path.name
        try:
            progress(0.1, desc="读取与解析")
            message = library.add(
                name, path.read_bytes(), progress=lambda m: progress(0.5, desc="更新索引"), who=who(request)
            )
        except (ReadError, ValueError, OSError) as error:
            return f"⚠ {error}（文件库未改动）", library_rows(corpus()), gr.skip(), None, gr.skip(), gr.skip()
        issuer_choices, _, year_choices = choices()
        return (
            message,
            library_rows(corpus()),
            gr.update(choices=[n.notice_id for n in corpus().notices]),
            None,
            gr.update(choices=issuer_choices),
            gr.update(choices=year_choices),
        )

    def delete(notice_id, confirmed, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        # one click must never delete: a notice is chosen (nothing is preselected) and the deletion confirmed
        if not notice_id:
            return "⚠ 请先在上面选择要删除的通知", library_rows(corpus()), gr.skip(), gr.skip()
        if not confirmed:
            return "⚠ 请先勾选“确认删除”，再点删除", library_rows(corpus()), gr.skip(), gr.skip()
        try:
            message = library.remove(notice_id, progress=lambda m: progress(0.5, desc="更新索引"), who=who(request))
        except (ReadError, ValueError, OSError) as error:
            return f"⚠ {error}", library_rows(corpus()), gr.skip(), gr.update(value=False)
        choices = gr.update(choices=[n.notice_id for n in corpus().notices], value=None)
        return message, library_rows(corpus()), choices, gr.update(value=False, label="确认删除所选通知")

    def confirm_label(notice_id):
        if not notice_id or notice_id not in {n.notice_id for n in corpus().notices}:
            return gr.update(value=False, label="确认删除所选通知")
        count = corpus().clause_counts().get(notice_id, 0)
        return gr.update(value=False, label=f"确认删除 {notice_id}（{count} 个条款；删除后只能重新上传恢复）")

    issuers, levels, years = choices()
    with gr.Blocks(title="安全生产工作通知助手", analytics_enabled=False) as demo:
        gr.Markdown("## 安全生产工作通知助手\n回答均摘自通知原文，并注明通知、文号和条款。")
        # first start: the page is up while the search index is built; this says how far it has got
        startup = gr.Markdown(f"⏳ {library.waiting_message()}", visible=not library.ready, elem_id="startup")
        startup_timer = gr.Timer(1.0, active=not library.ready)
        startup_timer.tick(startup_state, outputs=[startup, startup_timer])
        with gr.Tab("问答"):
            turns = gr.State([])
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(label="对话", height=420, render_markdown=False, buttons=["copy"], elem_id="chat")
                    question = gr.Textbox(
                        label="问题", placeholder="例如：朔州今年要再建几座智能化煤矿？", elem_id="question"
                    )
                    with gr.Row():
                        send = gr.Button("提问", variant="primary", elem_id="send")
                        clear = gr.Button("新对话")
                # on a phone the columns stack: the citation cards come right after the answer, before examples
                with gr.Column(scale=2):
                    cards = gr.HTML(label="引文出处", elem_id="cards")
                    copy_text = gr.Textbox(label="复制回答（含出处）", lines=6, buttons=["copy"], interactive=False)
            with gr.Row():
                issuer = gr.Dropdown(issuers, value=ALL, label="发文机关")
                level = gr.Dropdown(levels, value=ALL, label="层级")
                year = gr.Dropdown(years, value=ALL, label="年度")
            gr.Examples(EXAMPLES, inputs=question, label="示例问题")
            inputs = [question, chat, turns, issuer, level, year]
            outputs = [chat, turns, cards, copy_text, question]
            send.click(respond, inputs, outputs)
            question.submit(respond, inputs, outputs)
            clear.click(lambda: ([], [], "", ""), None, [chat, turns, cards, copy_text])
        with gr.Tab("出题"):
            notice_ids = [n.notice_id for n in corpus().notices]
            with gr.Row():
                quiz_notices = gr.Dropdown(notice_ids, multiselect=True, label="通知（不选为全部）")
                quiz_sections = gr.Textbox(label="条款（编号前缀，逗号分隔，如 朔州市-2026/三）")
                quiz_topic = gr.Textbox(label="主题（如 燃气、消防）", elem_id="quiz-topic")
            with gr.Row():
                quiz_count = gr.Slider(1, 100, value=10, step=1, label="题数")
                quiz_types = gr.CheckboxGroup(
                    [(label, quiz_type.value) for quiz_type, label in TYPE_LABELS.items()],
                    value=[quiz_type.value for quiz_type in TYPE_LABELS],
                    label="题型",
                    elem_id="quiz-types",
                )
                quiz_difficulty = gr.Radio(
                    [(label, level.value) for level, label in DIFFICULTY_LABELS.items()], value="medium", label="难度"
                )
                quiz_seed = gr.Number(value=1, precision=0, label="随机种子")
            quiz_button = gr.Button("生成试题", variant="primary", elem_id="make-quiz")
            quiz_status = gr.Markdown(elem_id="quiz-status")
            quiz_table = gr.Dataframe(
                headers=["序号", "题型", "题干", "选项", "答案", "出处", "原文"],
                wrap=True,
                interactive=False,
                elem_id="quiz-table",
            )
            quiz_files = gr.File(label="下载（试卷、答案、题库、JSON）", file_count="multiple")
            quiz_button.click(
                make_quiz,
                [quiz_notices, quiz_sections, quiz_topic, quiz_count, quiz_types, quiz_difficulty, quiz_seed],
                [quiz_status, quiz_table, quiz_files],
            )
        with gr.Tab("台账与对比"):
            gr.Markdown("**任务台账**：某单位（或某层级）在通知中要做的工作、完成时限和指标，逐条附通知原文。")
            with gr.Row():
                ledger_unit = gr.Textbox(
                    label="责任单位（如 应急管理局、市应急局、广灵县人民政府）", elem_id="ledger-unit"
                )
                ledger_notice = gr.Dropdown([ALL, *notice_ids], value=ALL, label="通知")
                ledger_level = gr.Dropdown([ALL, *[level.value for level in Level]], value=ALL, label="单位层级")
            ledger_button = gr.Button("生成台账", variant="primary", elem_id="make-ledger")
            ledger_status = gr.Markdown(elem_id="ledger-status")
            ledger_rows = gr.Dataframe(
                headers=list(LEDGER_COLUMNS),
                wrap=True,
                interactive=False,
                elem_id="ledger",
                column_widths=["5%", "40%", "14%", "6%", "9%", "8%", "6%", "6%", "6%"],
            )
            ledger_file = gr.File(label="下载 Excel 台账")
            ledger_button.click(
                make_ledger, [ledger_unit, ledger_notice, ledger_level], [ledger_status, ledger_rows, ledger_file]
            )
            gr.Markdown("**两份通知对比**：新增、删去、调整（数字、时限变化）的要求，左右对照。")
            with gr.Row():
                diff_before = gr.Dropdown(notice_ids, value=None, label="原通知（如去年的）", elem_id="diff-before")
                diff_after = gr.Dropdown(notice_ids, value=None, label="新通知（如今年的）", elem_id="diff-after")
            diff_button = gr.Button("对比", elem_id="make-diff")
            diff_status = gr.Markdown(elem_id="diff-status")
            diff_rows = gr.Dataframe(
                headers=list(DIFF_COLUMNS),
                wrap=True,
                interactive=False,
                elem_id="diff",
                column_widths=["6%", "8%", "35%", "8%", "35%", "8%"],
            )
            diff_button.click(compare, [diff_before, diff_after], [diff_status, diff_rows])
            gr.Markdown("**上下级对照**：下级通知承接了上级（同年或上一年省、市）通知的哪些要求，未提及哪些。")
            with gr.Row():
                align_lower = gr.Dropdown(notice_ids, value=None, label="下级通知", elem_id="align-lower")
                align_button = gr.Button("对照", elem_id="make-align")
            align_status = gr.Markdown(elem_id="align-status")
            align_rows = gr.Dataframe(
                headers=["类别", "上级条款", "上级原文", "下级条款", "下级原文"],
                wrap=True,
                interactive=False,
                elem_id="align",
                column_widths=["8%", "8%", "38%", "8%", "38%"],
            )
            align_button.click(carry_down, align_lower, [align_status, align_rows])
        with gr.Tab("评测"):
            eval_button = gr.Button("运行评测（约半分钟）", variant="primary", elem_id="run-eval")
            eval_summary = gr.Markdown(elem_id="eval-summary")
            eval_failing = gr.Dataframe(
                headers=["编号", "类别", "问题", "回答", "判定"], wrap=True, interactive=False, label="未通过的问题"
            )
            eval_report = gr.File(label="下载报告")
            eval_button.click(run_eval, None, [eval_summary, eval_failing, eval_report])
        with gr.Tab("文件库"):
            table = gr.Dataframe(
                value=library_rows(corpus()),
                headers=["编号", "发文机关", "层级", "年度", "文号", "标题", "日期", "条款数", "来源文件"],
                wrap=True,
                interactive=False,
                elem_id="library-table",
            )
            with gr.Row():
                pick = gr.Dropdown(notice_ids, value=None, label="通知", elem_id="pick-notice")
                confirm = gr.Checkbox(value=False, label="确认删除所选通知", elem_id="confirm-delete")
                remove = gr.Button("删除该通知", variant="stop")
            tree = gr.Textbox(label="条款结构", lines=16, interactive=False)
            pick.change(lambda n: clause_tree(corpus(), n), pick, tree)
            pick.change(confirm_label, pick, confirm)
            upload_file = gr.File(
                label="上传通知（.txt / .docx / .pdf / 网页 .html）",
                file_types=list(SUPPORTED_SUFFIXES),
                elem_id="upload",
            )
            upload_button = gr.Button("上传并建立索引", elem_id="upload-button")
            library_status = gr.Markdown(elem_id="library-status")
            with gr.Row():
                undo_button = gr.Button("撤销上一次更改", elem_id="undo")
                restore_button = gr.Button("恢复自带通知", elem_id="restore")
            changes = gr.Dataframe(
                value=change_rows(),
                headers=["时间", "操作者", "操作", "文件", "通知"],
                wrap=True,
                interactive=False,
                label="更改记录",
                elem_id="changes",
            )
            upload_button.click(upload, upload_file, [library_status, table, pick, upload_file, issuer, year]).then(
                change_rows, None, changes
            )
            remove.click(delete, [pick, confirm], [library_status, table, pick, confirm]).then(
                change_rows, None, changes
            )
            undo_button.click(undo, None, [library_status, table, pick, changes, issuer, year])
            restore_button.click(restore, None, [library_status, table, pick, changes, issuer, year])
        gr.api(ask_api, api_name="ask")
    return demo
