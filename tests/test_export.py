"""Exporters: JSON round-trips, CSV parses, Markdown escapes, ClaimReview has what publishers need."""

from __future__ import annotations

import csv
import io
import json

import pytest

from factcheck import ClaimResult, Evidence, Report, Verdict
from factcheck.claims.extract import Claim, Cue
from factcheck.review.decision import reviewed_verdict
from factcheck.review.export import (
    EXPORTERS,
    NOT_POSTABLE,
    ArticleMeta,
    ReviewedArticle,
    author_kind,
    byline,
    claimreview_problems,
    to_claimreview,
    to_claimreview_jsonld,
    to_csv,
    to_json,
    to_markdown,
)
from factcheck.review.follow import review_key
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


META = dict(title="Putin to visit North Korea", url="https://news.example/putin", author="Jane Doe",
            date_published="2024-06-17", organisation="Example Checks", review_url="https://checks.example/putin")


@pytest.fixture
def store(tmp_path) -> ReviewStore:
    return ReviewStore(tmp_path / "reviews.sqlite3")


@pytest.fixture
def reviewed(report, store) -> ReviewedArticle:
    aid = store.remember_article(report.text, report.input)
    attached = store.for_claims(aid, [r.claim for r in report.claims])
    store.save(Review(aid, attached["c1"].claim_key, claim_text=attached["c1"].claim_text, flag="alleged",
                      note="Only the US says so; Pyongyang denies.", pinned=["p1"], dismissed=["p2"]), reviewer="ana")
    store.save(Review(aid, attached["c4"].claim_key, claim_text=attached["c4"].claim_text, flag="refuted",
                      note="Ask the archive again", public_summary="The treaty was signed in 2000, not 2010.")
               .relabel("p4", "refutes"), reviewer="bo", evidence=report.claims[3].evidence)
    return ReviewedArticle.build(report, store.for_claims(aid, [r.claim for r in report.claims]), ArticleMeta(**META))


def test_build_joins_reviews_by_claim(reviewed, report, store):
    assert reviewed.article_id == article_id(TEXT)
    flags = {c.result.claim.id: c.review.flag for c in reviewed.claims}
    assert flags == {"c1": "alleged", "c2": None, "c3": None, "c4": "refuted"}
    assert [c.result.claim.id for c in reviewed.checkworthy] == ["c1", "c2", "c4"]
    c1 = reviewed.claims[0]
    assert [e.passage_id for e in c1.visible_evidence] == ["p1", "p3"]  # pinned first, dismissed gone
    # Reviews by key (for_article), under the first schema's keys too, join the same claims.
    by_key = ReviewedArticle.build(report, store.for_article(reviewed.article_id), ArticleMeta(**META))
    assert {c.result.claim.id: c.review.flag for c in by_key.claims} == flags
    old_key = claim_key("c4", TEXT[report.claims[3].claim.start:report.claims[3].claim.end])
    legacy = ReviewedArticle.build(report, {old_key: Review(reviewed.article_id, old_key, flag="misleading")})
    assert legacy.get("c4").review.flag == "misleading" and legacy.get("c1").review.version == 0


def test_json_round_trips(reviewed):
    text = to_json(reviewed)
    data = json.loads(text)
    assert data["claims"][0]["review"]["flag"] == "alleged"
    assert data["claims"][0]["decision"]["describe"] == "reviewer: alleged · model: conflicting 0.80"
    assert data["claims"][3]["review"]["relabels"] == {"p4": "refutes"}
    assert data["claims"][0]["claim"]["cues"][0]["text"] == "is alleged to"
    again = ReviewedArticle.from_dict(data)
    assert again == reviewed
    assert to_json(again) == text


def test_csv_parses_with_one_row_per_checkworthy_claim(reviewed):
    rows = list(csv.DictReader(io.StringIO(to_csv(reviewed))))
    assert [r["claim_id"] for r in rows] == ["c1", "c2", "c4"]
    first = rows[0]
    assert first["flag"] == "alleged" and first["reviewer"] == "ana" and first["source"] == "Washington"
    assert list(rows[0])[9:13] == ["decision", "decided_by", "verdict", "confidence"]  # the decision leads
    assert (first["decision"], first["decided_by"], first["verdict"]) == ("alleged", "reviewer", "conflicting")
    assert (first["supporting"], first["conflicting"]) == ("1", "0")  # the dismissed refutation is gone
    assert rows[2]["relabelled_evidence"] == "Doc p4: reviewer and model: refutes 0.90"
    assert rows[2]["public_summary"] == "The treaty was signed in 2000, not 2010."
    assert first["pinned_evidence"] == "Doc p1" and first["dismissed_evidence"] == "Doc p2"
    assert TEXT[int(first["start"]):int(first["end"])] == first["claim"]
    assert rows[1]["flag"] == "" and rows[1]["review_version"] == "0"


