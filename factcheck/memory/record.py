"""The one call the review save path makes: archive the reviewed claim and snapshot its evidence."""

from __future__ import annotations

import logging

from factcheck.memory.archive import Archive
from factcheck.memory.snapshots import Snapshot, SnapshotStore
from factcheck.settings import Settings

log = logging.getLogger(__name__)


def matching_text(claim) -> str:
    """What a claim is matched by: its standalone text when extraction wrote one, else its text."""
    return (claim.query or claim.text).strip()


def remember_review(settings: Settings, review, result, source: str = "", archive: Archive | None = None) -> Snapshot:
    """After ``review`` (as saved) of ``result`` (a ``ClaimResult``): snapshot the evidence, update the archive.

    >>> saved = reviews.save(review, reviewer="ana")
    >>> remember_review(settings, saved, result, source="article.txt")
    """
    snapshot = SnapshotStore(settings.reviews).record(review, result)
    (archive or Archive(settings)).record_review(review, matching_text(result.claim), source=source)
    return snapshot
