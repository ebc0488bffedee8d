"""Learning from the desk's reviewers: relabelled passages as stance data for calibration and training.

Every relabel a reviewer saves is a labelled pair (``ReviewStore.labelled_pairs``). ``factcheck calibrate
--reviews`` fits on them as a domain of their own and ``factcheck train-stance --reviews`` adds them to the
training mix; both report how the model does on them before and after.

>>> pairs = read_labelled_pairs(".factcheck/reviews.sqlite3")
>>> items = stance_items(pairs)            # for calibration
>>> examples = training_pairs(pairs)       # for the stance model's training mix
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from factcheck.errors import ReviewError
from factcheck.review.store import LabelledPair, read_labelled_pairs

REVIEWS_SOURCE = "reviews"


def labelled_pairs(path: str | Path) -> list[LabelledPair]:
    """The labelled pairs of a review database, refusing one that holds none (nothing to learn from)."""
    pairs = read_labelled_pairs(path)
    if not pairs:
        raise ReviewError(f"The review database {path} holds no relabelled passages yet — relabel evidence in "
                          "the review desk first, or leave out --reviews")
    return pairs


def stance_items(pairs: Sequence[LabelledPair]) -> list:
    """Calibration items (``training.calibration.StanceItem``, source "reviews"): claim vs the evidence sentence."""
    from factcheck.training.calibration import StanceItem

    return [StanceItem(pair.claim, [pair.sentence], None, pair.stance, REVIEWS_SOURCE) for pair in pairs]


def training_pairs(pairs: Sequence[LabelledPair]) -> list:
    """Training examples (``training.stance.Pair``, source "reviews") in the stance model's label indices."""
    from factcheck.stance.model import LABELS
    from factcheck.training.stance import Pair

    return [Pair(pair.claim, pair.sentence, LABELS.index(pair.stance), REVIEWS_SOURCE) for pair in pairs]


def model_figures(pairs: Sequence, model_dir: Path | None = None) -> dict:
    """Accuracy and macro-F1 of a stance model (the shipped one by default) on training pairs."""
    from factcheck.stance.model import StanceModel
    from factcheck.training.stance import evaluate_stance

    metrics = evaluate_stance(pairs, StanceModel(model_dir) if model_dir else StanceModel())
    return {"accuracy": round(metrics["accuracy"], 4), "macro_f1": round(metrics["macro_f1"], 4)}


def train_stance_with_reviews(data_dir: Path, out_dir: Path, pairs: Sequence[LabelledPair], *,
                              init: Path | None = None, scifact_dir: Path | None = None, **options) -> dict:
    """``training.stance.train_stance`` with the labelled pairs in its training mix; its metrics gain
    ``reviews``: the model before (``init``, else the shipped one) and after, on the pairs (in sample)."""
    from factcheck.training.stance import train_stance

    if init is not None and scifact_dir is None:
        raise ReviewError("--reviews joins a training stage, and with --init and no SciFact stage none runs — "
                          "drop --init (the NLI stage trains on them) or run the SciFact stage")
    examples = training_pairs(pairs)
    before = model_figures(examples, init)
    metrics = train_stance(data_dir, out_dir, init=init, scifact_dir=scifact_dir, extra_pairs=examples, **options)
    metrics["reviews"] = {"pairs": len(examples), "before": before, "after": model_figures(examples, out_dir),
                          "note": "in sample: the pairs were in the training mix"}
    return metrics
