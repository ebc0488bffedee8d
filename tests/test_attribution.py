"""Attribution read off the parse: frames, sources, status markers and their priority."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from factcheck.claims.attribution import (
    STATUS_PRIORITY,
    according_to,
    clause_markers,
    decide,
    reporting_frame,
    source_text,
    source_tokens,
    subject_of,
)
from factcheck.claims.extract import STATUSES


@pytest.fixture(scope="module")
def nlp():
    from factcheck.resources import get_nlp

    return get_nlp()


def _token(doc, word: str):
    return next(t for t in doc if t.text == word)


def test_every_status_has_a_priority():
    assert set(STATUS_PRIORITY) == set(STATUSES)
    assert STATUS_PRIORITY.index("denied") < STATUS_PRIORITY.index("hedged") < STATUS_PRIORITY.index("asserted")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "verb", "status", "source", "content"),
    [
        ("Washington says the ship carried rockets.", "says", "attributed", "Washington", "carried"),
        ("The rebels carried rockets, the army said.", "said", "attributed", "the army", "carried"),
        ("The agency quoted a senior official as saying talks had failed.", "quoted", "attributed",
         "a senior official", "failed"),
        ("Kyiv claims the dam was destroyed by shelling.", "claims", "alleged", "Kyiv", "destroyed"),
        ("The board denied that the chief executive had resigned.", "denied", "denied", "the board", "resigned"),
        ("The ministry did not confirm that the vaccine had arrived.", "confirm", "alleged", "the ministry", "arrived"),
        ("Economists predict that prices will fall.", "predict", "hedged", "Economists", "fall"),
        ("The coach, Maria Ruiz, told reporters the team would appeal.", "told", "attributed", "the coach", "appeal"),
    ],
)
def test_reporting_frames(nlp, sentence, verb, status, source, content):
    doc = nlp(sentence)
    frame, heads = reporting_frame(_token(doc, verb))
    assert frame is not None and frame.status == status
    assert source_text(frame.source) == source
    assert [h.text for h in heads] == [content]
    # The frame's own words never leak into the claim.
    assert not frame.frame_tokens & {t.i for h in heads for t in h.subtree}


@pytest.mark.slow
def test_passive_report_keeps_subject_and_drops_the_frame_words(nlp):
    doc = nlp("The general is alleged to have ordered the strike.")
    frame, heads = reporting_frame(_token(doc, "alleged"))
    assert frame.status == "alleged" and frame.source == []
    assert {doc[i].text for i in frame.frame_tokens} >= {"is", "alleged", "to", "have"}
    assert [h.text for h in heads] == ["ordered"]


@pytest.mark.slow
def test_plain_verbs_are_not_frames(nlp):
    doc = nlp("The committee approved the budget on Tuesday.")
    assert reporting_frame(doc[2]) == (None, [])


@pytest.mark.slow
def test_a_noun_the_tagger_takes_for_a_verb_is_no_reported_clause(nlp):
    # spaCy parses "declared a measles outbreak" as a report of the clause "measles outbreak[s]": the claim
    # then lost its actor and its act ("A measles outbreak on 14 February 2024").
    doc = nlp("The health board declared a measles outbreak on 14 February 2024.")
    assert [(t.text, t.dep_, t.tag_) for t in doc if t.text == "outbreak"] == [("outbreak", "ccomp", "VB")]
    assert reporting_frame(_token(doc, "declared")) == (None, [])
    # A clause with its auxiliary is reported content as before.
    doc = nlp("The minister said talks would resume.")
    assert [h.text for h in reporting_frame(_token(doc, "said"))[1]] == ["resume"]


@pytest.mark.slow
def test_source_is_cut_before_an_appositive(nlp):
    doc = nlp("Ana Costa, a lecturer at Lisbon University, told the newspaper the study was flawed.")
    assert source_text(source_tokens(subject_of(_token(doc, "told")))) == "Ana Costa"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "head", "status", "cue"),
    [
        ("The singer reportedly cancelled the tour.", "cancelled", "alleged", "reportedly"),
        ("The storm could reach the coast by Friday.", "reach", "hedged", "could"),
        ("Turnout may exceed 70 percent.", "exceed", "hedged", "may"),
        ("The goalkeeper seems to have recovered.", "seems", "hedged", "seems"),
        ("The champion will probably retire next year.", "retire", "hedged", "probably"),
    ],
)
def test_clause_markers(nlp, sentence, head, status, cue):
    doc = nlp(sentence)
    markers = clause_markers(_token(doc, head))
    assert [(s, [t.text for t in toks]) for s, toks in markers] == [(status, [cue])]


@pytest.mark.slow
def test_plain_future_and_should_are_not_hedges(nlp):
    for sentence, head in (("The museum will reopen in May.", "reopen"), ("Banks should lend more.", "lend")):
        assert clause_markers(_token(nlp(sentence), head)) == []


@pytest.mark.slow
def test_according_to_names_the_source_unless_it_is_unnamed_reports(nlp):
    doc = nlp("According to the census bureau, the population grew by 2 million.")
    cue, source = according_to(_token(doc, "grew"))
    assert [t.text for t in cue] == ["According", "to"] and source_text(source) == "the census bureau"
    named = decide(None, _token(doc, "grew"), set(range(len(doc))))
    assert (named.status, named.source) == ("attributed", "the census bureau")
    doc = nlp("According to reports, the singer has married.")
    unnamed = decide(None, _token(doc, "married"), set(range(len(doc))))
    assert (unnamed.status, unnamed.source) == ("alleged", None)


@pytest.mark.slow
def test_the_most_specific_status_wins_and_every_cue_is_kept(nlp):
    doc = nlp("The talks could collapse, a negotiator said.")
    frame, heads = reporting_frame(_token(doc, "said"))
    result = decide(frame, heads[0], {t.i for t in heads[0].subtree})
    assert (result.status, result.source) == ("hedged", "a negotiator")
    assert sorted((role, [t.text for t in toks]) for toks, role in result.cues) == [
        ("source", ["a", "negotiator"]),
        ("status", ["could"]),
        ("status", ["said"]),
    ]
