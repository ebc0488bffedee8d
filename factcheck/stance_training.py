"""Train and evaluate the stance cross-encoder (fine-tuned from the packaged MiniLM) on CPU.

One command reproduces the shipped artifact:
``python -m factcheck.stance_training --data ../shared/data/nli --out factcheck/models/stance``.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from factcheck.errors import InputError
from factcheck.stance_model import (
    LABELS,
    NLI_TO_INDEX,
    StanceConfig,
    StanceModel,
    base_layer_state,
    bf16_native,
    build_network,
    load_base_encoder,
    save_artifact,
)

logger = logging.getLogger(__name__)

# Relative sampling weight of each source in the training mix. VitaminC (contrastive
# evidence) and the real neutrals are kept whole; breaking_nli is template-like
# (one swapped word, 87% contradiction), so only a little of it is used.
SOURCE_WEIGHTS: dict[str, float] = {
    "vitaminc_real": 1.0,
    "vitaminc_synthetic": 0.7,
    "fever_dev": 0.5,
    "fever_symmetric": 1.0,
    "fever_adversarial": 1.0,
    "snli_devtest_esnli": 1.0,
    "breaking_nli": 0.12,
    "synthetic_neutral": 1.0,
    "hard_number": 1.0,
    "hard_negation": 1.0,
    "hard_antonym": 1.0,
    "hard_swap": 1.0,
}
# Upper bounds on synthesised hard negatives, per kind.
HARD_CAPS = {"hard_number": 6000, "hard_negation": 4000, "hard_antonym": 2500, "hard_swap": 1000}


@dataclass
class Pair:
    """One labelled (claim, evidence) training or evaluation example."""

    claim: str
    evidence: str
    label: int
    source: str


def read_pairs(path: Path) -> list[Pair]:
    """Read an NLI JSONL file ({premise, hypothesis, label[, source]}) into claim/evidence pairs."""
    if not path.is_file():
        raise InputError(f"NLI data file {path} does not exist; pass --data pointing at shared/data/nli.")
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            pairs.append(
                Pair(
                    claim=row["hypothesis"],
                    evidence=row["premise"],
                    label=NLI_TO_INDEX[row["label"]],
                    source=row.get("source", path.parent.name),
                )
            )
    return pairs


# ---------------------------------------------------------------- hard negatives

_NUM_RE = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?![\w,])|(?<![\w.])\d+(?:\.\d+)?(?![\w])")
_AUX_RE = re.compile(
    r"\b(is|was|are|were|has|have|had|can|will|does|did|could|would|should)\b( not\b)?"
)
# Words that make a changed number still true ("before 2012" -> "before 2013").
_COMPARATIVE_RE = re.compile(
    r"\b(before|after|since|until|by|over|under|than|least|most|nearly|about|around|"
    r"approximately|almost|up to|within|exceed\w*|between|from|to|through)\W+$",
    re.IGNORECASE,
)
_ANTONYMS = [
    ("increased", "decreased"), ("rose", "fell"), ("won", "lost"), ("higher", "lower"),
    ("more", "fewer"), ("before", "after"), ("first", "last"), ("largest", "smallest"),
    ("older", "younger"), ("larger", "smaller"), ("north", "south"), ("east", "west"),
    ("male", "female"), ("positive", "negative"), ("best", "worst"), ("win", "lose"),
    ("above", "below"), ("maximum", "minimum"), ("highest", "lowest"), ("earlier", "later"),
    ("oldest", "youngest"), ("longest", "shortest"), ("success", "failure"), ("alive", "dead"),
    ("increase", "decrease"), ("gained", "lost"), ("supported", "opposed"), ("accepted", "rejected"),
]
_ANTONYM_MAP = {a: b for a, b in _ANTONYMS} | {b: a for a, b in _ANTONYMS if b not in {"lost"}}
_ANTONYM_RE = re.compile(r"\b(" + "|".join(sorted(_ANTONYM_MAP, key=len, reverse=True)) + r")\b")
_SWAP_RE = re.compile(
    r"^(?P<a>[A-Z][\w.' -]{1,40}?) (?P<v>defeated|beat|outscored|won against) "
    r"(?P<b>[A-Z][\w.' -]{1,40}?)(?P<rest>(?: in | at | on | by | during | for |,|\.$|$).*)$"
)


def _other_number(token: str, rng: random.Random) -> str:
    """Return a plausible but different number in the same format as token."""
    plain = token.replace(",", "")
    if "." in plain:
        value = float(plain)
        decimals = len(plain.split(".")[1])
        new = value + rng.choice([-1, 1]) * max(10**-decimals, round(value * rng.uniform(0.1, 0.4), decimals))
        return f"{new:.{decimals}f}"
    value = int(plain)
    if 1500 <= value <= 2100 and len(plain) == 4:
        new = value + rng.choice([-10, -3, -2, -1, 1, 2, 3, 10])
    elif value < 10:
        new = rng.choice([v for v in range(0, 13) if v != value])
    else:
        new = value + rng.choice([-1, 1]) * max(1, int(value * rng.uniform(0.1, 0.5)))
        new = abs(new) if new != value else value + 1
    text = str(new)
    return f"{new:,}" if "," in token else text


def synthesise_hard_negatives(pairs: Sequence[Pair], rng: random.Random) -> list[Pair]:
    """Make contradiction pairs from supported ones: changed numbers, negation, antonyms, swaps."""
    made: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        if p.label != NLI_TO_INDEX["entailment"] or p.source == "breaking_nli":
            continue
        claim, evidence = p.claim, p.evidence
        # 1) a number or year the evidence states, changed in the claim or in the evidence
        nums = [
            m
            for m in _NUM_RE.finditer(claim)
            if m.group(0) in evidence
            and not _COMPARATIVE_RE.search(" ".join(claim[: m.start()].split()[-3:]) + " ")
        ]
        if nums:
            m = rng.choice(nums)
            new = _other_number(m.group(0), rng)
            if new not in evidence and new != m.group(0):
                if rng.random() < 0.6:
                    made["hard_number"].append(
                        Pair(claim[: m.start()] + new + claim[m.end():], evidence, 1, "hard_number")
                    )
                else:
                    made["hard_number"].append(
                        Pair(claim, evidence.replace(m.group(0), new), 1, "hard_number")
                    )
        # 2) negation inserted into (or removed from) the claim
        aux = _AUX_RE.search(claim)
        # Negating comparisons ("not less than") gives muddled sentences; skip those.
        if aux and " than " not in claim:
            if aux.group(2):
                flipped = claim[: aux.start()] + aux.group(1) + claim[aux.end():]
            else:
                flipped = claim[: aux.end()] + " not" + claim[aux.end():]
            made["hard_negation"].append(Pair(flipped, evidence, 1, "hard_negation"))
        # 3) an antonym swapped into the claim (only where the evidence lacks the antonym)
        ant = _ANTONYM_RE.search(claim)
        if ant and _ANTONYM_MAP[ant.group(1)] not in evidence:
            flipped = claim[: ant.start()] + _ANTONYM_MAP[ant.group(1)] + claim[ant.end():]
            made["hard_antonym"].append(Pair(flipped, evidence, 1, "hard_antonym"))
        # 4) winner and loser swapped
        sw = _SWAP_RE.match(claim)
        if (
            sw
            and sw.group("a") != sw.group("b")
            and not re.search(r"\d|'s\b", sw.group("a") + sw.group("b"))
            and sw.group("a") in evidence
            and sw.group("b") in evidence
        ):
            flipped = f"{sw.group('b')} {sw.group('v')} {sw.group('a')}{sw.group('rest')}"
            made["hard_swap"].append(Pair(flipped, evidence, 1, "hard_swap"))
    out: list[Pair] = []
    for kind, rows in made.items():
        rng.shuffle(rows)
        out.extend(rows[: HARD_CAPS[kind]])
    return out


def build_training_mix(
    pairs: Sequence[Pair], rng: random.Random, max_pairs: int | None,
    source_weights: dict[str, float] | None = None,
) -> list[Pair]:
    """Weight the sources (plus synthesised hard negatives) and subsample to max_pairs."""
    weights = {**SOURCE_WEIGHTS, **(source_weights or {})}
    pool = list(pairs) + synthesise_hard_negatives(pairs, rng)
    by_source: dict[str, list[Pair]] = defaultdict(list)
    for p in pool:
        by_source[p.source].append(p)
    wanted = {s: len(rows) * weights.get(s, 1.0) for s, rows in by_source.items()}
    total = sum(wanted.values())
    scale = min(1.0, (max_pairs / total)) if max_pairs else 1.0
    mix: list[Pair] = []
    for source in sorted(by_source):
        rows = by_source[source]
        rng.shuffle(rows)
        mix.extend(rows[: int(round(wanted[source] * scale))])
    rng.shuffle(mix)
    return mix


# ---------------------------------------------------------------- batching


def encode_pairs(tokenizer, pairs: Sequence[Pair], max_len: int) -> tuple[list, list]:
    """Tokenise (claim, evidence) pairs without padding; returns input ids and token types."""
    enc = tokenizer(
        [p.claim for p in pairs],
        [p.evidence for p in pairs],
        truncation="longest_first",
        max_length=max_len,
        padding=False,
    )
    return enc["input_ids"], enc["token_type_ids"]


def bucketed_batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Group indices of similar length into batches (within shuffled windows), then shuffle batches."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    window = batch_size * 50
    batches = []
    for start in range(0, len(idx), window):
        chunk = sorted(idx[start : start + window], key=lambda i: lengths[i])
        batches.extend(chunk[j : j + batch_size] for j in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def collate(ids: Sequence[list[int]], types: Sequence[list[int]], batch: Sequence[int]):
    """Pad one batch to its longest member; returns (input_ids, attention_mask, token_type_ids)."""
    import torch

    width = max(len(ids[i]) for i in batch)
    input_ids = torch.zeros((len(batch), width), dtype=torch.long)
    type_ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, i in enumerate(batch):
        n = len(ids[i])
        input_ids[row, :n] = torch.tensor(ids[i])
        type_ids[row, :n] = torch.tensor(types[i])
        mask[row, :n] = 1
    return input_ids, mask, type_ids


# ---------------------------------------------------------------- metrics


def classification_metrics(gold: Sequence[int], pred: Sequence[int]) -> dict:
    """Return accuracy, macro-F1, per-class P/R/F1 and the confusion matrix (rows = gold)."""
    n = len(LABELS)
    confusion = [[0] * n for _ in range(n)]
    for g, p in zip(gold, pred):
        confusion[g][p] += 1
    per_class = {}
    f1s = []
    present = [k for k in range(n) if any(confusion[k])]
    for k in range(n):
        tp = confusion[k][k]
        fp = sum(confusion[r][k] for r in range(n)) - tp
        fn = sum(confusion[k]) - tp
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_class[LABELS[k]] = {"precision": prec, "recall": rec, "f1": f1, "support": sum(confusion[k])}
        if k in present:
            f1s.append(f1)
    total = len(gold)
    return {
        "n": total,
        "accuracy": sum(confusion[k][k] for k in range(n)) / total if total else 0.0,
        # Macro-F1 over the classes the slice contains (FEVER slices have no neutrals).
        "macro_f1": sum(f1s) / len(f1s) if f1s else 0.0,
        "per_class": per_class,
        "confusion": confusion,
    }


def evaluate_stance(
    pairs: Sequence[Pair], model: StanceModel | None = None, *, model_dir: Path | None = None,
    batch_size: int = 64,
) -> dict:
    """Score pairs with the (shipped or given) model; overall and per-source metrics plus speed."""
    model = model or StanceModel(model_dir)
    model.warm_up()
    t0 = time.perf_counter()
    probs = model.predict([(p.claim, p.evidence) for p in pairs], batch_size=batch_size)
    elapsed = time.perf_counter() - t0
    pred = [max(range(len(LABELS)), key=lambda k: pr[LABELS[k]]) for pr in probs]
    gold = [p.label for p in pairs]
    result = classification_metrics(gold, pred)
    result["pairs_per_s"] = len(pairs) / elapsed if elapsed else 0.0
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by_source[p.source].append(i)
    result["per_source"] = {
        s: classification_metrics([gold[i] for i in rows], [pred[i] for i in rows])
        for s, rows in sorted(by_source.items())
    }
    return result


def scifact_pairs(scifact_dir: Path) -> list[Pair]:
    """Build SciFact train stance pairs: claim vs rationale sentences, and NEI claim vs cited abstract."""
    corpus = {}
    with (scifact_dir / "corpus.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            corpus[int(doc["doc_id"])] = doc["abstract"]
    pairs = []
    with (scifact_dir / "claims_train.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            claim = json.loads(line)
            evidence = claim.get("evidence") or {}
            if evidence:
                for doc_id, sets in evidence.items():
                    abstract = corpus.get(int(doc_id))
                    if abstract is None:
                        continue
                    for rset in sets:
                        text = " ".join(abstract[i] for i in rset["sentences"])
                        label = 0 if rset["label"] == "SUPPORT" else 1
                        pairs.append(Pair(claim["claim"], text, label, "scifact_rationale"))
            else:
                for doc_id in claim.get("cited_doc_ids", []):
                    abstract = corpus.get(int(doc_id))
                    if abstract is not None:
                        pairs.append(Pair(claim["claim"], " ".join(abstract), 2, "scifact_nei_abstract"))
    return pairs


# ---------------------------------------------------------------- training


def _lr_factor(step: int, total: int, warmup: int) -> float:
    if step < warmup:
        return (step + 1) / warmup
    return max(0.0, (total - step) / max(1, total - warmup))


def train_stance(
    data_dir: Path,
    out_dir: Path,
    *,
    seed: int = 13,
    epochs: float = 2.0,
    max_pairs: int | None = None,
    max_len: int = 128,
    batch_size: int = 32,
    mode: str = "full",
    rank: int = 16,
    lora_layers: tuple[int, ...] = (2, 3, 4, 5),
    max_steps: int | None = None,
    time_budget_min: float | None = None,
    lr: float | None = None,
    head_lr: float | None = None,
    precision: str = "auto",
    device: str = "auto",
    source_weights: dict[str, float] | None = None,
    checkpoint_dir: Path | None = None,
    checkpoint_every: int = 400,
    threads: int = 2,
    log: Callable[[str], None] = logger.info,
) -> dict:
    """Fine-tune the cross-encoder on data_dir/_splits/train.jsonl; save to out_dir; return metrics.

    mode "full" trains every transformer layer (embeddings frozen) and ships fp16 deltas;
    mode "lora" trains low-rank adapters on lora_layers. precision "bf16" runs the forward
    pass under bfloat16 autocast (master weights stay fp32): about twice as fast on CPUs with
    AVX512-BF16, which "auto" detects. device "auto" uses a CUDA GPU when one is present.
    """
    import torch

    if mode not in {"full", "lora"}:
        raise InputError(f"unknown stance training mode {mode!r}; use 'full' or 'lora'.")
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    rng = random.Random(seed)
    t_start = time.time()
    dev = torch.device("cuda" if device == "auto" and torch.cuda.is_available() else
                       ("cpu" if device == "auto" else device))
    if precision == "auto":
        native = torch.cuda.is_bf16_supported() if dev.type == "cuda" else bf16_native()
        precision = "bf16" if native else "fp32"
    if precision not in {"bf16", "fp32"}:
        raise InputError(f"unknown precision {precision!r}; use auto, bf16 or fp32.")
    lr = lr if lr is not None else (8e-5 if mode == "full" else 5e-4)
    head_lr = head_lr if head_lr is not None else (1e-3 if mode == "full" else 2e-3)

    train = read_pairs(data_dir / "_splits" / "train.jsonl")
    mix = build_training_mix(train, rng, max_pairs or None, source_weights)
    counts = Counter(p.source for p in mix)
    label_counts = Counter(LABELS[p.label] for p in mix)
    log(f"training mix: {len(mix)} pairs; by source {dict(sorted(counts.items()))}; by label {dict(label_counts)}")

    encoder, tokenizer = load_base_encoder()
    if mode == "full":
        config = StanceConfig(max_len=max_len, lora_layers=(), mode="full")
    else:
        config = StanceConfig(rank=rank, alpha=2.0 * rank, max_len=max_len, lora_layers=tuple(lora_layers))
    net = build_network(encoder, config, with_lora=True)
    base_state = base_layer_state(net) if mode == "full" else None
    trained_layers = tuple(f"encoder.encoder.layer.{i}." for i in lora_layers)
    for name, param in net.named_parameters():
        if mode == "full":
            # The word/position embeddings (half the network's weights) stay as packaged.
            param.requires_grad = not name.startswith("encoder.embeddings.") and not name.startswith(
                "encoder.pooler."
            )
        else:
            # Nothing below the lowest adapted layer needs gradients, so autograd skips it.
            param.requires_grad = name.startswith("head.") or (
                name.startswith(trained_layers) and ("lora_" in name or "LayerNorm" in name)
            )
    net.to(dev)
    body_params = [p for n, p in net.named_parameters() if p.requires_grad and not n.startswith("head.")]
    head_params = list(net.head.parameters())
    optim = torch.optim.AdamW(
        [{"params": body_params, "lr": lr}, {"params": head_params, "lr": head_lr}], weight_decay=0.01
    )
    base_lrs = [lr, head_lr]

    ids, types = encode_pairs(tokenizer, mix, max_len)
    labels = torch.tensor([p.label for p in mix])
    lengths = [len(x) for x in ids]
    n_epochs = max(1, math.ceil(epochs))
    plan: list[list[int]] = []
    for _ in range(n_epochs):
        plan.extend(bucketed_batches(lengths, batch_size, rng))
    total_steps = int(round(len(plan) * epochs / n_epochs))
    if max_steps:
        total_steps = min(total_steps, max_steps)
    plan = plan[:total_steps]
    warmup = max(1, min(150, int(0.06 * total_steps)))
    log(f"{total_steps} steps of batch {batch_size}, warmup {warmup}, max_len {max_len}, "
        f"mode {mode}, {precision} on {dev}")

    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=0.05)
    net.train()
    t_train = time.time()
    seen = 0
    running = 0.0
    # Re-estimated every 200 steps because the shared CPU's load changes during a run.
    calibrate_at = 100
    for step, batch in enumerate(plan):
        if time_budget_min and step % 200 == calibrate_at and step < total_steps:
            # Shorten the run (and its LR schedule) so it ends within the wall-clock budget;
            # the resulting step count is recorded so --max-steps reproduces it exactly.
            per_step = (time.time() - t_train) / step
            remaining = time_budget_min * 60 - (time.time() - t_start) - 240
            total_steps = max(step + 1, min(len(plan), step + int(remaining / per_step)))
            log(f"time budget: {per_step:.2f} s/step -> {total_steps} steps")
        if step >= total_steps:
            break
        if step % 50 == 0 and threads > 1:
            # On an oversubscribed machine a second OpenMP thread mostly waits at barriers
            # for the first, so drop to one thread while the load is high.
            want = 1 if os.getloadavg()[0] > 2 * threads else threads
            if want != torch.get_num_threads():
                torch.set_num_threads(want)
                log(f"load {os.getloadavg()[0]:.1f}: using {want} thread(s)")
        factor = _lr_factor(step, total_steps, warmup)
        for group, base in zip(optim.param_groups, base_lrs):
            group["lr"] = base * factor
        input_ids, mask, type_ids = (t.to(dev) for t in collate(ids, types, batch))
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=precision == "bf16"):
            logits = net(input_ids, mask, type_ids)
        loss = loss_fn(logits.float(), labels[batch].to(dev))
        optim.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for g in optim.param_groups for p in g["params"]], 1.0)
        optim.step()
        seen += len(batch)
        running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
        if (step + 1) % 50 == 0 or step + 1 == total_steps:
            rate = seen / (time.time() - t_train)
            eta = (total_steps - step - 1) * batch_size / rate
            log(f"step {step + 1}/{total_steps} loss {running:.4f} {rate:.1f} pairs/s eta {eta / 60:.1f} min")
        if checkpoint_dir is not None and (step + 1) % checkpoint_every == 0:
            save_artifact(net.cpu(), config, checkpoint_dir, extra={"step": step + 1}, base=base_state)
            net.to(dev)
            log(f"checkpoint at step {step + 1} -> {checkpoint_dir}")
    train_s = time.time() - t_train
    net.eval()
    net.cpu()

    extra = {
        "seed": seed,
        "epochs": epochs,
        "max_pairs": max_pairs,
        "source_weights": source_weights or {},
        "steps": total_steps,
        "mode": mode,
        "precision": precision,
        "device": str(dev),
        **({"lora_layers": list(lora_layers), "rank": rank} if mode == "lora" else {}),
        "max_len": max_len,
        "pairs_seen": seen,
        "mix_by_source": dict(sorted(counts.items())),
        "mix_by_label": dict(label_counts),
        "batch_size": batch_size,
        "lr": lr,
        "head_lr": head_lr,
        "train_seconds": round(train_s, 1),
        "train_pairs_per_s": round(seen / train_s, 2),
    }
    save_artifact(net, config, out_dir, extra=extra, base=base_state)
    log(f"saved artifact to {out_dir} after {train_s / 60:.1f} min of training")

    heldout = read_pairs(data_dir / "_splits" / "heldout.jsonl")
    metrics = evaluate_stance(heldout, StanceModel(out_dir))
    metrics["training"] = extra
    metrics["total_seconds"] = round(time.time() - t_start, 1)
    log(f"heldout accuracy {metrics['accuracy']:.4f} macro-F1 {metrics['macro_f1']:.4f}")
    return metrics


def _main(argv: Iterable[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="shared/data/nli directory")
    parser.add_argument("--out", type=Path, required=True, help="artifact directory to write")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--max-pairs", type=int, default=0, help="subsample the mix (0: all of it)")
    parser.add_argument("--mode", choices=["full", "lora"], default="full",
                        help="full: every layer, stored as fp16 deltas (the shipped model); lora: adapters on layers 2-5")
    parser.add_argument("--precision", choices=["auto", "bf16", "fp32"], default="auto",
                        help="bf16 autocast trains about 2x faster on CPUs with AVX512-BF16 (auto uses it where native)")
    parser.add_argument("--weight", action="append", default=[], metavar="SOURCE=W",
                        help="override one source's sampling weight, e.g. snli_devtest_esnli=1.0")
    parser.add_argument("--device", default="auto", help="auto (CUDA when present), cpu or cuda")
    parser.add_argument("--max-len", type=int, default=128)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument("--time-budget-min", type=float, default=None,
                        help="shorten the run to end within this many minutes (steps are logged)")
    parser.add_argument("--checkpoint-dir", type=Path, default=None)
    parser.add_argument("--checkpoint-every", type=int, default=400)
    parser.add_argument("--metrics-out", type=Path, default=None, help="write metrics JSON here")
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    metrics = train_stance(
        args.data, args.out, seed=args.seed, epochs=args.epochs, max_pairs=args.max_pairs,
        max_len=args.max_len, batch_size=args.batch_size, checkpoint_dir=args.checkpoint_dir,
        checkpoint_every=args.checkpoint_every, max_steps=args.max_steps,
        time_budget_min=args.time_budget_min, mode=args.mode, precision=args.precision, device=args.device,
        source_weights={k: float(v) for k, v in (w.split("=", 1) for w in args.weight)},
    )
    text = json.dumps(metrics, indent=2)
    if args.metrics_out:
        args.metrics_out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    # glibc returns freed activation memory to the OS after every step unless these are
    # high, which made CPU training much slower; they must be set before the process starts.
    # 32 MiB is the largest mmap threshold glibc accepts (larger values are ignored).
    if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="33554432", MALLOC_TRIM_THRESHOLD_="2000000000")
        os.execve(sys.executable, [sys.executable, "-m", "factcheck.stance_training", *sys.argv[1:]], env)
    sys.exit(_main())
