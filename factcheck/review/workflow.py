"""Assignment and second review: each claim moves unassigned → in progress → awaiting second review → final.

An editor assigns claims to a reviewer (``assign``); the claim starts when the assignee first saves a
review of it (``start``); the assignee, or whoever saved it last, submits it (``submit``); a second person
signs it off (``sign_off``), which makes the verdict final; ``reopen`` sends it back to work. Every step is
a row of ``workflow_history`` (who, when, from, to). Who may do what (roles) is decided by the caller —
``factcheck/team/`` for the desk — this module only records ``by``.

The workflow lives in the review database beside the reviews and follows a claim across the versions of
its article as its review does: a step on an edited version updates the claim's existing row.

>>> workflow = ReviewStore(".factcheck/reviews.sqlite3").workflow      # or Workflow(store)
>>> workflow.assign(aid, [key], "ana", by="editor")
>>> workflow.start(aid, key, by="ana"); workflow.submit(aid, key, by="ana")
>>> workflow.sign_off(aid, key, by="bo").state
'final'
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone

from sqlalchemy import Connection, insert, select, update

from factcheck.errors import WorkflowError
from factcheck.review import schema as t

log = logging.getLogger(__name__)

STATES = ("unassigned", "in_progress", "awaiting_second_review", "final")
STATE_LABELS = {"unassigned": "Unassigned", "in_progress": "In progress",
                "awaiting_second_review": "Awaiting second review", "final": "Final"}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Assignment:
    """Where one claim is in the workflow. ``state`` is one of ``STATES``; ``updated_at`` is "" when it was never
    touched. ``assignee`` may be set while the state is still "unassigned": assigned, but not started yet."""

    article: str
    key: str
    state: str
    assignee: str | None
    assigned_by: str | None
    submitted_by: str | None
    signed_off_by: str | None
    updated_at: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class WorkflowChange:
    """One step of a claim's workflow: who moved it, when, from which state to which (and its assignee after)."""

    article: str
    key: str
    from_state: str
    to_state: str
    assignee: str | None
    by: str
    at: str

    def to_dict(self) -> dict:
        return asdict(self)


