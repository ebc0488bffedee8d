"""Shared fixtures: real stores built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
if os.environ.get("PYTEST_XDIST_WORKER"):
    # One compute thread per test worker (and per process a test starts): on a machine with as many cores as
    # workers, more threads only make the workers take turns.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("MKL_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_ARTICLE = ROOT / "seeds" / "000_5812b4ca549976e4.txt"


@pytest.fixture(scope="session")
def corpus_store() -> Path:
    """An embedded store holding the shipped corpus/, ingested once per session. Treat it as read-only.

    It is the same store ``tests/stores.py`` builds for the CLI tests, so a full run ingests once.
    """
    from .stores import corpus_store_path

    return corpus_store_path()


@pytest.fixture(scope="session")
def example_article() -> str:
    """The bundled example news article."""
    return EXAMPLE_ARTICLE.read_text(encoding="utf-8")
