"""Evidence snapshots: what a reviewer saw when they saved a verdict, and what has changed since.

Every review save writes one snapshot (table ``evidence_snapshots`` in the review database): for each
evidence item its passage text, document id, source, content hash, stance and score, plus the claim's
verdict and the model and calibration versions. ``recheck_diff`` compares a snapshot with a fresh check
and the store as it is now, so a published verdict can be audited and replayed.

>>> snapshots = SnapshotStore(settings.reviews)
>>> snapshots.record(saved_review, result)          # the one line the save path calls
>>> recheck_diff(snapshots.latest(aid, key), fresh_result, store).summary()
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import insert, select

from factcheck.errors import ReviewError
from factcheck.resources import CALIBRATION_FILE, STANCE_MODEL_DIR
from factcheck.review.database import KeptInReviewDatabase, open_database
from factcheck.review.schema import evidence_snapshots

FORMAT = 1


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@functools.cache
def _file_version(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return "missing"


def model_versions() -> dict[str, str]:
    """Short content hashes of the shipped stance model and its calibration."""
    return {"stance_model": _file_version(STANCE_MODEL_DIR / "delta.safetensors"),
            "calibration": _file_version(CALIBRATION_FILE)}


@dataclass
class EvidenceItem:
    """One evidence passage as the reviewer saw it."""

    passage_id: str
    doc_id: str
    source: str
    passage: str
    content_hash: str
    stance: str
    score: float
    similarity: float

    @classmethod
    def from_evidence(cls, evidence) -> "EvidenceItem":
        return cls(passage_id=evidence.passage_id, doc_id=evidence.doc_id, source=evidence.source,
                   passage=evidence.passage, content_hash=content_hash(evidence.passage), stance=evidence.stance,
                   score=round(float(evidence.score), 4), similarity=round(float(evidence.similarity), 4))


@dataclass
class Snapshot:
    """The evidence, verdict and model versions behind one saved review version."""

    article_id: str
    claim_key: str
    review_version: int
    saved_at: str
    claim: str
    verdict: str
    confidence: float
    flag: str | None
    evidence: list[EvidenceItem]
    versions: dict[str, str] = field(default_factory=dict)
    format: int = FORMAT

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Snapshot":
        data = dict(data)
        data["evidence"] = [EvidenceItem(**item) for item in data.get("evidence", [])]
        return cls(**data)


def snapshot_of(review, result) -> Snapshot:
    """The snapshot of a saved ``review`` of ``result`` (a ``ClaimResult``)."""
    return Snapshot(article_id=review.article_id, claim_key=review.claim_key, review_version=review.version,
                    saved_at=review.updated_at, claim=result.claim.text, verdict=result.verdict.label,
                    confidence=round(float(result.verdict.confidence), 4), flag=review.flag,
                    evidence=[EvidenceItem.from_evidence(e) for e in result.evidence], versions=model_versions())


@dataclass
class RecheckDiff:
    """What changed between a snapshot and now."""

    removed: list[EvidenceItem]  # documents no longer in the store
    edited: list[EvidenceItem]  # passages whose text is no longer in the store as it was
    new: list[dict]  # evidence the check retrieves now that the reviewer did not see
    verdict_then: str
    verdict_now: str
    versions_then: dict[str, str]
    versions_now: dict[str, str]

    @property
    def verdict_changed(self) -> bool:
        return self.verdict_then != self.verdict_now

    @property
    def models_changed(self) -> bool:
        return self.versions_then != self.versions_now

    @property
    def unchanged(self) -> bool:
        return not (self.removed or self.edited or self.new or self.verdict_changed or self.models_changed)

    def summary(self) -> str:
        """One line: what changed since the review was saved."""
        if self.unchanged:
            return "Nothing changed since this review was saved"
        parts = []
        if self.removed:
            parts.append(f"{len(self.removed)} document(s) removed")
        if self.edited:
            parts.append(f"{len(self.edited)} passage(s) edited")
        if self.new:
            parts.append(f"{len(self.new)} new evidence passage(s)")
        if self.verdict_changed:
            parts.append(f"verdict {self.verdict_then} → {self.verdict_now}")
        if self.models_changed:
            parts.append("model or calibration changed")
        return "Since saved: " + "; ".join(parts)

    def to_dict(self) -> dict:
        return {"removed": [asdict(e) for e in self.removed], "edited": [asdict(e) for e in self.edited],
                "new": self.new, "verdict_then": self.verdict_then, "verdict_now": self.verdict_now,
                "versions_then": self.versions_then, "versions_now": self.versions_now, "summary": self.summary()}


def recheck_diff(snapshot: Snapshot, current, store) -> RecheckDiff:
    """Compare ``snapshot`` with ``current`` (a fresh ``ClaimResult`` for the claim) and the store now."""
    stored = {p.id: p for p in store.passages([e.passage_id for e in snapshot.evidence if e.passage_id])}
    removed, edited = [], []
    for item in snapshot.evidence:
        passage = stored.get(item.passage_id)
        if passage is None:
            if store.ids_for_doc(item.doc_id):
                edited.append(item)  # the document is there, this passage of it is not: re-ingested with edits
            else:
                removed.append(item)
        elif content_hash(passage.text) != item.content_hash:
            edited.append(item)
    seen = {item.content_hash for item in snapshot.evidence}
    new = [{"passage_id": e.passage_id, "doc_id": e.doc_id, "source": e.source, "stance": e.stance,
            "score": round(float(e.score), 4), "passage": e.passage}
           for e in current.evidence if content_hash(e.passage) not in seen]
    return RecheckDiff(removed=removed, edited=edited, new=new, verdict_then=snapshot.verdict,
                       verdict_now=current.verdict.label, versions_then=snapshot.versions,
                       versions_now=model_versions())


class SnapshotStore(KeptInReviewDatabase):
    """Snapshots in the review database, one per saved review version."""

    def __init__(self, path: str | Path) -> None:
        self.database = open_database(path, "Cannot open evidence snapshots")

    def record(self, review, result) -> Snapshot:
        """Store what the reviewer saw when saving ``review`` (a saved ``Review``) of ``result``."""
        snapshot = snapshot_of(review, result)
        with self.database.errors("Keeping the evidence snapshot"), self.database.write() as conn:
            conn.execute(insert(evidence_snapshots).values(
                article_id=snapshot.article_id, claim_key=snapshot.claim_key, review_version=snapshot.review_version,
                saved_at=snapshot.saved_at, body=json.dumps(snapshot.to_dict())))
        return snapshot

    def _rows(self, article: str, key: str, newest_only: bool = False) -> list:
        snapshots = evidence_snapshots
        query = (select(snapshots.c.review_version, snapshots.c.body)
                 .where(snapshots.c.article_id == article, snapshots.c.claim_key == key))
        query = query.order_by(snapshots.c.id.desc()).limit(1) if newest_only else query.order_by(snapshots.c.id)
        with self.database.errors("Reading evidence snapshots"), self.database.read() as conn:
            return conn.execute(query).all()

    def _decode(self, body: str, where: str) -> Snapshot:
        try:
            return Snapshot.from_dict(json.loads(body))
        except (ValueError, TypeError, KeyError) as exc:
            raise ReviewError(f"The evidence snapshot of {where} is corrupt ({exc}) — its review still "
                              "stands; save the review again to take a new snapshot") from exc

    def history(self, article: str, key: str) -> list[Snapshot]:
        """Every snapshot of one claim's review, oldest first."""
        rows = self._rows(article, key)
        return [self._decode(body, f"{article}/{key} version {version}") for version, body in rows]

    def latest(self, article: str, key: str) -> Snapshot | None:
        rows = self._rows(article, key, newest_only=True)
        return self._decode(rows[0][1], f"{article}/{key} version {rows[0][0]}") if rows else None
