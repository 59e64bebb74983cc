"""Gradio interface. For now the notice library (文件库): notices, their metadata and their clause trees.

Text from notices is shown through Dataframe/Textbox components, which render it as text, never as HTML.
"""

from __future__ import annotations

from index.store import Corpus


def library_rows(corpus: Corpus) -> list[list[object]]:
    counts: dict[str, int] = {}
    for clause in corpus.clauses:
        counts[clause.notice_id] = counts.get(clause.notice_id, 0) + 1
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


def clause_tree(corpus: Corpus, notice_id: str) -> str:
    """A notice as an indented outline of its clauses: number, heading, responsible units."""
    if not notice_id:
        return ""
    lines = []
    for clause in corpus.clauses_of(notice_id):
        indent = "    " * max(clause.depth - 1, 0)
        units = "；".join(unit.units for unit in clause.units)
        lines.append(
            f"{indent}{clause.path[-1] if clause.path else '导语'} {clause.heading}"
            + (f"  〔责任单位：{units}〕" if units else "")
        )
    return "\n".join(lines)


def build_ui(corpus: Corpus):
    import gradio as gr

    headers = ["编号", "发文机关", "层级", "年度", "文号", "标题", "日期", "条款数", "来源文件"]
    with gr.Blocks(title="安全生产工作通知助手", analytics_enabled=False) as demo:
        gr.Markdown("## 安全生产工作通知助手 · 文件库")
        with gr.Tab("文件库"):
            gr.Dataframe(value=library_rows(corpus), headers=headers, interactive=False, wrap=True)
            choice = gr.Dropdown(choices=[n.notice_id for n in corpus.notices], label="查看通知的条款结构")
            tree = gr.Textbox(label="条款结构", lines=20, interactive=False)
            choice.change(lambda notice_id: clause_tree(corpus, notice_id), inputs=choice, outputs=tree)
    return demo
