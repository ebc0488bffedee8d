"""Claim matching as the archive grows: p50 / p95 latency of matching one article's claims against N claims.

The archive is filled with synthetic rewordings of CheckThat! 2A verified claims (a base claim's words
dropped and reordered; its vector nudged by seeded noise), so 100k claims need no 100k embeddings.
Each "article" is 10 real 2A dev queries, embedded and matched as the desk does (``ClaimIndex.search``).

    nice -n 10 python -m benchmarks.claim_matching_scale [--sizes 1000,10000,100000] [--articles 20]
"""

from __future__ import annotations

import argparse
import shutil
import time

import numpy as np

from benchmarks.claim_matching import DATA, embed_cached, load_set
from benchmarks.common import cache_dir, percentile, save
from factcheck.memory.matching import ClaimIndex, IndexedClaim

CLAIMS_PER_ARTICLE = 10


def synthetic_archive(size: int, seed: int = 13) -> tuple[list[IndexedClaim], np.ndarray]:
    """``size`` archived claims: rewordings of 2A verified claims with vectors near the originals'."""
    base = load_set(DATA / "clef2021-2a-en", 2000)  # the same claims the matching benchmark embeds
    vectors = embed_cached([c.matching_text() for c in base.claims])
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(base.claims), size)
    claims, out = [], np.empty((size, vectors.shape[1]), dtype=np.float32)
    for n, pick in enumerate(picks):
        words = base.claims[pick].text.split()
        kept = [w for w in words if rng.random() > 0.15] or words
        if len(kept) > 3:
            i = int(rng.integers(0, len(kept) - 1))
            kept[i], kept[i + 1] = kept[i + 1], kept[i]
        claims.append(IndexedClaim(f"s{n}", " ".join(kept)))
        noisy = vectors[pick] + rng.normal(0, 0.02, vectors.shape[1]).astype(np.float32)
        out[n] = noisy / np.linalg.norm(noisy)
    return claims, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--articles", type=int, default=20)
    args = parser.parse_args()
    started = time.perf_counter()
    queries = [text for _, text in load_set(DATA / "clef2021-2a-en").queries["dev"]]
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        folder = cache_dir() / "claim-matching" / f"scale-{size}"
        shutil.rmtree(folder, ignore_errors=True)
        claims, vectors = synthetic_archive(size)
        built = time.perf_counter()
        index = ClaimIndex(folder, "scale")
        index.add(claims, vectors)
        build_s = time.perf_counter() - built
        index.search(queries[:2])  # open the collection and load the BM25 index before timing
        times = []
        for n in range(args.articles):
            article = [queries[(n * CLAIMS_PER_ARTICLE + i) % len(queries)] for i in range(CLAIMS_PER_ARTICLE)]
            began = time.perf_counter()
            index.search(article, k=3)
            times.append((time.perf_counter() - began) * 1000)
        rows.append({"size": size, "build_s": round(build_s, 1), "p50_ms": round(percentile(times, 50), 1),
                     "p95_ms": round(percentile(times, 95), 1)})
        print(rows[-1], flush=True)
        shutil.rmtree(folder, ignore_errors=True)
    for row in rows:
        row["p95_vs_smallest"] = round(row["p95_ms"] / rows[0]["p95_ms"], 2)
    save("claim_matching_scale", {"rows": rows, "claims_per_article": CLAIMS_PER_ARTICLE},
         notes=["Per article: embed its 10 claims, dense + BM25 search, fusion (ClaimIndex.search)."], started=started)


if __name__ == "__main__":
    main()
