"""The claims' workflow: assignment, second review, sign-off by a second person — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from factcheck.errors import ReviewError, WorkflowError
from factcheck.review.store import Review, ReviewStore
from factcheck.review.workflow import STATES, Assignment, Workflow


@pytest.fixture
def store(reviews_location) -> ReviewStore:
    return ReviewStore(reviews_location)


def _save(store: ReviewStore, article: str, key: str, who: str, flag: str = "refuted") -> Review:
    current = store.get(article, key)
    return store.save(Review(article, key, flag=flag, note=f"{who}'s note", version=current.version), reviewer=who)


def test_a_claim_goes_from_unassigned_to_final_with_every_step_recorded(store):
    workflow = store.workflow
    assert isinstance(workflow, Workflow) and store.workflow is workflow
    assert workflow.status("a1", "k1") == Assignment("a1", "k1", "unassigned", None, None, None, None, "")
    (assigned,) = workflow.assign("a1", ["k1"], "ana", by="ed")
    assert (assigned.state, assigned.assignee, assigned.assigned_by) == ("unassigned", "ana", "ed")
    assert [a.key for a in workflow.assigned_to("ana")] == ["k1"]
    _save(store, "a1", "k1", "ana")
    assert workflow.start("a1", "k1", by="ana").state == "in_progress"
    assert workflow.start("a1", "k1", by="ana").state == "in_progress"  # a second save changes nothing
    submitted = workflow.submit("a1", "k1", by="ana")
    assert (submitted.state, submitted.submitted_by) == ("awaiting_second_review", "ana")
    assert workflow.awaiting_sign_off("ana") == [] and [a.key for a in workflow.awaiting_sign_off("bo")] == ["k1"]
    final = workflow.sign_off("a1", "k1", by="bo")
    assert (final.state, final.signed_off_by) == ("final", "bo") and workflow.is_final("a1", "k1")
    assert workflow.assigned_to("ana") == [] and workflow.awaiting_sign_off("bo") == []
    steps = [(c.from_state, c.to_state, c.by) for c in workflow.history("a1", "k1")]
    assert steps == [("unassigned", "unassigned", "ed"), ("unassigned", "in_progress", "ana"),
                     ("in_progress", "awaiting_second_review", "ana"), ("awaiting_second_review", "final", "bo")]
    assert all(c.at for c in workflow.history("a1")) and final.to_dict()["state"] == "final"
    reopened = workflow.reopen("a1", "k1", by="ed")
    assert (reopened.state, reopened.submitted_by, reopened.signed_off_by) == ("in_progress", None, None)
    assert set(STATES) >= {c.to_state for c in workflow.history("a1")}


@pytest.mark.parametrize("steps, error", [
    # (who does what, in order; the last one fails with the message)
    ([("submit", "ana")], "no saved review"),
    ([("save", "ana"), ("start", "ana"), ("submit", "cy")], "Only ana can submit"),
    ([("save", "ana"), ("start", "ana"), ("submit", "ana"), ("sign_off", "ana")], "a second person must"),
    ([("save", "ana"), ("sign_off", "bo")], "only a claim awaiting a second review"),
    ([("save", "ana"), ("start", "ana"), ("reopen", "ed")], "only a submitted or final claim"),
    ([("save", "ana"), ("start", "ana"), ("submit", "ana"), ("submit", "ana")], "only a claim in progress"),
    ([("save", "ana"), ("start", "ana"), ("submit", "ana"), ("sign_off", "bo"), ("assign", "ed")], "reopen it"),
    ([("assign", "")], "a user name is needed"),
])
def test_steps_out_of_order_or_by_the_wrong_person_are_refused(store, steps, error):
    workflow = store.workflow
    *before, (last, who) = steps
    for action, person in before:
        if action == "save":
            _save(store, "a1", "k1", person)
        elif action == "assign":
            workflow.assign("a1", ["k1"], "ana", by=person)
        else:
            getattr(workflow, action)("a1", "k1", by=person)
    state = workflow.status("a1", "k1")
    with pytest.raises(WorkflowError, match=error) as info:
        if last == "assign":
            workflow.assign("a1", ["k1"], "ana", by=who)
        else:
            getattr(workflow, last)("a1", "k1", by=who)
    assert isinstance(info.value, ReviewError) and "\n" not in str(info.value)
    assert workflow.status("a1", "k1") == state  # a refused step changes nothing


def test_the_last_saver_may_submit_and_reassigning_changes_hands(store):
    workflow = store.workflow
    workflow.assign("a1", ["k1", "k2", "k1"], "ana", by="ed")
    assert sorted(workflow.for_article("a1")) == ["k1", "k2"]
    _save(store, "a1", "k1", "bo")  # bo saves ana's claim: bo may submit it too
    workflow.start("a1", "k1", by="bo")
    assert workflow.status("a1", "k1").assignee == "ana"
    assert workflow.submit("a1", "k1", by="bo").submitted_by == "bo"
    workflow.assign("a1", ["k2"], "cy", by="ed")
    assert [a.key for a in workflow.assigned_to("cy")] == ["k2"] and [a.key for a in workflow.assigned_to("ana")] == ["k1"]
    assert workflow.sign_off("a1", "k1", by="ana").signed_off_by == "ana"  # ana did not submit it


def test_the_workflow_follows_the_claim_into_an_edited_version_of_the_article(store):
    first = store.remember_article("The council approved the budget in March after a long debate.", "budget.txt")
    store.workflow.assign(first, ["k1"], "ana", by="ed")
    edited = store.remember_article("The council approved the budget in March after a long, bitter debate.", "b2.txt")
    assert edited != first and store.versions(edited) == [first, edited]
    assert store.workflow.status(edited, "k1").assignee == "ana"
    _save(store, first, "k1", "ana")
    store.workflow.start(edited, "k1", by="ana")
    assert store.workflow.status(first, "k1").state == "in_progress"  # one row, not one per version
    assert len(store.workflow.for_article(edited)) == 1
