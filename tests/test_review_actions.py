"""What the desk asks of the library: evidence columns, pin/dismiss as Review methods, the review key, settings."""

from __future__ import annotations

import pytest

from factcheck import Claim, ClaimResult, Evidence, Report, ReviewError, Settings, Verdict
from factcheck.review.follow import review_key
from factcheck.review.store import Review, ReviewStore


def ev(pid: str, stance: str) -> Evidence:
    return Evidence(source="s", doc_id="d", title=None, passage="p", sentence="p", stance=stance, score=0.8,
                    similarity=0.5, passage_id=pid)


RESULT = ClaimResult(
    Claim(id="c1", text="Oslo signed it.", sentence="Oslo signed it.", start=0, end=15, sentence_start=0, sentence_end=15),
    Verdict("conflicting", 0.6, 2, 1),
    [ev("a", "supports"), ev("b", "refutes"), ev("c", "neutral"), ev("d", "supports"), ev("e", "refutes")],
)


def ids(items: list[Evidence]) -> list[str]:
    return [e.passage_id for e in items]


def test_columns_split_by_stance_pinned_first_dismissed_apart():
    plain = RESULT.columns()
    assert (ids(plain.supporting), ids(plain.refuting), ids(plain.neutral), plain.dismissed) == (["a", "d"], ["b", "e"], ["c"], [])
    arranged = RESULT.columns(pinned=["d", "e"], dismissed=["b"])
    assert ids(arranged.supporting) == ["d", "a"] and ids(arranged.refuting) == ["e"] and ids(arranged.dismissed) == ["b"]


def test_refuting_evidence_is_named_for_what_it_is():
    assert ids(RESULT.refuting_evidence) == ["b", "e"]
    with pytest.deprecated_call():
        assert RESULT.conflicting_evidence == RESULT.refuting_evidence


def test_pin_and_dismiss_return_a_new_review_and_exclude_each_other():
    empty = Review(article_id="a1", claim_key="c1-x", flag="alleged", note="kept")
    pinned = empty.pin("p1").pin("p2").pin("p1")
    assert pinned.pinned == ["p2", "p1"] and empty.pinned == []
    moved = pinned.dismiss("p1")
    assert (moved.pinned, moved.dismissed) == (["p2"], ["p1"])
    assert (moved.flag, moved.note) == ("alleged", "kept")  # the rest of the review travels with it
    assert moved.restore("p1").dismissed == [] and moved.unpin("p2").pinned == []
    assert moved.pin("p1").dismissed == []


def test_pin_saves_through_the_store(tmp_path):
    store = ReviewStore(tmp_path / "r.sqlite3")
    report = Report(input="pasted", text="Oslo signed it.", claims=[RESULT])
    key = report.review_key(RESULT)
    assert key == review_key("Oslo signed it.", "asserted")
    saved = store.save(store.get("a1", key).pin("b"), reviewer="ana")
    assert store.get("a1", key).pinned == ["b"] and saved.version == 1
    with pytest.raises(ReviewError):
        Review(**{**saved.to_dict(), "dismissed": ["b"]})


def test_settings_name_the_reviewer_and_the_upload_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("FACTCHECK_REVIEWER", "bo")
    assert Settings().reviewer == "bo"
    assert Settings(store=str(tmp_path / "store")).uploads == tmp_path / "uploads"
    assert str(Settings(store="http://127.0.0.1:8000").uploads) == ".factcheck/uploads"