def test_markdown_shows_flags_notes_and_escapes_documents(reviewed):
    md = to_markdown(reviewed)
    assert "# Fact-check: Putin to visit North Korea" in md
    assert "## c1 — Alleged" in md and "## c4 — Refuted" in md and "## c2 — Not reviewed" in md
    assert "**Decision:** reviewer: alleged · model: conflicting 0.80" in md
    assert "**Decision:** model: not enough evidence 0.90" in md
    assert "**Public summary:** The treaty was signed in 2000, not 2010." in md
    assert "**Internal note:** Ask the archive again" in md
    assert "year mismatch: 2010 vs 2000" in md
    assert "📌" in md  # the pinned passage is marked
    assert "<script>" not in md  # dismissed here, and escaped wherever document text appears
    assert "Is this the end" not in md  # not check-worthy, not reviewed


def test_markdown_escapes_html_in_evidence(report, tmp_path):
    md = to_markdown(ReviewedArticle.build(report, {}))
    assert "<script>" not in md and "\\<script\\>" in md


def test_claimreview_has_what_publishers_need(reviewed):
    items = to_claimreview(reviewed)
    # The allegation and its linked denial are one review of the allegation.
    assert [i["claimReviewed"] for i in items] == [
        "Pyongyang is alleged to have sent Russia millions of shells.", "The treaty was signed in 2010."]
    for item in items:
        assert claimreview_problems(item, strict=True) == []
        assert item["@context"] == "https://schema.org" and item["@type"] == "ClaimReview"
        assert item["author"] == {"@type": "Organization", "name": "Example Checks"}
        assert item["url"].startswith("https://checks.example/putin#t-")
        assert item["itemReviewed"]["appearance"]["url"] == "https://news.example/putin"
        assert item["itemReviewed"]["appearance"]["author"] == {"@type": "Person", "name": "Jane Doe"}
        assert item["itemReviewed"]["datePublished"] == "2024-06-17"
        assert len(item["datePublished"]) == 10
    alleged, refuted = items
    assert alleged["reviewRating"]["alternateName"] == "Alleged" and "ratingValue" not in alleged["reviewRating"]
    assert alleged["itemReviewed"]["author"] == {"@type": "Organization", "name": "Washington"}  # not the denier
    assert "North Korea denies it: “North Korea denied it.”" in alleged["reviewRating"]["ratingExplanation"]
    assert refuted["reviewRating"]["ratingValue"] == 1
    # The public summary explains the rating; the internal note is never published.
    assert refuted["reviewRating"]["ratingExplanation"] == "The treaty was signed in 2000, not 2010."
    jsonld = to_claimreview_jsonld(reviewed)
    assert "Ask the archive again" not in jsonld and "Only the US says so" not in jsonld
    # An asserted claim is the article's own: its author is the byline.
    assert refuted["itemReviewed"]["author"] == {"@type": "Person", "name": "Jane Doe"}


def test_a_flagged_denial_rates_its_allegation_and_never_becomes_its_author(report):
    c2 = report.claims[1].claim
    article = ReviewedArticle.build(report, {"c2": Review(article_id(TEXT), review_key(c2.text), flag="denied",
                                                          public_summary="No evidence of shipments.")},
                                    ArticleMeta(**META))
    (item,) = to_claimreview(article)
    assert item["claimReviewed"] == report.claims[0].claim.text
    assert item["reviewRating"]["alternateName"] == "Denied"
    assert item["itemReviewed"]["author"]["name"] == "Washington"
    assert item["reviewRating"]["ratingExplanation"] == ("No evidence of shipments. North Korea denies it: "
                                                         "“North Korea denied it.”")
    assert claimreview_problems(item, strict=True) == []


def test_a_denial_without_its_allegation_names_no_author_and_says_so(report):
    c2 = report.claims[1].claim
    c2.linked = []
    article = ReviewedArticle.build(report, {"c2": Review(article_id(TEXT), review_key(c2.text), flag="denied")},
                                    ArticleMeta(**META))
    (item,) = to_claimreview(article)
    assert item["claimReviewed"] == "North Korea denied it." and "author" not in item["itemReviewed"]
    assert claimreview_problems(item) == []  # postable: who made the claim is recommended, not required
    assert claimreview_problems(item, strict=True) == [
        "itemReviewed needs an author (a Person or Organization): who made the claim"]


