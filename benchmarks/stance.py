"""Benchmarks 2 and 7: stance on SciFact pairs (accuracy, macro-F1, confusion) and stance throughput.

    python -m benchmarks.stance [--data ../shared/data]

Pairs: a claim against each of its rationale sentence sets (SUPPORT -> supports, CONTRADICT -> refutes)
and against each abstract it cites that holds no rationale for it (-> neutral). Each pair goes through
``StanceJudge.judge_many`` as the pipeline sends it, with the dense claim-passage similarity.
Rules only, and with the shipped stance model when it loads. Throughput: the judge's pairs/s against
the raw model forward pass (``StanceModel.predict``) on the very (claim, sentence) pairs the judge sends.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from .common import data_dir, save, stance_model_info
from .scifact import LABELS, load_claims, load_corpus

STANCES = ("supports", "refutes", "neutral")


def build_pairs(data) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """(claim, evidence sentences) items and their gold stances."""
    corpus = load_corpus(data)
    items, gold = [], []
    for claim in load_claims(data):
        for doc, sets in claim.evidence.items():
            abstract = corpus[doc]["abstract"]
            for label, indices in sets:
                items.append((claim.claim, [abstract[i] for i in indices]))
                gold.append(LABELS[label])
        for doc in claim.cited:
            if doc not in claim.evidence and doc in corpus:
                items.append((claim.claim, list(corpus[doc]["abstract"])))
                gold.append("neutral")
    return items, gold


def evaluate(gold: list[str], predicted: list[str]) -> dict:
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    matrix = confusion_matrix(gold, predicted, labels=list(STANCES))
    return {
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "macro_f1": round(float(f1_score(gold, predicted, labels=list(STANCES), average="macro", zero_division=0)), 4),
        "f1_per_class": dict(zip(STANCES, (round(float(x), 4) for x in f1_score(
            gold, predicted, labels=list(STANCES), average=None, zero_division=0)))),
        "confusion": {"rows_gold_cols_predicted": list(STANCES), "matrix": matrix.tolist()},
    }


def _model_or_reason():
    try:
        from factcheck.stance_model import get_stance_model

        model = get_stance_model()
        model.warm_up()
        return model, None
    except Exception as exc:  # noqa: BLE001 - any failure means "report rules only, and say why"
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding scifact/ (default $FACTCHECK_DATA or ../shared/data)")
    args = parser.parse_args(argv)
    data = data_dir(args.data)
    started = time.perf_counter()

    from factcheck.resources import get_embeddings
    from factcheck.stance import StanceJudge

    items, gold = build_pairs(data)
    embeddings = get_embeddings()
    claims = np.asarray(embeddings.embed_documents([c for c, _ in items]))
    evidence = np.asarray(embeddings.embed_documents([" ".join(s) for _, s in items]))
    similarity = (claims * evidence).sum(axis=1)  # normalised vectors: the pipeline's cosine
    judged = [(c, s, float(sim)) for (c, s), sim in zip(items, similarity)]
    counts = {s: gold.count(s) for s in STANCES}
    print(f"{len(items)} pairs {counts}", flush=True)

    metrics: dict = {"pairs": len(items), "gold_counts": counts, "modes": {}, "throughput": {}}
    from factcheck.stance import CALIBRATION_FILE

    notes = ["Pairs from claims_train.jsonl, all of them (no sampling)."]
    if CALIBRATION_FILE.is_file():
        notes.append("Thresholds from factcheck/models/stance/calibration.json: where that was fitted on SciFact "
                     "claims_train, these figures are in-sample.")
    else:
        notes.append("No calibration.json: the stance thresholds are the code's defaults, not fitted on SciFact.")

    rules = StanceJudge(use_model=False)
    t0 = time.perf_counter()
    predicted = [r.stance for r in rules.judge_many(judged)]
    rules_seconds = time.perf_counter() - t0
    metrics["modes"]["rules (use_model=False)"] = evaluate(gold, predicted)
    metrics["throughput"]["rules_items_per_s"] = round(len(items) / rules_seconds, 1)
    print("rules", metrics["modes"]["rules (use_model=False)"], flush=True)

    model, reason = _model_or_reason()
    if model is None:
        notes.append(f"use_model=True not reported: the stance model did not load ({reason}).")
        metrics["modes"]["model (use_model=True)"] = None
    else:
        judge = StanceJudge(use_model=True)
        judge.warm_up()
        # The model pairs the judge will send: each item's candidate sentences (same selection).
        pairs = [(c, s[i]) for c, s, _ in judged for i, _ in judge._candidates(c, [x for x in s if x.strip()] or [""])]
        t0 = time.perf_counter()
        predicted = [r.stance for r in judge.judge_many(judged)]
        judge_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        model.predict(pairs)
        raw_seconds = time.perf_counter() - t0
        metrics["modes"]["model (use_model=True)"] = evaluate(gold, predicted)
        metrics["throughput"].update({
            "model_pairs": len(pairs),
            "judge_pairs_per_s": round(len(pairs) / judge_seconds, 1),
            "raw_model_pairs_per_s": round(len(pairs) / raw_seconds, 1),
            "judge_vs_raw_ratio": round(raw_seconds / judge_seconds, 3),
        })
        print("model", metrics["modes"]["model (use_model=True)"], metrics["throughput"], flush=True)
    metrics["stance_model"] = stance_model_info()
    save("stance", metrics, notes, started)
    return metrics


if __name__ == "__main__":
    main()
