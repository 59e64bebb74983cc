"""``python -m assistant ask …``: questions answered with verified clause quotes, from the command line."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from assistant.scope import Filters
from index.records import Level
from index.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="安全生产工作通知助手")
    commands = parser.add_subparsers(dest="command", required=True)
    ask = commands.add_parser("ask", help="提问；回答附原文引文和出处")
    ask.add_argument("question", nargs="?", help="问题，例如：朔州今年要再建几座智能化煤矿？")
    ask.add_argument("--batch", type=Path, help="每行一个 JSON 对象（question，可选 history、filters）的文件")
    ask.add_argument("--issuer", help="只看某发文机关，如 朔州市 或 朔州市人民政府")
    ask.add_argument("--year", type=int, help="只看某年度的通知")
    ask.add_argument("--level", choices=[level.value for level in Level], help="只看某层级：省/市/县")
    ask.add_argument("--json", action="store_true", help="输出 JSON")
    ask.add_argument("--source", type=Path, help="通知文件夹（默认自带语料）")
    ask.add_argument("--index-dir", type=Path, help="索引目录")
    compare = commands.add_parser("diff", help="两份通知之间新增、删去、调整了哪些要求（各附原文和条款）")
    compare.add_argument("before", help="原通知编号，如 山西省-2025")
    compare.add_argument("after", help="新通知编号，如 山西省-2026")
    compare.add_argument("--json", action="store_true", help="输出 JSON：new、dropped、changed、unchanged")
    compare.add_argument("--all", action="store_true", help="文本输出时列出全部条目")
    compare.add_argument("--source", type=Path, help="通知文件夹（默认自带语料）")
    compare.add_argument("--index-dir", type=Path, help="索引目录")
    carry = commands.add_parser("align", help="下级通知承接了上级通知的哪些要求、未提及哪些、自有哪些（按章节计数）")
    carry.add_argument("lower", help="下级通知编号，如 沁水县-2025")
    carry.add_argument("--higher", help="上级通知编号（默认：同年或上一年的省、市通知）")
    carry.add_argument("--json", action="store_true", help="输出 JSON：carried、left_out、own、sections")
    carry.add_argument("--all", action="store_true", help="文本输出时列出全部条目")
    carry.add_argument("--source", type=Path, help="通知文件夹（默认自带语料）")
    carry.add_argument("--index-dir", type=Path, help="索引目录")
    tasks = commands.add_parser("tasks", help="任务台账：某单位或某层级要做的工作、时限、指标（附原文和条款）")
    tasks.add_argument("--unit", help="责任单位，如 应急管理局、市应急局、广灵县人民政府（不填则列出全部单位）")
    tasks.add_argument("--notice", help="通知编号，如 大同市-2025（不填则查全部通知）")
    tasks.add_argument("--level", choices=[level.value for level in Level], help="只看某层级的单位：省/市/县")
    tasks.add_argument("--json", action="store_true", help="输出 JSON 行列表")
    tasks.add_argument("--xlsx", type=Path, help="导出为 Excel 台账")
    tasks.add_argument("--source", type=Path, help="通知文件夹（默认自带语料）")
    tasks.add_argument("--index-dir", type=Path, help="索引目录")
    quiz = commands.add_parser("quiz", help="按通知、条款或主题出题（含答案和原文出处）")
    quiz.add_argument("--notice", action="append", default=[], help="通知编号，如 朔州市-2026（可重复）")
    quiz.add_argument("--section", action="append", default=[], help="条款编号前缀，如 朔州市-2026/三（可重复）")
    quiz.add_argument("--topic", help="主题，如 燃气、消防")
    quiz.add_argument("--count", type=int, default=20)
    quiz.add_argument(
        "--types",
        default="single,multi,judge,blank,short,case",
        help="题型（逗号分隔）：single 单选, multi 多选, judge 判断, blank 填空, short 简答, case 案例分析",
    )
    quiz.add_argument(
        "--difficulty",
        default="medium",
        choices=["easy", "medium", "hard"],
        help="难度：easy 干扰项差别明显、考数字时限；hard 干扰项最接近、考术语分工层级",
    )
    quiz.add_argument(
        "--recent-weight",
        type=float,
        default=1.0,
        help="新近与本地通知的权重：0 各通知均等；1（默认）每早三年权重减半，市县通知加倍",
    )
    quiz.add_argument("--seed", type=int, default=1, help="随机种子：相同参数和种子得到相同试题")
    quiz.add_argument("--json", action="store_true", help="输出 JSON")
    quiz.add_argument("--out", type=Path, help="导出为 .docx（试卷，另附答案文件）或 .xlsx（题库）或 .json")
    quiz.add_argument("--source", type=Path, help="通知文件夹（默认自带语料）")
    quiz.add_argument("--index-dir", type=Path, help="索引目录")
    return parser


def _quiz(assistant, args) -> int:
    from assistant.export import paper_order, to_json, write_docx, write_xlsx
    from assistant.quiz import TYPE_LABELS, Difficulty, QuizError, QuizMaker, QuizType, shortfall_note

    try:
        types = [QuizType(t.strip()) for t in args.types.split(",") if t.strip()]
    except ValueError:
        print(f"错误：题型只能是 {','.join(t.value for t in QuizType)}", file=sys.stderr)
        return 2
    try:
        items = QuizMaker(assistant.corpus, assistant.retriever).make(
            count=args.count,
            types=types,
            notices=args.notice,
            sections=args.section,
            topic=args.topic,
            difficulty=Difficulty(args.difficulty),
            seed=args.seed,
            recent_weight=args.recent_weight,
        )
    except QuizError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    if len(items) < args.count:
        print(
            f"注意：要求 {args.count} 题，生成 {len(items)} 题{shortfall_note(args.count, len(items))}", file=sys.stderr
        )
    if assistant.chat_model is not None:  # optional LLM mode: rewrites kept only when they pass the same checks
        from assistant.quiz import llm_items

        items, dropped = llm_items(assistant.chat_model, items, assistant.corpus, assistant.claims)
        print(f"大模型改写未通过核对、已保留原题：{dropped} 题", file=sys.stderr)
    if args.out is None:
        print(
            to_json(items)
            if args.json
            else "\n".join(f"{n}. [{TYPE_LABELS[i.type]}] {i.stem}" for n, i in enumerate(paper_order(items), 1))
        )
        return 0
    suffix = args.out.suffix.lower()
    if suffix == ".docx":
        key = write_docx(items, args.out)
        print(f"已导出 {len(items)} 题：{args.out}（答案：{key}）", file=sys.stderr)
    elif suffix == ".xlsx":
        write_xlsx(items, args.out)
        print(f"已导出 {len(items)} 题：{args.out}", file=sys.stderr)
    elif suffix == ".json":
        args.out.write_text(to_json(items), encoding="utf-8")
        print(f"已导出 {len(items)} 题：{args.out}", file=sys.stderr)
    else:
        print("错误：--out 只支持 .docx、.xlsx、.json", file=sys.stderr)
        return 2
    return 0


def _locations(args) -> dict:
    overrides = {}
    if args.source:
        overrides["source_dir"] = args.source
    if args.index_dir:
        overrides["index_dir"] = args.index_dir
    return overrides


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "diff":
        from assistant.diff import DiffError, diff, render

        try:
            compared = diff(_corpus(args), args.before, args.after)
        except DiffError as error:
            print(f"错误：{error}", file=sys.stderr)
            return 2
        return _report(compared, args, render(compared, None if args.all else 20))
    if args.command == "tasks":
        return _tasks(args)
    if args.command == "align":
        return _align(args)
    if args.command == "quiz":
        from assistant.core import Assistant

        settings = Settings(**_locations(args))
        return _quiz(
            Assistant.open(settings, progress=lambda message: print(message, file=sys.stderr, flush=True)), args
        )
    if (args.question is None) == (args.batch is None):
        print("错误：请给出一个问题，或用 --batch 指定问题文件（二者选一）", file=sys.stderr)
        return 2
    settings = Settings(**_locations(args))
    from assistant.core import Assistant, InputError

    started = time.perf_counter()
    assistant = Assistant.open(settings, progress=lambda message: print(message, file=sys.stderr, flush=True))
    load_ms = round((time.perf_counter() - started) * 1000, 2)
    if args.batch:
        return _batch(assistant, args.batch, InputError)
    try:
        answer = assistant.ask(args.question, filters=Filters.of(args.issuer, args.year, args.level))
        # a one-shot question pays for opening the indexes (and the models) too: the figures say so
        answer = replace(answer, timings_ms={"load": load_ms, **answer.timings_ms})
    except InputError as error:
        if args.json:
            print(json.dumps({"question": args.question, "error": str(error)}, ensure_ascii=False))
        else:
            print(f"错误：{error}", file=sys.stderr)
        return 2
    print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1) if args.json else answer.answer)
    return 0


def _corpus(args):
    """The library's clauses, brought up to date first (no search index or model is needed for them)."""
    from index.store import build, load

    settings = Settings(**_locations(args))
    build(settings, progress=lambda message: print(message, file=sys.stderr, flush=True))
    return load(settings)


