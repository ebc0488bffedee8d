"""Report: the result of checking one text, and its text / JSON / Markdown renderings."""

from __future__ import annotations

import json
import warnings
from collections.abc import Collection
from dataclasses import dataclass, field

from factcheck.claims.extract import Claim
from factcheck.review.store import claim_key
from factcheck.verdict import Evidence, Verdict


@dataclass
class EvidenceColumns:
    """A claim's evidence as a reviewer weighs it: by stance, pinned passages first, dismissed ones apart."""

    supporting: list[Evidence]
    refuting: list[Evidence]
    neutral: list[Evidence]
    dismissed: list[Evidence]


@dataclass
class ClaimResult:
    """A claim with its evidence and verdict."""

    claim: Claim
    verdict: Verdict
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def supporting_evidence(self) -> list[Evidence]:
        return [e for e in self.evidence if e.stance == "supports"]

    @property
    def refuting_evidence(self) -> list[Evidence]:
        return [e for e in self.evidence if e.stance == "refutes"]

    @property
    def conflicting_evidence(self) -> list[Evidence]:
        """Deprecated: the refuting evidence — use ``refuting_evidence``."""
        warnings.warn("ClaimResult.conflicting_evidence is refuting_evidence — use that name",
                      DeprecationWarning, stacklevel=2)
        return self.refuting_evidence

    def columns(self, pinned: Collection[str] = (), dismissed: Collection[str] = ()) -> EvidenceColumns:
        """Split the evidence into supporting / refuting / neutral, pinned passage ids first (else as ranked),
        and set the dismissed ones apart."""
        live = [e for e in self.evidence if e.passage_id not in dismissed]
        live.sort(key=lambda e: e.passage_id not in pinned)  # stable: ranking kept within each group
        return EvidenceColumns(
            supporting=[e for e in live if e.stance == "supports"],
            refuting=[e for e in live if e.stance == "refutes"],
            neutral=[e for e in live if e.stance not in ("supports", "refutes")],
            dismissed=[e for e in self.evidence if e.passage_id in dismissed],
        )

    def to_dict(self) -> dict:
        """The contract's claim object (plus extra fields)."""
        data = self.claim.to_dict()
        data["verdict"] = self.verdict.label
        data["confidence"] = self.verdict.confidence
        data["evidence"] = [e.to_dict() for e in self.evidence]
        return data


@dataclass
class Report:
    """Everything factcheck found in one input text."""

    input: str
    text: str
    claims: list[ClaimResult]
    timings: dict[str, float] = field(default_factory=dict)

    def get(self, claim_id: str) -> ClaimResult:
        for result in self.claims:
            if result.claim.id == claim_id:
                return result
        raise KeyError(claim_id)

    def review_key(self, result: ClaimResult) -> str:
        """The key a claim's review is saved under (see ``factcheck.review.store.claim_key``)."""
        return claim_key(result.claim.id, self.text[result.claim.start:result.claim.end])

    @property
    def checkworthy(self) -> list[ClaimResult]:
        return [r for r in self.claims if r.claim.checkworthy]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for result in self.checkworthy:
            counts[result.verdict.label] = counts.get(result.verdict.label, 0) + 1
        return counts

    def to_dict(self) -> dict:
        return {"input": self.input, "claims": [c.to_dict() for c in self.claims], "timings": self.timings}

    def to_json(self) -> str:
        """One line of JSON (the CLI prints one per input)."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def to_text(self) -> str:
        lines = [f"== {self.input}: {len(self.checkworthy)} check-worthy claims of {len(self.claims)} "
                 "(* evidence that counts towards the verdict)"]
        for result in self.checkworthy:
            claim = result.claim
            who = f" ({claim.status}" + (f" by {claim.source}" if claim.source else "") + ")"
            lines.append(f"[{claim.id}] {result.verdict.label.upper()} {result.verdict.confidence:.2f}{who}: {claim.text}")
            for ev in result.evidence:
                if ev.stance == "neutral":
                    continue
                mark = "*" if ev.counts else " "
                lines.append(f"  {mark} {ev.stance:8} {ev.score:.2f}  {ev.title or ev.source}: {ev.sentence}")
                if ev.reason:
                    lines.append(f"             ({ev.reason})")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        lines = [f"# Fact-check report: {self.input}", ""]
        counts = self.counts()
        lines.append(", ".join(f"{n} {label.replace('_', ' ')}" for label, n in sorted(counts.items())) or "No check-worthy claims.")
        lines.append("")
        for result in self.checkworthy:
            claim = result.claim
            status = claim.status + (f" by {claim.source}" if claim.source else "")
            lines.append(f"## {claim.id}: {_md_escape(claim.text)}")
            lines.append("")
            lines.append(f"- **Verdict:** {result.verdict.label.replace('_', ' ')} (confidence {result.verdict.confidence:.2f})")
            lines.append(f"- **Status:** {status}")
            for ev in result.evidence:
                if ev.stance == "neutral":
                    continue
                where = _md_escape(ev.title or ev.source)
                lines.append(f"- *{ev.stance}* ({ev.score:.2f}{', counts' if ev.counts else ', does not count'}) — "
                             f"{where}: “{_md_escape(ev.sentence)}”" + (f" — {_md_escape(ev.reason)}" if ev.reason else ""))
            lines.append("")
        return "\n".join(lines)


def _md_escape(text: str) -> str:
    """Escape text from documents so Markdown renderers never read it as markup or HTML."""
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", " ")
