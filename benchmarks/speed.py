"""Benchmarks 5 and 6: ingest throughput against raw encoding, and `check` on the example article.

    python -m benchmarks.speed [--data ../shared/data] [--abstracts 300] [--runs 3]

5. Ingest: SciFact abstracts (a fixed sample) into a fresh store, passages/s, against the raw
   sentence-transformers ``encode`` of the same passage texts by the same model, measured before and
   after the ingest in the same process (the ratio is the store's overhead: chunking, Chroma, BM25).
6. ``check seeds/000_5812b4ca549976e4.txt`` against a store of ``corpus/``: cold (``factcheck check
   --format json`` as a subprocess, process start to output) against a floor process that only imports
   factcheck and loads the same models; warm (in process, after ``warm_up``) with ``report.timings``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .common import RESULTS, ROOT, baseline_tree, cache_dir, data_dir, save

ARTICLE = ROOT / "seeds" / "000_5812b4ca549976e4.txt"
FLOOR = """
import factcheck.cli
from factcheck.pipeline import Checker
from factcheck.resources import get_embeddings, get_nlp
get_embeddings().embed_documents(["x"]); get_nlp()("x")
"""


def ingest_throughput(data: Path, abstracts: int, store: str | None = None, seed: int = 13) -> dict:
    """Ingest a sample of SciFact abstracts into a fresh store (or into ``store``, a directory or server URL
    that already holds passages), against the raw encode rate of the same texts in the same process."""
    from factcheck import EvidenceStore, Ingester, Settings
    from factcheck.evidence.chunking import chunk_document
    from factcheck.evidence.loaders import load_file
    from factcheck.resources import get_sentence_encoder

    lines = (data / "scifact" / "corpus.jsonl").read_text().splitlines()
    sample = random.Random(seed).sample(lines, min(abstracts, len(lines)))
    work = cache_dir() / f"ingest-bench-{seed}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    source = work / "sample.jsonl"
    source.write_text("\n".join(sample) + "\n")
    settings = Settings(store=store or str(work / "store"))
    target = EvidenceStore(settings.store, create=True)
    t0 = time.perf_counter()
    target.lexical  # noqa: B018 - a large store's BM25 index is loaded (or synced) before the timing
    bm25_open_s = time.perf_counter() - t0
    texts = [p.text for doc in load_file(source) for p in
             chunk_document(doc, settings.passage_sentences, settings.passage_max_chars)]
    encoder = get_sentence_encoder()
    encoder.encode(texts[:64], batch_size=64)  # load and warm outside the timings

    def raw() -> float:
        t0 = time.perf_counter()
        encoder.encode(texts, batch_size=64, normalize_embeddings=True)
        return len(texts) / (time.perf_counter() - t0)

    before = raw()
    t0 = time.perf_counter()
    summary = Ingester(target, settings).ingest([source])
    ingest_seconds = time.perf_counter() - t0
    after = raw()
    ingest_rate = summary.passages_added / ingest_seconds
    shutil.rmtree(work, ignore_errors=True)
    raw_rate = statistics.mean([before, after])
    return {"abstracts": len(sample), "passages": summary.passages_added, "bm25_open_s": round(bm25_open_s, 2),
            "ingest_passages_per_s": round(ingest_rate, 1), "raw_encode_passages_per_s": round(raw_rate, 1),
            "raw_encode_before_after": [round(before, 1), round(after, 1)],
            "ingest_vs_raw_ratio": round(ingest_rate / raw_rate, 3)}


def _corpus_store():
    from factcheck import EvidenceStore, Ingester, Settings

    settings = Settings(store=str(cache_dir() / "corpus-store"))
    # Idempotent: only documents changed since the last run are re-embedded.
    Ingester(EvidenceStore(settings.store, create=True), settings).ingest([ROOT / "corpus"])
    return settings


def _wall(cmd: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=ROOT)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr[-2000:]}")
    return seconds, done.stdout


def check_times(runs: int) -> dict:
    from factcheck.pipeline import Checker

    settings = _corpus_store()
    cli = str(Path(sys.executable).with_name("factcheck"))
    cold, floor = [], []
    for _ in range(runs):  # interleaved, so both see the same machine load
        seconds, out = _wall([cli, "check", str(ARTICLE), "--store", settings.store, "--format", "json"])
        cold.append(seconds)
        claims = len(json.loads(out)["claims"])
        floor.append(_wall([sys.executable, "-c", FLOOR])[0])

    from factcheck.stance.judge import forget_kept

    checker = Checker(settings)
    t0 = time.perf_counter()
    checker.warm_up()
    warm_up_seconds = time.perf_counter() - t0
    text = ARTICLE.read_text()
    totals, stages = [], {}
    for _ in range(runs):
        forget_kept()  # a first check of the article: nothing of it kept from the last run
        t0 = time.perf_counter()
        report = checker.check(text, input_name=ARTICLE.name)
        totals.append(time.perf_counter() - t0)
        for stage, seconds in report.timings.items():
            stages.setdefault(stage, []).append(seconds)
    model_floor = read_floor(checker, text, runs)
    # A re-check (a reviewer runs it again, or a second one opens it): readings, vectors and parses are kept.
    rechecks = []
    for _ in range(runs):
        t0 = time.perf_counter()
        checker.check(text, input_name=ARTICLE.name)
        rechecks.append(time.perf_counter() - t0)
    # One claim edited ("two-day" -> "three-day"): only its pairs are read again.
    forget_kept()
    checker.check(text, input_name=ARTICLE.name)
    t0 = time.perf_counter()
    checker.check(text.replace("two-day", "three-day"), input_name=ARTICLE.name)
    edited_seconds = time.perf_counter() - t0
    cold_median, floor_median, warm_median = (statistics.median(x) for x in (cold, floor, totals))
    return {
        "article": ARTICLE.name, "article_chars": len(text), "claims": claims,
        "checkworthy": len(report.checkworthy), "store_passages": checker.store.count(),
        "use_stance_model": settings.use_stance_model, "hybrid": settings.hybrid, "runs": runs,
        "cold_s": round(cold_median, 2), "cold_runs_s": [round(x, 2) for x in cold],
        "floor_s": round(floor_median, 2), "cold_vs_floor_ratio": round(cold_median / floor_median, 2),
        "warm_s": round(warm_median, 3), "warm_runs_s": [round(x, 3) for x in totals],
        "warm_up_s": round(warm_up_seconds, 2), "cold_vs_warm_ratio": round(cold_median / warm_median, 1),
        "recheck_s": round(statistics.median(rechecks), 3), "edited_recheck_s": round(edited_seconds, 3),
        "warm_stages_s": {stage: round(statistics.median(v), 3) for stage, v in stages.items()},
        **model_floor, "warm_vs_read_floor_ratio": round(warm_median / model_floor["stance_read_floor_s"], 2),
    }


def read_floor(checker, text: str, runs: int) -> dict:
    """The stance model's raw forward pass over the pairs one check reads (captured from the judge's one model
    call), timed alone in this process: the part of a warm check no bookkeeping can remove. What is left of
    the warm time above it is claims, retrieval, parsing, signals and sentence vectors."""
    from factcheck.stance.judge import forget_kept

    judge, captured = checker.judge, []
    read = judge.read

    def capturing(batch):
        captured.append(list(batch.pairs))
        return read(batch)

    judge.read = capturing  # one check, to see the batch it reads
    try:
        forget_kept()
        checker.check(text, input_name=ARTICLE.name)
    finally:
        del judge.read
    pairs, model = captured[0], judge._model
    tokens = sum(len(ids) for ids in model._tokenizer([c for c, _ in pairs], [e for _, e in pairs],
                                                      truncation="longest_first", max_length=model._config.max_len,
                                                      padding=False)["input_ids"])
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        model.predict(pairs)
        seconds.append(time.perf_counter() - t0)
    return {"stance_pairs": len(pairs), "stance_tokens": tokens, "stance_precision": model.precision,
            "stance_read_floor_s": round(statistics.median(seconds), 3)}


WARM_SCRIPT = """
import json, statistics, sys, time
from pathlib import Path
root, store, runs = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
from factcheck import EvidenceStore, Ingester, Settings
from factcheck.pipeline import Checker
settings = Settings(store=store)
Ingester(EvidenceStore(settings.store, create=True), settings).ingest([root / "corpus"])
checker = Checker(settings)
checker.warm_up()
text = (root / "seeds" / "000_5812b4ca549976e4.txt").read_text()
checker.check(text)
try:  # trees from 2026-12-02 on keep readings, vectors and parses between checks: each run starts without them
    from factcheck.stance.judge import forget_kept
