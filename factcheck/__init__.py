"""factcheck: offline claim verification for fact-checkers.

>>> from factcheck import Checker, Settings
>>> report = Checker(Settings(store=".factcheck/store")).check("Finland joined NATO in April 2023.")
"""

from .claims import Claim
from .errors import FactcheckError, InputError, ModelError, ReviewError, StoreError
from .ingest import Ingester, IngestSummary
from .pipeline import Checker
from .report import ClaimResult, Report
from .settings import Settings
from .store import EvidenceStore
from .verdict import Evidence, Verdict

__all__ = [
    "Checker", "Claim", "ClaimResult", "Evidence", "EvidenceStore", "FactcheckError", "Ingester",
    "IngestSummary", "InputError", "ModelError", "Report", "ReviewError", "Settings", "StoreError", "Verdict",
]
