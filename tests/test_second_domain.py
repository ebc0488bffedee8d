"""A second beat: a city-council budget story checked against the user's own documents.

tests/data/council/ holds an invented story about a fictional city (Riverton) and eight short reference
documents written for this test. Each row states how a verdict must behave, whatever the wording.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck import Checker, Settings

pytestmark = pytest.mark.slow

COUNCIL = Path(__file__).resolve().parent / "data" / "council"
LEAD = (COUNCIL / "article.txt").read_text(encoding="utf-8").split("\n\n")[1].strip()


@pytest.fixture(scope="module")
def checker(tmp_path_factory) -> Checker:
    from factcheck import EvidenceStore, Ingester

    folder = tmp_path_factory.mktemp("council-store")
    summary = Ingester(EvidenceStore(folder, create=True)).ingest([COUNCIL / "docs"])
    assert summary.documents == 8 and not summary.skipped, summary.describe()
    checker = Checker(Settings(store=str(folder)))
    checker.warm_up()
    return checker


def _check(checker: Checker, text: str):
    result = checker.check(text).claims[0]
    return result, [(e.stance, e.score, e.counts, e.sentence, e.reason) for e in result.evidence]


def test_the_lead_fact_is_supported_though_its_vote_count_is_in_the_next_sentence(checker):
    result, shown = _check(checker, LEAD)
    assert result.verdict.label == "supported", shown
    deciding = [e for e in result.evidence if e.counts and e.stance == "supports"]
    # The supporting evidence is close to the claim sentence for sentence, whatever the passage around it.
    assert all(e.sentence_similarity is not None and e.sentence_similarity >= checker.thresholds.min_similarity
               for e in deciding), shown


def test_a_figure_of_another_department_is_no_number_mismatch(checker):
    result, shown = _check(checker, LEAD)
    police_doc = (COUNCIL / "docs" / "police-department-budget.md").read_text(encoding="utf-8")
    police = next(line for line in police_doc.splitlines() if "percent to $" in line)
    # The department's figure is a quantity of another thing than the council's total: no mismatch.
    judged = checker.judge.judge(LEAD, [police], 0.6)
    assert not any(s.startswith("number mismatch") for s in judged.signals), judged
    for evidence in result.evidence:
        if evidence.doc_id == "police-department-budget":
            assert "number mismatch" not in evidence.reason and not (evidence.counts and evidence.stance == "refutes")
    assert result.verdict.label == "supported", shown


@pytest.mark.parametrize("wrong, right", [("June 18, 2024", "June 18, 2023"), ("June 18, 2024", "June 18, 2022")])
def test_a_wrong_year_is_refuted_and_the_reason_names_it(checker, wrong, right):
    result, shown = _check(checker, LEAD.replace(wrong, right))
    assert result.verdict.label in ("refuted", "conflicting"), shown
    refuting = [e for e in result.evidence if e.counts and e.stance == "refutes"]
    assert any("year mismatch" in e.reason and right[-4:] in e.reason for e in refuting), shown


def test_an_accusation_is_not_confirmation(checker):
    claim = "Mayor Luis Ortiz steered the city's waste-hauling contract to a campaign donor."
    result, shown = _check(checker, claim)
    assert result.verdict.label != "supported", shown
    alleging = [e for e in result.evidence if e.allegation]
    assert alleging, shown
    for evidence in alleging:
        assert not evidence.counts or evidence.stance != "supports", shown
        if evidence.stance == "supports":
            assert "allegation" in evidence.weight_note, shown


def test_an_accusation_confirms_a_claim_that_the_accusation_was_made(checker):
    doc = (COUNCIL / "docs" / "waste-contract-dispute.md").read_text(encoding="utf-8")
    accusation = next(line for line in doc.splitlines() if " accused " in line)
    # Read for the deed, it is an allegation and no confirmation; read for a claim that relays the accusation
    # itself, it confirms what that claim states: that the accusation was made.
    deed = checker.judge.judge("Mayor Luis Ortiz steered the waste-hauling contract to Greenway Haulers.",
                               [accusation], 0.8)
    assert deed.stance == "supports" and deed.allegation, deed
    said = checker.judge.judge("Councillor Dana Ames accused Mayor Luis Ortiz of steering the waste-hauling "
                               "contract to Greenway Haulers.", [accusation], 0.8)
    assert said.stance == "supports" and not said.allegation, said


def test_headings_and_captions_are_never_the_evidence_sentence(checker):
    from factcheck.stance.signals import is_furniture

    report = checker.check((COUNCIL / "article.txt").read_text(encoding="utf-8"))
    sentences = [e.sentence for r in report.checkworthy for e in r.evidence]
    assert sentences and not [s for s in sentences if is_furniture(s)]
    assert not [s for s in sentences if s.lstrip().startswith("#") or s.lower().startswith("photo:")]
