"""An opinion gets no truth verdict: only who said it is checked (issue 16, part 6).

tests/data/opinions/ holds three short documents written for this test about a fictional city's budget: the
councillor's own words, a research group saying the same thing, and the mayor rebutting the councillor.
Real models, a real Chroma store on disk.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck import Checker, Settings

pytestmark = pytest.mark.slow

DOCS = Path(__file__).resolve().parent / "data" / "opinions"


@pytest.fixture(scope="module")
def checker(tmp_path_factory) -> Checker:
    from factcheck import EvidenceStore, Ingester

    folder = tmp_path_factory.mktemp("opinions-store")
    summary = Ingester(EvidenceStore(folder, create=True)).ingest([DOCS])
    assert summary.documents == 3 and not summary.skipped, summary.describe()
    checker = Checker(Settings(store=str(folder)))
    checker.warm_up()
    return checker


def _by_doc(result) -> dict:
    return {Path(e.source).stem: e for e in result.evidence}


@pytest.mark.parametrize("text", [
    "Councillor Dana Ames said the budget is a betrayal of working families.",
    "“This budget is a betrayal of working families,” said Councillor Dana Ames.",
])
def test_an_opinion_is_checked_for_who_said_it_only(checker, text):
    report = checker.check(text)
    (result,) = [r for r in report.claims if r.claim.opinion]
    assert result in report.shown and report.counts() == {"opinion": 1}
    assert result.verdict.label == "not_enough_evidence" and "no truth verdict" in result.verdict.note
    (said,) = result.facts
    assert said.role == "attribution" and said.verdict == "supported", said
    evidence = _by_doc(result)
    # Her own words count; the research group's same words do not name her; the mayor's rebuttal disputes
    # what she said, not that she said it.
    assert evidence["ames"].counts and evidence["ames"].stance == "supports"
    assert {"reactions", "ortiz"} <= set(evidence)
    assert [d for d in ("reactions", "ortiz") if evidence[d].stance != "neutral"]  # each would count otherwise
    for other in ("reactions", "ortiz"):
        if evidence[other].stance != "neutral":
            assert not evidence[other].counts and evidence[other].not_about_speaker, evidence[other]
            assert evidence[other].weight_note == evidence[other].not_about_speaker
    assert "denied" not in said.reason and "refuted" not in said.reason
    payload = report.to_dict()["claims"][0]
    assert all("not_about_speaker" in e for e in payload["evidence"])


def test_words_nobody_is_said_to_have_used_are_unverified_for_that_speaker(checker):
    result = next(r for r in checker.check(
        "Councillor Tom Reyes said the budget is a betrayal of working families.").claims if r.claim.opinion)
    (said,) = result.facts
    assert said.verdict == "not_enough_evidence", [(e.doc_id, e.stance, e.score, e.weight_note)
                                                   for e in result.evidence]


QUOTES = Path(__file__).resolve().parent / "data" / "quotes"


@pytest.fixture(scope="module")
def quote_checker(tmp_path_factory) -> Checker:
    from factcheck import EvidenceStore, Ingester

    folder = tmp_path_factory.mktemp("quotes-store")
    Ingester(EvidenceStore(folder, create=True)).ingest([QUOTES])
    return Checker(Settings(store=str(folder)))


def test_a_quote_of_someone_else_does_not_confirm_words_put_in_another_mouth(quote_checker):
    words = "keeping the water clean through a hot August is where the real work begins"
    (own,) = [r for r in quote_checker.check(f"Project manager Ellen Marsh said {words}.").claims if r.claim.checkworthy]
    (other,) = [r for r in quote_checker.check(f"Councillor Tom Hale said {words}.").claims if r.claim.checkworthy]
    assert not own.claim.opinion and own.claim.status == "attributed"
    quoted = [e for e in own.evidence if e.stance == "supports"]
    assert quoted and quoted[0].counts and own.verdict.label == "supported", own.evidence
    misquoted = [e for e in other.evidence if e.stance == "supports"]
    assert misquoted and not any(e.counts for e in misquoted), other.evidence
    assert "quotes someone else" in misquoted[0].weight_note and "Tom Hale" in misquoted[0].weight_note
    assert other.verdict.label != "supported" and all(f.verdict != "supported" for f in other.facts), other.facts


def test_words_reported_from_another_named_speaker_do_not_confirm_the_claims_speaker(quote_checker):
    words = "the canal would reopen to narrowboats in June 2025 once the Weller Lock gates had been replaced"
    (own,) = [r for r in quote_checker.check(f"Trust chair Priya Dunmore said {words}.").claims if r.claim.checkworthy]
    (other,) = [r for r in quote_checker.check(f"Councillor Colin Reyes said {words}.").claims if r.claim.checkworthy]
    assert own.verdict.label == "supported", own.evidence
    reported = [e for e in other.evidence if e.stance == "supports"]
    assert reported and not any(e.counts for e in reported), other.evidence
    note = reported[0].weight_note
    assert "another speaker" in note and "Priya Dunmore say it" in note and "Colin Reyes" in note, note
    assert other.verdict.label != "supported", other.evidence


@pytest.mark.parametrize("said", [
    "Project manager Tom Hale said keeping the water clean through a hot August is where the real work begins.",
    "Trust chair Colin Reyes said the canal would reopen to narrowboats in June 2025 once the Weller Lock gates "
    "had been replaced.",
])
def test_words_the_passage_gives_another_holder_of_the_claims_post_refute_it(quote_checker, said):
    """The claim names the post (project manager, the trust's chair) and the passage has someone else in that post
    say the words: a misattribution, which a fact-checker calls false, not merely unconfirmed."""
    (result,) = [r for r in quote_checker.check(said).claims if r.claim.checkworthy]
    swapped = [e for e in result.evidence if e.misattributed]
    assert swapped and swapped[0].stance == "refutes" and swapped[0].counts, result.evidence
    assert ("Ellen Marsh" in swapped[0].misattributed or "Priya Dunmore" in swapped[0].misattributed)
    assert "misattributed" in swapped[0].reason
    assert result.verdict.label == "refuted", (result.verdict, result.evidence)
    assert all("misattributed" in e for e in result.to_dict()["evidence"])


@pytest.mark.parametrize("said, note", [
    # Words the passage does not give: the post named otherwise is what refutes (``roles.another_holder``).
    ("Hollins Canal Trust chair Colin Reyes said replacing the Weller Lock gates would cost the trust £400,000.",
     "another holder: the passage has Priya Dunmore as chair, the claim Colin Reyes"),
    # Words close to the passage's, which the model reads as a weak "supports": the misattribution counts as fully.
    ("Hollins Canal Trust chair Colin Reyes said the Weller Lock gates would be rebuilt before any boats returned.",
     "misattributed: the passage has Councillor Priya Dunmore say it"),
])
def test_a_passage_giving_the_speakers_post_to_another_refutes_whatever_the_words(quote_checker, said, note):
    """The claim's speaker is given a post the passage gives another named person: the claim names the wrong
    holder, whether or not the passage says the claim's words."""
    (result,) = [r for r in quote_checker.check(said).claims if r.claim.checkworthy]
    held = [e for e in result.evidence if e.misattributed]
    assert held and held[0].stance == "refutes" and held[0].counts, result.evidence
    assert held[0].misattributed.startswith(note), held[0].misattributed
    assert result.verdict.label == "refuted", (result.verdict, result.evidence)


def test_the_passages_own_holder_of_the_speakers_post_is_no_other_holder(quote_checker):
    own = "Hollins Canal Trust chair Priya Dunmore said the Weller Lock gates would be replaced."
    (result,) = [r for r in quote_checker.check(own).claims if r.claim.checkworthy]
    assert not any(e.misattributed for e in result.evidence), result.evidence
    assert result.verdict.label == "supported", (result.verdict, result.evidence)


def test_a_post_given_to_the_claims_own_speaker_is_no_misattribution():
    from factcheck.stance.judge import parses
    from factcheck.stance.roles import misattributed

    def swapped(claim: str, evidence: str):
        return misattributed(*parses([claim, evidence]))

    assert swapped("Chief inspector Gordon Ellery said the track was worn.",
                   "\"The track was worn,\" said chief inspector Malcolm Rennie.") == ("Gordon Ellery", "Malcolm Rennie")
    # The post's owner is no speaker, even where the small model takes the company for a person.
    assert swapped("Hallsey Components' managing director, Marian Tolley, said orders had fallen.",
                   "Managing director Fiona Grellier said orders had fallen.") == ("Marian Tolley", "Fiona Grellier")
    # The same person; no post in the claim; posts of two bodies; a post many hold at once.
    assert swapped("Chief inspector Malcolm Rennie said the track was worn.",
                   "\"The track was worn,\" said chief inspector Malcolm Rennie.") is None
    assert swapped("Gordon Ellery said the track was worn.",
                   "\"The track was worn,\" said chief inspector Malcolm Rennie.") is None
    assert swapped("State Department spokesman Matthew Miller said Russia was buying munitions.",
                   "White House spokesman John Kirby said Russia was buying munitions.") is None
    assert swapped("Russian President Vladimir Putin said the treaty was defensive.",
                   "US President Joe Biden said the treaty was defensive.") is None
    # The post more briefly (three words or more of it): the same post. Two words of it ("cabinet member") are not.
    assert swapped("Councillor Bernard Yeo, chair of Pellworth Council's housing scrutiny committee, said the target "
                   "was missed.", "The chair of the scrutiny committee, Councillor Desmond Fairlie, said the target "
                   "was missed.") == ("Bernard Yeo", "Councillor Desmond Fairlie")
    assert swapped("Councillor Janet Moorcroft, cabinet member for health, said the fund would help.",
                   "Cabinet member Derek Sowerby said the fund would help.") is None


def test_the_speaking_person_is_the_subject_of_the_verb_of_saying():
    from factcheck.stance.judge import parses
    from factcheck.stance.roles import speaking_person as speaker

    def speaking_person(sentence: str) -> str:
        return speaker(parses([sentence])[0])

    assert speaking_person("Councillor Nadia Felsham, the cabinet member for education, said three advisers had been "
                           "sent in.") == "Nadia Felsham"
    assert speaking_person("\"It is where the work starts,\" said programme coordinator Sian Tolley.") == "Sian Tolley"
    # A person named elsewhere in the sentence is not its speaker; nor is a country.
    assert speaking_person("Three advisers, led by John Smith, had been sent in, the council said.") == ""
    assert speaking_person("North Korea said three advisers had been sent.") == ""
