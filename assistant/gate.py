"""The answerability decision: do the best clauses answer this question, or do the notices not cover it?

No single score separates the two. Word coverage ranks questions well but is blind
to everyday words; BM25 rewards a close wording match; the semantic model finds a
paraphrase but its cosines for answerable and unanswerable questions sit close
together. So the decision is a small logistic model over these signals, fitted on
one question set (`python -m eval fit-gate`, written to ``gate.json`` beside this
module) and reported on others. Named places and years without a notice, and a
figure asked in a unit no clause states, are decided before and after it by rule.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np

GATE_FILE = Path(__file__).resolve().parent / "gate.json"
# The gate fitted without the semantic signal serves any dense model it was not fitted with.
LEXICAL_ONLY = "none"


@dataclass(frozen=True)
class Signals:
    """What the gate sees of one question and its best clauses."""

    coverage: float  # share of the question's weighted words in the best of the top 3 clauses
    lexical: float  # best BM25 passage score among the top 3 clauses
    dense_gap: float  # best cosine among eligible clauses minus the 10th best: how much the best stands out
    novel: float = 0.0  # share of the question's word weight in words that name things the notices never mention

    def vector(self, names: Sequence[str]) -> np.ndarray:
        values = {
            "coverage": self.coverage,
            "lexical": math.log1p(max(self.lexical, 0.0)),
            "dense_gap": self.dense_gap,
            "novel": self.novel,
        }
        return np.array([values[name] for name in names], dtype=np.float64)


@dataclass(frozen=True)
class Gate:
    """A logistic model over named signals, standardized; `threshold` on the probability of being answerable."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    fitted_on: str = ""

    def probability(self, signals: Signals) -> float:
        z = (signals.vector(self.features) - np.array(self.mean)) / np.array(self.scale)
        return float(1 / (1 + math.exp(-(float(z @ np.array(self.weights)) + self.bias))))

    def admits(self, signals: Signals) -> bool:
        return self.probability(signals) >= self.threshold


def fit(
    signals: Sequence[Signals],
    answerable: Sequence[bool],
    features: Sequence[str],
    wrong_answer_cost: float = 2.0,
    l2: float = 1.0,
    fitted_on: str = "",
) -> Gate:
    """Fit a `Gate` (L2-regularized logistic regression by Newton's method) and choose its threshold.

    The threshold minimizes false refusals plus `wrong_answer_cost` times unanswerable
    questions answered, on the same rows: answering what the notices do not say is
    worse than declining.
    """
    x = np.array([s.vector(features) for s in signals])
    y = np.array(answerable, dtype=np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    beta = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * l2
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1 / (1 + np.exp(-(z @ beta)))
        gradient = z.T @ (y - p) - penalty @ beta
        hessian = (z * (p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    p = 1 / (1 + np.exp(-(z @ beta)))
    candidates = np.unique(np.concatenate([p, [0.5]]))

    def cost(threshold: float) -> float:
        admitted = p >= threshold
        return float(np.sum(~admitted & (y == 1)) + wrong_answer_cost * np.sum(admitted & (y == 0)))

    # among equally good thresholds, the one midway between neighbouring scores generalizes best
    best = min(cost(t) for t in candidates)
    tied = [t for t in candidates if cost(t) == best]
    below = p[p < tied[0]]
    threshold = float((tied[0] + below.max()) / 2) if below.size else float(tied[0])
    return Gate(
        features=tuple(features),
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        weights=tuple(float(v) for v in beta[:-1]),
        bias=float(beta[-1]),
        threshold=threshold,
        fitted_on=fitted_on,
    )


def save(gates: dict[str, Gate], path: Path = GATE_FILE) -> None:
    """Write `gates` into `path`, keeping the gates of other dense models already there."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        payload = {}
    payload.update({name: asdict(gate) for name, gate in gates.items()})
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@cache
def _load(path: Path) -> dict[str, Gate]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: Gate(**{**fields, **{k: tuple(fields[k]) for k in ("features", "mean", "scale", "weights")}})
        for name, fields in data.items()
    }


def gate_for(embedding_model: str, path: Path = GATE_FILE) -> Gate:
    """The gate fitted with `embedding_model`'s semantic signal, else the lexical-only gate."""
    gates = _load(path)
    return gates.get(embedding_model) or gates[LEXICAL_ONLY]
