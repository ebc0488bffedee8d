"""Benchmark 10: `factcheck serve`'s POST /check against the warm in-process ``Checker.check``.

    python -m benchmarks.api [--requests 16] [--clients 1,4,16] [--chars N]

One server (a subprocess on 127.0.0.1, a free port) over a store of ``corpus/``; for each number of
concurrent clients, ``--requests`` checks of the example article (its first ``--chars`` characters, cut at a
paragraph, when given) are shared out among the clients, each sending its share back to back (at least
one each: a bounded loop that stops by itself). Latency p50/p95 per request and throughput in requests/s; the
API's overhead is its single-client p50 over the in-process warm p50 on the same article.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from .common import ROOT, percentile, save
from .speed import ARTICLE, _corpus_store


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(base: str, body: bytes) -> float:
    request = urllib.request.Request(base + "/check", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        json.loads(response.read())
    return time.perf_counter() - t0


def _start(store: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "factcheck.cli", "serve", "--port", str(port), "--store", store],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"factcheck serve exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(base + "/health", timeout=5) as response:
                if json.loads(response.read()).get("ready"):
                    return process, base
        except OSError:
            pass
        time.sleep(0.5)
    process.kill()
    raise RuntimeError("factcheck serve did not become ready in 600 s")


def _article(chars: int | None) -> str:
    text = ARTICLE.read_text()
    if chars and len(text) > chars:
        cut = text.rfind("\n\n", 0, chars)
        text = text[:cut if cut > 0 else chars]
    return text


def measure(requests: int, clients: list[int], chars: int | None = None) -> dict:
    from factcheck.pipeline import Checker

    settings = _corpus_store()
    text = _article(chars)
    body = json.dumps({"text": text, "input": ARTICLE.name}).encode()
    process, base = _start(settings.store)
    try:
        _post(base, body)  # first request outside the figures, as warm_up is for the in-process runs
        rows = []
        for count in clients:
            t0 = time.perf_counter()
            shares = [requests // count + (i < requests % count) or 1 for i in range(count)]
            with ThreadPoolExecutor(count) as pool:
                latencies = [s for batch in pool.map(lambda n: [_post(base, body) for _ in range(n)], shares)
                             for s in batch]
            elapsed = time.perf_counter() - t0
            rows.append({"clients": count, "requests": len(latencies), "p50_s": round(percentile(latencies, 50), 3),
                         "p95_s": round(percentile(latencies, 95), 3),
                         "throughput_rps": round(len(latencies) / elapsed, 3)})
            print(rows[-1], flush=True)
    finally:
        process.terminate()
        process.wait(timeout=60)

    checker = Checker(settings)
    checker.warm_up()
    checker.check(text, input_name=ARTICLE.name)
    warm = []
    for _ in range(requests):
        t0 = time.perf_counter()
        checker.check(text, input_name=ARTICLE.name)
        warm.append(time.perf_counter() - t0)
    in_process = {"p50_s": round(statistics.median(warm), 3), "p95_s": round(percentile(warm, 95), 3),
                  "throughput_rps": round(len(warm) / sum(warm), 3), "runs_s": [round(x, 3) for x in warm]}
    single = rows[0] if rows[0]["clients"] == 1 else None
    return {"article": ARTICLE.name, "article_chars": len(text), "store_passages": checker.store.count(),
            "requests_per_level": requests, "rows": rows, "in_process": in_process,
            "api_vs_in_process_p50": round(single["p50_s"] / in_process["p50_s"], 3) if single else None}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="unused (accepted so run_all can pass it)")
    parser.add_argument("--requests", type=int, default=16, help="checks per number of clients, shared out among them")
    parser.add_argument("--chars", type=int, help="check only the article's first N characters (cut at a paragraph)")
    parser.add_argument("--clients", default="1,4,16", help="concurrent clients, comma-separated")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    metrics = measure(args.requests, [int(c) for c in args.clients.split(",")], args.chars)
    notes = ["The server runs model work on one worker thread (requests queue for it; the HTTP layer stays "
             "concurrent), so throughput stays near one check at a time whatever the clients, and latency grows "
             "with the queue.",
             "Overhead = API p50 with one client / in-process warm Checker.check p50 (same article, same store)."]
    save("api", metrics, notes, started)
    return metrics


if __name__ == "__main__":
    main()
