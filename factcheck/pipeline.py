"""The pipeline: ``Checker.check(text) -> Report`` — claims, evidence, stance, verdict."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from factcheck.claims.extract import ClaimExtractor
from factcheck.errors import ConfigError, InputError
from factcheck.report import ClaimResult, Report
from factcheck.evidence.retrieval import Retriever
from factcheck.settings import Settings
from factcheck.stance.judge import StanceJudge
from factcheck.evidence.store import EvidenceStore
from factcheck.verdict import Evidence, VerdictThresholds, aggregate, weighs

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


def judged_text(claim) -> str:
    """What the stance judge reads for a claim: its search query (the claim without asides), unless an aside
    held a date or a figure ("… on June 18, 2024, in a 7-2 vote"), which is part of what is checked."""
    from factcheck.stance.signals import numbers, years

    if years(claim.query) == years(claim.text) and set(numbers(claim.query)) == set(numbers(claim.text)):
        return claim.query
    return claim.text


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
        self.judge = StanceJudge(use_model=self.settings.use_stance_model, precision=self.settings.stance_precision)
        self.thresholds = VerdictThresholds.load()

    def warm_up(self) -> None:
        """Open the store and load every model now (the app and multi-file CLI runs call this once)."""
        self.store.collection  # noqa: B018 - opening raises StoreError before any model loads
        self.retriever.embed(["warm up"])
        self.extractor.extract("Models are warming up.")
        self.judge.warm_up()

    def check(self, text: str, input_name: str = "-", progress: Progress | None = None,
              top_k: int | None = None) -> Report:
        """Check one text: extract claims, retrieve evidence for the check-worthy ones, judge and aggregate.

        ``top_k`` overrides the settings' evidence passages per claim for this text only."""
        validate_text(text, self.settings.max_input_chars)
        if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
            raise ConfigError(f"top_k must be a whole number of at least 1, not {top_k!r}")
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
        claims = self.extractor.extract(text)
        started = step("claims", 0.2, started)

        worthy = [c for c in claims if c.checkworthy]
        retrieved = self.retriever.retrieve([c.query for c in worthy], top_k or self.settings.top_k)
        started = step("retrieval", 0.5, started)

        items = [(judged_text(claim), hit.passage.sentence_texts(), hit.similarity)
                 for claim, hits in zip(worthy, retrieved) for hit in hits]
        judgements = iter(self.judge.judge_many(items))
        started = step("stance", 0.9, started)

        evidence_by_claim: dict[str, list[Evidence]] = {}
        for claim, hits in zip(worthy, retrieved):
            evidence = [Evidence.from_hit(hit, next(judgements)) for hit in hits]
            for item in evidence:
                item.counts, item.weight_note = weighs(item, self.thresholds)
            evidence.sort(key=lambda e: (e.stance == "neutral", not e.counts, -e.score))
            evidence_by_claim[claim.id] = evidence

        results = []
        for claim in claims:
            evidence = evidence_by_claim.get(claim.id, [])
            results.append(ClaimResult(claim=claim, verdict=aggregate(evidence, self.thresholds), evidence=evidence))
        step("verdict", 1.0, started)
        return Report(input=input_name, text=text, claims=results, timings=timings)
