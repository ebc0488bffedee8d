"""Benchmark 9: how long each CLI command takes to start, against ``python -c "import factcheck"``.

    python -m benchmarks.startup [--runs 3] [--baseline REV]

Each command runs as a fresh subprocess (process start to exit), for this tree and for the tree at
``--baseline`` (default: the commit before the CLI started importing only what a command needs), both
against the same store of ``corpus/``; medians over interleaved runs. ``python -X importtime`` of one
run of each says whether the command imported torch or sentence-transformers.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .common import ROOT, cache_dir, save
from .speed import ARTICLE, _corpus_store

BASELINE = "37d4ba7"  # the stage-package layout, before `factcheck serve` and lazy imports
HEAVY = ("torch", "sentence_transformers", "transformers", "sklearn", "langchain_huggingface")


def _commands(store: str, scratch: Path) -> dict[str, tuple[list[str], Path | None]]:
    """name -> (arguments after the interpreter, a store copy to refresh before each run or None)."""
    cli = ["-m", "factcheck.cli"]
    return {
        'python -c "import factcheck"': (["-c", "import factcheck"], None),
        "factcheck --help": ([*cli, "--help"], None),
        "factcheck sources": ([*cli, "sources", "--store", store], None),
        "factcheck remove DOC": ([*cli, "remove", "analysts-38-north", "--store", str(scratch)], scratch),
        "factcheck check --help": ([*cli, "check", "--help"], None),
        "factcheck check ARTICLE": ([*cli, "check", str(ARTICLE), "--store", store, "--format", "json"], None),
    }


def _tree(rev: str) -> Path | None:
    """The package as it was at ``rev`` (extracted once under the cache), or None without git history."""
    folder = cache_dir() / f"tree-{rev}"
    if (folder / "factcheck" / "__init__.py").is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", rev, "factcheck"], cwd=ROOT, capture_output=True, timeout=120)
    if archive.returncode != 0:
        return None
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True, timeout=120)
    return folder


def _run(tree: Path, args: list[str], importtime: bool = False) -> tuple[float, str]:
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "HOME": str(Path.home()),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    cmd = [sys.executable, *(["-X", "importtime"] if importtime else []), *args]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=tree, env=env)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} in {tree} failed: {done.stderr[-1500:]}")
    return seconds, done.stderr


def _imported(stderr: str) -> list[str]:
    names = {line.split("|")[-1].strip() for line in stderr.splitlines() if line.startswith("import time:")}
    return [module for module in HEAVY if module in names]


def measure(runs: int, baseline: str) -> dict:
    settings = _corpus_store()
    scratch = cache_dir() / "startup-remove-store"
    trees = {"after": ROOT}
    old = _tree(baseline)
    if old is not None:
        trees["before"] = old
    times: dict[str, dict[str, list[float]]] = {label: {} for label in trees}
    heavy: dict[str, dict[str, list[str]]] = {label: {} for label in trees}
    commands = _commands(settings.store, scratch)
    for attempt in range(runs + 1):  # the extra (first) pass is the -X importtime one, not timed
        for name, (args, copy) in commands.items():
            for label, tree in trees.items():  # interleaved, so both trees see the same machine load
                if copy is not None:
                    shutil.rmtree(copy, ignore_errors=True)
                    shutil.copytree(settings.store, copy)
                if attempt == 0:
                    heavy[label][name] = _imported(_run(tree, args, importtime=True)[1])
                else:
                    times[label].setdefault(name, []).append(_run(tree, args)[0])
    shutil.rmtree(scratch, ignore_errors=True)
    floor_name = next(iter(commands))
    rows = []
    for name in commands:
        row = {"command": name}
        for label in trees:
            median = statistics.median(times[label][name])
            floor = statistics.median(times[label][floor_name])
            row[label] = {"s": round(median, 2), "runs_s": [round(x, 2) for x in times[label][name]],
                          "vs_import_factcheck": round(median / floor, 2), "heavy_imports": heavy[label][name]}
        if "before" in row:
            row["after_vs_before"] = round(row["after"]["s"] / row["before"]["s"], 2)
        rows.append(row)
    return {"runs": runs, "baseline": baseline if old is not None else None, "store": settings.store, "rows": rows}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="unused (accepted so run_all can pass it)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per command and tree")
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare against")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    metrics = measure(args.runs, args.baseline)
    notes = ["Wall time of a fresh subprocess per command (interpreter start to exit), median of the runs; "
             "`vs import` = that time / the same tree's `python -c \"import factcheck\"`.",
             "`remove` runs on a fresh copy of the store each time (the copy is not timed).",
             "Heavy imports: which of " + ", ".join(HEAVY) + " one `python -X importtime` run of the command loaded."]
    save("startup", metrics, notes, started)
    return metrics


if __name__ == "__main__":
    main()
