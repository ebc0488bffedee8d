"""Shared fixtures: real stores built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
EXAMPLE_ARTICLE = ROOT / "seeds" / "000_5812b4ca549976e4.txt"


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory) -> Path:
    """An embedded store holding the shipped corpus/, ingested once per session. Treat it as read-only."""
    from factcheck import EvidenceStore, Ingester

    location = tmp_path_factory.mktemp("corpus-store") / "store"
    summary = Ingester(EvidenceStore(location, create=True)).ingest([CORPUS])
    assert summary.documents and summary.passages_added, summary.describe()
    return location


@pytest.fixture(scope="session")
def example_article() -> str:
    """The bundled example news article."""
    return EXAMPLE_ARTICLE.read_text(encoding="utf-8")
