"""Exporters: JSON round-trips, CSV parses, Markdown escapes, ClaimReview has what publishers need."""

from __future__ import annotations

import csv
import io
import json

import pytest

from factcheck import ClaimResult, Evidence, Report, Verdict
from factcheck.claims.extract import Claim, Cue
from factcheck.review.export import (
    EXPORTERS,
    ArticleMeta,
    ReviewedArticle,
    claimreview_problems,
    to_claimreview,
    to_claimreview_jsonld,
    to_csv,
    to_json,
    to_markdown,
)
from factcheck.review.store import FLAG_LABELS, FLAGS, Review, ReviewStore, article_id, claim_key

TEXT = ("Pyongyang is alleged to have sent Russia millions of shells. "
        "North Korea denied it. Is this the end? The treaty was signed in 2010.")


def _claim(cid: str, sentence: str, **kw) -> Claim:
    start = TEXT.index(sentence)
    return Claim(id=cid, text=sentence, sentence=sentence, start=start, end=start + len(sentence),
                 sentence_start=start, sentence_end=start + len(sentence), **kw)


def _evidence(pid: str, stance: str, sentence: str, **kw) -> Evidence:
    passage = f"Background. {sentence} More."
    start = passage.index(sentence)
    return Evidence(source=f"corpus/{pid}.md", doc_id=pid, title=kw.pop("title", f"Doc {pid}"), passage=passage,
                    sentence=sentence, stance=stance, score=0.9, similarity=0.7, passage_id=pid,
                    sentence_start=start, sentence_end=start + len(sentence), **kw)


@pytest.fixture
def report() -> Report:
    c1 = _claim("c1", "Pyongyang is alleged to have sent Russia millions of shells.", status="alleged",
                source="Washington", cues=[Cue("is alleged to", 10, 23, "status")], linked=["c2"])
    c2 = _claim("c2", "North Korea denied it.", status="denied", source="North Korea", linked=["c1"])
    c3 = _claim("c3", "Is this the end?", checkworthy=False, checkworthiness=0.1)
    c4 = _claim("c4", "The treaty was signed in 2010.")
    ev1 = [_evidence("p1", "supports", "Seoul said Pyongyang shipped shells.", publisher="Reuters",
                     date="2024-06-17", url="https://example.org/a"),
           _evidence("p2", "refutes", "Pyongyang denied <script>alert(1)</script> shipping *anything*."),
           _evidence("p3", "neutral", "Unrelated.")]
    ev4 = [_evidence("p4", "refutes", "The treaty was signed in 2000.", reason="year mismatch: 2010 vs 2000")]
    verdict = Verdict("conflicting", 0.8, 1, 1)
    return Report(input="pasted", text=TEXT, claims=[
        ClaimResult(c1, verdict, ev1), ClaimResult(c2, Verdict("not_enough_evidence", 0.9, 0, 0), []),
        ClaimResult(c3, Verdict("not_enough_evidence", 1.0, 0, 0), []),
        ClaimResult(c4, Verdict("refuted", 0.9, 0, 1), ev4)])


@pytest.fixture
def reviewed(report, tmp_path) -> ReviewedArticle:
    store = ReviewStore(tmp_path / "reviews.sqlite3")
    aid = store.remember_article(report.text, report.input)
    key1 = claim_key("c1", report.claims[0].claim.text)
    key4 = claim_key("c4", report.claims[3].claim.text)
    store.save(Review(aid, key1, flag="alleged", note="Only the US says so; Pyongyang denies.",
                      pinned=["p1"], dismissed=["p2"]), reviewer="ana")
    store.save(Review(aid, key4, flag="refuted", note="Signed in 2000, not 2010."), reviewer="bo")
    meta = ArticleMeta(title="Putin to visit North Korea", url="https://news.example/putin", author="Jane Doe",
                       date_published="2024-06-17", organisation="Example Checks",
                       review_url="https://checks.example/putin")
    return ReviewedArticle.build(report, store.for_article(aid), meta)


def test_build_joins_reviews_by_claim_key(reviewed, report):
    assert reviewed.article_id == article_id(TEXT)
    flags = {c.result.claim.id: c.review.flag for c in reviewed.claims}
    assert flags == {"c1": "alleged", "c2": None, "c3": None, "c4": "refuted"}
    assert [c.result.claim.id for c in reviewed.checkworthy] == ["c1", "c2", "c4"]
    c1 = reviewed.claims[0]
    assert [e.passage_id for e in c1.visible_evidence] == ["p1", "p3"]  # pinned first, dismissed gone


