"""The pipeline: ``Checker.check(text) -> Report`` — claims, evidence, stance, verdict."""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable
from dataclasses import replace

from factcheck.claims.dates import article_date, parse_date
from factcheck.claims.extract import Claim, ClaimExtractor
from factcheck.claims.facts import Part, core_of
from factcheck.errors import ConfigError, InputError
from factcheck.report import OPINION_NOTE, OPINION_REASON, ClaimResult, Fact, FactEvidence, Report
from factcheck.resources import calibration_file
from factcheck.evidence.retrieval import Retriever
from factcheck.settings import Settings
from factcheck.stance.judge import StanceJudge, against_holder, parses
from factcheck.stance.roles import another_holder, mentions_post, misattributed, names_actor, speaking_person
from factcheck.stance.signals import dated_by_publication, states_qualifier
from factcheck.evidence.store import EvidenceStore
from factcheck.verdict import (Evidence, VerdictThresholds, aggregate, held_in_parts, refuted_in_core, span_unstated,
                               unjudged, weighs)

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]  # (stage, fraction done)


def validate_text(text: str, max_chars: int) -> str:
    """Refuse input that cannot be checked, before any model loads."""
    if text is None or not text.strip():
        raise InputError("The input is empty — paste an article or pass a text file")
    if "\x00" in text:
        raise InputError("The input holds NUL bytes, so it is binary, not text — pass a .txt, .md, .html or .pdf file")
    if len(text) > max_chars:
        raise InputError(
            f"The input is {len(text):,} characters; factcheck checks up to {max_chars:,} at a time — "
            "split it into articles"
        )
    return text


# A quote in an evidence sentence: quote marks and a verb of speech.
_QUOTE = re.compile(r"[“”\"]")
_SPEECH = re.compile(r"\b(?:said|says|say|told|tells|added|adds|stated|states|explained|warned|insisted)\b")
# The share of a claim's key words a quote must hold to be taken for the claim's quoted words.
QUOTE_OVERLAP = 0.75
# The share a sentence reporting a named person's words must hold to be taken for the claim's reported words
# ("Councillor Nadia Felsham … said a team of three advisers had been sent" for "Declan Moyes said three advisers
# had been sent").
REPORT_OVERLAP = 0.5


def _quoted_speaker(claim: Claim) -> str:
    """The named speaker of a claim that reports what someone said, hedged or alleged (not an opinion: that is
    checked for its speaker by its attribution part), whose words a quote of someone else does not confirm; ""
    otherwise."""
    return (claim.source if claim.source and claim.status in ("attributed", "hedged", "alleged") and not claim.opinion
            else "")


def _held_score(item: Evidence) -> float:
    """How strongly a passage that gives the claim's speaker's post to another refutes the claim: as the judge reads
    another holder of a claim's post (``judge.against_holder``)."""
    return round(min(1.0, against_holder(item.probs or {})["refutes"]), 4)


def judged_text(claim) -> str:
    """What the stance judge reads for a claim: its search query (the claim in context, without asides),
    unless an aside held a date or a figure ("… on June 18, 2024, in a 7-2 vote") or said where its thing is from
    or who is behind it ("Conflict Armament Research, the US-based weapons-tracing group, examined …"), which
    is part of what is checked; for an opinion, only who said it."""
    from factcheck.stance.signals import name_compounds, numbers, years

    if claim.opinion and claim.parts:
        return claim.parts[0].statement
    full = claim.standalone or claim.text
    if (years(claim.query) == years(full) and set(numbers(claim.query)) == set(numbers(full))
            and name_compounds(full) <= name_compounds(claim.query)):
        return claim.query
    return full


