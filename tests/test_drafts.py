"""Drafts: a reviewer's unsaved flag, note and pasted text survive reloads and restarts, privately."""

from __future__ import annotations

import pytest

from factcheck import ReviewError
from factcheck.review.drafts import Draft, DraftStore
from factcheck.review.store import Review, ReviewStore


@pytest.fixture
def path(tmp_path):
    return tmp_path / "reviews.sqlite3"


def test_a_draft_is_kept_per_reviewer_until_discarded(path):
    ReviewStore(path)  # the drafts share the review database
    drafts = DraftStore(path)
    drafts.put(Draft("a1", "c1-x", "ana", flag="refuted", note="Wrong year", base_version=2))
    drafts.put(Draft("a1", "c2-y", "ana", note="Call the ministry"))
    again = DraftStore(path)  # a restart
    draft = again.get("a1", "c1-x", "ana")
    assert (draft.flag, draft.note, draft.base_version) == ("refuted", "Wrong year", 2) and draft.updated_at
    assert again.get("a1", "c1-x", "bo") is None  # another reviewer never sees it
    assert sorted(again.for_article("a1", "ana")) == ["c1-x", "c2-y"]
    again.put(Draft("a1", "c1-x", "ana", flag=None, note="Wrong year, and wrong place"))
    assert again.get("a1", "c1-x", "ana").note == "Wrong year, and wrong place"
    again.discard("a1", "c1-x", "ana")
    assert again.get("a1", "c1-x", "ana") is None
    assert ReviewStore(path).history("a1") == []  # drafts are not history


def test_a_public_summary_is_part_of_the_draft(path):
    drafts = DraftStore(path)
    drafts.put(Draft("a1", "k", "ana", public_summary="No evidence backs this."))
    draft = DraftStore(path).get("a1", "k", "ana")
    assert draft.public_summary == "No evidence backs this." and draft.differs_from(Review("a1", "k"))
    assert not draft.differs_from(Review("a1", "k", public_summary="No evidence backs this. "))


@pytest.mark.parametrize("flag, note, saved_flag, saved_note, differs", [
    ("refuted", "x", "refuted", "x", False),
    ("refuted", "x ", "refuted", "x", False),
    (None, "", None, "", False),
    ("refuted", "x", None, "x", True),
    (None, "x", None, "", True),
])
def test_a_draft_says_whether_it_changes_the_saved_review(flag, note, saved_flag, saved_note, differs):
    draft = Draft("a1", "k", "ana", flag=flag, note=note)
    assert draft.differs_from(Review("a1", "k", flag=saved_flag, note=saved_note)) is differs


def test_pasted_text_is_a_draft_too(path):
    drafts = DraftStore(path)
    assert drafts.pasted("ana") == ""
    drafts.keep_pasted("ana", "Oslo signed the accord in 1999.")
    assert DraftStore(path).pasted("ana") == "Oslo signed the accord in 1999." and drafts.pasted("bo") == ""
    drafts.keep_pasted("ana", "  ")
    assert drafts.pasted("ana") == ""


def test_bad_drafts_are_refused(path, tmp_path):
    with pytest.raises(ReviewError, match="Unknown flag"):
        Draft("a1", "k", "ana", flag="true-ish")
    with pytest.raises(ReviewError, match="FACTCHECK_REVIEWS"):
        DraftStore(tmp_path)  # a folder, not a file
