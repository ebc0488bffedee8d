"""Export a reviewed article: JSON, CSV, a Markdown report, and schema.org ClaimReview JSON-LD.

Every exporter leads with the decision :func:`~factcheck.review.decision.reviewed_verdict` gives (the
reviewer's flag and evidence labels) and shows the model's verdict and stances beside it.

>>> attached = reviews.for_claims(aid, [r.claim for r in report.claims])
>>> article = ReviewedArticle.build(report, attached, ArticleMeta.load(reviews, aid, report.text))
>>> jsonld = to_claimreview_jsonld(article)
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone

from factcheck.claims.extract import Claim, Cue
from factcheck.report import ClaimResult, Report
from factcheck.review.decision import ReviewedVerdict, ShownEvidence, reviewed_verdict
from factcheck.review.follow import attach, review_key
from factcheck.review.store import FLAG_LABELS, Review, ReviewStore, article_id, claim_key
from factcheck.verdict import Evidence, Verdict

# Flags that sit on a true/false scale get a number too (5 best); the rest are described in words only.
RATING_VALUES = {"supported": 5, "misleading": 2, "refuted": 1}
CLAIMREVIEW_REQUIRED = ("claimReviewed", "reviewRating", "itemReviewed", "author", "datePublished", "url")
NOT_POSTABLE = "no url: this ClaimReview cannot be posted as is — fill in the URL of your fact-check"

# ``decision`` leads (the reviewer's flag, else the verdict their evidence labels give, else the model's);
# ``verdict`` and ``confidence`` stay the model's.
CSV_COLUMNS = (
    "article_id", "claim_key", "claim_id", "start", "end", "claim", "status", "source", "checkworthy",
    "decision", "decided_by", "verdict", "confidence", "supporting", "conflicting", "flag", "note",
    "public_summary", "reviewer", "reviewed_at", "review_version", "reviewed_as", "pinned_evidence",
    "dismissed_evidence", "relabelled_evidence", "opinion",
)
_SETTING_PUBLISHER = "publisher"
_PUBLISHER_FIELDS = ("organisation", "organisation_url")


@dataclass
class ArticleMeta:
    """What the reviewer knows about the article and who publishes the review (for ClaimReview)."""

    title: str | None = None
    url: str | None = None  # where the article appeared
    author: str | None = None  # the article's byline
    date_published: str | None = None  # the article's date, ISO 8601
    organisation: str = "factcheck review desk"  # who publishes the fact-check
    review_url: str | None = None  # the fact-check's own page
    organisation_url: str | None = None  # the publisher's home page

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def load(cls, store: ReviewStore, aid: str, text: str | None = None) -> "ArticleMeta":
        """What was saved for this article (any version) and its publisher; unsaved fields are pre-filled
        from the text: its first line as title, its byline as the claim's appearance author."""
        saved: dict = {}
        for version in store.versions(aid):
            saved.update(store.setting(_article_setting(version), {}))
        saved.update(store.setting(_SETTING_PUBLISHER, {}))
        known = {f.name for f in fields(cls)}
        meta = cls(**{k: v for k, v in saved.items() if k in known and v is not None})
        if text:
            meta.title = meta.title or _headline(text)
            meta.author = meta.author or byline(text)
        return meta

    def save(self, store: ReviewStore, aid: str) -> None:
        """Keep the publisher's details (for every article) and this article's details with the reviews."""
        data = self.to_dict()
        store.save_setting(_SETTING_PUBLISHER, {k: data[k] for k in _PUBLISHER_FIELDS})
        store.save_setting(_article_setting(store.versions(aid)[0]),
                           {k: v for k, v in data.items() if k not in _PUBLISHER_FIELDS})


def _article_setting(aid: str) -> str:
    return f"article:{aid}"


def _headline(text: str) -> str | None:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if 0 < len(line) <= 200 else None


_BYLINE = re.compile(r"^\s*(?:by|written by|author:)\s+([^|\n]{2,80}?)\s*(?:[|,]\s*.*)?$", re.IGNORECASE)
_FRONT_AUTHOR = re.compile(r"^author:\s*[\"']?([^\"'\n]{2,80})[\"']?\s*$", re.IGNORECASE | re.MULTILINE)


