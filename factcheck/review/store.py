"""Review storage: a reviewer's flag, note and pinned/dismissed evidence per claim, in SQLite.

Reviews are keyed by article (a hash of its text) and claim (the claim id plus a hash of its span),
carry a version number for optimistic concurrency, and every save appends to a history table.

>>> reviews = ReviewStore(".factcheck/reviews.sqlite3")
>>> review = reviews.get(article_id(report.text), report.review_key(result))
>>> review = reviews.save(replace(review, flag="refuted", note="Wrong year").pin(passage_id), reviewer="ana")
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from factcheck.errors import ReviewError
from factcheck.settings import DEFAULT_REVIEWS, Settings

log = logging.getLogger(__name__)

REVIEWS_ENV = "FACTCHECK_REVIEWS"

# The flags a reviewer can set, in the order the app offers them.
FLAGS = ("supported", "refuted", "misleading", "alleged", "denied", "unverifiable", "needs-more-evidence")
FLAG_LABELS = {
    "supported": "Supported", "refuted": "Refuted", "misleading": "Misleading", "alleged": "Alleged",
    "denied": "Denied", "unverifiable": "Unverifiable", "needs-more-evidence": "Needs more evidence",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_opened TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reviews (
    article_id TEXT NOT NULL,
    claim_key TEXT NOT NULL,
    claim_text TEXT NOT NULL DEFAULT '',
    flag TEXT,
    note TEXT NOT NULL DEFAULT '',
    pinned TEXT NOT NULL DEFAULT '[]',
    dismissed TEXT NOT NULL DEFAULT '[]',
    reviewer TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (article_id, claim_key)
);
CREATE TABLE IF NOT EXISTS review_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL,
    claim_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    flag TEXT,
    note TEXT NOT NULL,
    pinned TEXT NOT NULL,
    dismissed TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS review_history_claim ON review_history (article_id, claim_key, version);
"""


def default_reviews_path() -> str:
    """The review database: ``$FACTCHECK_REVIEWS`` or ``.factcheck/reviews.sqlite3`` (``Settings.reviews``)."""
    return Settings().reviews


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def article_id(text: str) -> str:
    """A stable id for an article: a hash of its text."""
    return _digest(text, 16)


def claim_key(claim_id: str, span_text: str) -> str:
    """A stable key for a claim within an article: its id plus a hash of its span text."""
    return f"{claim_id}-{_digest(span_text, 10)}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Review:
    """A reviewer's judgement on one claim. ``version`` 0 means never saved."""

    article_id: str
    claim_key: str
    flag: str | None = None
    note: str = ""
    pinned: list[str] = field(default_factory=list)  # passage ids the reviewer relies on
    dismissed: list[str] = field(default_factory=list)  # passage ids the reviewer rejected
    reviewer: str = ""
    updated_at: str = ""
    version: int = 0
    claim_text: str = ""

    def __post_init__(self) -> None:
        if self.flag is not None and self.flag not in FLAGS:
            raise ReviewError(f"Unknown flag {self.flag!r} — use one of {', '.join(FLAGS)}")
        both = set(self.pinned) & set(self.dismissed)
        if both:
            raise ReviewError(f"Evidence {sorted(both)} is both pinned and dismissed — choose one")

    @property
    def is_empty(self) -> bool:
        return self.flag is None and not self.note.strip() and not self.pinned and not self.dismissed

    def pin(self, passage_id: str) -> "Review":
        """This review with ``passage_id`` pinned (and no longer dismissed)."""
        return replace(self, pinned=[*(p for p in self.pinned if p != passage_id), passage_id],
                       dismissed=[p for p in self.dismissed if p != passage_id])

    def unpin(self, passage_id: str) -> "Review":
        return replace(self, pinned=[p for p in self.pinned if p != passage_id])

    def dismiss(self, passage_id: str) -> "Review":
        """This review with ``passage_id`` dismissed (and no longer pinned)."""
        return replace(self, dismissed=[*(p for p in self.dismissed if p != passage_id), passage_id],
                       pinned=[p for p in self.pinned if p != passage_id])

    def restore(self, passage_id: str) -> "Review":
        return replace(self, dismissed=[p for p in self.dismissed if p != passage_id])

    def summary(self) -> str:
        """One line saying what the review holds, for messages and history lists."""
        parts = [FLAG_LABELS.get(self.flag, "no flag") if self.flag else "no flag"]
        if self.note.strip():
            parts.append(f"note “{self.note.strip()[:80]}”")
        if self.pinned:
            parts.append(f"{len(self.pinned)} pinned")
        if self.dismissed:
            parts.append(f"{len(self.dismissed)} dismissed")
        return ", ".join(parts)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ReviewChange:
    """One saved version of a review, from the history table."""

    article_id: str
    claim_key: str
    version: int
    flag: str | None
    note: str
    pinned: list[str]
    dismissed: list[str]
    reviewer: str
    changed_at: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ArticleInfo:
    """An article someone has checked, kept so it can be reopened after a restart."""

    article_id: str
    name: str
    text: str
    first_seen: str
    last_opened: str
    reviewed_claims: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


