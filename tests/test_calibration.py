"""Calibration: the fit/evaluation split and the verdict-threshold search, on data made up for the test."""

from __future__ import annotations

import json

import pytest

from factcheck.calibration import calibrate_verdicts, fit_verdict, in_fit_half, macro_f1
from factcheck.verdict import Evidence, VerdictThresholds, aggregate


def _ev(stance: str, score: float, similarity: float) -> Evidence:
    return Evidence(source="doc.md", doc_id="doc", title=None, passage="p", sentence="s", stance=stance,
                    score=score, similarity=similarity)


def test_fit_half_is_stable_and_splits_about_evenly():
    keys = list(range(2000)) + [f"claim number {i}" for i in range(2000)]
    fit = [k for k in keys if in_fit_half(k)]
    assert 0.45 < len(fit) / len(keys) < 0.55
    # The same key always lands in the same half (a hash, not a random draw).
    assert [in_fit_half(k) for k in keys[:50]] == [in_fit_half(k) for k in keys[:50]]
    # Ints and their string form are the same key, so SciFact ids split the same way from JSON or code.
    assert all(in_fit_half(i) == in_fit_half(str(i)) for i in range(100))


def test_macro_f1_counts_each_label_equally():
    assert macro_f1(["a", "a", "b"], ["a", "a", "b"], ["a", "b"]) == 1.0
    assert macro_f1(["a", "b"], ["a", "a"], ["a", "b"]) == pytest.approx((2 / 3 + 0) / 2)


def _synthetic_claims():
    """Supported claims have one strong supporting passage (score ~0.8), refuted ones a strong refuting
    passage, and unverifiable ones only middling or off-topic evidence (score 0.62-0.66, or similarity 0.35)."""
    sets, gold = [], []
    for i in range(30):
        sets.append([_ev("supports", 0.75 + i % 5 * 0.04, 0.6), _ev("neutral", 0.9, 0.5)])
        gold.append("supported")
        sets.append([_ev("refutes", 0.78 + i % 4 * 0.04, 0.55), _ev("supports", 0.5, 0.5)])
        gold.append("refuted")
        sets.append([_ev("supports", 0.62 + i % 3 * 0.02, 0.5), _ev("refutes", 0.9, 0.35)])
        gold.append("not_enough_evidence")
    return sets, gold


def test_fit_verdict_finds_thresholds_that_separate_the_classes():
    sets, gold = _synthetic_claims()
    thresholds, f1 = fit_verdict(sets, gold)
    assert f1 == 1.0
    assert [aggregate(s, thresholds).label for s in sets] == gold
    # The defaults (0.6, 0.3) count the middling and off-topic evidence here: fitting mattered.
    assert [aggregate(s, VerdictThresholds()).label for s in sets] != gold


def test_calibrate_verdicts_reports_cross_validated_figures():
    sets, gold = _synthetic_claims()
    thresholds, figures = calibrate_verdicts(sets, gold)
    assert figures["claims"] == len(gold)
    assert figures["macro_f1_fitted"] == 1.0
    assert 0.0 <= figures["macro_f1_2fold"] <= 1.0
    assert isinstance(thresholds, VerdictThresholds)


def test_shipped_calibration_file_records_its_provenance():
    from factcheck.verdict import CALIBRATION_FILE

    data = json.loads(CALIBRATION_FILE.read_text())
    assert set(data) >= {"stance", "verdict", "provenance"}
    assert data["provenance"]["used_stance_model"] is True
    assert "fit half" in data["provenance"]["split"]
    assert VerdictThresholds.load() == VerdictThresholds(**data["verdict"])


def test_domain_objective_weighs_each_domain_equally_and_counts_off_topic_in_both():
    from factcheck.calibration import OFF_TOPIC, StanceItem, domain_macro_f1

    items = [StanceItem("c", ["e"], None, "supports", "vitaminc_real") for _ in range(8)]
    items += [StanceItem("c", ["e"], None, "refutes", "scifact") for _ in range(2)]
    items += [StanceItem("c", ["e"], None, "neutral", OFF_TOPIC) for _ in range(2)]
    right = [i.label for i in items]
    assert domain_macro_f1(items, right) == {"nli": 1.0, "scifact": 1.0, "mean": 1.0}
    # Getting the small domain wrong costs as much as getting the large one wrong.
    wrong_small = right[:8] + ["supports", "supports"] + right[10:]
    wrong_large = ["neutral"] * 8 + right[8:]
    small, large = domain_macro_f1(items, wrong_small), domain_macro_f1(items, wrong_large)
    assert small["nli"] == 1.0 and small["scifact"] < 1.0
    assert large["scifact"] == 1.0 and large["nli"] < 1.0
    assert small["mean"] == pytest.approx((1.0 + small["scifact"]) / 2)
    # Off-topic neutrals judged wrongly hurt both domains.
    off_wrong = right[:10] + ["supports", "supports"]
    both = domain_macro_f1(items, off_wrong)
    assert both["nli"] < 1.0 and both["scifact"] < 1.0
