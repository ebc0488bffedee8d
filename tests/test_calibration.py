"""Calibration: the fit/evaluation split and the verdict-threshold search, on data made up for the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.training.calibration import calibrates, calibrate_verdicts, fit_verdict, in_fit_half, macro_f1, trains_stance_model
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


def test_scifact_fit_half_splits_into_the_model_quarter_and_the_calibration_quarter():
    ids = list(range(4000))
    model = {i for i in ids if trains_stance_model(i)}
    calibration = {i for i in ids if calibrates(i)}
    # Both come from the fit half only; the evaluation half is never trained or calibrated on.
    assert model | calibration == {i for i in ids if in_fit_half(i)}
    assert not model & calibration
    assert 0.2 < len(model) / len(ids) < 0.3 and 0.2 < len(calibration) / len(ids) < 0.3
    assert all(trains_stance_model(i) == trains_stance_model(str(i)) for i in range(100))


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
        sets.append([_ev("refutes", 0.78 + i % 4 * 0.04, 0.65), _ev("supports", 0.5, 0.5)])
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
    from factcheck.training.calibration import OFF_TOPIC, StanceItem, domain_macro_f1

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


def test_combiner_identity_gives_back_the_models_probabilities_and_weights_apply_by_signal_group():
    from factcheck.stance.judge import SIGNAL_GROUPS, Combiner

    probs = {"supports": 0.6, "refutes": 0.3, "neutral": 0.1}
    assert Combiner().probs(probs, {"year_mismatch"}) == pytest.approx(probs, abs=1e-3)
    # A weight on the date group moves a month mismatch too (same group), and nothing else.
    combiner = Combiner(signals={"refutes": {"date": 2.0}})
    moved = combiner.probs(probs, {"month_mismatch"})
    assert moved["refutes"] > 0.7 and sum(moved.values()) == pytest.approx(1.0, abs=1e-3)
    assert combiner.probs(probs, {"negation_mismatch"}) == pytest.approx(probs, abs=1e-3)
    assert len(Combiner.features(probs, set())) == 3 + len(SIGNAL_GROUPS)


def test_combiner_from_a_fitted_logistic_regression_predicts_what_the_regression_does():
    import random

    from sklearn.linear_model import LogisticRegression

    from factcheck.stance.judge import STANCES, Combiner

    rng = random.Random(3)
    rows, labels = [], []
    for _ in range(300):
        raw = [rng.random() + 0.01 for _ in STANCES]
        probs = {s: v / sum(raw) for s, v in zip(STANCES, raw)}
        kinds = {k for k in ("year_mismatch", "opposite_terms", "negation_mismatch") if rng.random() < 0.2}
        rows.append((probs, kinds))
        labels.append("refutes" if "year_mismatch" in kinds else max(probs, key=probs.get))
    features = [Combiner.features(p, k) for p, k in rows]
    fitted = LogisticRegression(C=10.0, max_iter=5000).fit(features, labels)
    combiner = Combiner.from_weights(fitted.classes_, fitted.coef_, fitted.intercept_)
    for (probs, kinds), expected in zip(rows[:40], fitted.predict_proba(features[:40])):
        got = combiner.probs(probs, kinds)
        assert [got[str(c)] for c in fitted.classes_] == pytest.approx(list(expected), abs=2e-3)
    assert combiner.signals["refutes"]["date"] > 1.0  # it learned that a year mismatch means "refutes"


def test_calibration_file_round_trips_the_combiner(tmp_path: Path):
    from dataclasses import asdict

    from factcheck.stance.judge import Combiner, StanceCalibration

    calibration = StanceCalibration(min_relevance=None, combiner=Combiner(intercept={"supports": 0.5, "refutes": 0.0,
                                                                                     "neutral": -0.5}))
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"stance": asdict(calibration)}))
    assert StanceCalibration.load(path) == calibration
    assert StanceCalibration.load(tmp_path / "missing.json") == StanceCalibration()


def test_model_only_has_no_signals_no_denial_pull_and_no_gate():
    from factcheck.stance.signals import Consistency, Signal
    from factcheck.stance.judge import StanceCalibration, judge_probs

    probs = {"supports": 0.7, "refutes": 0.2, "neutral": 0.1}
    mismatch = Consistency(overlap=0.9, signals=[Signal("year_mismatch", "year mismatch: 2021 vs 2023")])
    off_topic = Consistency(overlap=0.0)
    baseline = StanceCalibration(min_relevance=0.3).model_only()
    assert judge_probs(probs, 0.9, mismatch, baseline) == pytest.approx(probs, abs=1e-3)
    assert judge_probs(probs, -0.2, off_topic, baseline) == pytest.approx(probs, abs=1e-3)
    gated = judge_probs(probs, 0.1, off_topic, StanceCalibration(min_relevance=0.3))
    assert max(gated, key=gated.get) == "neutral"


def _year_items():
    """Claims against evidence that says the same, another year, or something else, in both domains."""
    from factcheck.training.calibration import OFF_TOPIC, StanceItem

    facts = [("The bridge opened", "to traffic"), ("The museum was founded", "by the city council"),
             ("The treaty was signed", "in Geneva"), ("The company was listed", "on the stock exchange"),
             ("The stadium was rebuilt", "after the fire"), ("The vaccine was approved", "for children"),
             ("The law was passed", "by parliament"), ("The festival was first held", "in the old town"),
             ("The school was closed", "by the ministry"), ("The railway line was electrified", "in full")]
    items = []
    for i, (subject, rest) in enumerate(facts):
        year, other = 1990 + i, 2005 + i
        source = "scifact" if i % 2 else "vitaminc_real"
        items.append(StanceItem(f"{subject} {rest} in {year}.", [f"{subject} {rest} in {year}, records show."], None,
                                "supports", source))
        items.append(StanceItem(f"{subject} {rest} in {year}.", [f"{subject} {rest} in {other}, records show."], None,
                                "refutes", source))
        items.append(StanceItem(f"{subject} {rest} in {year}.", ["Rainfall was heavy across the region that spring."],
                                None, "neutral", source))
        items.append(StanceItem(f"{subject} {rest} in {year}.", [f"{facts[i - 1][0]} {facts[i - 1][1]}."], None,
                                "neutral", OFF_TOPIC))
    for item in items:
        item.similarity = 0.5
    return items


@pytest.mark.slow
def test_combination_fit_with_the_real_model_holds_the_model_alone_and_learns_the_date_signal():
    from factcheck.training.calibration import _Prepared, calibrate_stance
    from factcheck.stance.judge import StanceCalibration, StanceJudge

    items = _year_items()
    prepared = _Prepared(items, StanceJudge(calibration=StanceCalibration()), use_model=True)
    combiner = prepared.fit_combiner(list(range(len(items))), 0.4, 10.0, 1.0)
    assert combiner.signals["refutes"]["date"] > combiner.signals["supports"]["date"]

    calibration, figures = calibrate_stance(items)
    assert figures["settings_searched"] == 108 and figures["pairs"] == len(items)
    if figures["settings_holding"]:
        # The chosen setting holds every domain at or above the model alone, out of fold.
        assert all(figures["by_domain_cv"][d] >= figures["by_domain_model_only"][d]
                   for d in figures["by_domain_cv"] if d != "mean")
        assert calibration.combiner != StanceCalibration().combiner
    else:
        # The model's own readings; the hand-set denial pull is not fitted, so it stays.
        assert calibration.combiner == StanceCalibration().combiner and calibration.min_relevance is None
        assert calibration.denial_weight == StanceCalibration().denial_weight > 0


def test_weighs_says_which_evidence_decides_and_why_the_rest_does_not():
    from factcheck.verdict import weighs

    t = VerdictThresholds(support=0.5, refute=0.6, min_similarity=0.4)
    assert weighs(_ev("supports", 0.7, 0.6), t)[0] is True
    counted, note = weighs(_ev("refutes", 0.55, 0.6), t)
    assert not counted and "too weak" in note and "0.60" in note
    counted, note = weighs(_ev("supports", 0.9, 0.3), t)
    assert not counted and "too far" in note and "0.30" in note
    assert weighs(_ev("neutral", 0.99, 0.9), t)[0] is False
    # The verdict rests on exactly the evidence that counts.
    evidence = [_ev("supports", 0.7, 0.6), _ev("refutes", 0.55, 0.6), _ev("refutes", 0.9, 0.3)]
    verdict = aggregate(evidence, t)
    assert verdict.label == "supported" and (verdict.supporting, verdict.refuting) == (1, 0)


def test_the_reason_says_what_each_signal_weighed():
    from factcheck.stance.signals import Consistency, Signal
    from factcheck.stance.judge import Combiner, StanceCalibration, StanceJudge

    calibration = StanceCalibration(min_signal_overlap=0.5, combiner=Combiner(signals={"refutes": {"date": 1.5}}))
    judge = StanceJudge(use_model=False, calibration=calibration)
    year = Signal("month_mismatch", "date mismatch: may vs june")
    assert judge.explain(year, Consistency(overlap=0.8, signals=[year])).endswith("(weighs +1.50 towards refutes)")
    far = judge.explain(year, Consistency(overlap=0.2, signals=[year]))
    assert "not weighed" in far and "20%" in far
    negation = Signal("negation_mismatch", "negation mismatch: only the claim is negated")
    assert judge.explain(negation, Consistency(overlap=0.8, signals=[negation])) == str(negation)  # no weight fitted
    denial = Signal("denial", "denial: the evidence reports a denial (denied) of “x y”")
    close = Consistency(overlap=0.1, signals=[denial], topical=True, denial_similarity=0.75)
    assert "pulls 0.90" in judge.explain(denial, close)


def test_a_disputed_passage_counts_on_both_sides():
    from dataclasses import replace

    from factcheck.verdict import weighs

    t = VerdictThresholds(support=0.5, refute=0.5, min_similarity=0.4)
    disputed = replace(_ev("refutes", 0.9, 0.7), disputed=True)
    assert aggregate([disputed], t).label == "conflicting"
    assert "both sides" in weighs(disputed, t)[1]
    weak = replace(_ev("refutes", 0.45, 0.7), disputed=True)
    assert aggregate([weak], t).label == "not_enough_evidence"  # still only when strong
    assert aggregate([_ev("refutes", 0.9, 0.7)], t).label == "refuted"


def test_a_denial_yields_only_to_confirmation_about_the_claim():
    from dataclasses import replace

    t = VerdictThresholds(support=0.5, refute=0.5, min_similarity=0.4, conflict_margin=0.15)
    denial = replace(_ev("refutes", 0.89, 0.7), denial=True)
    # A passage that reads as support but shares a quarter of the claim's key words is no confirmation of it.
    stray = replace(_ev("supports", 0.54, 0.7), overlap=0.25)
    assert aggregate([stray, denial], t).label == "refuted"
    close = replace(_ev("supports", 0.72, 0.7), overlap=0.78)
    verdict = aggregate([close, stray, denial], t)
    assert verdict.label == "supported" and "does not outweigh independent confirmation" in verdict.note


@pytest.mark.parametrize("evidence, label", [
    # A denial alone is evidence against the claim.
    ([("refutes", 0.9, "denial")], "refuted"),
    # Beside independent confirmation it is one side of a dispute: it does not outweigh the confirmation.
    ([("supports", 0.7, ""), ("refutes", 0.95, "denial")], "supported"),
    ([("supports", 0.7, ""), ("refutes", 0.95, "disputed")], "supported"),
    ([("supports", 0.7, ""), ("refutes", 0.95, "denial"), ("refutes", 0.9, "disputed")], "supported"),
    # A report of the dispute alone counts on both sides.
    ([("refutes", 0.95, "disputed")], "conflicting"),
    ([("refutes", 0.9, "denial"), ("supports", 0.8, "disputed")], "conflicting"),
    # A refutation of another kind beside support is a conflict, denial or not.
    ([("supports", 0.7, ""), ("refutes", 0.8, "")], "conflicting"),
    ([("supports", 0.7, ""), ("refutes", 0.8, ""), ("refutes", 0.95, "denial")], "conflicting"),
    # Weak or far evidence still counts for nothing, denial or not.
    ([("supports", 0.45, ""), ("refutes", 0.95, "denial")], "refuted"),
    # An allegation relayed as support is not confirmation: the denial stands alone.
    ([("supports", 0.9, "allegation"), ("refutes", 0.9, "denial")], "refuted"),
])
def test_a_denial_does_not_outweigh_independent_confirmation(evidence, label):
    from dataclasses import replace

    t = VerdictThresholds(support=0.5, refute=0.5, min_similarity=0.4)
    items = [replace(_ev(stance, score, 0.7), **({kind: True} if kind else {})) for stance, score, kind in evidence]
    verdict = aggregate(items, t)
    assert verdict.label == label, verdict
    if label == "supported" and any(e.contested for e in items):
        assert "does not outweigh independent confirmation" in verdict.note


@pytest.mark.parametrize("evidence, margin, label", [
    ([("supports", 0.9, ""), ("refutes", 0.6, "")], None, "conflicting"),
    ([("supports", 0.9, ""), ("refutes", 0.6, "")], 0.15, "supported"),
    ([("supports", 0.62, ""), ("refutes", 0.97, "")], 0.15, "refuted"),
    ([("supports", 0.8, ""), ("refutes", 0.7, "")], 0.15, "conflicting"),  # close readings stay a conflict
    # A reported dispute keeps it a conflict, however lopsided the readings.
    ([("refutes", 0.95, "denial"), ("supports", 0.6, "disputed")], 0.15, "conflicting"),
    # Only strong evidence is weighed: a weak reading is no side at all.
    ([("supports", 0.9, ""), ("refutes", 0.45, "")], None, "supported"),
])
def test_a_much_stronger_side_outweighs_a_weak_opposite_reading(evidence, margin, label):
    from dataclasses import replace

    t = VerdictThresholds(support=0.5, refute=0.5, min_similarity=0.4, conflict_margin=margin)
    items = [replace(_ev(stance, score, 0.7), **({kind: True} if kind else {})) for stance, score, kind in evidence]
    verdict = aggregate(items, t)
    assert verdict.label == label, verdict
    if margin is not None and label in ("supported", "refuted") and len(items) > 1:
        assert "outweighs the other side's" in verdict.note


def test_readme_calibration_table_matches_the_shipped_calibration():
    """The README states the fitted values; a refit that moves them must move the README too."""
    import re

    from factcheck.verdict import CALIBRATION_FILE

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `((?:verdict|stance)\.[\w.]+)` \| ([^|]+) \|", readme, re.MULTILINE))
    data = json.loads(CALIBRATION_FILE.read_text())
    verdict, stance = data["verdict"], data["stance"]
    for name in ("support", "refute", "min_similarity", "conflict_margin"):
        assert rows[f"verdict.{name}"].strip() == f"{verdict[name]:.2f}", name
    for name in ("min_signal_overlap", "denial_weight"):
        assert rows[f"stance.{name}"].strip() == f"{stance[name]:.2f}", name
    assert rows["stance.sentences_per_passage"].strip() == str(stance["sentences_per_passage"])
    assert rows["stance.min_relevance"].strip() == ("none" if stance["min_relevance"] is None
                                                    else f"{stance['min_relevance']:.2f}")
    refutes = stance["combiner"]["signals"]["refutes"]
    stated = " ".join(f"{refutes[g]:+.2f} {g}," for g in ("date", "number", "opposition", "negation")).rstrip(",")
    assert rows["stance.combiner.signals"].strip() == "refutes " + stated
    model = stance["combiner"]["model"]
    own = " / ".join(f"{model[s][s]:.2f}" for s in ("supports", "refutes", "neutral"))
    assert rows["stance.combiner.model"].startswith(own)


def test_a_candidate_stance_model_is_judged_with_its_own_weights_and_calibration(tmp_path):
    """What `calibrate --stance-model` and `check --stance-model` rely on: the judge loads the named folder,
    and reads the calibration.json beside it when there is one."""
    import json
    import shutil

    from factcheck.stance.judge import StanceJudge
    from factcheck.stance.model import DEFAULT_MODEL_DIR

    candidate = tmp_path / "candidate"
    shutil.copytree(DEFAULT_MODEL_DIR, candidate)
    data = json.loads((candidate / "calibration.json").read_text(encoding="utf-8"))
    data["stance"]["sentences_per_passage"] = 7
    (candidate / "calibration.json").write_text(json.dumps(data), encoding="utf-8")
    judge = StanceJudge(model_dir=candidate, precision="fp32")
    judge.warm_up()
    assert judge._model.model_dir == candidate
    assert judge.calibration.sentences_per_passage == 7
    assert StanceJudge(precision="fp32").calibration.sentences_per_passage != 7
    (candidate / "calibration.json").unlink()  # none beside it: the shipped calibration
    assert StanceJudge(model_dir=candidate).calibration == StanceJudge().calibration


def test_a_refutation_about_something_else_on_the_topic_does_not_count():
    from dataclasses import replace

    from factcheck.verdict import weighs

    t = VerdictThresholds(support=0.5, refute=0.5, min_similarity=0.4, min_refute_similarity=0.6)
    off_topic = replace(_ev("refutes", 0.66, 0.56), overlap=0.83, sentence_similarity=0.56)
    counted, note = weighs(off_topic, t)
    assert not counted and "stance model alone" in note and "0.56" in note and "0.60" in note
    supported = replace(_ev("supports", 0.73, 0.76), overlap=0.93, sentence_similarity=0.76)
    assert aggregate([supported, off_topic], t).label == "supported"  # not conflicting
    assert aggregate([off_topic], t).label == "not_enough_evidence"  # not refuted
    # Close enough, a weighed mismatch (a date, a figure, an opposite), or a denial makes it count.
    assert weighs(replace(off_topic, sentence_similarity=0.6), t)[0] is True
    assert weighs(replace(off_topic, signalled=True), t)[0] is True
    assert weighs(replace(off_topic, denial=True), t)[0] is True
    # A mismatch still needs some closeness, unless it is tied to the claim's own words.
    far = replace(off_topic, signalled=True, sentence_similarity=0.47)
    floored = replace(t, min_signalled_refute_similarity=0.5)
    assert weighs(far, floored)[0] is False and "another event" in weighs(far, floored)[1]
    assert weighs(replace(far, pinned=True), floored)[0] is True
    # With an overlap escape set, enough of the claim's key words count too.
    assert weighs(off_topic, replace(t, min_refute_overlap=0.5))[0] is True
    # Support is not held to it, and without the setting nothing changes.
    assert weighs(replace(off_topic, stance="supports"), t)[0] is True
    assert weighs(off_topic, VerdictThresholds(support=0.5, refute=0.5, min_similarity=0.4))[0] is True


def test_the_shipped_thresholds_hold_the_refutation_floor_and_a_refit_keeps_it():
    from factcheck.training.calibration import REFUTE_FLOOR, verdict_grid

    shipped = VerdictThresholds.load()
    assert (shipped.min_refute_similarity, shipped.min_refute_overlap, shipped.min_signalled_refute_similarity) == (
        0.6, None, 0.5)
    assert all(t.min_refute_similarity == REFUTE_FLOOR["min_refute_similarity"] for t in verdict_grid()[:5])


def test_support_that_never_says_the_claims_act_needs_a_stronger_reading():
    from dataclasses import replace

    from factcheck.training.calibration import SUPPORT_FLOOR, verdict_grid
    from factcheck.verdict import weighs

    t = VerdictThresholds(support=0.5, refute=0.5, min_similarity=0.4, unstated_act_support=0.66)
    elsewhere = replace(_ev("supports", 0.61, 0.7), sentence_similarity=0.7, unstated_act="block")
    counted, note = weighs(elsewhere, t)
    assert not counted and "“block”" in note and "0.61" in note and "0.66" in note
    assert aggregate([elsewhere], t).label == "not_enough_evidence"
    # Read strongly (a synonym: "trip" for "visit"), stating the act, or without the setting, it counts.
    assert weighs(replace(elsewhere, score=0.9), t)[0] is True
    assert weighs(replace(elsewhere, unstated_act=""), t)[0] is True
    assert weighs(elsewhere, replace(t, unstated_act_support=None))[0] is True
    # Refutation is not held to it; the shipped thresholds and a refit keep it.
    assert weighs(replace(elsewhere, stance="refutes"), t)[0] is True
    assert VerdictThresholds.load().unstated_act_support == SUPPORT_FLOOR["unstated_act_support"] == 0.66
    assert all(g.unstated_act_support == 0.66 for g in verdict_grid()[:5])


def test_support_that_gives_the_claims_figure_otherwise_never_counts():
    from dataclasses import replace

    from factcheck.verdict import weighs

    t = VerdictThresholds(support=0.5, refute=0.5, min_similarity=0.4)
    other_figure = replace(_ev("supports", 0.9, 0.7), sentence_similarity=0.7,
                           misfigured="number mismatch: 500 vs 5,000 patient")
    counted, note = weighs(other_figure, t)
    assert not counted and "500 vs 5,000 patient" in note
    assert aggregate([other_figure], t).label == "not_enough_evidence"
    # A sentence stating the figure as the claim does counts; one reporting a dispute counts on both sides.
    assert weighs(replace(other_figure, misfigured=""), t)[0] is True
    assert weighs(replace(other_figure, disputed=True), t)[0] is True


def test_another_date_for_a_recurring_event_does_not_outweigh_a_dated_confirmation():
    from dataclasses import replace

    t = VerdictThresholds(support=0.5, refute=0.5, min_similarity=0.4, conflict_margin=0.15)
    redated = replace(_ev("refutes", 0.8, 0.7), redated=True)
    dated = replace(_ev("supports", 0.9, 0.8), dated=True)
    verdict = aggregate([dated, redated], t)
    assert verdict.label == "supported" and "date such an event otherwise" in verdict.note
    # Without the claim's own date, the confirmation and the other date conflict as before.
    assert aggregate([replace(dated, dated=False), redated], t).label == "conflicting"
    # Alone, another date for the event refutes the claim.
    assert aggregate([redated], t).label == "refuted"


def test_the_claims_figure_stated_otherwise_outweighs_support_that_states_no_figure():
    from dataclasses import replace

    t = VerdictThresholds(support=0.5, refute=0.5, min_similarity=0.4, conflict_margin=0.15)
    refigured = replace(_ev("refutes", 0.8, 0.7), refigured=True)
    silent = _ev("supports", 0.75, 0.7)  # "the write-off was part of an effort to revive ties": no figure
    verdict = aggregate([silent, refigured], t)
    assert verdict.label == "refuted" and "do not state the claim's figure" in verdict.note, verdict
    assert verdict.supporting == 0 and verdict.refuting == 1
    # Support that states the claim's figure conflicts with the other figure, as before.
    assert aggregate([replace(silent, figured=True), refigured], t).label == "conflicting"
    # A refutation of another kind beside support without the figure: conflicting, as before.
    assert aggregate([silent, _ev("refutes", 0.8, 0.7)], t).label == "conflicting"
