"""Export a selection of the archive: CSV, JSON, or schema.org ClaimReview JSON-LD.

>>> archive_export(archive.list(ArchiveFilter(flag="refuted")), "claimreview")
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from factcheck.errors import InputError
from factcheck.memory.archive import ArchivedClaim
from factcheck.review.export import FLAG_LABELS, RATING_VALUES

FORMATS = ("csv", "json", "claimreview")
COLUMNS = tuple(ArchivedClaim.__dataclass_fields__)


def _claimreview(claim: ArchivedClaim, organisation: str) -> dict:
    rating: dict = {"@type": "Rating", "alternateName": FLAG_LABELS.get(claim.verdict or "", claim.verdict or "")}
    if claim.verdict in RATING_VALUES:
        rating.update(ratingValue=RATING_VALUES[claim.verdict], bestRating=5, worstRating=1)
    if claim.note.strip():
        rating["ratingExplanation"] = claim.note.strip()
    data = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim.text,
        "reviewRating": rating,
        "itemReviewed": {"@type": "Claim", **({"appearance": {"@type": "CreativeWork", "headline": claim.source}}
                                              if claim.source else {})},
        "author": {"@type": "Organization", "name": organisation},
    }
    if claim.date:
        data["datePublished"] = claim.date[:10]
    if claim.url:
        data["url"] = claim.url
    return data


def archive_export(claims: Sequence[ArchivedClaim], fmt: str, organisation: str = "factcheck review desk") -> str:
    """The claims as ``csv``, ``json`` (a list of objects) or ``claimreview`` (JSON-LD of those with a verdict)."""
    if fmt not in FORMATS:
        raise InputError(f"Unknown export format {fmt!r} — use one of {', '.join(FORMATS)}")
    if not claims:
        raise InputError("Nothing to export: no archived claim matches — review a claim or widen the filters")
    if fmt == "json":
        return json.dumps([c.to_dict() for c in claims], ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(c.to_dict() for c in claims)
        return out.getvalue()
    judged = [c for c in claims if c.verdict]
    if not judged:
        raise InputError("Nothing to export as ClaimReview: none of the selected claims has a verdict")
    return json.dumps([_claimreview(c, organisation) for c in judged], ensure_ascii=False, indent=2).replace(
        "</", "<\\/")
