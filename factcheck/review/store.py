"""Review storage: a reviewer's flag, notes, pinned/dismissed and relabelled evidence per claim, in SQLite.

Reviews are keyed by article and by the claim's normalised text (:func:`review_key`), so a review follows
its claim when the article is pasted again with edits (the edited version joins the first one's lineage)
or a newer extractor numbers the claims differently; a review whose claim wording changed still attaches
by similarity and says what it was reviewed as. Reviews carry a version number for optimistic concurrency,
every save appends to a history table, and every relabel of a passage is kept as a labelled pair that
calibration and training can learn from.

>>> reviews = ReviewStore(".factcheck/reviews.sqlite3")
>>> aid = reviews.remember_article(text, "pasted")
>>> attached = reviews.for_claims(aid, [r.claim for r in report.claims])   # claim id -> Review
>>> review = attached["c4"].relabel("p17", "supports")
>>> review = reviews.save(replace(review, flag="refuted", note="Wrong year").pin("p17"), reviewer="ana",
...                       evidence=report.get("c4").evidence)
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from factcheck.errors import ReviewError
from factcheck.review.follow import attach, review_key, same_article
from factcheck.settings import Settings

log = logging.getLogger(__name__)

REVIEWS_ENV = "FACTCHECK_REVIEWS"

# The flags a reviewer can set, in the order the app offers them.
FLAGS = ("supported", "refuted", "misleading", "alleged", "denied", "unverifiable", "needs-more-evidence")
FLAG_LABELS = {
    "supported": "Supported", "refuted": "Refuted", "misleading": "Misleading", "alleged": "Alleged",
    "denied": "Denied", "unverifiable": "Unverifiable", "needs-more-evidence": "Needs more evidence",
}
# What a reviewer can say one passage does to the claim, in the order the app offers them.
RELABELS = ("supports", "refutes", "neutral", "irrelevant")

# The first schema (version 0). Later versions are the steps in _MIGRATIONS, run in order on open, so a
# database made by any earlier release upgrades in place.
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


def _to_version_1(conn: sqlite3.Connection) -> None:
    """Relabels, public summaries, labelled pairs, settings, article lineages."""
    for table in ("reviews", "review_history"):
        conn.execute(f"ALTER TABLE {table} ADD COLUMN relabels TEXT NOT NULL DEFAULT '{{}}'")
        conn.execute(f"ALTER TABLE {table} ADD COLUMN public_summary TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE review_history ADD COLUMN event TEXT NOT NULL DEFAULT 'saved'")
    conn.execute("ALTER TABLE articles ADD COLUMN lineage TEXT")
    conn.execute("UPDATE articles SET lineage = article_id")
    conn.execute("CREATE INDEX articles_lineage ON articles (lineage)")
    conn.execute("""
        CREATE TABLE labelled_pairs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            article_id TEXT NOT NULL,
            claim_key TEXT NOT NULL,
            passage_id TEXT NOT NULL,
            claim TEXT NOT NULL,
            sentence TEXT NOT NULL,
            label TEXT,  -- NULL: the reviewer withdrew the relabel
            model_stance TEXT,
            reviewer TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""")
    conn.execute("""
        CREATE TABLE settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    # Reviews of the first schema keep their id-and-span keys: it did not record which of two reviews of one
    # wording was the allegation's and which the denial's, so for_claims recognises those keys instead.


_MIGRATIONS = {1: _to_version_1}
SCHEMA_VERSION = max(_MIGRATIONS)


def default_reviews_path() -> str:
    """The review database: ``$FACTCHECK_REVIEWS`` or ``.factcheck/reviews.sqlite3`` (``Settings.reviews``)."""
    return Settings().reviews


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def article_id(text: str) -> str:
    """A stable id for one version of an article: a hash of its text."""
    return _digest(text, 16)