def byline(text: str) -> str | None:
    """The article's author, from a "By …" line near the top or an ``author:`` front-matter field."""
    front = _FRONT_AUTHOR.search(text[:2000])
    if front:
        return front.group(1).strip()
    for line in [line for line in text.splitlines() if line.strip()][:12]:
        match = _BYLINE.match(line)
        if match and match.group(1)[:1].isupper():
            return match.group(1).strip()
    return None


@dataclass
class ReviewedClaim:
    """One claim, the machine's verdict and evidence, and the reviewer's judgement on it."""

    key: str
    result: ClaimResult
    review: Review

    @property
    def decision(self) -> ReviewedVerdict:
        """What to show: the reviewer's decision leading, the model's beside it."""
        return reviewed_verdict(self.result, self.review)

    @property
    def reviewed_as(self) -> str | None:
        """The wording the review was made on, when the claim now reads differently."""
        return self.review.reviewed_as(self.result.claim.text)

    @property
    def visible_evidence(self) -> list[Evidence]:
        """Evidence the reviewer has not dismissed, pinned first."""
        pinned = [e for e in self.result.evidence if e.passage_id in self.review.pinned]
        rest = [e for e in self.result.evidence
                if e.passage_id not in self.review.pinned and e.passage_id not in self.review.dismissed]
        return pinned + rest

    def to_dict(self) -> dict:
        return {"key": self.key, "decision": self.decision.to_dict(), "claim": self.result.claim.to_dict(),
                "verdict": self.result.verdict.to_dict(), "evidence": [e.to_dict() for e in self.result.evidence],
                "review": self.review.to_dict(), "reviewed_as": self.reviewed_as}

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
        """Join a report with its reviews (claims without one get an empty review).

        ``reviews``: by claim id (``ReviewStore.for_claims``) or by review key (``ReviewStore.for_article``);
        reviews by key attach as ``for_claims`` attaches them (normalised text, first-schema key, wording).
        """
        aid = article_id(report.text)
        claims = [r.claim for r in report.claims]
        by_id = {c.id: reviews[c.id] for c in claims if c.id in reviews}
        legacy = {c.id: claim_key(c.id, report.text[c.start:c.end]) for c in claims}
        others = [r for k, r in reviews.items() if k not in by_id]
        found = {**attach([c for c in claims if c.id not in by_id], others, legacy), **by_id}
        items = []
        for result in report.claims:
            review = found.get(result.claim.id) or Review(
                article_id=aid, claim_key=review_key(result.claim.text, result.claim.status), claim_text=result.claim.text)
            items.append(ReviewedClaim(key=review.claim_key, result=result, review=review))
        return cls(article_id=aid, input=report.input, text=report.text, meta=meta or ArticleMeta(), claims=items)

    @property
    def checkworthy(self) -> list[ReviewedClaim]:
        """The claims a report lists (check-worthy ones and opinions whose speaker was checked), plus any other
        claim a reviewer has flagged or annotated."""
        return [c for c in self.claims if c.result.claim.checkworthy or not c.review.is_empty
                or (c.result.claim.opinion and c.result.facts)]

    @property
    def flagged(self) -> list[ReviewedClaim]:
        return [c for c in self.claims if c.review.flag]

    def get(self, claim_id: str) -> ReviewedClaim:
        for item in self.claims:
            if item.result.claim.id == claim_id:
                return item
        raise KeyError(claim_id)

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


def _relabel_labels(claim: ReviewedClaim) -> str:
    shown = [e for e in claim.decision.evidence if e.by_reviewer]
    return "; ".join(f"{e.evidence.title or e.evidence.source}: {e.describe()}" for e in shown)


def to_csv(article: ReviewedArticle) -> str:
    """One row per check-worthy (or reviewed) claim, for spreadsheets: the decision first, the model's beside it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in article.checkworthy:
        claim, verdict, review, decision = item.result.claim, item.result.verdict, item.review, item.decision
        writer.writerow({
            "article_id": article.article_id, "claim_key": item.key, "claim_id": claim.id, "start": claim.start,
            "end": claim.end, "claim": claim.text, "status": claim.status, "source": claim.source or "",
            "checkworthy": claim.checkworthy, "decision": decision.label, "decided_by": decision.decided_by,
            "verdict": verdict.label, "confidence": verdict.confidence,
            "supporting": len(decision.supporting), "conflicting": len(decision.refuting),
            "flag": review.flag or "", "note": review.note, "public_summary": review.public_summary,
            "reviewer": review.reviewer, "reviewed_at": review.updated_at, "review_version": review.version,
            "reviewed_as": item.reviewed_as or "",
            "pinned_evidence": _evidence_labels(item, review.pinned),
            "dismissed_evidence": _evidence_labels(item, review.dismissed),
            "opinion": claim.opinion,
            "relabelled_evidence": _relabel_labels(item),
        })
    return out.getvalue()


# -- Markdown ------------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _md(text: str | None) -> str:
    """Escape document-derived text so a Markdown renderer never reads it as markup or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", text or "").replace("\n", " ")


