"""Review storage: persistence, versions, conflicts and history in a real SQLite file."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace

import pytest

from factcheck.errors import ReviewError
from factcheck.review.store import (
    FLAGS,
    Review,
    ReviewConflict,
    ReviewStore,
    article_id,
    claim_key,
    default_reviews_path,
)

ARTICLE = "Putin will visit North Korea. Pyongyang is alleged to have sent shells."


@pytest.fixture
def reviews(tmp_path):
    return ReviewStore(tmp_path / "data" / "reviews.sqlite3")


def test_ids_are_stable_hashes_of_text():
    assert article_id(ARTICLE) == article_id(ARTICLE)
    assert article_id(ARTICLE) != article_id(ARTICLE + " ")
    assert claim_key("c1", "Putin will visit.") == claim_key("c1", "Putin will visit.")
    assert claim_key("c1", "Putin will visit.") != claim_key("c1", "Putin will not visit.")
    assert claim_key("c1", "x").startswith("c1-")


def test_default_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("FACTCHECK_REVIEWS", raising=False)
    assert default_reviews_path() == ".factcheck/reviews.sqlite3"
    monkeypatch.setenv("FACTCHECK_REVIEWS", str(tmp_path / "r.db"))
    assert ReviewStore().path == tmp_path / "r.db"


def test_database_is_in_wal_mode(reviews):
    with sqlite3.connect(reviews.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_unsaved_review_is_empty_version_zero(reviews):
    review = reviews.get("a1", "c1-x")
    assert review.version == 0 and review.is_empty


def test_save_persists_across_store_instances(reviews):
    aid, key = article_id(ARTICLE), claim_key("c2", "Pyongyang is alleged to have sent shells.")
    draft = replace(reviews.get(aid, key), flag="alleged", note="Only US and Seoul say so", pinned=["p1"],
                    dismissed=["p9"], claim_text="Pyongyang is alleged to have sent shells.")
    saved = reviews.save(draft, reviewer="ana")
    assert saved.version == 1 and saved.reviewer == "ana" and saved.updated_at
    reopened = ReviewStore(reviews.path).get(aid, key)
    assert reopened == saved
    assert ReviewStore(reviews.path).for_article(aid) == {key: saved}


def test_stale_save_raises_conflict_with_the_other_change(reviews):
    first = reviews.get("a", "k")
    mine, theirs = replace(first, flag="refuted"), replace(first, flag="supported", note="Source confirms")
    reviews.save(theirs, reviewer="bo")
    with pytest.raises(ReviewConflict) as caught:
        reviews.save(mine, reviewer="ana")
    assert isinstance(caught.value, ReviewError)
    assert caught.value.current.flag == "supported" and caught.value.current.reviewer == "bo"
    assert "bo" in str(caught.value) and "version 1" in str(caught.value)
    assert reviews.get("a", "k").flag == "supported"  # theirs survives
    # Saving again on top of their version works.
    again = reviews.save(replace(caught.value.current, flag="refuted"), reviewer="ana")
    assert again.version == 2


def test_concurrent_saves_of_one_version_let_exactly_one_win(reviews):
    base = reviews.save(reviews.get("a", "k"), reviewer="setup")
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def attempt(name: str) -> None:
        barrier.wait()
        try:
            reviews.save(replace(base, note=name), reviewer=name)
            outcomes.append("saved")
        except ReviewConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=attempt, args=(f"r{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 5 + ["saved"]
    assert reviews.get("a", "k").version == 2


def test_history_records_every_version(reviews):
    review = reviews.get("a", "k")
    review = reviews.save(replace(review, flag="unverifiable"), reviewer="ana")
    review = reviews.save(replace(review, flag="refuted", note="Wrong year"), reviewer="bo")
    reviews.save(replace(reviews.get("a", "other"), flag="denied"), reviewer="bo")
    history = reviews.history("a", "k")
    assert [(h.version, h.flag, h.reviewer) for h in history] == [(1, "unverifiable", "ana"), (2, "refuted", "bo")]
    assert len(reviews.history("a")) == 3


@pytest.mark.parametrize("flag", FLAGS)
def test_every_flag_can_be_saved(reviews, flag):
    assert reviews.save(Review("a", "k", flag=flag), reviewer="ana").flag == flag


def test_bad_reviews_are_refused_with_a_reason(reviews):
    with pytest.raises(ReviewError, match="Unknown flag"):
        Review("a", "k", flag="true-ish")
    with pytest.raises(ReviewError, match="both pinned and dismissed"):
        Review("a", "k", pinned=["p1"], dismissed=["p1"])
    with pytest.raises(ReviewError, match="reviewer"):
        reviews.save(Review("a", "k", flag="refuted"), reviewer="  ")


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(ReviewError, match="folder"):
        ReviewStore(tmp_path)


def test_articles_are_remembered_for_reopening(reviews):
    aid = reviews.remember_article(ARTICLE, "pasted")
    reviews.remember_article("Another text.", "other.txt")
    reviews.save(Review(aid, "c1-x", flag="supported"), reviewer="ana")
    listed = {a.article_id: a for a in reviews.articles()}
    assert listed[aid].text == ARTICLE and listed[aid].reviewed_claims == 1
    assert listed[article_id("Another text.")].reviewed_claims == 0
    assert reviews.article(aid) == listed[aid]
    assert reviews.article("never-seen") is None
