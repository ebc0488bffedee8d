"""Moving through an article: claims numbered as the reader sees them, filters, the next claim to review.

Pure functions over a ``Report`` and its reviews (no Streamlit), so the desk's lists are testable alone.
Claim ids stay what the library made them (``c3``); only the numbers shown to the reader are these.
"""

from __future__ import annotations

from collections.abc import Mapping

from factcheck import ClaimResult, Report
from factcheck.review.store import Review

# What the claim list can be narrowed to, in the order offered (verdict labels follow these).
FILTERS = {"all": "All claims", "unreviewed": "Unreviewed", "flagged": "Flagged"}
VERDICT_FILTERS = {"supported": "Supported", "refuted": "Refuted", "conflicting": "Conflicting",
                   "not_enough_evidence": "Not enough evidence"}


def claim_numbers(report: Report) -> dict[str, int]:
    """Claim id -> the number a reader sees: check-worthy claims counted 1, 2, 3… in reading order."""
    ordered = sorted(report.shown, key=lambda r: (r.claim.start, r.claim.end))
    return {result.claim.id: n for n, result in enumerate(ordered, start=1)}


def is_flagged(reviews: Mapping[str, Review], result: ClaimResult) -> bool:
    review = reviews.get(result.claim.id)
    return bool(review and review.flag)


def filter_claims(report: Report, reviews: Mapping[str, Review], which: str, show_all: bool = False) -> list[ClaimResult]:
    """The claims the list shows: ``all``, ``unreviewed`` (no flag yet), ``flagged``, or a verdict label
    (the model's). ``reviews``: claim id -> Review (``ReviewStore.for_claims``).

    Sentences that are not check-worthy only appear under ``all`` with ``show_all``.
    """
    results = report.claims if show_all and which == "all" else report.shown
    if which == "all":
        return list(results)
    if which == "unreviewed":
        return [r for r in results if not is_flagged(reviews, r)]
    if which == "flagged":
        return [r for r in results if is_flagged(reviews, r)]
    if which in VERDICT_FILTERS:
        return [r for r in results if r.verdict.label == which]
    raise ValueError(f"unknown claim filter {which!r}; expected one of {', '.join([*FILTERS, *VERDICT_FILTERS])}")


def next_unreviewed(report: Report, reviews: Mapping[str, Review], after: str | None) -> str | None:
    """The id of the first check-worthy claim without a flag after ``after`` (wrapping round), else None."""
    numbers = claim_numbers(report)
    ordered = sorted(report.shown, key=lambda r: numbers[r.claim.id])
    start = next((i + 1 for i, r in enumerate(ordered) if r.claim.id == after), 0)
    for result in ordered[start:] + ordered[:start]:
        if result.claim.id != after and not is_flagged(reviews, result):
            return result.claim.id
    return None
