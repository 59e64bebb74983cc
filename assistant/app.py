"""Start the web interface: ``anquan-app`` or ``python app.py`` (http://127.0.0.1:7860 by default).

The page opens at once; on a first start the search index is built behind it, with its progress shown in the page.
"""

from __future__ import annotations

import argparse
import os
import sys

DEFAULT_PORT = 7860
# Gradio picks the language of its own strings (upload box, footer, toasts) from the browser's locale; cadres on an
# English-locale machine would get an English upload box in a Chinese app. Set before Gradio's bundle reads it.
_CHINESE_LOCALE = (
    b"<script>for(const key of ['language','languages'])Object.defineProperty(navigator,key,"
    b"{get:()=>key==='language'?'zh-CN':['zh-CN','zh']});</script>"
)


class ChineseLocale:
    """ASGI middleware: the app page declares zh-CN to Gradio's front end whatever the browser's locale."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET" or scope.get("path") not in ("/", ""):
            await self.app(scope, receive, send)
            return
        start: dict = {}
        body: list[bytes] = []

        async def buffered(message):
            if message["type"] == "http.response.start":
                start.update(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            page = b"".join(body)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            is_html = any(k.lower() == b"content-type" and b"text/html" in v for k, v in headers)
            encoded = any(k.lower() == b"content-encoding" for k, _ in headers)
            if is_html and not encoded and b"<head>" in page:
                page = page.replace(b"<head>", b"<head>" + _CHINESE_LOCALE, 1)
            headers.append((b"content-length", str(len(page)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, buffered)


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
    from assistant.library import Library
    from assistant.ui import build_ui
    from index.settings import Settings

    settings = Settings()
    # the page opens at once; the search index (about two minutes on a first start) is built behind it, its
    # progress shown in the page and on the console
    library = Library(
        settings,
        settings.library_dir,
        progress=lambda message: print(message, file=sys.stderr, flush=True),
        background=True,
    )
    app = build_ui(library).queue(default_concurrency_limit=2)
    try:
        # an explicit port: a busy one is an error the user sees, not a silent move to the next port
        from starlette.middleware import Middleware

        app.launch(server_name=args.host, server_port=args.port, app_kwargs={"middleware": [Middleware(ChineseLocale)]})
    except OSError as error:
        print(f"无法在 {args.host}:{args.port} 启动：{error}。请用 --port 指定其他端口。", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
