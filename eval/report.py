"""The HTML report: summary against thresholds, charts, baselines, and every question, failures first.

All text from questions, answers and notices is HTML-escaped: the report never runs what a document says.
"""

from __future__ import annotations

import base64
import functools
import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.run import THRESHOLDS, Report

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;font-size:14px}
th{background:#f3f3f3}.fail{background:#fde8e8}.pass{background:#e8f6e8}.small{color:#666;font-size:12px}
pre{white-space:pre-wrap;margin:0;font-family:inherit}
"""

SUMMARY_ROWS = [
    ("recall@1", "首条即标准条款（Recall@1）"),
    ("recall@5", "前5条含标准条款（Recall@5）"),
    ("recall@10", "前10条含标准条款（Recall@10）"),
    ("mrr", "标准条款平均排位得分（MRR）"),
    ("ndcg@10", "前10条排序质量（nDCG@10）"),
    ("citation_validity", "引用有效率"),
    ("quote_verbatim", "引文原文一致率"),
    ("gold_cited", "引用含标准条款"),
    ("citation_precision", "引用精确率"),
    ("citation_recall", "引用召回率"),
    ("key_facts", "关键事实覆盖率"),
    ("refusal_precision", "拒答精确率"),
    ("refusal_recall", "拒答召回率"),
    ("false_refusal_rate", "误拒率"),
    ("crag", "综合得分：对+1、拒答0、错−1（CRAG）"),
    ("quiz_items", "出题数"),
    ("quiz_sound", "试题答案有据率"),
    ("quiz_distractors_wrong", "干扰项均错率"),
    ("quiz_unique_stems", "题干不重复率"),
    ("quiz_clauses_unique", "条款不重复率"),
    ("quiz_no_item_reveals_another", "无互相泄露答案率"),
    ("quiz_multi_key_sizes", "多选题答案个数种类"),
    ("quiz_distractors_same_category", "干扰项同类率"),
    ("quiz_false_single_change", "错误陈述单处改动率"),
    ("quiz_written_points_cover", "简答/案例得分要点覆盖率"),
    ("quiz_newest_share", "近三年通知题目占比"),
    ("ledger_precision", "任务台账精确率"),
    ("ledger_recall", "任务台账召回率"),
    ("ledger_role_accuracy", "台账角色（牵头/负责/配合）正确率"),
    ("ledger_deadline_accuracy", "台账完成时限正确率"),
    ("ledger_quote_verbatim", "台账原文一致率"),
    ("pairs_related_precision", "要求匹配精确率（同一要求）"),
    ("pairs_related_recall", "要求匹配召回率（同一要求）"),
    ("pairs_changed_precision", "调整识别精确率（数字、时限变化）"),
    ("pairs_changed_recall", "调整识别召回率（数字、时限变化）"),
    ("latency_p50_ms", "时延 p50 (ms)"),
    ("latency_p95_ms", "时延 p95 (ms)"),
]


# question kinds of the sets, as an evaluator reads them
KIND_LABELS = {
    "scoped_fact": "限定通知的事实",
    "paraphrase": "换个说法",
    "colloquial": "口语提问",
    "colloquial_followup": "口语追问",
    "followup": "追问",
    "responsibility": "责任单位",
    "comparison": "跨年对比",
    "metadata": "文号/日期等",
    "adversarial": "诱导与攻击",
    "out_of_scope": "通知未涉及（应拒答）",
    "other": "其他",
}
VERDICT_LABELS = {
    "gold_cited": "引用含标准条款",
    "key_facts": "关键事实覆盖",
    "quotes_verbatim": "原文一致引文数",
    "citations": "引文数",
    "citations_valid": "有效引文数",
    "recall@5": "前5条含标准条款",
    "refused_correctly": "正确拒答",
    "correct": "判定正确",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def verdict_text(verdicts: dict[str, Any]) -> str:
    """A question's verdicts in plain words (是/否, percentages), not a JSON object."""
    parts = []
    for key, label in VERDICT_LABELS.items():
        value = verdicts.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or key in ("gold_cited", "recall@5", "refused_correctly"):
            parts.append(f"{label}：{'是' if value else '否'}")
        elif key == "key_facts":
            parts.append(f"{label}：{value:.0%}")
        else:
            parts.append(f"{label}：{value:g}")
    return "；".join(parts)


def _bounds() -> dict[str, tuple[str, float]]:
    import tomllib

    config = tomllib.loads(THRESHOLDS.read_text(encoding="utf-8"))
    bounds = {name: ("≥", value) for name, value in config.get("minimum", {}).items()}
    bounds.update({name: ("≤", value) for name, value in config.get("maximum", {}).items()})
    return bounds


def markdown_summary(report: Report) -> str:
    """The summary as a Markdown table (for the README)."""
    bounds = _bounds()
    lines = ["| 指标 | 结果 | 要求 |", "|---|---|---|"]
    for key, label in SUMMARY_ROWS:
        bound = bounds.get(key)
        lines.append(f"| {label} | {report.summary.get(key, 0.0):.3f} | {f'{bound[0]} {bound[1]}' if bound else ''} |")
    if report.baselines:
        lines += ["", "| 检索方法 | Recall@1 | Recall@5 | Recall@10 | MRR | nDCG@10 |", "|---|---|---|---|---|---|"]
        for name, row in report.baselines.items():
            lines.append(
                f"| {name} | "
                + " | ".join(f"{row[k]:.3f}" for k in ("recall@1", "recall@5", "recall@10", "mrr", "ndcg@10"))
                + " |"
            )
    return "\n".join(lines)


# lower is better for these; higher for every other summary row
_LOWER_IS_BETTER = {"false_refusal_rate", "latency_p50_ms", "latency_p95_ms"}
# changes smaller than this are noise (latency: 10 %)
_SAME = 0.0005


def compare_summaries(previous: dict[str, float], current: dict[str, float]) -> list[tuple[str, float, float, str]]:
    """(metric, before, now, 更好/更差/不变) for every summary row both runs have, in the table's order."""
    rows = []
    for key, label in SUMMARY_ROWS:
        if key not in previous or key not in current:
            continue
        before, now = float(previous[key]), float(current[key])
        margin = 0.1 * abs(before) if key.startswith("latency") else _SAME
        if abs(now - before) <= margin:
            verdict = "不变"
        else:
            verdict = "更好" if (now < before) == (key in _LOWER_IS_BETTER) else "更差"
        rows.append((label, before, now, verdict))
    return rows


def markdown_comparison(previous: dict[str, float], current: dict[str, float]) -> str:
    rows = compare_summaries(previous, current)
    changed = [row for row in rows if row[3] != "不变"]
    if not changed:
        return "与上次评测相比：各项指标不变。"
    lines = ["与上次评测相比有变化的指标：", "", "| 指标 | 上次 | 本次 | 变化 |", "|---|---|---|---|"]
    lines += [f"| {label} | {before:.3f} | {now:.3f} | {verdict} |" for label, before, now, verdict in changed]
    return "\n".join(lines)


_FONT_FILES = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@functools.cache
def _cjk_fonts() -> tuple[str, ...]:
    """CJK fonts matplotlib can use: its cache may predate a font installed later (`make browser`), so known
    Debian font files are registered by path."""
    from matplotlib import font_manager

    for path in _FONT_FILES:
        if Path(path).is_file():
            font_manager.fontManager.addfont(path)
    known = {font.name for font in font_manager.fontManager.ttflist}
    return tuple(name for name in ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei") if name in known)


def _label(chinese: str, english: str) -> str:
    # without a CJK font a Chinese label renders as empty boxes: the English one is readable
    return chinese if _cjk_fonts() else english


def _chart(draw) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.sans-serif"] = [*_cjk_fonts(), "DejaVu Sans"]
    figure, axes = plt.subplots(figsize=(7, 3.2))
    draw(axes)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return f'<img alt="chart" src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}">'


def _charts(report: Report) -> list[str]:
    kinds = list(report.by_kind)
    charts = []

    def by_kind(axes):
        width = 0.4
        positions = range(len(kinds))
        axes.bar(
            [p - width / 2 for p in positions],
            [report.by_kind[k]["recall@5"] for k in kinds],
            width,
            label=_label("前5条含标准条款", "recall@5"),
        )
        axes.bar(
            [p + width / 2 for p in positions],
            [(report.by_kind[k]["crag"] + 1) / 2 for k in kinds],
            width,
            label=_label("综合得分（0–1）", "(crag+1)/2"),
        )
        axes.set_xticks(list(positions), [_label(kind_label(k), k) for k in kinds], rotation=20, fontsize=8)
        axes.set_ylim(0, 1.05)
        axes.set_title(_label("按问题类别", "by kind"))
        axes.legend(fontsize=8)

    charts.append(_chart(by_kind))

    def latency(axes):
        axes.hist([r["latency_ms"] for r in report.records], bins=30)
        axes.set_xlabel(_label("每题毫秒", "ms per question"))
        axes.set_title(_label("回答时延", "answer latency"))

    charts.append(_chart(latency))
    if report.baselines:
        names = list(report.baselines)

        def baselines(axes):
            width = 0.4
            positions = range(len(names))
            axes.bar(
                [p - width / 2 for p in positions],
                [report.baselines[n]["recall@5"] for n in names],
                width,
                label=_label("前5条含标准条款", "recall@5"),
            )
            axes.bar(
                [p + width / 2 for p in positions],
                [report.baselines[n]["mrr"] for n in names],
                width,
                label=_label("平均排位得分", "MRR"),
            )
            axes.set_xticks(list(positions), names)
            axes.set_ylim(0, 1.05)
            axes.set_title(_label("本项目与基线检索", "project vs baselines"))
            axes.legend(fontsize=8)

        charts.append(_chart(baselines))
    return charts


def _question_rows(records: Sequence[dict[str, Any]]) -> str:
    ordered = sorted(records, key=lambda r: (not r["failed"], r["id"]))
    rows = []
    for r in ordered:
        verdicts = {k: v for k, v in r["verdicts"].items() if k != "baselines"}
        cites = "<br>".join(html.escape(f"{c['clause_id']}：{c['quote']}") for c in r["citations"])
        rows.append(
            f'<tr class="{"fail" if r["failed"] else "pass"}"><td>{html.escape(r["id"])}</td><td>{html.escape(kind_label(r["kind"]))}</td>'
            f"<td>{html.escape(r['question'])}</td><td><pre>{html.escape(r['answer'] or '')}</pre></td><td>{cites}</td>"
            f"<td>{html.escape(', '.join(r['gold_clauses']))}</td>"
            f'<td class="small">{html.escape(verdict_text(verdicts))}</td></tr>'
        )
    return "\n".join(rows)


def write_html(report: Report, path: Path, title: str = "安全生产通知助手 · 溯源评测报告") -> None:
    bounds = _bounds()
    summary_rows = []
    for key, label in SUMMARY_ROWS:
        value = report.summary.get(key, 0.0)
        bound = bounds.get(key)
        ok = bound is None or (value >= bound[1] if bound[0] == "≥" else value <= bound[1])
        summary_rows.append(
            f'<tr class="{"pass" if ok else "fail"}"><td>{label}</td><td>{value:.3f}</td><td>{html.escape(f"{bound[0]} {bound[1]}") if bound else ""}</td></tr>'
        )
    kinds = "".join(
        f"<tr><td>{html.escape(kind_label(k))}</td><td>{int(s['questions'])}</td><td>{s['recall@5']:.3f}</td><td>{s['gold_cited']:.3f}</td>"
        f"<td>{s['key_facts']:.3f}</td><td>{s['crag']:.3f}</td></tr>"
        for k, s in report.by_kind.items()
    )
    baselines = ""
    if report.baselines:
        baselines = (
            "<h2>检索：本项目与基线</h2><table><tr><th>方法</th><th>R@1</th><th>R@5</th><th>R@10</th><th>MRR</th><th>nDCG@10</th></tr>"
            + "".join(
                f"<tr><td>{html.escape(n)}</td>"
                + "".join(f"<td>{row[k]:.3f}</td>" for k in ("recall@1", "recall@5", "recall@10", "mrr", "ndcg@10"))
                + "</tr>"
                for n, row in report.baselines.items()
            )
            + "</table>"
        )
    failures = "".join(f"<li>{html.escape(f)}</li>" for f in report.failures) or "<li>全部达标</li>"
    document = f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>
<h1>{html.escape(title)}</h1>
<h2>汇总</h2><table><tr><th>指标</th><th>结果</th><th>要求</th></tr>{"".join(summary_rows)}</table>
<h3>阈值检查</h3><ul>{failures}</ul>
<h2>分类</h2><table><tr><th>类别</th><th>题数</th><th>R@5</th><th>引用含标准条款</th><th>关键事实</th><th>CRAG</th></tr>{kinds}</table>
{baselines}
<h2>图表</h2>{"".join(_charts(report))}
<h2>逐题结果（未通过的在前）</h2>
<table><tr><th>id</th><th>类别</th><th>问题</th><th>回答</th><th>引用</th><th>标准条款</th><th>判定</th></tr>{_question_rows(report.records)}</table>
</body></html>"""
    path.write_text(document, encoding="utf-8")
