"""Benchmark 9: one review-desk process serving several browser sessions at once.

    python -m benchmarks.sessions [--sessions 5] [--chars 600]

Starts ``streamlit run app.py`` on 127.0.0.1 against a store of ``corpus/`` and drives it with
Playwright on Debian's Chromium, one browser context per user. Measures the app process's resident
memory (idle, after the first check has loaded the models, after N sessions have each checked an
article) and the time from "Check claims" to the claims being shown: one session alone (the
baseline), then N sessions clicking at the same moment (the ratio is what sharing costs).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from .common import ROOT, cache_dir, percentile, save

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of one process, in MB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return round(int(fields["VmRSS"].split()[0]) / 1024, 1), round(int(fields["VmHWM"].split()[0]) / 1024, 1)


def corpus_store() -> Path:
    """An embedded store of corpus/, built once under the benchmark cache."""
    from factcheck import EvidenceStore, Ingester

    folder = cache_dir() / "corpus-store"
    if not (folder / "chroma.sqlite3").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        Ingester(EvidenceStore(folder, create=True)).ingest([ROOT / "corpus"])
    return folder


def articles(count: int, chars: int) -> list[str]:
    """``count`` different articles: the opening of different corpus documents (front matter dropped)."""
    import frontmatter

    texts = []
    for path in sorted((ROOT / "corpus").rglob("*.md"))[::3]:
        body = frontmatter.loads(path.read_text(encoding="utf-8")).content.strip()
        cut = body[:chars].rsplit(".", 1)[0] + "."
        texts.append(f"Article {len(texts) + 1}: {path.stem.replace('-', ' ')}\n\n{cut}")
        if len(texts) == count:
            return texts
    raise SystemExit(f"corpus/ has too few documents for {count} sessions")


def start_app(store: Path, reviews: Path, log: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "FACTCHECK_STORE": str(store), "FACTCHECK_REVIEWS": str(reviews),
           "FACTCHECK_REVIEWER": "bench", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address",
                             "127.0.0.1", "--server.port", str(port), "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("streamlit exited:\n" + log.read_text())
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("streamlit did not start within 180 s")


def open_session(browser, url: str, text: str):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(900_000)
    page.goto(url)
    page.get_by_role("textbox", name="Paste the article").fill(text)
    return page


def check_all(pages: list, url: str | None = None, health: list | None = None) -> list[float]:
    """Click "Check claims" in every page at once; seconds until each shows its claims.

    With ``url``, the server's health endpoint is timed while the checks run (appended to ``health``).
    """
    started = time.perf_counter()
    for page in pages:
        page.get_by_role("button", name="Check claims").click()
    if url is not None:
        pages[0].wait_for_timeout(2000)
        health.append(health_ms(url))
    done = []
    for page in pages:  # each wait ends when that page's claims are shown; times are from the common start
        page.locator("[class*='st-key-claim-c']").first.wait_for()
        done.append(time.perf_counter() - started)
    return done


def health_ms(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=60):
        pass
    return round((time.perf_counter() - started) * 1000, 1)


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--chars", type=int, default=600, help="length of each session's article")
    parser.add_argument("--data", help="unused (run_all passes it to every benchmark)")
    args = parser.parse_args(argv)
    begun = time.perf_counter()
    store = corpus_store()
    texts = articles(args.sessions + 1, args.chars)
    work = Path(tempfile.mkdtemp(prefix="factcheck-sessions-"))
    proc, url = start_app(store, work / "reviews.sqlite3", work / "streamlit.log")
    chromium = shutil.which("chromium")
    if not chromium:
        raise SystemExit("Debian's chromium is not installed — run `make chromium`")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            idle = rss_mb(proc.pid)
            first = open_session(browser, url, texts[0])
            (warm_first,) = check_all([first])  # loads the models: not a latency figure
            loaded = rss_mb(proc.pid)
            first.get_by_role("textbox", name="Paste the article").fill(texts[1])
            (alone,) = check_all([first])  # the baseline: one warm check with nobody else on the server
            one_session = rss_mb(proc.pid)
            pages = [open_session(browser, url, text) for text in texts[1:]]
            health: list[float] = []
            concurrent = check_all(pages, url, health)
            after = rss_mb(proc.pid)
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    n = args.sessions
    metrics = {
        "sessions": n, "article_chars": [len(t) for t in texts],
        "rss_idle_mb": idle[0], "rss_models_loaded_mb": loaded[0], "rss_one_session_mb": one_session[0],
        "rss_after_sessions_mb": after[0], "peak_rss_mb": after[1],
        "growth_per_extra_session_mb": round((after[0] - one_session[0]) / n, 1),
        "first_check_s": round(warm_first, 1), "alone_s": round(alone, 1),
        "concurrent_s": [round(s, 1) for s in concurrent],
        "concurrent_p50_s": round(percentile(concurrent, 50), 1), "concurrent_max_s": round(max(concurrent), 1),
        "max_vs_alone_ratio": round(max(concurrent) / alone, 2),
        "health_during_checks_ms": health[0],
    }
    notes = [f"{n} Playwright contexts against one `streamlit run app.py` process (2 cores shared).",
             "Memory: VmRSS of the app process from /proc; peak is VmHWM. Growth per session = (RSS after the "
             f"{n} sessions - RSS with one session) / {n}.",
             "Latency: click to the first claim card shown, all sessions clicking at once, against one warm "
             "session alone in the same run."]
    save("sessions", metrics, notes, begun)


if __name__ == "__main__":
    main()
