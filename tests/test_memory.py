"""The desk's memory: claim matching over a real Chroma store, the archive in a real SQLite database,
match decisions, evidence snapshots and the re-check diff, and the archive's exports."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

import pytest

from factcheck.claims.extract import Claim
from factcheck.errors import ConfigError, InputError, ReviewError
from factcheck.evidence.chunking import Passage
from factcheck.evidence.store import EvidenceStore
from factcheck.memory import Archive, ArchiveFilter, ClaimIndex, IndexedClaim, MatchThresholds, SnapshotStore
from factcheck.memory.export import archive_export
from factcheck.memory.matching import clean_query
from factcheck.memory.snapshots import recheck_diff
from factcheck.report import ClaimResult
from factcheck.review.store import Review, ReviewStore
from factcheck.settings import Settings
from factcheck.training.match_thresholds import (TopCandidate, average_precision, decision_figures, fit_thresholds,
                                                 write_thresholds)
from factcheck.verdict import Evidence, Verdict

FACT_CHECKS = [
    {"id": "shells", "claim": "North Korea has sent millions of artillery shells to Russia for the war in Ukraine.",
     "title": "Did North Korea ship artillery ammunition to Russia?", "rating": "true", "date": "2024-02-10",
     "author": "ana"},
    {"id": "vaccine", "claim": "The measles vaccine causes autism in children.", "title": "Measles vaccine and autism",
     "rating": "false", "date": "2023-05-01", "author": "ben"},
    {"id": "bridge", "claim": "The Golden Gate Bridge was painted blue in 2019.", "title": "Golden Gate repaint",
     "rating": "false", "date": "2019-08-03"},
    {"id": "tax", "claim": "The city council voted to double property taxes next year.",
     "title": "Property tax vote", "rating": "mostly-false", "date": "2025-01-15"},
]


@pytest.fixture(scope="module")
def archive_with_imports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("memory")
    source = folder / "factchecks.jsonl"
    source.write_text("\n".join(json.dumps(row) for row in FACT_CHECKS) + "\n", encoding="utf-8")
    # Thresholds set here, not the fitted ones: these tests are about the mechanics of linking and suggesting.
    archive = Archive(Settings(store=str(folder / "store"), reviews=str(folder / "reviews.sqlite3")),
                      thresholds=MatchThresholds(link=0.8, suggest=0.45))
    assert archive.import_file(source) == len(FACT_CHECKS)
    return archive


def test_a_reworded_claim_finds_the_fact_check_it_restates(archive_with_imports):
    queries = ["Pyongyang shipped huge numbers of artillery rounds to Moscow", "Do MMR jabs lead to autism?"]
    found = archive_with_imports.index.search(queries, k=2)
    assert [hits[0].claim_id for hits in found] == ["import:shells", "import:vaccine"]
    assert all(hits[0].similarity > hits[1].similarity for hits in found)
    assert found[0][0].dense_rank == 1 and found[0][0].origin == "import"


def test_matches_are_linked_suggested_or_left_out_by_similarity(archive_with_imports):
    same, unrelated = archive_with_imports.match(
        ["North Korea has sent millions of artillery shells to Russia for the war in Ukraine",
         "A new species of frog was discovered in Peru"])
    assert same[0].kind == "linked" and same[0].archived.claim_id == "import:shells"
    assert same[0].archived.verdict == "true" and same[0].archived.reviewer == "ana"
    assert unrelated == []


def test_a_rejected_suggestion_is_not_offered_again_and_a_confirmed_one_stays(archive_with_imports):
    query = "Ammunition from North Korea is flowing to the Russian army"
    suggested = [m for m in archive_with_imports.match([query])[0] if m.kind == "suggested"]
    assert [m.archived.claim_id for m in suggested][:1] == ["import:shells"], suggested
    archive_with_imports.decide(query, "import:shells", "rejected", "ana")
    # The same claim pasted again with different case and punctuation keeps the decision.
    assert "import:shells" not in [m.archived.claim_id for m in archive_with_imports.match([query.upper() + "!"])[0]]
    archive_with_imports.decide(query, "import:shells", "confirmed", "ana")
    assert archive_with_imports.match([query])[0][0].kind == "confirmed"
    with pytest.raises(ReviewError, match="confirmed or rejected"):
        archive_with_imports.decide(query, "import:shells", "maybe", "ana")


def test_a_saved_review_enters_the_archive_and_an_emptied_one_leaves(tmp_path):
    settings = Settings(store=str(tmp_path / "store"), reviews=str(tmp_path / "reviews.sqlite3"))
    reviews, archive = ReviewStore(settings.reviews), Archive(settings)
    saved = reviews.save(Review("a1", "c1-x", flag="refuted", note="wrong year",
                                claim_text="Finland joined NATO in 2021"), reviewer="ana")
    archive.record_review(saved, "Finland joined NATO in 2021", source="nordic.txt")
    [match] = archive.match(["Finland became a NATO member in 2021"])[0]
    assert (match.archived.verdict, match.archived.reviewer, match.archived.source) == ("refuted", "ana", "nordic.txt")
    assert "refuted — by ana on" in match.archived.headline() and "wrong year" in match.archived.headline()
    # Its own review is not matched to itself.
    assert archive.match(["Finland joined NATO in 2021"], exclude=[match.archived.claim_id]) == [[]]
    archive.record_review(reviews.save(replace(saved, flag=None, note=""), reviewer="ana"), "Finland joined NATO in 2021")
    assert len(archive) == 0 and len(archive.index) == 0


def _article(sentences: list[str]) -> tuple[str, list[ClaimResult]]:
    """An article of these sentences under one headline, each sentence a claim (ids c1, c2, ... in order)."""
    text, results = "Nordic defence news of the week\n", []
    for n, sentence in enumerate(sentences, start=1):
        start = len(text)
        text += sentence + " "
        claim = Claim(id=f"c{n}", text=sentence, sentence=sentence, start=start, end=start + len(sentence),
                      sentence_start=start, sentence_end=start + len(sentence))
        results.append(ClaimResult(claim, Verdict("refuted", 0.8, 0, 1), []))
    return text, results


@pytest.mark.parametrize("edited", [
    # the article edited around the claim: the claim is renumbered, its words are the same
    ["Sweden's parliament approved the accession.", "Finland joined NATO in 2021.", "Norway was a founder."],
    # the claim itself reworded by the edit: the review follows it by similar wording, under its old key
    ["Finland joined NATO in early 2021.", "Norway was a founding member."],
])
def test_a_review_saved_on_an_earlier_version_is_archived_when_saved_again_on_the_edited_one(tmp_path, edited):
    from factcheck.memory.record import remember_saved
    from factcheck.report import Report

    settings = Settings(store=str(tmp_path / "store"), reviews=str(tmp_path / "reviews.sqlite3"))
    reviews = ReviewStore(settings.reviews)
    first_text, first = _article(["Finland joined NATO in 2021.", "Norway was a founding member."])
    first_report = Report("nordic.txt", first_text, first)
    first_id = reviews.remember_article(first_text, "nordic.txt")
    review = reviews.for_claims(first_id, [r.claim for r in first], first_text)["c1"]
    saved = reviews.save(replace(review, flag="refuted", note="wrong year"), reviewer="ana")
    assert remember_saved(settings, first_report, first_id, saved, reviews) is not None

    text, results = _article(edited)
    report = Report("nordic-edited.txt", text, results)
    aid = reviews.remember_article(text, "nordic-edited.txt")
    assert aid != first_id
    attached = reviews.for_claims(aid, [r.claim for r in results], text)
    claim = next(r for r in results if "Finland" in r.claim.text)
    review = attached[claim.claim.id]
    assert (review.article_id, review.version) == (first_id, 1)  # the earlier version's review follows the claim
    saved = reviews.save(replace(review, note="wrong year: it was 2023", claim_text=claim.claim.text), reviewer="ben")
    snapshot = remember_saved(settings, report, aid, saved, reviews)
    assert snapshot is not None and snapshot.review_version == 2
    [archived] = Archive(settings).list()
    assert (archived.text, archived.note, archived.reviewer, archived.source) == (
        claim.claim.text, "wrong year: it was 2023", "ben", "nordic-edited.txt")


def test_a_review_no_claim_carries_is_not_archived(tmp_path):
    from factcheck.memory.record import remember_saved
    from factcheck.report import Report

    settings = Settings(store=str(tmp_path / "store"), reviews=str(tmp_path / "reviews.sqlite3"))
    reviews = ReviewStore(settings.reviews)
    text, results = _article(["Finland joined NATO in 2021."])
    aid = reviews.remember_article(text, "nordic.txt")
    stray = reviews.save(Review(aid, "t-0000000000000000", flag="refuted", claim_text="Oslo is in Denmark."),
                         reviewer="ana")
    assert remember_saved(settings, Report("nordic.txt", text, results), aid, stray, reviews) is None
    assert len(Archive(settings)) == 0


def test_the_archive_filters_and_searches(archive_with_imports):
    listed = archive_with_imports.list(ArchiveFilter(flag="false"))
    assert {c.claim_id for c in listed} == {"import:vaccine", "import:bridge"}
    assert [c.claim_id for c in archive_with_imports.list(ArchiveFilter(since="2024-01-01", until="2024-12-31"))] == ["import:shells"]
    assert [c.claim_id for c in archive_with_imports.list(ArchiveFilter(reviewer="ben"))] == ["import:vaccine"]
    hits = archive_with_imports.search("bridge paint colour", ArchiveFilter(flag="false"), k=4)
    assert hits[0][0].claim_id == "import:bridge" and all(c.verdict == "false" for c, _ in hits)


@pytest.mark.parametrize("content, message", [
    ("", "holds no fact-checks"),
    ("\n\n", "holds no fact-checks"),
    ('{"id": "x", "claim": "ok"}\n{not json', ":2 is not JSON"),
    ('{"id": "x"}\n', "needs an \"id\" and a \"claim\""),
])
def test_a_bad_archive_file_is_refused_whole(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    archive = Archive(Settings(store=str(tmp_path / "store"), reviews=str(tmp_path / "r.sqlite3")))
    with pytest.raises(InputError, match=message):
        archive.import_file(path)
    assert len(archive) == 0


def test_exports_are_valid_and_an_empty_selection_says_so(archive_with_imports):
    claims = archive_with_imports.list()
    jsonld = json.loads(archive_export(claims, "claimreview"))
    assert {d["@type"] for d in jsonld} == {"ClaimReview"} and len(jsonld) == len(FACT_CHECKS)
    assert {d["claimReviewed"] for d in jsonld} == {row["claim"] for row in FACT_CHECKS}
    assert archive_export(claims, "csv").splitlines()[0].startswith("claim_id,origin,text")
    assert len(json.loads(archive_export(claims, "json"))) == len(FACT_CHECKS)
    for fmt in ("csv", "json", "claimreview"):
        with pytest.raises(InputError, match="Nothing to export: no archived claim matches"):
            archive_export([], fmt)
    unjudged = [replace(claims[0], verdict=None)]
    with pytest.raises(InputError, match="none of the selected claims has a verdict"):
        archive_export(unjudged, "claimreview")


# -- snapshots -----------------------------------------------------------------------------------

def _passage(pid: str, doc: str, text: str) -> Passage:
    return Passage(id=pid, doc_id=doc, source=f"corpus/{doc}.md", text=text, sentences=[(0, len(text))], index=0)


def _evidence(p: Passage, stance: str, score: float) -> Evidence:
    return Evidence(source=p.source, doc_id=p.doc_id, title=None, passage=p.text, sentence=p.text, stance=stance,
                    score=score, similarity=0.7, passage_id=p.id)


def _result(evidence: list[Evidence], label: str) -> ClaimResult:
    text = "Finland joined NATO in 2023."
    claim = Claim(id="c1", text=text, sentence=text, start=0, end=len(text), sentence_start=0, sentence_end=len(text))
    return ClaimResult(claim, Verdict(label, 0.8, 1, 0), evidence)


def test_a_snapshot_keeps_what_was_seen_and_the_diff_shows_what_changed(tmp_path):
    store = EvidenceStore(tmp_path / "store", create=True)
    joined = _passage("p1", "nato", "Finland became NATO's 31st member on 4 April 2023.")
    applied = _passage("p2", "applications", "Finland and Sweden applied to join NATO in May 2022.")
    store.add([joined, applied])
    snapshots = SnapshotStore(tmp_path / "reviews.sqlite3")
    review = ReviewStore(tmp_path / "reviews.sqlite3").save(Review("a1", "c1-x", flag="supported"), reviewer="ana")
    seen = _result([_evidence(joined, "supports", 0.93), _evidence(applied, "neutral", 0.6)], "supported")
    snapshots.record(review, seen)
    snapshot = snapshots.latest("a1", "c1-x")
    assert [(e.doc_id, e.stance, e.score) for e in snapshot.evidence] == [("nato", "supports", 0.93),
                                                                          ("applications", "neutral", 0.6)]
    assert snapshot.versions["stance_model"] and snapshot.review_version == 1 and snapshot.flag == "supported"
    assert recheck_diff(snapshot, seen, store).unchanged

    store.remove_source("applications")
    store.delete(["p1"])
    edited = _passage("p1b", "nato", "Finland became NATO's 31st member in April 2023, after Turkey ratified.")
    newer = _passage("p3", "summit", "At the Vilnius summit Finland took its seat as a NATO member.")
    store.add([edited, newer])
    now = _result([_evidence(edited, "supports", 0.9), _evidence(newer, "supports", 0.7)], "conflicting")
    diff = recheck_diff(snapshot, now, store)
    assert [e.doc_id for e in diff.removed] == ["applications"] and [e.doc_id for e in diff.edited] == ["nato"]
    assert {n["doc_id"] for n in diff.new} == {"nato", "summit"} and diff.verdict_changed
    assert diff.summary().startswith("Since saved: 1 document(s) removed; 1 passage(s) edited; 2 new")


@pytest.mark.parametrize("body", [
    '{"evidence": [truncated',  # cut short
    "null", "[]", '"a snapshot"', '{"evidence": 3}', '{"evidence": [{"passage": "no other fields"}]}',  # not one
])
def test_a_corrupt_snapshot_gets_a_clear_one_line_message(tmp_path, body):
    snapshots = SnapshotStore(tmp_path / "reviews.sqlite3")
    with sqlite3.connect(tmp_path / "reviews.sqlite3") as conn:
        conn.execute("INSERT INTO evidence_snapshots (article_id, claim_key, review_version, saved_at, body) "
                     "VALUES ('a1', 'c1-x', 1, '2026-11-29', ?)", (body,))
    for read in (snapshots.latest, snapshots.history):
        with pytest.raises(ReviewError, match="snapshot of a1/c1-x version 1 is corrupt") as raised:
            read("a1", "c1-x")
        assert "\n" not in str(raised.value) and "save the review again" in str(raised.value)


def test_the_claim_index_lives_beside_the_evidence_collection(tmp_path):
    store = EvidenceStore(tmp_path / "store", create=True)
    store.add([_passage("p1", "nato", "Finland joined NATO in 2023.")])
    index = ClaimIndex(tmp_path / "store")
    index.add([IndexedClaim("r1", "Finland joined NATO in 2023")])
    assert store.count() == 1 and len(index) == 1  # neither collection sees the other's records


@pytest.mark.parametrize("posted, cleaned", [
    ("Evidence destroyed? https://t.co/P4Ks9kLVDF #MakeAmericaGreatAgain — Lou Dobbs (@LouDobbs) May 4, 2016",
     "Evidence destroyed? Make America Great Again — Lou Dobbs"),
    ("RT @someone: Iran offers a bounty for the head of @realDonaldTrump pic.twitter.com/x1",
     "Iran offers a bounty for the head of real Donald Trump"),
    ("Finland joined NATO in 2023, said @NATO_Press_Office.", "Finland joined NATO in 2023, said NATO Press Office ."),
    ("Write to ana@example.org about the C# code.", "Write to ana@example.org about the C# code."),  # not tags
    ("https://t.co/abc", "https://t.co/abc"),  # nothing else to match by: kept as it is
])
def test_a_post_is_matched_without_its_links_handles_and_tag_marks(posted, cleaned):
    assert clean_query(posted) == cleaned


def test_left_out_claims_are_not_ranked_at_all(archive_with_imports):
    index = archive_with_imports.index
    query = ["North Korea has sent millions of artillery shells to Russia"]
    [everything] = index.search(query, k=4)
    [without] = index.search(query, k=4, exclude=[{"import:shells"}])
    assert everything[0].claim_id == "import:shells"
    assert [c.claim_id for c in without] == [c.claim_id for c in everything if c.claim_id != "import:shells"]


def test_average_precision_at_5_is_checkthats():
    assert average_precision(["a", "b", "c"], {"b"}) == 0.5
    assert average_precision(["x", "y"], {"b"}) == 0.0
    assert average_precision(["a", "x", "b"], {"a", "b"}) == pytest.approx((1 + 2 / 3) / 2)


# Top candidates (similarity, right?) of queries as posed, and top similarities with the gold left out.
PRESENT = [(0.95, True), (0.90, True), (0.85, False), (0.80, True), (0.60, True), (0.55, False), (0.50, True)]


@pytest.mark.parametrize("absent, link_precision, link, suggest", [
    ([], 1.0, 0.90, 0.50),  # without negatives: link down to the first mistake, suggest the rest
    ([], 0.75, 0.60, 0.50),
    # wrong top candidates of queries with nothing archived: linking waits for the one above them all
    ([0.92, 0.70, 0.58, 0.40], 1.0, 0.95, 0.60),
    ([0.92, 0.70, 0.58, 0.40], 0.75, 0.95, 0.60),
    ([0.99, 0.98], 0.95, 1.0, 0.50),  # never precise enough: never link (1.0), suggest only
])
def test_thresholds_are_fitted_with_queries_whose_match_is_not_archived(absent, link_precision, link, suggest):
    present = [TopCandidate(s, ok) for s, ok in PRESENT]
    fitted = fit_thresholds(present, absent, dense_weight=0.7, link_precision=link_precision, suggest_precision=0.5)
    assert (fitted.link, fitted.suggest, fitted.dense_weight) == (link, suggest, 0.7)
    figures = decision_figures(present, absent, fitted)
    assert figures["link_rate"] == pytest.approx(sum(s >= link for s, _ in PRESENT) / len(PRESENT))
    assert figures["false_link_rate"] == (sum(s >= link for s in absent) / len(absent) if absent else None)


def test_fitted_thresholds_are_written_with_how_they_were_fitted_and_read_back(tmp_path):
    path = tmp_path / "thresholds.json"
    write_thresholds(MatchThresholds(link=0.7, suggest=0.5, dense_weight=0.6), {"fitted_on": "2A train"}, path)
    assert MatchThresholds.load(path) == MatchThresholds(link=0.7, suggest=0.5, dense_weight=0.6)
    assert json.loads(path.read_text())["fitted_on"] == "2A train"
    path.write_text('{"suggest": 0.5}')
    with pytest.raises(ConfigError, match="lack 'link'"):
        MatchThresholds.load(path)
