"""Benchmark 1: retrieval on SciFact — recall@1/5/10 and nDCG@10 of the gold abstracts, ours vs BM25.

    python -m benchmarks.retrieval [--data ../shared/data]

Every claim of claims_train.jsonl with evidence is a query; its gold abstracts are its evidence docs.
Passages are ranked, then folded to abstracts (an abstract ranks where its best passage does).
"""

from __future__ import annotations

import argparse
import math
import time

from .common import data_dir, percentile, save
from .scifact import load_claims, load_corpus, scifact_store

DEPTH = 30  # passages retrieved per query: enough for 10 distinct abstracts
KS = (1, 5, 10)


def _fold_to_docs(doc_ids: list[str]) -> list[str]:
    seen: list[str] = []
    for doc in doc_ids:
        if doc not in seen:
            seen.append(doc)
    return seen


def score(rankings: list[list[str]], gold: list[set[str]]) -> dict[str, float]:
    """Mean recall@k and nDCG@10 (binary gains) of document rankings against gold sets."""
    out = {f"recall@{k}": 0.0 for k in KS}
    ndcg = 0.0
    for ranking, relevant in zip(rankings, gold):
        for k in KS:
            out[f"recall@{k}"] += len(relevant & set(ranking[:k])) / len(relevant)
        dcg = sum(1 / math.log2(i + 2) for i, doc in enumerate(ranking[:10]) if doc in relevant)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), 10)))
        ndcg += dcg / ideal
    n = len(gold)
    return {**{key: round(value / n, 4) for key, value in out.items()}, "ndcg@10": round(ndcg / n, 4)}


def _timed(fn, queries: list[str]) -> tuple[list[list[str]], list[float]]:
    rankings, times = [], []
    for query in queries:
        started = time.perf_counter()
        rankings.append(_fold_to_docs(fn(query)))
        times.append(time.perf_counter() - started)
    return rankings, times


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding scifact/ (default $FACTCHECK_DATA or ../shared/data)")
    args = parser.parse_args(argv)
    data = data_dir(args.data)
    started = time.perf_counter()

    import bm25s

    from factcheck import Settings
    from factcheck.evidence.retrieval import Retriever

    store, settings = scifact_store(data)
    claims = [c for c in load_claims(data) if c.evidence]
    queries = [c.claim for c in claims]
    gold = [set(c.evidence) for c in claims]
    passages = store.passages()
    print(f"{len(claims)} claims with evidence; {len(passages)} passages in the store", flush=True)

    systems: dict[str, dict] = {}

    def run(name: str, fn) -> None:
        for query in queries[:3]:
            fn(query)  # warm caches and lazy loads out of the timings
        rankings, times = _timed(fn, queries)
        systems[name] = {**score(rankings, gold), "p50_ms": round(1000 * percentile(times, 50), 1),
                         "p95_ms": round(1000 * percentile(times, 95), 1)}
        print(name, systems[name], flush=True)

    dense = Retriever(store, Settings(store=settings.store, hybrid=False))
    hybrid = Retriever(store, Settings(store=settings.store, hybrid=True))
    hybrid.store.lexical  # noqa: B018 - load (or build, on first use) the BM25 index outside the timings
    run("factcheck dense (MiniLM, hybrid=False)",
        lambda q: [h.passage.doc_id for h in dense.retrieve([q], DEPTH)[0]])
    run("factcheck hybrid (default: BM25 + dense, RRF)",
        lambda q: [h.passage.doc_id for h in hybrid.retrieve([q], DEPTH)[0]])

    # The baselines: bm25s out of the box (its tokenizer and English stopwords), on the same passages
    # and, as the classic SciFact setup, on whole abstracts with their titles.
    passage_docs = [p.doc_id for p in passages]
    bm25_passages = bm25s.BM25()
    bm25_passages.index(bm25s.tokenize([p.text for p in passages], stopwords="en", show_progress=False),
                        show_progress=False)
    corpus = load_corpus(data)
    abstract_ids = list(corpus)
    bm25_abstracts = bm25s.BM25()
    bm25_abstracts.index(bm25s.tokenize([corpus[d]["title"] + " " + " ".join(corpus[d]["abstract"])
                                         for d in abstract_ids], stopwords="en", show_progress=False),
                         show_progress=False)

    def bm25(model, ids, depth):
        def search(query: str) -> list[str]:
            tokens = bm25s.tokenize([query], stopwords="en", show_progress=False)
            rows, _ = model.retrieve(tokens, k=depth, show_progress=False)
            return [ids[i] for i in rows[0]]
        return search

    run("BM25 baseline (bm25s, same passages)", bm25(bm25_passages, passage_docs, DEPTH))
    run("BM25 baseline (bm25s, whole abstracts + title)", bm25(bm25_abstracts, abstract_ids, 10))

    ours = systems["factcheck hybrid (default: BM25 + dense, RRF)"]
    best = {m: max(v[m] for k, v in systems.items() if not k.startswith("factcheck hybrid"))
            for m in ("recall@5", "ndcg@10")}
    metrics = {
        "queries": len(claims), "passages": len(passages), "abstracts": len(corpus), "depth_passages": DEPTH,
        "systems": systems,
        "hybrid_vs_best_baseline": {m: round(ours[m] - best[m], 4) for m in best},
        "hybrid_latency_ratio_p50": round(ours["p50_ms"] / systems["factcheck dense (MiniLM, hybrid=False)"]["p50_ms"], 2),
    }
    notes = [
        "Queries: the claims of claims_train.jsonl with evidence; gold: their evidence abstracts.",
        f"Ours ranks {DEPTH} passages (3 sentences each) per query and folds them to abstracts by best passage.",
        "factcheck's BM25 indexes each passage with its document's title and folds plurals; the bm25s baselines "
        "use bm25s' own tokenizer (English stopwords, no stemming), out of the box.",
        f"Hybrid fuses the top max(k, {settings.candidates}) dense and BM25 passages by reciprocal rank fusion (k=60).",
        "Latency: one query per call, including the query embedding; ratio = hybrid p50 / dense p50.",
    ]
    save("retrieval", metrics, notes, started)
    return metrics


if __name__ == "__main__":
    main()
