"""The clause index on disk: built incrementally by content hash, loaded as a `Corpus`.

Layout under ``Settings.clause_index_dir``::

    files/<sha256 of the source bytes>.json   notices and clauses parsed from one file
    manifest.json                             source name -> sha256, for the current build

A build parses only files whose bytes it has not seen, validates every changed
file before writing anything, and replaces the manifest atomically, so a failed
build leaves the previous index exactly as it was.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from index.notices import parse_notices
from index.passages import is_heading_only
from index.read import SUPPORTED_SUFFIXES, ReadError, read_notice_bytes
from index.records import Anomaly, Clause, Notice
from index.settings import Settings

Progress = Callable[[str], None]


@contextmanager
def collection_paused() -> Iterator[None]:
    """Loading an index allocates hundreds of thousands of objects that form no cycles (clauses, passages,
    postings); each allocation burst triggers the cycle collector, which then walks everything already loaded.
    Pausing it while loading saves about a third of a 100× library's opening (1.5 → 1.0 s); afterwards what was
    loaded is frozen out of its sweeps (`gc.freeze`: freed by reference counting as usual, never walked), else the
    first sweeps after loading walk it all: at 300× that was a quarter of a second on the first question. A pause
    already in force is left as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


class IndexNotReady(RuntimeError):
    """The index is missing or cannot be used; the message says what to run."""


class BuildError(RuntimeError):
    """Some source files could not be indexed; nothing was written."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Corpus:
    """Every notice and clause of one built index, in source order."""

    notices: tuple[Notice, ...]
    clauses: tuple[Clause, ...]
    _notice_by_id: dict[str, Notice] = field(repr=False, compare=False)
    _clause_by_id: dict[str, Clause] = field(repr=False, compare=False)
    # each source file's notices and clauses as parsed (before two files' like ids are told apart), by the
    # sha256 of its bytes: the next build in this process reuses them instead of reading the parse back
    parsed: dict[str, list[tuple[Notice, list[Clause]]]] = field(default_factory=dict, repr=False, compare=False)
    # a key per notice from the source it was parsed from, where the corpus was loaded from a built index
    source_keys: dict[str, str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(
        cls,
        notices: Iterable[Notice],
        clauses: Iterable[Clause],
        parsed: dict[str, list[tuple[Notice, list[Clause]]]] | None = None,
        source_keys: dict[str, str] | None = None,
    ) -> Corpus:
        notices, clauses = tuple(notices), tuple(clauses)
        return cls(
            notices,
            clauses,
            {n.notice_id: n for n in notices},
            {c.clause_id: c for c in clauses},
            parsed or {},
            source_keys,
        )

    def notice(self, notice_id: str) -> Notice:
        return self._notice_by_id[notice_id]

    def clause(self, clause_id: str) -> Clause:
        return self._clause_by_id[clause_id]

    def has_clause(self, clause_id: str) -> bool:
        return clause_id in self._clause_by_id

    def clauses_of(self, notice_id: str) -> list[Clause]:
        return [clause for clause in self.clauses if clause.notice_id == notice_id]

    @cached_property
    def retrievable(self) -> tuple[Clause, ...]:
        """Clauses worth retrieving: everything but bare section titles. A title heads sub-clauses; a short clause
        with none is a requirement of one sentence (第四条 乡镇政府应当配备不少于2名专职安全生产监管人员。). Kept
        once per corpus: the search index and the retriever both need it."""
        parents = {clause.parent_id for clause in self.clauses if clause.parent_id}
        return tuple(clause for clause in self.clauses if not (clause.clause_id in parents and is_heading_only(clause)))

    @cached_property
    def notice_keys(self) -> dict[str, str]:
        """A key per notice that changes whenever what it adds to a search index may: from the bytes of its source
        file, its place there and its id where the corpus was loaded from a built index (no pass over the clauses:
        at 100× that pass was a third of a second per upload), else over its retrievable clauses' ids, texts and
        headings. An update takes out and puts in exactly the notices whose key changed."""
        if self.source_keys is not None:
            return self.source_keys
        digests = {notice.notice_id: hashlib.sha256(notice.notice_id.encode()) for notice in self.notices}
        for clause in self.retrievable:
            digests[clause.notice_id].update(
                f"{clause.clause_id}\x00{clause.text}\x00{'/'.join(clause.headings)}\x01".encode()
            )
        return {notice_id: digest.hexdigest()[:16] for notice_id, digest in digests.items()}

    def clause_counts(self) -> dict[str, int]:
        """Clauses per notice id."""
        counts: dict[str, int] = {}
        for clause in self.clauses:
            counts[clause.notice_id] = counts.get(clause.notice_id, 0) + 1
        return counts

    @property
    def anomalies(self) -> list[Anomaly]:
        return [anomaly for notice in self.notices for anomaly in notice.anomalies]


@dataclass(frozen=True)
class BuildReport:
    parsed: list[str]
    reused: list[str]
    removed: list[str]
    skipped: list[str]
    corpus: Corpus


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_source(data: bytes, name: str) -> tuple[list[Notice], list[Clause]]:
    """Read and parse one source file's bytes; raises ReadError/ValueError with a user-facing message."""
    text = read_notice_bytes(data, name)
    parsed = parse_notices(text, name)
    notices = [item.notice for item in parsed]
    clauses = [clause for item in parsed for clause in item.clauses]
    return notices, clauses


