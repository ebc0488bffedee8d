"""SciFact (Wadden et al., 2020) for the benchmarks: claims, abstracts, and a factcheck store of the corpus."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from .common import cache_dir

LABELS = {"SUPPORT": "supports", "CONTRADICT": "refutes"}
VERDICTS = {"SUPPORT": "supported", "CONTRADICT": "refuted", "NEI": "not_enough_evidence"}


@dataclass
class SciFactClaim:
    """One SciFact claim with its gold evidence: {doc_id: [(label, [sentence indices])...]}."""

    id: int
    claim: str
    evidence: dict[str, list[tuple[str, list[int]]]]
    cited: list[str]

    @property
    def label(self) -> str:
        """SUPPORT / CONTRADICT / NEI for the claim as a whole (SciFact labels agree within a claim)."""
        labels = {label for sets in self.evidence.values() for label, _ in sets}
        return labels.pop() if len(labels) == 1 else ("NEI" if not labels else "MIXED")


def load_claims(data: Path, half: str = "all") -> list[SciFactClaim]:
    """claims_train.jsonl; half="eval" keeps only the claims calibration never saw (see calibration.in_fit_half)."""
    from factcheck.training.calibration import in_fit_half

    claims = []
    for line in (data / "scifact" / "claims_train.jsonl").read_text().splitlines():
        record = json.loads(line)
        evidence = {str(doc): [(s["label"], list(s["sentences"])) for s in sets]
                    for doc, sets in record["evidence"].items()}
        if half == "eval" and in_fit_half(record["id"]):
            continue
        claims.append(SciFactClaim(record["id"], record["claim"], evidence, [str(d) for d in record["cited_doc_ids"]]))
    return claims


def load_corpus(data: Path) -> dict[str, dict]:
    """doc_id -> {"title", "abstract": [sentences]}."""
    corpus = {}
    for line in (data / "scifact" / "corpus.jsonl").read_text().splitlines():
        record = json.loads(line)
        corpus[str(record["doc_id"])] = {"title": record["title"], "abstract": record["abstract"]}
    return corpus


def scifact_store(data: Path):
    """The factcheck store of the SciFact corpus in the benchmark cache, ingested on first use (minutes)."""
    from factcheck import EvidenceStore, Ingester, Settings

    path = cache_dir() / "scifact-store"
    done = path / "INGESTED"
    settings = Settings(store=str(path))
    if not done.is_file():
        print(f"ingesting SciFact into {path} (once; several minutes)...", flush=True)
        started = time.perf_counter()
        store = EvidenceStore(path, create=True)
        summary = Ingester(store, settings).ingest([data / "scifact" / "corpus.jsonl"])
        print(summary.describe(), f"({time.perf_counter() - started:.0f} s)", flush=True)
        done.write_text(json.dumps({"passages": store.count()}))
    return EvidenceStore(path), settings
