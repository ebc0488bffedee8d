"""Benchmark 4: check-worthiness MAP on CLEF CheckThat! 2019 debates, each debate held out in turn.

    python -m benchmarks.checkworthiness [--data ../shared/data]

Runs the leave-one-debate-out evaluation of ``factcheck.training.checkworthiness`` (the model it fits
on all debates goes to a temporary folder; the shipped model is untouched).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from .common import data_dir, save


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder holding checkthat2019/ (default $FACTCHECK_DATA or ../shared/data)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    data = data_dir(args.data)
    started = time.perf_counter()
    notes = ["Leave-one-debate-out over the 19 training debates; MAP = mean average precision over debates. "
             "For reference, the best 2019 lab system reached MAP 0.166 on its (different) test debates."]
    try:
        from factcheck.training.checkworthiness import train_checkworthiness
    except ImportError as exc:
        metrics = {"map": None}
        notes.append(f"Not measured: factcheck.training.checkworthiness is not available ({exc}).")
        save("checkworthiness", metrics, notes, started)
        return metrics
    with tempfile.TemporaryDirectory() as out:
        result = train_checkworthiness(data / "checkthat2019", Path(out), seed=args.seed)
    metrics = {key: result.get(key) for key in ("map", "C", "map_by_C", "n_sentences", "n_positive",
                                                 "flagged_fraction_at_threshold", "precision_at_threshold",
                                                 "ap_per_debate")}
    shipped = Path(__file__).resolve().parent.parent / "factcheck" / "models" / "checkworthiness" / "model.json"
    if shipped.is_file():
        metrics["shipped_model_map"] = json.loads(shipped.read_text()).get("metrics", {}).get("map")
    print(json.dumps(metrics, indent=1))
    save("checkworthiness", metrics, notes, started)
    return metrics


if __name__ == "__main__":
    main()
