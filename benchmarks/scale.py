"""Benchmark 8: retrieval latency (p50/p95) and peak memory as the store grows, embedded and server.

    python -m benchmarks.scale [--sizes 10000,100000] [--queries 200] [--ingest ABSTRACTS]

Passages are synthetic (Zipf-distributed pseudo-words, random unit vectors), written through
``EvidenceStore.add`` so the BM25 index is built the product's way; stores are cached between runs.
Each measurement runs in a fresh subprocess so its peak memory is its own. Query embedding is left
out (precomputed query vectors): this measures what grows with the corpus — the Chroma search and BM25.
The server is ``chroma run --path STORE`` on the same files, started and stopped by PID. BM25 is also
timed on its own, with its memory and file size. ``--ingest N`` ingests N real SciFact abstracts (real
encoder) into a copy of each store, embedded and through a server, against the raw encode rate.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from .common import cache_dir, data_dir, percentile, save

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
    before_kb = _rss_kb(os.getpid())
    t0 = time.perf_counter()
    lexical = store.lexical  # load the BM25 index (a server's: sync into the local cache on first use)
    lexical_s = time.perf_counter() - t0
    lexical.search(texts[0], 5)  # its column-major copy is built on the first search
    out = {"passages": count, "open_s": round(open_s, 2), "bm25_load_s": round(lexical_s, 2),
           "bm25_file_mb": round((lexical.path / "bm25.npz").stat().st_size / 2**20, 1),
           "bm25_rss_mb": round((_rss_kb(os.getpid()) - before_kb) / 1024, 1)}
    times = []
    for text in texts:
        t0 = time.perf_counter()
        lexical.search(text, 20)
        times.append(time.perf_counter() - t0)
    out["bm25_p50_ms"] = round(1000 * percentile(times, 50), 1)
    out["bm25_p95_ms"] = round(1000 * percentile(times, 95), 1)
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
    # What the corpus page lists: every document with its passage count (reads every passage's metadata).
    t0 = time.perf_counter()
    out["documents"] = len(store.sources())
    out["list_documents_s"] = round(time.perf_counter() - t0, 2)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec.
    out["client_peak_rss_mb"] = round(_peak_kb(os.getpid()) / 1024, 1)
    return out


def open_child(location: str) -> dict:
    """Only open the store and its BM25 index in this (fresh) process: what each new client pays."""
    from factcheck import EvidenceStore

    store = EvidenceStore(location, embeddings=FixedEmbeddings())
    store.count()  # the client is open: what follows is the BM25 index's own cost, as in child()
    t0 = time.perf_counter()
    passages = len(store.lexical)
    return {"passages": passages, "bm25_load_s": round(time.perf_counter() - t0, 2)}


def _run_child(location: str, queries: int, env: dict | None = None, ingest: int = 0, seed: int = 13,
               open_only: bool = False) -> dict:
    what = ["--ingest-child", location, "--ingest", str(ingest), "--seed", str(seed)] if ingest else \
        ["--open-child", location] if open_only else ["--child", location, "--queries", str(queries)]
    done = subprocess.run([sys.executable, "-m", "benchmarks.scale", *what],
                          capture_output=True, text=True, timeout=3600, env={**os.environ, **(env or {})},
                          cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1])
    return 0


def _peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1])
    return 0


@contextlib.contextmanager
def chroma_server(path: Path):
    """A Chroma server on the store's files (its URL), stopped by PID afterwards; yields (url, process)."""
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
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def serve_and_measure(path: Path, queries: int) -> dict:
    """Measure the store through a Chroma server on its files."""
    with chroma_server(path) as (url, server):
        # A fresh BM25 cache, so the first open includes the sync of every passage over HTTP.
        lexical_cache = cache_dir() / f"lexical-cache-{url.rsplit(':', 1)[1]}"
        shutil.rmtree(lexical_cache, ignore_errors=True)
        result = _run_child(url, queries, {"FACTCHECK_CACHE": str(lexical_cache)})
        second = _run_child(url, queries, {"FACTCHECK_CACHE": str(lexical_cache)})
        result["bm25_first_sync_s"] = result.pop("bm25_load_s")
        # A server no factcheck writer has stamped: each new process lists the server's ids to diff them.
        result["bm25_load_s_unstamped"] = second["bm25_load_s"]
        # Stamped, as after any factcheck write: the first process takes the stamp (one more diff), later
        # ones open the cached index without listing the ids.
        import uuid

        from factcheck import EvidenceStore

        EvidenceStore(url)._set_server_stamp(uuid.uuid4().hex)
        env = {"FACTCHECK_CACHE": str(lexical_cache)}
        _run_child(url, 0, env, open_only=True)
        result["bm25_load_s"] = _run_child(url, 0, env, open_only=True)["bm25_load_s"]
        result["server_peak_rss_mb"] = round(_peak_kb(server.pid) / 1024, 1)
        shutil.rmtree(lexical_cache, ignore_errors=True)
        return result


def ingest_at_size(path: Path, abstracts: int, server: bool) -> dict:
    """Ingest real SciFact abstracts (the real encoder) into a copy of the store, embedded and through a
    Chroma server, each against the raw encode rate of the same texts in the same process."""
    copy = cache_dir() / f"{path.name}-ingest-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(path, copy)
    try:
        out = {"embedded": _run_child(str(copy), 0, ingest=abstracts, seed=13)}
        if server:
            with chroma_server(copy) as (url, _):
                lexical_cache = cache_dir() / "lexical-cache-ingest"
                shutil.rmtree(lexical_cache, ignore_errors=True)
                out["server"] = _run_child(url, 0, {"FACTCHECK_CACHE": str(lexical_cache)}, ingest=abstracts, seed=14)
                shutil.rmtree(lexical_cache, ignore_errors=True)
        return out
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated store sizes (passages)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-server", action="store_true", help="measure the embedded store only")
    parser.add_argument("--ingest", type=int, default=0, metavar="ABSTRACTS",
                        help="also ingest this many SciFact abstracts into a copy of each store (real encoder), "
                             "against the raw encode rate")
    parser.add_argument("--data", default=None, help="the shared data folder (for --ingest)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--ingest-child", help=argparse.SUPPRESS)
    parser.add_argument("--open-child", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=13, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.queries)))
        return {}
    if args.open_child:
        print(json.dumps(open_child(args.open_child)))
        return {}
    if args.ingest_child:
        from .speed import ingest_throughput

        print(json.dumps(ingest_throughput(data_dir(args.data), args.ingest, store=args.ingest_child, seed=args.seed)))
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
        if args.ingest:
            row["ingest"] = ingest_at_size(path, args.ingest, server=not args.no_server)
            print(size, "ingest", row["ingest"], flush=True)
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
             "Peak memory: VmHWM of the measuring client process (a fresh one per row) and of the Chroma server.",
             "BM25: its own search (top 20) over the same queries; its memory is the client's resident-set growth "
             "from loading it to after the first search (which builds its column-major copy).",
             "Ingest (--ingest): real SciFact abstracts, real encoder, into a copy of the synthetic store, embedded "
             "and through a Chroma server on the copy; the BM25 index is loaded or synced before the timing "
             "(bm25_open_s); ratio = ingest passages/s / raw encode passages/s of the same texts."]
    save("scale", {"sizes": sizes, "rows": rows}, notes, started)
    return {"rows": rows}


if __name__ == "__main__":
    main()
