"""Claim extraction: split an article into sentences and checkable claims with character spans.

This first version makes one claim per declarative sentence. ``attribution`` and
``checkworthiness`` refine each claim's status, source and check-worthiness.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

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
