"""Chinese tokenization for lexical search: jieba with a domain dictionary, stopwords and query synonyms.

The tokenizer is a callable object passed to whoever needs it (the BM25 index, the
static embedding model), never a module-level global: jieba's own default
tokenizer is shared process state, so each `Tokenizer` owns a private `jieba.Tokenizer`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import marshal
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

from index.normalize import normalize

LEXICON = Path(str(resources.files("index.lexicon")))
_KEEP = re.compile(r"[\u4e00-\u9fff0-9A-Za-z%]")

# Parts of speech (jieba's tag set) that frame a question rather than name its topic: numerals and
# quantifiers (好几年), pronouns (咱), adverbs, places and directions (头上), particles, prepositions,
# conjunctions, adjectives and status words, interjections. A word of these kinds that the notices
# never use says how a cadre talks, not that the question is about something the notices lack.
_FRAME_TAGS = ("m", "q", "r", "d", "s", "f", "u", "p", "c", "y", "e", "o", "a", "z", "b", "t")


# bump when what the tokenizer returns for a text changes (not its word lists: `lexicon_hash` covers those),
# so cached tokens of the old behaviour are not reused
TOKENIZER_VERSION = "t2s-2"  # 2: parts of 非-words dropped


def searchable(text: str) -> str:
    """`normalize`d text in simplified characters, the form words are matched in (never a quote's check).

    A notice copied from a traditional-character mirror (應急管理廳) is found by a question in simplified
    characters, and the other way round. Only text with a real share of traditional characters is converted,
    character by character: a simplified text keeps the few characters that have a traditional reading too
    (显著 stays, not 显着). The share is of distinct characters, counted by set: this runs on every passage.
    """
    normalized = normalize(text)
    table, traditional = _traditional_to_simplified()
    characters = set(normalized)
    changed = len(characters & traditional)
    if changed >= 2 and changed >= 0.05 * len(characters):
        return normalized.translate(table)
    return normalized


@cache
def _traditional_to_simplified() -> tuple[dict[int, str], frozenset[str]]:
    from zhconv.zhconv import getdict

    table = {
        ord(traditional): simplified
        for traditional, simplified in getdict("zh-cn").items()
        if len(traditional) == 1 and len(simplified) == 1 and traditional != simplified
    }
    return table, frozenset(chr(code) for code in table)


def lexicon_hash() -> str:
    """Hash of the shipped word lists: an index built with other lists is a different index."""
    digest = hashlib.sha256()
    for name in ("userdict.txt", "stopwords.txt", "synonyms.tsv"):
        digest.update((LEXICON / name).read_bytes())
    return digest.hexdigest()[:12]


def lexicon_lines(name: str) -> Iterable[str]:
    """The non-comment, non-blank lines of a shipped word list."""
    for line in (LEXICON / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line


class Tokenizer:
    """``tokenizer(text) -> list[str]``: normalized, segmented, stopwords removed."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        """`cache_dir`: where jieba's dictionary, with the word lists added, is kept ready to load, so a new
        process does not rebuild it from jieba's own cache (about 1 s) and its tag table from the dictionary text
        (about 1 s more) on its first question. None: built in memory each time."""
        self._lock = threading.Lock()
        self.cache_dir = cache_dir

    @cached_property
    def _jieba(self):
        try:
            import jieba
        except ImportError as error:  # pragma: no cover - declared dependency
            raise RuntimeError("分词需要 jieba：pip install jieba") from error
        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        prepared = _read_prepared(self._prepared_file("words"), ("freq", "total", "user_tags"))
        if prepared is not None:
            tokenizer.FREQ, tokenizer.total = prepared["freq"], prepared["total"]
            tokenizer.user_word_tag_tab = prepared["user_tags"]
            tokenizer.initialized = True
            return tokenizer
        tokenizer.load_userdict(str(LEXICON / "userdict.txt"))
        # the synonym table's everyday words are words too (追责, 电瓶车), so a question keeps them whole
        for term, expansion in self.synonyms.items():
            for word in (term, *expansion):
                if len(word) > 1:
                    tokenizer.add_word(word)
        tokenizer.initialize()
        _write_prepared(
            self._prepared_file("words"),
            {"freq": tokenizer.FREQ, "total": tokenizer.total, "user_tags": tokenizer.user_word_tag_tab},
        )
        return tokenizer

    def _prepared_file(self, part: str) -> Path | None:
        if self.cache_dir is None:
            return None
        import jieba

        # marshal's format may change between Python versions
        python = f"py{sys.version_info[0]}{sys.version_info[1]}"
        return self.cache_dir / f"jieba-{part}-{lexicon_hash()[:12]}-{jieba.__version__}-{python}.marshal"

    @cached_property
    def stopwords(self) -> frozenset[str]:
        return frozenset(line.strip() for line in lexicon_lines("stopwords.txt"))

    @cached_property
    def synonyms(self) -> dict[str, list[str]]:
        table = {}
        for line in lexicon_lines("synonyms.tsv"):
            term, _, expansion = line.partition("\t")
            table[term.strip()] = expansion.split()
        return table

    def is_word(self, text: str) -> bool:
        """Whether `text` is a word of the dictionary (队伍, 消防队), the notices' own words included."""
        return bool(self._jieba.FREQ.get(text))

    def words(self, text: str) -> list[str]:
        """Segmented words of normalized text (search mode: long words also yield their parts).

        jieba's HMM guesses new words from unknown character runs; in questions it glues
        colloquial fragments into pseudo-words (追责要, 还罚, 内得) that no notice contains,
        so it is off: an unknown run stays as its characters, each checked on its own.
        """
        with self._lock:  # jieba's lazy structures are not safe to build from two threads
            words = self._jieba.lcut_for_search(searchable(text), HMM=False)
        return [w for w in _without_negated_parts(words) if _KEEP.search(w)]

    def __call__(self, text: str) -> list[str]:
        words = self.words(text)
        dropped = [w for w in words if w in self.stopwords and len(w) > 2]
        # the parts of a dropped stop phrase go with it (多长时间 also yields 时间, 长时间)
        return [
            w.lower()
            for w in words
            if w not in self.stopwords and not any(w in phrase and w != phrase for phrase in dropped)
        ]

    def frame_words(self, text: str) -> frozenset[str]:
        """Words of `text` whose part of speech frames a question (see `_FRAME_TAGS`), lowercased.

        A question's coverage is weighed for each of its best clauses, so the tagging is remembered.
        """
        found = self._frames.get(text)
        if found is None:
            with self._lock:
                tagged = list(self._tagger.cut(searchable(text)))
            found = frozenset(pair.word.lower() for pair in tagged if pair.flag.startswith(_FRAME_TAGS))
            if len(self._frames) > 4096:
                self._frames.clear()
            self._frames[text] = found
        return found

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """The words of normalized `text` with their parts of speech (jieba's tags), as written (not lowercased)."""
        with self._lock:
            return [(pair.word, pair.flag) for pair in self._tagger.cut(normalize(text))]

    @cached_property
    def _frames(self) -> dict[str, frozenset[str]]:
        return {}

    @cached_property
    def _tagger(self):
        posseg = _posseg()
        tags = _read_prepared(self._prepared_file("tags"))
        if tags is None:
            tagger = posseg.POSTokenizer(self._jieba)
            tagger.makesure_userdict_loaded()
            _write_prepared(self._prepared_file("tags"), tagger.word_tag_tab)
            return tagger
        # the tag table jieba would read from its dictionary text, already read
        tagger = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
        tagger.tokenizer = self._jieba
        tagger.word_tag_tab = tags
        return tagger

    def query_groups(self, text: str) -> list[tuple[frozenset[str], bool]]:
        """The question's tokens grouped by the word they stand for, each with whether it is a rewrite.

        An everyday term and its expansion (山火 → 森林草原火灾 防灭火 …) are one group whose spellings are
        alternatives (True); a word and its parts (野外用火, 野外, 外用) are one group whose parts add up (False).
        Of nested everyday terms (煤气, 煤气罐, 黑煤气罐) only the longest is read, as jieba reads the longest word.
        """
        tokens = self(text)
        normalized = searchable(text)
        terms = [term for term in self.synonyms if term in normalized]
        terms = [term for term in terms if not any(term != other and term in other for other in terms)]
        groups: list[tuple[set[str], bool]] = [
            ({t for t in tokens if t in term.lower()} | {t for w in self.synonyms[term] for t in self(w)}, True)
            for term in terms
        ]
        # longest first, then in the question's order: a set's order changes with each process's string hashing
        for token in sorted(dict.fromkeys(tokens), key=len, reverse=True):
            if any(token in members for members, _ in groups):
                continue
            home = next(
                (members for members, _ in groups if any(token in m for m in members if len(m) > len(token))), None
            )
            if home is not None:
                home.add(token)
            else:
                groups.append(({token}, False))
        return [(frozenset(members), rewrite) for members, rewrite in groups if members]

    def query(self, text: str) -> list[str]:
        """Tokens of a question, with colloquial terms expanded to the notices' own wording."""
        tokens = self(text)
        normalized = searchable(text)
        expanded = list(tokens)
        for term, expansion in self.synonyms.items():
            if term in normalized:
                expanded.extend(t for word in expansion for t in self(word))
        return expanded


def _without_negated_parts(words: list[str]) -> list[str]:
    """Search mode yields a long word's parts before it; of a word negated by 非 (非煤矿山, 非金属), the part that
    follows 非 (煤矿, 金属) names the very thing the word excludes, so it goes (矿山 stays: it is still a mine)."""
    kept: list[str] = []
    for word in words:
        if len(word) >= 3 and word.startswith("非"):
            start = len(kept)
            while start > 0 and kept[start - 1] in word and kept[start - 1] != word:
                start -= 1
            kept[start:] = [part for part in kept[start:] if not word.startswith(part, 1)]
        kept.append(word)
    return kept


_POSSEG_IMPORT = threading.Lock()


def _posseg():
    """jieba.posseg, imported without the default tagger its import builds over jieba's default dictionary
    (350,000 lines read for their tags, about 0.8 s of a one-shot question that needs tags): each `Tokenizer`
    tags with its own table, and nothing here uses posseg's module-level functions. jieba's own `cut`/`lcut`
    are bound to its default tokenizer when jieba is imported, so lending posseg an empty one for the import
    leaves them as they were."""
    with _POSSEG_IMPORT:  # held while checking too: a module being imported is in sys.modules half made
        if "jieba.posseg" not in sys.modules:
            import jieba

            default = jieba.dt
            jieba.dt = jieba.Tokenizer(os.devnull)
            try:
                import jieba.posseg
            finally:
                jieba.dt = default
        return sys.modules["jieba.posseg"]


def _read_prepared(path: Path | None, keys: tuple[str, ...] = ()) -> dict | None:
    """A prepared table (a dict, with `keys`), or None when there is none or it is damaged (then it is built
    again). marshal, not JSON: these are dicts of half a million words, which marshal reads in half the time,
    and unlike pickle it can hold data only, never run code."""
    if path is None:
        return None
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(data, dict) or any(key not in data for key in keys):
        return None
    return data


def _write_prepared(path: Path | None, data) -> None:
    if path is None:
        return
    staging = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging.write_bytes(marshal.dumps(data))
        staging.replace(path)
    except OSError:  # a read-only cache folder costs start-up time, nothing else
        staging.unlink(missing_ok=True)


class TokenCache:
    """Tokens of texts under one word list, on disk, keyed by a hash of the text: tokenize each text once.

    jieba in pure Python is the expensive step of a build without a dense model; a library edit changes a few
    passages, so the rest come from here. New entries are appended (one JSON line each); a damaged line is
    skipped and its text tokenized again, never trusted.
    """

    def __init__(self, folder: Path):
        self.path = folder / f"tokens-{lexicon_hash()[:12]}-{TOKENIZER_VERSION}.jsonl"
        self._known: dict[str, list[str]] | None = None

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()[:24]

    def _read(self) -> dict[str, list[str]]:
        known: dict[str, list[str]] = {}
        try:
            with self.path.open(encoding="utf-8") as lines:
                for line in lines:
                    try:
                        entry = json.loads(line)
                        known[entry["k"]] = entry["t"]
                    except (ValueError, KeyError, TypeError):
                        continue
        except OSError:
            pass
        return known

    def tokens(self, texts: Sequence[str], tokenizer: Callable[[str], list[str]]) -> list[list[str]]:
        if self._known is None:
            self._known = self._read()
        known = self._known
        keys = [self.key(text) for text in texts]
        fresh = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in known and key not in fresh:
                fresh[key] = tokenizer(text)
        if fresh:
            known.update(fresh)
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as out:
                    out.writelines(json.dumps({"k": k, "t": t}, ensure_ascii=False) + "\n" for k, t in fresh.items())
            except OSError:
                pass  # a cache that cannot be written only costs time
        return [known[key] for key in keys]