def _evidence_line(shown: ShownEvidence) -> str:
    evidence = shown.evidence
    where = _md(evidence.title or evidence.source)
    extra = ", ".join(_md(x) for x in (evidence.publisher, evidence.date) if x)
    counts = ", counts towards the decision" if shown.counts else ""
    if shown.by_reviewer:
        stance = f"*{shown.stance}* (reviewer; model: {evidence.stance} {evidence.score:.2f}{counts})"
    else:
        stance = f"*{shown.stance}* ({evidence.score:.2f}{counts})"
    line = f"- {'📌 ' if shown.pinned else ''}{stance} — {where}" + (f" ({extra})" if extra else "")
    line += f": “{_md(evidence.read_text)}”"
    if evidence.reason:
        line += f" — {_md(evidence.reason)}"
    if evidence.url and evidence.url.startswith(("http://", "https://")):
        line += f" <{evidence.url}>"
    return line


def to_markdown(article: ReviewedArticle) -> str:
    """A readable report: each check-worthy claim with the reviewer's decision leading, the model's beside it,
    the internal note and public summary, then the evidence as the reviewer labelled it."""
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
        claim, review, decision = item.result.claim, item.review, item.decision
        heading = decision.text if decision.by_reviewer else "Not reviewed"
        lines += [f"## {claim.id} — {heading}", "", f"> {_md(claim.text)}", ""]
        if item.reviewed_as:
            lines += [f"Reviewed as: “{_md(item.reviewed_as)}”", ""]
        status = claim.status + (f" by {_md(claim.source)}" if claim.source else "")
        lines.append(f"- **Status in the article:** {status}")
        lines.append(f"- **Decision:** {_md(decision.describe())}")
        if review.version:
            lines.append(f"- **Reviewer:** {_md(review.reviewer)}, {review.updated_at} (version {review.version})")
        if review.public_summary.strip():
            lines.append(f"- **Public summary:** {_md(review.public_summary.strip())}")
        if review.note.strip():
            lines.append(f"- **Internal note:** {_md(review.note.strip())}")
        shown = [e for e in decision.evidence if e.pinned and not e.dismissed]
        shown += [e for e in decision.supporting + decision.refuting if not e.pinned]
        if shown:
            lines += ["", "Evidence:", ""]
            lines += [_evidence_line(e) for e in shown]
        lines.append("")
    return "\n".join(lines)


# -- schema.org ClaimReview ----------------------------------------------------------------------
_ORG_ENTITIES = {"ORG", "GPE", "NORP", "FAC", "LOC"}
_PERSON_WORDS = {
    "minister", "president", "official", "spokesman", "spokeswoman", "spokesperson", "aide", "leader", "coach",
    "captain", "chairman", "chairwoman", "chair", "director", "secretary", "governor", "mayor", "senator",
    "ambassador", "general", "investigator", "prosecutor", "judge", "economist", "scientist", "researcher",
    "professor", "analyst", "diplomat", "negotiator", "manager", "executive", "owner", "author", "doctor",
    "player", "councillor", "councilor", "lawmaker", "mp", "he", "she", "i",
}


