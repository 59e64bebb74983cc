"""``python -m eval run``: the grounding suite; ``python -m eval bench``: speed and build-time figures."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from index.settings import Settings, VectorBackend

DEFAULT_SET = Path(__file__).resolve().parent / "questions.jsonl"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m eval", description="溯源评测与性能基准")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="运行评测问题集")
    run.add_argument("--set", type=Path, default=DEFAULT_SET, help="问题集 JSONL（默认 eval/questions.jsonl）")
    run.add_argument("--out", type=Path, help="逐题结果 JSONL")
    run.add_argument("--report", type=Path, help="HTML 报告")
    run.add_argument("--baselines", action="store_true", help="同时运行基线（BM25、稠密、LangChain 默认）")
    run.add_argument("--markdown", action="store_true", help="在标准输出打印 Markdown 汇总表")
    run.add_argument("--current-year", type=int, default=2026, help="“今年”指哪一年（问题集按 2026 年编写）")
    bench = commands.add_parser("bench", help="打印检索时延、回答时延和建索引时间")
    bench.add_argument("--set", type=Path, default=DEFAULT_SET)
    bench.add_argument("--repeat", type=int, default=3, help="每题重复次数")
    bench.add_argument("--scale", type=int, help="在 N 倍合成语料上测建索引、增删一份通知、内存、时延和 Recall@1")
    bench.add_argument(
        "--dense", default="none", help="--scale 时的稠密模型（默认 none：e5-small 编码百万段落需数小时）"
    )
    bench.add_argument(
        "--backend",
        type=VectorBackend,
        choices=list(VectorBackend),
        default=VectorBackend.FAISS,
        help="--scale 时向量存放处：faiss（进程内）或 milvus（Milvus Lite；需要稠密模型）",
    )
    bench.add_argument("--json", action="store_true", help="--scale 时输出一个 JSON 对象")
    load = commands.add_parser("load", help="并发会话负载测试（仅 127.0.0.1）")
    load.add_argument("--sessions", type=int, default=50, help="并发会话数")
    load.add_argument("--uploads", type=int, default=2, help="期间上传并删除通知的次数")
    load.add_argument("--url", help="已在运行的应用地址（默认自行在 127.0.0.1 启动一个）")
    gate = commands.add_parser("fit-gate", help="在问题集上拟合可回答性判定（只用调参集，不用盲测集）")
    gate.add_argument("--set", type=Path, default=DEFAULT_SET)
    gate.add_argument("--write", action="store_true", help="写入 assistant/gate.json")
    gate.add_argument("--current-year", type=int, default=2026)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "bench":
        if args.scale:
            from eval.scale import run_scale

            if args.backend is VectorBackend.MILVUS and args.dense == "none":
                print(
                    "--backend milvus 存放的是向量：请同时给出稠密模型（--dense e5-small 或 corpus-static）",
                    file=sys.stderr,
                )
                return 2
            return run_scale(args.scale, args.dense, args.set, args.json, args.backend)
        from eval.bench import run_bench

        return run_bench(args.set, args.repeat)
    if args.command == "fit-gate":
        return _fit_gate(args)
    if args.command == "load":
        from eval.load import run_load

        return run_load(args.sessions, args.uploads, args.url)
    from tqdm import tqdm

    from assistant.core import Assistant
    from eval.report import markdown_summary, write_html
    from eval.run import run_suite
    from eval.schema import SetError, load_set

    try:
        items = load_set(args.set)
    except SetError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    settings = Settings(current_year=args.current_year)
    assistant = Assistant.open(settings, progress=lambda message: print(message, file=sys.stderr, flush=True))
    bar = tqdm(total=len(items), desc="评测", file=sys.stderr, disable=None)
    report = run_suite(assistant, items, with_baselines=args.baselines, progress=lambda done, total: bar.update(1))
    bar.close()
    if args.out:
        with args.out.open("w", encoding="utf-8") as stream:
            for record in report.records:
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    if args.report:
        write_html(report, args.report)
    print(markdown_summary(report) if args.markdown else json.dumps(report.summary, ensure_ascii=False, indent=1))
    for failure in report.failures:
        print(f"未达标：{failure}", file=sys.stderr)
    return 1 if report.failures else 0


def _fit_gate(args) -> int:
    from assistant.core import Assistant
    from assistant.gate import GATE_FILE, save
    from assistant.retrieve import RetrievalMode
    from eval.fitgate import describe, fit_gates, gate_rows
    from eval.schema import load_set

    items = load_set(args.set)
    assistant = Assistant.open(Settings(current_year=args.current_year))
    gates = fit_gates(assistant, items, args.set.name)
    for name, gate in gates.items():
        mode = RetrievalMode.LEXICAL if name == "none" else RetrievalMode.HYBRID
        print(f"{name}: {describe(gate, gate_rows(assistant, items, mode))}")
    if args.write:
        save(gates, GATE_FILE)
        print(f"已写入 {GATE_FILE}")
    return 0
