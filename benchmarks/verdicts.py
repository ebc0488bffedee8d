"""Benchmark 3: end-to-end verdicts on SciFact claims — retrieval + stance + aggregation vs the gold label.

    python -m benchmarks.verdicts [--data ../shared/data] [--claims N] [--seed 13]

Each claim goes through the library's parts exactly as ``Checker.check`` chains them (hybrid
``Retriever``, ``StanceJudge``, ``verdict.aggregate``) against the SciFact corpus store.
SUPPORT -> supported, CONTRADICT -> refuted, NEI -> not_enough_evidence; "conflicting" counts as wrong.
"""

from __future__ import annotations

import argparse
import json
import random
import time

from .common import data_dir, save, stance_model_info
from .scifact import VERDICTS, load_claims, scifact_store

LABELS = ("supported", "refuted", "not_enough_evidence", "conflicting")


def verdicts(claims: list[str], retriever, judge, thresholds, top_k: int) -> list[str]:
    """The pipeline's retrieval, stance and aggregation for ready-made claims."""
    from factcheck.verdict import Evidence, aggregate

    retrieved = retriever.retrieve(claims, top_k)
    items = [(claim, hit.passage.sentence_texts(), hit.similarity, hit.passage.before)
             for claim, hits in zip(claims, retrieved) for hit in hits]
    results = iter(judge.judge_many(items))
    labels = []
    for hits in retrieved:
        evidence = [Evidence.from_hit(hit, next(results)) for hit in hits]
        labels.append(aggregate(evidence, thresholds).label)
    return labels


def macro_f1_interval(gold: list[str], predicted: list[str], resamples: int = 2000, seed: int = 13) -> list[float]:
    """A 95% bootstrap interval for the verdict macro-F1 (the claims resampled with replacement)."""
    import numpy as np
    from sklearn.metrics import f1_score

    g, p = np.asarray(gold), np.asarray(predicted)
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(resamples):
        i = rng.integers(0, len(g), len(g))
        draws.append(f1_score(g[i], p[i], labels=list(LABELS[:3]), average="macro", zero_division=0))
    return [round(float(x), 4) for x in np.percentile(draws, [2.5, 97.5])]


def evaluate(gold: list[str], predicted: list[str]) -> dict:
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    gold_labels = list(LABELS[:3])
    return {
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "macro_f1": round(float(f1_score(gold, predicted, labels=gold_labels, average="macro", zero_division=0)), 4),
        "macro_f1_ci95": macro_f1_interval(gold, predicted),
        "predicted_counts": {label: predicted.count(label) for label in LABELS},
        "confusion": {"rows_gold": gold_labels, "cols_predicted": list(LABELS),
                      "matrix": confusion_matrix(gold, predicted, labels=list(LABELS))[:3].tolist()},
    }


def previous_run(path) -> dict | None:
    """The predictions a previous run of this benchmark stored beside its figures, with its provenance, or
    None when there is no such file or it holds no predictions (runs before they were stored)."""
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    predictions = record.get("metrics", {}).get("predictions")
    if not predictions:
        return None
    return {"commit": record.get("machine", {}).get("commit"), "date": record.get("date"), **predictions}


def against_previous(gold: list[str], claim_ids: list[int], predicted: list[str], previous: dict | None) -> dict | None:
    """Macro-F1 of this run minus the previous run's on the same claims (paired bootstrap), with the
    counts a fact-checker watches: refuted claims found and false "refuted" verdicts. None when the
    previous run judged other claims."""
    from .stance import paired_difference

    if not previous or previous.get("claim_ids") != claim_ids or not previous.get("model"):
        return None
    before = previous["model"]

    def counts(labels: list[str]) -> dict:
        return {"refuted_found": sum(g == p == "refuted" for g, p in zip(gold, labels)),
                "false_refuted": sum(p == "refuted" != g for g, p in zip(gold, labels)),
                "false_supported": sum(p == "supported" != g for g, p in zip(gold, labels))}

    return {"previous_commit": previous.get("commit"), "previous_date": previous.get("date"),
            **paired_difference(gold, before, predicted), "previous": counts(before), "now": counts(predicted)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding scifact/ (default $FACTCHECK_DATA or ../shared/data)")
    parser.add_argument("--claims", type=int, default=0, help="claims sampled (0: the whole evaluation half)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    data = data_dir(args.data)
    started = time.perf_counter()

    from factcheck.evidence.retrieval import Retriever
    from factcheck.stance.judge import StanceJudge
    from factcheck.verdict import VerdictThresholds

    from .common import RESULTS

    previous = previous_run(RESULTS / "verdicts.json")
    store, settings = scifact_store(data)
    claims = load_claims(data, half="eval")
    if args.claims:
        claims = random.Random(args.seed).sample(claims, min(args.claims, len(claims)))
    gold = [VERDICTS[c.label] for c in claims]
    retriever = Retriever(store, settings)
    thresholds = VerdictThresholds.load()
    metrics: dict = {"claims": len(claims), "seed": args.seed, "top_k": settings.top_k,
                     "gold_counts": {g: gold.count(g) for g in LABELS[:3]}, "modes": {}}
    notes = [f"{len(claims)} claims of the evaluation half of claims_train.jsonl, sampled with random.Random({args.seed})"
             if args.claims else f"All {len(claims)} claims of the evaluation half of claims_train.jsonl: verdict "
             "thresholds were fitted on the other half (factcheck calibrate), so these figures are out of sample.",
             f"Hybrid retrieval, top {settings.top_k} passages per claim, over the whole SciFact corpus."]
    for name, use_model in (("rules (use_model=False)", False), ("model (use_model=True)", True)):
        judge = StanceJudge(use_model=use_model)
        try:
            judge.warm_up()
        except Exception as exc:  # noqa: BLE001 - report what ran, and why the rest did not
            notes.append(f"{name} not reported: the stance model did not load ({type(exc).__name__}).")
            metrics["modes"][name] = None
            continue
        t0 = time.perf_counter()
        predicted = verdicts([c.claim for c in claims], retriever, judge, thresholds, settings.top_k)
        metrics["modes"][name] = {**evaluate(gold, predicted),
                                  "seconds_per_claim": round((time.perf_counter() - t0) / len(claims), 3)}
        print(name, metrics["modes"][name], flush=True)
        if use_model:
            # Stored so that the next run can compare claim by claim (``against_previous``).
            claim_ids = [c.id for c in claims]
            metrics["predictions"] = {"claim_ids": claim_ids, "model": predicted}
            compared = against_previous(gold, claim_ids, predicted, previous)
            if compared:
                metrics["model_vs_previous_run"] = compared
                print("against the previous run", compared, flush=True)
    metrics["stance_model"] = stance_model_info()
    save("verdicts", metrics, notes, started)
    return metrics


if __name__ == "__main__":
    main()