def test_json_round_trips(reviewed):
    text = to_json(reviewed)
    data = json.loads(text)
    assert data["claims"][0]["review"]["flag"] == "alleged"
    assert data["claims"][0]["claim"]["cues"][0]["text"] == "is alleged to"
    again = ReviewedArticle.from_dict(data)
    assert again == reviewed
    assert to_json(again) == text


def test_csv_parses_with_one_row_per_checkworthy_claim(reviewed):
    rows = list(csv.DictReader(io.StringIO(to_csv(reviewed))))
    assert [r["claim_id"] for r in rows] == ["c1", "c2", "c4"]
    first = rows[0]
    assert first["flag"] == "alleged" and first["reviewer"] == "ana" and first["source"] == "Washington"
    assert first["pinned_evidence"] == "Doc p1" and first["dismissed_evidence"] == "Doc p2"
    assert TEXT[int(first["start"]):int(first["end"])] == first["claim"]
    assert rows[1]["flag"] == "" and rows[1]["review_version"] == "0"


def test_markdown_shows_flags_notes_and_escapes_documents(reviewed):
    md = to_markdown(reviewed)
    assert "# Fact-check: Putin to visit North Korea" in md
    assert "## c1 — Alleged" in md and "## c4 — Refuted" in md and "## c2 — Not reviewed" in md
    assert "Signed in 2000, not 2010." in md
    assert "year mismatch: 2010 vs 2000" in md
    assert "📌" in md  # the pinned passage is marked
    assert "<script>" not in md  # dismissed here, and escaped wherever document text appears
    assert "Is this the end" not in md  # not check-worthy, not reviewed


def test_markdown_escapes_html_in_evidence(report, tmp_path):
    md = to_markdown(ReviewedArticle.build(report, {}))
    assert "<script>" not in md and "\\<script\\>" in md


def test_claimreview_has_required_fields(reviewed):
    items = to_claimreview(reviewed)
    assert [i["claimReviewed"] for i in items] == [
        "Pyongyang is alleged to have sent Russia millions of shells.", "The treaty was signed in 2010."]
    for item in items:
        assert claimreview_problems(item) == []
        assert item["@context"] == "https://schema.org" and item["@type"] == "ClaimReview"
        assert item["author"] == {"@type": "Organization", "name": "Example Checks"}
        assert item["url"].startswith("https://checks.example/putin#c")
        assert item["itemReviewed"]["appearance"]["url"] == "https://news.example/putin"
        assert item["itemReviewed"]["datePublished"] == "2024-06-17"
        assert len(item["datePublished"]) == 10
    alleged, refuted = items
    assert alleged["reviewRating"]["alternateName"] == "Alleged" and "ratingValue" not in alleged["reviewRating"]
    assert alleged["itemReviewed"]["author"]["name"] == "Washington"  # the claim's source, not the byline
    assert refuted["reviewRating"]["ratingValue"] == 1
    assert refuted["itemReviewed"]["author"] == {"@type": "Person", "name": "Jane Doe"}


@pytest.mark.parametrize("flag", FLAGS)
def test_every_flag_names_its_rating(report, flag):
    key = claim_key("c4", report.claims[3].claim.text)
    article = ReviewedArticle.build(report, {key: Review(article_id(TEXT), key, flag=flag)},
                                    ArticleMeta(review_url="https://checks.example/x"))
    (item,) = to_claimreview(article)
    assert item["reviewRating"]["alternateName"] == FLAG_LABELS[flag]
    assert claimreview_problems(item) == []


def test_claimreview_without_a_review_url_says_what_is_missing(reviewed):
    reviewed.meta.review_url = None
    problems = claimreview_problems(to_claimreview(reviewed)[0])
    assert problems == ["missing url — fill in the fact-check's URL"]


def test_claimreview_jsonld_is_safe_inside_a_script_tag(report):
    key = claim_key("c4", report.claims[3].claim.text)
    report.claims[3].claim.text = "It said </script><script>alert(1)</script>"
    article = ReviewedArticle.build(report, {key: Review(article_id(TEXT), key, flag="refuted")})
    text = to_claimreview_jsonld(article)
    assert "</script>" not in text
    assert json.loads(text)[0]["claimReviewed"] == "It said </script><script>alert(1)</script>"


def test_every_exporter_renders_text(reviewed):
    for name, exporter in EXPORTERS.items():
        assert exporter.render(reviewed).strip(), name
        assert exporter.suffix.startswith(".")