except ImportError:
    forget_kept = None
totals, stages = [], {}
for _ in range(runs):
    if forget_kept is not None:
        forget_kept()
    t0 = time.perf_counter()
    report = checker.check(text)
    totals.append(time.perf_counter() - t0)
    for stage, seconds in report.timings.items():
        stages.setdefault(stage, []).append(seconds)
print(json.dumps({"warm_s": statistics.median(totals),
                  "stages_s": {k: round(statistics.median(v), 3) for k, v in stages.items()}}))
"""


def warm_against(ref: str, runs: int, rounds: int = 2) -> dict:
    """Warm ``check`` of this tree against the tree at git ``ref`` (a worktree), each in its own process with
    its own package, corpus and store, alternated ``rounds`` times so both see the same machine load: the
    ratio says what changed since ``ref`` on this machine, whatever the machine."""
    import os

    trees = {"ours": ROOT, "baseline": baseline_tree(ref)}
    medians: dict[str, list[float]] = {"ours": [], "baseline": []}
    stages: dict[str, dict] = {}
    for _ in range(rounds):
        for name, tree in trees.items():
            env = {**os.environ, "PYTHONPATH": str(tree)}
            store = cache_dir() / f"warm-store-{name}-{ref if name == 'baseline' else 'ours'}"
            done = subprocess.run([sys.executable, "-c", WARM_SCRIPT, str(tree), str(store), str(runs)], env=env,
                                  cwd=tree, capture_output=True, text=True, timeout=1800)
            if done.returncode != 0:
                raise RuntimeError(f"warm check of {name} ({tree}) failed: {done.stderr[-2000:]}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            medians[name].append(result["warm_s"])
            stages[name] = result["stages_s"]
    ours, baseline = statistics.median(medians["ours"]), statistics.median(medians["baseline"])
    return {"ref": ref, "rounds": rounds, "runs": runs, "ours_s": round(ours, 3), "baseline_s": round(baseline, 3),
            "ours_vs_baseline_ratio": round(ours / baseline, 2), "ours_stages_s": stages["ours"],
            "baseline_stages_s": stages["baseline"]}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding scifact/ (default $FACTCHECK_DATA or ../shared/data)")
    parser.add_argument("--abstracts", type=int, default=300, help="SciFact abstracts ingested for benchmark 5")
    parser.add_argument("--runs", type=int, default=3, help="cold and warm repetitions for benchmark 6")
    parser.add_argument("--only", choices=("ingest", "check"), help="run one part; keep the other's last figures")
    parser.add_argument("--baseline-ref", help="also time a warm check of the tree at this git commit, side by side")
    args = parser.parse_args(argv)
    data = data_dir(args.data)
    started = time.perf_counter()
    metrics = {}
    if args.only in (None, "ingest"):
        metrics["ingest"] = ingest_throughput(data, args.abstracts)
        print("ingest", metrics["ingest"], flush=True)
    if args.only in (None, "check"):
        metrics["check"] = check_times(args.runs)
        if args.baseline_ref:
            metrics["check"]["against_ref"] = warm_against(args.baseline_ref, args.runs)
        print("check", metrics["check"], flush=True)
    earlier = RESULTS / "speed.json"
    if args.only and earlier.is_file():  # keep the other part's figures from the previous run
        previous = json.loads(earlier.read_text())
        for part, value in previous["metrics"].items():
            if part not in metrics:
                # A part kept through several runs keeps the date of the run that measured it.
                metrics[part] = {**value, "from_run": value.get("from_run", previous["date"])}
    notes = [
        "Ingest ratio = ingest passages/s / raw encode passages/s (mean of the encode runs before and after).",
        "Cold = wall time of `factcheck check ARTICLE --store STORE --format json` as a subprocess; floor = a "
        "subprocess that imports factcheck and loads the same embedding and spaCy models, then exits. "
        "Medians over the runs, interleaved.",
        "Warm = Checker.check in process after warm_up(), the model's kept readings cleared before each run; "
        "stages from report.timings (medians). Re-check = the same article again with the readings kept; "
        "edited = the article with one claim changed, after one check of the original.",
        "Read floor = the stance model's forward pass alone over the pairs one warm check reads (StanceModel.predict "
        "on the captured batch, median of the runs); warm_vs_read_floor_ratio = warm / read floor.",
    ]
    save("speed", metrics, notes, started)
    return metrics


if __name__ == "__main__":
    main()
