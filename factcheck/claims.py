"""Claim extraction: split an article into sentences and checkable claims with character spans.

This first version makes one claim per sentence. ``attribution`` and ``checkworthiness`` refine
each claim's status, source and check-worthiness.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field

from .errors import InputError

log = logging.getLogger(__name__)

STATUSES = ("asserted", "attributed", "alleged", "denied", "hedged")


@dataclass
class Cue:
    """A word or phrase in the input that decided a claim's status or source."""

    text: str
    start: int
    end: int
    role: str  # e.g. "status", "source", "negation"


@dataclass
class Claim:
    """One checkable proposition found in the input text.

    ``start``/``end`` are character offsets of the claim's span in the input;
    ``sentence_start``/``sentence_end`` those of the sentence it came from.
    ``query`` is the self-contained text used to search for evidence.
    """

    id: str
    text: str
    sentence: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    checkworthy: bool = True
    checkworthiness: float = 0.5
    status: str = "asserted"
    source: str | None = None
    cues: list[Cue] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)  # ids of claims this one relates to
    query: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown claim status {self.status!r}; expected one of {STATUSES}")
        if not 0.0 <= self.checkworthiness <= 1.0:
            raise ValueError(f"checkworthiness must be in 0..1, got {self.checkworthiness}")
        if not self.query:
            self.query = self.text

    def to_dict(self) -> dict:
        return asdict(self)


_LINE = re.compile(r"[^\n]+")


class ClaimExtractor:
    """Split text into claims, one per sentence (first version)."""

    def __init__(self) -> None:
        self._nlp = None

    def warm_up(self) -> None:
        """Load the shared spaCy pipeline now rather than on the first call."""
        if self._nlp is None:
            from .resources import get_nlp

            self._nlp = get_nlp()

    def extract(self, text: str) -> list[Claim]:
        """Return every claim in ``text`` in text order, non-check-worthy ones flagged."""
        if not isinstance(text, str) or not text.strip():
            raise InputError("The text is empty — give an article or at least one sentence to check.")
        self.warm_up()
        # Lines are hard boundaries: headings and captions have no final punctuation.
        lines = [(m.start(), m.group()) for m in _LINE.finditer(text) if m.group().strip()]
        claims: list[Claim] = []
        for (offset, _line), doc in zip(lines, self._nlp.pipe([line for _, line in lines])):
            for sent in doc.sents:
                span_text = sent.text.strip()
                if not span_text:
                    continue
                start = offset + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
                end = start + len(span_text)
                question = span_text.endswith("?")
                claims.append(
                    Claim(
                        id=f"c{len(claims) + 1}",
                        text=span_text,
                        sentence=span_text,
                        start=start,
                        end=end,
                        sentence_start=start,
                        sentence_end=end,
                        checkworthy=not question,
                        checkworthiness=0.1 if question else 0.5,
                    )
                )
        return claims