def author_kind(name: str, sentence: str | None = None, offset: int | None = None) -> str:
    """Whether the source of a claim is a "Person" or an "Organization", as the parse says.

    ``sentence``/``offset``: where the name stands (a claim's source cue), so the parse sees it in context.
    The head of the name decides ("a Kremlin aide" is a person; "US officials" a group, an organisation);
    else a PERSON entity makes a person and an organisation, place or nationality an organisation.
    """
    from factcheck.resources import get_nlp

    nlp = get_nlp()
    if sentence is not None and offset is not None and sentence[offset:offset + len(name)] == name:
        doc = nlp(sentence)
        span = doc.char_span(offset, offset + len(name), alignment_mode="expand")
    else:
        span = None
    if span is None:
        doc = nlp(name)
        span = doc[:]
    head = span.root
    if head.ent_type_ == "PERSON" or head.lower_ in _PERSON_WORDS:
        return "Person"
    if head.tag_ in ("NNS", "NNPS") or head.lower_ == "they":
        return "Organization"
    kinds = {t.ent_type_ for t in span if t.ent_type_}
    if kinds & _ORG_ENTITIES:
        return "Organization"
    if "PERSON" in kinds:
        return "Person"
    # A capitalised name of two or three words with no entity reading is most often a person's.
    words = name.split()
    return "Person" if 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) else "Organization"


def _claim_author(claim: Claim, byline_name: str | None) -> dict | None:
    """Who made the claim, as schema.org wants it: its source as the parse reads it; the article's byline
    for a claim the article makes itself; None for a denial, whose source is the party denying it."""
    if claim.status == "denied":
        return None
    if not claim.source:
        return _byline_author(byline_name) if byline_name else None
    cue = next((c for c in claim.cues if c.role == "source"), None)
    offset = cue.start - claim.sentence_start if cue is not None else None
    name = cue.text if cue is not None else claim.source
    return {"@type": author_kind(name, claim.sentence, offset), "name": claim.source}


def _byline_author(name: str) -> dict:
    return {"@type": author_kind(name), "name": name}


def _date(value: str | None) -> str | None:
    return value[:10] if value else None


@dataclass
class ClaimReviewItem:
    """One ClaimReview to publish: the claim reviewed, the claim whose flag rates it, and linked denials."""

    claim: ReviewedClaim
    rated_by: ReviewedClaim
    denials: list[ReviewedClaim] = field(default_factory=list)


def _is_denial_of(item: ReviewedClaim, article: ReviewedArticle) -> ReviewedClaim | None:
    """The allegation (or attributed claim) a denial is linked to, when the article holds it."""
    claim = item.result.claim
    if claim.status != "denied":
        return None
    for linked in claim.linked:
        try:
            target = article.get(linked)
        except KeyError:
            continue
        if target.result.claim.status != "denied":
            return target
    return None


def claimreview_items(article: ReviewedArticle) -> list[ClaimReviewItem]:
    """What is published, in text order: each flagged claim once, an allegation and its linked denials as one
    review of the allegation (rated by its own flag, else by a denial's), never a denial reviewed apart."""
    denials: dict[str, list[ReviewedClaim]] = {}
    for item in article.claims:
        target = _is_denial_of(item, article)
        if target is not None:
            denials.setdefault(target.result.claim.id, []).append(item)
    grouped = {d.result.claim.id for group in denials.values() for d in group}
    out = []
    for item in article.claims:
        if item.result.claim.id in grouped:
            continue
        linked = denials.get(item.result.claim.id, [])
        rated_by = item if item.review.flag else next((d for d in linked if d.review.flag), None)
        if rated_by is not None:
            out.append(ClaimReviewItem(item, rated_by, linked))
    return out


