"""Export a reviewed article: JSON, CSV, a Markdown report, and schema.org ClaimReview JSON-LD.

>>> article = ReviewedArticle.build(report, reviews.for_article(article_id(report.text)), ArticleMeta(...))
>>> jsonld = to_claimreview_jsonld(article)
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from factcheck.claims.extract import Claim, Cue
from factcheck.report import ClaimResult, Report
from factcheck.review.store import FLAG_LABELS, Review, article_id
from factcheck.verdict import Evidence, Verdict

# Flags that sit on a true/false scale get a number too (5 best); the rest are described in words only.
RATING_VALUES = {"supported": 5, "misleading": 2, "refuted": 1}
CLAIMREVIEW_REQUIRED = ("claimReviewed", "reviewRating", "url", "author")

CSV_COLUMNS = (
    "article_id", "claim_key", "claim_id", "start", "end", "claim", "status", "source", "checkworthy",
    "verdict", "confidence", "supporting", "conflicting", "flag", "note", "reviewer", "reviewed_at",
    "review_version", "pinned_evidence", "dismissed_evidence",
)


@dataclass
class ArticleMeta:
    """What the reviewer knows about the article and who publishes the review (for ClaimReview)."""

    title: str | None = None
    url: str | None = None  # where the article appeared
    author: str | None = None  # the article's byline
    date_published: str | None = None  # the article's date, ISO 8601
    organisation: str = "factcheck review desk"  # who publishes the fact-check
    review_url: str | None = None  # the fact-check's own page

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ReviewedClaim:
    """One claim, the machine's verdict and evidence, and the reviewer's judgement on it."""

    key: str
    result: ClaimResult
    review: Review

    @property
    def visible_evidence(self) -> list[Evidence]:
        """Evidence the reviewer has not dismissed, pinned first."""
        pinned = [e for e in self.result.evidence if e.passage_id in self.review.pinned]
        rest = [e for e in self.result.evidence
                if e.passage_id not in self.review.pinned and e.passage_id not in self.review.dismissed]
        return pinned + rest

    def to_dict(self) -> dict:
        return {"key": self.key, "claim": self.result.claim.to_dict(), "verdict": self.result.verdict.to_dict(),
                "evidence": [e.to_dict() for e in self.result.evidence], "review": self.review.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping) -> "ReviewedClaim":
        claim_data = dict(data["claim"])
        claim_data["cues"] = [Cue(**c) for c in claim_data.get("cues", [])]
        result = ClaimResult(claim=Claim(**claim_data), verdict=Verdict(**data["verdict"]),
                             evidence=[Evidence(**e) for e in data["evidence"]])
        return cls(key=data["key"], result=result, review=Review(**data["review"]))


@dataclass
class ReviewedArticle:
    """A checked article with every claim's review: what all exporters read."""

    article_id: str
    input: str
    text: str
    meta: ArticleMeta
    claims: list[ReviewedClaim]
    exported_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @classmethod
    def build(cls, report: Report, reviews: Mapping[str, Review], meta: ArticleMeta | None = None) -> "ReviewedArticle":
        """Join a report with its saved reviews (claims without one get an empty review)."""
        aid = article_id(report.text)
        claims = []
        for result in report.claims:
            key = report.review_key(result)
            claims.append(ReviewedClaim(key=key, result=result,
                                        review=reviews.get(key) or Review(article_id=aid, claim_key=key)))
        return cls(article_id=aid, input=report.input, text=report.text, meta=meta or ArticleMeta(), claims=claims)

    @property
    def checkworthy(self) -> list[ReviewedClaim]:
        """Check-worthy claims, plus any other claim a reviewer has flagged or annotated."""
        return [c for c in self.claims if c.result.claim.checkworthy or not c.review.is_empty]

    @property
    def flagged(self) -> list[ReviewedClaim]:
        return [c for c in self.claims if c.review.flag]

    def to_dict(self) -> dict:
        return {"article_id": self.article_id, "input": self.input, "text": self.text, "meta": self.meta.to_dict(),
                "exported_at": self.exported_at, "claims": [c.to_dict() for c in self.claims]}

    @classmethod
    def from_dict(cls, data: Mapping) -> "ReviewedArticle":
        return cls(article_id=data["article_id"], input=data["input"], text=data["text"],
                   meta=ArticleMeta(**data["meta"]), claims=[ReviewedClaim.from_dict(c) for c in data["claims"]],
                   exported_at=data["exported_at"])


