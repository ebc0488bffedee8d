"""Unsaved work: a reviewer's draft flag and note per claim, and their pasted text, kept until saved.

Drafts live in the review database (their own table) so a reload, a restart or a click elsewhere loses
nothing a reviewer typed. They are private to one reviewer and never part of the review history.

>>> drafts = DraftStore(".factcheck/reviews.sqlite3")
>>> drafts.put(Draft(article_id, key, "ana", flag="refuted", note="Wrong year"))
>>> drafts.get(article_id, key, "ana").note
'Wrong year'
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from factcheck.errors import ReviewError
from factcheck.review.store import FLAGS, Review

# The pasted-but-unchecked text of a reviewer is a draft too, under this article id.
PASTE = "paste"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS review_drafts (
    article_id TEXT NOT NULL,
    claim_key TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    flag TEXT,
    note TEXT NOT NULL DEFAULT '',
    public_summary TEXT NOT NULL DEFAULT '',
    base_version INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (article_id, claim_key, reviewer)
);
"""


@dataclass
class Draft:
    """A flag, note and public summary not saved yet, written on top of the saved review's ``base_version``."""

    article_id: str
    claim_key: str
    reviewer: str
    flag: str | None = None
    note: str = ""
    base_version: int = 0
    updated_at: str = ""
    public_summary: str = ""

    def __post_init__(self) -> None:
        if self.flag is not None and self.flag not in FLAGS:
            raise ReviewError(f"Unknown flag {self.flag!r} — use one of {', '.join(FLAGS)}")

    def differs_from(self, review: Review) -> bool:
        """Whether saving this draft would change ``review``'s flag, note or public summary."""
        return ((self.flag, self.note.strip(), self.public_summary.strip())
                != (review.flag, review.note.strip(), getattr(review, "public_summary", "").strip()))

    def to_dict(self) -> dict:
        return asdict(self)


class DraftStore:
    """Drafts in the review database's ``review_drafts`` table; each call opens its own connection."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                conn.executescript(_SCHEMA)
                columns = {row["name"] for row in conn.execute("PRAGMA table_info(review_drafts)")}
                if "public_summary" not in columns:  # a drafts table from before public summaries
                    conn.execute("ALTER TABLE review_drafts ADD COLUMN public_summary TEXT NOT NULL DEFAULT ''")
        except (sqlite3.Error, OSError) as exc:
            raise ReviewError(f"Cannot keep drafts in {self.path} ({exc}) — check the path or set "
                              "FACTCHECK_REVIEWS to a writable file") from exc

    def _connect(self):
        from factcheck.review.store import connect

        return connect(self.path)

    def get(self, article: str, key: str, reviewer: str) -> Draft | None:
        """The reviewer's draft of one claim, or None."""
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM review_drafts WHERE article_id = ? AND claim_key = ? AND reviewer = ?",
                               (article, key, reviewer)).fetchone()
        return Draft(**dict(row)) if row else None

    def for_article(self, article: str, reviewer: str) -> dict[str, Draft]:
        """Every draft of one reviewer in one article, by claim key."""
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM review_drafts WHERE article_id = ? AND reviewer = ?",
                                (article, reviewer)).fetchall()
        return {row["claim_key"]: Draft(**dict(row)) for row in rows}

    def put(self, draft: Draft) -> Draft:
        """Keep ``draft`` (replacing the reviewer's earlier draft of that claim); return it stamped."""
        stamped = Draft(**{**draft.to_dict(), "updated_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        try:
            with self._connect() as conn:
                conn.execute(
                    "INSERT OR REPLACE INTO review_drafts (article_id, claim_key, reviewer, flag, note, base_version,"
                    " updated_at, public_summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (stamped.article_id, stamped.claim_key, stamped.reviewer, stamped.flag, stamped.note,
                     stamped.base_version, stamped.updated_at, stamped.public_summary))
        except sqlite3.Error as exc:
            raise ReviewError(f"Could not keep your draft in {self.path} ({exc}) — copy your note and try again") from exc
        return stamped

    def discard(self, article: str, key: str, reviewer: str) -> None:
        """Forget a draft (once it is saved, or when the reviewer throws it away)."""
        with self._connect() as conn:
            conn.execute("DELETE FROM review_drafts WHERE article_id = ? AND claim_key = ? AND reviewer = ?",
                         (article, key, reviewer))

    # The pasted text: a draft with no claim, its text in ``note``.
    def pasted(self, reviewer: str) -> str:
        draft = self.get(PASTE, "", reviewer)
        return draft.note if draft else ""

    def keep_pasted(self, reviewer: str, text: str) -> None:
        if text.strip():
            self.put(Draft(PASTE, "", reviewer, note=text))
        else:
            self.discard(PASTE, "", reviewer)
