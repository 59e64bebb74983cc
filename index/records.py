"""Frozen value types passed between the indexing stages and to the assistant."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    """Administrative level of the issuing government."""

    NATIONAL = "国家"
    PROVINCE = "省"
    CITY = "市"
    COUNTY = "县"
    TOWN = "乡镇"


class AnomalyKind(StrEnum):
    """Damage found in a source; reported, never repaired."""

    TRUNCATED = "truncated"  # a clause that stops mid-sentence
    LATIN_WORD = "latin_word"  # an English word inside Chinese text
    TRADITIONAL_CHAR = "traditional_char"  # a traditional character in a simplified text
    UNLINKED_TASK = "unlinked_task"  # a task-table row whose clause was not found
    INFERRED_METADATA = "inferred_metadata"  # a field the notice does not state, taken from elsewhere
    MISSING_METADATA = "missing_metadata"  # a field found nowhere (issuer, 文号, date)
    DAMAGED_DATE = "damaged_date"  # a date that lost characters (2024613日): reported, not guessed
    NO_NUMBERING = "no_numbering"  # no 一、（一）1. numbering: indexed paragraph by paragraph


@dataclass(frozen=True)
class Anomaly:
    kind: AnomalyKind
    notice_id: str
    clause_id: str | None
    detail: str


@dataclass(frozen=True)
class Responsibility:
    """Who is responsible for (part of) a clause, as the notice words it.

    `units` is verbatim from the source; `task` is the task-table text the units
    are assigned to (None for inline assignments such as ``（责任单位：…）``).
    """

    units: str
    task: str | None = None
    origin: str = "inline"  # "inline" or "table"


@dataclass(frozen=True)
class Clause:
    """One numbered item of a notice, or its preamble (path ``()``).

    `path` holds the numbering markers from the top level down to this clause in
    a canonical full-width form, e.g. ``("三、", "（十一）", "1.")``; `headings` the
    headings at the same depths. `text` is the clause's own source text (its lines
    joined, its sub-clauses excluded); `start`/`end` locate ``normalize(text)`` in
    the notice's `normalized_text`.
    """

    clause_id: str
    notice_id: str
    path: tuple[str, ...]
    headings: tuple[str, ...]
    text: str
    start: int
    end: int
    parent_id: str | None = None
    units: tuple[Responsibility, ...] = ()

    @property
    def heading(self) -> str:
        return self.headings[-1] if self.headings else "导语"

    @property
    def path_label(self) -> str:
        return "".join(self.path) if self.path else "导语"

    @property
    def depth(self) -> int:
        return len(self.path)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = list(self.path)
        data["headings"] = list(self.headings)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Clause:
        return cls(
            clause_id=data["clause_id"],
            notice_id=data["notice_id"],
            path=tuple(data["path"]),
            headings=tuple(data["headings"]),
            text=data["text"],
            start=data["start"],
            end=data["end"],
            parent_id=data.get("parent_id"),
            units=tuple(Responsibility(**unit) for unit in data.get("units", ())),
        )


@dataclass(frozen=True)
class Notice:
    """One yearly notice with its metadata.

    `title` and `doc_number` are None where the source does not state them;
    `inferred` names the fields that were taken from elsewhere (the body, other
    notices of the same file) rather than read from the notice's own front matter.
    """

    notice_id: str
    issuer: str
    level: Level
    year: int
    doc_number: str | None
    title: str | None
    date: str | None
    source: str
    normalized_text: str
    inferred: tuple[str, ...] = ()
    anomalies: tuple[Anomaly, ...] = field(default=())

    @property
    def display_title(self) -> str:
        return self.title or f"{self.issuer}{self.year}年安全生产工作文件（原文无标题）"

    def reference(self, clause_path: str = "", with_number: bool = False) -> str:
        """How a citation names this notice: ``山西省人民政府2026年《…》（晋政发〔2026〕1号）三、（十一）``."""
        number = f"（{self.doc_number}）" if with_number and self.doc_number else ""
        return f"{self.issuer}{self.year}年《{self.display_title}》{number}{clause_path}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["inferred"] = list(self.inferred)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Notice:
        return cls(
            notice_id=data["notice_id"],
            issuer=data["issuer"],
            level=Level(data["level"]),
            year=data["year"],
            doc_number=data["doc_number"],
            title=data["title"],
            date=data["date"],
            source=data["source"],
            normalized_text=data["normalized_text"],
            inferred=tuple(data.get("inferred", ())),
            anomalies=tuple(
                Anomaly(AnomalyKind(item["kind"]), item["notice_id"], item["clause_id"], item["detail"])
                for item in data.get("anomalies", ())
            ),
        )
