"""``python -m index build | stats | show | anomalies``: build and inspect the clause index."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from index.settings import Settings
from index.store import BuildError, IndexNotReady, build, load


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m index", description="通知条款索引：建立与查看")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--source", type=Path, help="通知文件夹（默认：自带语料 data/notices，或 ANQUAN_SOURCE_DIR）")
    common.add_argument("--index-dir", type=Path, help="索引存放目录（默认 .cache/index，或 ANQUAN_INDEX_DIR）")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", parents=[common], help="建立或增量更新索引")
    build_cmd.add_argument("--skip-bad", action="store_true", help="跳过无法读取的文件，索引其余文件")
    stats = commands.add_parser("stats", parents=[common], help="通知与条款统计")
    stats.add_argument("--json", action="store_true", help="输出 JSON")
    show = commands.add_parser("show", parents=[common], help="显示一个条款")
    show.add_argument("clause_id")
    show.add_argument("--json", action="store_true", help="输出 JSON")
    anomalies = commands.add_parser("anomalies", parents=[common], help="列出原文中的损坏与推定信息")
    anomalies.add_argument("--json", action="store_true", help="输出 JSON")
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    overrides = {}
    if args.source is not None:
        overrides["source_dir"] = args.source
    if args.index_dir is not None:
        overrides["index_dir"] = args.index_dir
    return Settings(**overrides)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = settings_from(args)
    try:
        if args.command == "build":
            return _build(settings, args.skip_bad)
        corpus = load(settings)
    except IndexNotReady as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    if args.command == "stats":
        return _stats(corpus, args.json)
    if args.command == "show":
        return _show(corpus, args.clause_id, args.json)
    return _anomalies(corpus, args.json)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _build(settings: Settings, skip_bad: bool) -> int:
    try:
        report = build(settings, _progress, skip_bad=skip_bad)
    except BuildError as error:
        print("错误：以下文件无法建立索引，现有索引未做任何改动：", file=sys.stderr)
        for message in error.errors:
            print(f"  - {message}", file=sys.stderr)
        return 2
    except IndexNotReady as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    for message in report.skipped:
        print(f"跳过：{message}", file=sys.stderr)
    print(
        f"新解析 {len(report.parsed)} 个文件，沿用 {len(report.reused)} 个，移除 {len(report.removed)} 个",
        file=sys.stderr,
    )
    return 0


def stats_payload(corpus) -> dict:
    counts = corpus.clause_counts()
    return {
        "notices": len(corpus.notices),
        "clauses": len(corpus.clauses),
        "by_notice": [
            {
                "notice_id": notice.notice_id,
                "issuer": notice.issuer,
                "level": notice.level.value,
                "year": notice.year,
                "doc_number": notice.doc_number,
                "title": notice.title,
                "date": notice.date,
                "source": notice.source,
                "clauses": counts.get(notice.notice_id, 0),
            }
            for notice in corpus.notices
        ],
    }


def _stats(corpus, as_json: bool) -> int:
    payload = stats_payload(corpus)
    if as_json:
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return 0
    print(f"{payload['notices']} 份通知，{payload['clauses']} 个条款")
    for row in payload["by_notice"]:
        print(
            f"{row['notice_id']:<16} {row['level']} {row['year']} {row['doc_number'] or '（无文号）':<16} "
            f"{row['clauses']:>4} 条  {row['title'] or '（原文无标题）'}  [{row['source']}]"
        )
    return 0


def _show(corpus, clause_id: str, as_json: bool) -> int:
    if not corpus.has_clause(clause_id):
        near = [c.clause_id for c in corpus.clauses if c.clause_id.startswith(clause_id.split("/")[0])][:10]
        print(
            f"错误：没有条款 {clause_id}" + (f"；该通知的条款有：{'，'.join(near)}…" if near else ""), file=sys.stderr
        )
        return 2
    clause = corpus.clause(clause_id)
    notice = corpus.notice(clause.notice_id)
    if as_json:
        print(
            json.dumps(
                {
                    "notice": {k: v for k, v in notice.to_dict().items() if k != "normalized_text"},
                    "clause": clause.to_dict(),
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    print(f"{notice.display_title}（{notice.doc_number or '无文号'}，{notice.issuer}，{notice.year}年）")
    print(f"条款：{clause.path_label}  {' › '.join(clause.headings) or '导语'}")
    print(clause.text)
    for unit in clause.units:
        origin = "任务分工表" if unit.origin == "table" else "原文"
        print(f"责任单位（{origin}）：{unit.units}")
    return 0


def _anomalies(corpus, as_json: bool) -> int:
    rows = [
        {"kind": a.kind.value, "notice_id": a.notice_id, "clause_id": a.clause_id, "detail": a.detail}
        for a in corpus.anomalies
    ]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for row in rows:
            print(f"{row['kind']:<18} {row['clause_id'] or row['notice_id']}: {row['detail']}")
    return 0
