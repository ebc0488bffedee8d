"""factcheck: offline claim verification for fact-checkers.

>>> from factcheck import Checker, Settings
>>> report = Checker(Settings(store=".factcheck/store")).check("Finland joined NATO in April 2023.")
"""

from factcheck.claims.extract import Claim
from factcheck.errors import FactcheckError, InputError, ModelError, ReviewError, StoreError
from factcheck.evidence.ingest import Ingester, IngestSummary
from factcheck.pipeline import Checker
from factcheck.report import ClaimResult, Fact, Report
from factcheck.settings import Settings
from factcheck.evidence.store import EvidenceStore
from factcheck.verdict import Evidence, Verdict

__all__ = [
    "Checker", "Claim", "ClaimResult", "Evidence", "EvidenceStore", "Fact", "FactcheckError", "Ingester",
    "IngestSummary", "InputError", "ModelError", "Report", "ReviewError", "Settings", "StoreError", "Verdict",
]
