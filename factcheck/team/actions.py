"""What a signed-in user does to the review workflow, each step checked against their role, and what leaves
the desk in team mode (final verdicts only, unless asked otherwise).

The workflow itself (``factcheck.review.workflow``) records who did what; this module decides who may.
``user`` is a :class:`~factcheck.team.users.User`, or None on the single-user desk, where every step is allowed.

>>> assign(flow, editor, aid, keys, reviewer)      # PermissionDenied for a reviewer
>>> submit(flow, reviewer, aid, key)
>>> sign_off(flow, other_editor, aid, key).state
'final'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from factcheck.errors import WorkflowError
from factcheck.review.export import ReviewedArticle
from factcheck.review.workflow import STATE_LABELS, Assignment, Workflow
from factcheck.team.roles import can, require
from factcheck.team.users import User


def _name(user: User | None) -> str:
    return user.username if user is not None else ""


def assign(workflow: Workflow, user: User | None, article: str, keys: Iterable[str], assignee: User) -> list[Assignment]:
    """Assign claims (``keys`` of ``article``) to ``assignee``; editors and admins only."""
    require(user, "assign")
    keys = list(keys)
    if not keys:
        raise WorkflowError("Nothing to assign: choose at least one claim")
    return workflow.assign(article, keys, assignee.username, by=_name(user))


def saved(workflow: Workflow, user: User | None, article: str, key: str) -> Assignment:
    """After ``user`` saved a review of the claim: an unassigned (or assigned, not started) claim is in progress."""
    require(user, "review")
    return workflow.start(article, key, by=_name(user))


def submit(workflow: Workflow, user: User | None, article: str, key: str) -> Assignment:
    """Submit a claim for second review (its assignee, or whoever saved its review last; the workflow says so)."""
    require(user, "submit")
    return workflow.submit(article, key, by=_name(user))


def sign_off_refusal(user: User | None, assignment: Assignment) -> str | None:
    """Why ``user`` may not sign off ``assignment`` now, in a sentence; None when they may."""
    if not can(user, "sign_off"):
        return "Only an editor signs a verdict off"
    if assignment.state != "awaiting_second_review":
        return f"It is {STATE_LABELS[assignment.state].lower()}, not awaiting second review"
    if user is not None and assignment.submitted_by == user.username:
        return "You submitted it: a second person signs it off"
    return None


def sign_off(workflow: Workflow, user: User | None, article: str, key: str) -> Assignment:
    """Make a submitted verdict final; an editor other than the one who submitted it."""
    require(user, "sign_off")
    return workflow.sign_off(article, key, by=_name(user))


def reopen(workflow: Workflow, user: User | None, article: str, key: str) -> Assignment:
    """Send a submitted or final claim back to work (editors)."""
    require(user, "reopen")
    return workflow.reopen(article, key, by=_name(user))


def check_editable(workflow: Workflow, user: User | None, article: str, key: str) -> None:
    """Raise unless ``user`` may change this claim's review now: a final verdict is reopened before it changes."""
    require(user, "review")
    if user is not None and workflow.is_final(article, key):
        raise WorkflowError("This verdict is final — an editor reopens it before it can change")


def exportable(article: ReviewedArticle, workflow: Workflow, *, include_non_final: bool = False) -> ReviewedArticle:
    """The article as the team desk exports it: only claims whose verdict is final, unless ``include_non_final``."""
    if include_non_final:
        return article
    final = {key for key, item in workflow.for_article(article.article_id).items() if item.state == "final"}
    return replace(article, claims=[claim for claim in article.claims if claim.key in final])


def exportable_archive(claims: list, workflow: Workflow, *, include_non_final: bool = False) -> list:
    """Archived claims as the team desk exports them: reviews made here only once final (unless
    ``include_non_final``); imported fact-checks, published elsewhere already, always."""
    if include_non_final:
        return list(claims)
    return [c for c in claims if not (c.article_id and c.claim_key) or workflow.is_final(c.article_id, c.claim_key)]
