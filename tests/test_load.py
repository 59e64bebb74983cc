"""The load test itself, small: concurrent sessions keep their own conversations while a notice is uploaded."""

from __future__ import annotations

import pytest


@pytest.mark.slow
def test_concurrent_sessions_keep_their_own_history(capsys) -> None:
    from eval.load import run_load

    assert run_load(sessions=6, uploads=1, url=None) == 0
    out = capsys.readouterr().out
    assert "出错或串话：0" in out and "上传并删除通知 1 次" in out
