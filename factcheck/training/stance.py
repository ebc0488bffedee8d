"""Train and evaluate the stance cross-encoder (fine-tuned from the packaged MiniLM) on CPU.

One command reproduces the shipped artifact:
``factcheck train-stance --data ../shared/data/nli`` (see ``factcheck train-stance --help``).
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import re
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from factcheck.errors import InputError
from factcheck.stance.model import (
    ADAPTER_FILE,
    CONFIG_FILE,
    DELTA_FILE,
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


def _read_scifact(scifact_dir: Path) -> tuple[dict[int, list[str]], list[dict]]:
    """SciFact's abstracts (doc id -> sentences) and its train claims, in file order."""
    for name in ("corpus.jsonl", "claims_train.jsonl"):
        if not (scifact_dir / name).is_file():
            raise InputError(f"SciFact file {scifact_dir / name} does not exist; pass --scifact pointing at "
                             "shared/data/scifact, or --no-scifact to skip the domain stage.")
    with (scifact_dir / "corpus.jsonl").open(encoding="utf-8") as fh:
        corpus = {int(doc["doc_id"]): doc["abstract"] for doc in (json.loads(line) for line in fh if line.strip())}
    with (scifact_dir / "claims_train.jsonl").open(encoding="utf-8") as fh:
        claims = [json.loads(line) for line in fh if line.strip()]
    return corpus, claims


def scifact_pairs(scifact_dir: Path) -> list[Pair]:
    """SciFact train stance pairs the stance model never trained on (every claim but the domain stage's,
    ``calibration.trains_stance_model``): claim vs rationale sentences, and NEI claim vs cited abstract."""
    from factcheck.training.calibration import trains_stance_model

    corpus, claims = _read_scifact(scifact_dir)
    pairs = []
    for claim in claims:
        if trains_stance_model(claim["id"]):
            continue
        evidence = claim.get("evidence") or {}
        for doc_id, sets in evidence.items():
            abstract = corpus.get(int(doc_id))
            for rset in sets if abstract is not None else ():
                text = " ".join(abstract[i] for i in rset["sentences"])
                pairs.append(Pair(claim["claim"], text, 0 if rset["label"] == "SUPPORT" else 1, "scifact_rationale"))
        for doc_id in claim.get("cited_doc_ids", []) if not evidence else ():
            abstract = corpus.get(int(doc_id))
            if abstract is not None:
                pairs.append(Pair(claim["claim"], " ".join(abstract), 2, "scifact_nei_abstract"))
    return pairs


# ---------------------------------------------------------------- training


def _lr_factor(step: int, total: int, warmup: int) -> float:
    if step < warmup:
        return (step + 1) / warmup
    return max(0.0, (total - step) / max(1, total - warmup))


def _step(net, optim, loss_fn, inputs, labels, precision: str, dev):
    """One optimiser step on one batch (bf16 autocast when asked, gradients clipped at 1); returns the loss."""
    import torch

    input_ids, mask, type_ids = (t.to(dev) for t in inputs)
    with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=precision == "bf16"):
        logits = net(input_ids, mask, type_ids)
    loss = loss_fn(logits.float(), labels.to(dev))
    optim.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_([p for g in optim.param_groups for p in g["params"]], 1.0)
    optim.step()
    return loss