def claimreview(article: ReviewedArticle, item: ReviewedClaim | ClaimReviewItem) -> dict:
    """One ClaimReview object: the reviewer's flag rates the claim; the public summary (never the internal
    note) explains it, citing a linked denial; the claim's author is its source as the parse reads it."""
    if isinstance(item, ReviewedClaim):
        item = ClaimReviewItem(item, item)
    meta, claim, review = article.meta, item.claim.result.claim, item.rated_by.review
    if not review.flag:
        raise ValueError(f"claim {claim.id} has no flag; only flagged claims have a ClaimReview")
    rating: dict = {"@type": "Rating", "alternateName": FLAG_LABELS[review.flag]}
    if review.flag in RATING_VALUES:
        rating.update(ratingValue=RATING_VALUES[review.flag], bestRating=5, worstRating=1)
    explanation = [text.strip() for text in (item.claim.review.public_summary, item.rated_by.review.public_summary)]
    explanation = list(dict.fromkeys(t for t in explanation if t))
    for denial in item.denials:
        who = denial.result.claim.source or "The article reports that it is denied"
        explanation.append(f"{who} denies it: “{denial.result.claim.sentence.strip()}”"
                           if denial.result.claim.source else f"{who}: “{denial.result.claim.sentence.strip()}”")
    if explanation:
        rating["ratingExplanation"] = " ".join(t if t.endswith((".", "”", "!", "?")) else t + "." for t in explanation)
    item_reviewed: dict = {"@type": "Claim"}
    author = _claim_author(claim, meta.author)
    if author:
        item_reviewed["author"] = author
    if meta.date_published:
        item_reviewed["datePublished"] = _date(meta.date_published)
    if meta.url or meta.title:
        appearance: dict = {"@type": "CreativeWork"}
        if meta.url:
            appearance["url"] = meta.url
        if meta.title:
            appearance["headline"] = meta.title
        if meta.author:
            appearance["author"] = _byline_author(meta.author)
        if meta.date_published:
            appearance["datePublished"] = _date(meta.date_published)
        item_reviewed["appearance"] = appearance
    publisher: dict = {"@type": "Organization", "name": meta.organisation}
    if meta.organisation_url:
        publisher["url"] = meta.organisation_url
    data: dict = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim.text,
        "reviewRating": rating,
        "itemReviewed": item_reviewed,
        "author": publisher,
        "datePublished": _date(review.updated_at) or _date(article.exported_at),
    }
    if meta.review_url:
        data["url"] = f"{meta.review_url}#{item.claim.key}"
    return data


def to_claimreview(article: ReviewedArticle) -> list[dict]:
    """ClaimReview objects for every flagged claim (an allegation with its denials once), in text order."""
    return [claimreview(article, item) for item in claimreview_items(article)]


def to_claimreview_jsonld(article: ReviewedArticle) -> str:
    """ClaimReview JSON-LD to paste into a page's ``<script type="application/ld+json">``."""
    text = json.dumps(to_claimreview(article), ensure_ascii=False, indent=2)
    # "</" inside a script element would end it early; JSON allows the escaped form.
    return text.replace("</", "<\\/")


_HINTS = {
    "url": NOT_POSTABLE,
    "author": "missing author — name your organisation as publisher",
    "itemReviewed": "missing itemReviewed — give the article's URL so the claim has an appearance",
}


def claimreview_problems(data: Mapping, strict: bool = False) -> list[str]:
    """What a ClaimReview object lacks for publication, as plain messages (empty: it can be posted).

    Checked against Google's fact-check guidance and schema.org: claimReviewed; reviewRating with an
    alternateName (and a ratingValue within worstRating..bestRating when numeric); itemReviewed, a Claim
    with an appearance that has a url; the publisher (author) with a name; datePublished; url. ``strict``
    adds what the guidance recommends for the claim: who made it (author) and when (datePublished).
    """
    problems = []
    if data.get("@context") != "https://schema.org":
        problems.append("@context must be https://schema.org")
    if data.get("@type") != "ClaimReview":
        problems.append("@type must be ClaimReview")
    for name in CLAIMREVIEW_REQUIRED:
        if not data.get(name):
            problems.append(_HINTS.get(name, f"missing {name}"))
    url = data.get("url") or ""
    if url and not url.startswith(("http://", "https://")):
        problems.append("url must be an http(s) address")
    rating = data.get("reviewRating") or {}
    if rating and not rating.get("alternateName"):
        problems.append("reviewRating needs an alternateName (the rating in words)")
    if "ratingValue" in rating and not rating.get("worstRating", 1) <= rating["ratingValue"] <= rating.get("bestRating", 5):
        problems.append("reviewRating.ratingValue is outside worstRating..bestRating")
    author = data.get("author") or {}
    if author and not author.get("name"):
        problems.append("author needs a name")
    item = data.get("itemReviewed") or {}
    if item:
        if item.get("@type") != "Claim":
            problems.append("itemReviewed must be a Claim")
        appearance = item.get("appearance") or item.get("firstAppearance") or {}
        if not appearance.get("url"):
            problems.append("itemReviewed needs an appearance with the article's url")
        claim_author = item.get("author")
        if claim_author and (not claim_author.get("name") or claim_author.get("@type") not in ("Person", "Organization")):
            problems.append("itemReviewed.author must be a Person or Organization with a name")
        if strict and not claim_author:
            problems.append("itemReviewed needs an author (a Person or Organization): who made the claim")
        if strict and not item.get("datePublished"):
            problems.append("itemReviewed needs a datePublished: when the claim was made")
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
