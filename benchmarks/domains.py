"""Benchmark 16: other beats — claims checked against a user's own documents, not the shipped corpus.

    python -m benchmarks.domains [--baseline-ref REF]

Each folder under ``benchmarks/domains/`` is one beat a newsroom might cover (local health, city transport),
invented for this benchmark: ``docs/`` holds the reference documents a user would ingest, ``claims.jsonl``
one-sentence claims with the verdict a fact-checker would give from those documents alone (``label``), the
kind of claim (``kind``: restated, or the one detail changed, or unmentioned) and the document it comes from
(``doc``; null for an unmentioned claim about no one document). The sets were written by helpers who read only the documents, never the tool or its answers.

For each beat the documents go into a new store and each claim is checked as a one-sentence input, the first
check-worthy claim's verdict read (none counts as not_enough_evidence, as in benchmark 15). With
``--baseline-ref`` the same claims and documents go through the tree at that git commit, in its own process.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from .common import ROOT, baseline_tree, claim_verdicts, confusion, save

DOMAINS = Path(__file__).with_name("domains")
LABELS = ("supported", "refuted", "not_enough_evidence", "conflicting")


def beats() -> list[Path]:
    """The beat folders: each with a docs/ folder and a claims.jsonl."""
    return sorted(p for p in DOMAINS.iterdir() if (p / "docs").is_dir() and (p / "claims.jsonl").is_file())


def load(beat: Path) -> list[dict]:
    return [json.loads(line) for line in (beat / "claims.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def verdicts(tree: Path, docs: Path, claims: list[str]) -> list[str]:
    """The verdicts the tree at ``tree`` gives ``claims`` over a new store of ``docs`` (its own process)."""
    with tempfile.TemporaryDirectory(prefix="factcheck-domain-") as store:
        return claim_verdicts(tree, docs, claims, store)


def score(rows: list[dict], predicted: list[str]) -> dict:
    """Accuracy, correct counts by gold label and by kind, and the confusion (gold rows, predicted columns)."""
    correct = [r["label"] == p for r, p in zip(rows, predicted)]
    by = {}
    for field in ("label", "kind"):
        by[field] = {}
        for name in dict.fromkeys(r[field] for r in rows):
            hits = [c for r, c in zip(rows, correct) if r[field] == name]
            by[field][name] = {"claims": len(hits), "correct": sum(hits)}
    return {"correct": sum(correct), "accuracy": round(sum(correct) / len(rows), 4), "by_label": by["label"],
            "by_kind": by["kind"],
            "confusion": confusion([r["label"] for r in rows], predicted, LABELS)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="unused (the beats are in the repository)")
    parser.add_argument("--baseline-ref", help="also run the claims through the tree at this git commit")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    base_tree = baseline_tree(args.baseline_ref) if args.baseline_ref else None
    metrics: dict = {"beats": {}}
    for beat in beats():
        rows = load(beat)
        claims = [r["claim"] for r in rows]
        ours = verdicts(ROOT, beat / "docs", claims)
        entry = {"claims": len(rows), "documents": len(list((beat / "docs").glob("*.md"))),
                 "ours": score(rows, ours), "predictions": ours}
        if base_tree is not None:
            before = verdicts(base_tree, beat / "docs", claims)
            entry["baseline"] = {"ref": args.baseline_ref, **score(rows, before), "predictions": before}
            entry["changed"] = [{"claim": r["claim"], "gold": r["label"], "before": b, "after": a}
                                for r, b, a in zip(rows, before, ours) if a != b]
        metrics["beats"][beat.name] = entry
    total = sum(e["claims"] for e in metrics["beats"].values())
    metrics["claims"] = total
    metrics["accuracy"] = round(sum(e["ours"]["correct"] for e in metrics["beats"].values()) / max(total, 1), 4)
    if base_tree is not None:
        metrics["baseline_accuracy"] = round(
            sum(e["baseline"]["correct"] for e in metrics["beats"].values()) / max(total, 1), 4)
    print(json.dumps({name: {k: v for k, v in e.items() if k != "predictions"} for name, e in
                      metrics["beats"].items()}, indent=1)[:4000], flush=True)
    notes = ["Invented beats (benchmarks/domains/*): reference documents a user would ingest, and one-sentence claims "
             "written blind from those documents (14 supported, 14 refuted with one detail changed, 14 the documents "
             "do not settle, per beat). Each beat gets a new store; nothing from corpus/ is used.",
             "A claim judged not check-worthy counts as not_enough_evidence (nothing is checked)."]
    save("domains", metrics, notes, started)
    return metrics


if __name__ == "__main__":
    main()
