"""Evaluate the shipped stance model: held-out and SciFact metrics, and fp32 / bf16 / int8 speed.

Usage (from the project root):
    python benchmarks/stance_eval.py --data ../shared/data/nli --scifact ../shared/data/scifact \
        --out benchmarks/results/stance_eval.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from factcheck.stance.model import LABELS, StanceModel, bf16_native  # noqa: E402
from benchmarks.stance import paired_difference  # noqa: E402
from factcheck.training.stance import (  # noqa: E402
    evaluate_stance,
    read_mix,
    read_pairs,
    scifact_pairs,
)


def raw_forward_rate(model: StanceModel, pairs, batch_size: int = 32) -> float:
    """Pairs/s of the plain forward pass: input order, each batch padded to its longest pair."""
    import torch

    model.warm_up()
    tok = model._tokenizer
    t0 = time.perf_counter()
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=model.precision == "bf16"):
        for start in range(0, len(pairs), batch_size):
            chunk = pairs[start : start + batch_size]
            enc = tok(
                [p.claim for p in chunk], [p.evidence for p in chunk], truncation="longest_first",
                max_length=model._config.max_len, padding=True, return_tensors="pt",
            )
            model._net(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
    return len(pairs) / (time.perf_counter() - t0)


def summary(name: str, m: dict) -> str:
    """One markdown table row per slice: n, accuracy, macro-F1, per-class F1."""
    f1 = " / ".join(f"{m['per_class'][lab]['f1']:.2f}" for lab in LABELS)
    return f"| {name} | {m['n']} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | {f1} |"


def _labels(model: StanceModel, pairs) -> list[str]:
    """The model's most likely stance for each pair."""
    probs = model.predict([(p.claim, p.evidence) for p in pairs])
    return [max(LABELS, key=lambda label: pr[label]) for pr in probs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--scifact", type=Path, default=None)
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--speed-pairs", type=int, default=600)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--generated", type=Path, default=None,
                        help="also score generated pairs never trained on (generated_eval.jsonl of an in-domain run)")
    parser.add_argument("--generated-sample", type=int, default=600, help="pairs sampled from --generated (seed 0)")
    parser.add_argument("--baseline-dir", type=Path, default=None,
                        help="another stance artifact (e.g. the shipped one) read on the same pairs: macro-F1 "
                             "differences with a 95%% paired bootstrap interval")
    parser.add_argument("--precision", action="append", choices=["fp32", "bf16", "int8"], default=None,
                        help="evaluate only these precisions (repeatable; default: fp32, bf16 where native, int8)")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(2)
    heldout = read_pairs(args.data / "_splits" / "heldout.jsonl")
    precisions = args.precision or ["fp32"] + (["bf16"] if bf16_native() else []) + ["int8"]
    models = {name: StanceModel(args.model_dir, precision=name) for name in precisions}
    scifact = scifact_pairs(args.scifact) if args.scifact else None
    generated = read_mix(args.generated) if args.generated else None
    if generated and args.generated_sample < len(generated):
        generated = random.Random(0).sample(generated, args.generated_sample)
    results: dict = {}
    for name, model in models.items():
        results[f"heldout_{name}"] = evaluate_stance(heldout, model)
        if scifact:
            results[f"scifact_{name}"] = evaluate_stance(scifact, model)
        if generated:
            results[f"generated_{name}"] = evaluate_stance(generated, model)

    sample = random.Random(0).sample(heldout, min(args.speed_pairs, len(heldout)))
    speed = {}
    for name, model in models.items():
        model.warm_up()
        t0 = time.perf_counter()
        model.predict([(p.claim, p.evidence) for p in sample])
        speed[f"{name}_sorted"] = len(sample) / (time.perf_counter() - t0)
        speed[f"{name}_raw_unsorted"] = raw_forward_rate(model, sample)
    results["speed_pairs_per_s"] = speed
    if args.baseline_dir:
        sets = {"heldout": heldout, "scifact": scifact, "generated": generated}
        first = next(iter(models.values()))
        baseline = StanceModel(args.baseline_dir, precision=precisions[0])
        results["versus_baseline"] = {"baseline": str(args.baseline_dir), "precision": precisions[0], **{
            name: paired_difference([LABELS[p.label] for p in pairs], _labels(baseline, pairs), _labels(first, pairs))
            for name, pairs in sets.items() if pairs}}

    print("| slice | n | accuracy | macro-F1 | F1 S / R / N |")
    print("|---|---:|---:|---:|---|")
    for key in [k for k in results if k not in ("speed_pairs_per_s", "versus_baseline")]:
        if key not in results:
            continue
        print(summary(key, results[key]))
        for source, m in results[key]["per_source"].items():
            print(summary(f"  {key}:{source}", m))
    for key in results:
        if "confusion" in results[key]:
            print(f"confusion {key} (rows gold S/R/N, cols predicted): {results[key]['confusion']}")
    for name, diff in results.get("versus_baseline", {}).items():
        if isinstance(diff, dict):
            print(f"{name}: macro-F1 minus the baseline's {diff['difference']:+.3f} "
                  f"(95% paired bootstrap [{diff['ci95'][0]:+.3f}, {diff['ci95'][1]:+.3f}])")
    print("speed (pairs/s):", {k: round(v, 1) for k, v in speed.items()})
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