class ReviewConflict(ReviewError):
    """A save against a stale version: someone else saved this review first. ``current`` is theirs."""

    def __init__(self, message: str, current: Review) -> None:
        super().__init__(message)
        self.current = current


class ReviewStore:
    """Reviews in a SQLite database (WAL mode, so readers never block the writer).

    Each call opens its own connection, so one store can be shared by every app session and thread.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or default_reviews_path())
        if self.path.exists() and self.path.is_dir():
            raise ReviewError(f"{self.path} is a folder — point {REVIEWS_ENV} at a file such as reviews.sqlite3")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise ReviewError(f"Cannot open the review database at {self.path} ({exc}) — "
                              f"check the path or set {REVIEWS_ENV} to a writable file") from exc

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        conn.row_factory = sqlite3.Row
        try:
            yield conn
        finally:
            conn.close()

    # -- articles ------------------------------------------------------------------------------
    def remember_article(self, text: str, name: str) -> str:
        """Record that an article was opened (so it can be reopened later); return its id."""
        aid = article_id(text)
        now = _now()
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO articles (article_id, name, text, first_seen, last_opened) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(article_id) DO UPDATE SET last_opened = excluded.last_opened, name = excluded.name",
                (aid, name, text, now, now),
            )
        return aid

    def article(self, aid: str) -> ArticleInfo | None:
        """One remembered article (with its text), or None if it was never opened here."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT a.*, (SELECT COUNT(*) FROM reviews r WHERE r.article_id = a.article_id) AS reviewed "
                "FROM articles a WHERE article_id = ?", (aid,),
            ).fetchone()
        return self._article(row) if row else None

    @staticmethod
    def _article(row: sqlite3.Row) -> ArticleInfo:
        return ArticleInfo(article_id=row["article_id"], name=row["name"], text=row["text"], first_seen=row["first_seen"],
                           last_opened=row["last_opened"], reviewed_claims=row["reviewed"])

    def articles(self, limit: int = 50) -> list[ArticleInfo]:
        """Articles checked so far, most recently opened first, with how many claims have a review."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT a.*, (SELECT COUNT(*) FROM reviews r WHERE r.article_id = a.article_id) AS reviewed "
                "FROM articles a ORDER BY last_opened DESC LIMIT ?", (limit,),
            ).fetchall()
        return [self._article(row) for row in rows]

    # -- reviews -------------------------------------------------------------------------------
    @staticmethod
    def _review(row: sqlite3.Row) -> Review:
        return Review(article_id=row["article_id"], claim_key=row["claim_key"], flag=row["flag"], note=row["note"],
                      pinned=json.loads(row["pinned"]), dismissed=json.loads(row["dismissed"]),
                      reviewer=row["reviewer"], updated_at=row["updated_at"], version=row["version"],
                      claim_text=row["claim_text"])

    def get(self, article: str, key: str) -> Review:
        """The saved review of one claim, or an empty one (version 0)."""
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM reviews WHERE article_id = ? AND claim_key = ?", (article, key)).fetchone()
        return self._review(row) if row else Review(article_id=article, claim_key=key)

    def for_article(self, article: str) -> dict[str, Review]:
        """Every saved review of one article, by claim key."""
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM reviews WHERE article_id = ?", (article,)).fetchall()
        return {row["claim_key"]: self._review(row) for row in rows}

    def save(self, review: Review, reviewer: str) -> Review:
        """Save ``review`` if nobody saved a newer version since it was read; return the stored review.

        Raises ``ReviewConflict`` (a ``ReviewError``) carrying the other reviewer's version otherwise.
        """
        reviewer = reviewer.strip()
        if not reviewer:
            raise ReviewError("Say who you are before saving a review — enter your name as reviewer")
        Review(**{**review.to_dict(), "reviewer": reviewer})  # validates flag and evidence lists
        now = _now()
        new_version = review.version + 1
        values = (review.flag, review.note, json.dumps(review.pinned), json.dumps(review.dismissed), reviewer, now)
        with self._connect() as conn:
            try:
                # BEGIN IMMEDIATE takes the write lock first, so the version check and the write are atomic.
                conn.execute("BEGIN IMMEDIATE")
                row = conn.execute("SELECT * FROM reviews WHERE article_id = ? AND claim_key = ?",
                                   (review.article_id, review.claim_key)).fetchone()
                stored_version = row["version"] if row else 0
                if stored_version != review.version:
                    current = self._review(row) if row else Review(review.article_id, review.claim_key)
                    conn.execute("ROLLBACK")
                    raise ReviewConflict(
                        f"{current.reviewer or 'Someone'} saved this review at {current.updated_at} "
                        f"(version {current.version}: {current.summary()}) after you opened it — "
                        "your change was not saved; look at theirs and save again", current)
                if row:
                    conn.execute(
                        "UPDATE reviews SET flag = ?, note = ?, pinned = ?, dismissed = ?, reviewer = ?, updated_at = ?,"
                        " version = ?, claim_text = ? WHERE article_id = ? AND claim_key = ?",
                        (*values, new_version, review.claim_text or row["claim_text"],
                         review.article_id, review.claim_key))
                else:
                    conn.execute(
                        "INSERT INTO reviews (flag, note, pinned, dismissed, reviewer, updated_at, version, claim_text,"
                        " article_id, claim_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*values, new_version, review.claim_text, review.article_id, review.claim_key))
                conn.execute(
                    "INSERT INTO review_history (article_id, claim_key, version, flag, note, pinned, dismissed,"
                    " reviewer, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (review.article_id, review.claim_key, new_version, *values))
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise ReviewError(f"Could not save the review to {self.path} ({exc}) — try again") from exc
        log.info("review %s/%s saved as version %d by %s", review.article_id, review.claim_key, new_version, reviewer)
        return Review(article_id=review.article_id, claim_key=review.claim_key, flag=review.flag, note=review.note,
                      pinned=list(review.pinned), dismissed=list(review.dismissed), reviewer=reviewer,
                      updated_at=now, version=new_version, claim_text=review.claim_text)

    def history(self, article: str, key: str | None = None) -> list[ReviewChange]:
        """Every saved version of one claim's review (or all of an article's), oldest first."""
        query = "SELECT * FROM review_history WHERE article_id = ?"
        params: tuple = (article,)
        if key is not None:
            query += " AND claim_key = ?"
            params += (key,)
        with self._connect() as conn:
            rows = conn.execute(query + " ORDER BY id", params).fetchall()
        return [ReviewChange(article_id=r["article_id"], claim_key=r["claim_key"], version=r["version"], flag=r["flag"],
                             note=r["note"], pinned=json.loads(r["pinned"]), dismissed=json.loads(r["dismissed"]),
                             reviewer=r["reviewer"], changed_at=r["changed_at"]) for r in rows]
