"""Train and evaluate the check-worthiness model on CLEF CheckThat! 2019 debate sentences.

    factcheck train-checkworthiness --data ../shared/data/checkthat2019

Evaluation is leave-one-debate-out: each debate is ranked by a model trained on the others and
scored by average precision; MAP is the mean over debates (the lab's metric). The shipped model is
then fitted on all debates.
"""

from __future__ import annotations

import csv
import logging
import math
from pathlib import Path

import numpy as np

from factcheck.claims.checkworthiness import FEATURE_NAMES, CheckworthinessModel, featurize
from factcheck.errors import InputError

log = logging.getLogger(__name__)

C_GRID = (0.003, 0.01, 0.03)
TARGET_RECALL = 0.9  # a fact-checker would rather skim extra sentences than miss a real claim


def load_debates(data_dir: Path) -> dict[str, tuple[list[str], np.ndarray]]:
    """Read every ``training/*.tsv`` debate into (sentences, labels), keyed by file stem."""
    files = sorted((Path(data_dir) / "training").glob("*.tsv"))
    if not files:
        raise InputError(f"No debates found in {Path(data_dir) / 'training'} — point --data at checkthat2019/.")
    debates = {}
    for path in files:
        sentences, labels = [], []
        with path.open(encoding="utf-8") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 4:
                    continue
                sentences.append(row[2])
                labels.append(int(row[3]))
        debates[path.stem] = (sentences, np.asarray(labels))
    return debates


def average_precision(labels: np.ndarray, scores: np.ndarray) -> float:
    """Return the average precision of ``scores`` ranking ``labels`` (0 when there are no positives)."""
    order = np.argsort(-scores, kind="stable")
    ranked = labels[order]
    if ranked.sum() == 0:
        return 0.0
    hits = np.cumsum(ranked)
    precision_at_hit = hits[ranked == 1] / (np.flatnonzero(ranked == 1) + 1)
    return float(precision_at_hit.mean())


def _fit(features: np.ndarray, labels: np.ndarray, c: float, seed: int) -> CheckworthinessModel:
    from sklearn.linear_model import LogisticRegression

    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale < 1e-6] = 1.0
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, random_state=seed)
    clf.fit((features - mean) / scale, labels)
    return CheckworthinessModel(
        feature_names=list(FEATURE_NAMES),
        mean=mean.tolist(),
        scale=scale.tolist(),
        coef=clf.coef_[0].tolist(),
        intercept=float(clf.intercept_[0]),
        embedding_dim=features.shape[1] - len(FEATURE_NAMES),
    )


def _leave_debates_out(blocks: dict, c: float, seed: int) -> tuple[dict[str, float], np.ndarray, np.ndarray]:
    per_debate, all_scores, all_labels = {}, [], []
    names = list(blocks)
    for held_out in names:
        train_x = np.vstack([blocks[n][0] for n in names if n != held_out])
        train_y = np.concatenate([blocks[n][1] for n in names if n != held_out])
        model = _fit(train_x, train_y, c, seed)
        scores = model.predict(blocks[held_out][0])
        per_debate[held_out] = average_precision(blocks[held_out][1], scores)
        all_scores.append(scores)
        all_labels.append(blocks[held_out][1])
    return per_debate, np.concatenate(all_scores), np.concatenate(all_labels)


def train_checkworthiness(data_dir: Path, out_dir: Path, seed: int = 13) -> dict:
    """Evaluate by leave-one-debate-out MAP, fit on all debates, save to ``out_dir``; return the metrics."""
    from factcheck.resources import get_nlp, get_sentence_encoder

    debates = load_debates(Path(data_dir))
    nlp, encoder = get_nlp(), get_sentence_encoder()
    blocks = {}
    for name, (sentences, labels) in debates.items():
        docs = list(nlp.pipe(sentences, batch_size=256))
        blocks[name] = (featurize(docs, sentences, encoder), labels)
        log.info("featurised %s (%d sentences)", name, len(sentences))

    results = {}
    for c in C_GRID:
        per_debate, oof_scores, oof_labels = _leave_debates_out(blocks, c, seed)
        results[c] = (float(np.mean(list(per_debate.values()))), per_debate, oof_scores, oof_labels)
        log.info("C=%s leave-one-debate-out MAP %.4f", c, results[c][0])
    best_c = max(results, key=lambda c: results[c][0])
    map_mean, per_debate, oof_scores, oof_labels = results[best_c]

    # The boolean threshold keeps TARGET_RECALL of the journalists' check-worthy sentences out of fold.
    positives = np.sort(oof_scores[oof_labels == 1])
    threshold = float(positives[int((1 - TARGET_RECALL) * len(positives))])
    flagged = oof_scores >= threshold

    model = _fit(
        np.vstack([b[0] for b in blocks.values()]), np.concatenate([b[1] for b in blocks.values()]), best_c, seed
    )
    # Shift the intercept so the operating point reads 0.5: the score ranks exactly as before, and
    # "check-worthy" means "at least as likely as the sentences journalists marked, at 90% recall".
    model.intercept -= math.log(threshold / (1 - threshold))
    model.threshold = 0.5
    metrics = {
        "data": "CLEF CheckThat! 2019 Task 1 training debates",
        "split": "leave-one-debate-out",
        "seed": seed,
        "C": best_c,
        "map_by_C": {str(c): round(results[c][0], 4) for c in C_GRID},
        "map": round(map_mean, 4),
        "ap_per_debate": {k: round(v, 4) for k, v in per_debate.items()},
        "raw_threshold": round(threshold, 4),
        "threshold": 0.5,
        "threshold_recall": TARGET_RECALL,
        "flagged_fraction_at_threshold": round(float(flagged.mean()), 4),
        "precision_at_threshold": round(float(oof_labels[flagged].mean()), 4),
        "n_sentences": int(sum(len(b[1]) for b in blocks.values())),
        "n_positive": int(sum(b[1].sum() for b in blocks.values())),
    }
    model.metrics = metrics
    path = model.save(Path(out_dir))
    log.info("saved %s (MAP %.4f)", path, map_mean)
    return metrics

