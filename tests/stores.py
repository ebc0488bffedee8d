"""Real stores shared by test modules: built once per test process (any fixture may call these)."""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = ROOT / "seeds" / "000_5812b4ca549976e4.txt"


@functools.cache
def corpus_store_path() -> Path:
    """Ingest the shipped corpus/ into a temporary embedded store once; return its directory."""
    from factcheck import EvidenceStore, Ingester

    folder = Path(tempfile.mkdtemp(prefix="factcheck-corpus-store-"))
    summary = Ingester(EvidenceStore(folder, create=True)).ingest([CORPUS])
    assert summary.documents >= 55 and not summary.skipped, summary.describe()
    return folder


def copy_of_corpus_store(destination: Path) -> Path:
    """A private copy of the corpus store, for tests that write to it."""
    shutil.copytree(corpus_store_path(), destination)
    return destination