# -- JSON and CSV --------------------------------------------------------------------------------
def to_json(article: ReviewedArticle) -> str:
    """Everything: the article, each claim with its evidence, verdict and review (``ReviewedArticle.from_dict`` reads it)."""
    return json.dumps(article.to_dict(), ensure_ascii=False, indent=2)


def _evidence_labels(claim: ReviewedClaim, ids: list[str]) -> str:
    by_id = {e.passage_id: e for e in claim.result.evidence}
    return "; ".join((by_id[i].title or by_id[i].source) if i in by_id else i for i in ids)


def to_csv(article: ReviewedArticle) -> str:
    """One row per check-worthy (or reviewed) claim, for spreadsheets."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in article.checkworthy:
        claim, verdict, review = item.result.claim, item.result.verdict, item.review
        writer.writerow({
            "article_id": article.article_id, "claim_key": item.key, "claim_id": claim.id, "start": claim.start,
            "end": claim.end, "claim": claim.text, "status": claim.status, "source": claim.source or "",
            "checkworthy": claim.checkworthy, "verdict": verdict.label, "confidence": verdict.confidence,
            "supporting": len(item.result.supporting_evidence), "conflicting": len(item.result.refuting_evidence),
            "flag": review.flag or "", "note": review.note, "reviewer": review.reviewer,
            "reviewed_at": review.updated_at, "review_version": review.version,
            "pinned_evidence": _evidence_labels(item, review.pinned),
            "dismissed_evidence": _evidence_labels(item, review.dismissed),
        })
    return out.getvalue()


# -- Markdown ------------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md(text: str | None) -> str:
    """Escape document-derived text so a Markdown renderer never reads it as markup or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", text or "").replace("\n", " ")


def _evidence_line(evidence: Evidence, mark: str = "") -> str:
    where = _md(evidence.title or evidence.source)
    extra = ", ".join(_md(x) for x in (evidence.publisher, evidence.date) if x)
    counts = ", counts towards the verdict" if evidence.counts else ""
    line = f"- {mark}*{evidence.stance}* ({evidence.score:.2f}{counts}) — {where}" + (f" ({extra})" if extra else "")
    line += f": “{_md(evidence.sentence)}”"
    if evidence.reason:
        line += f" — {_md(evidence.reason)}"
    if evidence.url:
        line += f" <{evidence.url}>" if evidence.url.startswith(("http://", "https://")) else ""
    return line


def to_markdown(article: ReviewedArticle) -> str:
    """A readable report: each check-worthy claim with the reviewer's flag and note, then its evidence."""
    meta = article.meta
    lines = [f"# Fact-check: {_md(meta.title or article.input)}", ""]
    facts = [f"Article `{article.article_id}`"]
    if meta.url:
        facts.append(f"<{meta.url}>")
    if meta.author:
        facts.append(f"by {_md(meta.author)}")
    if meta.date_published:
        facts.append(_md(meta.date_published))
    lines += [" · ".join(facts), "", f"Reviewed by {_md(meta.organisation)}; exported {article.exported_at}.", ""]
    items = article.checkworthy
    reviewed = [c for c in items if c.review.flag]
    lines += [f"{len(reviewed)} of {len(items)} check-worthy claims reviewed.", ""]
    for item in items:
        claim, verdict, review = item.result.claim, item.result.verdict, item.review
        flag = FLAG_LABELS[review.flag] if review.flag else "Not reviewed"
        lines += [f"## {claim.id} — {flag}", "", f"> {_md(claim.text)}", ""]
        status = claim.status + (f" by {_md(claim.source)}" if claim.source else "")
        lines.append(f"- **Status in the article:** {status}")
        lines.append(f"- **Machine verdict:** {verdict.label.replace('_', ' ')} ({verdict.confidence:.2f})")
        if review.flag:
            lines.append(f"- **Reviewer:** {_md(review.reviewer)}, {review.updated_at} (version {review.version})")
        if review.note.strip():
            lines.append(f"- **Note:** {_md(review.note.strip())}")
        pinned = [e for e in item.result.evidence if e.passage_id in review.pinned]
        shown = [e for e in item.visible_evidence if e.stance != "neutral" and e not in pinned]
        if pinned or shown:
            lines += ["", "Evidence:", ""]
            lines += [_evidence_line(e, "📌 ") for e in pinned]
            lines += [_evidence_line(e) for e in shown]
        lines.append("")
    return "\n".join(lines)


