"""The app's notice library: a folder seeded from the bundled notices, changed by uploads and deletions.

Every change is written to a change log (when, who, what file, which notices) in the folder, a deleted file goes to
the folder's trash rather than away, and the last change can be undone; the bundled notices can be put back with
one action. The assistant is rebuilt after each change and swapped in atomically; a change whose rebuild fails is
rolled back.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assistant.core import Assistant
from index.read import SUPPORTED_SUFFIXES, ReadError, read_notice_bytes, unsupported_message
from index.settings import Settings
from index.store import Corpus

_SAFE_NAME = re.compile(r"^[^/\\:\x00]{1,120}$")
LOG_NAME = ".changes.jsonl"
TRASH_NAME = ".trash"
ACTION_LABELS = {"add": "上传", "remove": "删除", "restore": "恢复自带通知", "undo": "撤销"}


@dataclass(frozen=True)
class Change:
    time: str  # ISO, local time of the server
    who: str  # the client's address as the app saw it, or 命令行
    action: str  # add, remove, restore, undo
    file: str
    notices: tuple[str, ...]
    trash: str | None = None  # where a deleted file was kept, relative to the library folder

    def to_dict(self) -> dict:
        return {
            "time": self.time,
            "who": self.who,
            "action": self.action,
            "file": self.file,
            "notices": list(self.notices),
            "trash": self.trash,
        }


class Library:
    """The app's notice folder and the assistant built on it; replaced atomically after uploads and deletions."""

    def __init__(
        self,
        settings: Settings,
        library_dir: Path,
        progress=lambda message: None,
        embeddings=None,
        background: bool = False,
    ):
        """Open the library's assistant; with `background`, only the clause index is built now (seconds) and the
        search index (minutes on a first start) in a thread, its progress in `status`, so the app can show it."""
        self.base_settings = settings
        self.folder = library_dir
        self.embeddings = embeddings
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self.status = "正在准备"
        self.failure: str | None = None
        if not self.folder.exists() or not any(self.folder.iterdir()):
            self.folder.mkdir(parents=True, exist_ok=True)
            self._copy_bundled()
        self.settings = settings.model_copy(update={"source_dir": self.folder})
        self._clauses: Corpus | None = None
        if background:
            from index.store import build

            self._clauses = build(self.settings, progress).corpus
            threading.Thread(target=self._open, args=(progress,), daemon=True, name="library-open").start()
        else:
            self.assistant = Assistant.open(self.settings, progress, embeddings=embeddings)
            self._ready.set()

    def _open(self, progress) -> None:
        def report(message: str) -> None:
            self.status = plain_progress(message)
            progress(message)

        try:
            with self._lock:
                self.assistant = Assistant.open(self.settings, report, embeddings=self.embeddings)
            self.status = "检索索引已就绪"
        except Exception as error:  # shown in the page; the console has the traceback
            self.failure = self.status = f"检索索引建立失败：{type(error).__name__}，请查看控制台信息后重新启动"
            raise
        finally:
            self._ready.set()

    @property
    def ready(self) -> bool:
        """Whether questions can be answered (the search index is loaded)."""
        return self._ready.is_set() and self.failure is None

    def wait_ready(self, timeout: float | None = None) -> bool:
        self._ready.wait(timeout)
        return self.ready

    def waiting_message(self) -> str:
        """What a user who asks before the search index is ready is told (the failure, if building failed)."""
        return self.failure or f"检索索引还在建立（首次启动约需两分钟），请稍候再试。当前：{self.status}"

    def _require_ready(self) -> None:
        if not self.ready:
            raise ReadError(self.waiting_message())

    @property
    def corpus(self) -> Corpus:
        if not self.ready and self._clauses is not None:
            return self._clauses
        return self.assistant.corpus

    def _bundled_files(self) -> list[Path]:
        return [
            path
            for path in sorted(self.base_settings.source_dir.iterdir())
            if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES
        ]

    def _copy_bundled(self) -> list[str]:
        copied = []
        for path in self._bundled_files():
            if not (self.folder / path.name).exists():
                shutil.copy2(path, self.folder / path.name)
                copied.append(path.name)
        return copied

    def _reload(self, progress) -> None:
        # the assistant answering now lends its parsed notices and passages: an upload reads back nothing unchanged
        previous = self.assistant if self.ready else None
        self.assistant = Assistant.open(self.settings, progress, embeddings=self.embeddings, previous=previous)

    def _notices_of(self, file_name: str) -> tuple[str, ...]:
        return tuple(n.notice_id for n in self.corpus.notices if n.source == file_name)

    def _log(self, who: str, action: str, file: str, notices: tuple[str, ...], trash: str | None = None) -> None:
        change = Change(datetime.now().isoformat(timespec="seconds"), who, action, file, notices, trash)
        with (self.folder / LOG_NAME).open("a", encoding="utf-8") as log:
            log.write(json.dumps(change.to_dict(), ensure_ascii=False) + "\n")

    def changes(self) -> list[Change]:
        """Every recorded change, oldest first; a damaged line is skipped."""
        found = []
        try:
            lines = (self.folder / LOG_NAME).read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        for line in lines:
            try:
                data = json.loads(line)
                found.append(
                    Change(
                        data["time"], data["who"], data["action"], data["file"], tuple(data["notices"]), data["trash"]
                    )
                )
            except (ValueError, KeyError, TypeError):
                continue
        return found

    def add(self, name: str, data: bytes, progress=lambda message: None, who: str = "命令行") -> str:
        """Check, then store and index an uploaded file; a bad file changes nothing."""
        self._require_ready()
        if not _SAFE_NAME.match(name) or name in {".", ".."} or name.startswith("."):
            raise ReadError(f"文件名“{name}”不可用：不能含有路径（/ \\）或以点开头")
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise ReadError(unsupported_message(name, suffix))
        if len(data) > self.settings.max_file_bytes:
            raise ReadError(f"{name}: 文件过大（上限 {self.settings.max_file_bytes / 1e6:.0f} MB）")
        from index.notices import parse_notices

        parsed = parse_notices(read_notice_bytes(data, name), name)  # raises with a message before anything is written
        with self._lock:
            target = self.folder / name
            if target.exists():
                raise ReadError(f"文件库中已有同名文件 {name}，请先删除或改名")
            temporary = self.folder / f".{name}.uploading"
            temporary.write_bytes(data)
            temporary.rename(target)
            try:
                self._reload(progress)
            except Exception:
                target.unlink(missing_ok=True)
                self._reload(progress)
                raise
            self._log(who, "add", name, self._notices_of(name))
        from index.notices import recognition_summary

        summary = "\n".join(
            f"· {p.notice.issuer}{p.notice.year}年（{len(p.clauses)}条）：{recognition_summary(p.notice)}"
            for p in parsed
        )
        return f"已加入 {name}：\n{summary}"

    def remove(self, notice_id: str, progress=lambda message: None, who: str = "命令行") -> str:
        self._require_ready()
        with self._lock:
            corpus = self.corpus
            if notice_id not in {n.notice_id for n in corpus.notices}:
                raise ReadError(f"没有通知 {notice_id}")
            source = corpus.notice(notice_id).source
            siblings = [n.notice_id for n in corpus.notices if n.source == source]
            if len(siblings) > 1:
                raise ReadError(f"{notice_id} 与另外 {len(siblings) - 1} 份通知在同一文件 {source} 中，不能单独删除")
            trash = self._to_trash(source)
            try:
                self._reload(progress)
            except Exception:
                shutil.move(self.folder / trash, self.folder / source)
                self._reload(progress)
                raise
            self._log(who, "remove", source, (notice_id,), trash)
        return f"已删除 {notice_id}（文件 {source}；可以“撤销上一次更改”恢复）"

    def _to_trash(self, source: str) -> str:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        trash = Path(TRASH_NAME) / f"{stamp}-{source}"
        (self.folder / TRASH_NAME).mkdir(exist_ok=True)
        shutil.move(self.folder / source, self.folder / trash)
        return str(trash)

    def undo(self, progress=lambda message: None, who: str = "命令行") -> str:
        """Reverse the last upload, deletion or restore that has not been undone yet."""
        self._require_ready()
        with self._lock:
            pending = self._undoable()
            if pending is None:
                raise ReadError("没有可以撤销的更改")
            if pending.action == "remove":
                if pending.trash is None or not (self.folder / pending.trash).exists():
                    raise ReadError(f"删除的文件 {pending.file} 已不在回收站中，无法撤销")
                if (self.folder / pending.file).exists():
                    raise ReadError(f"文件库中已有同名文件 {pending.file}，无法撤销删除")
                shutil.move(self.folder / pending.trash, self.folder / pending.file)
                self._reload(progress)
                self._log(who, "undo", pending.file, pending.notices)
                return f"已撤销删除：恢复 {pending.file}（{'、'.join(pending.notices)}）"
            if not (self.folder / pending.file).exists():
                raise ReadError(f"{pending.file} 已不在文件库中，无法撤销")
            trash = self._to_trash(pending.file)
            self._reload(progress)
            self._log(who, "undo", pending.file, pending.notices, trash)
            return f"已撤销{ACTION_LABELS[pending.action]}：移除 {pending.file}（{'、'.join(pending.notices)}）"

    def _undoable(self) -> Change | None:
        """The latest change not yet undone (an undo cancels the change before it, in order)."""
        stack: list[Change] = []
        for change in self.changes():
            if change.action == "undo":
                if stack:
                    stack.pop()
            else:
                stack.append(change)
        return stack[-1] if stack else None

    def restore_bundled(self, progress=lambda message: None, who: str = "命令行") -> str:
        """Put back every bundled notice file the library no longer holds; files uploaded since stay."""
        self._require_ready()
        with self._lock:
            copied = self._copy_bundled()
            if not copied:
                return "自带通知都在文件库中，无需恢复"
            self._reload(progress)
            for name in copied:
                self._log(who, "restore", name, self._notices_of(name))
        notices = [notice for name in copied for notice in self._notices_of(name)]
        return f"已恢复自带通知：{'、'.join(notices)}"


def plain_progress(message: str) -> str:
    """A build step as the page shows it: no folder paths (``索引完成：… → /root/.cache/…``)."""
    return re.sub(r"\s*→\s*\S.*$", "", message).strip() or "正在准备"
