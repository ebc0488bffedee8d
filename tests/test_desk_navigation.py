"""Moving through an article without Streamlit: reader numbers, filters, the next unreviewed claim."""

from __future__ import annotations

import pytest

from desk.html import article_html, article_label, confidence_note
from desk.navigation import claim_numbers, filter_claims, next_unreviewed
from factcheck import Claim, ClaimResult, Report, Verdict
from factcheck.review.store import Review

TEXT = "Big headline\nBy A. Writer\nOslo signed it. Bergen denied it. It rained. Oslo won."
ROWS = [  # id, span, check-worthy, verdict
    ("c1", "Big headline", False, "not_enough_evidence"),
    ("c2", "By A. Writer", False, "not_enough_evidence"),
    ("c3", "Oslo signed it.", True, "supported"),
    ("c4", "Bergen denied it.", True, "refuted"),
    ("c5", "It rained.", False, "not_enough_evidence"),
    ("c6", "Oslo won.", True, "not_enough_evidence"),
]


@pytest.fixture
def report() -> Report:
    results = []
    for cid, span, worthy, label in ROWS:
        start = TEXT.index(span)
        claim = Claim(id=cid, text=span, sentence=span, start=start, end=start + len(span), sentence_start=start,
                      sentence_end=start + len(span), checkworthy=worthy)
        results.append(ClaimResult(claim, Verdict(label, 0.9, 0, 0)))
    return Report(input="pasted", text=TEXT, claims=results)


def flagged(report: Report, *ids: str) -> dict[str, Review]:
    """Reviews by claim id, as ``ReviewStore.for_claims`` gives them."""
    return {cid: Review("a1", f"t-{cid}", flag="supported" if cid in ids else None, version=1 if cid in ids else 0)
            for cid in (r.claim.id for r in report.claims)}


def test_claims_are_numbered_as_the_reader_sees_them(report):
    assert claim_numbers(report) == {"c3": 1, "c4": 2, "c6": 3}  # the headline and byline take no number
    markup = article_html(report, None, show_all=True, numbers=claim_numbers(report))
    assert ">1</sup>" in markup and ">3</sup>" in markup and ">c3</sup>" not in markup
    assert 'title="claim ·: not check-worthy"' in markup
    assert [r.claim.id for r in report.claims] == [cid for cid, *_ in ROWS]  # ids unchanged for JSON


@pytest.mark.parametrize("which, show_all, expected", [
    ("all", False, ["c3", "c4", "c6"]),
    ("all", True, ["c1", "c2", "c3", "c4", "c5", "c6"]),
    ("unreviewed", True, ["c3", "c6"]),
    ("flagged", False, ["c4"]),
    ("refuted", False, ["c4"]),
    ("not_enough_evidence", True, ["c6"]),
])
def test_filters(report, which, show_all, expected):
    assert [r.claim.id for r in filter_claims(report, flagged(report, "c4"), which, show_all)] == expected


def test_an_unknown_filter_is_refused(report):
    with pytest.raises(ValueError, match="unreviewed"):
        filter_claims(report, {}, "interesting")


@pytest.mark.parametrize("done, after, expected", [
    ((), None, "c3"),
    ((), "c3", "c4"),
    (("c4",), "c3", "c6"),
    (("c3",), "c6", "c4"),  # wraps round to the top
    (("c3", "c4"), "c6", None),  # the current claim is not "next", even when unflagged
    (("c3", "c4", "c6"), "c4", None),
])
def test_next_unreviewed(report, done, after, expected):
    assert next_unreviewed(report, flagged(report, *done), after) == expected


def test_confidence_is_explained(report):
    assert "says nothing about whether the claim is true" in confidence_note("not_enough_evidence", 1.0)
    assert "strongest supporting passage" in confidence_note("supported", 0.87)
    assert "both sides" in confidence_note("conflicting", 0.6)


def test_articles_with_one_headline_are_told_apart():
    one = article_label("Putin visits\n\nPutin visits\n\nThe Kremlin said on Monday that the trip", "a.txt")
    two = article_label("Putin visits\n\nThe Kremlin confirmed on Tuesday that the trip", "b.txt")
    assert one[0] == two[0] == "Putin visits" and one[1] != two[1]
    assert one[1] == "The Kremlin said on Monday that the trip"
    assert article_label("", "empty.txt") == ("empty.txt", "")