def _report(result, args, text: str) -> int:
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1) if args.json else text)
    return 0


def _align(args) -> int:
    from assistant.align import AlignError, align, render_alignment

    try:
        aligned = align(_corpus(args), args.lower, args.higher)
    except AlignError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    return _report(aligned, args, render_alignment(aligned, None if args.all else 10))


def _tasks(args) -> int:
    from assistant.ledger import LedgerError, ledger, ledger_table, level_from, notices_without_units, write_ledger_xlsx

    corpus = _corpus(args)
    try:
        rows = ledger(corpus, args.unit, args.notice, level_from(args.level))
    except LedgerError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    silent = notices_without_units(corpus, [args.notice] if args.notice else None)
    if silent:
        print(f"提示：这些通知没有写明责任单位，台账中没有它们的任务：{'、'.join(silent)}", file=sys.stderr)
    if args.xlsx:
        write_ledger_xlsx(rows, args.xlsx)
        print(f"已导出 {len(rows)} 行：{args.xlsx}", file=sys.stderr)
    if args.json:
        print(json.dumps([row.to_dict() for row in rows], ensure_ascii=False, indent=1))
    elif not args.xlsx:
        if not rows:
            print("没有找到该单位的任务。可以换一种写法（如 应急管理局、市应急局），或去掉 --level、--notice 再试。")
        for number, task, unit, role, deadline, written, figures, notice_id, path in ledger_table(rows):
            when = deadline or written or "未写明时限"
            extra = f"；指标 {figures}" if figures else ""
            print(f"{number}. [{unit} {role}｜{when}{extra}] {task}\n   ——{notice_id} {path}")
    return 0


def _batch(assistant, path: Path, input_error) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        print(f"错误：无法读取问题文件 {path}：{error}", file=sys.stderr)
        return 2
    failures = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("每行应是一个 JSON 对象")
            answer = assistant.ask(item.get("question"), item.get("history"), Filters.from_json(item.get("filters")))
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        except (ValueError, input_error) as error:
            failures += 1
            question = item.get("question") if isinstance(locals().get("item"), dict) else None
            print(
                json.dumps({"line": number, "question": question, "error": str(error)}, ensure_ascii=False), flush=True
            )
    return 1 if failures else 0
