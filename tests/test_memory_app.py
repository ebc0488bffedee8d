"""The desk remembers (AppTest): a claim flagged in one article is suggested when a second article restates
it; the reviewer confirms; both are in the archive, which exports valid ClaimReview JSON-LD."""

from __future__ import annotations

import json

import pytest

from factcheck.memory.matching import MatchThresholds

from .test_app import check_text, click, new_app, open_claim

FIRST = "North Korea has supplied Russia with millions of artillery shells since September 2023."
SECOND = "Pyongyang has shipped several million artillery rounds to Moscow since last September."


@pytest.fixture
def app_env(corpus_store, tmp_path, monkeypatch):
    """A private copy of the corpus store (the archive indexes beside it) and a fresh review database."""
    from .stores import copy_of_corpus_store

    store = copy_of_corpus_store(tmp_path / "store")  # the archive writes its index beside the evidence
    monkeypatch.setenv("FACTCHECK_STORE", str(store))
    monkeypatch.setenv("FACTCHECK_REVIEWS", str(tmp_path / "reviews.sqlite3"))
    # A wide suggestion band, so the reworded claim is offered for confirmation rather than linked outright.
    monkeypatch.setattr(MatchThresholds, "load", classmethod(lambda cls, *a: cls(link=0.99, suggest=0.5)))
    return tmp_path


def _first_claim(at):
    report = at.session_state["report"]
    return next(r for r in report.claims if r.claim.checkworthy)


def test_a_restated_claim_brings_its_earlier_review_and_both_land_in_the_archive(app_env):
    at = new_app("ana")
    check_text(at, FIRST)
    first = _first_claim(at)
    open_claim(at, first.claim.id)
    flag = next(r for r in at.radio if (r.key or "").startswith("flag-"))
    note = next(t for t in at.text_area if (t.key or "").startswith("note-"))
    flag.set_value("refuted")
    note.input("wrong year")
    click(at, "Save review")
    assert not at.error, [e.value for e in at.error]

    check_text(at, SECOND)
    second = _first_claim(at)
    open_claim(at, second.claim.id)
    markdown = " ".join(m.value for m in at.markdown)
    assert "Possibly reviewed before" in markdown and "refuted — by ana" in markdown and "wrong year" in markdown
    click(at, "Same claim")
    assert "Reviewed before: refuted — by ana" in " ".join(m.value for m in at.markdown)
    flag = next(r for r in at.radio if (r.key or "").startswith("flag-"))
    flag.set_value("refuted")
    click(at, "Save review")

    at.radio(key="page").set_value("Archive").run()
    assert not at.exception, [e.value for e in at.exception]
    def archived() -> list[str]:
        return [e.label for e in at.expander if e.label != "Where the data lives"]  # not the sidebar's

    assert sorted("Pyongyang" in label for label in archived()) == [False, True]  # one from each article
    assert all(label.startswith("refuted") for label in archived())
    at.text_input(key="archive-query").input("shells sent to Russia by North Korea").run()
    assert len(archived()) == 2
    at.radio(key="archive-format").set_value("ClaimReview JSON-LD").run()
    assert not at.exception, [e.value for e in at.exception]
    # AppTest does not expose a download's bytes: export the same selection through the function the page calls.
    from factcheck.memory import Archive
    from factcheck.memory.export import archive_export
    from factcheck.settings import Settings

    data = json.loads(archive_export(Archive(Settings()).list(), "claimreview"))
    assert {d["@type"] for d in data} == {"ClaimReview"} and len(data) == 2