@pytest.mark.parametrize("sentence, name, kind", [
    ("Prime Minister Jane Smith said the deficit had halved.", "Prime Minister Jane Smith", "Person"),
    ("The health ministry said infections had fallen.", "The health ministry", "Organization"),
    ("A Kremlin aide said the two leaders would meet.", "A Kremlin aide", "Person"),
    ("US officials said the shipments continued.", "US officials", "Organization"),
    ("The club's coach told reporters the striker was fit.", "The club's coach", "Person"),
    ("Brazil said it would join the talks.", "Brazil", "Organization"),
])
def test_a_claims_author_is_a_person_or_an_organisation_as_the_parse_says(sentence, name, kind):
    assert author_kind(name, sentence, sentence.index(name)) == kind


@pytest.mark.parametrize("flag", FLAGS)
def test_every_flag_names_its_rating_and_validates(report, flag):
    c4 = report.claims[3].claim
    article = ReviewedArticle.build(report, {"c4": Review(article_id(TEXT), review_key(c4.text), flag=flag)},
                                    ArticleMeta(**META))
    (item,) = to_claimreview(article)
    assert item["reviewRating"]["alternateName"] == FLAG_LABELS[flag]
    assert claimreview_problems(item, strict=True) == []


def test_claimreview_without_urls_says_it_cannot_be_posted(reviewed):
    reviewed.meta.review_url = None
    reviewed.meta.url = None
    reviewed.meta.date_published = None
    problems = claimreview_problems(to_claimreview(reviewed)[0])
    assert problems == [NOT_POSTABLE, "itemReviewed needs an appearance with the article's url"]
    assert claimreview_problems(to_claimreview(reviewed)[0], strict=True) == [
        *problems, "itemReviewed needs a datePublished: when the claim was made"]
    assert "cannot be posted as is" in NOT_POSTABLE


def test_publisher_details_persist_and_the_byline_prefills_the_appearance_author(store):
    text = "Council approves budget\nBy Maria Lopez | 3 June 2024\n\nThe council approved the budget."
    aid = store.remember_article(text, "budget.txt")
    meta = ArticleMeta.load(store, aid, text)
    assert (meta.title, meta.author, meta.organisation) == ("Council approves budget", "Maria Lopez",
                                                            "factcheck review desk")
    meta.organisation, meta.organisation_url, meta.review_url = "Example Checks", "https://checks.example", "https://checks.example/b"
    meta.url = "https://news.example/budget"
    meta.save(store, aid)
    other = store.remember_article("Storm closes schools\n\nHeavy snow closed 40 schools.", "storm.txt")
    reopened = ArticleMeta.load(ReviewStore(store.path), other, "Storm closes schools\n\nHeavy snow closed 40 schools.")
    assert (reopened.organisation, reopened.organisation_url) == ("Example Checks", "https://checks.example")
    assert reopened.url is None and reopened.author is None  # article details stay with their article
    edited = store.remember_article(text.replace("approved", "passed"), "budget.txt")
    again = ArticleMeta.load(store, edited, text.replace("approved", "passed"))
    assert (again.url, again.review_url, again.author) == ("https://news.example/budget", "https://checks.example/b",
                                                           "Maria Lopez")


@pytest.mark.parametrize("text, expected", [
    ("Budget passed\nBy Maria Lopez\n\nBody.", "Maria Lopez"),
    ("---\ntitle: x\nauthor: Sam Lee\n---\nBody.", "Sam Lee"),
    ("Budget passed\nBy Reuters staff, 3 June\n\nBody.", "Reuters staff"),
    ("Budget passed\n\nBy the end of the year the council had spent it all.", None),
    ("No byline here.\n\nJust text.", None),
])
def test_byline(text, expected):
    assert byline(text) == expected


def test_claimreview_jsonld_is_safe_inside_a_script_tag(report):
    report.claims[3].claim.text = "It said </script><script>alert(1)</script>"
    article = ReviewedArticle.build(report, {"c4": Review(article_id(TEXT), "k", flag="refuted")})
    text = to_claimreview_jsonld(article)
    assert "</script>" not in text
    assert json.loads(text)[0]["claimReviewed"] == "It said </script><script>alert(1)</script>"


def test_every_exporter_renders_text(reviewed):
    for name, exporter in EXPORTERS.items():
        assert exporter.render(reviewed).strip(), name
        assert exporter.suffix.startswith(".")