def _nli_stage(
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
    extra_pairs: Sequence[Pair] = (),
    log: Callable[[str], None] = logger.info,
) -> dict:
    """Fine-tune the cross-encoder on data_dir/_splits/train.jsonl; save to out_dir; return its training record.

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
    dev, precision = _device_and_precision(device, precision)
    lr = lr if lr is not None else (8e-5 if mode == "full" else 5e-4)
    head_lr = head_lr if head_lr is not None else (1e-3 if mode == "full" else 2e-3)

    train = read_pairs(data_dir / "_splits" / "train.jsonl") + list(extra_pairs)
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
        loss = _step(net, optim, loss_fn, collate(ids, types, batch), labels[batch], precision, dev)
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
    return extra


def _device_and_precision(device: str, precision: str):
    """The torch device ("auto": CUDA when present) and the training precision ("auto": bf16 where native)."""
    import torch

    dev = torch.device("cuda" if device == "auto" and torch.cuda.is_available() else
                       ("cpu" if device == "auto" else device))
    if precision == "auto":
        native = torch.cuda.is_bf16_supported() if dev.type == "cuda" else bf16_native()
        precision = "bf16" if native else "fp32"
    if precision not in {"bf16", "fp32"}:
        raise InputError(f"unknown precision {precision!r}; use auto, bf16 or fp32.")
    return dev, precision


# ---------------------------------------------------------------- SciFact domain stage

# The domain stage's recipe, chosen on the calibration quarter of SciFact and the NLI fit half (the model
# alone, mean of the two macro-F1s; the evaluation halves were not looked at): a few passes at a low rate
# over the training quarter's pairs mixed with as many replayed NLI pairs, so the model learns how
# abstracts state findings without forgetting the contrastive evidence it learnt first.
DOMAIN_LR = 3e-5
DOMAIN_EPOCHS = 3
DOMAIN_REPLAY = 1.0  # replayed NLI training pairs per SciFact pair
DOMAIN_NEUTRALS = 1  # neutral sentences per abstract: one non-rationale sentence of each evidence abstract,
#                      one sentence of each abstract cited by a claim without evidence
UNRELATED_NEUTRALS = 1  # per claim: a sentence of some other abstract


def scifact_domain_pairs(scifact_dir: Path, rng: random.Random, neutrals_per_abstract: int = DOMAIN_NEUTRALS,
                         ) -> list[Pair]:
    """Stance pairs from the SciFact claims the model may train on (``calibration.trains_stance_model``):
    claim vs each rationale set (supports / refutes), and claim vs single sentences that state neither, taken
    from the same abstracts (on topic, no rationale) and from abstracts cited by claims without evidence."""
    from factcheck.training.calibration import trains_stance_model

    corpus, claims = _read_scifact(scifact_dir)
    pairs = []
    doc_ids = sorted(corpus)
    for claim in claims:
        if not trains_stance_model(claim["id"]):
            continue
        evidence = claim.get("evidence") or {}
        for doc_id, sets in evidence.items():
            abstract = corpus.get(int(doc_id))
            if abstract is None:
                continue
            rationale: set[int] = set()
            for rset in sets:
                rationale.update(rset["sentences"])
                text = " ".join(abstract[i] for i in rset["sentences"])
                pairs.append(Pair(claim["claim"], text, 0 if rset["label"] == "SUPPORT" else 1, "scifact_rationale"))
            rest = [i for i in range(len(abstract)) if i not in rationale]
            for i in rng.sample(rest, min(neutrals_per_abstract, len(rest))):
                pairs.append(Pair(claim["claim"], abstract[i], 2, "scifact_other_sentence"))
        if not evidence:
            for doc_id in claim.get("cited_doc_ids", []):
                abstract = corpus.get(int(doc_id))
                if abstract:
                    for i in rng.sample(range(len(abstract)), min(neutrals_per_abstract, len(abstract))):
                        pairs.append(Pair(claim["claim"], abstract[i], 2, "scifact_nei_sentence"))
        if UNRELATED_NEUTRALS:
            # What retrieval also brings back: a sentence of some other abstract (the data README's recipe
            # for synthetic neutrals), so learning how findings read does not make any finding a support.
            for _ in range(UNRELATED_NEUTRALS):
                abstract = corpus[rng.choice(doc_ids)]
                if abstract:
                    pairs.append(Pair(claim["claim"], rng.choice(abstract), 2, "scifact_unrelated_sentence"))
    return pairs


def scifact_domain_stage(data_dir: Path, scifact_dir: Path, out_dir: Path, *, seed: int = 13,
                         lr: float = DOMAIN_LR, epochs: int = DOMAIN_EPOCHS, replay: float = DOMAIN_REPLAY,
                         max_len: int = 128, batch_size: int = 32, precision: str = "auto", device: str = "auto",
                         threads: int = 2, extra_pairs: Sequence[Pair] = (), record_key: str = "scifact_domain",
                         log: Callable[[str], None] = logger.info) -> dict:
    """Continue training the full-mode artifact in out_dir on SciFact's training quarter (plus replayed NLI
    training pairs), then overwrite it; return the stage's record (kept in the artifact under record_key).

    It starts from the saved artifact (fp16 deltas), so running it right after the NLI stage or later with
    ``--init`` gives the same network; its random state is seeded afresh for the same reason. After the
    in-domain stage the same pass runs again as a refresher (record_key "scifact_refresh"): that stage's
    generated neutrals teach the model to read an abstract's findings as neutral (measured: SciFact pairs
    0.537 -> 0.495 without the refresher, 0.560 with it)."""
    import torch

    from factcheck.stance.model import load_merged_network

    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    rng = random.Random(seed)
    dev, precision = _device_and_precision(device, precision)
    scifact = scifact_domain_pairs(scifact_dir, rng)
    nli_mix = build_training_mix(read_pairs(data_dir / "_splits" / "train.jsonl"), random.Random(seed), None)
    mix = scifact + rng.sample(nli_mix, min(len(nli_mix), int(len(scifact) * replay))) + list(extra_pairs)
    rng.shuffle(mix)
    if record_key == "scifact_domain":
        _before_scifact_stage(out_dir)
    net, tokenizer, config = load_merged_network(out_dir)
    if config.mode != "full":
        raise InputError("the SciFact domain stage continues a full fine-tune; train with --mode full "
                         "(or pass --no-scifact for a LoRA adapter).")
    encoder, _ = load_base_encoder()
    base_state = base_layer_state(build_network(encoder, config, with_lora=True))
    for name, param in net.named_parameters():
        param.requires_grad = not name.startswith(("encoder.embeddings.", "encoder.pooler."))
    body = [p for n, p in net.named_parameters() if p.requires_grad and not n.startswith("head.")]
    base_lrs = [lr, 5 * lr]
    optim = torch.optim.AdamW([{"params": body, "lr": lr}, {"params": list(net.head.parameters()), "lr": 5 * lr}],
                              weight_decay=0.01)
    ids, types = encode_pairs(tokenizer, mix, max_len)
    labels = torch.tensor([p.label for p in mix])
    plan: list[list[int]] = []
    for _ in range(epochs):
        plan.extend(bucketed_batches([len(x) for x in ids], batch_size, rng))
    warmup = max(1, int(0.1 * len(plan)))
    stage = "domain" if record_key == "scifact_domain" else "refresher"
    log(f"SciFact {stage} stage: {len(scifact)} SciFact pairs + {len(mix) - len(scifact)} replayed NLI pairs, "
        f"{len(plan)} steps at lr {lr}")
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=0.05)
    net.to(dev)
    net.train()
    t0 = time.time()
    for step, batch in enumerate(plan):
        for group, base in zip(optim.param_groups, base_lrs):
            group["lr"] = base * _lr_factor(step, len(plan), warmup)
        loss = _step(net, optim, loss_fn, collate(ids, types, batch), labels[batch], precision, dev)
        if (step + 1) % 20 == 0 or step + 1 == len(plan):
            log(f"domain step {step + 1}/{len(plan)} loss {loss.item():.4f}")
    seconds = time.time() - t0
    net.eval()
    net.cpu()
    record = {
        "claims": "SciFact claims_train.jsonl with calibration.trains_stance_model(id) (half of the fit half)",
        "mix_by_source": dict(sorted(Counter(p.source for p in mix).items())),
        "mix_by_label": dict(Counter(LABELS[p.label] for p in mix)),
        "epochs": epochs, "steps": len(plan), "lr": lr, "head_lr": round(5 * lr, 10), "replay": replay,
        "neutrals_per_abstract": DOMAIN_NEUTRALS, "precision": precision, "train_seconds": round(seconds, 1),
    }
    save_artifact(net, config, out_dir, extra=_training_record(out_dir) | {record_key: record}, base=base_state)
    log(f"SciFact domain stage done in {seconds:.0f} s -> {out_dir}")
    return record


# ---------------------------------------------------------------- in-domain stage (generated pairs + CAD)

# The in-domain stage continues a trained artifact over pairs generated from reference documents
# (factcheck.training.perturb), CAD's counterfactual SNLI revisions and replayed pairs of the earlier stages,
# so the model learns the edits that flip a fact-checker's reading without forgetting what it knew.
ADAPT_LR = 3e-5
ADAPT_EPOCHS = 1.0
ADAPT_KIND_CAP = 1500  # generated training pairs per edit kind
ADAPT_REPLAY = 0.6  # replayed NLI training pairs per new (generated or CAD) pair
ADAPT_SCIFACT_ABSTRACTS = 400
ADAPT_NLI_PREMISES = 2500
RUN_FILE, MIX_FILE, STATE_FILE = "run.json", "mix.jsonl", "state.pt"


def read_cad(cad_dir: Path) -> list[Pair]:
    """CAD's counterfactually revised SNLI pairs (nli-extra/cad_snli/train.jsonl) as claim/evidence pairs,
    sourced ``cad_snli``."""
    path = cad_dir / "train.jsonl"
    if not path.is_file():
        raise InputError(f"CAD file {path} does not exist; pass --cad pointing at shared/data/nli-extra/cad_snli.")
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                pairs.append(Pair(row["hypothesis"], row["premise"], NLI_TO_INDEX[row["label"]], "cad_snli"))
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{number}: not a CAD pair ({exc}); each line needs premise, hypothesis "
                                 "and a label among entailment / contradiction / neutral.") from exc
    return pairs


def generated_pairs(data_dir: Path, *, corpus_dir: Path | None, scifact_dir: Path | None, seed: int = 13,
                    scifact_abstracts: int | None = ADAPT_SCIFACT_ABSTRACTS,
                    nli_premises: int | None = ADAPT_NLI_PREMISES) -> tuple[list[Pair], list[Pair], dict]:
    """Pairs generated from the reference documents, split by document: (training side, evaluation side,
    counts by source document type and edit kind). A pair's source is ``gen_<kind>``."""
    from factcheck.resources import get_nlp
    from factcheck.training.perturb import generate_pairs, reference_documents, split_of

    nlp = get_nlp()
    documents = reference_documents(corpus_dir=corpus_dir, scifact_dir=scifact_dir,
                                    nli_train=data_dir / "_splits" / "train.jsonl", nlp=nlp,
                                    scifact_limit=scifact_abstracts, nli_limit=nli_premises, seed=seed)
    train: list[Pair] = []
    held: list[Pair] = []
    counts: Counter = Counter()
    for made in generate_pairs(documents, nlp, seed=seed):
        side = split_of(made.doc_id)
        counts[f"{side}:{made.source}:{made.kind}"] += 1
        (held if side == "eval" else train).append(
            Pair(made.claim, made.evidence, LABELS.index(made.label), f"gen_{made.kind}"))
    return train, held, dict(sorted(counts.items()))


