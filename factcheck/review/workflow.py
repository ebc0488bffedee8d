"""Assignment and second review: each claim moves unassigned → in progress → awaiting second review → final.

STAND-IN, from the team-auth branch: a minimal SQLite implementation of the interface that the team-store
branch implements (SQLAlchemy/Alembic) in this same module. The desk's workflow UI is written against the
interface only; the integrator replaces this whole file with team-store's and keeps its tests.

>>> flow = Workflow(ReviewStore(".factcheck/reviews.sqlite3"))
>>> flow.assign(aid, [key], "rita", by="ed")
>>> flow.submit(aid, key, by="rita")
>>> flow.sign_off(aid, key, by="ed").state
'final'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from factcheck.errors import ReviewError
from factcheck.review.store import ReviewStore, connect

STATES = ("unassigned", "in_progress", "awaiting_second_review", "final")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS workflow_standin (
    article TEXT NOT NULL,
    key TEXT NOT NULL,
    state TEXT NOT NULL,
    assignee TEXT,
    assigned_by TEXT,
    submitted_by TEXT,
    signed_off_by TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (article, key)
);
"""


class WorkflowError(ReviewError):
    """A workflow step that cannot be taken now (e.g. signing off one's own submission)."""


@dataclass(frozen=True)
class Assignment:
    """Where one claim of one article stands, and who moved it there."""

    article: str
    key: str
    state: str = "unassigned"
    assignee: str | None = None
    assigned_by: str | None = None
    submitted_by: str | None = None
    signed_off_by: str | None = None
    updated_at: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Workflow:
    """The claims' workflow states, kept in the review database beside the reviews."""

    def __init__(self, store: ReviewStore) -> None:
        self.store = store
        with connect(store.path) as conn:
            conn.executescript(_SCHEMA)

    def _put(self, item: Assignment) -> Assignment:
        item = Assignment(**{**item.to_dict(), "updated_at": _now()})
        with connect(self.store.path) as conn:
            conn.execute("INSERT OR REPLACE INTO workflow_standin VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (item.article, item.key, item.state, item.assignee, item.assigned_by, item.submitted_by,
                          item.signed_off_by, item.updated_at))
        return item

    def _rows(self, where: str, args: tuple) -> list[Assignment]:
        with connect(self.store.path) as conn:
            rows = conn.execute(f"SELECT * FROM workflow_standin WHERE {where} ORDER BY updated_at, article, key",
                                args).fetchall()
        return [Assignment(**dict(row)) for row in rows]

    def status(self, article: str, key: str) -> Assignment:
        rows = self._rows("article = ? AND key = ?", (article, key))
        return rows[0] if rows else Assignment(article, key)

    def for_article(self, article: str) -> dict[str, Assignment]:
        return {a.key: a for a in self._rows("article = ?", (article,))}

    def assigned_to(self, user: str) -> list[Assignment]:
        return self._rows("assignee = ? AND state = 'in_progress'", (user,))

    def awaiting_sign_off(self, user: str) -> list[Assignment]:
        return self._rows("state = 'awaiting_second_review' AND submitted_by IS NOT ?", (user,))

    def is_final(self, article: str, key: str) -> bool:
        return self.status(article, key).state == "final"

    def assign(self, article: str, keys: Iterable[str], assignee: str, *, by: str) -> list[Assignment]:
        done = []
        for key in keys:
            current = self.status(article, key)
            if current.state == "final":
                raise WorkflowError(f"Claim {key} is final — reopen it before assigning it again")
            done.append(self._put(Assignment(article, key, "in_progress", assignee, by, None, None)))
        return done

    def start(self, article: str, key: str, *, by: str) -> Assignment:
        current = self.status(article, key)
        if current.state not in ("unassigned", "in_progress"):
            raise WorkflowError(f"Claim {key} is {current.state.replace('_', ' ')} — it cannot be started")
        return self._put(Assignment(article, key, "in_progress", current.assignee or by, current.assigned_by or by))

    def submit(self, article: str, key: str, *, by: str) -> Assignment:
        current = self.status(article, key)
        if current.state not in ("unassigned", "in_progress"):
            raise WorkflowError(f"Claim {key} is {current.state.replace('_', ' ')} — it cannot be submitted")
        return self._put(Assignment(article, key, "awaiting_second_review", current.assignee or by,
                                    current.assigned_by, by, None))

    def sign_off(self, article: str, key: str, *, by: str) -> Assignment:
        current = self.status(article, key)
        if current.state != "awaiting_second_review":
            raise WorkflowError(f"Claim {key} is {current.state.replace('_', ' ')}, not awaiting second review")
        if current.submitted_by == by:
            raise WorkflowError(f"{by} submitted this claim — a second person must sign it off")
        return self._put(Assignment(article, key, "final", current.assignee, current.assigned_by,
                                    current.submitted_by, by))

    def reopen(self, article: str, key: str, *, by: str) -> Assignment:
        current = self.status(article, key)
        return self._put(Assignment(article, key, "in_progress", current.assignee or by, current.assigned_by))