def claim_key(claim_id: str, span_text: str) -> str:
    """The first schema's key for a claim: its id plus a hash of its span text.

    Superseded by :func:`review_key` (the claim's normalised text), which survives renumbering and edits;
    kept so reviews saved under it are still found (``ReviewStore.for_claims``).
    """
    return f"{claim_id}-{_digest(span_text, 10)}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Review:
    """A reviewer's judgement on one claim. ``version`` 0 means never saved.

    ``note`` is internal; ``public_summary`` is what a published ClaimReview says. ``relabels`` holds the
    reviewer's reading of passages ({passage_id: supports | refutes | neutral | irrelevant}), which leads
    over the model's wherever the passage is shown.
    """

    article_id: str
    claim_key: str
    flag: str | None = None
    note: str = ""
    pinned: list[str] = field(default_factory=list)  # passage ids the reviewer relies on
    dismissed: list[str] = field(default_factory=list)  # passage ids the reviewer rejected
    reviewer: str = ""
    updated_at: str = ""
    version: int = 0
    claim_text: str = ""  # the claim's wording when it was reviewed
    relabels: dict[str, str] = field(default_factory=dict)
    public_summary: str = ""

    def __post_init__(self) -> None:
        if self.flag is not None and self.flag not in FLAGS:
            raise ReviewError(f"Unknown flag {self.flag!r} — use one of {', '.join(FLAGS)}")
        both = set(self.pinned) & set(self.dismissed)
        if both:
            raise ReviewError(f"Evidence {sorted(both)} is both pinned and dismissed — choose one")
        bad = sorted({label for label in self.relabels.values() if label not in RELABELS})
        if bad:
            raise ReviewError(f"Unknown evidence label {bad[0]!r} — use one of {', '.join(RELABELS)}")

    @property
    def is_empty(self) -> bool:
        return (self.flag is None and not self.note.strip() and not self.pinned and not self.dismissed
                and not self.relabels and not self.public_summary.strip())

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
        if self.relabels:
            parts.append(f"{len(self.relabels)} relabelled")
        return ", ".join(parts)

    def relabel(self, passage_id: str, label: str | None) -> "Review":
        """A copy with one passage relabelled (``None`` gives the passage back to the model's reading)."""
        relabels = {k: v for k, v in self.relabels.items() if k != passage_id}
        if label is not None:
            relabels[passage_id] = label
        return replace(self, relabels=relabels)

    def clear_flag(self) -> "Review":
        """A copy without a flag (saving it records "flag cleared" in the history)."""
        return replace(self, flag=None)

    def reviewed_as(self, claim_text: str) -> str | None:
        """The wording this review was made on, when it differs from ``claim_text`` (else None)."""
        if self.claim_text and review_key(self.claim_text) != review_key(claim_text):
            return self.claim_text
        return None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ReviewChange:
    """One saved version of a review, from the history table. ``event``: "saved" or "flag cleared"."""

    article_id: str
    claim_key: str
    version: int
    flag: str | None
    note: str
    pinned: list[str]
    dismissed: list[str]
    reviewer: str
    changed_at: str
    relabels: dict[str, str] = field(default_factory=dict)
    public_summary: str = ""
    event: str = "saved"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class LabelledPair:
    """A reviewer's relabel of one passage: (claim, evidence sentence, label), who and when.

    ``stance`` is the label in the stance model's three classes (an irrelevant passage is neutral to the claim).
    """

    claim: str
    sentence: str
    label: str
    reviewer: str
    created_at: str
    article_id: str
    passage_id: str
    claim_key: str = ""
    model_stance: str | None = None

    @property
    def stance(self) -> str:
        return "neutral" if self.label == "irrelevant" else self.label

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ArticleInfo:
    """An article someone has checked, kept so it can be reopened after a restart.

    ``lineage`` is the id of the article's first version: edited versions share it, and their reviews.
    ``reviewed_claims`` counts the reviews of the whole lineage.
    """

    article_id: str
    name: str
    text: str
    first_seen: str
    last_opened: str
    reviewed_claims: int = 0
    lineage: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


class ReviewConflict(ReviewError):
    """A save against a stale version: someone else saved this review first. ``current`` is theirs."""

    def __init__(self, message: str, current: Review) -> None:
        super().__init__(message)
        self.current = current


# How many recently opened articles a new text is compared with to find an earlier version of it.
LINEAGE_SEARCH = 200
_ARTICLE_QUERY = ("SELECT a.*, (SELECT COUNT(*) FROM reviews r WHERE r.article_id IN "
                  "(SELECT b.article_id FROM articles b WHERE b.lineage = a.lineage)) AS reviewed FROM articles a ")