class Checker:
    """Checks texts against an evidence store. Models and the store open lazily, once.

    >>> checker = Checker(Settings(store=".factcheck/store"))
    >>> report = checker.check("Finland joined NATO in April 2023.")
    """

    def __init__(self, settings: Settings | None = None, store: EvidenceStore | None = None) -> None:
        self.settings = settings or Settings()
        self.store = store or EvidenceStore(self.settings.store, self.settings.collection)
        self.extractor = ClaimExtractor()
        self.retriever = Retriever(self.store, self.settings)
        self.judge = StanceJudge(use_model=self.settings.use_stance_model, precision=self.settings.stance_precision,
                                 model_dir=self.settings.stance_model)
        self.thresholds = VerdictThresholds.load(calibration_file(self.settings.stance_model))

    def warm_up(self) -> None:
        """Open the store and load every model now (the app and multi-file CLI runs call this once)."""
        self.store.collection  # noqa: B018 - opening raises StoreError before any model loads
        self.retriever.embed(["warm up"])
        self.extractor.extract("Models are warming up.")
        self.judge.warm_up()

    def check(self, text: str, input_name: str = "-", progress: Progress | None = None,
              top_k: int | None = None, date: dt.date | str | None = None) -> Report:
        """Check one text: extract claims, retrieve evidence for the check-worthy ones, judge and aggregate.

        ``top_k`` overrides the settings' evidence passages per claim for this text only. ``date``
        (``YYYY-MM-DD``, else ``settings.date``, else the date the text gives in front matter or a dateline)
        anchors relative dates ("on Tuesday") in the claims' standalone form.
        """
        validate_text(text, self.settings.max_input_chars)
        if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
            raise ConfigError(f"top_k must be a whole number of at least 1, not {top_k!r}")
        anchor = parse_date(date or self.settings.date) or article_date(text)
        timings: dict[str, float] = {}

        def step(name: str, fraction: float, started: float) -> float:
            now = time.perf_counter()
            timings[name] = round(now - started, 4)
            if progress:
                progress(name, fraction)
            return now

        started = time.perf_counter()
        if self.store.count() == 0:
            from factcheck.errors import StoreError

            raise StoreError(f"The store at {self.store.location} is empty — run `factcheck ingest corpus/` first")
        claims = self.extractor.extract(text, date=anchor)
        started = step("claims", 0.2, started)

        # An opinion is searched and judged only for who said it (its attribution part).
        worthy = [c for c in claims if (c.checkworthy and not c.opinion) or (c.opinion and c.parts)]
        retrieved = self.retriever.retrieve([_judged(c) for c in worthy], top_k or self.settings.top_k)
        started = step("retrieval", 0.5, started)

        items = [(judged_text(claim), hit.passage.sentence_texts(), hit.similarity, hit.passage.before,
                  hit.passage.date)
                 for claim, hits in zip(worthy, retrieved) for hit in hits]
        # Each part with a wording of its own is judged against the same passages, in the same batch.
        part_items = [(claim.id, n, part.statement) for claim in worthy if not claim.opinion
                      for n, part in enumerate(claim.parts) if part.statement != claim.query]
        # A passage too far from the claim never counts (``weighs``), so its parts are not judged on it.
        hits_of = {claim.id: [hit for hit in hits if hit.similarity >= self.thresholds.min_similarity]
                   for claim, hits in zip(worthy, retrieved)}
        items += [(statement, hit.passage.sentence_texts(), hit.similarity, hit.passage.before,
                  hit.passage.date)
                  for claim_id, _, statement in part_items for hit in hits_of[claim_id]]
        judgements = iter(self.judge.judge_many(items))
        started = step("stance", 0.9, started)

        evidence_by_claim: dict[str, list[Evidence]] = {}
        for claim, hits in zip(worthy, retrieved):
            evidence = [Evidence.from_hit(hit, next(judgements)) for hit in hits]
            for item in evidence:
                if claim.opinion:  # judged for who said it (its attribution part)
                    self._speaker_named(claim.parts[0], item)
                elif _quoted_speaker(claim):
                    self._quoted_from_another(claim, item)
                item.counts, item.weight_note = weighs(item, self.thresholds)
            evidence.sort(key=lambda e: (e.stance == "neutral", not e.counts, -e.score))
            evidence_by_claim[claim.id] = evidence

        part_judgements: dict[tuple[str, int], list] = {}
        for claim_id, n, _ in part_items:
            part_judgements[(claim_id, n)] = [(hit, next(judgements)) for hit in hits_of[claim_id]]

        results = []
        for claim in claims:
            evidence = evidence_by_claim.get(claim.id, [])
            checked = claim.id in evidence_by_claim
            quoted = claim if _quoted_speaker(claim) else None
            facts = [self._fact(part, evidence, part_judgements.get((claim.id, n)), checked, quoted,
                                core_of(claim.parts, n))
                     for n, part in enumerate(claim.parts)]
            if claim.opinion:
                verdict = unjudged(OPINION_NOTE)  # no truth verdict for an opinion
                reason = OPINION_REASON + (f"; {_summary(facts)}" if facts else "")
            elif not checked:
                verdict = unjudged("not checked: not check-worthy"
                                   + (f" ({claim.checkworthy_reason})" if claim.checkworthy_reason else ""))
                reason = ""
            else:
                verdict = held_in_parts(aggregate(evidence, self.thresholds), evidence, facts, self.thresholds)
                verdict = refuted_in_core(verdict, facts)
                verdict = span_unstated(verdict, facts, evidence, self.thresholds)
                reason = _summary(facts)
            result = ClaimResult(claim=claim, verdict=verdict, evidence=evidence, facts=facts, reason=reason)
            if result.misleading:
                result.reason = "misleading: the core is supported but a qualifier is refuted; " + result.reason
            results.append(result)
        step("verdict", 1.0, started)
        return Report(input=input_name, text=text, claims=results, timings=timings,
                      date=anchor.isoformat() if anchor else None)

    def _speaker_named(self, part: Part, item: Evidence) -> None:
        """For an attribution part ("X said that …"), a passage that bears on what was said but not on whether X
        said it does not count: one whose deciding sentence never names X ("The Kremlin says …" for "South
        Korea's foreign ministry said …"), and any refutation: the model reads the content against someone
        else's statement or a rebuttal ("the mayor rejected Ames's criticism", which confirms she made it).
        That disputes the opinion, not who voiced it; a speaker disowning the words is rare enough to be left
        to the reviewer, who sees the passage."""
        if part.role != "attribution" or item.stance == "neutral":
            return
        if names_actor(part.text, f"{item.title or ''}\n{item.sentence}", self.judge.aliases) is False:
            item.not_about_speaker = (f"does not name {part.text}: it bears on what was said, not on who "
                                      "said it")
        elif item.stance == "refutes":
            item.not_about_speaker = "it disputes what was said, not who said it"

    def _quoted_from_another(self, claim: Claim, item: Evidence) -> None:
        """A claim that a named speaker said something, supported by a quote of the same words that never names
        that speaker ("… keeping it alive through a dry July is where the work really starts," said programme
        coordinator Sian Tolley, for "Ruth Okafor … said keeping saplings alive through a dry July is where the
        real work starts"): the words are someone else's, so the passage does not count for the claim. Only a
        quote holding most of the claim's key words: another speaker confirming the content in words of their
        own is still evidence for it.

        Where the claim gives its speaker a post and the passage has another named person say the words as the
        holder of that same post ("programme coordinator Ruth Okafor" / "programme coordinator Sian Tolley"), the
        claim puts the words in the wrong mouth: the passage refutes it (``Evidence.misattributed``). So does one
        that gives the post the claim gives its speaker to another named person, whatever it says ("Clean Kellow chair
        Annika Forsdyke welcomed …" for "Clean Kellow chair Mavis Oldroyd alleged …": ``roles.another_holder``)."""
        source = claim.source or ""
        if (item.stance == "supports" and item.overlap is not None and item.overlap >= REPORT_OVERLAP
                and _SPEECH.search(item.sentence)):
            swapped = misattributed(*parses([claim.sentence, item.sentence]))
            if swapped and names_actor(swapped[0], f"{item.title or ''}\n{item.sentence}",
                                       self.judge.aliases) is False:
                mine, theirs = swapped
                item.misattributed = (f"misattributed: the passage has {theirs} say it as the holder of the post "
                                      f"the claim gives {mine}")
                item.score = max(item.score, _held_score(item))
                item.stance, item.signalled, item.pinned = "refutes", True, True
                item.reason = "; ".join(r for r in (item.reason, item.misattributed) if r)
                return
        if (not (item.stance == "refutes" and item.signalled) and mentions_post(claim.sentence)
                and mentions_post(item.sentence)):
            holder = another_holder(parses([claim.sentence])[0], parses([item.sentence]),
                                    f"{item.title or ''}\n{item.passage or ''}")
            if holder:
                post, mine, theirs = holder
                item.misattributed = f"another holder: the passage has {theirs} as {post}, the claim {mine}"
                item.score = _held_score(item)
                item.stance, item.signalled, item.pinned = "refutes", True, True
                item.reason = "; ".join(r for r in (item.reason, item.misattributed) if r)
                return
        if item.stance != "supports" or item.overlap is None or not _SPEECH.search(item.sentence):
            return
        quoted = item.overlap >= QUOTE_OVERLAP and _QUOTE.search(item.sentence)
        speaker = "" if quoted or item.overlap < REPORT_OVERLAP else speaking_person(parses([item.sentence])[0])
        if not (quoted or speaker):
            return
        if names_actor(source, f"{item.title or ''}\n{item.sentence}", self.judge.aliases) is False:
            item.not_about_speaker = (f"another speaker: the passage has {speaker} say it, not {source}" if speaker
                                      else f"quotes someone else: the claim has {source} say it, and the passage "
                                           f"never names {source}")

    def _fact(self, part: Part, evidence: list[Evidence], judged: list | None, checked: bool,
              quoted: Claim | None = None, core: str = "") -> Fact:
        """Judge one part: on the claim's own judgements when it reads as the claim, else on its own. ``quoted``:
        a claim that a named speaker said it, whose words a quote of someone else does not confirm. ``core``: the
        claim's core statement, against which a quantity part's own figures are told apart."""
        fact = Fact(text=part.text, role=part.role, statement=part.statement)
        if not checked:
            fact.reason = "not checked: the claim is not check-worthy"
            return fact
        index = {e.passage_id: n for n, e in enumerate(evidence)}
        if judged is None:
            weighed = list(zip(range(len(evidence)), evidence))
        else:
            weighed = []
            for hit, result in judged:
                item = Evidence.from_hit(hit, result)
                self._speaker_named(part, item)
                if quoted:
                    self._quoted_from_another(quoted, item)
                item.counts, item.weight_note = weighs(item, self.thresholds)
                weighed.append((index[hit.passage.id], item))
        if part.role in ("time", "quantity"):
            # Support that never states the qualifier confirms the rest of the claim, not the qualifier.
            weighed = [(n, _unstated(part, core, e, self.thresholds)) for n, e in weighed]
        verdict = aggregate([e for _, e in weighed], self.thresholds)
        fact.verdict, fact.confidence = verdict.label, verdict.confidence
        fact.evidence = [FactEvidence(n, e.stance, e.score, e.counts, e.read_text,
                                      mismatch=e.stance == "refutes" and (e.signalled or e.pinned)
                                      and not e.contested)
                         for n, e in sorted(weighed, key=lambda x: x[0]) if e.stance != "neutral"]
        fact.reason = _fact_reason(verdict.label, [e for _, e in weighed if e.counts],
                                   sum(1 for _, e in weighed if e.unstated_part))
        return fact


