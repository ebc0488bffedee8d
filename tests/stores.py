"""Real stores shared by test modules: built once per test run (any fixture may call these).

Under pytest-xdist the workers share one ingest: the first to get here builds the store under a lock, the
others wait for it, and each worker then works on its own copy (two processes never open one embedded
Chroma store at once).
"""

from __future__ import annotations

import atexit
import fcntl
import functools
import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = ROOT / "seeds" / "000_5812b4ca549976e4.txt"


def _ingest(folder: Path) -> None:
    from factcheck import EvidenceStore, Ingester

    summary = Ingester(EvidenceStore(folder, create=True)).ingest([CORPUS])
    assert summary.documents >= 55 and not summary.skipped, summary.describe()


@functools.cache
def corpus_store_path() -> Path:
    """Ingest the shipped corpus/ into a temporary embedded store once; return this process's directory."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    folder = Path(tempfile.mkdtemp(prefix="factcheck-corpus-store-"))
    # This process's store goes when the process ends (each run left one behind in the temporary folder).
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    if not run:
        _ingest(folder)
        return folder
    shared = shared_store_path(run)
    with open(f"{shared}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "complete").is_file():
            shutil.rmtree(shared, ignore_errors=True)
            _ingest(shared)
            (shared / "complete").touch()
    shutil.rmtree(folder)
    shutil.copytree(shared, folder, ignore=shutil.ignore_patterns("complete"))
    return folder


def shared_store_path(run: str) -> Path:
    """Where the workers of test run ``run`` share their one ingest (``remove_shared_store`` clears it)."""
    return Path(tempfile.gettempdir()) / f"factcheck-corpus-store-run-{run}"


def remove_shared_store(run: str) -> None:
    """Remove a finished run's shared ingest and its lock file (the controller calls it once the workers end)."""
    shared = shared_store_path(run)
    shutil.rmtree(shared, ignore_errors=True)
    Path(f"{shared}.lock").unlink(missing_ok=True)


def copy_of_corpus_store(destination: Path) -> Path:
    """A private copy of the corpus store, for tests that write to it."""
    shutil.copytree(corpus_store_path(), destination)
    return destination
