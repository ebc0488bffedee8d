"""A claim read against as a whole but supported part by part (``verdict.held_in_parts``)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from factcheck.report import Fact, FactEvidence
from factcheck.verdict import Evidence, VerdictThresholds, aggregate, held_in_parts

T = VerdictThresholds(support=0.5, refute=0.5, min_similarity=0.4, conflict_margin=0.1)


def _ev(stance: str, score: float, **kw) -> Evidence:
    return Evidence(source="doc.md", doc_id="doc", title=None, passage="p", sentence="s", stance=stance,
                    score=score, similarity=0.8, sentence_similarity=0.8, overlap=0.6, **kw)


def _fact(role: str, verdict: str, confidence: float, index: int = 1, sentence: str = "") -> Fact:
    return Fact(text=role, role=role, statement=role, verdict=verdict, confidence=confidence,
                evidence=[FactEvidence(index, "supports", confidence, verdict == "supported",
                                       sentence or f"A sentence on the {role}.")])


PARTS = [_fact("core", "supported", 0.81), _fact("quantity", "supported", 0.66, 2), _fact("time", "supported", 0.74)]


def test_a_model_only_refutation_of_the_whole_claim_yields_to_every_part_supported():
    evidence = [_ev("refutes", 0.62), _ev("neutral", 0.9), _ev("supports", 0.3)]
    whole = aggregate(evidence, T)
    assert whole.label == "refuted"
    held = held_in_parts(whole, evidence, PARTS, T)
    assert held.label == "supported"
    assert held.confidence == 0.66  # what every part holds at least
    assert held.supporting == 2 and "every part is supported" in held.note and "name no mismatch" in held.note
    # A conflict between the whole claim's readings is settled the same way.
    conflict = [_ev("refutes", 0.6), _ev("supports", 0.62)]
    assert aggregate(conflict, T).label == "conflicting"
    assert held_in_parts(aggregate(conflict, T), conflict, PARTS, T).label == "supported"


@pytest.mark.parametrize("kind", ["signalled", "pinned", "denial", "disputed", "allegation"])
def test_a_refutation_that_names_what_differs_keeps_the_verdict(kind):
    evidence = [replace(_ev("refutes", 0.62), **{kind: True})]
    whole = aggregate(evidence, T)
    assert held_in_parts(whole, evidence, PARTS, T) == whole


def test_a_part_not_supported_or_a_claim_without_qualifiers_keeps_the_verdict():
    evidence = [_ev("refutes", 0.62)]
    whole = aggregate(evidence, T)
    for parts in ([PARTS[0]],  # the core alone: the part is the whole claim
                  [PARTS[0], _fact("quantity", "not_enough_evidence", 0.5)],
                  [PARTS[0], _fact("time", "refuted", 0.7)],
                  [_fact("quantity", "supported", 0.7), _fact("time", "supported", 0.7)]):  # no core
        assert held_in_parts(whole, evidence, parts, T) == whole
    # A refutation too weak or too far to count is no reason to overturn anything: the verdict stays.
    assert held_in_parts(aggregate([_ev("supports", 0.7)], T), [_ev("supports", 0.7)], PARTS, T).label == "supported"


def test_parts_each_confirmed_where_nothing_confirms_the_whole_claim_make_it_supported():
    nothing = aggregate([_ev("refutes", 0.3), _ev("supports", 0.4)], T)
    assert nothing.label == "not_enough_evidence"
    held = held_in_parts(nothing, [_ev("refutes", 0.3), _ev("supports", 0.4)], PARTS, T)
    assert held.label == "supported" and "no one sentence states the whole claim" in held.note
    unverified = [PARTS[0], _fact("time", "not_enough_evidence", 0.4)]
    assert held_in_parts(nothing, [], unverified, T) == nothing
    # One sentence confirms every part and yet not the whole claim: it pairs the parts otherwise ("more than three
    # million rounds of 152mm shells, or around 500,000 rounds of 122mm ammunition" for "around 500,000 rounds of
    # 152mm shells"), so nothing is made of the parts.
    one = "It could hold three million rounds of 152mm shells, or 500,000 rounds of 122mm ammunition."
    paired = [_fact("core", "supported", 0.8, 1, one), _fact("quantity", "supported", 0.8, 1, one),
              _fact("quantity", "supported", 0.8, 1, "The ship sailed on Monday. " + one)]
    assert held_in_parts(nothing, [], paired, T) == nothing


TRIAL = """---
title: "Hay fever tablet eases symptoms in late-stage trial"
date: 2024-05-02
---

A phase 3 trial of 630 adults with severe hay fever has found that LX-88, a once-daily tablet developed at the \
Pemberly Institute, cuts sneezing.

Volunteers took the tablet or a dummy pill every morning for eight weeks during the pollen season, and kept a daily \
diary of their symptoms.

Sneezing episodes fell by 41% in the group taking LX-88, compared with 17% in the placebo group, the researchers \
reported on Thursday.

The tablet will now be submitted to regulators, the institute said.
"""


@pytest.mark.slow
def test_a_claim_whose_facts_sit_in_sentences_apart_is_supported_part_by_part(tmp_path):
    from factcheck import Checker, EvidenceStore, Ingester, Settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "trial.md").write_text(TRIAL, encoding="utf-8")
    Ingester(EvidenceStore(tmp_path / "store", create=True)).ingest([docs])
    checker = Checker(Settings(store=str(tmp_path / "store")))

    def result(claim: str):
        (checked,) = [c for c in checker.check(claim).claims if c.claim.checkworthy]
        return checked

    claim = ("In a phase 3 trial of 630 adults with severe hay fever, sneezing episodes fell by 41% among patients on "
             "LX-88 against 17% among those on placebo.")
    true = result(claim)
    # The trial's size and its result are two sentences apart: no sentence or window of two states the whole claim.
    assert true.verdict.label == "supported", true.verdict.note
    assert "every part is supported" in true.verdict.note
    assert len(true.facts) >= 3 and all(f.verdict == "supported" for f in true.facts)
    # One figure otherwise, and the parts no longer all hold: the claim is refuted as before.
    false = result(claim.replace("17%", "27%"))
    assert false.verdict.label == "refuted", false.verdict.note
    assert "every part is supported" not in false.verdict.note
