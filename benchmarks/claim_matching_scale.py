"""Claim matching as the archive grows: p50 / p95 latency of matching one article's claims against N claims.

The archive holds the real CheckThat! 2A collection (13,824 Snopes claims, title + claim) and, past that,
synthetic rewordings of those claims: a base claim's words with some dropped and two swapped, its vector
the base vector nudged by seeded noise and renormalised — so 100k archived claims need 14k embeddings, not
100k. Each "article" is 10 real 2A dev tweets, matched as the desk matches (``ClaimIndex.search``: clean,
embed, dense + BM25 search, fusion); the time without embedding (vectors given) is reported beside it.

    OMP_NUM_THREADS=1 python -m benchmarks.claim_matching_scale [--sizes 1000,10000,100000] [--articles 20]
"""

from __future__ import annotations

import argparse
import shutil
import time

import numpy as np

from benchmarks.claim_matching import DATA, embed_cached, load_set
from benchmarks.common import cache_dir, percentile, save
from factcheck.memory.matching import ClaimIndex, IndexedClaim, clean_query

CLAIMS_PER_ARTICLE = 10
NOISE = 0.02  # per dimension, on unit vectors: a rewording's cosine to its base is about 0.9


def synthetic_archive(size: int, seed: int = 13) -> tuple[list[IndexedClaim], np.ndarray, int]:
    """``size`` archived claims: the real 2A collection first, then rewordings of it; (claims, vectors, real)."""
    base = load_set(DATA / "clef2021-2a-en")
    vectors = embed_cached([c.matching_text() for c in base.claims])  # the matching benchmark's cache
    rng = np.random.default_rng(seed)
    real = min(size, len(base.claims))
    order = rng.permutation(len(base.claims))[:real]
    claims = [base.claims[i] for i in order]
    out = np.empty((size, vectors.shape[1]), dtype=np.float32)
    out[:real] = vectors[order]
    for n, pick in enumerate(rng.integers(0, len(base.claims), size - real), start=real):
        words = base.claims[pick].text.split()
        kept = [w for w in words if rng.random() > 0.15] or words
        if len(kept) > 3:
            i = int(rng.integers(0, len(kept) - 1))
            kept[i], kept[i + 1] = kept[i + 1], kept[i]
        claims.append(IndexedClaim(f"synthetic-{n}", " ".join(kept), base.claims[pick].title))
        noisy = vectors[pick] + rng.normal(0, NOISE, vectors.shape[1]).astype(np.float32)
        out[n] = noisy / np.linalg.norm(noisy)
    return claims, out, real


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--articles", type=int, default=20)
    args = parser.parse_args()
    started = time.perf_counter()
    dev = load_set(DATA / "clef2021-2a-en").queries["dev"]
    queries = [text for _, text in dev]
    query_vectors = embed_cached([clean_query(q) for q in queries])
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        folder = cache_dir() / "claim-matching" / f"scale-{size}"
        shutil.rmtree(folder, ignore_errors=True)
        claims, vectors, real = synthetic_archive(size)
        built = time.perf_counter()
        index = ClaimIndex(folder, "scale")
        index.add(claims, vectors)
        build_s = time.perf_counter() - built
        index.search(queries[:2])  # load the encoder, open the collection and the BM25 index before timing
        times, search_times = [], []
        for n in range(args.articles):
            picks = [(n * CLAIMS_PER_ARTICLE + i) % len(queries) for i in range(CLAIMS_PER_ARTICLE)]
            began = time.perf_counter()
            index.search([queries[i] for i in picks], k=3)
            times.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            index.search([queries[i] for i in picks], k=3, vectors=query_vectors[picks])
            search_times.append((time.perf_counter() - began) * 1000)
        rows.append({"size": size, "real": real, "synthetic": size - real, "build_s": round(build_s, 1),
                     "p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1),
                     "search_p95_ms": round(percentile(search_times, 95), 1)})
        print(rows[-1], flush=True)
        shutil.rmtree(folder, ignore_errors=True)
    for row in rows:
        row["p95_vs_smallest"] = round(row["p95_ms"] / rows[0]["p95_ms"], 2)
    save("claim_matching_scale", {"rows": rows, "claims_per_article": CLAIMS_PER_ARTICLE, "articles": args.articles},
         notes=["Per article: clean and embed its 10 claims, dense + BM25 search, fusion (ClaimIndex.search); "
                "'search only' is the same call with the claims' vectors given.",
                "Past the 13,824 real 2A claims the archive is synthetic: rewordings (words dropped and swapped) "
                f"with the base claim's vector plus Gaussian noise (sd {NOISE} a dimension), not new embeddings."],
         started=started)


if __name__ == "__main__":
    main()
