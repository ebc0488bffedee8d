"""The decision to show: the reviewer's where there is one, the model's beside it.

Every place a claim's verdict or a passage's stance is shown — the desk's badge, highlight and evidence
columns, the exports, the text report — reads it from :func:`reviewed_verdict`, so a reviewer who flags a
claim Supported never sees "Refuted · 0.87" leading, and a passage they relabelled never sits in the
model's column.

>>> decision = reviewed_verdict(result, review)
>>> decision.describe()
'reviewer: supported · model: refuted 0.87'
>>> [shown.stance for shown in decision.supporting]
['supports']
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from factcheck.review.store import FLAG_LABELS, Review
from factcheck.verdict import Evidence, Verdict, VerdictThresholds, aggregate

if TYPE_CHECKING:
    from factcheck.report import ClaimResult

# The verdicts as the desk writes them.
VERDICT_WORDS = {"supported": "Supported", "refuted": "Refuted", "conflicting": "Conflicting",
                 "not_enough_evidence": "Not enough evidence"}
# Where each flag sits among the verdicts, for colours and highlights (a flag off the true/false scale
# that reports a dispute reads as conflicting; the rest as not enough evidence).
FLAG_VERDICTS = {"supported": "supported", "refuted": "refuted", "misleading": "conflicting",
                 "alleged": "conflicting", "denied": "conflicting", "unverifiable": "not_enough_evidence",
                 "needs-more-evidence": "not_enough_evidence"}
# Who decided what is shown.
DECIDERS = ("reviewer", "reviewer's evidence labels", "model")


@dataclass
class ShownEvidence:
    """One passage as shown: the reviewer's label when they gave one, the model's stance beside it."""

    evidence: Evidence
    stance: str  # supports | refutes | neutral | irrelevant: what is shown
    by_reviewer: bool = False
    pinned: bool = False
    dismissed: bool = False

    @property
    def model_stance(self) -> str:
        return self.evidence.stance

    @property
    def score(self) -> float:
        return self.evidence.score

    @property
    def counts(self) -> bool:
        """Whether it weighs in the decision: the reviewer's labels always do, the model's when strong."""
        if self.dismissed or self.stance in ("neutral", "irrelevant"):
            return False
        return self.by_reviewer or self.evidence.counts

    def describe(self) -> str:
        """'reviewer: supports · model: refutes 0.87', or the model's 'refutes 0.87' alone."""
        model = f"{self.model_stance} {self.score:.2f}"
        if self.by_reviewer and self.stance != self.model_stance:
            return f"reviewer: {self.stance} · model: {model}"
        if self.by_reviewer:
            return f"reviewer and model: {model}"
        return model

    def to_dict(self) -> dict:
        return {"passage_id": self.evidence.passage_id, "stance": self.stance, "by_reviewer": self.by_reviewer,
                "model_stance": self.model_stance, "score": self.score, "pinned": self.pinned,
                "dismissed": self.dismissed, "counts": self.counts}


