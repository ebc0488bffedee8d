"""Report: the result of checking one text, and its text / JSON / Markdown renderings."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from factcheck.claims.extract import Claim
from factcheck.review.follow import review_key
from factcheck.verdict import Evidence, Verdict

if TYPE_CHECKING:
    from factcheck.review.decision import ReviewedVerdict
    from factcheck.review.store import Review


OPINION_REASON = "opinion: only who said it can be checked"
OPINION_NOTE = "an opinion gets no truth verdict: only who said it is checked (its attribution part)"


@dataclass
class FactEvidence:
    """How one of the claim's passages bears on one part: ``index`` into ``ClaimResult.evidence``."""

    index: int
    stance: str
    score: float
    counts: bool
    sentence: str = ""  # the sentence (or window of two) of that passage the part was decided on
    # It refutes the part by a weighed mismatch (a date, figure, term, place or doer otherwise), not on the stance
    # model's reading alone nor through a reported denial or dispute.
    mismatch: bool = False


@dataclass
class Fact:
    """One part of a claim (its core or a qualifier) with its own verdict.

    ``text`` is the part's words ("millions of", "since September 2023", or the core proposition), ``role``
    what it is (core, quantity, time, place, agent, attribution), ``statement`` what was judged.
    """

    text: str
    role: str
    statement: str
    verdict: str = "not_enough_evidence"
    confidence: float = 0.0
    evidence: list[FactEvidence] = field(default_factory=list)
    reason: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class EvidenceColumns:
    """A claim's evidence as a reviewer weighs it: by stance, pinned passages first, dismissed ones apart."""

    supporting: list[Evidence]
    refuting: list[Evidence]
    neutral: list[Evidence]
    dismissed: list[Evidence]


@dataclass
class ClaimResult:
    """A claim with its evidence and verdict, and the verdict on each of its parts (``facts``).

    ``reason`` sums the parts up ("core supported by …; 'millions of' refuted by …") and calls a claim
    misleading when its core is supported and a qualifier refuted.
    """

    claim: Claim
    verdict: Verdict
    evidence: list[Evidence] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    reason: str = ""

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
        del data["parts"]  # judged, they are the facts below
        data["verdict"] = self.verdict.label
        data["confidence"] = self.verdict.confidence
        data["evidence"] = [e.to_dict() for e in self.evidence]
        data["facts"] = [f.to_dict() for f in self.facts]
        data["reason"] = self.reason
        return data

    @property
    def misleading(self) -> bool:
        """The core is supported but a qualifier (a number, a date, a place) is refuted. A coordinated clause
        refuted is not a qualifier: the claim is refuted (``verdict.refuted_in_core``)."""
        core = next((f for f in self.facts if f.role == "core"), None)
        return core is not None and core.verdict == "supported" and any(
            f.verdict == "refuted" for f in self.facts if f.role not in ("core", "clause"))


