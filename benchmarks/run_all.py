"""Run every benchmark in turn and regenerate docs/benchmarks.md.

    python -m benchmarks.run_all [--data ../shared/data] [--skip scale,speed]

Each one is also runnable alone (``python -m benchmarks.retrieval`` ...). The SciFact store is built once
under $FACTCHECK_BENCH_CACHE (default /tmp/factcheck-bench) and reused; a first run takes a while.
"""

from __future__ import annotations

import argparse
import importlib
import traceback

from .report import ORDER, render


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding scifact/ and checkthat2019/")
    parser.add_argument("--skip", default="", help="comma-separated benchmarks to leave out")
    args = parser.parse_args(argv)
    skip = {s for s in args.skip.split(",") if s}
    failed = []
    for name in ORDER:
        if name in skip:
            continue
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        try:
            module.main(["--data", args.data] if args.data and name != "scale" else [])
        except Exception:  # noqa: BLE001 - one broken benchmark must not lose the others' results
            traceback.print_exc()
            failed.append(name)
    render()
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
