"""The archive: every claim checked here (and any outside fact-checks imported), matched against new claims.

Archived claims are rows of the review database (table ``archive_claims``) and vectors in the matching
index (``ClaimIndex``); the reviewer's answer to each match (linked, confirmed, rejected) is kept in
``match_decisions``, keyed by the incoming claim's normalised text, so a rejected pair is not offered again
even when the article is pasted again with edits.

>>> archive = Archive(settings)
>>> archive.import_file("vclaims.jsonl")
>>> [m.archived.verdict for m in archive.match(["Pyongyang shipped shells to Moscow"])[0]]
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import delete, func, select

from factcheck.errors import InputError, ReviewError
from factcheck.memory.matching import LINKED, SUGGESTED, ClaimIndex, IndexedClaim, MatchCandidate, MatchThresholds
from factcheck.review import schema as t
from factcheck.review.database import KeptInReviewDatabase, open_database
from factcheck.settings import Settings

DECISIONS = ("confirmed", "rejected")
REVIEW_ORIGIN = "review"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def normalise(text: str) -> str:
    """A claim's text with case, punctuation and spacing folded: the same claim pasted again keys the same."""
    return " ".join(re.findall(r"\w+", text.lower()))


def query_key(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:20]


def review_claim_id(article: str, key: str) -> str:
    """The archive id of the claim reviewed under (article id, claim key)."""
    return f"review:{article}:{key}"


@dataclass
class ArchivedClaim:
    """A claim in the archive: checked here (origin ``review``) or imported from a fact-check archive."""

    claim_id: str
    origin: str
    text: str
    title: str | None = None
    verdict: str | None = None  # the reviewer's flag, or an imported fact-check's rating
    note: str = ""
    reviewer: str = ""  # the reviewer, or an imported fact-check's author / speaker
    date: str = ""
    url: str | None = None
    source: str = ""  # the article's name, or the imported file
    article_id: str | None = None
    claim_key: str | None = None
    added_at: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    def headline(self) -> str:
        """One line for a reviewer: 'refuted — by ana on 2026-11-29: “wrong year”'."""
        parts = [self.verdict or "no verdict"]
        who = f"by {self.reviewer}" if self.reviewer else ""
        when = f"on {self.date[:10]}" if self.date else ""
        if who or when:
            parts.append(" ".join(p for p in (who, when) if p))
        line = " — ".join(parts)
        return f"{line}: “{self.note.strip()[:120]}”" if self.note.strip() else line


@dataclass
class Match:
    """An archived claim matched to an incoming one, and what to do with it."""

    query: str
    archived: ArchivedClaim
    similarity: float
    kind: str  # "linked" | "suggested" | "confirmed" (a suggestion the reviewer accepted)
    candidate: MatchCandidate | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        return {"query": self.query, "kind": self.kind, "similarity": round(self.similarity, 4),
                "archived": self.archived.to_dict()}


@dataclass
class ArchiveFilter:
    """Which archived claims a listing shows (every field optional)."""

    flag: str | None = None
    reviewer: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None
    source: str | None = None  # substring of the article name or imported file
    article_id: str | None = None
    origin: str | None = None


