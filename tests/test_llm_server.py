"""The LLM mode through a real OpenAI-compatible HTTP endpoint: a scripted server on 127.0.0.1.

It plays a hostile model and a broken endpoint in turn; whatever it does, a cadre gets a verified
answer, in time, with the reason in one Chinese sentence.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytest.importorskip("langchain_openai")

from assistant.core import Assistant
from assistant.llm import chat_model_from
from assistant.types import Mode
from index.settings import LLMProvider

QUESTION = "朔州今年要再建几座智能化煤矿？"
TRUE_QUOTE = "「加强煤矿智能化改造，年底前再建成6座智能化煤矿」[1]"


class Script:
    """What the server does next: ('reply', text) | ('status', code) | ('garbage', body) | ('sleep', seconds)."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, object]] = []


def _completion(text: str) -> bytes:
    return json.dumps(
        {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "scripted",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        },
        ensure_ascii=False,
    ).encode()


@pytest.fixture(scope="module")
def server():
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            kind, value = script.steps.pop(0) if script.steps else ("status", 500)
            if kind == "sleep":
                time.sleep(float(value))
                kind, value = "reply", f"要建6座。{TRUE_QUOTE}"
            if kind == "status":
                self.send_response(int(value))
                self.end_headers()
                return
            body = _completion(str(value)) if kind == "reply" else str(value).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, script
    httpd.shutdown()


@pytest.fixture
def llm_assistant(assistant, server):
    httpd, script = server
    script.steps.clear()
    settings = assistant.settings.model_copy(
        update={
            "llm_provider": LLMProvider.OPENAI,
            "llm_model": "scripted",
            "llm_base_url": f"http://127.0.0.1:{httpd.server_address[1]}/v1",
            "llm_timeout_s": 1.5,
        }
    )
    return Assistant(assistant.retriever, settings, chat_model_from(settings)), script


def test_a_faithful_reply_through_http_is_shown(llm_assistant) -> None:
    bot, script = llm_assistant
    script.steps.append(("reply", f"朔州今年要再建成6座智能化煤矿。{TRUE_QUOTE}"))
    answer = bot.ask(QUESTION)
    assert answer.mode is Mode.LLM and "6座" in answer.lead


@pytest.mark.parametrize(
    "reply",
    [
        f"朔州今年要再建成十座智能化煤矿。{TRUE_QUOTE}",
        f"朔州今年要再建成20座智能化煤矿。{TRUE_QUOTE}",
        "朔州今年不再建设智能化煤矿，已全部停建。「煤矿」[1]",
        f"这项工作由市公安局单独负责，其他部门无需参与。{TRUE_QUOTE}",
    ],
)
def test_hostile_replies_through_http_are_caught(llm_assistant, reply) -> None:
    bot, script = llm_assistant
    script.steps.append(("reply", reply))
    answer = bot.ask(QUESTION)
    assert answer.mode is Mode.EXTRACTIVE and "6座" in answer.lead
    assert "逐句核对" in answer.answer


@pytest.mark.parametrize(
    ("step", "reason"),
    [(("status", 500), "大模型调用失败"), (("garbage", "{not json"), "大模型调用失败"), (("sleep", 3), "秒内没有回答")],
)
def test_endpoint_faults_give_the_extractive_answer_in_time(llm_assistant, step, reason) -> None:
    bot, script = llm_assistant
    script.steps.append(step)
    started = time.perf_counter()
    answer = bot.ask(QUESTION)
    assert time.perf_counter() - started < 3.0
    assert answer.mode is Mode.EXTRACTIVE and reason in answer.answer and "6座" in answer.lead
