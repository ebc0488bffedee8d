"""Verdict: aggregate a claim's evidence into supported / refuted / conflicting / not_enough_evidence."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.claims.facts import clause_groups, core_of
from factcheck.resources import CALIBRATION_FILE
from factcheck.stance.signals import dated_by_publication, months, states_qualifier, years

if TYPE_CHECKING:
    from factcheck.report import Fact

VERDICTS = ("supported", "refuted", "conflicting", "not_enough_evidence")


@dataclass
class Evidence:
    """One retrieved passage and what it says about a claim (the contract's ``evidence`` item)."""

    source: str
    doc_id: str
    title: str | None
    passage: str
    sentence: str
    stance: str
    score: float
    similarity: float
    reason: str = ""
    url: str | None = None
    publisher: str | None = None
    date: str | None = None
    passage_id: str = ""
    sentence_start: int = 0  # offsets of ``sentence`` within ``passage``
    sentence_end: int = 0
    probs: dict | None = None
    # Whether it weighs in the verdict, and if not why (``weighs``); set by the pipeline.
    counts: bool = False
    weight_note: str = ""
    # The sentence reports both an allegation of the claim and its denial: strong, it counts on both sides.
    disputed: bool = False
    # How close the deciding sentence (or window of two) is to the claim (MiniLM cosine): what the verdict's
    # closeness floor reads; ``similarity`` stays the passage's retrieval similarity (the contract's field).
    sentence_similarity: float | None = None
    # The sentence relays an accusation: it shows the accusation was made, not that it is true, so it never
    # counts as confirmation.
    allegation: bool = False
    # It refutes through a reported denial of the claim: one side of a dispute (see :func:`aggregate`).
    denial: bool = False
    # The share of the claim's key words the deciding sentence holds (None: not measured).
    overlap: float | None = None
    # It refutes by dating the claim's event otherwise; it supports carrying the claim's own date.
    redated: bool = False
    dated: bool = False
    # It refutes by stating the claim's figure otherwise; it supports stating the claim's figures.
    refigured: bool = False
    figured: bool = False
    # It refutes with a weighed mismatch (date, figure, opposite), not on the model's reading alone; pinned: a
    # mismatch tied to the claim's own words (its event dated otherwise, its predicate negated).
    signalled: bool = False
    pinned: bool = False
    # For a check of who said something (an attribution part, an opinion): why the passage bears on what was
    # said rather than on who said it (it never names the speaker; it refutes the content, not that it was
    # said), so it does not count (``weighs``). Empty when it does bear on who said it.
    not_about_speaker: str = ""
    # It supports without stating the claim's act in any form: that act's verb ("veto"), else "" (see
    # ``roles.unstated_act``); such support counts only at ``VerdictThresholds.unstated_act_support``.
    unstated_act: str = ""
    # It supports while giving one of the claim's figures otherwise (a mismatch too little about the claim to weigh
    # in the stance reading): never counted as support (``weighs``).
    misfigured: str = ""
    # It refutes a claim that a named speaker said something: another named person says those words as the holder
    # of the post the claim gives its speaker (why, in a line; "" otherwise). Set by the pipeline.
    misattributed: str = ""
    # Judged for a time or quantity part of the claim, it supports without stating that part ("since 2019" from a
    # sentence that gives no year): the part's words, and it never counts for that part (``weighs``).
    unstated_part: str = ""
    # The document's sentence before the passage, when the deciding sentence (the passage's first) was read with it:
    # a finding cut by the passage boundary. ``sentence`` stays the passage's own sentence (its offsets point there).
    sentence_before: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def read_text(self) -> str:
        """What the judge read for this passage: the deciding sentence, after the sentence before the passage when
        it was read with it."""
        return f"{self.sentence_before} {self.sentence}" if self.sentence_before else self.sentence

    @property
    def contested(self) -> bool:
        """A denial, or a report of the allegation and its denial: evidence that the claim is disputed."""
        return self.disputed or (self.denial and self.stance == "refutes")

    @property
    def model_only(self) -> bool:
        """Read on the stance model alone: no denial or reported dispute, no weighed mismatch (of a date, figure,
        term, place or speaker) behind it."""
        return not (self.contested or self.signalled or self.pinned)

    @classmethod
    def from_hit(cls, hit: Any, result: Any) -> "Evidence":
        """One retrieved passage (a retrieval hit: ``.passage``, ``.similarity``) and the stance judge's
        ``StanceResult`` on it, as evidence. ``counts`` and ``weight_note`` are left for :func:`weighs`."""
        passage = hit.passage
        spans = passage.sentences
        last = result.sentence_index if result.last_sentence_index is None else result.last_sentence_index
        sentence = result.sentence
        if spans and last < len(spans):
            start, end = spans[result.sentence_index][0], spans[last][1]
            if last != result.sentence_index:  # a window: shown as the passage writes it, breaks included
                sentence = passage.text[start:end]
        else:
            start, end = 0, len(passage.text)
        return cls(source=passage.source, doc_id=passage.doc_id, title=passage.title, passage=passage.text,
                   sentence=sentence, stance=result.stance, score=round(result.score, 4),
                   similarity=round(hit.similarity, 4), reason=result.reason, url=passage.url,
                   publisher=passage.publisher, date=passage.date, passage_id=passage.id,
                   sentence_start=start, sentence_end=end, probs=result.probs, disputed=result.disputed,
                   sentence_similarity=result.sentence_similarity, allegation=result.allegation,
                   denial=result.denial, overlap=result.overlap, redated=result.redated, dated=result.dated,
                   signalled=result.signalled, pinned=result.pinned, refigured=result.refigured,
                   figured=result.figured, unstated_act=result.unstated_act,
                   misfigured=result.misfigured, sentence_before=result.lead)


@dataclass
class VerdictThresholds:
    """When evidence counts as strong (calibrated on data; see README)."""

    support: float = 0.6  # a supporting passage is strong at this stance score or above
    refute: float = 0.6
    min_similarity: float = 0.3  # below this, a passage is too far from the claim to count
    # Strong evidence on both sides is a conflict unless one side's strongest reading beats the other's by at
    # least this much (None: always a conflict). Never applied when a reported dispute counts.
    conflict_margin: float | None = None
    # A refutation on the model's reading alone (no denial, no weighed mismatch of a date, figure or opposite
    # term) counts only from a sentence at least ``min_refute_similarity`` close to the claim, or, when
    # ``min_refute_overlap`` is set, holding that share of its key words (None: no such floor). Below it the
    # stance model's "refutes" mostly reads a sentence about something else on the same topic ("Lavrov visited
    # Pyongyang in October 2023" against "Sergei Lavrov resigned as foreign minister in 2023", similarity 0.57).
    min_refute_similarity: float | None = None
    min_refute_overlap: float | None = None
    # A refutation with a weighed mismatch (not a denial) still needs this closeness: a date or figure that
    # differs in a sentence this far from the claim is mostly another event's (None: no floor).
    min_signalled_refute_similarity: float | None = None
    # Support from a sentence that never states the claim's act ("blocked" nowhere in a sentence read as
    # supporting "Russia blocked …") counts only at this score or above (None: at ``support``, like any other).
    unstated_act_support: float | None = None

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> "VerdictThresholds":
        if path.is_file():
            data = json.loads(path.read_text())
            return cls(**{k: v for k, v in data.get("verdict", {}).items() if k in cls.__dataclass_fields__})
        return cls()


@dataclass
class Verdict:
    """The aggregated judgement on one claim."""

    label: str
    # supported / refuted: the strongest counting evidence's score (conflicting: the weaker side's);
    # not_enough_evidence: 1 minus the strongest supporting or refuting reading found, counted or not (how
    # clearly nothing bears on the claim: 1.0 when nothing leans either way, 0.45 when a "supports 0.55"
    # fell short of a threshold or of the closeness floor).
    confidence: float
    supporting: int
    refuting: int
    note: str = ""  # what the verdict rests on, in one line

    def to_dict(self) -> dict:
        return asdict(self)


def weighs(evidence: Evidence, thresholds: VerdictThresholds | None = None) -> tuple[bool, str]:
    """Whether one passage weighs in the verdict, and a note saying why or why not.

    Only a supporting or refuting passage with a stance score at or above its threshold, close enough to
    the claim, decides anything: "supports 0.38" next to "supports 0.81" is shown, but it is not evidence
    the verdict rests on, and the reviewer should see the difference.
    """
    t = thresholds or VerdictThresholds()
    if evidence.stance == "neutral":
        return False, "neutral: does not bear on the verdict"
    if evidence.not_about_speaker:
        return False, evidence.not_about_speaker
    threshold = t.support if evidence.stance == "supports" else t.refute
    if evidence.score < threshold:
        return False, f"too weak to count: {evidence.stance} {evidence.score:.2f} is below {threshold:.2f}"
    closeness = evidence.similarity if evidence.sentence_similarity is None else evidence.sentence_similarity
    if closeness < t.min_similarity:
        return False, (f"too far from the claim to count: the sentence's similarity {closeness:.2f} is below "
                       f"{t.min_similarity:.2f}")
    if (evidence.stance == "refutes" and evidence.model_only
            and t.min_refute_similarity is not None and closeness < t.min_refute_similarity
            and (t.min_refute_overlap is None or evidence.overlap is None or evidence.overlap < t.min_refute_overlap)):
        return False, (f"too far from the claim to count against it: the stance model alone reads it as refuting, "
                       f"at similarity {closeness:.2f} (without a mismatch of date, figure or terms a refutation "
                       f"needs {t.min_refute_similarity:.2f}; it may be about something else on the same topic)")
    if (evidence.stance == "refutes" and not evidence.contested and evidence.signalled and not evidence.pinned
            and t.min_signalled_refute_similarity is not None and closeness < t.min_signalled_refute_similarity):
        return False, (f"too far from the claim to count against it: at similarity {closeness:.2f} the mismatch is "
                       f"likely another event's (a refutation with a mismatch needs "
                       f"{t.min_signalled_refute_similarity:.2f})")
    if (evidence.stance == "supports" and evidence.unstated_act and not evidence.disputed
            and t.unstated_act_support is not None and evidence.score < t.unstated_act_support):
        return False, (f"too weak to count from a sentence that does not say the claim's act "
                       f"(“{evidence.unstated_act}”): supports {evidence.score:.2f} is below "
                       f"{t.unstated_act_support:.2f}")
    if evidence.stance == "supports" and evidence.misfigured and not evidence.disputed:
        return False, (f"does not count as support: it gives the claim's figure otherwise ({evidence.misfigured}), "
                       f"so it confirms at most the rest of the claim")
    if evidence.stance == "supports" and evidence.unstated_part:
        return False, f"does not state '{evidence.unstated_part}': it confirms at most the rest of the claim"
    if evidence.allegation and evidence.stance == "supports" and not evidence.disputed:
        return False, "reports an allegation: shows the allegation was made, not that it is true"
    if evidence.disputed:
        return True, (f"counts on both sides: it reports the allegation and its denial ({evidence.stance} "
                      f"{evidence.score:.2f} ≥ {threshold:.2f})")
    return True, f"counts towards the verdict ({evidence.stance} {evidence.score:.2f} ≥ {threshold:.2f})"


def unjudged(note: str) -> Verdict:
    """The verdict of a claim given no truth verdict (an opinion, a sentence that is not check-worthy): not
    enough evidence, with ``note`` saying why nothing was weighed, rather than "nothing retrieved"."""
    return Verdict(label="not_enough_evidence", confidence=1.0, supporting=0, refuting=0, note=note)


# The share of a claim's key words a supporting passage's deciding sentence must hold to outweigh a denial
# (the judge's fitted ``min_signal_overlap``, the share at which a sentence is about the claim).
CONFIRMS_OVERLAP = 0.4


def aggregate(evidence: Sequence[Evidence], thresholds: VerdictThresholds | None = None) -> Verdict:
    """Supported: strong support and no strong refutation; refuted: the reverse; conflicting: both;
    not_enough_evidence: neither. Strong: what :func:`weighs` counts. With ``conflict_margin`` set, strong
    evidence on both sides goes to the side whose strongest reading is ahead by at least the margin.

    A denial of the claim, or a sentence reporting the allegation and its denial, shows the claim is
    disputed: it is evidence against the claim when nothing else counts for it (a denial alone: refuted; a
    reported dispute alone: conflicting, both sides), but it does not outweigh independent confirmation —
    "the ministry denied it" beside an intelligence estimate that it happened is supported, and the note
    says it is disputed. A refutation of any other kind (another figure, another date) beside support is
    conflicting, except another date for the claim's event beside a confirmation that carries the claim's own
    date: events recur ("visited Pyongyang in July 2000" does not refute "visited Pyongyang in June 2024"
    when a source dates that visit June 2024). The other way round for figures: the claim's figure stated
    otherwise outweighs support that states none of the claim's figures (it confirms the rest, not the
    figure)."""
    t = thresholds or VerdictThresholds()
    counted = [e for e in evidence if weighs(e, t)[0]]
    supporting = [e for e in counted if e.stance == "supports" and not e.disputed]
    dated_support = any(e.dated for e in supporting)
    recurring = [e for e in counted if e.stance == "refutes" and e.redated and dated_support]
    refute = [e.score for e in counted if e.stance == "refutes" and not e.contested and e not in recurring]
    # The claim's figure stated otherwise, and no support states the claim's figures: the support confirms the
    # rest of the claim, not its figure ("agreed in 2012 to write off debt" beside "about 90 percent of it" for
    # "about half of it"), so it does not outweigh the refutation.
    figure_refuted = any(e.refigured for e in counted if e.stance == "refutes" and not e.contested)
    silent = supporting if figure_refuted and not any(e.figured for e in supporting) else []
    support = [] if silent else [e.score for e in supporting]
    contested = [e for e in counted if e.contested]
    # What each side holds: a reported dispute counts on both when nothing independent decides. A denial yields
    # only to confirmation about the claim (``CONFIRMS_OVERLAP`` of its key words): a passage that reads as
    # support while sharing a quarter of the claim's words is not "independent confirmation" of it.
    confirming = [e for e in supporting if e.overlap is None or e.overlap >= CONFIRMS_OVERLAP] if support else []
    strong_support = support or [e.score for e in contested if e.disputed]
    strong_refute = refute or ([] if confirming else [e.score for e in contested])
    outweighs = ""
    if strong_support and strong_refute:
        best_support, best_refute = max(strong_support), max(strong_refute)
        margin = t.conflict_margin
        if margin is not None and not any(e.disputed for e in counted) and abs(best_support - best_refute) >= margin:
            # A much stronger reading on one side: the weaker opposite reading is shown, not decisive.
            label = "supported" if best_support > best_refute else "refuted"
            confidence = max(best_support, best_refute)
            outweighs = (f"; the strongest {'supporting' if label == 'supported' else 'refuting'} reading "
                         f"({confidence:.2f}) outweighs the other side's ({min(best_support, best_refute):.2f}) "
                         f"by at least {margin:.2f}")
        else:
            label = "conflicting"
            confidence = min(best_support, best_refute)
    elif strong_support:
        label, confidence = "supported", max(strong_support)
    elif strong_refute:
        label, confidence = "refuted", max(strong_refute)
    else:
        label = "not_enough_evidence"
        leaning = [(max((e.probs or {}).get("supports", 0.0), (e.probs or {}).get("refutes", 0.0),
                        e.score if e.stance != "neutral" else 0.0), e) for e in evidence]
        strongest = max(leaning, key=lambda item: item[0], default=None)
        confidence = 1.0 - (strongest[0] if strongest else 0.0)
    if label == "not_enough_evidence":
        note = (f"nothing counts; the strongest reading either way is {strongest[0]:.2f}" if strongest
                else "nothing retrieved")
    else:
        note = (f"{len(strong_support)} supporting and {len(strong_refute)} refuting passage(s) count "
                f"(supports ≥ {t.support:.2f}, refutes ≥ {t.refute:.2f}, sentence similarity ≥ {t.min_similarity:.2f})")
        note += outweighs
        if confirming and contested and not refute:
            note += (f"; {len(contested)} passage(s) report a denial or a dispute, which does not outweigh "
                     "independent confirmation")
        if silent:
            note += (f"; {len(silent)} supporting passage(s) do not state the claim's figure, which a refuting "
                     "passage states otherwise: they confirm the rest of the claim, not the figure")
        if recurring:
            note += (f"; {len(recurring)} passage(s) date such an event otherwise, which does not outweigh a "
                     "confirmation that carries the claim's own date")
    return Verdict(label=label, confidence=round(confidence, 4),
                   supporting=len(strong_support), refuting=len(strong_refute), note=note)


def held_in_parts(verdict: Verdict, evidence: Sequence[Evidence], facts: Sequence[Fact],
                  thresholds: VerdictThresholds | None = None) -> Verdict:
    """A claim not read as supported as a whole but supported part by part: ``verdict`` (from :func:`aggregate`)
    turned to supported when the claim has a core and at least one qualifier, every one of them is supported,
    and every refutation that counts rests on the stance model's reading of the whole claim alone (no denial,
    no weighed mismatch of a date, figure, term, place or speaker). Such a reading is the model's strictness:
    the sentence states less than the claim ("The average weekly council rent in the district will go up from
    £98.40 to £105.98" against a claim that also names the district and the date, which another sentence
    gives), and each part it leaves out is confirmed elsewhere. A refutation that names what differs keeps
    the verdict as it was.

    Where nothing counts for the whole claim, the parts must be confirmed by sentences that each state some of
    it (a trial's size in one, its result two sentences on): when one sentence confirms every part and still
    does not confirm the whole claim, it pairs the parts otherwise ("more than three million rounds of 152mm
    shells, or around 500,000 rounds of 122mm ammunition" for "around 500,000 rounds of 152mm shells")."""
    if (verdict.label == "supported" or len(facts) < 2
            or not any(f.role == "core" for f in facts) or any(f.verdict != "supported" for f in facts)):
        return verdict
    t = thresholds or VerdictThresholds()
    against = [e for e in evidence if e.stance == "refutes" and weighs(e, t)[0]]
    if not all(e.model_only and not e.allegation for e in against):  # a misattributed one is signalled
        return verdict
    if verdict.label == "not_enough_evidence" and _one_sentence_confirms(facts):
        return verdict
    supporting = {fe.index for f in facts for fe in f.evidence if fe.counts and fe.stance == "supports"}
    confidence = min(f.confidence for f in facts)
    whole = (f"{len(against)} refuting reading(s) of the whole claim name no mismatch: a sentence states less "
             "than the claim, and the parts it leaves out are confirmed" if against
             else "no one sentence states the whole claim")
    note = (f"every part is supported ({len(facts)} parts, by {len(supporting)} passage(s)); {whole} "
            f"(as a whole: {verdict.note})")
    return Verdict(label="supported", confidence=round(confidence, 4), supporting=len(supporting),
                   refuting=verdict.refuting, note=note)


def refuted_in_core(verdict: Verdict, facts: Sequence[Fact]) -> Verdict:
    """A claim on which nothing counts as a whole, whose core proposition is refuted by a named mismatch: ``verdict``
    (not_enough_evidence) turned to refuted. The whole claim carries qualifiers that the deciding sentence leaves
    to its passage ("Ambulance crews at Larkmoor District Hospital waited an average of 27 minutes … between July
    and September 2024" against "Ambulance crews waited an average of 47 minutes to hand patients over …"), so it
    reads too far from any one sentence to count; its core is what that sentence states, and states otherwise. Only
    a refutation that names what differs (a date, figure, term, place or doer otherwise; not a denial, and not the
    model's reading alone of a shorter statement, which is its strictness), from a sentence that dates nothing
    the claim does not: the core leaves out the claim's time, so a sentence on another year's or month's event
    ("the yield of the 9 October 2006 test" for "North Korea's February 2013 nuclear test") reads against it
    without bearing on the claim. Any part supported by counting evidence leaves the verdict as it was; of a claim
    of coordinated clauses (a "clause" part after the core's), each clause is read so with its own qualifiers: one
    clause refuted so refutes the claim though another is supported ("… convicted her on four counts and she was
    given a six-year term" against "jailed for eight years")."""
    if verdict.label != "not_enough_evidence" or len(facts) < 2:
        return verdict
    for group in clause_groups(facts):
        refuted = _refuted_core(verdict, group, facts)
        if refuted is not None:
            return refuted
    return verdict


def _refuted_core(verdict: Verdict, group: Sequence[Fact], facts: Sequence[Fact]) -> Verdict | None:
    """``refuted_in_core`` for one clause: its core and its qualifiers (``group``) of the claim's ``facts``."""
    core = group[0] if group[0].role in ("core", "clause") else None
    if core is None or core.verdict != "refuted" or any(f.verdict == "supported" for f in group):
        return None
    claimed = " ".join(f.statement for f in facts)
    claim_years, claim_months = years(claimed), months(claimed)

    def dates_another(sentence: str) -> bool:
        stated = months(sentence)
        return bool(years(sentence) - claim_years) or bool(stated and claim_months and not stated & claim_months)

    named = [fe for fe in core.evidence if fe.counts and fe.stance == "refutes" and fe.mismatch
             and not dates_another(fe.sentence)]
    if not named:
        return None
    strongest = max(fe.score for fe in named)
    what = "the core" if core.role == "core" else "a coordinated clause"
    note = (f"{what} ('{core.text}') is refuted by {len(named)} passage(s) naming what differs; the whole claim, "
            f"with its qualifiers, is read against no one sentence (as a whole: {verdict.note})")
    return Verdict(label="refuted", confidence=round(strongest, 4), supporting=0, refuting=len(named), note=note)


# A time part that says how long something has held: "since 2019", "for at least five years".
_SPAN = re.compile(r"(?:since|for)\b", re.IGNORECASE)


def span_unstated(verdict: Verdict, facts: Sequence[Fact], evidence: Sequence[Evidence],
                  thresholds: VerdictThresholds | None = None) -> Verdict:
    """A claim supported as a whole that says how long something has held ("Sunita Rahman-Cole has been deputy
    headteacher since 2019", "had been a tenant for at least five years before …") when no sentence that counts
    for it states that span: ``verdict`` turned to not_enough_evidence. Support of the rest ("While he is away,
    the school is being led by its deputy headteacher, Sunita Rahman-Cole") confirms the post, not since when it
    has been held; a claim's tenure is what the sentence must state (``states_qualifier``: the span's years and
    figures). Other qualifiers left out of a supporting sentence are the desk's to see part by part."""
    if verdict.label != "supported":
        return verdict
    spans = [(f, core_of(facts, n)) for n, f in enumerate(facts)
             if f.role == "time" and _SPAN.match(f.text) and f.verdict != "supported"]
    if not spans:
        return verdict
    t = thresholds or VerdictThresholds()
    support = [e for e in evidence if e.stance == "supports" and weighs(e, t)[0]]
    unstated = [f for f, core in spans if not any(
        states_qualifier(f.role, f.text, f.statement, core, dated_by_publication(e.read_text, e.date)) for e in support)]
    if not unstated:
        return verdict
    note = (f"no sentence that supports the claim states '{unstated[0].text}': it confirms the rest, not how long "
            f"it has held (as a whole: {verdict.note})")
    # As for any claim on which nothing decides: one less the strongest reading (the support of the rest), and no
    # passage counted for it.
    return Verdict(label="not_enough_evidence", confidence=round(1.0 - verdict.confidence, 4), supporting=0,
                   refuting=verdict.refuting, note=note)


def _one_sentence_confirms(facts: Sequence[Fact]) -> bool:
    """Whether one sentence of one passage confirms every part: a confirmation of the first part that every other
    part has a confirmation meeting in the same passage (the same sentence, or a window of two holding it)."""
    confirmations = [{(fe.index, fe.sentence) for fe in f.evidence if fe.counts and fe.stance == "supports"}
                     for f in facts]

    def meets(one: tuple[int, str], other: tuple[int, str]) -> bool:
        return one[0] == other[0] and bool(one[1] and other[1]) and (one[1] in other[1] or other[1] in one[1])

    return any(all(any(meets(mine, theirs) for theirs in others) for others in confirmations[1:])
               for mine in confirmations[0])
