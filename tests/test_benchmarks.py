"""Benchmark helpers that turn predictions into the figures we publish."""

from __future__ import annotations

from benchmarks.stance import paired_difference


def test_paired_difference_is_zero_for_the_same_predictions_and_positive_for_a_clearly_better_one():
    gold = ["supports", "refutes", "neutral"] * 40
    half_right = [g if i % 2 else "neutral" for i, g in enumerate(gold)]
    same = paired_difference(gold, half_right, half_right, resamples=200)
    assert same["difference"] == 0.0 and same["ci95"] == [0.0, 0.0]
    better = paired_difference(gold, half_right, gold, resamples=200)
    assert better["difference"] > 0.2 and better["ci95"][0] > 0 and better["share_of_resamples_above_zero"] == 1.0
    worse = paired_difference(gold, gold, half_right, resamples=200)
    assert worse["ci95"][1] < 0
