"""Retrieval: find the passages in the store that bear on each claim.

Hybrid by default: the dense (MiniLM cosine) and lexical (BM25) candidate lists are fused by
reciprocal rank fusion, so an exact name, number or technical term the embedding blurs still surfaces.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from factcheck.evidence.chunking import Passage
from factcheck.resources import get_embeddings
from factcheck.settings import Settings
from factcheck.evidence.store import EvidenceStore

T = TypeVar("T")

log = logging.getLogger(__name__)

RRF_K = 60  # the constant of Cormack et al. (2009); it damps the weight of the very top ranks


@dataclass
class RetrievedPassage:
    """A passage found for a query, with its dense cosine similarity to it."""

    passage: Passage
    similarity: float
    rank: int
    dense_rank: int | None = None  # its rank in the dense candidates (None: not among them)
    lexical_rank: int | None = None  # its rank in the BM25 candidates
    fused_score: float = 0.0  # reciprocal rank fusion score (0 for dense-only retrieval)


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = RRF_K,
                           weights: Sequence[float] | None = None) -> list[tuple[str, float]]:
    """Fuse ranked id lists: score(id) = sum of weight / (k + rank); best first, ties by first appearance.

    ``weights`` (one per ranking, default all 1) lets a caller that fitted them trust one ranking more.
    """
    weights = [1.0] * len(rankings) if weights is None else list(weights)
    if len(weights) != len(rankings):
        raise ValueError("reciprocal_rank_fusion() needs one weight per ranking")
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b / norm) if norm else 0.0


@dataclass(frozen=True)
class FusedHit:
    """One fused candidate of one query: the passage, its cosine similarity to the query, its fused score
    and its rank in each list (None where the list missed it)."""

    passage: Passage
    similarity: float
    score: float
    dense_rank: int | None
    lexical_rank: int | None


def resolve_fused(store: EvidenceStore, plans: Sequence[tuple]) -> list[list[FusedHit]]:
    """Each query's fused ranking as passages: ``plans`` are (query vector, dense hits [(passage, similarity)],
    lexical hits [(id, score)], fused [(id, score)]) per query. Ids the dense search missed are fetched with
    their stored vectors, all queries in one read, and get the same measure (cosine); ids removed from the
    store since the search are dropped."""
    wanted = sorted({i for _, dense, _, fused in plans for i in {i for i, _ in fused} - {p.id for p, _ in dense}})
    fetched = {p.id: (p, v) for p, v in store.passages_with_vectors(wanted)}
    results = []
    for vector, dense, lexical, fused in plans:
        dense_hits = {p.id: (p, sim) for p, sim in dense}  # similarity is per query: never share it
        dense_rank = {p.id: r for r, (p, _) in enumerate(dense, start=1)}
        lexical_rank = {i: r for r, (i, _) in enumerate(lexical, start=1)}
        hits = []
        for passage_id, score in fused:
            if passage_id in dense_hits:
                passage, similarity = dense_hits[passage_id]
            elif passage_id in fetched:
                passage, stored = fetched[passage_id]
                similarity = _cosine(vector, stored)  # Chroma's cosine distance is 1 - cosine
            else:
                continue
            hits.append(FusedHit(passage, float(similarity), score, dense_rank.get(passage_id),
                                 lexical_rank.get(passage_id)))
        results.append(hits)
    return results


def _capped(ranked: Sequence[tuple[str, T]], k: int, cap: int) -> list[T]:
    """The first ``k`` items of a (doc_id, item) ranking with at most ``cap`` per document (0: no cap).

    A fact-checker wants the evidence of several sources: three passages of one long background
    document should not push a second source's report or a denial out of the top ``k``.
    """
    kept, per_doc = [], Counter()
    for doc_id, item in ranked:
        if cap and per_doc[doc_id] >= cap:
            continue
        per_doc[doc_id] += 1
        kept.append(item)
        if len(kept) == k:
            break
    return kept


class Retriever:
    """Retrieval over an ``EvidenceStore``: dense MiniLM cosine search, fused with BM25 when ``settings.hybrid``."""

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
        cap = self.settings.per_document
        vectors = self.embed(queries)
        if not self.settings.hybrid:
            depth = max(k, self.settings.candidates) if cap else k
            results = []
            for vector in vectors:
                ranked = self.store.search_by_vector(vector, depth)
                kept = _capped([(p.doc_id, (p, sim, rank)) for rank, (p, sim) in enumerate(ranked, start=1)], k, cap)
                results.append([RetrievedPassage(p, sim, n, dense_rank=rank)
                                for n, (p, sim, rank) in enumerate(kept, start=1)])
            return results

        depth = max(k, self.settings.candidates)
        lexical = self.store.lexical
        plans = []
        for query, vector in zip(queries, vectors):
            dense = self.store.search_by_vector(vector, depth)
            sparse = lexical.search(query, depth)
            # With a per-document cap some of the best are skipped: keep every candidate as a spare.
            fused = reciprocal_rank_fusion([[p.id for p, _ in dense], [i for i, _ in sparse]])
            fused = fused if cap else fused[:k]
            plans.append((vector, dense, sparse, fused))

        return [[RetrievedPassage(h.passage, h.similarity, n, h.dense_rank, h.lexical_rank, h.score)
                 for n, h in enumerate(_capped([(h.passage.doc_id, h) for h in hits], k, cap), start=1)]
                for hits in resolve_fused(self.store, plans)]

    def as_langchain(self, k: int | None = None) -> "PassageRetriever":
        """This retriever as a LangChain ``BaseRetriever`` (for chains, ``invoke``/``batch``)."""
        return PassageRetriever(retriever=self, k=k or self.settings.top_k)


class PassageRetriever(BaseRetriever):
    """LangChain face of ``Retriever``: one query in, ``Document``s out, with the scores in metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.retriever.retrieve([query], self.k)[0]
        return [
            Document(id=hit.passage.id, page_content=hit.passage.text, metadata={
                **hit.passage.metadata(), "similarity": hit.similarity, "rank": hit.rank,
                "dense_rank": hit.dense_rank, "lexical_rank": hit.lexical_rank, "fused_score": hit.fused_score,
            })
            for hit in hits
        ]