class Archive(KeptInReviewDatabase):
    """The archive of checked claims: rows of the review database (SQLite or PostgreSQL) plus the matching index."""

    def __init__(self, settings: Settings | None = None, *, embeddings=None,
                 thresholds: MatchThresholds | None = None, index: ClaimIndex | None = None) -> None:
        self.settings = settings or Settings()
        self._embeddings = embeddings
        self._thresholds = thresholds
        self._index = index
        self.database = open_database(self.settings.reviews, "Cannot open the archive")

    @property
    def index(self) -> ClaimIndex:
        """The matching index beside the evidence store (opened on first use)."""
        if self._index is None:
            thresholds = self._thresholds or (MatchThresholds.load(self.settings.match_thresholds)
                                              if self.settings.match_thresholds else None)
            self._index = ClaimIndex(self.settings.store, self.settings.collection, embeddings=self._embeddings,
                                     thresholds=thresholds)
        return self._index

    # -- writing -------------------------------------------------------------------------------
    def _upsert(self, claims: Sequence[ArchivedClaim]) -> None:
        with self.database.errors("Archiving the claims"), self.database.write() as conn:
            self.database.upsert(conn, t.archive_claims, [claim.to_dict() for claim in claims])

    def record_review(self, review, text: str, source: str = "") -> ArchivedClaim | None:
        """Archive (or update) the claim a saved review judged; a review emptied again leaves the archive."""
        claim_id = review_claim_id(review.article_id, review.claim_key)
        if review.is_empty:
            self.forget([claim_id])
            return None
        archived = ArchivedClaim(claim_id=claim_id, origin=REVIEW_ORIGIN, text=text, verdict=review.flag,
                                 note=review.note, reviewer=review.reviewer, date=review.updated_at or _now(),
                                 source=source, article_id=review.article_id, claim_key=review.claim_key,
                                 added_at=_now())
        self._upsert([archived])
        self.index.add([IndexedClaim(claim_id, text, origin=REVIEW_ORIGIN)])
        return archived

    def forget(self, claim_ids: Sequence[str]) -> None:
        with self.database.errors("Removing archived claims"), self.database.write() as conn:
            conn.execute(delete(t.archive_claims).where(t.archive_claims.c.claim_id.in_(list(claim_ids))))
        self.index.remove(list(claim_ids))

    def import_file(self, path: str | Path, vectors=None) -> int:
        """Import published fact-checks from a JSON Lines file in CheckThat!'s ``vclaims.jsonl`` shape.

        Each line needs ``id`` and ``claim``; ``title``, ``rating``, ``date``, ``url``, ``author`` or
        ``speaker`` are kept when present. Every line is checked before anything is written.
        """
        path = Path(path)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"Cannot read {path} ({exc}) — pass a UTF-8 JSON Lines file") from exc
        claims, now = [], _now()
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{path}:{number} is not JSON ({exc.args[0]}) — nothing was imported") from exc
            if not isinstance(row, dict) or not str(row.get("claim") or "").strip() or not row.get("id"):
                raise InputError(f"{path}:{number} needs an \"id\" and a \"claim\" — nothing was imported")
            claims.append(ArchivedClaim(
                claim_id=f"import:{row['id']}", origin="import", text=str(row["claim"]).strip(),
                title=row.get("title") or None, verdict=row.get("rating") or None,
                reviewer=str(row.get("author") or row.get("speaker") or ""), date=str(row.get("date") or ""),
                url=row.get("url") or None, source=path.name, added_at=now))
        if not claims:
            raise InputError(f"{path} holds no fact-checks — expected one {{\"id\", \"claim\", ...}} object a line")
        self._upsert(claims)
        self.index.add([IndexedClaim(c.claim_id, c.text, c.title, origin="import") for c in claims], vectors)
        return len(claims)

    def decide(self, query: str, claim_id: str, decision: str, reviewer: str) -> None:
        """Store a reviewer's answer to a suggested match: ``confirmed`` or ``rejected``."""
        if decision not in DECISIONS:
            raise ReviewError(f"Unknown decision {decision!r} — use confirmed or rejected")
        if not reviewer.strip():
            raise ReviewError("Say who you are before deciding on a match — enter your name as reviewer")
        with self.database.errors("Keeping your decision"), self.database.write() as conn:
            self.database.upsert(conn, t.match_decisions, {
                "query_key": query_key(query), "claim_id": claim_id, "decision": decision, "query_text": query,
                "reviewer": reviewer.strip(), "decided_at": _now()})

    def decisions(self, query: str) -> dict[str, str]:
        decisions = t.match_decisions
        with self.database.errors("Reading match decisions"), self.database.read() as conn:
            rows = conn.execute(select(decisions.c.claim_id, decisions.c.decision)
                                .where(decisions.c.query_key == query_key(query))).all()
        return {r.claim_id: r.decision for r in rows}

    # -- reading -------------------------------------------------------------------------------
    @staticmethod
    def _row(row) -> ArchivedClaim:
        return ArchivedClaim(**{name: row[name] for name in ArchivedClaim.__dataclass_fields__})

    def get(self, claim_ids: Sequence[str]) -> dict[str, ArchivedClaim]:
        found: dict[str, ArchivedClaim] = {}
        ids = list(claim_ids)
        claims = t.archive_claims
        with self.database.errors("Reading the archive"), self.database.read() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                rows = conn.execute(select(claims).where(claims.c.claim_id.in_(chunk))).mappings().all()
                found.update((r["claim_id"], self._row(r)) for r in rows)
        return found

    def __len__(self) -> int:
        with self.database.errors("Reading the archive"), self.database.read() as conn:
            return conn.execute(select(func.count()).select_from(t.archive_claims)).scalar()

    def list(self, filters: ArchiveFilter | None = None, limit: int | None = None) -> list[ArchivedClaim]:
        """Archived claims that pass ``filters``, newest first."""
        filters = filters or ArchiveFilter()
        claims = t.archive_claims
        query = select(claims)
        for column, value in ((claims.c.verdict, filters.flag), (claims.c.reviewer, filters.reviewer),
                              (claims.c.article_id, filters.article_id), (claims.c.origin, filters.origin)):
            if value:
                query = query.where(column == value)
        day = func.substr(claims.c.date, 1, 10)
        if filters.since:
            query = query.where(day >= filters.since[:10])
        if filters.until:
            query = query.where(day <= filters.until[:10])
        if filters.source:  # a substring, case-insensitive as SQLite's LIKE always was
            query = query.where(claims.c.source.icontains(filters.source, autoescape=True))
        query = query.order_by(claims.c.date.desc(), claims.c.claim_id)
        if limit:
            query = query.limit(int(limit))
        with self.database.errors("Reading the archive"), self.database.read() as conn:
            return [self._row(r) for r in conn.execute(query).mappings().all()]

    def search(self, query: str, filters: ArchiveFilter | None = None, k: int = 20) -> list[tuple[ArchivedClaim, float]]:
        """Archived claims closest to ``query`` (the same hybrid matching), with their similarity."""
        if not query.strip():
            return [(c, 0.0) for c in self.list(filters, limit=k)]
        candidates = self.index.search([query], k=k)[0]
        allowed = {c.claim_id: c for c in self.list(filters)} if filters else None
        found = self.get([c.claim_id for c in candidates])
        return [(allowed[c.claim_id] if allowed is not None else found[c.claim_id], c.similarity)
                for c in candidates if c.claim_id in found and (allowed is None or c.claim_id in allowed)]

    def match_claims(self, claims, k: int = 3) -> list[list[Match]]:
        """``match`` for extracted claims, by their standalone text (else their text)."""
        from factcheck.memory.record import matching_text

        return self.match([matching_text(c) for c in claims], k=k)

    def match(self, queries: Sequence[str], k: int = 3, exclude: Sequence[str | None] = ()) -> list[list[Match]]:
        """Earlier checks of each query: linked above the high threshold, suggested between the two.

        A pair the reviewer rejected is left out; one they confirmed is kept as ``confirmed``. ``exclude``
        gives, per query, an archive id to leave out (the claim's own review).
        """
        if not queries:
            return []
        if len(self) == 0:  # nothing archived yet: leave the store untouched (it may be read-only)
            return [[] for _ in queries]
        thresholds = self.index.thresholds
        candidates = self.index.search(list(queries), k=k)
        archived = self.get(sorted({c.claim_id for hits in candidates for c in hits}))
        results = []
        for n, (query, hits) in enumerate(zip(queries, candidates)):
            own = exclude[n] if n < len(exclude) else None
            decided = self.decisions(query)
            matches = []
            for candidate in hits:
                if candidate.claim_id == own or candidate.claim_id not in archived:
                    continue
                decision = decided.get(candidate.claim_id)
                if decision == "rejected":
                    continue
                kind = "confirmed" if decision == "confirmed" else thresholds.decide(candidate.similarity)
                if kind is None:
                    continue
                matches.append(Match(query, archived[candidate.claim_id], candidate.similarity, kind, candidate))
            results.append(matches)
        return results


__all__ = ["Archive", "ArchiveFilter", "ArchivedClaim", "Match", "LINKED", "SUGGESTED", "normalise", "query_key",
           "review_claim_id"]