# -- the decision to show ------------------------------------------------------------------------------
def test_the_reviewers_decision_leads_and_the_models_stands_beside_it(report):
    result = report.claims[3]  # the model: refuted 0.90 on one refuting passage
    model = reviewed_verdict(result, None)
    assert (model.label, model.decided_by, model.describe()) == ("refuted", "model", "model: refuted 0.90")
    assert [e.stance for e in model.refuting] == ["refutes"] and model.supporting == []

    flagged = reviewed_verdict(result, Review("a", "k", flag="supported", reviewer="ana").relabel("p4", "supports"))
    assert (flagged.label, flagged.verdict, flagged.text) == ("supported", "supported", "Supported")
    assert flagged.describe() == "reviewer: supported · model: refuted 0.90"
    (shown,) = flagged.supporting  # the relabelled passage moves column, the model's reading beside it
    assert flagged.refuting == [] and shown.describe() == "reviewer: supports · model: refutes 0.90"

    # Labels without a flag decide when they change the outcome.
    labelled = reviewed_verdict(result, Review("a", "k").relabel("p4", "irrelevant"))
    assert (labelled.label, labelled.decided_by) == ("not_enough_evidence", "reviewer's evidence labels")
    assert labelled.describe() == "reviewer's evidence labels: not enough evidence · model: refuted 0.90"
    assert labelled.refuting == [] and [e.stance for e in labelled.irrelevant] == ["irrelevant"]
    agreeing = reviewed_verdict(result, Review("a", "k").relabel("p4", "refutes"))
    assert agreeing.decided_by == "model"

    disputed = reviewed_verdict(report.claims[0], Review("a", "k", flag="misleading", dismissed=["p2"]))
    assert disputed.verdict == "conflicting" and [e.evidence.passage_id for e in disputed.dismissed] == ["p2"]
    assert disputed.refuting == []


def test_markdown_prints_a_relabelled_passage_as_the_reviewer_labelled_it(report):
    c4 = report.claims[3].claim
    review = Review(article_id(TEXT), review_key(c4.text), flag="supported", reviewer="ana").relabel("p4", "supports")
    md = to_markdown(ReviewedArticle.build(report, {"c4": review})).split("## c4")[1]
    assert md.startswith(" — Supported") and "reviewer: supported · model: refuted 0.90" in md
    assert "*supports* (reviewer; model: refutes 0.90, counts towards the decision)" in md
    assert "*refutes*" not in md


def test_a_review_made_on_other_wording_says_so(report):
    c4 = report.claims[3].claim
    review = Review(article_id(TEXT), "k", flag="refuted", claim_text="The treaty was signed in 2011.", version=1)
    article = ReviewedArticle.build(report, {"k": review})
    assert article.get("c4").review.flag == "refuted" and article.get("c4").reviewed_as == review.claim_text
    assert "Reviewed as: “The treaty was signed in 2011.”" in to_markdown(article)
    assert list(csv.DictReader(io.StringIO(to_csv(article))))[2]["reviewed_as"] == review.claim_text
    assert c4.text != review.claim_text


# -- the CLI's text report -------------------------------------------------------------------------
def test_text_report_has_counts_sources_and_a_line_for_every_claim(report):
    text = report.to_text()
    lines = text.splitlines()
    assert lines[1] == "Verdicts: 1 Refuted · 1 Conflicting · 1 Not enough evidence"
    assert "[c2] Not enough evidence · denied by North Korea: North Korea denied it." in lines
    assert lines[lines.index("[c2] Not enough evidence · denied by North Korea: North Korea denied it.") + 1] == \
        "  no evidence found"
    assert "[c4] Refuted 0.90: The treaty was signed in 2010." in lines
    assert any("Doc p1 · Reuters · 2024-06-17 · https://example.org/a" in line for line in lines)
    assert "      why: year mismatch: 2010 vs 2000" in lines  # no parentheses around a reason
    assert "Unrelated." not in text  # neutral passages are not listed
    assert lines[-1].startswith("1 other claims are not check-worthy")


def test_text_report_leads_with_the_reviewers_decision(report):
    c4 = report.claims[3].claim
    review = Review(article_id(TEXT), review_key(c4.text), flag="supported", reviewer="ana").relabel("p4", "supports")
    lines = report.to_text({"c4": review}).splitlines()
    assert lines[1] == "Verdicts: 1 Supported · 1 Conflicting · 1 Not enough evidence"
    assert "[c4] reviewer: supported · model: refuted 0.90: The treaty was signed in 2010." in lines
    assert any(line.startswith("  * reviewer: supports · model: refutes 0.90 ") for line in lines)