def _unstated(part: Part, core: str, item: Evidence, thresholds: VerdictThresholds) -> Evidence:
    """``item`` as it weighs for a time or quantity part: a support whose sentence does not state the part
    ("since 2019" by a sentence that gives no year; a date without its year counts in the year its document was
    published) no longer counts, and says why (``weighs``). A copy: the claim's own evidence is left as it was."""
    if item.stance != "supports" or not item.counts or states_qualifier(
            part.role, part.text, part.statement, core, dated_by_publication(item.read_text, item.date)):
        return item
    unstated = replace(item, unstated_part=part.text)
    unstated.counts, unstated.weight_note = weighs(unstated, thresholds)
    return unstated


def _judged(claim: Claim) -> str:
    """What a claim's evidence is searched for and judged against: its core, or for an opinion who said it."""
    return claim.parts[0].statement if claim.opinion else claim.query


def _names(evidence: list[Evidence]) -> str:
    names = list(dict.fromkeys(e.title or e.doc_id for e in evidence))
    shown = ", ".join(f"“{n}”" for n in names[:2])
    return shown + (f" and {len(names) - 2} more" if len(names) > 2 else "")


def _fact_reason(label: str, counted: list[Evidence], unstated: int = 0) -> str:
    """Names the documents on each side. A sentence that reports a dispute (an allegation and its denial) weighs
    on both sides but is named as what it is, a dispute — never as support; a denial beside independent
    confirmation (a supported part) is named as a denial. ``unstated``: how many supporting passages left out
    of a time or quantity part's count for not stating it."""
    supporting = [e for e in counted if e.stance == "supports" and not e.disputed]
    refuting = [e for e in counted if e.stance == "refutes" and not e.disputed]
    disputes = [e for e in counted if e.disputed]
    denials = [e for e in refuting if e.denial] if label == "supported" else []
    disputed = "; ".join(s for s in (f"denied in {_names(denials)}" if denials else "",
                                     f"disputed in {_names(disputes)}" if disputes else "") if s)
    if label == "not_enough_evidence" and unstated:
        return (f"unverified: no passage states it ({unstated} support{'s' if unstated == 1 else ''} the rest of the "
                "claim without it)")
    if label == "not_enough_evidence":
        return "unverified: no passage bears on it strongly enough"
    sides = [f"supported by {_names(supporting)}" if supporting and label != "refuted" else "",
             f"refuted by {_names(refuting)}" if refuting and label != "supported" else ""]
    sides = [s for s in sides if s]
    if len(sides) == 2:
        return f"{sides[0]} but {sides[1]}" + (f"; {disputed}" if disputed else "")
    return "; ".join(s for s in (*sides, disputed) if s)


def _summary(facts: list[Fact]) -> str:
    """ "core supported by …; 'millions of' refuted by …; 'since September 2023' unverified"."""
    parts = []
    for fact in facts:
        name = fact.role if fact.role in ("core", "attribution") else f"'{fact.text}'"
        if fact.role == "attribution":
            name = f"that {fact.text} said it"
        reason = fact.reason.split(":")[0] if fact.verdict == "not_enough_evidence" else fact.reason
        parts.append(f"{name} {reason}")
    return "; ".join(parts)