@dataclass
class Report:
    """Everything factcheck found in one input text."""

    input: str
    text: str
    claims: list[ClaimResult]
    timings: dict[str, float] = field(default_factory=dict)
    date: str | None = None  # the article's date that anchored relative dates (YYYY-MM-DD), if known

    def get(self, claim_id: str) -> ClaimResult:
        for result in self.claims:
            if result.claim.id == claim_id:
                return result
        raise KeyError(claim_id)

    def review_key(self, result: ClaimResult) -> str:
        """The key a new review of this claim is saved under (``factcheck.review.follow.review_key``: its
        normalised text and whether it is a denial). Saved reviews, also under older keys, are found with
        ``ReviewStore.for_claims``."""
        return review_key(result.claim.text, result.claim.status)

    @property
    def checkworthy(self) -> list[ClaimResult]:
        return [r for r in self.claims if r.claim.checkworthy]

    @property
    def shown(self) -> list[ClaimResult]:
        """The claims a report lists: the check-worthy ones and the opinions whose speaker was checked."""
        return [r for r in self.claims if r.claim.checkworthy or (r.claim.opinion and r.facts)]

    def counts(self) -> dict[str, int]:
        """How many listed claims have each verdict; opinions (no truth verdict) count as "opinion"."""
        counts: dict[str, int] = {}
        for result in self.shown:
            label = "opinion" if result.claim.opinion else result.verdict.label
            counts[label] = counts.get(label, 0) + 1
        return counts

    def to_dict(self) -> dict:
        return {"input": self.input, "claims": [c.to_dict() for c in self.claims], "timings": self.timings,
                "date": self.date}

    def to_json(self) -> str:
        """One line of JSON (the CLI prints one per input)."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def to_text(self, reviews: Mapping[str, Review] | None = None) -> str:
        """The CLI's text report: a summary line of verdict counts, then a line for every check-worthy claim
        (its decision in the desk's words, who says it) with its evidence, or "no evidence found".

        ``reviews``: claim id -> Review (``ReviewStore.for_claims``); the reviewer's decision then leads,
        the model's beside it.
        """
        from factcheck.review.decision import VERDICT_WORDS, reviewed_verdict

        reviews = reviews or {}
        decisions = [(result, reviewed_verdict(result, reviews.get(result.claim.id))) for result in self.shown]
        counts: dict[str, int] = {}
        for result, decision in decisions:
            word = "opinion" if result.claim.opinion and not decision.by_reviewer else decision.text
            counts[word] = counts.get(word, 0) + 1
        order = [*VERDICT_WORDS.values()]
        tally = " · ".join(f"{counts[word]} {word}" for word in sorted(counts, key=lambda w: (
            order.index(w) if w in order else -1, w)))
        lines = [f"== {self.input}: {len(self.checkworthy)} check-worthy claims of {len(self.claims)}",
                 f"Verdicts: {tally or 'none'}",
                 "(* marks evidence that counts towards the verdict)"]
        for result, decision in decisions:
            lines.extend(_claim_lines(result, decision))
        skipped = len(self.claims) - len(self.shown)
        if skipped:
            lines.append(f"{skipped} other claims are not check-worthy (headings, questions, opinions, repeats).")
        return escape_controls("\n".join(lines))

    def to_markdown(self) -> str:
        lines = [f"# Fact-check report: {_md_escape(self.input)}", ""]
        counts = self.counts()
        lines.append(", ".join(f"{n} {label.replace('_', ' ')}" for label, n in sorted(counts.items())) or "No check-worthy claims.")
        lines.append("")
        for result in self.shown:
            claim = result.claim
            status = claim.status + (f" by {claim.source}" if claim.source else "")
            lines.append(f"## {claim.id}: {_md_escape(claim.text)}")
            lines.append("")
            if claim.standalone != claim.text:
                lines.append(f"- **In context:** {_md_escape(claim.standalone)}")
            if claim.opinion:
                lines.append("- **Verdict:** opinion, no truth verdict (only who said it is checked)")
            else:
                lines.append(f"- **Verdict:** {result.verdict.label.replace('_', ' ')} "
                             f"(confidence {result.verdict.confidence:.2f})")
            lines.append(f"- **Status:** {_md_escape(status)}")
            if result.reason:
                lines.append(f"- **Parts:** {_md_escape(result.reason)}")
            for ev in result.evidence:
                if ev.stance == "neutral":
                    continue
                where = _md_escape(ev.title or ev.source)
                lines.append(f"- *{ev.stance}* ({ev.score:.2f}{', counts' if ev.counts else ', does not count'}) — "
                             f"{where}: “{_md_escape(ev.read_text)}”" + (f" — {_md_escape(ev.reason)}" if ev.reason else ""))
            lines.append("")
        return escape_controls("\n".join(lines))


def _claim_lines(result: ClaimResult, decision: "ReviewedVerdict") -> list[str]:
    """One claim of the text report: its decision line, then its evidence lines or "no evidence found"."""
    claim = result.claim
    if decision.by_reviewer:
        head = decision.describe()
    elif claim.opinion:
        head = "opinion, no truth verdict"
    elif decision.label == "not_enough_evidence":
        head = decision.text  # its "confidence" is the absence of evidence, which explains nothing
    else:
        head = f"{decision.text} {decision.model.confidence:.2f}"
    who = f" · {claim.status} by {claim.source}" if claim.source else ("" if claim.status == "asserted" else f" · {claim.status}")
    lines = [f"[{claim.id}] {head}{who}: {claim.text}"]
    if claim.standalone != claim.text:
        lines.append(f"  in context: {claim.standalone}")
    if result.reason:
        lines.append(f"  parts: {result.reason}")
    shown = [e for e in decision.evidence if not e.dismissed and e.stance in ("supports", "refutes")]
    for item in sorted(shown, key=lambda e: (not e.pinned, not e.counts)):
        evidence = item.evidence
        mark = "*" if item.counts else " "
        where = " · ".join(x for x in (evidence.title or evidence.source, evidence.publisher, evidence.date, evidence.url) if x)
        lines.append(f"  {mark} {item.describe():<9} {where}")
        lines.append(f"      “{' '.join(evidence.read_text.split())}”")
        if evidence.reason:
            lines.append(f"      why: {evidence.reason}")
    if not shown:
        other = len(result.evidence)
        lines.append("  no evidence found" if not other else
                     f"  no evidence found: {other} passage{'s' if other != 1 else ''} retrieved, none bearing on the claim")
    return lines


def _md_escape(text: str) -> str:
    """Escape text from documents so Markdown renderers never read it as markup or HTML."""
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", " ")


# C0 and C1 control characters (and DEL) except tab and newline: in a terminal they move the cursor,
# retitle the window or start escape sequences; in Markdown they are invisible junk.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape_controls(text: str) -> str:
    """Show control characters from documents as visible ``\\xNN`` escapes (tab and newline stay).

    >>> escape_controls("Title\\x1b]0;pwned\\x07")
    'Title\\\\x1b]0;pwned\\\\x07'
    """
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
