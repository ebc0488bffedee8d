"""A claim read against as a whole but supported part by part (``verdict.held_in_parts``)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from factcheck.report import Fact, FactEvidence
from factcheck.verdict import Evidence, VerdictThresholds, aggregate, held_in_parts, refuted_in_core, span_unstated

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


def _refuted(role: str, mismatch: bool, score: float = 0.9, counts: bool = True, sentence: str = "") -> Fact:
    return Fact(text=role, role=role, statement=f"The {role} of the claim in May 2024.", verdict="refuted",
                confidence=score, evidence=[FactEvidence(3, "refutes", score, counts,
                                                         sentence or f"A sentence on the {role}.", mismatch=mismatch)])


def test_a_core_refuted_by_a_named_mismatch_refutes_a_claim_nothing_counts_on():
    nothing = aggregate([_ev("neutral", 0.9)], T)
    assert nothing.label == "not_enough_evidence"
    unverified = _fact("time", "not_enough_evidence", 0.0)
    refuted = refuted_in_core(nothing, [_refuted("core", True), unverified])
    assert refuted.label == "refuted" and refuted.confidence == 0.9 and refuted.refuting == 1
    assert "the core" in refuted.note and "naming what differs" in refuted.note
    # The model's reading alone of the shorter core is its strictness, not evidence; so is a refutation that does
    # not count; a qualifier confirmed, or a claim that is its core alone, keeps the verdict too.
    for parts in ([_refuted("core", False), unverified], [_refuted("core", True, counts=False), unverified],
                  [_refuted("core", True), _fact("time", "supported", 0.7)], [_refuted("core", True)],
                  # The core leaves the claim's date out: a sentence dating another year's or month's event does not
                  # bear on the claim.
                  [_refuted("core", True, sentence="The test of 9 October 2006 was smaller."), unverified],
                  [_refuted("core", True, sentence="Rates were cut in August."), unverified]):
        assert refuted_in_core(nothing, parts) == nothing
    # Whatever the whole claim reads stays as it is.
    supported = aggregate([_ev("supports", 0.7)], T)
    assert refuted_in_core(supported, [_refuted("core", True), unverified]) == supported


def test_a_coordinated_clause_refuted_by_a_named_mismatch_refutes_the_claim():
    nothing = aggregate([_ev("neutral", 0.9)], T)
    core = _fact("core", "supported", 0.8)
    clause = _refuted("clause", True)
    refuted = refuted_in_core(nothing, [core, _fact("quantity", "supported", 0.7), clause])
    assert refuted.label == "refuted" and "a coordinated clause" in refuted.note
    # The clause's own qualifier supported, or a refutation that names nothing, keeps the verdict; so does every
    # clause supported (that is held_in_parts' to read).
    for parts in ([core, clause, _fact("time", "supported", 0.7)], [core, _refuted("clause", False)],
                  [core, _fact("clause", "supported", 0.7)]):
        assert refuted_in_core(nothing, parts) == nothing
    # Every clause and qualifier supported: the claim is supported part by part.
    held = held_in_parts(nothing, [], [core, _fact("clause", "supported", 0.7, 2)], T)
    assert held.label == "supported"


def _span(text: str, verdict: str = "not_enough_evidence") -> Fact:
    return Fact(text=text, role="time", statement=f"Mara Quist has been deputy head {text}", verdict=verdict)


def test_a_claim_of_how_long_something_has_held_needs_a_supporting_sentence_that_states_it():
    core = "Mara Quist has been deputy head"
    facts = [Fact(text=core, role="core", statement=core, verdict="supported", confidence=0.7), _span("since 2019")]
    post = [replace(_ev("supports", 0.62), sentence="Deputy head Mara Quist said the school would reopen.")]
    whole = aggregate(post, T)
    assert whole.label == "supported"
    held = span_unstated(whole, facts, post, T)
    assert held.label == "not_enough_evidence" and "since 2019" in held.note
    assert held.confidence == round(1 - 0.62, 4) and held.supporting == 0
    # A supporting sentence that states the span (or its document's date gives it) keeps the verdict.
    stated = [replace(_ev("supports", 0.62), sentence="Mara Quist, deputy head since 2019, said it would reopen.")]
    assert span_unstated(aggregate(stated, T), facts, stated, T).label == "supported"
    # A point in time is not a span; a span supported part by part, another verdict: all left as they were.
    for parts in ([facts[0], Fact(text="in 2019", role="time", statement=f"{core} in 2019")],
                  [facts[0], _span("since 2019", "supported")]):
        assert span_unstated(whole, parts, post, T) == whole
    nothing = aggregate([_ev("neutral", 0.9)], T)
    assert span_unstated(nothing, facts, post, T) == nothing


def _checker_over(tmp_path, name: str, text: str):
    """A function giving the one check-worthy claim's result for a claim checked against a store of one document."""
    from factcheck import Checker, EvidenceStore, Ingester, Settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / name).write_text(text, encoding="utf-8")
    Ingester(EvidenceStore(tmp_path / "store", create=True)).ingest([docs])
    checker = Checker(Settings(store=str(tmp_path / "store")))

    def result(claim: str):
        (checked,) = [c for c in checker.check(claim).claims if c.claim.checkworthy]
        return checked

    return result


