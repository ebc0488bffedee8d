"""Benchmark 8: retrieval latency (p50/p95) and peak memory as the store grows, embedded and server.

    python -m benchmarks.scale [--sizes 10000,100000] [--queries 200]

Passages are synthetic (Zipf-distributed pseudo-words, random unit vectors), written through
``EvidenceStore.add`` so the BM25 index is built the product's way; stores are cached between runs.
Each measurement runs in a fresh subprocess so its peak memory is its own. Query embedding is left
out (precomputed query vectors): this measures what grows with the corpus — the Chroma search and BM25.
The server is ``chroma run --path STORE`` on the same files, started and stopped by PID.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from .common import cache_dir, percentile, save

DIM = 384
VOCAB = 30_000
WORDS_PER_PASSAGE = 60
_BATCH = 4000


def _words(rng: np.random.Generator, n: int) -> np.ndarray:
    # Zipf ranks, as in natural text: a few very common words, a long tail of rare ones.
    return np.minimum(rng.zipf(1.2, size=n), VOCAB) - 1


class FixedEmbeddings:
    """Stands in for the embedding model: hands back precomputed query vectors in order."""

    def __init__(self, vectors: np.ndarray | None = None) -> None:
        self.vectors = vectors
        self.next = 0

    def embed_documents(self, texts):
        out = self.vectors[self.next:self.next + len(texts)]
        self.next = (self.next + len(texts)) % len(self.vectors)
        return out.tolist()

    def embed_query(self, text):
        return self.embed_documents([text])[0]


def build(size: int) -> Path:
    """The synthetic store of ``size`` passages (cached)."""
    from factcheck import EvidenceStore
    from factcheck.evidence.chunking import Passage

    path = cache_dir() / f"scale-{size}"
    if (path / "BUILT").is_file():
        return path
    print(f"building a synthetic store of {size:,} passages in {path}...", flush=True)
    t0 = time.perf_counter()
    rng = np.random.default_rng(size)
    store = EvidenceStore(path, create=True, embeddings=FixedEmbeddings())
    with store.bulk():
        for start in range(0, size, _BATCH):
            n = min(_BATCH, size - start)
            words = _words(rng, n * WORDS_PER_PASSAGE).reshape(n, WORDS_PER_PASSAGE)
            texts = [" ".join(f"w{w}" for w in row) for row in words]
            vectors = rng.standard_normal((n, DIM)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            passages = [Passage(id=f"p{start + i}", doc_id=f"d{(start + i) // 3}", source="synthetic", text=t,
                                sentences=[(0, len(t))], index=(start + i) % 3) for i, t in enumerate(texts)]
            store.add(passages, vectors)
            if (start // _BATCH) % 25 == 24:
                done = start + n
                print(f"  {done:,} passages, {done / (time.perf_counter() - t0):.0f}/s so far", flush=True)
    (path / "BUILT").write_text(json.dumps({"passages": size, "seconds": round(time.perf_counter() - t0, 1)}))
    print(f"built in {time.perf_counter() - t0:.0f} s", flush=True)
    return path


def _queries(n: int) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(7)
    texts = [" ".join(f"w{w}" for w in _words(rng, 6)) for _ in range(n)]
    vectors = rng.standard_normal((n, DIM)).astype(np.float32)
    return texts, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def child(location: str, queries: int) -> dict:
    """Measure one store in this (fresh) process: open time, dense and hybrid latency, peak memory."""
    from factcheck import EvidenceStore, Settings
    from factcheck.evidence.retrieval import Retriever

    texts, vectors = _queries(queries)
    embeddings = FixedEmbeddings(vectors)
    t0 = time.perf_counter()
    store = EvidenceStore(location, embeddings=embeddings)
    count = store.count()
    open_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    store.lexical  # noqa: B018 - load the BM25 index (a server's: sync into the local cache on first use)
    lexical_s = time.perf_counter() - t0
    out = {"passages": count, "open_s": round(open_s, 2), "bm25_load_s": round(lexical_s, 2)}
    for name, hybrid in (("dense", False), ("hybrid", True)):
        retriever = Retriever(store, Settings(store=location, hybrid=hybrid), embeddings=embeddings)
        retriever.retrieve(texts[:5], 5)  # warm
        embeddings.next = 0
        times = []
        for text in texts:
            t0 = time.perf_counter()
            retriever.retrieve([text], 5)
            times.append(time.perf_counter() - t0)
        out[f"{name}_p50_ms"] = round(1000 * percentile(times, 50), 1)
        out[f"{name}_p95_ms"] = round(1000 * percentile(times, 95), 1)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec.
    out["client_peak_rss_mb"] = round(_peak_kb(os.getpid()) / 1024, 1)
    return out


def _run_child(location: str, queries: int, env: dict | None = None) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.scale", "--child", location, "--queries", str(queries)],
                          capture_output=True, text=True, timeout=3600, env={**os.environ, **(env or {})},
                          cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1])
    return 0


def serve_and_measure(path: Path, queries: int) -> dict:
    """Start a Chroma server on the store's files, measure through HTTP, stop it by PID."""
    chroma = Path(sys.executable).with_name("chroma")
    port = _free_port()
    log = open(cache_dir() / f"chroma-server-{port}.log", "w")
    server = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        import urllib.request

        deadline = time.time() + 180
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"the Chroma server did not start (see {log.name})") from None
                time.sleep(0.5)
        # A fresh BM25 cache, so the first open includes the sync of every passage over HTTP.
        lexical_cache = cache_dir() / f"lexical-cache-{port}"
        result = _run_child(f"http://127.0.0.1:{port}", queries, {"FACTCHECK_CACHE": str(lexical_cache)})
        second = _run_child(f"http://127.0.0.1:{port}", queries, {"FACTCHECK_CACHE": str(lexical_cache)})
        result["bm25_first_sync_s"] = result.pop("bm25_load_s")
        result["bm25_load_s"] = second["bm25_load_s"]
        result["server_peak_rss_mb"] = round(_peak_kb(server.pid) / 1024, 1)
        return result
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated store sizes (passages)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-server", action="store_true", help="measure the embedded store only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.queries)))
        return {}
    started = time.perf_counter()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for size in sizes:
        path = build(size)
        built = json.loads((path / "BUILT").read_text())
        row = {"size": size, "build_s": built["seconds"], "embedded": _run_child(str(path), args.queries)}
        print(size, "embedded", row["embedded"], flush=True)
        if not args.no_server:
            row["server"] = serve_and_measure(path, args.queries)
            print(size, "server", row["server"], flush=True)
        rows.append(row)
    base = rows[0]
    for row in rows:
        for mode in ("embedded", "server"):
            if mode in row:
                for name in ("dense", "hybrid"):
                    row[mode][f"{name}_p50_vs_smallest"] = round(row[mode][f"{name}_p50_ms"] / base[mode][f"{name}_p50_ms"], 2)
                row[mode]["hybrid_vs_dense_p50"] = round(row[mode]["hybrid_p50_ms"] / row[mode]["dense_p50_ms"], 2)
    notes = [f"Synthetic passages ({WORDS_PER_PASSAGE} Zipf pseudo-words, random {DIM}-d unit vectors); "
             f"{args.queries} queries, top 5, query embedding excluded; one query per call.",
             "Peak memory: VmHWM of the measuring client process (a fresh one per row) and of the Chroma server."]
    save("scale", {"sizes": sizes, "rows": rows}, notes, started)
    return {"rows": rows}


if __name__ == "__main__":
    main()
