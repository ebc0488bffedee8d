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


def reviewed_claim(report, article: str, review, reviews):
    """The claim of ``report`` (article ``article``) that the saved ``review`` follows, or None.

    Found as ``ReviewStore.for_claims`` attaches reviews, so a review saved on an earlier version of the
    article (another article id, an older key, a changed wording) still finds its claim in this one.
    """
    attached = reviews.for_claims(article, [r.claim for r in report.claims], report.text)
    wanted = (review.article_id, review.claim_key)
    return next((r for r in report.claims
                 if (attached[r.claim.id].article_id, attached[r.claim.id].claim_key) == wanted), None)


def remember_saved(settings: Settings, report, article: str, review, reviews=None,
                   archive: Archive | None = None) -> Snapshot | None:
    """``remember_review`` for a review just saved while ``report`` (article ``article``) is open.

    Returns None, and archives nothing, when no claim of the report carries the review.

    >>> saved = reviews.save(attached["c4"], reviewer="ana")
    >>> remember_saved(settings, report, aid, saved, reviews)
    """
    from factcheck.review.store import ReviewStore

    result = reviewed_claim(report, article, review, reviews or ReviewStore(settings.reviews))
    if result is None:
        log.warning("no claim of %s carries the review %s/%s: not archived", report.input, review.article_id,
                    review.claim_key)
        return None
    return remember_review(settings, review, result, source=report.input, archive=archive)
