"""Retrieval: find the passages in the store that bear on each claim."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from .chunking import Passage
from .resources import get_embeddings
from .settings import Settings
from .store import EvidenceStore

log = logging.getLogger(__name__)


@dataclass
class RetrievedPassage:
    """A passage found for a query, with its dense cosine similarity to it."""

    passage: Passage
    similarity: float
    rank: int


class Retriever:
    """Dense retrieval over an ``EvidenceStore`` (MiniLM embeddings, cosine similarity)."""

    def __init__(self, store: EvidenceStore, settings: Settings | None = None, embeddings=None) -> None:
        self.store = store
        self.settings = settings or Settings()
        self._embeddings = embeddings

    @property
    def embeddings(self):
        return self._embeddings or get_embeddings()

    def embed(self, queries: Sequence[str]) -> list[list[float]]:
        """Embed queries in one batch."""
        return self.embeddings.embed_documents(list(queries)) if queries else []

    def retrieve(self, queries: Sequence[str], k: int | None = None) -> list[list[RetrievedPassage]]:
        """Return the top-``k`` passages for each query, best first."""
        k = k or self.settings.top_k
        results = []
        for vector in self.embed(queries):
            hits = self.store.search_by_vector(vector, k)
            results.append([RetrievedPassage(p, sim, rank) for rank, (p, sim) in enumerate(hits, start=1)])
        return results