def adapt_mix(data_dir: Path, generated: Sequence[Pair], *, cad_dir: Path | None, scifact_dir: Path | None,
              seed: int = 13, kind_cap: int = ADAPT_KIND_CAP, replay: float = ADAPT_REPLAY) -> list[Pair]:
    """The in-domain stage's shuffled mix: generated pairs (at most kind_cap per edit kind), CAD, replayed NLI
    training pairs (replay per new pair) and, with scifact_dir, the SciFact stage's own pairs again."""
    rng = random.Random(seed)
    by_kind: dict[str, list[Pair]] = defaultdict(list)
    for pair in generated:
        by_kind[pair.source].append(pair)
    mix: list[Pair] = []
    for kind in sorted(by_kind):
        rows = list(by_kind[kind])
        rng.shuffle(rows)
        mix.extend(rows[:kind_cap])
    if cad_dir is not None:
        mix.extend(read_cad(cad_dir))
    nli_mix = build_training_mix(read_pairs(data_dir / "_splits" / "train.jsonl"), random.Random(seed), None)
    mix.extend(rng.sample(nli_mix, min(len(nli_mix), int(len(mix) * replay))))
    if scifact_dir is not None:
        mix.extend(scifact_domain_pairs(scifact_dir, random.Random(seed)))
    rng.shuffle(mix)
    return mix


