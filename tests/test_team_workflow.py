"""Assignment and second review as the team desk drives them: who may take each step, and what is exported.

Written against the workflow interface only (``factcheck.review.workflow``), so it runs unchanged on the
team-store branch's implementation.
"""

from __future__ import annotations

import pytest

from dataclasses import replace

from factcheck.errors import PermissionDenied, WorkflowError
from factcheck.review.export import to_claimreview, to_csv
from factcheck.review.workflow import Workflow
from factcheck.team import User
from factcheck.team.actions import (
    assign,
    check_editable,
    exportable,
    exportable_archive,
    reopen,
    saved,
    sign_off,
    sign_off_refusal,
    submit,
)

from .test_export import report, reviewed, store  # noqa: F401 - fixtures: a reviewed article without models

RITA = User("rita", "Rita", "reviewer")
ANA = User("ana", "Ana", "reviewer")  # saved the fixture's review of c1
BO = User("bo", "Bo", "reviewer")  # saved the fixture's review of c4
ED = User("ed", "Ed", "editor")
EVE = User("eve", "Eve", "editor")


@pytest.fixture
def flow(store):  # noqa: F811
    return Workflow(store)


def test_an_editor_assigns_a_reviewer_submits_another_person_signs_off(flow, reviewed):  # noqa: F811
    aid = reviewed.article_id
    keys = [c.key for c in reviewed.checkworthy]
    with pytest.raises(PermissionDenied, match="rita is a reviewer and may not assign claims"):
        assign(flow, RITA, aid, keys, RITA)
    assert all(flow.status(aid, k).state == "unassigned" for k in keys)

    done = assign(flow, ED, aid, keys, RITA)
    assert {a.state for a in done} == {"unassigned"} and {a.assignee for a in done} == {"rita"}  # not started
    assert {a.key for a in flow.assigned_to("rita")} == set(keys)
    assert all(a.assigned_by == "ed" for a in flow.for_article(aid).values())
    assert saved(flow, RITA, aid, keys[1]).state == "in_progress"  # her first save starts the claim

    first = keys[0]
    submitted = submit(flow, RITA, aid, first)
    assert (submitted.state, submitted.submitted_by) == ("awaiting_second_review", "rita")
    assert sign_off_refusal(RITA, submitted) == "Only an editor signs a verdict off"
    with pytest.raises(PermissionDenied, match="may not sign off"):
        sign_off(flow, RITA, aid, first)
    assert [a.key for a in flow.awaiting_sign_off("ed")] == [first]
    assert sign_off_refusal(ED, submitted) is None
    final = sign_off(flow, ED, aid, first)
    assert (final.state, final.signed_off_by) == ("final", "ed") and flow.is_final(aid, first)
    with pytest.raises(WorkflowError, match="final"):
        check_editable(flow, RITA, aid, first)
    check_editable(flow, RITA, aid, keys[1])  # not final: still hers to change
    with pytest.raises(PermissionDenied):
        reopen(flow, RITA, aid, first)
    assert reopen(flow, ED, aid, first).state == "in_progress"


def test_nobody_signs_off_their_own_submission(flow, reviewed, store):  # noqa: F811
    aid, key = reviewed.article_id, reviewed.checkworthy[0].key
    store.save(replace(store.get(aid, key), note="Checked the archive too"), reviewer="ed")
    own = submit(flow, ED, aid, key)  # an editor may check a claim too, but not be its second pair of eyes
    assert sign_off_refusal(ED, own) == "You submitted it: a second person signs it off"
    assert flow.awaiting_sign_off("ed") == []
    with pytest.raises(WorkflowError):
        sign_off(flow, ED, aid, key)
    assert flow.status(aid, key).state == "awaiting_second_review"
    assert sign_off(flow, EVE, aid, key).state == "final"


def test_exports_carry_only_final_verdicts_unless_asked(flow, reviewed):  # noqa: F811
    flagged = [c for c in reviewed.claims if c.review.flag]
    assert len(flagged) == 2
    final_key = flagged[1].key
    submit(flow, ANA, reviewed.article_id, flagged[0].key)  # awaiting: not final yet
    submit(flow, BO, reviewed.article_id, final_key)
    sign_off(flow, ED, reviewed.article_id, final_key)

    team = exportable(reviewed, flow)
    assert [c.key for c in team.claims] == [final_key]
    assert [item["claimReviewed"] for item in to_claimreview(team)] == [flagged[1].result.claim.text]
    assert len(to_csv(team).strip().splitlines()) == 2  # the header and the final claim
    everything = exportable(reviewed, flow, include_non_final=True)
    assert len(to_claimreview(everything)) == len(to_claimreview(reviewed)) == 2


def test_the_archive_exports_reviews_made_here_once_final_and_imports_always(flow, reviewed):  # noqa: F811
    from factcheck.memory.archive import ArchivedClaim

    aid = reviewed.article_id
    final_key, open_key = [c.key for c in reviewed.checkworthy][:2]
    submit(flow, ANA, aid, final_key)
    sign_off(flow, ED, aid, final_key)
    claims = [ArchivedClaim("r1", "review", "final one", article_id=aid, claim_key=final_key),
              ArchivedClaim("r2", "review", "open one", article_id=aid, claim_key=open_key),
              ArchivedClaim("i1", "import", "published elsewhere", verdict="false")]
    assert [c.claim_id for c in exportable_archive(claims, flow)] == ["r1", "i1"]
    assert len(exportable_archive(claims, flow, include_non_final=True)) == 3
