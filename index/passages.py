"""Retrieval units: each clause cut into short passages of whole sentences.

A long clause (the 2016 provincial notice has 1,600-character sections covering
mines, roads and gas at once) would otherwise score as the average of its
topics; a question matches one sentence of it. Each passage carries the headings
above it, so ``1. 煤矿。…年底前再建成6座…`` is still found by a question about 煤矿.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from index.records import Clause

# a line break inside a clause separates a heading from the text below it (see index.clauses)
SENTENCE_END = re.compile(r"(?<=[。！？；;!?\n])")
# Long enough for a sentence and its neighbour, short enough to stay on one topic.
PASSAGE_CHARS = 160


class Passage(NamedTuple):
    """A retrieval unit (a named tuple: a library's hundred thousand of them load in a fraction of a second)."""

    clause_id: str
    notice_id: str
    text: str  # verbatim sentences of the clause
    context: str  # the headings above and at the clause, for matching only

    @property
    def search_text(self) -> str:
        return f"{self.context} {self.text}"


def split_sentences(text: str) -> list[str]:
    """Sentences of a clause, split after 。！？； (full or half width); verbatim, nothing dropped."""
    return [part for part in SENTENCE_END.split(text) if part.strip()]


def clause_passages(clause: Clause) -> list[Passage]:
    """Consecutive sentences grouped up to `PASSAGE_CHARS`; overlapping by one sentence."""
    sentences = split_sentences(clause.text)
    context = " ".join(clause.headings)
    if not sentences:
        return []
    passages = []
    start = 0
    while start < len(sentences):
        end, length = start, 0
        while end < len(sentences) and (end == start or length + len(sentences[end]) <= PASSAGE_CHARS):
            length += len(sentences[end])
            end += 1
        passages.append(Passage(clause.clause_id, clause.notice_id, "".join(sentences[start:end]), context))
        if end >= len(sentences):
            break
        start = end - 1 if end - 1 > start else end
    return passages


def is_heading_only(clause: Clause) -> bool:
    """A section line such as ``三、聚焦治本攻坚，深化重点领域专项整治``: nothing to quote but its title."""
    body = clause.text.strip()
    # the cheap tests first: this runs over every clause of the library at each start
    return len(body) <= 40 and not re.search(r"[。；;]", body[:-1]) and len(split_sentences(body)) <= 1