def write_mix(path: Path, pairs: Sequence[Pair]) -> None:
    """Write pairs as JSON Lines {claim, evidence, label (index into LABELS), source}."""
    with path.open("w", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(json.dumps({"claim": p.claim, "evidence": p.evidence, "label": p.label, "source": p.source})
                     + "\n")


def read_mix(path: Path) -> list[Pair]:
    """Read pairs written by :func:`write_mix` (a checkpoint's mix.jsonl or generated_eval.jsonl)."""
    with path.open(encoding="utf-8") as fh:
        return [Pair(**json.loads(line)) for line in fh if line.strip()]


@dataclass
class Checkpoint:
    """Where a resumable run keeps its state: the run's settings and init artifact (run.json), its exact mix
    (mix.jsonl) and, every few steps, the trainable weights, optimiser, RNG states and step (state.pt)."""

    folder: Path

    @property
    def run(self) -> dict:
        path = self.folder / RUN_FILE
        if not path.is_file():
            raise InputError(f"No resumable run in {self.folder} ({RUN_FILE} is missing); start one with "
                             "train-stance --adapt --checkpoint-dir DIR.")
        return json.loads(path.read_text(encoding="utf-8"))

    def start(self, run: dict, mix: Sequence[Pair]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / STATE_FILE).unlink(missing_ok=True)
        write_mix(self.folder / MIX_FILE, mix)
        (self.folder / RUN_FILE).write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")

    def mix(self) -> list[Pair]:
        return read_mix(self.folder / MIX_FILE)

    def save(self, state: dict) -> None:
        import torch

        tmp = self.folder / (STATE_FILE + ".tmp")
        torch.save(state, tmp)
        tmp.replace(self.folder / STATE_FILE)

    def load(self) -> dict | None:
        import torch

        path = self.folder / STATE_FILE
        return torch.load(path, weights_only=False) if path.is_file() else None


def adapt_stage(data_dir: Path, init: Path, out_dir: Path, *, corpus_dir: Path | None, cad_dir: Path | None,
                scifact_dir: Path | None, seed: int = 13, lr: float = ADAPT_LR, epochs: float = ADAPT_EPOCHS,
                kind_cap: int = ADAPT_KIND_CAP, replay: float = ADAPT_REPLAY,
                scifact_abstracts: int | None = ADAPT_SCIFACT_ABSTRACTS, nli_premises: int | None = ADAPT_NLI_PREMISES,
                max_len: int = 128, batch_size: int = 32, max_steps: int | None = None, precision: str = "auto",
                device: str = "auto", threads: int = 2, checkpoint_dir: Path | None = None,
                checkpoint_every: int = 200, mix: Sequence[Pair] | None = None, stop_after: int | None = None,
                generated: tuple[list[Pair], list[Pair], dict] | None = None, refresh_scifact: bool = False,
                log: Callable[[str], None] = logger.info) -> dict:
    """Continue the artifact in init over generated in-domain pairs, CAD and replayed pairs; save to out_dir.

    With checkpoint_dir the run is resumable (:func:`resume_adapt_stage`) from its last checkpoint, and gives
    the same network as an uninterrupted run; ``stop_after`` stops it (checkpointed) after that many steps.
    ``generated`` is :func:`generated_pairs`' result when already made (it takes minutes of parsing);
    ``mix`` replaces the whole mix (tests use a tiny one). Returns the stage's record."""
    held: list[Pair] = []
    counts: dict = {}
    if mix is None:
        if generated is None:
            t0 = time.time()
            generated = generated_pairs(data_dir, corpus_dir=corpus_dir, scifact_dir=scifact_dir, seed=seed,
                                        scifact_abstracts=scifact_abstracts, nli_premises=nli_premises)
            log(f"generated {len(generated[0])} training and {len(generated[1])} evaluation pairs "
                f"in {time.time() - t0:.0f} s")
        train_side, held, counts = generated
        mix = adapt_mix(data_dir, train_side, cad_dir=cad_dir, scifact_dir=scifact_dir, seed=seed,
                        kind_cap=kind_cap, replay=replay)
    dev, precision = _device_and_precision(device, precision)
    n_batches = math.ceil(len(mix) / batch_size)
    total_steps = max(1, int(round(n_batches * epochs)))
    if max_steps:
        total_steps = min(total_steps, max_steps)
    run = {
        "init": str(Path(init).resolve()), "out": str(Path(out_dir).resolve()), "data": str(Path(data_dir).resolve()),
        "seed": seed, "lr": lr, "head_lr": round(5 * lr, 10), "epochs": epochs, "kind_cap": kind_cap,
        "replay": replay, "scifact_abstracts": scifact_abstracts, "nli_premises": nli_premises,
        "max_len": max_len, "batch_size": batch_size, "total_steps": total_steps,
        "warmup": max(1, int(0.06 * total_steps)), "precision": precision, "device": str(dev),
        "checkpoint_every": checkpoint_every, "generated_counts": counts,
        # train_stance runs the SciFact refresher after this stage (and after a resumed run of it).
        "refresh_scifact": bool(refresh_scifact and scifact_dir is not None),
        "generated_eval_pairs": len(held),
        "sources": {"corpus": str(corpus_dir) if corpus_dir else None, "cad": str(cad_dir) if cad_dir else None,
                    "scifact": str(scifact_dir) if scifact_dir else None},
    }
    checkpoint = Checkpoint(checkpoint_dir) if checkpoint_dir is not None else None
    if checkpoint is not None:
        # The run starts from its own copy of init, so writing the result over init (--out = --init) cannot
        # change what a resumed run starts from.
        copy = checkpoint.folder / "init"
        if copy.resolve() != Path(init).resolve():
            copy.mkdir(parents=True, exist_ok=True)
            for name in (CONFIG_FILE, ADAPTER_FILE, DELTA_FILE):
                if (Path(init) / name).is_file():
                    shutil.copyfile(Path(init) / name, copy / name)
        run["init"] = str(copy.resolve())
        checkpoint.start(run, mix)
        if held:
            write_mix(checkpoint.folder / "generated_eval.jsonl", held)
    return _adapt_run(run, list(mix), checkpoint, threads=threads, log=log, stop_after=stop_after)


def resume_adapt_stage(checkpoint_dir: Path, *, stop_after: int | None = None, threads: int = 2,
                       log: Callable[[str], None] = logger.info) -> dict:
    """Continue the in-domain run checkpointed in checkpoint_dir from its last saved step, to the same end."""
    checkpoint = Checkpoint(Path(checkpoint_dir))
    run = checkpoint.run
    return _adapt_run(run, checkpoint.mix(), checkpoint, threads=threads, log=log, stop_after=stop_after)


def _adapt_run(run: dict, mix: list[Pair], checkpoint: Checkpoint | None, *, threads: int,
               log: Callable[[str], None], stop_after: int | None = None) -> dict:
    """The in-domain stage's training loop, from step 0 or from the checkpoint's saved state."""
    import torch

    from factcheck.stance.model import load_merged_network

    torch.set_num_threads(threads)
    torch.manual_seed(run["seed"])
    rng = random.Random(run["seed"])
    dev = torch.device(run["device"])
    net, tokenizer, config = load_merged_network(Path(run["init"]))
    if config.mode != "full":
        raise InputError("the in-domain stage continues a full fine-tune; --init must name a --mode full artifact.")
    encoder, _ = load_base_encoder()
    base_state = base_layer_state(build_network(encoder, config, with_lora=True))
    for name, param in net.named_parameters():
        param.requires_grad = not name.startswith(("encoder.embeddings.", "encoder.pooler."))
    body = [p for n, p in net.named_parameters() if p.requires_grad and not n.startswith("head.")]
    base_lrs = [run["lr"], run["head_lr"]]
    optim = torch.optim.AdamW([{"params": body, "lr": base_lrs[0]},
                               {"params": list(net.head.parameters()), "lr": base_lrs[1]}], weight_decay=0.01)
    ids, types = encode_pairs(tokenizer, mix, run["max_len"])
    labels = torch.tensor([p.label for p in mix])
    total, warmup = run["total_steps"], run["warmup"]
    plan: list[list[int]] = []
    while len(plan) < total:
        plan.extend(bucketed_batches([len(x) for x in ids], run["batch_size"], rng))
    plan = plan[:total]
    net.to(dev)
    start, seen, running = 0, 0, 0.0
    state = checkpoint.load() if checkpoint is not None else None
    if state is not None:
        trainable = {n for n, p in net.named_parameters() if p.requires_grad}
        net.load_state_dict({**net.state_dict(), **{k: v for k, v in state["model"].items() if k in trainable}})
        optim.load_state_dict(state["optimizer"])
        torch.set_rng_state(state["torch_rng"])
        if dev.type == "cuda" and state.get("cuda_rng") is not None:
            torch.cuda.set_rng_state_all(state["cuda_rng"])
        start, seen, running = state["step"], state["seen"], state["running_loss"]
        log(f"resuming at step {start}/{total} from {checkpoint.folder}")
    log(f"in-domain stage: {len(mix)} pairs, {total} steps of batch {run['batch_size']} at lr {run['lr']}, "
        f"{run['precision']} on {dev}")
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=0.05)
    net.train()
    t0 = time.time()
    for step in range(start, total):
        if stop_after is not None and step >= stop_after:
            break
        for group, base in zip(optim.param_groups, base_lrs):
            group["lr"] = base * _lr_factor(step, total, warmup)
        batch = plan[step]
        loss = _step(net, optim, loss_fn, collate(ids, types, batch), labels[batch], run["precision"], dev)
        seen += len(batch)
        running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
        done = step + 1
        if done % 10 == 0 or done == total:
            rate = (seen - (state["seen"] if state else 0)) / max(1e-9, time.time() - t0)
            log(f"in-domain step {done}/{total} loss {running:.4f} {rate:.1f} pairs/s "
                f"eta {(total - done) * run['batch_size'] / max(rate, 1e-9) / 60:.1f} min")
        if checkpoint is not None and (done % run["checkpoint_every"] == 0 or done == stop_after):
            checkpoint.save({
                "step": done, "seen": seen, "running_loss": running,
                "model": {n: p.detach().cpu().clone() for n, p in net.named_parameters() if p.requires_grad},
                "optimizer": optim.state_dict(),
                "torch_rng": torch.get_rng_state(),
                "cuda_rng": torch.cuda.get_rng_state_all() if dev.type == "cuda" else None,
            })
    else:
        seconds = time.time() - t0
        net.eval()
        net.cpu()
        record = {k: run[k] for k in ("seed", "lr", "head_lr", "epochs", "kind_cap", "replay", "scifact_abstracts",
                                      "nli_premises", "batch_size", "precision", "device", "generated_counts")}
        record |= {"init": Path(run["init"]).name, "steps": total, "pairs_seen": seen,
                   "mix_by_source": dict(sorted(Counter(p.source for p in mix).items())),
                   "mix_by_label": dict(Counter(LABELS[p.label] for p in mix)),
                   "train_seconds_last_sitting": round(seconds, 1)}
        out_dir = Path(run["out"])
        save_artifact(net, config, out_dir, extra=_training_record(Path(run["init"])) | {"in_domain": record},
                      base=base_state)
        log(f"in-domain stage done -> {out_dir}")
        return record
    return {"stopped_at": stop_after, "checkpoint": str(checkpoint.folder) if checkpoint else None}