@contextmanager
def connect(path: str | Path) -> Iterator[sqlite3.Connection]:
    """One connection to the review database (autocommit, rows by name), closed after use: the review store,
    the drafts and the archive all open it this way."""
    conn = sqlite3.connect(path, timeout=15, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        yield conn
    finally:
        conn.close()


class ReviewStore:
    """Reviews in a SQLite database (WAL mode, so readers never block the writer).

    Each call opens its own connection, so one store can be shared by every app session and thread.
    Opening a database made by an earlier release upgrades it in place (``PRAGMA user_version``).
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
                self._migrate(conn)
        except (sqlite3.Error, OSError) as exc:
            raise ReviewError(f"Cannot open the review database at {self.path} ({exc}) — "
                              f"check the path or set {REVIEWS_ENV} to a writable file") from exc

    def _connect(self):
        return connect(self.path)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Run the schema steps this database has not had, each in one transaction."""
        if conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")  # another process may be upgrading the same file
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise ReviewError(f"{self.path} was written by a newer factcheck (schema {version}) — upgrade factcheck")
            for step in range(version + 1, SCHEMA_VERSION + 1):
                _MIGRATIONS[step](conn)
                log.info("review database %s upgraded to schema %d", self.path, step)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @property
    def schema_version(self) -> int:
        with self._connect() as conn:
            return conn.execute("PRAGMA user_version").fetchone()[0]

    # -- articles ------------------------------------------------------------------------------
    def remember_article(self, text: str, name: str) -> str:
        """Record that an article was opened (so it can be reopened later); return its id.

        A text not seen before that reads as an edited version of a recent article (:func:`same_article`)
        joins that article's lineage, so the reviews of the earlier version follow it.
        """
        aid = article_id(text)
        now = _now()
        with self._connect() as conn:
            known = conn.execute("SELECT lineage FROM articles WHERE article_id = ?", (aid,)).fetchone()
            if known:
                conn.execute("UPDATE articles SET last_opened = ?, name = ? WHERE article_id = ?", (now, name, aid))
                return aid
            recent = conn.execute("SELECT text, lineage FROM articles ORDER BY last_opened DESC LIMIT ?",
                                  (LINEAGE_SEARCH,)).fetchall()
            lineage = next((row["lineage"] for row in recent if same_article(row["text"], text)), aid)
            conn.execute(
                "INSERT INTO articles (article_id, name, text, first_seen, last_opened, lineage) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(article_id) DO UPDATE SET last_opened = excluded.last_opened, name = excluded.name",
                (aid, name, text, now, now, lineage),
            )
        if lineage != aid:
            log.info("article %s is a new version of %s", aid, lineage)
        return aid

    def find_article(self, text: str) -> str | None:
        """The id under which reviews of ``text`` are found without remembering it: its own id when it was
        opened here, else the id of an earlier version it reads as (:func:`same_article`), else None."""
        aid = article_id(text)
        with self._connect() as conn:
            if conn.execute("SELECT 1 FROM articles WHERE article_id = ?", (aid,)).fetchone():
                return aid
            recent = conn.execute("SELECT article_id, text FROM articles ORDER BY last_opened DESC LIMIT ?",
                                  (LINEAGE_SEARCH,)).fetchall()
        return next((row["article_id"] for row in recent if same_article(row["text"], text)), None)

    def article(self, aid: str) -> ArticleInfo | None:
        """One remembered article (with its text), or None if it was never opened here."""
        with self._connect() as conn:
            row = conn.execute(_ARTICLE_QUERY + "WHERE article_id = ?", (aid,)).fetchone()
        return self._article(row) if row else None

    @staticmethod
    def _article(row: sqlite3.Row) -> ArticleInfo:
        return ArticleInfo(article_id=row["article_id"], name=row["name"], text=row["text"], first_seen=row["first_seen"],
                           last_opened=row["last_opened"], reviewed_claims=row["reviewed"],
                           lineage=row["lineage"] or row["article_id"])

    def articles(self, limit: int = 50) -> list[ArticleInfo]:
        """Articles checked so far, most recently opened first, with how many claims have a review."""
        with self._connect() as conn:
            rows = conn.execute(_ARTICLE_QUERY + "ORDER BY last_opened DESC LIMIT ?", (limit,)).fetchall()
        return [self._article(row) for row in rows]

    def versions(self, aid: str) -> list[str]:
        """The ids of every version of ``aid``'s article (its lineage), oldest first; ``[aid]`` if unknown."""
        with self._connect() as conn:
            return self._versions(conn, aid)

    @staticmethod
    def _versions(conn: sqlite3.Connection, aid: str) -> list[str]:
        rows = conn.execute(
            "SELECT article_id FROM articles WHERE lineage = (SELECT lineage FROM articles WHERE article_id = ?) "
            "ORDER BY first_seen, rowid", (aid,)).fetchall()
        ids = [row["article_id"] for row in rows]
        return ids if aid in ids else [aid, *ids]

    # -- settings ------------------------------------------------------------------------------
    def setting(self, name: str, default: Any = None) -> Any:
        """A value kept with the reviews (publisher details, an article's metadata), or ``default``."""
        with self._connect() as conn:
            row = conn.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return json.loads(row["value"]) if row else default

    def save_setting(self, name: str, value: Any) -> None:
        """Keep a JSON-serialisable value with the reviews, replacing any earlier one of that name."""
        with self._connect() as conn:
            conn.execute("INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) "
                         "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                         (name, json.dumps(value, ensure_ascii=False), _now()))

    # -- reviews -------------------------------------------------------------------------------
    @staticmethod
    def _review(row: sqlite3.Row) -> Review:
        return Review(article_id=row["article_id"], claim_key=row["claim_key"], flag=row["flag"], note=row["note"],
                      pinned=json.loads(row["pinned"]), dismissed=json.loads(row["dismissed"]),
                      reviewer=row["reviewer"], updated_at=row["updated_at"], version=row["version"],
                      claim_text=row["claim_text"], relabels=json.loads(row["relabels"]),
                      public_summary=row["public_summary"])

    def _lineage_reviews(self, conn: sqlite3.Connection, aid: str, key: str | None = None) -> list[Review]:
        """Every review of any version of the article (of one key, if given), newest first."""
        versions = self._versions(conn, aid)
        query = f"SELECT * FROM reviews WHERE article_id IN ({', '.join('?' * len(versions))})"
        params: tuple = tuple(versions)
        if key is not None:
            query += " AND claim_key = ?"
            params += (key,)
        return [self._review(row) for row in conn.execute(query + " ORDER BY updated_at DESC, version DESC", params)]

    def get(self, article: str, key: str) -> Review:
        """The saved review of one claim (in any version of the article), or an empty one (version 0)."""
        with self._connect() as conn:
            found = self._lineage_reviews(conn, article, key)
        return found[0] if found else Review(article_id=article, claim_key=key)

    def for_article(self, article: str) -> dict[str, Review]:
        """Every saved review of the article (all its versions), by claim key; the newest of a key wins."""
        with self._connect() as conn:
            found = self._lineage_reviews(conn, article)
        out: dict[str, Review] = {}
        for review in found:
            out.setdefault(review.claim_key, review)
        return out

    def for_claims(self, article: str, claims: Sequence[Any], text: str | None = None) -> dict[str, Review]:
        """A review for every claim of the article, by claim id: the saved one that follows it, else an empty one.

        Saved reviews of any version of the article attach by the claim's normalised text, by the first
        schema's key (needs the article ``text``; the remembered text is used when not given), or by a
        similar wording — then ``review.reviewed_as(claim.text)`` gives the wording it was reviewed as.
        An empty review carries the claim's :func:`review_key` (by its text and status) and text, ready to save.
        """
        with self._connect() as conn:
            found = self._lineage_reviews(conn, article)
            if text is None:
                row = conn.execute("SELECT text FROM articles WHERE article_id = ?", (article,)).fetchone()
                text = row["text"] if row else None
        legacy = ({c.id: claim_key(c.id, text[c.start:c.end]) for c in claims if hasattr(c, "start")}
                  if text else None)
        attached = attach(claims, found, legacy)
        return {c.id: attached.get(c.id) or Review(article_id=article, claim_key=review_key(c.text, c.status),
                                                   claim_text=c.text)
                for c in claims}

    def save(self, review: Review, reviewer: str, evidence: Iterable[Any] = ()) -> Review:
        """Save ``review`` if nobody saved a newer version since it was read; return the stored review.

        ``evidence``: the claim's evidence (``Evidence`` objects); needed when the review relabels a passage,
        so the relabel is kept as a labelled pair (claim, evidence sentence, label, reviewer, time).
        Raises ``ReviewConflict`` (a ``ReviewError``) carrying the other reviewer's version otherwise.
        """
        reviewer = reviewer.strip()
        if not reviewer:
            raise ReviewError("Say who you are before saving a review — enter your name as reviewer")
        Review(**{**review.to_dict(), "reviewer": reviewer})  # validates flag, evidence lists and labels
        sentences = {e.passage_id: e for e in evidence}
        now = _now()
        new_version = review.version + 1
        values = (review.flag, review.note, json.dumps(review.pinned), json.dumps(review.dismissed), reviewer, now,
                  json.dumps(review.relabels, sort_keys=True), review.public_summary)
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
                claim_text = review.claim_text or (row["claim_text"] if row else "")
                before = json.loads(row["relabels"]) if row else {}
                pairs = self._relabel_pairs(review, before, sentences, claim_text, reviewer, now)
                if row:
                    conn.execute(
                        "UPDATE reviews SET flag = ?, note = ?, pinned = ?, dismissed = ?, reviewer = ?, updated_at = ?,"
                        " relabels = ?, public_summary = ?, version = ?, claim_text = ?"
                        " WHERE article_id = ? AND claim_key = ?",
                        (*values, new_version, claim_text, review.article_id, review.claim_key))
                else:
                    conn.execute(
                        "INSERT INTO reviews (flag, note, pinned, dismissed, reviewer, updated_at, relabels,"
                        " public_summary, version, claim_text, article_id, claim_key)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*values, new_version, claim_text, review.article_id, review.claim_key))
                event = "flag cleared" if row and row["flag"] and review.flag is None else "saved"
                conn.execute(
                    "INSERT INTO review_history (article_id, claim_key, version, flag, note, pinned, dismissed,"
                    " reviewer, changed_at, relabels, public_summary, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (review.article_id, review.claim_key, new_version, *values, event))
                conn.executemany(
                    "INSERT INTO labelled_pairs (article_id, claim_key, passage_id, claim, sentence, label,"
                    " model_stance, reviewer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", pairs)
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise ReviewError(f"Could not save the review to {self.path} ({exc}) — try again") from exc
            except ReviewError:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        log.info("review %s/%s saved as version %d by %s", review.article_id, review.claim_key, new_version, reviewer)
        return replace(review, reviewer=reviewer, updated_at=now, version=new_version, claim_text=claim_text,
                       pinned=list(review.pinned), dismissed=list(review.dismissed), relabels=dict(review.relabels))

    @staticmethod
    def _relabel_pairs(review: Review, before: dict[str, str], evidence: dict[str, Any], claim_text: str,
                       reviewer: str, now: str) -> list[tuple]:
        """Rows for labelled_pairs: one per passage whose label changed (a withdrawn relabel has label NULL)."""
        changed = sorted(set(before) | set(review.relabels))
        changed = [p for p in changed if before.get(p) != review.relabels.get(p)]
        if not changed:
            return []
        if not claim_text:
            raise ReviewError("A relabel needs the claim's wording — save the review with claim_text set")
        rows = []
        for passage_id in changed:
            item = evidence.get(passage_id)
            if item is None:
                raise ReviewError(f"Passage {passage_id} is not among the evidence given with the review — "
                                  "pass the claim's evidence to save() so the relabel keeps its sentence")
            rows.append((review.article_id, review.claim_key, passage_id, claim_text, item.sentence,
                         review.relabels.get(passage_id), getattr(item, "stance", None), reviewer, now))
        return rows

    def labelled_pairs(self) -> list[LabelledPair]:
        """Every passage's current relabel as a labelled pair, oldest first (withdrawn relabels left out)."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT * FROM labelled_pairs WHERE id IN (SELECT MAX(id) FROM labelled_pairs "
                "GROUP BY article_id, claim_key, passage_id) AND label IS NOT NULL ORDER BY id").fetchall()
        return [LabelledPair(claim=r["claim"], sentence=r["sentence"], label=r["label"], reviewer=r["reviewer"],
                             created_at=r["created_at"], article_id=r["article_id"], passage_id=r["passage_id"],
                             claim_key=r["claim_key"], model_stance=r["model_stance"]) for r in rows]

    def history(self, article: str, key: str | None = None) -> list[ReviewChange]:
        """Every saved version of one claim's review (or all of an article's), in any version of the
        article, oldest first."""
        with self._connect() as conn:
            versions = self._versions(conn, article)
            query = f"SELECT * FROM review_history WHERE article_id IN ({', '.join('?' * len(versions))})"
            params: tuple = tuple(versions)
            if key is not None:
                query += " AND claim_key = ?"
                params += (key,)
            rows = conn.execute(query + " ORDER BY id", params).fetchall()
        return [ReviewChange(article_id=r["article_id"], claim_key=r["claim_key"], version=r["version"], flag=r["flag"],
                             note=r["note"], pinned=json.loads(r["pinned"]), dismissed=json.loads(r["dismissed"]),
                             reviewer=r["reviewer"], changed_at=r["changed_at"], relabels=json.loads(r["relabels"]),
                             public_summary=r["public_summary"], event=r["event"]) for r in rows]


def read_labelled_pairs(path: str | Path) -> list[LabelledPair]:
    """The labelled pairs of an existing review database (``--reviews`` of calibrate and train-stance)."""
    path = Path(path)
    if not path.is_file():
        raise ReviewError(f"No review database at {path} — give the reviews.sqlite3 the review desk writes "
                          f"(${REVIEWS_ENV}, default .factcheck/reviews.sqlite3)")
    return ReviewStore(path).labelled_pairs()
