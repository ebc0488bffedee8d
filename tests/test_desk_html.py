"""The desk's pure HTML renderers, without Streamlit: escaping, claim marks, evidence highlights."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desk.html import (
    article_html,
    claim_head,
    evidence_html,
    facts_html,
    passage_html,
    safe_url,
    summary_html,
    verdict_badge,
    when,
)
from factcheck import Claim, ClaimResult, Evidence, Report, Verdict
from factcheck.review.decision import ShownEvidence, reviewed_verdict
from factcheck.review.store import Review

ROOT = Path(__file__).resolve().parent.parent
TEXT = "Headline <b>bold</b>\nOslo said the <script>deal</script> was signed in 1999, which Bergen denies. Weather fine."


def claim(cid: str, span: str, checkworthy: bool = True, **kw) -> Claim:
    start = TEXT.index(span)
    return Claim(id=cid, text=span, sentence=span, start=start, end=start + len(span), sentence_start=start,
                 sentence_end=start + len(span), checkworthy=checkworthy, **kw)


def evidence(passage: str, sentence: str, stance: str = "supports", **kw) -> Evidence:
    return Evidence(source="/srv/corpus/x.md", doc_id="x", title=kw.pop("title", "A <i>title</i>"), passage=passage,
                    sentence=sentence, stance=stance, score=kw.pop("score", 0.9), similarity=0.7, **kw)


@pytest.fixture
def report() -> Report:
    outer = "the <script>deal</script> was signed in 1999, which Bergen denies"
    inner = "the <script>deal</script> was signed in 1999"
    return Report(input="pasted", text=TEXT, claims=[
        ClaimResult(claim("c1", outer, status="attributed", source="Oslo"), Verdict("supported", 0.8, 1, 0)),
        ClaimResult(claim("c2", inner), Verdict("refuted", 0.7, 0, 1)),
        ClaimResult(claim("c3", "Weather fine.", checkworthy=False), Verdict("not_enough_evidence", 1.0, 0, 0)),
    ])


def test_the_renderers_need_no_streamlit():
    probe = "import sys, desk.html; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], cwd=ROOT, timeout=120).returncode == 0


def test_article_escapes_the_text_and_marks_each_claim_once(report):
    markup = article_html(report, selected="c2", show_all=False)
    assert "<script>" not in markup and "<b>bold" not in markup
    assert "&lt;script&gt;deal&lt;/script&gt;" in markup and "&lt;b&gt;bold&lt;/b&gt;" in markup
    # c2 lies inside c1: one mark carries both ids rather than a nested mark.
    assert markup.count("<mark") == 1 and ">c1 c2</sup>" in markup
    assert 'class="fc-selected"' in markup  # the selected claim's mark is outlined
    assert "fc-minor" not in markup  # non-check-worthy sentences only on demand


def test_article_shows_non_checkworthy_sentences_on_demand(report):
    markup = article_html(report, selected=None, show_all=True)
    assert markup.count("<mark") == 2 and 'class="fc-minor"' in markup and "fc-selected" not in markup
    assert "c3: not check-worthy" in markup


def test_claim_head_escapes_and_shortens(report):
    long = ClaimResult(claim("c9", TEXT[21:]), Verdict("conflicting", 0.5, 1, 1))
    long.claim.text = "x" * 300
    assert claim_head(long, None).count("x") == 177 and "…" in claim_head(long, None)
    assert "Supported · 0.80" in claim_head(report.claims[0], reviewed_verdict(report.claims[0]))
    head = claim_head(report.claims[0], reviewed_verdict(report.claims[0], Review("a1", "k", flag="alleged")))
    assert "by Oslo" in head and "⚑ Alleged" in head and "model: supported 0.80" in head
    assert "&lt;script&gt;" in head
    assert "not check-worthy" in claim_head(report.claims[2], None)


@pytest.mark.parametrize("passage, sentence, start, end, marked", [
    ("One. Two <x> three. Four.", "Two <x> three.", 5, 19, "Two &lt;x&gt; three."),
    ("One.  Two. Four.", "Two.", 4, 10, "Two."),  # offsets that take in spaces: the highlight stays on words
    ("One. Two. Four.", "Two.", 0, 0, "Two."),  # no offsets: found by its text
    ("One. Two. Four.", "Absent.", 0, 0, None),  # not found: no highlight at all
])
def test_passage_highlights_the_evidence_sentence(passage, sentence, start, end, marked):
    markup = passage_html(evidence(passage, sentence, sentence_start=start, sentence_end=end))
    if marked is None:
        assert "<mark>" not in markup
    else:
        assert f"<mark>{marked}</mark>" in markup
    assert "<x>" not in markup


def test_a_finding_read_across_the_passage_start_shows_the_sentence_before_it():
    # The judge read the passage's first sentence with its document's sentence before the passage: the card shows
    # that sentence first, marked apart (the passage does not hold it), then the passage with its own sentence.
    passage = "Of those, 76 will be <b>social</b> rent. Libraries open on Sundays."
    own = "Of those, 76 will be <b>social</b> rent."
    before = "Thirty per cent, or 126 <i>homes</i>, will be affordable."
    markup = passage_html(evidence(passage, own, sentence_start=0, sentence_end=len(own), sentence_before=before))
    assert markup.startswith('<mark class="fc-lead" title="the sentence before this passage in its document">'
                             "Thirty per cent, or 126 &lt;i&gt;homes&lt;/i&gt;, will be affordable.</mark> <mark>")
    assert "<mark>Of those, 76 will be &lt;b&gt;social&lt;/b&gt; rent.</mark> Libraries" in markup
    assert "fc-lead" not in passage_html(evidence(passage, own, sentence_start=0, sentence_end=len(own)))


def test_evidence_card_escapes_and_refuses_unsafe_links():
    card = evidence_html(evidence("P <img src=x>.", "P <img src=x>.", url="javascript:alert(1)",
                                  publisher="<b>Press</b>"), pinned=True)
    assert "<img" not in card and "<b>Press" not in card and "javascript:" not in card
    assert "PINNED" in card and "A &lt;i&gt;title&lt;/i&gt;" in card
    assert "/srv/corpus" not in card and "x.md" not in card  # server paths stay off the card
    linked = evidence_html(evidence("P.", "P.", url="https://example.org/a?b=1&c=\"2\""), pinned=False)
    assert 'href="https://example.org/a?b=1&amp;c=&quot;2&quot;"' in linked and "PINNED" not in linked
    assert safe_url("ftp://x") is None and safe_url("http://x") == "http://x"


def test_the_reviewers_reading_of_a_passage_leads_the_models():
    passage = evidence("Oslo signed. It did.", "Oslo signed.", score=0.87, stance="refutes")
    card = evidence_html(ShownEvidence(passage, "supports", by_reviewer=True))
    assert "reviewer: supports · model: refutes 0.87" in card and "Your reading counts towards the decision" in card
    assert "#1a7f37" in card  # the bar in the reviewer's colour (supporting), not the model's
    plain = evidence_html(ShownEvidence(passage, "refutes"))
    assert "refutes <b>0.87</b>" in plain and "reviewer" not in plain


def test_badges_summary_and_times(report):
    assert "Not enough evidence · 1.00" in verdict_badge("not_enough_evidence", 1.0)
    summary = summary_html(report, reviewed=1)
    assert "<b>2</b> check-worthy claims of 3" in summary and "<b>1</b> reviewed" in summary
    assert when("2026-11-28T04:27:00+00:00") == "28 Nov 2026, 04:27 UTC" and when("yesterday") == "yesterday"


def test_an_opinion_is_listed_as_an_opinion_with_who_said_it_not_a_truth_verdict():
    from factcheck.report import Fact

    span = "Oslo said the <script>deal</script> was signed in 1999"
    said = Fact(text="Oslo", role="attribution", statement="Oslo said that the deal was signed in 1999",
                verdict="supported", confidence=0.9, reason="supported by “Oslo's statement”")
    opinion = ClaimResult(claim("c1", span, checkworthy=False, opinion=True, status="attributed", source="Oslo"),
                          Verdict("not_enough_evidence", 1.0, 0, 0), facts=[said])
    silent = ClaimResult(claim("c2", "Weather fine.", checkworthy=False, opinion=True),
                         Verdict("not_enough_evidence", 1.0, 0, 0))  # an opinion with no speaker to check
    report = Report(input="pasted", text=TEXT, claims=[opinion, silent])
    assert report.shown == [opinion] and report.counts() == {"opinion": 1}
    head = claim_head(opinion, None, 1)
    assert "opinion · no truth verdict" in head and "who said it: Supported" in head
    assert "Not enough evidence" not in head and "fc-muted" not in head and "&lt;script&gt;" in head
    markup = article_html(report, None, show_all=False)
    assert markup.count("<mark") == 1 and "fc-opinion-mark" in markup and "opinion, no truth verdict" in markup
    assert "opinion</span>&nbsp;<b>1</b>" in summary_html(report, reviewed=0)
    # A reviewer's decision on an opinion leads, as on any claim.
    decided = reviewed_verdict(opinion, Review("a1", "k1", flag="misleading", reviewer="ana"))
    assert "opinion · no truth verdict" not in claim_head(opinion, decided, 1)


def test_a_claims_parts_are_listed_with_their_verdicts():
    from types import SimpleNamespace

    parts = [SimpleNamespace(text="Oslo signed it", role="core", verdict="supported", confidence=0.9, reason=""),
             SimpleNamespace(text="in <1999>", role="time", verdict="refuted", confidence=0.8, reason="1998 vs 1999")]
    markup = facts_html(parts)
    assert markup.count('class="fc-fact"') == 2 and "Refuted · 0.80" in markup and "Supported · 0.90" in markup
    assert "in &lt;1999&gt;" in markup and "— 1998 vs 1999" in markup