def _keep_freed_memory() -> None:
    """Ask glibc to keep freed memory instead of handing it back to the OS after every step, which made CPU
    training much slower: the same as the MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ variables, set from
    inside the process so `factcheck train-stance` gets it however it is started.
    32 MiB is the largest mmap threshold glibc accepts. Elsewhere (no glibc) nothing changes."""
    import ctypes
    import ctypes.util

    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        libc.mallopt(m_mmap_threshold, 32 * 1024 * 1024)
        libc.mallopt(m_trim_threshold, 2_000_000_000)
    except (OSError, AttributeError):
        pass


def scifact_stage_dir(nli_dir: Path, scifact: Path | None = None, *, skip: bool = False, mode: str = "full",
                      ) -> Path | None:
    """The SciFact data the SciFact stage trains on, or None for no stage: ``scifact`` when given, else the
    scifact/ folder beside the nli/ one when there is one; none when skipped or for a LoRA adapter."""
    if scifact is not None and (skip or mode != "full"):
        raise InputError("--scifact runs the SciFact stage, which continues a full fine-tune: drop "
                         "--no-scifact / --mode lora, or drop --scifact.")
    if skip or mode != "full":
        return None
    beside = Path(nli_dir).resolve().parent / "scifact"
    return Path(scifact) if scifact is not None else (beside if beside.is_dir() else None)


