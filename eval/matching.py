"""Hand-labelled checks of the ledger and of requirement matching (diff, alignment).

`eval/ledger.jsonl`: for a unit and a notice, every clause that assigns the unit a task, with the role as the
notice states it and the earliest date the task sets (null where none). The labels are exhaustive for each
query, so precision counts every row the ledger gives for it.

`eval/pairs.jsonl`: pairs of requirement sentences from consecutive provincial notices, a province and a county,
a province and a city, labelled same (the same requirement; wording may differ, figures do not), changed (the
same requirement with another figure, deadline, frequency or scope) or unrelated.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from assistant.diff import Relation, relation
from assistant.ledger import ledger
from index.normalize import is_verbatim
from index.store import Corpus

LEDGER_SET = "ledger.jsonl"
PAIR_SET = "pairs.jsonl"


def _lines(name: str, path: Path | None) -> list[dict]:
    text = path.read_text(encoding="utf-8") if path else resources.files("eval").joinpath(name).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def ledger_metrics(corpus: Corpus, path: Path | None = None) -> dict[str, float]:
    """Precision and recall of the (clause, unit) rows, and how often role and deadline are right where found."""
    given = expected = found = role_right = deadline_right = verbatim = quotes = 0
    known = {notice.notice_id for notice in corpus.notices}
    for query in _lines(LEDGER_SET, path):
        if query["notice"] not in known:
            continue
        rows = ledger(corpus, query["unit"], query["notice"])
        quotes += len(rows)
        verbatim += sum(is_verbatim(row.quote, corpus.clause(row.clause_id).text) for row in rows)
        by_clause = {row.clause_id: row for row in rows}
        labels = {label["clause_id"]: label for label in query["rows"]}
        given += len(by_clause)
        expected += len(labels)
        for clause_id, label in labels.items():
            row = by_clause.get(clause_id)
            if row is None:
                continue
            found += 1
            role_right += str(row.role) == label["role"]
            deadline_right += (row.deadline.isoformat() if row.deadline else None) == label["deadline"]
    return {
        "ledger_rows": float(expected),
        "ledger_precision": found / given if given else 0.0,
        "ledger_recall": found / expected if expected else 0.0,
        "ledger_role_accuracy": role_right / found if found else 0.0,
        "ledger_deadline_accuracy": deadline_right / found if found else 0.0,
        "ledger_quote_verbatim": verbatim / quotes if quotes else 0.0,
    }


def pair_metrics(path: Path | None = None) -> dict[str, float]:
    """Whether two requirements are matched at all (related = same or changed) and whether a change is seen."""
    pairs = _lines(PAIR_SET, path)
    predicted = [relation(pair["before"]["quote"], pair["after"]["quote"]) for pair in pairs]
    labels = [Relation(pair["label"]) for pair in pairs]

    def precision_recall(positive: set[Relation]) -> tuple[float, float]:
        hits = sum(p in positive and g in positive for p, g in zip(predicted, labels, strict=True))
        said = sum(p in positive for p in predicted)
        true = sum(g in positive for g in labels)
        return (hits / said if said else 0.0, hits / true if true else 0.0)

    related = {Relation.SAME, Relation.CHANGED}
    related_precision, related_recall = precision_recall(related)
    changed_precision, changed_recall = precision_recall({Relation.CHANGED})
    agree = sum(p == g for p, g in zip(predicted, labels, strict=True))
    return {
        "pairs": float(len(pairs)),
        "pairs_accuracy": agree / len(pairs) if pairs else 0.0,
        "pairs_related_precision": related_precision,
        "pairs_related_recall": related_recall,
        "pairs_changed_precision": changed_precision,
        "pairs_changed_recall": changed_recall,
    }
