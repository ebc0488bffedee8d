"""Fit the claim matcher's link and suggest thresholds on CheckThat! training queries, with negatives.

The CheckThat! task always has the right claim in the collection; a desk's archive usually has not: most
incoming claims were never checked before, and then the best candidate is always wrong, however close it
looks. Fitted on the task as posed, a link threshold learns only to tell the right claim from its
neighbours and links far too eagerly. So every training query counts twice (``leave-one-out``): as posed,
with its gold claim archived (its top candidate right or wrong), and with its gold claims taken out (its
top candidate wrong by construction) — the top-1 cosine similarities of both feed the fit, an archive
where half the incoming claims were checked before.

- **link**: the lowest similarity at which the top candidates at or above it are right ``link_precision``
  of the time (a link is shown as the claim's earlier verdict, so it must almost never be wrong);
- **suggest**: the lowest similarity at which the top candidates between it and the link threshold are
  right ``suggest_precision`` of the time (a reviewer confirms or rejects each, so half right is useful).

Run by ``benchmarks/claim_matching.py --write-thresholds``, which ranks the queries with the real matcher
and reports the fitted thresholds on the dev split (never used to fit).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from factcheck.memory.matching import LINKED, SUGGESTED, THRESHOLDS_FILE, MatchThresholds

LINK_PRECISION = 0.95
SUGGEST_PRECISION = 0.5


@dataclass(frozen=True)
class TopCandidate:
    """A query's best candidate: its cosine similarity and whether it is a right match."""

    similarity: float
    correct: bool


def average_precision(ranked: Sequence[str], relevant: set[str], k: int = 5) -> float:
    """AP@k of one ranking (CheckThat!'s MAP@5 averages it over queries); 0 for no relevant item."""
    hits, total = 0, 0.0
    for rank, claim_id in enumerate(ranked[:k], start=1):
        if claim_id in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), k) if relevant else 0.0


def fit_link(candidates: Sequence[TopCandidate], precision: float = LINK_PRECISION) -> float:
    """The lowest similarity above which (inclusive) the top candidates are right at least ``precision`` of
    the time; 1.0 (never link) when no such similarity exists."""
    best, right = 1.0, 0
    ordered = sorted(candidates, key=lambda c: -c.similarity)
    for n, candidate in enumerate(ordered, start=1):
        right += candidate.correct
        tied_below = n < len(ordered) and ordered[n].similarity == candidate.similarity
        if not tied_below and right / n >= precision:
            best = candidate.similarity
    return float(best)


def fit_suggest(candidates: Sequence[TopCandidate], link: float, precision: float = SUGGEST_PRECISION) -> float:
    """The lowest similarity at which the candidates in [it, ``link``) are right at least ``precision`` of
    the time; ``link`` itself (no suggestion band) when none is."""
    best, right, n = link, 0, 0
    ordered = sorted((c for c in candidates if c.similarity < link), key=lambda c: -c.similarity)
    for i, candidate in enumerate(ordered):
        right += candidate.correct
        n += 1
        tied_below = i + 1 < len(ordered) and ordered[i + 1].similarity == candidate.similarity
        if not tied_below and right / n >= precision:
            best = candidate.similarity
    return float(best)


def with_negatives(present: Sequence[TopCandidate], absent: Sequence[float]) -> list[TopCandidate]:
    """The fit's pool: the queries as posed, and the same queries with their gold claims left out (the
    top-1 similarities ``absent``), whose every top candidate is wrong."""
    return [*present, *(TopCandidate(similarity, False) for similarity in absent)]


def fit_thresholds(present: Sequence[TopCandidate], absent: Sequence[float], dense_weight: float,
                   link_precision: float = LINK_PRECISION,
                   suggest_precision: float = SUGGEST_PRECISION) -> MatchThresholds:
    """Link and suggest thresholds for top candidates with (``present``) and without (``absent``) a match."""
    pool = with_negatives(present, absent)
    link = fit_link(pool, link_precision)
    suggest = fit_suggest(pool, link, suggest_precision)
    # Not rounded: a threshold a hair lower than fitted lets in the candidate the precision was counted without.
    return MatchThresholds(link=link, suggest=min(suggest, link), dense_weight=dense_weight)


def decision_figures(present: Sequence[TopCandidate], absent: Sequence[float], thresholds: MatchThresholds) -> dict:
    """What the thresholds do on a split: how often a query is linked or suggested, and how often rightly.

    ``*_rate``: the share of queries (as posed) linked or suggested; ``*_precision``: right ones among them,
    as posed alone and with the left-out queries added (``*_precision_with_negatives``, the fit's mix);
    ``false_*_rate``: the share of left-out queries (no match archived) that still get a link or a suggestion.
    """
    def share(items: list) -> float | None:
        return sum(items) / len(items) if items else None

    posed = [(thresholds.decide(c.similarity), c.correct) for c in present]
    left_out = [thresholds.decide(s) for s in absent]
    out: dict = {"queries": len(present), "left_out_queries": len(absent)}
    for kind, name in ((LINKED, "link"), (SUGGESTED, "suggest")):
        right = [ok for decided, ok in posed if decided == kind]
        wrong_absent = sum(decided == kind for decided in left_out)
        out[f"{name}_rate"] = len(right) / len(present) if present else None
        out[f"{name}_precision"] = share(right)
        out[f"false_{name}_rate"] = wrong_absent / len(absent) if absent else None
        total = len(right) + wrong_absent
        out[f"{name}_precision_with_negatives"] = sum(right) / total if total else None
    return out


def write_thresholds(thresholds: MatchThresholds, provenance: dict, path: str | Path = THRESHOLDS_FILE) -> None:
    """Write the fitted thresholds (what ``MatchThresholds.load`` reads) with how they were fitted."""
    body = {"link": thresholds.link, "suggest": thresholds.suggest, "dense_weight": thresholds.dense_weight,
            **provenance}
    Path(path).write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
