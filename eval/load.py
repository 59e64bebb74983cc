"""``python -m eval load``: many browser sessions at once through `gradio_client`, with uploads in between.

Starts the app on 127.0.0.1 with a temporary library (or uses ``--url``), then runs N sessions
concurrently; each asks a question and a follow-up that only its own conversation can resolve
(这个由谁负责？ after one of two topics with different responsible units). It reports errors,
answers that came from another session's history, and latency percentiles. Printed, not asserted.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from eval import metrics
from index.settings import PROJECT_ROOT

# (first question, the unit its follow-up must name, the unit the other topic's follow-up names)
TOPICS = (
    ("大同对电动自行车飞线充电咋管？", "市住建局", "市城市管理局"),
    ("大同燃气老旧管网带病运行的问题咋解决？", "市城市管理局", "市发改委"),
)
FOLLOW_UP = "这个由谁负责？"
UPLOAD = PROJECT_ROOT / "tests" / "fixtures" / "real" / "lanzhou-saw-2025.txt"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_app(library: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "ANQUAN_LIBRARY_DIR": str(library), "GRADIO_SERVER_PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, str(PROJECT_ROOT / "app.py")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 600
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                break
        except OSError:
            time.sleep(1)
    else:
        process.kill()
        raise RuntimeError("应用在 10 分钟内没有启动")
    # the page opens before the search index is ready (it is built behind the page): wait until it answers
    from gradio_client import Client

    client = Client(url, verbose=False)
    while time.time() < deadline:
        if "error" not in json.loads(client.predict(TOPICS[0][0], api_name="/ask")):
            return process
        time.sleep(2)
    process.kill()
    raise RuntimeError("应用的检索索引在 10 分钟内没有建好")


def _text(chat) -> str:
    message = chat[-1]["content"] if chat else ""
    if isinstance(message, list):
        return "".join(part.get("text", "") for part in message if isinstance(part, dict))
    return str(message)


def _session(url: str, index: int, latencies: list[float], lock: threading.Lock) -> str | None:
    """None when the session went right, else what went wrong."""
    from gradio_client import Client

    question, own_unit, other_unit = TOPICS[index % len(TOPICS)]
    try:
        client = Client(url, verbose=False)
        chat: list = []
        for message in (question, FOLLOW_UP):
            started = time.perf_counter()
            chat = client.predict(message, chat, None, None, None, api_name="/respond")[0]
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
        answer = _text(chat)
        if own_unit not in answer or other_unit in answer.split("\n")[0]:
            return f"会话 {index}：追问的回答不是本会话的话题（{answer[:60]}…）"
    except Exception as error:  # a load test counts failures, it does not stop at the first
        return f"会话 {index}：{type(error).__name__}: {error}"
    return None


def _uploads(url: str, rounds: int, stop: threading.Event, problems: list[str]) -> int:
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False)
    done = 0
    for _ in range(rounds):
        if stop.is_set():
            break
        try:
            client.predict(handle_file(str(UPLOAD)), api_name="/upload")
            client.predict("兰州市安全生产委员会-2025", True, api_name="/delete")
            done += 1
        except Exception as error:
            problems.append(f"上传/删除：{type(error).__name__}: {error}")
    return done


def run_load(sessions: int, uploads: int, url: str | None) -> int:
    process = None
    folder = tempfile.TemporaryDirectory()
    try:
        if url is None:
            port = _free_port()
            process = _start_app(Path(folder.name) / "library", port)
            url = f"http://127.0.0.1:{port}/"
        latencies: list[float] = []
        lock = threading.Lock()
        problems: list[str] = []
        stop = threading.Event()
        started = time.perf_counter()
        uploader = ThreadPoolExecutor(max_workers=1).submit(_uploads, url, uploads, stop, problems)
        with ThreadPoolExecutor(max_workers=sessions) as pool:
            results = list(pool.map(lambda i: _session(url, i, latencies, lock), range(sessions)))
        stop.set()
        upload_rounds = uploader.result(timeout=600)
        wall = time.perf_counter() - started
        problems.extend(r for r in results if r)
        print(f"{sessions} 个会话并发（每个：提问 + 追问），期间上传并删除通知 {upload_rounds} 次，共 {wall:.1f} 秒")
        print(
            f"请求 {len(latencies)} 次：p50 {metrics.percentile(latencies, 50):.0f} ms，p95 {metrics.percentile(latencies, 95):.0f} ms，最慢 {max(latencies, default=0):.0f} ms"
        )
        print(f"出错或串话：{len(problems)}")
        for problem in problems[:20]:
            print(f"  {problem}")
        return 1 if problems else 0
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        folder.cleanup()
