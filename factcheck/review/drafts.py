"""Unsaved work: a reviewer's draft flag and note per claim, and their pasted text, kept until saved.

Drafts live in the review database (their own table) so a reload, a restart or a click elsewhere loses
nothing a reviewer typed. They are private to one reviewer and never part of the review history.

>>> drafts = DraftStore(".factcheck/reviews.sqlite3")
>>> drafts.put(Draft(article_id, key, "ana", flag="refuted", note="Wrong year"))
>>> drafts.get(article_id, key, "ana").note
'Wrong year'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import delete, select

from factcheck.errors import ReviewError
from factcheck.review import schema as t
from factcheck.review.database import KeptInReviewDatabase, open_database
from factcheck.review.store import FLAGS, Review

# The pasted-but-unchecked text of a reviewer is a draft too, under this article id.
PASTE = "paste"


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


class DraftStore(KeptInReviewDatabase):
    """Drafts in the review database's ``review_drafts`` table; each call takes its own connection.

    ``path`` is the review database: a SQLite file or a ``postgresql://`` URL, as for ``ReviewStore``.
    """

    def __init__(self, path: str | Path) -> None:
        self.database = open_database(path, "Cannot keep drafts")

    @staticmethod
    def _draft(row) -> Draft:
        return Draft(**{name: row[name] for name in Draft.__dataclass_fields__})

    def _this(self, article: str, key: str, reviewer: str):
        drafts = t.review_drafts
        return (drafts.c.article_id == article, drafts.c.claim_key == key, drafts.c.reviewer == reviewer)

    def get(self, article: str, key: str, reviewer: str) -> Draft | None:
        """The reviewer's draft of one claim, or None."""
        with self.database.errors("Reading your draft"), self.database.read() as conn:
            row = conn.execute(select(t.review_drafts).where(*self._this(article, key, reviewer))).mappings().first()
        return self._draft(row) if row else None

    def for_article(self, article: str, reviewer: str) -> dict[str, Draft]:
        """Every draft of one reviewer in one article, by claim key."""
        drafts = t.review_drafts
        with self.database.errors("Reading your drafts"), self.database.read() as conn:
            rows = conn.execute(select(drafts).where(drafts.c.article_id == article,
                                                     drafts.c.reviewer == reviewer)).mappings().all()
        return {row["claim_key"]: self._draft(row) for row in rows}

    def put(self, draft: Draft) -> Draft:
        """Keep ``draft`` (replacing the reviewer's earlier draft of that claim); return it stamped."""
        stamped = Draft(**{**draft.to_dict(), "updated_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        with self.database.errors("Keeping your draft", "copy your note and try again"), self.database.write() as conn:
            self.database.upsert(conn, t.review_drafts, stamped.to_dict())
        return stamped

    def discard(self, article: str, key: str, reviewer: str) -> None:
        """Forget a draft (once it is saved, or when the reviewer throws it away)."""
        with self.database.errors("Discarding your draft"), self.database.write() as conn:
            conn.execute(delete(t.review_drafts).where(*self._this(article, key, reviewer)))

    # The pasted text: a draft with no claim, its text in ``note``.
    def pasted(self, reviewer: str) -> str:
        draft = self.get(PASTE, "", reviewer)
        return draft.note if draft else ""

    def keep_pasted(self, reviewer: str, text: str) -> None:
        if text.strip():
            self.put(Draft(PASTE, "", reviewer, note=text))
        else:
            self.discard(PASTE, "", reviewer)
