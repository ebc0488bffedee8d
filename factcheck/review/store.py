"""Review storage: a reviewer's flag, notes, pinned/dismissed and relabelled evidence per claim.

The database is a SQLite file (the default) or a PostgreSQL server (``FACTCHECK_REVIEWS=postgresql://…``),
opened through ``review/database.py`` with its schema under Alembic migrations.

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
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from factcheck.errors import ReviewError
from factcheck.review import schema as t
from factcheck.review.database import (
    HEAD,
    REVIEWS_ENV,
    KeptInReviewDatabase,
    ReviewDatabase,
    describe,
    is_server,
    open_database,
)
from factcheck.review.follow import attach, review_key, same_article
from factcheck.settings import Settings

log = logging.getLogger(__name__)

# The flags a reviewer can set, in the order the app offers them.
FLAGS = ("supported", "refuted", "misleading", "alleged", "denied", "unverifiable", "needs-more-evidence")
FLAG_LABELS = {
    "supported": "Supported", "refuted": "Refuted", "misleading": "Misleading", "alleged": "Alleged",
    "denied": "Denied", "unverifiable": "Unverifiable", "needs-more-evidence": "Needs more evidence",
}
# What a reviewer can say one passage does to the claim, in the order the app offers them.
RELABELS = ("supports", "refutes", "neutral", "irrelevant")

# The schema's number: the newest migration in review/migrations/versions/ (see review/database.py).
SCHEMA_VERSION = int(HEAD)


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


def _article_query():
    """Articles with how many reviews their whole lineage holds (column ``reviewed``)."""
    a, b = t.articles.alias("a"), t.articles.alias("b")
    lineage_ids = select(b.c.article_id).where(b.c.lineage == a.c.lineage).correlate(a)
    reviewed = (select(func.count()).select_from(t.reviews).where(t.reviews.c.article_id.in_(lineage_ids))
                .correlate(a).scalar_subquery())
    return a, select(a, reviewed.label("reviewed"))


@dataclass
class ConflictRecord:
    """A save refused because someone else saved first, kept with what the reviewer tried to save.

    ``resolution`` is None until the reviewer saves on top of the other version ("overwrote") or takes
    theirs ("reloaded", ``ReviewStore.resolve_conflict``).
    """

    article_id: str
    claim_key: str
    reviewer: str
    base_version: int
    current_version: int
    current_reviewer: str
    attempted: Review
    at: str
    resolution: str | None = None
    resolved_at: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


RESOLUTIONS = ("overwrote", "reloaded")


class _Stale(Exception):
    """Inside ``save``: the version read is not the stored one any more (the transaction is rolled back)."""


class ReviewStore(KeptInReviewDatabase):
    """Reviews in a SQLite file (WAL mode, so readers never block the writer) or a PostgreSQL database.

    Each call takes its own connection (pooled for a server), so one store can be shared by every app
    session and thread. Opening a database made by an earlier release upgrades it in place (Alembic
    migrations, ``review/migrations/``). ``path`` is the SQLite file (None for a server); ``location``
    is the path or URL as given.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.database: ReviewDatabase = open_database(path or default_reviews_path())
        self._workflow = None

    def __repr__(self) -> str:
        return f"ReviewStore({describe(self.location)!r})"

    @property
    def schema_version(self) -> int:
        return self.database.schema_version

    @property
    def workflow(self):
        """The claims' assignment and second-review workflow (``review.workflow.Workflow``) on this database."""
        if self._workflow is None:
            from factcheck.review.workflow import Workflow

            self._workflow = Workflow(self)
        return self._workflow

    # -- articles ------------------------------------------------------------------------------
    def remember_article(self, text: str, name: str) -> str:
        """Record that an article was opened (so it can be reopened later); return its id.

        A text not seen before that reads as an edited version of a recent article (:func:`same_article`)
        joins that article's lineage, so the reviews of the earlier version follow it.
        """
        aid = article_id(text)
        now = _now()
        articles = t.articles
        with self.database.errors("Remembering the article"):
            with self.database.read() as conn:
                known = conn.execute(select(articles.c.lineage).where(articles.c.article_id == aid)).first()
                recent = [] if known else conn.execute(
                    select(articles.c.text, articles.c.lineage)
                    .order_by(articles.c.last_opened.desc()).limit(LINEAGE_SEARCH)).all()
            lineage = aid if known else next((row.lineage for row in recent if same_article(row.text, text)), aid)
            with self.database.write() as conn:
                seq = conn.execute(select(func.coalesce(func.max(articles.c.seq), 0) + 1)).scalar()
                self.database.upsert(conn, articles, {"article_id": aid, "name": name, "text": text, "first_seen": now,
                                                      "last_opened": now, "lineage": lineage, "seq": seq},
                                     update=("last_opened", "name"))
        if not known and lineage != aid:
            log.info("article %s is a new version of %s", aid, lineage)
        return aid

    def find_article(self, text: str) -> str | None:
        """The id under which reviews of ``text`` are found without remembering it: its own id when it was
        opened here, else the id of an earlier version it reads as (:func:`same_article`), else None."""
        aid = article_id(text)
        articles = t.articles
        with self.database.errors("Reading the articles"), self.database.read() as conn:
            if conn.execute(select(articles.c.article_id).where(articles.c.article_id == aid)).first():
                return aid
            recent = conn.execute(select(articles.c.article_id, articles.c.text)
                                  .order_by(articles.c.last_opened.desc()).limit(LINEAGE_SEARCH)).all()
        return next((row.article_id for row in recent if same_article(row.text, text)), None)

    def article(self, aid: str) -> ArticleInfo | None:
        """One remembered article (with its text), or None if it was never opened here."""
        a, query = _article_query()
        with self.database.errors("Reading the article"), self.database.read() as conn:
            row = conn.execute(query.where(a.c.article_id == aid)).mappings().first()
        return self._article(row) if row else None

    @staticmethod
    def _article(row) -> ArticleInfo:
        return ArticleInfo(article_id=row["article_id"], name=row["name"], text=row["text"], first_seen=row["first_seen"],
                           last_opened=row["last_opened"], reviewed_claims=row["reviewed"],
                           lineage=row["lineage"] or row["article_id"])

    def articles(self, limit: int = 50) -> list[ArticleInfo]:
        """Articles checked so far, most recently opened first, with how many claims have a review."""
        a, query = _article_query()
        with self.database.errors("Reading the articles"), self.database.read() as conn:
            rows = conn.execute(query.order_by(a.c.last_opened.desc()).limit(limit)).mappings().all()
        return [self._article(row) for row in rows]

    def versions(self, aid: str) -> list[str]:
        """The ids of every version of ``aid``'s article (its lineage), oldest first; ``[aid]`` if unknown."""
        with self.database.errors("Reading the article's versions"), self.database.read() as conn:
            return self._versions(conn, aid)

    @staticmethod
    def _versions(conn: Connection, aid: str) -> list[str]:
        articles = t.articles
        lineage = select(articles.c.lineage).where(articles.c.article_id == aid).scalar_subquery()
        ids = list(conn.execute(select(articles.c.article_id).where(articles.c.lineage == lineage)
                                .order_by(articles.c.first_seen, articles.c.seq, articles.c.article_id)).scalars())
        return ids if aid in ids else [aid, *ids]

    # -- settings ------------------------------------------------------------------------------
    def setting(self, name: str, default: Any = None) -> Any:
        """A value kept with the reviews (publisher details, an article's metadata), or ``default``."""
        with self.database.errors("Reading a setting"), self.database.read() as conn:
            value = conn.execute(select(t.settings.c.value).where(t.settings.c.name == name)).scalar()
        return json.loads(value) if value is not None else default

    def save_setting(self, name: str, value: Any) -> None:
        """Keep a JSON-serialisable value with the reviews, replacing any earlier one of that name."""
        with self.database.errors("Saving a setting"), self.database.write() as conn:
            self.database.upsert(conn, t.settings, {"name": name, "value": json.dumps(value, ensure_ascii=False),
                                                    "updated_at": _now()}, update=("value", "updated_at"))

    # -- reviews -------------------------------------------------------------------------------
    @staticmethod
    def _review(row) -> Review:
        return Review(article_id=row["article_id"], claim_key=row["claim_key"], flag=row["flag"], note=row["note"],
                      pinned=json.loads(row["pinned"]), dismissed=json.loads(row["dismissed"]),
                      reviewer=row["reviewer"], updated_at=row["updated_at"], version=row["version"],
                      claim_text=row["claim_text"], relabels=json.loads(row["relabels"]),
                      public_summary=row["public_summary"])

    def _lineage_reviews(self, conn: Connection, aid: str, key: str | None = None) -> list[Review]:
        """Every review of any version of the article (of one key, if given), newest first."""
        reviews = t.reviews
        query = select(reviews).where(reviews.c.article_id.in_(self._versions(conn, aid)))
        if key is not None:
            query = query.where(reviews.c.claim_key == key)
        query = query.order_by(reviews.c.updated_at.desc(), reviews.c.version.desc())
        return [self._review(row) for row in conn.execute(query).mappings()]

    def get(self, article: str, key: str) -> Review:
        """The saved review of one claim (in any version of the article), or an empty one (version 0)."""
        with self.database.errors("Reading the review"), self.database.read() as conn:
            found = self._lineage_reviews(conn, article, key)
        return found[0] if found else Review(article_id=article, claim_key=key)

    def for_article(self, article: str) -> dict[str, Review]:
        """Every saved review of the article (all its versions), by claim key; the newest of a key wins."""
        with self.database.errors("Reading the reviews"), self.database.read() as conn:
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
        with self.database.errors("Reading the reviews"), self.database.read() as conn:
            found = self._lineage_reviews(conn, article)
            if text is None:
                text = conn.execute(select(t.articles.c.text).where(t.articles.c.article_id == article)).scalar()
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
        Raises ``ReviewConflict`` (a ``ReviewError``) carrying the other reviewer's version otherwise; the
        refused save is kept (``conflicts``), and saving again on top of their version records that it
        overwrote it.

        The version check and the write are one transaction: SQLite takes the write lock first (BEGIN
        IMMEDIATE); PostgreSQL locks the review's row (SELECT … FOR UPDATE) and writes only where the
        version is still the one read, so two writers never both succeed on one version.
        """
        reviewer = reviewer.strip()
        if not reviewer:
            raise ReviewError("Say who you are before saving a review — enter your name as reviewer")
        Review(**{**review.to_dict(), "reviewer": reviewer})  # validates flag, evidence lists and labels
        sentences = {e.passage_id: e for e in evidence}
        now = _now()
        new_version = review.version + 1
        reviews = t.reviews
        this_review = and_(reviews.c.article_id == review.article_id, reviews.c.claim_key == review.claim_key)
        values = {"flag": review.flag, "note": review.note, "pinned": json.dumps(review.pinned),
                  "dismissed": json.dumps(review.dismissed), "reviewer": reviewer, "updated_at": now,
                  "relabels": json.dumps(review.relabels, sort_keys=True), "public_summary": review.public_summary}
        with self.database.errors("Saving the review"):
            try:
                with self.database.write() as conn:
                    row = conn.execute(select(reviews).where(this_review).with_for_update()).mappings().first()
                    if (row["version"] if row else 0) != review.version:
                        raise _Stale
                    claim_text = review.claim_text or (row["claim_text"] if row else "")
                    before = json.loads(row["relabels"]) if row else {}
                    pairs = self._relabel_pairs(review, before, sentences, claim_text, reviewer, now)
                    fields = {**values, "version": new_version, "claim_text": claim_text}
                    if row:
                        written = conn.execute(update(reviews).where(this_review, reviews.c.version == review.version)
                                               .values(**fields)).rowcount
                    else:  # a first save: a concurrent first save of the same claim makes this insert nothing
                        written = self.database.insert_new(conn, reviews, {
                            **fields, "article_id": review.article_id, "claim_key": review.claim_key})
                    if written != 1:
                        raise _Stale  # rolls the transaction back
                    event = "flag cleared" if row and row["flag"] and review.flag is None else "saved"
                    saved = {name: value for name, value in values.items() if name != "updated_at"}
                    conn.execute(insert(t.review_history).values(
                        article_id=review.article_id, claim_key=review.claim_key, version=new_version, event=event,
                        changed_at=now, **saved))
                    if pairs:
                        conn.execute(insert(t.labelled_pairs), pairs)
                    conflicts = t.review_conflicts
                    conn.execute(update(conflicts).where(
                        conflicts.c.article_id == review.article_id, conflicts.c.claim_key == review.claim_key,
                        conflicts.c.reviewer == reviewer, conflicts.c.current_version == review.version,
                        conflicts.c.resolution.is_(None)).values(resolution="overwrote", resolved_at=now))
            except _Stale:
                raise self._conflict(review, reviewer, now) from None
        log.info("review %s/%s saved as version %d by %s", review.article_id, review.claim_key, new_version, reviewer)
        return replace(review, reviewer=reviewer, updated_at=now, version=new_version, claim_text=claim_text,
                       pinned=list(review.pinned), dismissed=list(review.dismissed), relabels=dict(review.relabels))

    def _conflict(self, review: Review, reviewer: str, now: str) -> ReviewConflict:
        """Keep the refused save and say who saved first (their version is read after our rollback)."""
        reviews = t.reviews
        with self.database.write() as conn:
            row = conn.execute(select(reviews).where(reviews.c.article_id == review.article_id,
                                                     reviews.c.claim_key == review.claim_key)).mappings().first()
            current = self._review(row) if row else Review(review.article_id, review.claim_key)
            attempted = replace(review, reviewer=reviewer, updated_at=now)
            conn.execute(insert(t.review_conflicts).values(
                article_id=review.article_id, claim_key=review.claim_key, reviewer=reviewer,
                base_version=review.version, current_version=current.version, current_reviewer=current.reviewer,
                attempted=json.dumps(attempted.to_dict(), ensure_ascii=False), at=now))
        log.info("review %s/%s: save by %s on version %d refused (version %d by %s)", review.article_id,
                 review.claim_key, reviewer, review.version, current.version, current.reviewer)
        return ReviewConflict(
            f"{current.reviewer or 'Someone'} saved this review at {current.updated_at} "
            f"(version {current.version}: {current.summary()}) after you opened it — "
            "your change was not saved; look at theirs and save again", current)

    def conflicts(self, article: str, key: str | None = None) -> list[ConflictRecord]:
        """Every refused save of one claim's review (or of all the article's), oldest first."""
        conflicts = t.review_conflicts
        query = select(conflicts).where(conflicts.c.article_id == article)
        if key is not None:
            query = query.where(conflicts.c.claim_key == key)
        with self.database.errors("Reading the refused saves"), self.database.read() as conn:
            rows = conn.execute(query.order_by(conflicts.c.id)).mappings().all()
        return [ConflictRecord(article_id=r["article_id"], claim_key=r["claim_key"], reviewer=r["reviewer"],
                               base_version=r["base_version"], current_version=r["current_version"],
                               current_reviewer=r["current_reviewer"], attempted=Review(**json.loads(r["attempted"])),
                               at=r["at"], resolution=r["resolution"], resolved_at=r["resolved_at"]) for r in rows]

    def resolve_conflict(self, article: str, key: str, reviewer: str, resolution: str = "reloaded") -> int:
        """Record how ``reviewer`` settled their refused saves of one claim; return how many were open."""
        if resolution not in RESOLUTIONS:
            raise ReviewError(f"Unknown resolution {resolution!r} — use one of {', '.join(RESOLUTIONS)}")
        conflicts = t.review_conflicts
        with self.database.errors("Recording the resolution"), self.database.write() as conn:
            return conn.execute(update(conflicts).where(
                conflicts.c.article_id == article, conflicts.c.claim_key == key, conflicts.c.reviewer == reviewer,
                conflicts.c.resolution.is_(None)).values(resolution=resolution, resolved_at=_now())).rowcount

    @staticmethod
    def _relabel_pairs(review: Review, before: dict[str, str], evidence: dict[str, Any], claim_text: str,
                       reviewer: str, now: str) -> list[dict]:
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
            rows.append({"article_id": review.article_id, "claim_key": review.claim_key, "passage_id": passage_id,
                         "claim": claim_text, "sentence": getattr(item, "read_text", item.sentence),
                         "label": review.relabels.get(passage_id),
                         "model_stance": getattr(item, "stance", None), "reviewer": reviewer, "created_at": now})
        return rows

    def labelled_pairs(self) -> list[LabelledPair]:
        """Every passage's current relabel as a labelled pair, oldest first (withdrawn relabels left out)."""
        pairs = t.labelled_pairs
        newest = select(func.max(pairs.c.id)).group_by(pairs.c.article_id, pairs.c.claim_key, pairs.c.passage_id)
        with self.database.errors("Reading the labelled pairs"), self.database.read() as conn:
            rows = conn.execute(select(pairs).where(pairs.c.id.in_(newest), pairs.c.label.is_not(None))
                                .order_by(pairs.c.id)).mappings().all()
        return [LabelledPair(claim=r["claim"], sentence=r["sentence"], label=r["label"], reviewer=r["reviewer"],
                             created_at=r["created_at"], article_id=r["article_id"], passage_id=r["passage_id"],
                             claim_key=r["claim_key"], model_stance=r["model_stance"]) for r in rows]

    def history(self, article: str, key: str | None = None) -> list[ReviewChange]:
        """Every saved version of one claim's review (or all of an article's), in any version of the
        article, oldest first."""
        history = t.review_history
        with self.database.errors("Reading the review history"), self.database.read() as conn:
            query = select(history).where(history.c.article_id.in_(self._versions(conn, article)))
            if key is not None:
                query = query.where(history.c.claim_key == key)
            rows = conn.execute(query.order_by(history.c.id)).mappings().all()
        return [ReviewChange(article_id=r["article_id"], claim_key=r["claim_key"], version=r["version"], flag=r["flag"],
                             note=r["note"], pinned=json.loads(r["pinned"]), dismissed=json.loads(r["dismissed"]),
                             reviewer=r["reviewer"], changed_at=r["changed_at"], relabels=json.loads(r["relabels"]),
                             public_summary=r["public_summary"], event=r["event"]) for r in rows]


def read_labelled_pairs(path: str | Path) -> list[LabelledPair]:
    """The labelled pairs of an existing review database (``--reviews`` of calibrate and train-stance)."""
    if not is_server(path) and not Path(path).is_file():
        raise ReviewError(f"No review database at {path} — give the reviews.sqlite3 the review desk writes "
                          f"(${REVIEWS_ENV}, default .factcheck/reviews.sqlite3) or its postgresql:// URL")
    return ReviewStore(path).labelled_pairs()
