"""The app's notice library: uploads checked before anything is written, deletions, the bundled corpus untouched."""

from __future__ import annotations

import time

import pytest

from assistant.library import Library
from assistant.ui import citation_cards, clause_tree
from index.read import ReadError
from index.settings import Settings
from tests.conftest import BUNDLED, FAKE_MODEL, BigramHashEmbeddings

NOTICE = "晋城市人民政府关于做好2026年安全生产工作的通知\n\n一、狠抓矿山安全\n\n（一）推进煤矿智能化。年底前再建成8座智能化煤矿。（市能源局负责）\n".encode()


@pytest.fixture
def library(notice_folder, tmp_path) -> Library:
    settings = Settings(
        source_dir=notice_folder, index_dir=tmp_path / "idx", embedding_model=FAKE_MODEL, current_year=2026
    )
    return Library(settings, tmp_path / "library", embeddings=BigramHashEmbeddings())


def _snapshot(folder):
    return sorted((p.name, p.read_bytes()) for p in folder.iterdir())


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("../evil.txt", NOTICE, "不能含有路径"),
        ("dir/evil.txt", NOTICE, "不能含有路径"),
        (".hidden.txt", NOTICE, "不能含有路径"),
        ("notice.exe", NOTICE, "不支持的文件类型"),
        ("empty.txt", b"", "文件为空"),
        ("binary.txt", b"\x00\x01\x02" * 100, "二进制"),
        ("broken.docx", b"not a zip", "不是有效的 .docx"),
        ("prose.txt", "没有编号的一段话。".encode(), "没有找到编号条款"),
    ],
)
def test_a_bad_upload_changes_nothing(library, name, data, message) -> None:
    before = _snapshot(library.folder)
    notices = [n.notice_id for n in library.corpus.notices]
    with pytest.raises((ReadError, ValueError), match=message):
        library.add(name, data)
    assert _snapshot(library.folder) == before
    assert [n.notice_id for n in library.corpus.notices] == notices


def test_upload_then_answer_then_delete(library) -> None:
    assert "晋城市人民政府2026年（2条）" in library.add("晋城2026.txt", NOTICE)
    answer = library.assistant.ask("晋城市今年要再建几座智能化煤矿？")
    assert answer.citations[0].notice_id == "晋城市-2026" and "8座" in answer.lead
    with pytest.raises(ReadError, match="已有同名文件"):
        library.add("晋城2026.txt", NOTICE)
    assert "已删除" in library.remove("晋城市-2026")
    assert "晋城市-2026" not in {n.notice_id for n in library.corpus.notices}
    assert library.assistant.ask("晋城市今年要再建几座智能化煤矿？").refused


def test_an_uploaded_web_page_answers_like_a_text_file(library) -> None:
    body = "".join(f"<p>&nbsp;&nbsp;{line}</p>" for line in NOTICE.decode().split("\n") if line)
    page = (
        '<html><head><meta charset="gb2312"><title>晋城市政府网</title><script>var a = "首页";</script></head>'
        f'<body><div class="nav">首页 | 政务公开</div><div class="content">{body}</div>'
        "<div>主办：晋城市人民政府办公室</div></body></html>"
    ).encode("gb18030")
    assert "晋城市人民政府2026年（2条）" in library.add("t20260110_1.shtml", page)
    answer = library.assistant.ask("晋城市今年要再建几座智能化煤矿？")
    assert answer.citations[0].notice_id == "晋城市-2026" and "8座" in answer.lead
    assert answer.citations[0].quote == "年底前再建成8座智能化煤矿。"


def test_the_bundled_corpus_is_never_touched(library, notice_folder) -> None:
    before = _snapshot(notice_folder)
    library.add("晋城2026.txt", NOTICE)
    library.remove("朔州市-2026")
    assert _snapshot(notice_folder) == before
    assert _snapshot(BUNDLED)  # still there


def test_cards_escape_and_highlight(library) -> None:
    answer = library.assistant.ask("朔州今年要再建几座智能化煤矿？")
    html_cards = citation_cards(answer)
    assert "<mark>加强煤矿智能化改造，年底前再建成6座智能化煤矿。</mark>" in html_cards
    assert "三、（十一）1." in html_cards
    assert "三、" in clause_tree(library.corpus, "朔州市-2026")


