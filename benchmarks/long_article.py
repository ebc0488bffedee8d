"""Benchmark 10: the largest article `check` accepts (200,000 characters), its progress and memory ceiling.

    python -m benchmarks.long_article [--chars 200000]

The article is the shipped corpus' documents run together (real prose, many claims) and cut to the
limit. Measured in one process: peak resident memory after ``warm_up`` and a check of the example
article (the baseline), then after the long check; the progress callbacks' stages and times.
"""

from __future__ import annotations

import argparse
import time

from .common import ROOT, peak_rss_mb, save
from .sessions import corpus_store

ARTICLE = ROOT / "seeds" / "000_5812b4ca549976e4.txt"


def long_article(chars: int) -> str:
    import frontmatter

    parts, total = [], 0
    for path in sorted((ROOT / "corpus").rglob("*.md")):
        body = frontmatter.loads(path.read_text(encoding="utf-8")).content.strip()
        parts.append(body)
        total += len(body) + 2
    text = "\n\n".join(parts)
    while len(text) < chars:
        text = text + "\n\n" + text
    return text[:chars].rsplit(" ", 1)[0]


def main(argv: list[str] | None = None) -> None:
    from factcheck import Checker, Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=Settings().max_input_chars)
    parser.add_argument("--data", help="unused (run_all passes it to every benchmark)")
    args = parser.parse_args(argv)
    begun = time.perf_counter()
    checker = Checker(Settings(store=str(corpus_store())))
    checker.warm_up()
    started = time.perf_counter()
    checker.check(ARTICLE.read_text(encoding="utf-8"))
    baseline_s = time.perf_counter() - started
    baseline_mb = peak_rss_mb()

    text = long_article(args.chars)
    stages: list[tuple[str, float, float]] = []
    started = time.perf_counter()
    report = checker.check(text, progress=lambda stage, fraction: stages.append(
        (stage, fraction, round(time.perf_counter() - started, 1))))
    long_s = time.perf_counter() - started
    peak_mb = peak_rss_mb()
    metrics = {
        "article_chars": len(text), "claims": len(report.claims), "checkworthy": len(report.checkworthy),
        "baseline_article_chars": len(ARTICLE.read_text(encoding="utf-8")),
        "baseline_s": round(baseline_s, 1), "long_s": round(long_s, 1),
        "long_vs_baseline_time_ratio": round(long_s / baseline_s, 1),
        "peak_rss_baseline_mb": baseline_mb, "peak_rss_long_mb": peak_mb,
        "peak_growth_mb": round(peak_mb - baseline_mb, 1),
        "progress": [{"stage": s, "fraction": f, "at_s": t} for s, f, t in stages],
    }
    notes = ["Peak RSS is the process's ru_maxrss: the baseline after warm_up() and a check of the example "
             "article, then after the long check in the same process.",
             "Progress: the stages Checker.check reports (the app's progress bar and `check`'s stderr show them)."]
    save("long_article", metrics, notes, begun)


if __name__ == "__main__":
    main()
