"""Claim matching on CLEF CheckThat! Task 2 (2A: tweets -> Snopes; 2B: debate sentences -> PolitiFact).

Indexes each set's verified claims in a real ``ClaimIndex`` (Chroma + BM25) and ranks them for every train
and dev query: MAP@5 and success@k for BM25 alone, dense alone and the fused matcher. The fusion weight and
the link/suggest thresholds are fitted on TRAIN only; dev reports MAP@5 and the precision of automatic links.

    nice -n 10 python -m benchmarks.claim_matching [--data DIR] [--write-thresholds]

Embeddings are cached under $FACTCHECK_BENCH_CACHE (default /tmp/factcheck-bench): the first run embeds
~33k texts (minutes on two cores), later runs take seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.common import ROOT, cache_dir, save

from factcheck.memory.matching import THRESHOLDS_FILE, ClaimIndex, IndexedClaim, MatchThresholds

DATA = Path(os.environ.get("FACTCHECK_DATA") or ROOT.parent / "shared" / "data") / "claim-matching"
SETS = ("clef2021-2a-en", "clef2021-2b-en")
WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
LINK_PRECISION = 0.95  # the least train precision an automatic link must have
SUGGEST_PRECISION = 0.5  # below this a suggestion is more often wrong than right


@dataclass
class ClaimSet:
    name: str
    claims: list[IndexedClaim]
    queries: dict[str, list[tuple[str, str]]]  # split -> [(query id, text)]
    qrels: dict[str, dict[str, set[str]]]  # split -> query id -> relevant claim ids

    @property
    def query_texts(self) -> list[str]:
        return [text for split in ("train", "dev") for _, text in self.queries[split]]


def load_set(folder: Path, max_claims: int | None = None, seed: int = 13) -> ClaimSet:
    """One CheckThat! set: verified claims (title + claim), train and dev queries and qrels.

    ``max_claims`` keeps every claim a train or dev query needs plus a seeded random sample of the others,
    for a machine too busy to embed the whole collection (the result says so: it is an easier task).
    """
    claims = []
    for line in (folder / "vclaims.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        claims.append(IndexedClaim(id=row["id"], text=row["claim"], title=row.get("title") or None,
                                   origin=folder.name))
    queries, qrels = {}, {}
    for split in ("train", "dev"):
        queries[split] = [(q["id"], q["text"]) for q in map(json.loads, (folder / f"queries_{split}.jsonl").open())]
        qrels[split] = {}
        for line in (folder / f"qrels_{split}.tsv").open():
            query_id, claim_id = line.rstrip("\n").split("\t")
            qrels[split].setdefault(query_id, set()).add(claim_id)
    if max_claims and len(claims) > max_claims:
        needed = {c for split in qrels.values() for relevant in split.values() for c in relevant}
        others = [c.id for c in claims if c.id not in needed]
        keep = needed | set(np.random.default_rng(seed).permutation(others)[:max(0, max_claims - len(needed))])
        claims = [c for c in claims if c.id in keep]
    return ClaimSet(folder.name, claims, queries, qrels)


def embed_cached(texts: list[str], chunk: int = 512) -> np.ndarray:
    """MiniLM vectors of ``texts``, cached on disk in chunks keyed by a hash of their texts (resumable)."""
    folder = cache_dir() / "claim-matching" / "vectors"
    folder.mkdir(parents=True, exist_ok=True)
    parts = []
    for start in range(0, len(texts), chunk):
        part = texts[start:start + chunk]
        path = folder / f"{hashlib.sha256(chr(31).join(part).encode()).hexdigest()[:24]}.npy"
        if not path.is_file():
            from factcheck.resources import get_embeddings

            np.save(path, np.asarray(get_embeddings().embed_documents(part), dtype=np.float32))
            print(f"embedded {start + len(part)}/{len(texts)}", flush=True)
        parts.append(np.load(path))
    return np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)


def average_precision(ranked: list[str], relevant: set[str], k: int = 5) -> float:
    hits, total = 0, 0.0
    for rank, claim_id in enumerate(ranked[:k], start=1):
        if claim_id in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), k) if relevant else 0.0


def _scores(runs: dict[str, list[str]], qrels: dict[str, set[str]]) -> dict:
    aps = [average_precision(runs.get(q, []), rel) for q, rel in qrels.items()]
    success = {k: float(np.mean([bool(set(runs.get(q, [])[:k]) & rel) for q, rel in qrels.items()])) for k in (1, 5)}
    return {"map_at_5": float(np.mean(aps)), "success_at_1": success[1], "success_at_5": success[5]}


def _rank_all(index: ClaimIndex, data: ClaimSet, split: str, vectors: np.ndarray, weight: float | None):
    """Rank the archive for every query of a split: (runs, top-1 similarity per query)."""
    queries = data.queries[split]
    if weight is None:  # BM25 alone
        lexical = index.store.lexical
        return {q: [i for i, _ in lexical.search(text, 5)] for q, text in queries}, {}
    index.thresholds = MatchThresholds(link=1.0, suggest=0.0, dense_weight=weight)
    found = index.search([t for _, t in queries], k=5, vectors=vectors)
    runs = {q: [c.claim_id for c in hits] for (q, _), hits in zip(queries, found)}
    top = {q: (hits[0].similarity, hits[0].claim_id) for (q, _), hits in zip(queries, found) if hits}
    return runs, top


def _fit_threshold(top: dict, qrels: dict[str, set[str]], precision: float) -> float:
    """The lowest similarity above which the top candidate is right at least ``precision`` of the time."""
    pairs = sorted(((sim, claim_id in qrels.get(q, set())) for q, (sim, claim_id) in top.items()), reverse=True)
    best, right = 1.0, 0
    for n, (sim, correct) in enumerate(pairs, start=1):
        right += correct
        if right / n >= precision:
            best = sim
    return float(best)


def _link_figures(top: dict, qrels: dict[str, set[str]], thresholds: MatchThresholds) -> dict:
    decided = {q: (thresholds.decide(sim), claim_id in qrels.get(q, set())) for q, (sim, claim_id) in top.items()}
    linked = [ok for kind, ok in decided.values() if kind == "linked"]
    suggested = [ok for kind, ok in decided.values() if kind == "suggested"]
    n = len(qrels)
    return {"linked": len(linked) / n, "link_precision": float(np.mean(linked)) if linked else None,
            "suggested": len(suggested) / n,
            "suggest_precision": float(np.mean(suggested)) if suggested else None}


def bm25_full(folder: Path) -> dict:
    """BM25 alone over the whole collection (title + claim), dev split: the reference any reduced run sits beside."""
    from factcheck.evidence.lexical import LexicalIndex, lexical_text

    data = load_set(folder)
    index = LexicalIndex()
    index.add([c.id for c in data.claims], [lexical_text(c.text, c.title) for c in data.claims])
    runs = {q: [i for i, _ in index.search(text, 5)] for q, text in data.queries["dev"]}
    return {"claims": len(data.claims), **_scores(runs, data.qrels["dev"])}


def run_set(data: ClaimSet, workdir: Path) -> dict:
    claim_vectors = embed_cached([c.matching_text() for c in data.claims])
    query_vectors = embed_cached(data.query_texts)
    n_train = len(data.queries["train"])
    split_vectors = {"train": query_vectors[:n_train], "dev": query_vectors[n_train:]}
    shutil.rmtree(workdir, ignore_errors=True)
    index = ClaimIndex(workdir, "bench")
    started = time.perf_counter()
    index.add(data.claims, claim_vectors)
    index_s = time.perf_counter() - started

    result: dict = {"claims": len(data.claims), "index_s": round(index_s, 1),
                    "queries": {s: len(data.queries[s]) for s in ("train", "dev")}}
    train = {}
    for weight in WEIGHTS:
        runs, top = _rank_all(index, data, "train", split_vectors["train"], weight)
        train[weight] = (_scores(runs, data.qrels["train"])["map_at_5"], top)
    weight = max(WEIGHTS, key=lambda w: train[w][0])
    top_train = train[weight][1]
    link = _fit_threshold(top_train, data.qrels["train"], LINK_PRECISION)
    suggest = min(_fit_threshold(top_train, data.qrels["train"], SUGGEST_PRECISION), link)
    fitted = MatchThresholds(link=round(link, 3), suggest=round(suggest, 3), dense_weight=weight)
    result["train_map_at_5_by_weight"] = {str(w): round(train[w][0], 4) for w in WEIGHTS}
    result["fitted"] = {"dense_weight": weight, "link": fitted.link, "suggest": fitted.suggest}

    for split in ("train", "dev"):
        bm25, _ = _rank_all(index, data, split, split_vectors[split], None)
        dense, _ = _rank_all(index, data, split, split_vectors[split], 1.0)
        fused, top = _rank_all(index, data, split, split_vectors[split], weight)
        result[split] = {"bm25": _scores(bm25, data.qrels[split]), "dense": _scores(dense, data.qrels[split]),
                         "hybrid": _scores(fused, data.qrels[split]),
                         "decisions": _link_figures(top, data.qrels[split], fitted)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="The claim-matching/ folder.")
    parser.add_argument("--max-claims", type=int, help="Index only this many verified claims per set (every gold "
                        "claim plus a random sample): a reduced, easier collection for a busy machine.")
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    parser.add_argument("--write-thresholds", action="store_true",
                        help=f"Write the thresholds fitted on the 2A train split to {THRESHOLDS_FILE.name}.")
    args = parser.parse_args()
    started = time.perf_counter()
    results = {}
    for name in args.sets:
        data = load_set(args.data / name, args.max_claims)
        results[name] = run_set(data, cache_dir() / "claim-matching" / f"index-{name}")
        results[name]["collection"] = "full" if not args.max_claims else (
            f"reduced: every gold claim + random others, {len(data.claims)} claims")
        if args.max_claims:
            results[name]["dev_bm25_full_collection"] = bm25_full(args.data / name)
        print(name, json.dumps({k: results[name][k] for k in ("fitted", "dev")}), flush=True)
    if args.write_thresholds:
        # The 2A thresholds ship: an archive of short checked claims is what a desk matches against.
        THRESHOLDS_FILE.write_text(json.dumps({**results[args.sets[0]]["fitted"],
                                               "fitted_on": f"{args.sets[0]} train ({results[args.sets[0]]['collection']})"},
                                              indent=2) + "\n", encoding="utf-8")
    save("claim_matching", {"sets": results, "link_precision_target": LINK_PRECISION,
                            "suggest_precision_target": SUGGEST_PRECISION},
         notes=["Fusion weight and thresholds fitted on train only; dev is never used to choose anything."],
         started=started)


if __name__ == "__main__":
    main()