def test_notice_text_with_markup_is_escaped() -> None:
    from assistant.types import Answer, Citation, Mode

    citation = Citation(
        1,
        "x/一",
        "x",
        "某县人民政府",
        2026,
        None,
        "<b>标题</b>",
        "一、",
        "<script>alert(1)</script>要求",
        "前文<script>alert(1)</script>要求。",
    )
    page = citation_cards(Answer("q", "a", False, Mode.EXTRACTIVE, (citation,)))
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>标题</b>" not in page


def test_an_upload_says_what_was_and_was_not_recognized(library) -> None:
    from tests.test_real_documents import FIXTURES

    message = library.add("beijing-2003.txt", (FIXTURES / "beijing-2003.txt").read_bytes())
    assert "发文机关：未找到" in message and "文号：未找到" in message and "已按段落索引" in message
    assert "发文机关不详-2003" in {n.notice_id for n in library.corpus.notices}
    message = library.add("dalate.txt", (FIXTURES / "dalate-saw-2024.txt").read_bytes())
    assert "达安委会发〔2024〕8号" in message and "成文日期：2024-06-13（推定）" in message and "2024613日" in message


def test_every_change_is_logged_and_the_last_can_be_undone(library) -> None:
    library.add("晋城2026.txt", NOTICE, who="网页 10.0.0.7")
    library.remove("朔州市-2026", who="网页 10.0.0.8")
    assert [(c.action, c.who, c.notices) for c in library.changes()] == [
        ("add", "网页 10.0.0.7", ("晋城市-2026",)),
        ("remove", "网页 10.0.0.8", ("朔州市-2026",)),
    ]
    # the deleted file was kept, and undo puts it back; a second undo takes the upload out again
    assert "恢复" in library.undo()
    assert "朔州市-2026" in {n.notice_id for n in library.corpus.notices}
    assert "撤销上传" in library.undo()
    assert "晋城市-2026" not in {n.notice_id for n in library.corpus.notices}
    with pytest.raises(ReadError, match="没有可以撤销"):
        library.undo()


def test_bundled_notices_come_back_with_one_action(library) -> None:
    library.remove("朔州市-2026")
    library.add("晋城2026.txt", NOTICE)
    assert "朔州市-2026" in library.restore_bundled()
    ids = {n.notice_id for n in library.corpus.notices}
    assert {"朔州市-2026", "晋城市-2026"} <= ids  # an upload since stays
    assert library.restore_bundled() == "自带通知都在文件库中，无需恢复"
    assert library.changes()[-1].action == "restore"


class _HeldEmbeddings(BigramHashEmbeddings):
    """Encodes only once released: a first start's slow search-index build, held still for the test."""

    def __init__(self) -> None:
        import threading

        self.release = threading.Event()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        assert self.release.wait(60)
        return super().embed_documents(texts)


def test_a_background_start_serves_the_clauses_at_once_and_says_how_far_the_build_has_got(
    notice_folder, tmp_path
) -> None:
    settings = Settings(
        source_dir=notice_folder,
        index_dir=tmp_path / "idx",
        vector_cache_dir=tmp_path / "vectors",
        embedding_model=FAKE_MODEL,
        current_year=2026,
    )
    embeddings = _HeldEmbeddings()
    library = Library(settings, tmp_path / "library", embeddings=embeddings, background=True)
    assert not library.ready
    assert {n.issuer for n in library.corpus.notices} >= {"朔州市人民政府"}  # the clause index is there already
    with pytest.raises(ReadError, match="检索索引还在建立"):
        library.add("晋城.txt", NOTICE)
    deadline = time.monotonic() + 60
    while "向量" not in library.status and time.monotonic() < deadline:  # the thread reaches the held encoding
        time.sleep(0.05)
    assert "向量" in library.status and str(tmp_path) not in library.status and not library.ready
    embeddings.release.set()
    assert library.wait_ready(120)
    assert not library.assistant.ask("朔州今年要再建几座智能化煤矿？").refused
    assert "/" not in library.status
