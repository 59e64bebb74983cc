"""Start the web interface: ``anquan-app`` or ``python app.py`` (http://127.0.0.1:7860 by default).

The first start builds the indexes (progress on the console); later starts load them.
"""

from __future__ import annotations

import argparse
import os
import sys

DEFAULT_PORT = 7860


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="anquan-app", description="安全生产工作通知助手（网页界面）")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("GRADIO_SERVER_PORT") or DEFAULT_PORT),
        help=f"端口（默认 {DEFAULT_PORT} 或 GRADIO_SERVER_PORT）；端口被占用时报错退出，不会悄悄换端口",
    )
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认只在本机 127.0.0.1；0.0.0.0 对局域网开放）")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from assistant.ui import Library, build_ui
    from index.settings import Settings

    settings = Settings()
    library = Library(
        settings, settings.library_dir, progress=lambda message: print(message, file=sys.stderr, flush=True)
    )
    app = build_ui(library).queue(default_concurrency_limit=2)
    try:
        # an explicit port: a busy one is an error the user sees, not a silent move to the next port
        app.launch(server_name=args.host, server_port=args.port)
    except OSError as error:
        print(f"无法在 {args.host}:{args.port} 启动：{error}。请用 --port 指定其他端口。", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
