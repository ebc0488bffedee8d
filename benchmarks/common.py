"""Shared plumbing for the benchmarks: data and cache paths, machine facts, result files."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import factcheck.resources  # noqa: F401 - offline environment before any model library loads

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PACKAGES = ("factcheck", "chromadb", "langchain-core", "langchain-chroma", "sentence-transformers", "torch",
            "bm25s", "spacy", "numpy", "scipy")


def data_dir(arg: str | None = None) -> Path:
    """The shared data folder: ``--data``, else $FACTCHECK_DATA, else ../shared/data beside the repo."""
    path = Path(arg or os.environ.get("FACTCHECK_DATA") or ROOT.parent / "shared" / "data").resolve()
    if not (path / "scifact" / "corpus.jsonl").is_file():
        sys.exit(f"No SciFact data under {path} (expected scifact/corpus.jsonl) — pass --data DIR or set "
                 "FACTCHECK_DATA to the folder that holds scifact/ and checkthat2019/")
    return path


def cache_dir() -> Path:
    """Where benchmark stores are kept between runs ($FACTCHECK_BENCH_CACHE, default /tmp/factcheck-bench)."""
    path = Path(os.environ.get("FACTCHECK_BENCH_CACHE", "/tmp/factcheck-bench"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def baseline_tree(ref: str) -> Path:
    """The tree at git ``ref``, as a worktree in the benchmark cache (made on first use): what a benchmark runs
    side by side with this tree."""
    import shutil
    import subprocess

    base = cache_dir() / f"baseline-{ref}"
    if not (base / "factcheck").is_dir():
        shutil.rmtree(base, ignore_errors=True)
        subprocess.run(["git", "worktree", "add", "--force", "--detach", str(base), ref], cwd=ROOT, check=True,
                       capture_output=True)
    return base


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return round(int(line.split()[1]) / 1024 ** 2, 1)
    except OSError:
        return None
    return None


def machine() -> dict:
    """CPU, cores, memory, load, Python and package versions, and the git commit."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "-"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "factcheck", "benchmarks/*.py"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        if dirty:
            commit += " + uncommitted changes"
    except OSError:
        commit = "?"
    return {
        "cpu": _cpu_model(), "cores": os.cpu_count(), "memory_gb": _memory_gb(),
        "load_avg_1m": round(os.getloadavg()[0], 2), "python": platform.python_version(),
        "platform": platform.platform(), "versions": versions, "commit": commit,
    }


def save(name: str, metrics: dict, notes: list[str] | None = None, started: float | None = None) -> Path:
    """Write one benchmark's result file and re-render docs/benchmarks.md."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    record = {
        "benchmark": name,
        "command": "python -m benchmarks." + name + "".join(" " + shlex.quote(a) for a in sys.argv[1:]),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "seconds": round(time.perf_counter() - started, 1) if started else None,
        "machine": machine(),
        "metrics": metrics,
        "notes": notes or [],
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(record, indent=1, default=str) + "\n")
    from .report import render

    render()
    print(f"wrote {path.relative_to(ROOT)} and docs/benchmarks.md")
    return path


def percentile(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else float("nan")


def peak_rss_mb() -> float:
    """This process's peak resident memory (MB)."""
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def stance_model_info() -> dict | None:
    """Which stance model the figures came from: its training record and a hash of its weights."""
    import hashlib

    folder = ROOT / "factcheck" / "models" / "stance"
    config = folder / "stance_config.json"
    if not config.is_file():
        return None
    weights = sorted(folder.glob("*.safetensors"))
    digest = hashlib.sha256(b"".join(w.read_bytes() for w in weights)).hexdigest()[:12] if weights else None
    return {"training": json.loads(config.read_text()).get("training"), "weights_sha256": digest}


_CHECK_SCRIPT = """
import json, sys
from factcheck import EvidenceStore, Ingester, Settings
from factcheck.pipeline import Checker
docs, store = sys.argv[1], sys.argv[2]
settings = Settings(store=store)
summary = Ingester(EvidenceStore(settings.store, create=True), settings).ingest([docs])
if summary.skipped:
    raise SystemExit(f"documents skipped: {summary.describe()}")
checker = Checker(settings)
checker.warm_up()
labels = []
for claim in json.loads(sys.stdin.read()):
    worthy = [r for r in checker.check(claim).claims if r.claim.checkworthy]
    labels.append(worthy[0].verdict.label if worthy else "not_enough_evidence")
print(json.dumps(labels))
"""


def claim_verdicts(tree: Path, docs: Path, claims: list[str], store: Path | str) -> list[str]:
    """The verdict the tree at ``tree`` gives each one-sentence claim (the first check-worthy claim's; none counts
    as not_enough_evidence) over the store at ``store`` filled from ``docs``, in its own process and package."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", _CHECK_SCRIPT, str(docs), str(store)], input=json.dumps(claims),
                          env=env, cwd=tree, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"checking claims in {tree} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def confusion(gold: list[str], predicted: list[str], labels: tuple[str, ...]) -> dict:
    """{gold: {predicted: count}} over the three gold labels (``labels[:3]``) and every predicted one."""
    return {g: {label: sum(x == g and p == label for x, p in zip(gold, predicted)) for label in labels}
            for g in labels[:3]}
