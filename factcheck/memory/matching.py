"""Claim matching: find claims already checked that an incoming claim restates.

Archived claims live in a Chroma collection of their own beside the evidence store (``<collection>-claims``,
embedded or on a Chroma server alike), with the BM25 index the evidence store keeps for every collection.
A query (cleaned of what a social-media post wraps a claim in: links, handle and hashtag marks, an embed's
handle and date) is matched by dense MiniLM cosine search and BM25, fused by (weighted) reciprocal rank fusion
as evidence retrieval does; the top candidate's cosine similarity then decides, against two thresholds
fitted on CheckThat! training data with negatives (``factcheck/training/match_thresholds.py``, run by
``benchmarks/claim_matching.py``), whether it is linked, suggested or neither.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from factcheck.errors import ConfigError
from factcheck.evidence.chunking import Passage
from factcheck.evidence.retrieval import reciprocal_rank_fusion, resolve_fused
from factcheck.evidence.store import EvidenceStore
from factcheck.resources import get_embeddings

log = logging.getLogger(__name__)

CLAIMS_SUFFIX = "-claims"
THRESHOLDS_FILE = Path(__file__).resolve().parent / "thresholds.json"

# What a post wraps a claim in: links, a retweet's prefix, the handle and date of an embedded post's credit
# line ("— Name (@handle) May 4, 2016": the name stays, since who posted it is often what was checked), and
# the marks of handles and hashtags (their words stay: @realDonaldTrump and #Obamacare name who and what).
_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+", re.IGNORECASE)
_EMBED_CREDIT = re.compile(r"\s+[—–-]{1,2}\s+([^—–\n]{0,80}?)\s*\(@\w+\)\s+\w+ \d{1,2}, \d{4}\s*$")
_RETWEET = re.compile(r"^\s*RT\s+@\w+:?\s*")
_TAG = re.compile(r"(?<!\w)[@#](\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|_+")

LINKED = "linked"
SUGGESTED = "suggested"


@dataclass(frozen=True)
class MatchThresholds:
    """When a match is linked outright (``link``) or offered to the reviewer (``suggest``), by cosine similarity.

    ``dense_weight`` is the weight of the dense ranking in the fusion (BM25 gets 1 - it).
    """

    link: float = 0.80
    suggest: float = 0.60
    dense_weight: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 <= self.suggest <= self.link <= 1.0:
            raise ConfigError(f"Match thresholds need 0 <= suggest <= link <= 1, not suggest={self.suggest}, "
                              f"link={self.link}")
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ConfigError(f"The dense weight must lie in [0, 1], not {self.dense_weight}")

    def decide(self, similarity: float) -> str | None:
        """``"linked"``, ``"suggested"`` or None for a candidate with this cosine similarity."""
        if similarity >= self.link:
            return LINKED
        if similarity >= self.suggest:
            return SUGGESTED
        return None

    @classmethod
    def load(cls, path: str | Path = THRESHOLDS_FILE) -> "MatchThresholds":
        """The fitted thresholds: the shipped file (the defaults where none was fitted yet), or the file named."""
        rerun = "rerun `python -m benchmarks.claim_matching --write-thresholds`"
        try:
            fitted = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            if Path(path) == THRESHOLDS_FILE:  # a source checkout before any fit: the defaults
                return cls()
            raise ConfigError(f"No match thresholds at {path} — check the path, or {rerun} "
                              "and point FACTCHECK_MATCH_THRESHOLDS at what it writes") from exc
        except (OSError, ValueError) as exc:
            raise ConfigError(f"Cannot read match thresholds from {path} ({exc}) — {rerun}") from exc
        try:
            return cls(link=float(fitted["link"]), suggest=float(fitted["suggest"]),
                       dense_weight=float(fitted.get("dense_weight", 0.5)))
        except KeyError as exc:
            raise ConfigError(f"Match thresholds in {path} lack {exc.args[0]!r} — {rerun}") from exc
        except (TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(f"Match thresholds in {path} are not numbers ({exc}) — {rerun}") from exc


@dataclass
class IndexedClaim:
    """A claim to index for matching: its id, the text matched against, and an optional title."""

    id: str
    text: str
    title: str | None = None
    origin: str = "review"  # "review" (a claim checked here) or the file an outside archive came from

    def matching_text(self) -> str:
        """What is embedded: the title (the fact-check's headline) then the claim."""
        return f"{self.title}. {self.text}" if self.title else self.text

    def _passage(self) -> Passage:
        return Passage(id=self.id, doc_id=self.id, source=self.origin, text=self.text,
                       sentences=[(0, len(self.text))], index=0, title=self.title)


@dataclass
class MatchCandidate:
    """An archived claim found for a query, with how it was found."""

    claim_id: str
    text: str
    title: str | None
    origin: str
    similarity: float  # cosine similarity of the query and the archived claim's vector
    score: float  # fused rank score (weighted reciprocal rank fusion)
    dense_rank: int | None
    lexical_rank: int | None

    def to_dict(self) -> dict:
        return asdict(self)


def clean_query(text: str) -> str:
    """A claim as matching reads it: links, a retweet's prefix and an embedded post's handle and date removed
    (its author's name kept), handles and hashtags as words.

    >>> clean_query("Thanks @realDonaldTrump for #MakeAmericaGreatAgain https://t.co/x — Jo Li (@jo) May 4, 2016")
    'Thanks real Donald Trump for Make America Great Again — Jo Li'
    """
    cleaned = _URL.sub(" ", _RETWEET.sub("", _EMBED_CREDIT.sub(r" — \1", text)))
    cleaned = _TAG.sub(lambda tag: " " + _CAMEL.sub(" ", tag.group(1)).strip() + " ", cleaned)
    cleaned = " ".join(cleaned.split())
    return cleaned or " ".join(text.split())  # a post of nothing but a link is matched as it is


@dataclass
class Rankings:
    """One query's two candidate lists before fusion: dense (passage, cosine) and BM25 (claim id, score)."""

    query: str
    vector: np.ndarray
    dense: list[tuple[Passage, float]] = field(default_factory=list)
    lexical: list[tuple[str, float]] = field(default_factory=list)

    def without(self, claim_ids: Collection[str]) -> "Rankings":
        """These rankings with some claims taken out, as if they were not archived."""
        return Rankings(self.query, self.vector, [(p, s) for p, s in self.dense if p.id not in claim_ids],
                        [(i, s) for i, s in self.lexical if i not in claim_ids])


class ClaimIndex:
    """The archive's matching index: a Chroma collection (dense) with its BM25 index (lexical).

    >>> index = ClaimIndex(".factcheck/store")
    >>> index.add([IndexedClaim("r1", "North Korea sent Russia millions of shells")])
    >>> index.search(["Pyongyang shipped artillery rounds to Moscow"])[0][0].claim_id
    'r1'
    """

    def __init__(self, location: str | Path, collection: str = "factcheck", *, embeddings=None,
                 thresholds: MatchThresholds | None = None, depth: int = 50) -> None:
        self._embeddings = embeddings
        self.store = EvidenceStore(location, collection + CLAIMS_SUFFIX, create=True, embeddings=embeddings)
        self.thresholds = thresholds or MatchThresholds.load()
        self.depth = depth

    @property
    def embeddings(self):
        return self._embeddings or get_embeddings()

    def __len__(self) -> int:
        return self.store.count()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return self.embeddings.embed_documents(list(texts)) if texts else []

    def add(self, claims: Sequence[IndexedClaim], vectors: Sequence[Sequence[float]] | None = None) -> None:
        """Index claims (an id already present is replaced); ``vectors`` skips embedding them here."""
        if not claims:
            return
        if vectors is None:
            vectors = self.embed([c.matching_text() for c in claims])
        with self.store.bulk():
            for start in range(0, len(claims), 5000):  # Chroma caps one write's size
                self.store.add([c._passage() for c in claims[start:start + 5000]], vectors[start:start + 5000])

    def remove(self, ids: Sequence[str]) -> None:
        self.store.delete(ids)

    def rank(self, queries: Sequence[str], vectors: Sequence[Sequence[float]] | None = None,
             depth: int | None = None) -> list[Rankings]:
        """Each query's dense and BM25 candidates, ``depth`` (default ``self.depth``) deep: :meth:`search`'s first step.

        Queries are cleaned (:func:`clean_query`) first; ``vectors``, when given, are of the cleaned queries.
        """
        cleaned = [clean_query(q) for q in queries]
        if not cleaned or self.store.count() == 0:
            return [Rankings(q, np.zeros(0, dtype=np.float32)) for q in cleaned]
        vectors = self.embed(cleaned) if vectors is None else np.asarray(vectors, dtype=np.float32).tolist()
        depth = min(depth or self.depth, self.store.count())
        lexical = self.store.lexical
        return [Rankings(query, np.asarray(vector, dtype=np.float32), self.store.search_by_vector(vector, depth),
                         lexical.search(query, depth)) for query, vector in zip(cleaned, vectors)]

    def fuse(self, rankings: Sequence[Rankings], k: int = 5, dense_weight: float | None = None) -> list[list[MatchCandidate]]:
        """The ``k`` best candidates of each query's rankings by weighted reciprocal rank fusion, best first.

        ``dense_weight`` defaults to the thresholds' (BM25 gets 1 - it).
        """
        weight = self.thresholds.dense_weight if dense_weight is None else dense_weight
        fused = [reciprocal_rank_fusion([[p.id for p, _ in r.dense], [i for i, _ in r.lexical]],
                                        weights=[weight, 1.0 - weight])[:k] for r in rankings]
        plans = [(r.vector, r.dense, r.lexical, found) for r, found in zip(rankings, fused)]
        return [[MatchCandidate(claim_id=h.passage.id, text=h.passage.text, title=h.passage.title,
                                origin=h.passage.source, similarity=h.similarity, score=h.score,
                                dense_rank=h.dense_rank, lexical_rank=h.lexical_rank) for h in hits]
                for hits in resolve_fused(self.store, plans)]

    def search(self, queries: Sequence[str], k: int = 5, vectors: Sequence[Sequence[float]] | None = None,
               exclude: Sequence[Collection[str]] = ()) -> list[list[MatchCandidate]]:
        """The ``k`` best archived claims for each query, best first (empty lists for an empty archive).

        ``exclude``: per query, archived claim ids to leave out before fusion (as if they were not archived).
        """
        if not queries:
            return []
        rankings = self.rank(queries, vectors, depth=max(k, self.depth))
        rankings = [r.without(exclude[n]) if n < len(exclude) and exclude[n] else r for n, r in enumerate(rankings)]
        return self.fuse(rankings, k)