class Workflow:
    """The claims' workflow in a review store's database (SQLite or PostgreSQL).

    Each step reads and writes the claim's row in one transaction (row-locked on PostgreSQL), so two people
    acting on one claim at once are applied one after the other, each checked against the state the other left.
    """

    def __init__(self, store) -> None:
        self.store = store
        self.database = store.database

    # -- steps ------------------------------------------------------------------------------------
    def assign(self, article: str, keys: Sequence[str], assignee: str, *, by: str) -> list[Assignment]:
        """Give claims (``keys`` of one article) to ``assignee``. A claim not started stays "unassigned" until
        its assignee first saves (``start``); one in progress or awaiting review changes hands; a final one
        must be reopened first."""
        assignee = _who(assignee, "Say who the claims are assigned to")
        if not keys:
            raise WorkflowError("Choose at least one claim to assign")

        def change(current: Assignment) -> Assignment:
            if current.state == "final":
                raise WorkflowError(f"Claim {current.key} is final (signed off by {current.signed_off_by}) — "
                                    "reopen it before assigning it again")
            return replace(current, assignee=assignee, assigned_by=by)

        by = _who(by)
        return [self._step(article, key, by, change) for key in dict.fromkeys(keys)]

    def start(self, article: str, key: str, *, by: str) -> Assignment:
        """The claim is being worked on (call it when its assignee first saves a review): unassigned → in
        progress, with ``by`` as assignee if nobody was assigned. In any other state nothing changes."""
        def change(current: Assignment) -> Assignment:
            if current.state != "unassigned":
                return current
            return replace(current, state="in_progress", assignee=current.assignee or by)

        return self._step(article, key, _who(by), change)

    def submit(self, article: str, key: str, *, by: str) -> Assignment:
        """Ask for a second review: in progress → awaiting second review. ``by`` must be the assignee or the
        person who saved the claim's review last."""
        by = _who(by)
        last_saver = self.store.get(article, key).reviewer or None

        def change(current: Assignment) -> Assignment:
            if current.state not in ("unassigned", "in_progress"):
                raise WorkflowError(f"Claim {key} is {STATE_LABELS[current.state].lower()} — only a claim in "
                                    "progress can be submitted for a second review")
            if last_saver is None:
                raise WorkflowError(f"Claim {key} has no saved review — save your review before submitting it")
            if by not in (current.assignee, last_saver):
                owner = " or ".join(dict.fromkeys(p for p in (current.assignee, last_saver) if p))
                raise WorkflowError(f"Only {owner} can submit claim {key} (the assignee or whoever saved it last)"
                                    f" — {by} can save a review of it first")
            return replace(current, state="awaiting_second_review", submitted_by=by, signed_off_by=None,
                           assignee=current.assignee or last_saver)

        return self._step(article, key, by, change)

    def sign_off(self, article: str, key: str, *, by: str) -> Assignment:
        """Make the verdict final: awaiting second review → final. A second person must do it: ``by`` may not
        be the person who submitted it."""
        by = _who(by)

        def change(current: Assignment) -> Assignment:
            if current.state != "awaiting_second_review":
                raise WorkflowError(f"Claim {key} is {STATE_LABELS[current.state].lower()} — only a claim awaiting "
                                    "a second review can be signed off")
            if by == current.submitted_by:
                raise WorkflowError(f"{by} submitted claim {key}, so cannot also sign it off — a second person "
                                    "must review it and sign off")
            return replace(current, state="final", signed_off_by=by)

        return self._step(article, key, by, change)

    def reopen(self, article: str, key: str, *, by: str) -> Assignment:
        """Send a submitted or final claim back to work (in progress); its sign-off is withdrawn."""
        by = _who(by)

        def change(current: Assignment) -> Assignment:
            if current.state not in ("awaiting_second_review", "final"):
                raise WorkflowError(f"Claim {key} is {STATE_LABELS[current.state].lower()} — only a submitted or "
                                    "final claim can be reopened")
            return replace(current, state="in_progress", submitted_by=None, signed_off_by=None)

        return self._step(article, key, by, change)

    # -- reading ----------------------------------------------------------------------------------
    def status(self, article: str, key: str) -> Assignment:
        """Where the claim is (an "unassigned" Assignment when it was never touched)."""
        with self.database.errors("Reading the workflow"), self.database.read() as conn:
            return self._current(conn, article, key)

    def for_article(self, article: str) -> dict[str, Assignment]:
        """Every claim of the article (any of its versions) that has a workflow row, by claim key."""
        workflow = t.claim_workflow
        with self.database.errors("Reading the workflow"), self.database.read() as conn:
            versions = self.store._versions(conn, article)
            rows = conn.execute(select(workflow).where(workflow.c.article_id.in_(versions))
                                .order_by(workflow.c.updated_at.desc())).mappings().all()
        found: dict[str, Assignment] = {}
        for row in rows:
            found.setdefault(row["claim_key"], _assignment(row))
        return found

    def assigned_to(self, user: str) -> list[Assignment]:
        """The claims assigned to ``user`` that are not final yet, oldest change first."""
        workflow = t.claim_workflow
        return self._list(select(workflow).where(workflow.c.assignee == user, workflow.c.state != "final"))

    def awaiting_sign_off(self, user: str) -> list[Assignment]:
        """The claims awaiting a second review that someone other than ``user`` submitted, oldest first."""
        workflow = t.claim_workflow
        return self._list(select(workflow).where(workflow.c.state == "awaiting_second_review",
                                                 workflow.c.submitted_by != user))

    def is_final(self, article: str, key: str) -> bool:
        return self.status(article, key).state == "final"

    def history(self, article: str, key: str | None = None) -> list[WorkflowChange]:
        """Every step of one claim's workflow (or all of an article's, in any of its versions), oldest first."""
        history = t.workflow_history
        with self.database.errors("Reading the workflow history"), self.database.read() as conn:
            query = select(history).where(history.c.article_id.in_(self.store._versions(conn, article)))
            if key is not None:
                query = query.where(history.c.claim_key == key)
            rows = conn.execute(query.order_by(history.c.id)).mappings().all()
        return [WorkflowChange(article=r["article_id"], key=r["claim_key"], from_state=r["from_state"],
                               to_state=r["to_state"], assignee=r["assignee"], by=r["by"], at=r["at"]) for r in rows]

    # -- the one place a step is written ----------------------------------------------------------
    def _list(self, query) -> list[Assignment]:
        workflow = t.claim_workflow
        with self.database.errors("Reading the workflow"), self.database.read() as conn:
            rows = conn.execute(query.order_by(workflow.c.updated_at, workflow.c.article_id,
                                               workflow.c.claim_key)).mappings().all()
        return [_assignment(row) for row in rows]

    def _current(self, conn: Connection, article: str, key: str, lock: bool = False) -> Assignment:
        workflow = t.claim_workflow
        query = (select(workflow).where(workflow.c.article_id.in_(self.store._versions(conn, article)),
                                        workflow.c.claim_key == key)
                 .order_by(workflow.c.updated_at.desc()).limit(1))
        row = conn.execute(query.with_for_update() if lock else query).mappings().first()
        return _assignment(row) if row else Assignment(article, key, "unassigned", None, None, None, None, "")

    def _step(self, article: str, key: str, by: str, change: Callable[[Assignment], Assignment]) -> Assignment:
        """Apply ``change`` to the claim's current assignment and record it, in one transaction."""
        workflow = t.claim_workflow
        with self.database.errors("Updating the workflow"), self.database.write() as conn:
            current = self._current(conn, article, key, lock=True)
            if not current.updated_at:  # never touched: make its row, so the next steps can lock it
                self.database.insert_new(conn, workflow, {"article_id": article, "claim_key": key,
                                                          "state": "unassigned", "updated_at": ""})
                current = self._current(conn, article, key, lock=True)
            new = change(current)
            if new == current:
                return current
            new = replace(new, updated_at=_now())
            conn.execute(update(workflow).where(workflow.c.article_id == current.article,
                                                workflow.c.claim_key == current.key)
                         .values(state=new.state, assignee=new.assignee, assigned_by=new.assigned_by,
                                 submitted_by=new.submitted_by, signed_off_by=new.signed_off_by,
                                 updated_at=new.updated_at))
            conn.execute(insert(t.workflow_history).values(
                article_id=current.article, claim_key=key, from_state=current.state, to_state=new.state,
                assignee=new.assignee, by=by, at=new.updated_at))
        log.info("claim %s/%s: %s → %s by %s", new.article, key, current.state, new.state, by)
        return new


def _assignment(row) -> Assignment:
    return Assignment(article=row["article_id"], key=row["claim_key"], state=row["state"], assignee=row["assignee"],
                      assigned_by=row["assigned_by"], submitted_by=row["submitted_by"],
                      signed_off_by=row["signed_off_by"], updated_at=row["updated_at"])


def _who(name: str, message: str = "Say who is doing this") -> str:
    name = (name or "").strip()
    if not name:
        raise WorkflowError(f"{message} — a user name is needed")
    return name