def _before_scifact_stage(model_dir: Path) -> None:
    """Refuse a model that has had its SciFact stage: it would train on the same claims twice."""
    if "scifact_domain" in _training_record(model_dir):
        raise InputError(f"the stance model in {model_dir} has had its SciFact stage already; start from the "
                         "NLI stage's artifact (train-stance --no-scifact writes one).")


def _training_record(model_dir: Path) -> dict:
    """The training record stored in an artifact's config (empty when there is none)."""
    path = model_dir / CONFIG_FILE
    return json.loads(path.read_text(encoding="utf-8")).get("training", {}) if path.is_file() else {}


def train_stance(data_dir: Path, out_dir: Path, *, scifact_dir: Path | None = None, init: Path | None = None,
                 seed: int = 13, precision: str = "auto", device: str = "auto", threads: int = 2,
                 extra_pairs: Sequence[Pair] = (), adapt: dict | None = None, resume: Path | None = None,
                 log: Callable[[str], None] = logger.info, **nli_options) -> dict:
    """Train the stance model into out_dir and return its held-out metrics with the training record.

    Up to three stages: the NLI stage (``_nli_stage``: the training mix from data_dir; ``nli_options`` are its
    knobs), skipped when ``init`` names an artifact to start from instead; with ``scifact_dir``, the SciFact
    domain stage (:func:`scifact_domain_stage`); with ``adapt`` (keyword arguments of :func:`adapt_stage`:
    corpus_dir, cad_dir, checkpoint_dir …), the in-domain stage, then (``refresh_scifact``) the SciFact pass
    again as a refresher. ``resume`` continues an interrupted in-domain
    stage from its checkpoint folder instead, and writes where that run was going. ``extra_pairs`` (e.g. the
    review desk's labelled pairs, ``factcheck.review.learning``) join the training mix of the NLI and SciFact
    stages when they run."""
    # Every run reads both splits: refuse a wrong folder before torch loads or anything is written.
    for split in ("train.jsonl", "heldout.jsonl"):
        if not (data_dir / "_splits" / split).is_file():
            raise InputError(f"NLI data file {data_dir / '_splits' / split} does not exist; "
                             "pass --data pointing at shared/data/nli.")
    t_start = time.time()
    _keep_freed_memory()
    extra_eval: list[Pair] = []
    refresh: tuple[Path, Path, int] | None = None  # (nli data, scifact data, seed) of the refresher to run
    checkpoint_dir: Path | None = None
    if resume is not None:
        run = Checkpoint(resume).run
        record = resume_adapt_stage(resume, threads=threads, log=log)
        out_dir, checkpoint_dir = Path(run["out"]), resume
        if run.get("refresh_scifact") and run["sources"].get("scifact") and "steps" in record:
            refresh = (Path(run["data"]), Path(run["sources"]["scifact"]), run["seed"])
    else:
        if init is None:
            _nli_stage(data_dir, out_dir, seed=seed, precision=precision, device=device, threads=threads, log=log,
                       extra_pairs=extra_pairs, **nli_options)
        elif init.resolve() != out_dir.resolve():
            if not (init / CONFIG_FILE).is_file():
                raise InputError(f"--init {init} holds no stance model artifact ({CONFIG_FILE} is missing).")
            if scifact_dir is not None:
                _before_scifact_stage(init)
            out_dir.mkdir(parents=True, exist_ok=True)
            for item in init.iterdir():
                if item.name in {CONFIG_FILE, ADAPTER_FILE, DELTA_FILE}:
                    shutil.copyfile(item, out_dir / item.name)
        if scifact_dir is not None:
            scifact_domain_stage(data_dir, scifact_dir, out_dir, seed=seed, precision=precision, device=device,
                                 threads=threads, extra_pairs=extra_pairs, log=log)
        if adapt is not None:
            options = dict(adapt)
            checkpoint_dir = Path(options["checkpoint_dir"]) if options.get("checkpoint_dir") else None
            record = adapt_stage(data_dir, out_dir, out_dir, seed=seed, precision=precision, device=device,
                                 threads=threads, log=log, **options)
            if options.get("refresh_scifact") and options.get("scifact_dir") is not None and "steps" in record:
                refresh = (data_dir, Path(options["scifact_dir"]), seed)
    if refresh is not None:  # the in-domain stage ran (or finished resumed): the SciFact pass again, as a refresher
        scifact_domain_stage(refresh[0], refresh[1], out_dir, seed=refresh[2], precision=precision, device=device,
                             threads=threads, record_key="scifact_refresh", log=log)
    if checkpoint_dir is not None and (checkpoint_dir / "generated_eval.jsonl").is_file():
        extra_eval = read_mix(checkpoint_dir / "generated_eval.jsonl")
    heldout = read_pairs(data_dir / "_splits" / "heldout.jsonl")
    model = StanceModel(out_dir)
    metrics = evaluate_stance(heldout, model)
    if extra_eval:
        metrics["generated_eval"] = evaluate_stance(extra_eval, model)
    metrics["training"] = _training_record(out_dir)
    metrics["total_seconds"] = round(time.time() - t_start, 1)
    log(f"heldout accuracy {metrics['accuracy']:.4f} macro-F1 {metrics['macro_f1']:.4f}")
    return metrics


def adapt_options(data_dir: Path, *, corpus: Path | None, cad: Path | None, checkpoint_dir: Path | None,
                  checkpoint_every: int = 200, max_steps: int | None = None, refresh_scifact: bool = True) -> dict:
    """The in-domain stage's data folders (CAD defaults to nli-extra/cad_snli beside the nli/ folder, SciFact
    to scifact/ beside it) and checkpointing, checked before any model loads."""
    beside = Path(data_dir).resolve().parent
    cad = cad if cad is not None else beside / "nli-extra" / "cad_snli"
    if not (cad / "train.jsonl").is_file():
        raise InputError(f"No CAD pairs at {cad / 'train.jsonl'}; pass --cad pointing at nli-extra/cad_snli.")
    if corpus is not None and not Path(corpus).is_dir():
        raise InputError(f"No reference documents folder {corpus}; pass --corpus pointing at corpus/.")
    scifact = beside / "scifact"
    return {"corpus_dir": corpus, "cad_dir": cad, "scifact_dir": scifact if scifact.is_dir() else None,
            "checkpoint_dir": checkpoint_dir, "checkpoint_every": checkpoint_every, "max_steps": max_steps,
            "refresh_scifact": refresh_scifact and scifact.is_dir()}
