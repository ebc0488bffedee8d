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


def test_synthetic_neutral_slice_pairs_a_claim_with_another_pairs_evidence():
    from benchmarks.stance import _capitalised, synthetic_neutral_slice
    from factcheck.training.calibration import StanceItem

    rows = [StanceItem(f"Team {name} won the cup in {1990 + i}.", [f"Team {name} won the cup in {1990 + i}, with a late goal."],
                       None, "supports", "fever_dev") for i, name in enumerate(["Alpha", "Beta", "Gamma", "Delta", "Epsilon"])]
    rows += [StanceItem(f"The {name} river is long.", [f"The {name} river floods each spring."], None, "refutes",
                        "vitaminc_real") for name in ["Volga", "Rhine", "Loire", "Douro"]]
    rows += [StanceItem("A dog runs.", ["A cat sleeps."], None, "neutral", "snli_devtest_esnli")]
    made = synthetic_neutral_slice(rows, 12)
    assert len(made) == 12
    pairs = {(r.claim, tuple(r.sentences)) for r in rows}
    assert not any((claim, tuple(evidence)) in pairs for claim, evidence in made)  # never a labelled pair
    assert all(claim != "A dog runs." and evidence != ["A cat sleeps."] for claim, evidence in made)  # fact pairs only
    # The second half shares a capitalised word with the claim ("Team", "Cup"-like names).
    assert all(_capitalised(claim) & _capitalised(" ".join(evidence)) for claim, evidence in made[6:])


def test_verdicts_compare_claim_by_claim_with_the_predictions_a_previous_run_stored(tmp_path):
    import json

    from benchmarks.verdicts import against_previous, previous_run

    gold = ["supported", "refuted", "not_enough_evidence", "refuted"] * 10
    ids = list(range(len(gold)))
    before = ["supported", "supported", "refuted", "refuted"] * 10  # false "supported" and "refuted"
    now = list(gold)
    path = tmp_path / "verdicts.json"
    path.write_text(json.dumps({"date": "d", "machine": {"commit": "abc"},
                                "metrics": {"predictions": {"claim_ids": ids, "model": before}}}))
    previous = previous_run(path)
    compared = against_previous(gold, ids, now, previous)
    assert compared["previous_commit"] == "abc" and compared["difference"] > 0 and compared["ci95"][0] > 0
    assert compared["previous"] == {"refuted_found": 10, "false_refuted": 10, "false_supported": 10}
    assert compared["now"] == {"refuted_found": 20, "false_refuted": 0, "false_supported": 0}
    # Other claims, or a run that stored no predictions (or no file at all): nothing to compare.
    assert against_previous(gold, ids[::-1], now, previous) is None
    path.write_text(json.dumps({"metrics": {}}))
    assert previous_run(path) is None and previous_run(tmp_path / "missing.json") is None


def test_news_claims_are_well_formed_and_scored_by_set():
    import json

    from benchmarks.news_claims import CLAIMS, LABELS, score

    rows = [json.loads(line) for line in CLAIMS.read_text().splitlines() if line.strip()]
    assert len(rows) == len({r["claim"] for r in rows}) >= 60
    assert {r["label"] for r in rows} == set(LABELS[:3]) and {r["set"] for r in rows} == {
        "design", "held_out", "design_unverifiable", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6",
        "fresh7", "fresh8", "fresh9", "fresh10"}
    predicted = [r["label"] if i % 2 else "conflicting" for i, r in enumerate(rows)]
    result = score(rows, predicted)
    assert result["accuracy"] == round(len(rows[1::2]) / len(rows), 4)
    assert sum(part["correct"] for part in result["by_set"].values()) == len(rows[1::2])
    assert sum(row["conflicting"] for row in result["confusion"].values()) == len(rows[0::2])


def test_each_beat_has_documents_our_loader_reads_and_claims_that_name_them():
    import json

    from benchmarks.domains import LABELS, beats, load, score
    from factcheck.evidence.loaders import load_file

    found = beats()
    assert len(found) >= 2
    for beat in found:
        ids = {doc.doc_id for path in sorted((beat / "docs").glob("*.md")) for doc in load_file(path)}
        rows = load(beat)
        assert len(rows) == len({r["claim"] for r in rows}) >= 30, beat.name
        assert {r["label"] for r in rows} == set(LABELS[:3]), beat.name
        assert {r["doc"] for r in rows} - {None} <= ids, (beat.name, {r["doc"] for r in rows} - ids - {None})
        # A claim the documents neither settle may be about no one document; any other names the one it is about.
        assert all(r["doc"] is not None or r["label"] == "not_enough_evidence" for r in rows), beat.name
        result = score(rows, [r["label"] if i % 3 else "conflicting" for i, r in enumerate(rows)])
        assert result["correct"] == sum(1 for i in range(len(rows)) if i % 3)
        assert sum(v["claims"] for v in result["by_kind"].values()) == len(rows)
        assert json.dumps(result)


def test_speed_read_floor_times_the_model_on_the_very_pairs_a_check_reads(corpus_store):
    from benchmarks.speed import read_floor
    from factcheck import Settings
    from factcheck.pipeline import Checker

    checker = Checker(Settings(store=str(corpus_store)))
    text = "Vladimir Putin visited Pyongyang in June 2024. Kim Jong Un met him at the airport."
    floor = read_floor(checker, text, runs=1)
    assert floor["stance_pairs"] > 0 and floor["stance_tokens"] > floor["stance_pairs"]
    assert floor["stance_read_floor_s"] > 0 and floor["stance_precision"] in ("fp32", "bf16")
    assert "read" not in vars(checker.judge)  # the judge reads through its own method again
    assert checker.check(text).claims  # and still checks
