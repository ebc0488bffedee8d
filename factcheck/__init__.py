"""factcheck: offline claim verification for fact-checkers.

>>> from factcheck import Checker, Settings
>>> report = Checker(Settings(store=".factcheck/store")).check("Finland joined NATO in April 2023.")

The names below load on first use, so ``import factcheck`` (and every CLI command) pays only for the
stages it touches.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_EXPORTS = {
    "Checker": "factcheck.pipeline", "Claim": "factcheck.claims.extract", "ClaimResult": "factcheck.report",
    "ConfigError": "factcheck.errors", "Evidence": "factcheck.verdict", "EvidenceStore": "factcheck.evidence.store", "Fact": "factcheck.report",
    "FactcheckError": "factcheck.errors", "Ingester": "factcheck.evidence.ingest",
    "IngestSummary": "factcheck.evidence.ingest", "InputError": "factcheck.errors", "ModelError": "factcheck.errors",
    "Report": "factcheck.report", "ReviewError": "factcheck.errors", "Settings": "factcheck.settings",
    "StoreError": "factcheck.errors", "Verdict": "factcheck.verdict",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from factcheck.claims.extract import Claim
    from factcheck.errors import ConfigError, FactcheckError, InputError, ModelError, ReviewError, StoreError
    from factcheck.evidence.ingest import Ingester, IngestSummary
    from factcheck.evidence.store import EvidenceStore
    from factcheck.pipeline import Checker
    from factcheck.report import ClaimResult, Fact, Report
    from factcheck.settings import Settings
    from factcheck.verdict import Evidence, Verdict


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'factcheck' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