@dataclass
class ReviewedVerdict:
    """What to show for one claim: the leading decision, who made it, and the model's verdict beside it.

    ``label`` is the reviewer's flag when they set one (``decided_by`` "reviewer"), else the verdict the
    reviewer's evidence labels give (``decided_by`` "reviewer's evidence labels"), else the model's
    verdict ("model"). ``verdict`` places the label among the four verdicts, for colours and highlights.
    """

    label: str
    verdict: str
    decided_by: str
    model: Verdict
    reviewer: str = ""
    evidence: list[ShownEvidence] = field(default_factory=list)

    @property
    def by_reviewer(self) -> bool:
        return self.decided_by != "model"

    @property
    def text(self) -> str:
        """The leading decision in words: 'Supported', 'Needs more evidence', 'Not enough evidence'…"""
        return FLAG_LABELS.get(self.label) if self.decided_by == "reviewer" else VERDICT_WORDS[self.label]

    @property
    def model_text(self) -> str:
        return f"{VERDICT_WORDS[self.model.label].lower()} {self.model.confidence:.2f}"

    def describe(self) -> str:
        """'reviewer: supported · model: refuted 0.87'; 'model: refuted 0.87' when nobody reviewed it."""
        if not self.by_reviewer:
            return f"model: {self.model_text}"
        who = "reviewer" if self.decided_by == "reviewer" else "reviewer's evidence labels"
        return f"{who}: {self.text.lower()} · model: {self.model_text}"

    def _column(self, stance: str) -> list[ShownEvidence]:
        shown = [e for e in self.evidence if e.stance == stance and not e.dismissed]
        return sorted(shown, key=lambda e: (not e.pinned, not e.counts))

    @property
    def supporting(self) -> list[ShownEvidence]:
        """Passages shown as supporting (the reviewer's label first), pinned first, then those that count."""
        return self._column("supports")

    @property
    def refuting(self) -> list[ShownEvidence]:
        return self._column("refutes")

    @property
    def neutral(self) -> list[ShownEvidence]:
        return self._column("neutral")

    @property
    def irrelevant(self) -> list[ShownEvidence]:
        return [e for e in self.evidence if e.stance == "irrelevant" and not e.dismissed]

    @property
    def dismissed(self) -> list[ShownEvidence]:
        return [e for e in self.evidence if e.dismissed]

    def to_dict(self) -> dict:
        return {"label": self.label, "text": self.text, "verdict": self.verdict, "decided_by": self.decided_by,
                "reviewer": self.reviewer, "describe": self.describe(), "model_verdict": self.model.label,
                "model_confidence": self.model.confidence, "evidence": [e.to_dict() for e in self.evidence]}


def shown_evidence(evidence: list[Evidence], review: Review | None) -> list[ShownEvidence]:
    """Each passage with the stance to show: the reviewer's relabel, else the model's."""
    review = review or Review("", "")
    out = []
    for item in evidence:
        label = review.relabels.get(item.passage_id)
        out.append(ShownEvidence(item, label or item.stance, by_reviewer=label is not None,
                                 pinned=item.passage_id in review.pinned,
                                 dismissed=item.passage_id in review.dismissed))
    return out


def _labelled_verdict(shown: list[ShownEvidence], thresholds: VerdictThresholds | None) -> Verdict:
    """The verdict with the reviewer's labels in place of the model's: a relabelled passage counts at full
    strength, an irrelevant or dismissed one not at all."""
    kept = []
    for item in shown:
        if item.dismissed or item.stance == "irrelevant":
            continue
        if item.by_reviewer:
            kept.append(replace(item.evidence, stance=item.stance, score=1.0, similarity=1.0, disputed=False))
        else:
            kept.append(item.evidence)
    return aggregate(kept, thresholds)


def reviewed_verdict(result: "ClaimResult", review: Review | None = None,
                     thresholds: VerdictThresholds | None = None) -> ReviewedVerdict:
    """The decision to show for one claim, the reviewer's leading and the model's beside it.

    ``result``: the claim's ``ClaimResult``; ``review``: its review (None or an empty one: the model's).
    """
    shown = shown_evidence(result.evidence, review)
    reviewer = review.reviewer if review else ""
    if review is not None and review.flag:
        return ReviewedVerdict(label=review.flag, verdict=FLAG_VERDICTS[review.flag], decided_by="reviewer",
                               model=result.verdict, reviewer=reviewer, evidence=shown)
    if review is not None and (review.relabels or review.dismissed):
        labelled = _labelled_verdict(shown, thresholds)
        if labelled.label != result.verdict.label:
            return ReviewedVerdict(label=labelled.label, verdict=labelled.label,
                                   decided_by="reviewer's evidence labels", model=result.verdict,
                                   reviewer=reviewer, evidence=shown)
    return ReviewedVerdict(label=result.verdict.label, verdict=result.verdict.label, decided_by="model",
                           model=result.verdict, reviewer=reviewer, evidence=shown)


__all__ = ["DECIDERS", "FLAG_VERDICTS", "VERDICT_WORDS", "ReviewedVerdict", "ShownEvidence", "reviewed_verdict",
           "shown_evidence"]