def source_files(source_dir: Path) -> tuple[list[Path], list[Path]]:
    """Supported notice files of a folder, and the other files found there."""
    if not source_dir.is_dir():
        raise IndexNotReady(f"找不到通知文件夹：{source_dir}")
    files: list[Path] = []
    others: list[Path] = []
    for path in sorted(source_dir.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        (files if path.suffix.lower() in SUPPORTED_SUFFIXES else others).append(path)
    return files, others


def build(
    settings: Settings,
    progress: Progress = lambda message: None,
    skip_bad: bool = False,
    loaded: Corpus | None = None,
) -> BuildReport:
    """Bring the clause index up to date with `settings.source_dir`; `loaded`, the corpus this process holds
    (an app between uploads), gives the parses of unchanged files without reading them back."""
    held = loaded.parsed if loaded is not None else {}
    root = settings.clause_index_dir
    files_dir = root / "files"
    previous = _read_manifest(root)
    paths, others = source_files(settings.source_dir)
    manifest: dict[str, str] = {}
    pending: dict[str, dict] = {}
    payloads: dict[str, dict] = {}  # cached parses read while checking them, so loading does not read them again
    parsed, reused, errors = [], [], []
    for number, path in enumerate(paths, 1):
        prefix = f"[{number}/{len(paths)}] {path.name}"
        try:
            if path.stat().st_size > settings.max_file_bytes:
                raise ReadError(f"{path.name}: 文件过大（上限 {settings.max_file_bytes / 1e6:.1f} MB）")
            data = path.read_bytes()
            digest = sha256_bytes(data)
            known = digest in held and (files_dir / f"{digest}.json").exists()
            cached = _read_payload(files_dir / f"{digest}.json") if not known and digest not in pending else None
            if cached is not None:
                payloads[digest] = cached
            if known or cached is not None or digest in pending:
                reused.append(path.name)  # not reported one by one: a line per unchanged file buries what changed
            else:
                notices, clauses = parse_source(data, path.name)
                pending[digest] = _payload(notices, clauses)
                parsed.append(path.name)
                summary = "，".join(f"{n.issuer}{n.year}年" for n in notices[:3]) + ("…" if len(notices) > 3 else "")
                progress(f"{prefix}: 解析出 {len(notices)} 份通知、{len(clauses)} 个条款（{summary}）")
            manifest[path.name] = digest
        except (ReadError, ValueError, OSError) as error:
            errors.append(str(error) if path.name in str(error) else f"{path.name}: {error}")
            progress(f"{prefix}: 出错：{errors[-1]}")
    if errors and not skip_bad:
        raise BuildError(errors)
    removed = sorted(set(previous) - set(manifest))
    try:
        files_dir.mkdir(parents=True, exist_ok=True)
        for digest, payload in pending.items():
            _write_json(files_dir / f"{digest}.json", payload)
        _write_json(root / "manifest.json", {"sources": manifest})
        wanted = set(manifest.values())  # a set: the folder holds a file per source, thousands in a large library
        for stale in files_dir.glob("*.json"):
            if stale.stem not in wanted:
                stale.unlink()
    except OSError as error:  # read-only folder, full disk: the previous index, if any, is still whole
        raise IndexNotReady(
            f"无法写入索引目录 {root}（{error.strerror or type(error).__name__}）：请检查磁盘空间和写入权限"
        ) from None
    corpus = load(settings, {**payloads, **pending}, held)
    progress(f"索引完成：{len(corpus.notices)} 份通知，{len(corpus.clauses)} 个条款 → {root}")
    return BuildReport(
        parsed, reused, removed, errors + [f"{p.name}: 不支持的文件类型，已跳过" for p in others], corpus
    )


def load(
    settings: Settings,
    payloads: dict[str, dict] | None = None,
    held: dict[str, list[tuple[Notice, list[Clause]]]] | None = None,
) -> Corpus:
    """Load the built clause index of `settings.source_dir` (`payloads`: file parses already read, by digest;
    `held`: files' parses as objects, from the corpus this process loaded before)."""
    root = settings.clause_index_dir
    manifest = _read_manifest(root)
    if not (root / "manifest.json").exists():
        raise IndexNotReady(f"还没有建立索引：请先运行 python -m index build（索引目录 {root}）")
    notices: list[Notice] = []
    clauses: list[Clause] = []
    used: set[str] = set()
    by_digest: dict[str, list[tuple[Notice, list[Clause]]]] = {}
    source_keys: dict[str, str] = {}
    for name, digest in manifest.items():
        try:
            parsed = by_digest.get(digest) or (held or {}).get(digest) or _parsed(root, digest, payloads or {})
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise IndexNotReady(
                f"索引文件损坏（{name}）：请重新运行 python -m index build，会自动重建（{type(error).__name__}）"
            ) from None
        by_digest[digest] = parsed
        for place, (notice, own) in enumerate(parsed):
            notice, own = _unique_notice(notice, own, used)
            notices.append(notice)
            clauses.extend(own)
            # its clauses are those of this parse of these bytes, renamed to this id
            source_keys[notice.notice_id] = hashlib.sha256(
                f"{digest}\x00{place}\x00{notice.notice_id}".encode()
            ).hexdigest()[:16]
    return Corpus.of(notices, clauses, by_digest, source_keys)


def _parsed(root: Path, digest: str, payloads: dict[str, dict]) -> list[tuple[Notice, list[Clause]]]:
    """One file's notices, each with its clauses, from its payload (read from disk unless given)."""
    payload = payloads.get(digest) or json.loads((root / "files" / f"{digest}.json").read_text(encoding="utf-8"))
    parsed = []
    for notice_data in payload["notices"]:
        notice = Notice.from_dict(notice_data)
        own = [Clause.from_dict(item) for item in payload["clauses"] if item["notice_id"] == notice.notice_id]
        parsed.append((notice, own))
    return parsed


def _unique_notice(notice: Notice, clauses: list[Clause], used: set[str]) -> tuple[Notice, list[Clause]]:
    """Two files may hold notices of the same issuer and year; later ones get a suffix, in source order."""
    new_id, suffix = notice.notice_id, 2
    while new_id in used:
        new_id, suffix = f"{notice.notice_id}-{suffix}", suffix + 1
    used.add(new_id)
    if new_id == notice.notice_id:
        return notice, clauses

    def renamed(clause_id: str) -> str:
        return new_id + clause_id[len(notice.notice_id) :]

    clauses = [
        replace(
            c,
            clause_id=renamed(c.clause_id),
            notice_id=new_id,
            parent_id=None if c.parent_id is None else renamed(c.parent_id),
        )
        for c in clauses
    ]
    anomalies = tuple(
        replace(a, notice_id=new_id, clause_id=None if a.clause_id is None else renamed(a.clause_id))
        for a in notice.anomalies
    )
    return replace(notice, notice_id=new_id, anomalies=anomalies), clauses


def _payload(notices: list[Notice], clauses: list[Clause]) -> dict:
    return {"notices": [n.to_dict() for n in notices], "clauses": [c.to_dict() for c in clauses]}


def _read_payload(path: Path) -> dict | None:
    """A cached parse that loads, or None: a truncated or damaged one (a killed build, a full disk) is parsed
    again."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(payload.get("notices"), list) and isinstance(payload.get("clauses"), list):
            return payload
    except (OSError, ValueError, AttributeError):
        pass
    return None


def _read_manifest(root: Path) -> dict[str, str]:
    try:
        return json.loads((root / "manifest.json").read_text(encoding="utf-8"))["sources"]
    except (OSError, json.JSONDecodeError, KeyError):
        return {}


def _write_json(path: Path, payload: dict) -> None:
    """Write atomically: a crash mid-write never leaves a half file in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(payload, stream, ensure_ascii=False)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