# -- schema.org ClaimReview ----------------------------------------------------------------------
_ORG_WORDS = re.compile(
    r"\b(the|ministry|government|kremlin|council|agency|office|house|department|nations|news|ria|tass|"
    r"reuters|washington|moscow|pyongyang|seoul|beijing|kyiv|army|military|party|committee|institute|"
    r"university|union|bank|fund)\b", re.IGNORECASE)


def _author(name: str) -> dict:
    """A schema.org author; institutions and capitals speaking for governments are Organizations."""
    kind = "Organization" if _ORG_WORDS.search(name) or len(name.split()) == 1 else "Person"
    return {"@type": kind, "name": name}


def _date(value: str | None) -> str | None:
    return value[:10] if value else None


def claimreview(article: ReviewedArticle, item: ReviewedClaim) -> dict:
    """One ClaimReview object for a flagged claim."""
    meta, claim, review = article.meta, item.result.claim, item.review
    if not review.flag:
        raise ValueError(f"claim {claim.id} has no flag; only flagged claims have a ClaimReview")
    rating: dict = {"@type": "Rating", "alternateName": FLAG_LABELS[review.flag]}
    if review.flag in RATING_VALUES:
        rating.update(ratingValue=RATING_VALUES[review.flag], bestRating=5, worstRating=1)
    if review.note.strip():
        rating["ratingExplanation"] = review.note.strip()
    item_reviewed: dict = {"@type": "Claim"}
    claim_author = claim.source or meta.author
    if claim_author:
        item_reviewed["author"] = _author(claim_author)
    if meta.date_published:
        item_reviewed["datePublished"] = _date(meta.date_published)
    if meta.url or meta.title:
        appearance = {"@type": "CreativeWork"}
        if meta.url:
            appearance["url"] = meta.url
        if meta.title:
            appearance["headline"] = meta.title
        item_reviewed["appearance"] = appearance
    data: dict = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim.text,
        "reviewRating": rating,
        "itemReviewed": item_reviewed,
        "author": {"@type": "Organization", "name": meta.organisation},
        "datePublished": _date(review.updated_at) or _date(article.exported_at),
    }
    if meta.review_url:
        data["url"] = f"{meta.review_url}#{item.key}"
    return data


def to_claimreview(article: ReviewedArticle) -> list[dict]:
    """ClaimReview objects for every flagged claim, in text order."""
    return [claimreview(article, item) for item in article.flagged]


def to_claimreview_jsonld(article: ReviewedArticle) -> str:
    """ClaimReview JSON-LD to paste into a page's ``<script type="application/ld+json">``."""
    text = json.dumps(to_claimreview(article), ensure_ascii=False, indent=2)
    # "</" inside a script element would end it early; JSON allows the escaped form.
    return text.replace("</", "<\\/")


def claimreview_problems(data: Mapping) -> list[str]:
    """What a ClaimReview object lacks for publication (Google's required fields), as messages."""
    problems = []
    if data.get("@type") != "ClaimReview":
        problems.append("@type must be ClaimReview")
    for name in CLAIMREVIEW_REQUIRED:
        if not data.get(name):
            hint = " — fill in the fact-check's URL" if name == "url" else ""
            problems.append(f"missing {name}{hint}")
    rating = data.get("reviewRating") or {}
    if rating and not rating.get("alternateName"):
        problems.append("reviewRating needs an alternateName")
    if "ratingValue" in rating and not rating.get("worstRating", 1) <= rating["ratingValue"] <= rating.get("bestRating", 5):
        problems.append("reviewRating.ratingValue is outside worstRating..bestRating")
    author = data.get("author") or {}
    if author and not author.get("name"):
        problems.append("author needs a name")
    return problems


@dataclass
class Exporter:
    """One export format: its label, file suffix, MIME type and function."""

    label: str
    suffix: str
    mime: str
    render: Callable[[ReviewedArticle], str]
    language: str  # for syntax highlighting in previews


EXPORTERS: dict[str, Exporter] = {
    "json": Exporter("JSON", ".json", "application/json", to_json, "json"),
    "csv": Exporter("CSV", ".csv", "text/csv", to_csv, "text"),
    "markdown": Exporter("Markdown report", ".md", "text/markdown", to_markdown, "markdown"),
    "claimreview": Exporter("ClaimReview JSON-LD", ".jsonld", "application/ld+json", to_claimreview_jsonld, "json"),
}