@pytest.mark.slow
def test_a_claim_whose_facts_sit_in_sentences_apart_is_supported_part_by_part(tmp_path):
    result = _checker_over(tmp_path, "trial.md", TRIAL)
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


HANDOVERS = """---
title: "Ambulance handovers at Larkbridge General Hospital, July to September 2024"
date: 2024-10-09
---

Larkbridge General Hospital's quarterly performance report covers July to September 2024 and was presented to \
the hospital board on Tuesday.

The emergency department saw 31,200 patients in the quarter, up from 29,800 a year earlier. Bed occupancy stood at \
94 per cent for most of the period. The report blames delays in discharging patients to care homes.

Ambulance crews waited an average of 47 minutes to hand patients over to emergency staff, against a standard of \
15 minutes.

The board agreed to open a dedicated handover area before the winter.
"""


@pytest.mark.slow
def test_a_claim_whose_core_a_sentence_states_with_another_figure_is_refuted(tmp_path):
    result = _checker_over(tmp_path, "handovers.md", HANDOVERS)
    claim = ("Ambulance crews at Larkbridge General Hospital waited an average of 27 minutes to hand over patients "
             "between July and September 2024.")
    false = result(claim)
    # The hospital and the quarter are in the sentence before: the whole claim reads against no one sentence, but
    # its core does, with the waiting time otherwise.
    assert false.verdict.label == "refuted", false.verdict.note
    core = next(f for f in false.facts if f.role == "core")
    assert core.verdict == "refuted" and any(fe.mismatch for fe in core.evidence)
    assert "the core" in false.verdict.note
    # The true figure: nothing refutes the core, and the rule says nothing.
    true = result(claim.replace("27 minutes", "47 minutes"))
    assert true.verdict.label != "refuted", true.verdict.note
    assert "the core" not in true.verdict.note


LIFEBOAT = """---
title: "Harbour trust agrees funding for Kelby lifeboat station"
date: 2024-05-02
---

The Kelby Harbour Trust will give £1.8 million towards a new lifeboat station at Kelby, the trust's board agreed on \
Tuesday.

The station will replace a boathouse built in 1931, which is too small for the lifeboat the volunteers now use.

Building work is due to start in September and should take about 14 months.

The trust will also pay for the training of 12 new volunteer crew members each year.
"""


@pytest.mark.slow
def test_a_claim_of_two_coordinated_predicates_is_checked_clause_by_clause_end_to_end(tmp_path):
    result = _checker_over(tmp_path, "kelby.md", LIFEBOAT)
    claim = ("The Kelby Harbour Trust will give £1.8 million towards a new lifeboat station and will pay for the "
             "training of 12 new volunteer crew members each year.")
    true = result(claim)
    # The two predicates are stated three sentences apart: each clause is confirmed on its own.
    assert [f.role for f in true.facts if f.role in ("core", "clause")] == ["core", "clause"]
    clause = next(f for f in true.facts if f.role == "clause")
    assert clause.statement.startswith("The Kelby Harbour Trust will pay") and clause.verdict == "supported"
    assert true.verdict.label == "supported" and "every part is supported" in true.verdict.note
    # The second clause's figure otherwise: that qualifier is refuted, and the claim is no longer supported.
    false = result(claim.replace("12 new", "20 new"))
    assert false.verdict.label != "supported", false.verdict.note
    assert any(f.role == "quantity" and f.text == "20" and f.verdict == "refuted" for f in false.facts), false.facts
    assert false.reason.startswith("misleading")


SCHOOL = """---
title: "Fallow Lane School to reopen after flood repairs"
date: 2024-03-08
---

Fallow Lane Primary School in Brackwick will reopen to pupils on Monday 11 March after repairs to flood damage.

The school, which has 310 pupils, closed on 19 February when a burst water main flooded its hall and two classrooms.

Its deputy headteacher, Mara Quist, who is leading the school while the headteacher is on leave, said staff had \
worked through the half-term break to get classrooms ready.
"""


@pytest.mark.slow
def test_a_post_confirmed_without_since_when_it_is_held_leaves_the_claim_unsettled(tmp_path):
    result = _checker_over(tmp_path, "school.md", SCHOOL)
    claim = result("Mara Quist has been deputy headteacher of Fallow Lane Primary School since 2019.")
    # The document confirms the post and says nothing of when she took it up.
    core = next(f for f in claim.facts if f.role == "core")
    assert core.verdict == "supported"
    assert claim.verdict.label == "not_enough_evidence", claim.verdict.note
    assert "states 'since 2019'" in claim.verdict.note
